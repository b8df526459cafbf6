// Raw RocksDB floors (Google Benchmark), in-process: what a point read, a
// page of index-ordered reads and a commit cost with no protobuf and no
// gRPC, with the store's own options (store::StoreRocksDbOptions, the
// function shared/store opens every store with). Compare with the server
// CPU per call that scripts/bench.sh prints.
//
//   build/bench/rocksdb_floor_benchmark [--benchmark_filter=Get]

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "shared/store/rocksdb_options.h"

namespace communique::bench {
namespace {

constexpr int kRecords = 1000;
constexpr size_t kValueBytes = 4600;  // a typical stored summit record

std::string Key(int i) { return absl::StrFormat("summits/s-%06d", i); }

// A store of kRecords values, opened with the service's options.
class Store {
 public:
  explicit Store(bool sync) {
    char tmpl[] = "/tmp/communique_rocksdb_floor_XXXXXX";
    dir_ = mkdtemp(tmpl);
    rocksdb::DB* raw = nullptr;
    if (!rocksdb::DB::Open(store::StoreRocksDbOptions(), dir_, &raw).ok()) {
      std::abort();
    }
    db_.reset(raw);
    write_options_.sync = sync;
    std::string value(kValueBytes, 'v');
    for (int i = 0; i < kRecords; ++i) {
      value[i % kValueBytes] = static_cast<char>('a' + i % 26);
      db_->Put(write_options_, Key(i), value).PermitUncheckedError();
    }
    db_->Flush(rocksdb::FlushOptions()).PermitUncheckedError();
  }
  ~Store() {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  rocksdb::DB* db() { return db_.get(); }
  const rocksdb::WriteOptions& write_options() const { return write_options_; }

 private:
  std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions write_options_;
};

// GetSummit's storage floor: one point read of a summit-sized value.
void BM_Get(benchmark::State& state) {
  Store store(false);
  std::string value;
  int i = 0;
  for (auto _ : state) {
    if (!store.db()->Get(rocksdb::ReadOptions(), Key(i++ % kRecords), &value)
             .ok()) {
      state.SkipWithError("get failed");
    }
    benchmark::DoNotOptimize(value);
  }
  state.SetBytesProcessed(state.iterations() * kValueBytes);
}
BENCHMARK(BM_Get);

// ListSummits' storage floor: seek, then 50 values in key order (the query
// store does an index seek plus one Get per item, so this is a lower bound).
void BM_IteratorPage50(benchmark::State& state) {
  Store store(false);
  int start = 0;
  for (auto _ : state) {
    std::unique_ptr<rocksdb::Iterator> it(
        store.db()->NewIterator(rocksdb::ReadOptions()));
    int n = 0;
    for (it->Seek(Key(start)); it->Valid() && n < 50; it->Next(), ++n) {
      benchmark::DoNotOptimize(it->value().data());
    }
    start = (start + 97) % (kRecords - 50);
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(BM_IteratorPage50);

// Ingest's storage floor: one WriteBatch per article (the article, its
// extraction and one summit record, plus 8 index entries), WAL on; the
// argument says whether each commit is fsynced (ingest's default).
void BM_WriteBatch(benchmark::State& state) {
  Store store(state.range(0) != 0);
  const std::string article(2000, 'a');
  const std::string record(kValueBytes, 's');
  int i = 0;
  for (auto _ : state) {
    rocksdb::WriteBatch batch;
    batch.Put(absl::StrFormat("articles/a-%08d", i), article);
    batch.Put(absl::StrFormat("extractions/a-%08d", i), article);
    batch.Put(Key(i % kRecords), record);
    for (int k = 0; k < 8; ++k) {
      batch.Put(absl::StrFormat("index/%d/%08d", k, i), "");
    }
    if (!store.db()->Write(store.write_options(), &batch).ok()) {
      state.SkipWithError("write failed");
    }
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WriteBatch)->Arg(0)->Arg(1)->ArgName("sync");

}  // namespace
}  // namespace communique::bench

BENCHMARK_MAIN();
