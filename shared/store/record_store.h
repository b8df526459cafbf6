// Shared vocabulary of the record store's two doors: options and pages.
// The ingest service writes through IngestStore (ingest_store.h); the query
// service applies the change feed and reads through QueryStore
// (query_store.h). Nothing outside shared/store sees RocksDB types, keys or
// column families.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace communique::store {

// How a store is opened.
struct StoreOptions {
  // fsync the write-ahead log before a commit returns, so an acknowledged
  // write survives power loss, not just a process crash. Default: true.
  bool sync_writes = true;
  // Size of the block cache in bytes. Default: 64 MiB.
  size_t block_cache_bytes = 64 << 20;
  // Test only, the store's fault seam: while a file exists at this path,
  // every write to the store's files fails as on a full disk (ENOSPC), for
  // disk-fault tests where a size-limited filesystem cannot be mounted
  // (shared/store's own tests and tests/e2e/disk_fault_e2e_test.cc, which
  // open the store in process; no binary exposes it). Default: off.
  std::string test_only_disk_full_file;
};

// Storage-engine figures for monitoring (Prometheus gauges and counters).
struct EngineStats {
  // Bytes of live SST files and of memtables, over all column families.
  uint64_t live_sst_bytes = 0;
  uint64_t memtable_bytes = 0;
  // Bytes RocksDB estimates compaction still has to rewrite.
  uint64_t pending_compaction_bytes = 0;
  // Block-cache lookups that hit and missed since the store was opened.
  uint64_t block_cache_hits = 0;
  uint64_t block_cache_misses = 0;
  // Microseconds writes were stalled or slowed by RocksDB since opening.
  uint64_t write_stall_micros = 0;
  // Ingest store only (group commit): commits written and write-ahead-log
  // fsyncs since opening; commits per fsync is the group size.
  uint64_t commits = 0;
  uint64_t wal_syncs = 0;
};

// How many records of each type a store holds (Prometheus gauges).
struct RecordCounts {
  int64_t articles = 0;
  // Canonical summits; aliases (names of merged summits) apart.
  int64_t summits = 0;
  int64_t aliases = 0;
  int64_t declarations = 0;
  int64_t initiatives = 0;
};

// One page of a list.
template <typename T>
struct Page {
  std::vector<T> items;
  // Where the next page resumes (opaque store key); empty at the end.
  std::string resume_after;
};

}  // namespace communique::store
