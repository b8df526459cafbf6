// Shared vocabulary of the record store's two doors: options and pages.
// The ingest service writes through IngestStore (ingest_store.h); the query
// service applies the change feed and reads through QueryStore
// (query_store.h). Nothing outside shared/store sees RocksDB types, keys or
// column families.
#pragma once

#include <cstddef>
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
};

// One page of a list.
template <typename T>
struct Page {
  std::vector<T> items;
  // Where the next page resumes (opaque store key); empty at the end.
  std::string resume_after;
};

}  // namespace communique::store
