#include "bench/loadgen/loadgen.h"

namespace communique::bench::loadgen {

// Live keys and key+value bytes in every column family of the store in
// `dir` (opened read-only beside the running service).
void CountStore(const std::string& dir, int64_t* keys, int64_t* bytes) {
  std::vector<std::string> families;
  rocksdb::Options options = store::StoreRocksDbOptions();
  options.create_if_missing = false;
  if (!rocksdb::DB::ListColumnFamilies(options, dir, &families).ok()) {
    Fail("cannot list the column families of " + dir);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& family : families) {
    descriptors.emplace_back(family, rocksdb::ColumnFamilyOptions(options));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::OpenForReadOnly(
      rocksdb::DBOptions(options), dir, descriptors, &handles, &raw);
  if (!status.ok()) Fail("read-only open of " + dir + ": " + status.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  *keys = *bytes = 0;
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), handle));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++*keys;
      *bytes += static_cast<int64_t>(it->key().size() + it->value().size());
    }
  }
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
}

// A scratch RocksDB with the store's options and WAL sync, for the raw
// WriteBatch floor of one article's commit.
class ScratchDb {
 public:
  ScratchDb() {
    char tmpl[] = "/tmp/communique_loadgen_wb_XXXXXX";
    dir_ = mkdtemp(tmpl);
    rocksdb::DB* raw = nullptr;
    if (!rocksdb::DB::Open(store::StoreRocksDbOptions(), dir_, &raw).ok()) {
      Fail("scratch RocksDB does not open");
    }
    db_.reset(raw);
  }
  ~ScratchDb() {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // `count` commits of `keys` keys holding `bytes` bytes in all; seconds.
  double Write(int count, int keys, int bytes) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    const int value_bytes = std::max(0, bytes / std::max(1, keys) - 32);
    const std::string value(value_bytes, 'v');
    const auto start = Clock::now();
    for (int i = 0; i < count; ++i) {
      rocksdb::WriteBatch batch;
      for (int k = 0; k < keys; ++k) {
        batch.Put(absl::StrFormat("k%02d/%012d/%017d", k, next_, k), value);
      }
      ++next_;
      if (!db_->Write(sync, &batch).ok()) Fail("scratch write failed");
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

 private:
  std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  int64_t next_ = 0;
};

// In-process normalisation + extraction of articles [first, first+count):
// what the ingest server spends before merging and writing; seconds.
double ExtractRange(int first, int count) {
  const Tools& tools = GetTools();
  const auto start = Clock::now();
  for (int i = first; i < first + count; ++i) {
    auto normalized = text::NormalizeArticleText(tools.corpus.Article(i));
    if (!normalized.ok()) Fail("normalisation failed");
    extract::ArticleContext context;
    context.article_name = absl::StrCat("articles/bench-", i);
    api::ArticleExtraction found = tools.extractor->Extract(*normalized, context);
    if (found.summits_size() == 0) Fail("synthetic article without a summit");
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Ingest over gRPC (one IngestArticles stream, WAL fsync on: the ingest
// service's default) against two in-process floors measured in the same
// rounds: normalisation + extraction of the same articles, and a raw
// RocksDB WriteBatch per article of the keys and bytes the ingest store
// holds per stored article, fsynced. Returns the number of misses.
int MeasureIngest(int generated_summits) {
  const std::string dir = absl::GetFlag(FLAGS_ingest_dir);
  if (dir.empty()) Fail("--ingest_rounds needs --ingest_dir");
  const int stored = 3 * generated_summits;
  if (stored <= 0) Fail("--ingest_rounds needs --generate");
  int64_t keys = 0, bytes = 0;
  CountStore(dir, &keys, &bytes);
  const int keys_per_article = static_cast<int>((keys + stored - 1) / stored);
  const int bytes_per_article = static_cast<int>(bytes / stored);
  auto ingest = api::IngestService::NewStub(Channel(
      absl::GetFlag(FLAGS_ingest), absl::GetFlag(FLAGS_writer_token_file)));
  ScratchDb scratch;
  const int batch = std::max(10, absl::GetFlag(FLAGS_ingest_batch));
  const int rounds = absl::GetFlag(FLAGS_ingest_rounds);
  std::vector<double> excl_ratio, e2e_ratio, rate, t_ingest, t_extract, t_write;
  for (int round = 0; round < rounds; ++round) {
    const int first = stored + round * batch;
    double ingest_s = 0, extract_s = 0, write_s = 0;
    if (round % 2) {
      write_s = scratch.Write(batch, keys_per_article, bytes_per_article);
      extract_s = ExtractRange(first, batch);
      IngestRange(ingest.get(), first, batch, &ingest_s);
    } else {
      IngestRange(ingest.get(), first, batch, &ingest_s);
      extract_s = ExtractRange(first, batch);
      write_s = scratch.Write(batch, keys_per_article, bytes_per_article);
    }
    excl_ratio.push_back(write_s / std::max(1e-9, ingest_s - extract_s));
    e2e_ratio.push_back((extract_s + write_s) / ingest_s);
    rate.push_back(batch / ingest_s);
    t_ingest.push_back(ingest_s * 1e6 / batch);
    t_extract.push_back(extract_s * 1e6 / batch);
    t_write.push_back(write_s * 1e6 / batch);
  }
  std::printf("\n== ingest over gRPC vs in-process floors (%d rounds of %d "
              "articles, WAL fsync on)\n", rounds, batch);
  std::printf("per article: ingest %.0f us end to end; extraction %.0f us; "
              "raw WriteBatch of %d keys / %d B (what the store holds per "
              "article) %.0f us\n",
              MedianOf(t_ingest), MedianOf(t_extract), keys_per_article,
              bytes_per_article, MedianOf(t_write));
  Summary("abs.ingest.articles_per_s", MedianOf(rate));
  Summary("abs.ingest.us_per_article", MedianOf(t_ingest));
  Summary("abs.extract.us_per_article", MedianOf(t_extract));
  Summary("abs.writebatch.us_per_article", MedianOf(t_write));
  int misses = 0;
  misses += RatioRow("ingest excl. extraction / raw WriteBatch", excl_ratio,
                     false, 0.7);
  misses += RatioRow("ingest articles/s / 1/(t_extract+t_write)", e2e_ratio,
                     false, 0.7);
  const double articles_per_s = MedianOf(rate);
  const bool pass = articles_per_s >= 1000;
  std::printf("%-44s %7.0f %17s %8s %s\n", "end-to-end ingest articles/s",
              articles_per_s,
              absl::StrFormat("[%.0f..%.0f]", SpreadOf(rate).min,
                              SpreadOf(rate).max).c_str(),
              ">=1000", pass ? "PASS" : "MISS");
  return misses + (pass ? 0 : 1);
}

// Replication lag: an open loop of unary IngestArticle calls at --lag_rate
// while a WatchSummits stream on the replica timestamps when each
// acknowledged sequence becomes visible there. Lag = visible - ack (0 when
// the watch saw it before the ack reached us). Returns the misses.
int MeasureLag(api::QueryService::Stub* query, int generated_summits,
               double rate, int run) {
  const auto duration = std::chrono::milliseconds(absl::GetFlag(FLAGS_lag_ms));
  auto ingest = api::IngestService::NewStub(Channel(
      absl::GetFlag(FLAGS_ingest), absl::GetFlag(FLAGS_writer_token_file)));
  const Corpus& corpus = GetTools().corpus;
  // Past the corpus and the ingest rounds.
  const int first = 3 * generated_summits + 200000 + run * 100000;

  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<uint64_t, Clock::time_point>> seen;  // through, when
  std::vector<std::pair<uint64_t, Clock::time_point>> acks;  // sequence, when
  int outstanding = 0, errors = 0;
  std::string first_error;
  bool confirmed = false;

  grpc::ClientContext watch_context;
  api::WatchSummitsRequest watch_request;
  auto reader = query->WatchSummits(&watch_context, watch_request);
  std::thread watcher([&] {
    api::WatchSummitsResponse response;
    while (reader->Read(&response)) {
      const auto now = Clock::now();
      std::lock_guard<std::mutex> lock(mu);
      if (!confirmed) {
        confirmed = true;
        cv.notify_all();
        continue;
      }
      seen.emplace_back(response.through_sequence(), now);
      cv.notify_all();
    }
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return confirmed; })) {
      Fail("WatchSummits did not confirm");
    }
  }

  const auto start = Clock::now();
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / rate));
  int sent = 0;
  for (auto next = start; next < start + duration; next += interval) {
    std::this_thread::sleep_until(next);
    auto* call = new Call<api::IngestArticleRequest, api::IngestArticleResponse>;
    const int i = first + sent++;
    call->request.mutable_article()->set_text(corpus.Article(i));
    call->request.mutable_article()->set_external_id(absl::StrCat("bench-", i));
    call->context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    {
      std::lock_guard<std::mutex> lock(mu);
      ++outstanding;
    }
    ingest->async()->IngestArticle(
        &call->context, &call->request, &call->response,
        [call, &mu, &cv, &acks, &outstanding, &errors,
         &first_error](grpc::Status status) {
          const auto now = Clock::now();
          uint64_t sequence = 0;
          const bool ok =
              status.ok() &&
              absl::SimpleAtoi(call->response.consistency_token(), &sequence);
          std::lock_guard<std::mutex> lock(mu);
          if (ok) {
            acks.emplace_back(sequence, now);
          } else if (errors++ == 0) {
            first_error = status.error_message();
          }
          delete call;
          --outstanding;
          cv.notify_all();
        });
  }
  const double send_seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  uint64_t max_ack = 0;
  double ack_seconds = 0;
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return outstanding == 0; });
    ack_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (const auto& [sequence, when] : acks) max_ack = std::max(max_ack, sequence);
    cv.wait_for(lock, std::chrono::seconds(30), [&] {
      return !seen.empty() && seen.back().first >= max_ack;
    });
  }
  watch_context.TryCancel();
  watcher.join();
  reader->Finish().ok();  // CANCELLED, by design
  if (errors > 0) Fail(absl::StrCat("lag run: ", errors, " ingest errors: ", first_error));

  std::vector<double> lags_ms;
  int never = 0;
  for (const auto& [sequence, acked] : acks) {
    auto it = std::lower_bound(
        seen.begin(), seen.end(), sequence,
        [](const auto& entry, uint64_t s) { return entry.first < s; });
    if (it == seen.end()) {
      ++never;
      continue;
    }
    lags_ms.push_back(std::max(
        0.0, std::chrono::duration<double, std::milli>(it->second - acked).count()));
  }
  std::sort(lags_ms.begin(), lags_ms.end());
  auto at = [&](double p) {
    return lags_ms.empty() ? 0 : lags_ms[static_cast<size_t>(p * (lags_ms.size() - 1) + 0.5)];
  };
  const double p99 = at(0.99);
  const bool has_target = rate == 500;
  const bool pass = p99 < 50 && never == 0;
  std::printf("\n== replication lag: open loop of %.0f ingests/s for %.1f s "
              "(unary IngestArticle; visible = a WatchSummits message on the "
              "replica covers the acknowledged sequence)\n",
              rate, send_seconds);
  std::printf("%zu acknowledged in %.1f s (%.0f/s), %d never seen; lag p50 "
              "%.1f ms, p99 %.1f ms, max %.1f ms; %s\n",
              acks.size(), ack_seconds, acks.size() / ack_seconds, never,
              at(0.5), p99, lags_ms.empty() ? 0 : lags_ms.back(),
              has_target ? (pass ? "target p99 < 50 ms PASS"
                                 : "target p99 < 50 ms MISS")
                         : "info (the target is at 500/s)");
  Summary(absl::StrCat("abs.lag", rate, ".p50_ms"), at(0.5));
  Summary(absl::StrCat("abs.lag", rate, ".p99_ms"), p99);
  return has_target && !pass ? 1 : 0;
}

}  // namespace communique::bench::loadgen
