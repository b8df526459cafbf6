// The RocksDB options every store opens with, in one place: the store
// (shared/store/internal/db.h) builds on them, and the benchmarks that
// measure raw RocksDB floors (bench/rocksdb_floor_benchmark.cc, the
// WriteBatch floor and store counts of bench/loadgen/ingest.cc) call the same
// function, so a floor always runs with the store's settings. This is the
// one header of shared/store that names rocksdb:: types (a target of its
// own, communique::store_rocksdb_options); services never include it.
#pragma once

#include <cstddef>

#include "rocksdb/options.h"

namespace communique::store {

// Returns the database and column-family options of a store: created when
// missing (with its column families), two background jobs, four info-log
// files kept, at most 512 open files; block-based tables with an LRU block
// cache of `block_cache_bytes` (StoreOptions::block_cache_bytes; default
// 64 MiB) and 10-bit Bloom filters; LZ4 compression. The store adds its
// statistics, info log, event listener and column families on top. Pure;
// thread-safe (each call builds its own cache).
rocksdb::Options StoreRocksDbOptions(size_t block_cache_bytes = 64 << 20);

}  // namespace communique::store
