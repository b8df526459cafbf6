// communique-loadgen: the load generator of the benchmark suite
// (scripts/bench.sh). Drives the REAL service binaries over gRPC (callback
// API, TLS, bearer tokens) and compares each RPC with the Echo floor that
// the same server serves behind --bench_echo.
//
//   1. --generate=N: ingests a synthetic corpus of N summits (3 articles per
//      summit, one IngestArticles stream) and waits until the query replica
//      has applied it (read-your-writes token).
//   2. Collects the stored summit names and picks an indexed ListSummits
//      filter with at least one full page.
//   3. For each concurrency level, runs rounds of GetSummit, Echo (the bytes
//      GetSummit returned for a summit of average size), ListSummits (page
//      of --page_size) and Echo (the bytes that page returned), interleaved,
//      each for --run_ms, all through a byte-level client (no parsing).
//   4. Prints absolutes (QPS, p50/p99/p99.9, server CPU-us per call read from
//      /proc/<pid>/stat) and ours/floor ratios as the median of per-round
//      ratios with their spread, each with PASS/MISS against issue 9.
//
// The last line is "== end of table" when every row was measured; the
// smoke test (ctest -L bench) checks for it. Exit 1 on any failure.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/echo.grpc.pb.h"
#include "communique/v1/change_feed.grpc.pb.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/rpc/process_exit.h"
#include "shared/rpc/server.h"
#include "shared/text/normalize.h"

ABSL_FLAG(std::string, query, "", "Query service address, host:port.");
ABSL_FLAG(std::string, ingest, "",
          "Ingest service address (needed with --generate).");
ABSL_FLAG(bool, insecure, false, "Plaintext channels.");
ABSL_FLAG(std::string, ca_file, "", "PEM CA of the servers' certificates.");
ABSL_FLAG(std::string, writer_token_file, "",
          "Bearer token file for the ingest calls.");
ABSL_FLAG(std::string, reader_token_file, "",
          "Bearer token file for the query calls (and Echo).");
ABSL_FLAG(int, generate, 0,
          "Ingest a synthetic corpus of this many summits first (0: none).");
ABSL_FLAG(std::string, concurrency, "1,4,16,64",
          "Closed-loop concurrency levels (calls in flight).");
ABSL_FLAG(int, rounds, 5, "Interleaved rounds per concurrency level.");
ABSL_FLAG(int, run_ms, 500, "Duration of one variant's run in a round.");
ABSL_FLAG(int, warmup_ms, 300, "Warm-up per variant before measuring.");
ABSL_FLAG(double, rate, 0,
          "Also run an open loop at this many calls/s (GetSummit vs Echo); "
          "0: skip; negative: 70% of the highest GetSummit QPS the closed "
          "loop measured in this run (issue 9's open-loop row).");
ABSL_FLAG(int, page_size, 50, "ListSummits page size.");
ABSL_FLAG(int, query_pid, 0, "Query server pid, for server CPU per call.");
ABSL_FLAG(int, min_calls, 20,
          "A run keeps going past --run_ms until this many calls completed.");
ABSL_FLAG(std::string, names_file, "",
          "Summit names to query (one per line, e.g. a built corpus's "
          "names.txt) instead of listing the whole store.");
ABSL_FLAG(std::string, replica_token_file, "",
          "Bearer token file for the change feed (Subscribe), with --streams.");
ABSL_FLAG(bool, streams, false,
          "Also measure WatchSummits and Subscribe replays against EchoStream "
          "(needs --generate).");
ABSL_FLAG(int, ingest_rounds, 0,
          "Also measure ingest against in-process extraction and raw "
          "WriteBatch floors in this many rounds (needs --ingest_dir).");
ABSL_FLAG(int, ingest_batch, 300, "Articles ingested per ingest round.");
ABSL_FLAG(std::string, ingest_dir, "",
          "The ingest service's data directory, opened read-only to size the "
          "raw WriteBatch floor (keys and bytes per stored article).");
ABSL_FLAG(std::string, lag_rate, "",
          "Also measure replication lag with an open loop of each of these "
          "many ingests/s, comma-separated (empty: skip). The issue-5 target "
          "(p99 < 50 ms) applies at 500/s; other rates are for information.");
ABSL_FLAG(int, lag_ms, 5000, "Duration of the replication-lag run.");
ABSL_FLAG(std::string, export_dir, "",
          "Write the listed summits (summits.jsonl, proto3 JSON) and the "
          "ListSummits filter used (filter.txt) here, for the PostgreSQL "
          "comparison.");
ABSL_FLAG(std::string, profile_variant, "",
          "Profiling aid: after the set-up, run only this variant (get, "
          "echo_get, list or echo_list) at the first --concurrency level for "
          "--run_ms, print its QPS and server CPU per call, and exit (no "
          "table). Record the server meanwhile, e.g. perf record -p.");
ABSL_FLAG(std::string, summary_file, "",
          "Append key=value figures here (scripts/bench.sh's scale table).");

namespace communique::bench {
namespace {

namespace api = ::communique::v1;

using Clock = std::chrono::steady_clock;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "loadgen: %s\n", what.c_str());
  // Channels may be open: leave without exit()'s clean-up racing gRPC.
  rpc::ExitNow(1);
}

// ---------------------------------------------------------------- corpus

constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// The merge_scaling_benchmark corpus, shaped like news: every session is reported
// by three articles in different phrasings (one without the city).
struct Corpus {
  std::vector<std::pair<std::string, std::string>> bodies;  // org, body
  std::vector<std::string> cities;

  std::string Article(int i) const {
    const int session = i / 3;
    const int cluster = session / 2;
    const auto& [organization, body] = bodies[cluster % bodies.size()];
    const int year = 2016 + (cluster / static_cast<int>(bodies.size())) % 84;
    const int month = 1 + (session % 2) * 6 + (cluster % 5);
    const int day = 2 + (session * 7) % 26;  // never January 1 (a handover)
    const std::string& city = cities[(session * 13) % cities.size()];
    switch (i % 3) {
      case 0:
        return absl::StrFormat(
            "%s, %s %d - The %s of the %s met in %s on %s %d, %d. The "
            "leaders adopted %d documents and discussed terrorism.\n",
            city, kMonths[month - 1], day, body, organization, city,
            kMonths[month - 1], day, year, 3 + session % 9);
      case 1:
        return absl::StrFormat(
            "A session of the %s of the %s was held in %s on %d %s %d. "
            "Participants signed a joint statement on regional security.\n",
            body, organization, city, day, kMonths[month - 1], year);
      default:
        return absl::StrFormat(
            "The %s of the %s convened on %s %d, %d, and adopted %d "
            "documents.\n",
            body, organization, kMonths[month - 1], day, year,
            3 + (session + 1) % 9);
    }
  }
};

// The corpus and the extractor that dates it (kept for the in-process
// extraction floor of the ingest rows).
struct Tools {
  std::shared_ptr<const gazetteer::Gazetteer> gazetteer;
  std::unique_ptr<extract::Extractor> extractor;
  Corpus corpus;
};

const Tools& GetTools() {
  static const Tools* tools = [] {
    auto* t = new Tools;
    auto gazetteer = gazetteer::Gazetteer::LoadDefault();
    if (!gazetteer.ok()) Fail("gazetteer does not load");
    t->gazetteer = *gazetteer;
    auto extractor = extract::Extractor::Create(t->gazetteer);
    if (!extractor.ok()) Fail("extractor does not build");
    t->extractor = *std::move(extractor);
    Corpus& corpus = t->corpus;
    // Only bodies whose sessions the extractor dates from such text.
    for (const auto& organization : t->gazetteer->data().organizations()) {
      for (const auto& body : organization.bodies()) {
        const std::string probe = absl::StrFormat(
            "The %s of the %s met in Minsk on March 8, 2030.\n", body.name(),
            organization.name());
        extract::ArticleContext context;
        context.article_name = "articles/probe";
        api::ArticleExtraction found = t->extractor->Extract(probe, context);
        if (found.summits_size() == 1 &&
            found.summits(0).date().year() == 2030) {
          corpus.bodies.emplace_back(organization.name(), body.name());
        }
      }
    }
    for (const auto& city : t->gazetteer->data().cities()) {
      corpus.cities.push_back(city.name());
    }
    if (corpus.bodies.empty() || corpus.cities.empty()) Fail("empty corpus");
    return t;
  }();
  return *tools;
}

// Ingests articles [first, first + count) of the corpus on one
// IngestArticles stream; returns the last consistency token and sets
// *seconds to the wall time.
std::string IngestRange(api::IngestService::Stub* ingest, int first, int count,
                        double* seconds) {
  const Corpus& corpus = GetTools().corpus;
  grpc::ClientContext context;
  auto stream = ingest->IngestArticles(&context);
  const auto start = Clock::now();
  std::thread writer([&] {
    for (int i = first; i < first + count; ++i) {
      api::IngestArticleRequest request;
      request.mutable_article()->set_text(corpus.Article(i));
      request.mutable_article()->set_external_id(absl::StrCat("bench-", i));
      request.set_request_id(absl::StrCat(i));
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  api::IngestArticleResponse response;
  std::string token;
  int received = 0;
  while (stream->Read(&response)) {
    ++received;
    if (!response.consistency_token().empty()) {
      token = response.consistency_token();
    }
  }
  writer.join();
  grpc::Status status = stream->Finish();
  if (!status.ok() || received != count) {
    Fail(absl::StrCat("ingest: ", received, "/", count,
                      " acknowledged: ", status.error_message()));
  }
  *seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return token;
}

// Ingests `summits` summits' articles on one stream; returns the last
// consistency token.
std::string Generate(api::IngestService::Stub* ingest, int summits) {
  const int articles = 3 * summits;
  double seconds = 0;
  std::string token = IngestRange(ingest, 0, articles, &seconds);
  std::printf("corpus: %d summits, %d articles ingested in %.1f s (%.0f "
              "articles/s, one stream, end to end over gRPC)\n",
              summits, articles, seconds, articles / seconds);
  return token;
}

// --------------------------------------------------------------- running

// Starts one call; calls `done(ok, error)` when it completes (on a gRPC
// thread).
using DoneFn = std::function<void(bool, const std::string&)>;
using IssueFn = std::function<void(DoneFn)>;

template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
};

// A failed call's message; calls the server shed under overload
// (RESOURCE_EXHAUSTED) are marked so that runs count them apart.
constexpr absl::string_view kShed = "shed: ";
std::string ErrorText(const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
    return absl::StrCat(kShed, status.error_message());
  }
  return status.error_message();
}

// Server CPU time (user + system) of `pid` in microseconds; 0 if unknown.
double ProcessCpuMicros(int pid) {
  if (pid <= 0) return 0;
  std::ifstream file(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(file)),
                   std::istreambuf_iterator<char>());
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::vector<std::string> fields =
      absl::StrSplit(stat.substr(paren + 2), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  if (fields.size() < 13) return 0;
  double utime = 0, stime = 0;
  if (!absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return 0;
  }
  return (utime + stime) * 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct RunResult {
  std::vector<double> latencies_us;  // sorted
  int errors = 0;
  int shed = 0;  // refused by the server's overload shedding
  std::string first_error;
  double seconds = 0;
  double server_cpu_us = 0;

  double Percentile(double p) const {
    if (latencies_us.empty()) return 0;
    size_t index = static_cast<size_t>(p * (latencies_us.size() - 1) + 0.5);
    return latencies_us[index];
  }
  double Mean() const {
    double sum = 0;
    for (double v : latencies_us) sum += v;
    return latencies_us.empty() ? 0 : sum / latencies_us.size();
  }
  double Qps() const {
    return seconds > 0 ? latencies_us.size() / seconds : 0;
  }
  double CpuPerCall() const {
    return latencies_us.empty() ? 0 : server_cpu_us / latencies_us.size();
  }
};

// What every run shares: the results and when to stop.
struct RunState {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<double> latencies_us;
  int errors = 0;
  std::string first_error;
  int active = 0;
  Clock::time_point deadline;
  int min_calls = 0;

  int shed = 0;

  // Returns true when the server shed the call.
  bool Record(Clock::time_point start, bool ok, const std::string& error) {
    const double us =
        std::chrono::duration<double, std::micro>(Clock::now() - start)
            .count();
    std::lock_guard<std::mutex> lock(mu);
    if (ok) {
      latencies_us.push_back(us);
    } else if (absl::StartsWith(error, kShed)) {
      ++shed;
      return true;
    } else {
      if (errors++ == 0) first_error = error;
    }
    return false;
  }
  bool KeepGoing() {
    std::lock_guard<std::mutex> lock(mu);
    return errors < 100 && (Clock::now() < deadline ||
                            static_cast<int>(latencies_us.size()) < min_calls);
  }
  void Finished() {
    std::lock_guard<std::mutex> lock(mu);
    if (--active == 0) cv.notify_all();
  }
};

// Closed loop: `concurrency` calls in flight; each completion starts the
// next until the deadline.
RunResult RunClosedLoop(const IssueFn& issue, int concurrency,
                        std::chrono::milliseconds duration, int pid,
                        int min_calls) {
  auto state = std::make_shared<RunState>();
  state->deadline = Clock::now() + duration;
  state->min_calls = min_calls;
  state->active = concurrency;
  state->latencies_us.reserve(1 << 16);
  const double cpu_before = ProcessCpuMicros(pid);
  const auto start = Clock::now();
  // One loop per slot; a completion fires the slot's next call.
  std::function<void()> fire;
  fire = [&issue, state, &fire] {
    const auto call_start = Clock::now();
    issue([state, call_start, &fire](bool ok, const std::string& error) {
      // Shed: retry with backoff, as the server asks.
      if (state->Record(call_start, ok, error)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (state->KeepGoing()) {
        fire();
      } else {
        state->Finished();
      }
    });
  };
  for (int i = 0; i < concurrency; ++i) fire();
  {
    std::unique_lock<std::mutex> lock(state->mu);
    state->cv.wait(lock, [&] { return state->active == 0; });
  }
  RunResult result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.server_cpu_us = ProcessCpuMicros(pid) - cpu_before;
  std::lock_guard<std::mutex> lock(state->mu);
  result.latencies_us = std::move(state->latencies_us);
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  result.errors = state->errors;
  result.shed = state->shed;
  result.first_error = state->first_error;
  return result;
}

// Open loop: a call every 1/rate s whatever the completions; latency counts
// from the scheduled start, so queueing shows (no coordinated omission).
RunResult RunOpenLoop(const IssueFn& issue, double rate,
                      std::chrono::milliseconds duration, int pid) {
  auto state = std::make_shared<RunState>();
  state->active = 1;  // the issuing thread
  const double cpu_before = ProcessCpuMicros(pid);
  const auto start = Clock::now();
  const auto end = start + duration;
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / rate));
  for (auto next = start; next < end; next += interval) {
    std::this_thread::sleep_until(next);
    {
      std::lock_guard<std::mutex> lock(state->mu);
      if (state->active > 20000) break;  // hopelessly overloaded
      ++state->active;
    }
    issue([state, next](bool ok, const std::string& error) {
      state->Record(next, ok, error);
      state->Finished();
    });
  }
  state->Finished();
  {
    std::unique_lock<std::mutex> lock(state->mu);
    state->cv.wait(lock, [&] { return state->active == 0; });
  }
  RunResult result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.server_cpu_us = ProcessCpuMicros(pid) - cpu_before;
  std::lock_guard<std::mutex> lock(state->mu);
  result.latencies_us = std::move(state->latencies_us);
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  result.errors = state->errors;
  result.first_error = state->first_error;
  return result;
}

constexpr auto kCallTimeout = std::chrono::seconds(30);

// The read rows use a byte-level client: requests serialised once up
// front, responses kept as received bytes and never parsed, for our RPCs
// and their Echo floors alike. The rows measure the server; a typed client
// would parse a 239 KB ListSummitsResponse of 50 summits per call but only
// one bytes field for Echo, charging our side for client work.
using RawStub = grpc::GenericStub;
constexpr const char* kGetSummitMethod = "/communique.v1.QueryService/GetSummit";
constexpr const char* kListSummitsMethod =
    "/communique.v1.QueryService/ListSummits";
constexpr const char* kEchoMethod = "/communique.bench.v1.EchoService/Echo";

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

// Calls of `method`, cycling through the pre-serialised `requests`.
IssueFn RawCalls(RawStub* stub, std::string method,
                 std::shared_ptr<const std::vector<grpc::ByteBuffer>> requests) {
  auto next = std::make_shared<std::atomic<size_t>>(0);
  return [stub, method, requests, next](DoneFn done) {
    auto* call = new Call<grpc::ByteBuffer, grpc::ByteBuffer>;
    call->request = (*requests)[next->fetch_add(1) % requests->size()];
    call->context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    stub->UnaryCall(&call->context, method, grpc::StubOptions(), &call->request,
                    &call->response, [call, done](grpc::Status status) {
                      // Free the call first: `done` may let Main finish and exit.
                      delete call;
                      done(status.ok(), ErrorText(status));
                    });
  };
}

// One call of `method` with `request`; the response's bytes.
std::string RawCallOnce(RawStub* stub, const std::string& method,
                        const std::string& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  const grpc::ByteBuffer in = ToBuffer(request);
  grpc::ByteBuffer out;
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  grpc::Status result;
  stub->UnaryCall(&context, method, grpc::StubOptions(), &in, &out,
                  [&](grpc::Status status) {
                    std::lock_guard<std::mutex> lock(mu);
                    result = std::move(status);
                    finished = true;
                    cv.notify_all();
                  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return finished; });
  if (!result.ok()) Fail(method + ": " + result.error_message());
  return FromBuffer(out);
}

// Stores `bytes` in the Echo server under `key`; returns the serialised
// Echo request that returns them verbatim.
std::string EchoOf(v1::EchoService::Stub* echo, const std::string& key,
                   const std::string& bytes) {
  v1::SetPayloadRequest request;
  request.set_key(key);
  request.set_payload(bytes);
  v1::SetPayloadResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  grpc::Status status = echo->SetPayload(&context, request, &response);
  if (!status.ok()) Fail("Echo SetPayload: " + status.error_message());
  v1::EchoRequest echo_request;
  echo_request.set_payload_key(key);
  return echo_request.SerializeAsString();
}

// --------------------------------------------------------------- report

struct Spread {
  double median = 0, min = 0, max = 0;
};

Spread SpreadOf(std::vector<double> values) {
  Spread spread;
  if (values.empty()) return spread;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  spread.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  spread.min = values.front();
  spread.max = values.back();
  return spread;
}

double MedianOf(std::vector<double> values) { return SpreadOf(values).median; }

// key=value lines for --summary_file.
std::vector<std::string>& SummaryLines() {
  static auto* lines = new std::vector<std::string>;
  return *lines;
}
void Summary(const std::string& key, double value) {
  SummaryLines().push_back(absl::StrFormat("%s=%.6g", key, value));
}
std::string Slug(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// ---------------------------------------------------------------- streams

// One stream replay: messages and records received, their bytes, time.
struct StreamRun {
  int64_t messages = 0;
  int64_t records = 0;
  int64_t bytes = 0;
  double seconds = 0;
};

// One server-streaming call read as raw bytes (grpc::GenericStub): every
// stream row, ours and the EchoStream floor, is read this way, so the
// client does the same work per message for both: no message is parsed
// into objects; each is scanned field by field at the top level (below).
class RawStream {
 public:
  RawStream(const std::shared_ptr<grpc::Channel>& channel,
            const std::string& method,
            const google::protobuf::MessageLite& request)
      : stub_(channel) {
    call_ = stub_.PrepareCall(&context_, method, &queue_);
    call_->StartCall(Tag(1));
    Await(1, "start");
    const std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    call_->WriteLast(grpc::ByteBuffer(&slice, 1), grpc::WriteOptions(),
                     Tag(2));
    Await(2, "write");
  }
  ~RawStream() {
    if (!finished_) {
      context_.TryCancel();
      Finish();
    }
    queue_.Shutdown();
    void* tag;
    bool ok;
    while (queue_.Next(&tag, &ok)) {
    }
  }

  // The next message; false at the end of the stream.
  bool Read(grpc::ByteBuffer* message) {
    call_->Read(message, Tag(3));
    return Await(3, nullptr);
  }
  grpc::Status Finish() {
    grpc::Status status;
    call_->Finish(&status, Tag(4));
    Await(4, "finish");
    finished_ = true;
    return status;
  }
  void Cancel() { context_.TryCancel(); }

 private:
  static void* Tag(intptr_t n) { return reinterpret_cast<void*>(n); }
  // Waits for operation `n`; false if it failed (fatal when `what` names
  // it).
  bool Await(intptr_t n, const char* what) {
    void* tag = nullptr;
    bool ok = false;
    if (!queue_.Next(&tag, &ok) || tag != Tag(n)) Fail("raw stream: queue");
    if (!ok && what != nullptr && n != 4) {
      Fail(absl::StrCat("raw stream: ", what, " failed"));
    }
    return ok;
  }

  grpc::GenericStub stub_;
  grpc::ClientContext context_;
  grpc::CompletionQueue queue_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call_;
  bool finished_ = false;
};

// What a top-level scan of one streamed message found.
struct MessageScan {
  int64_t bytes = 0;
  // Occurrences of the repeated field asked for (events, changes, payload).
  int64_t records = 0;
  // The first varint field inside the last such record (an event's or a
  // change's sequence), 0 if none.
  uint64_t last_record_first_varint = 0;
  // The top-level varint field asked for (head_sequence,
  // through_sequence), 0 if absent.
  uint64_t varint = 0;
};

// Walks the message's top-level fields without building any object: counts
// field `records_field` and reads the first varint inside each (skipping
// the rest of it), and reads varint field `varint_field`. The same walk for
// every row.
MessageScan ScanMessage(grpc::ByteBuffer* message, int records_field,
                        int varint_field) {
  MessageScan scan;
  scan.bytes = static_cast<int64_t>(message->Length());
  grpc::ProtoBufferReader reader(message);
  google::protobuf::io::CodedInputStream in(&reader);
  while (uint32_t tag = in.ReadTag()) {
    const int number = static_cast<int>(tag >> 3);
    const auto type = static_cast<int>(tag & 7);
    if (type == 2) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) Fail("scan: bad length");
      if (number != records_field) {
        if (!in.Skip(static_cast<int>(length))) Fail("scan: short field");
        continue;
      }
      ++scan.records;
      const auto limit = in.PushLimit(static_cast<int>(length));
      uint64_t first = 0;
      const uint32_t inner = in.ReadTag();
      if (inner != 0 && (inner & 7) == 0) in.ReadVarint64(&first);
      scan.last_record_first_varint = first;
      if (!in.Skip(in.BytesUntilLimit())) Fail("scan: short record");
      in.PopLimit(limit);
    } else if (type == 0) {
      uint64_t value = 0;
      if (!in.ReadVarint64(&value)) Fail("scan: bad varint");
      if (number == varint_field) scan.varint = value;
    } else if (!in.Skip(type == 1 ? 8 : type == 5 ? 4 : -1)) {
      Fail("scan: bad field");
    }
  }
  if (!in.ConsumedEntireMessage()) Fail("scan: trailing bytes");
  return scan;
}

// The change feed from the beginning until sequence `head` has arrived.
StreamRun ReplaySubscribe(const std::shared_ptr<grpc::Channel>& feed,
                          uint64_t head) {
  StreamRun run;
  const auto start = Clock::now();
  RawStream stream(feed, "/communique.v1.ChangeFeedService/Subscribe",
                   api::SubscribeRequest());
  grpc::ByteBuffer message;
  uint64_t last = 0;
  while (last < head && stream.Read(&message)) {
    const MessageScan scan = ScanMessage(
        &message, api::SubscribeResponse::kEventsFieldNumber,
        api::SubscribeResponse::kHeadSequenceFieldNumber);
    if (scan.records == 0) continue;  // heartbeat
    ++run.messages;
    run.records += scan.records;
    run.bytes += scan.bytes;
    last = scan.last_record_first_varint;
  }
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stream.Cancel();
  stream.Finish().ok();  // CANCELLED, by design
  if (last < head) Fail(absl::StrCat("Subscribe ended at ", last, " < ", head));
  return run;
}

// WatchSummits replaying the replica's history after `from` until
// `head` is covered.
StreamRun ReplayWatch(const std::shared_ptr<grpc::Channel>& query,
                      uint64_t from, uint64_t head) {
  StreamRun run;
  api::WatchSummitsRequest request;
  request.set_start_sequence(from);
  const auto start = Clock::now();
  RawStream stream(query, "/communique.v1.QueryService/WatchSummits", request);
  grpc::ByteBuffer message;
  uint64_t through = 0;
  while (through < head && stream.Read(&message)) {
    const MessageScan scan = ScanMessage(
        &message, api::WatchSummitsResponse::kChangesFieldNumber,
        api::WatchSummitsResponse::kThroughSequenceFieldNumber);
    through = std::max<uint64_t>(through, scan.varint);
    if (scan.records == 0) continue;  // the confirmation
    ++run.messages;
    run.records += scan.records;
    run.bytes += scan.bytes;
  }
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stream.Cancel();
  grpc::Status status = stream.Finish();
  if (through < head) {
    Fail(absl::StrCat("WatchSummits ended at ", through, " < ", head, ": ",
                      status.error_message()));
  }
  return run;
}

// EchoStream of `count` messages of `bytes` bytes each.
StreamRun RunEchoStream(const std::shared_ptr<grpc::Channel>& echo,
                        int64_t count, int bytes) {
  StreamRun run;
  v1::EchoRequest request;
  request.set_count(static_cast<int32_t>(count));
  request.set_response_bytes(bytes);
  const auto start = Clock::now();
  RawStream stream(echo, "/communique.bench.v1.EchoService/EchoStream",
                   request);
  grpc::ByteBuffer message;
  while (stream.Read(&message)) {
    const MessageScan scan =
        ScanMessage(&message, v1::EchoResponse::kPayloadFieldNumber, 0);
    ++run.messages;
    run.bytes += scan.bytes;
  }
  grpc::Status status = stream.Finish();
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!status.ok() || run.messages != count) {
    Fail("EchoStream: " + status.error_message());
  }
  return run;
}

// ------------------------------------------------------- ingest floors

// The store's RocksDB options (shared/store/internal/db.h, as in
// rocksdb_floor_benchmark.cc; keep them in step).
rocksdb::Options StoreRocksOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_background_jobs = 2;
  options.keep_log_file_num = 4;
  options.max_open_files = 512;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(64 << 20);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.compression = rocksdb::kLZ4Compression;
  return options;
}

// Live keys and key+value bytes in every column family of the store in
// `dir` (opened read-only beside the running service).
void CountStore(const std::string& dir, int64_t* keys, int64_t* bytes) {
  std::vector<std::string> families;
  rocksdb::Options options = StoreRocksOptions();
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
    if (!rocksdb::DB::Open(StoreRocksOptions(), dir_, &raw).ok()) {
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

std::shared_ptr<grpc::Channel> Channel(const std::string& address,
                                       const std::string& token_file) {
  rpc::TlsConfig tls;
  tls.insecure = absl::GetFlag(FLAGS_insecure);
  tls.ca_file = absl::GetFlag(FLAGS_ca_file);
  tls.bearer_token_file = token_file;
  auto credentials = rpc::MakeChannelCredentials(tls);
  if (!credentials.ok()) {
    Fail(absl::StrCat("credentials: ", credentials.status().message()));
  }
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 << 20);
  return grpc::CreateCustomChannel(address, *credentials, args);
}

// Ratio row: prints it and returns 1 on a miss.
int RatioRow(const std::string& path, const std::vector<double>& ratios,
             bool at_most, double bound) {
  const Spread s = SpreadOf(ratios);
  Summary(absl::StrCat("ratio.", Slug(path)), s.median);
  std::string target = "-", verdict = "info";
  bool pass = true;
  if (bound > 0) {
    target = absl::StrFormat("%s%.2f", at_most ? "<=" : ">=", bound);
    pass = at_most ? s.median <= bound : s.median >= bound;
    verdict = pass ? "PASS" : "MISS";
  }
  std::printf("%-44s %7.2f %17s %8s %s\n", path.c_str(), s.median,
              absl::StrFormat("[%.2f..%.2f]", s.min, s.max).c_str(),
              target.c_str(), verdict.c_str());
  return pass ? 0 : 1;
}

uint64_t ParseToken(const std::string& token) {
  uint64_t sequence = 0;
  if (!absl::SimpleAtoi(token, &sequence) || sequence == 0) {
    Fail("needs --generate (a consistency token to replay up to)");
  }
  return sequence;
}

// WatchSummits (query replica) and Subscribe (ingest change feed) replays
// against EchoStream of the same message count and sizes on the same
// server. Returns the number of misses.
int MeasureStreams(const std::shared_ptr<grpc::Channel>& query,
                   const std::string& token, int rounds) {
  const uint64_t head = ParseToken(token);
  const std::string ingest = absl::GetFlag(FLAGS_ingest);
  auto feed = Channel(ingest, absl::GetFlag(FLAGS_replica_token_file));
  auto ingest_echo = Channel(ingest, absl::GetFlag(FLAGS_reader_token_file));
  // The replica keeps kWatchHistorySequences of history; stay inside it.
  const uint64_t from = head > 90000 ? head - 90000 : 1;
  std::vector<double> sub_ratio, watch_ratio, sub_rps, watch_rps, sub_echo_rps,
      watch_echo_rps;
  StreamRun sub, watch;
  for (int round = 0; round < rounds; ++round) {
    StreamRun sub_echo, watch_echo;
    auto subscribe = [&] {
      sub = ReplaySubscribe(feed, head);
      sub_echo = RunEchoStream(ingest_echo, sub.messages,
                               static_cast<int>(sub.bytes / sub.messages));
    };
    auto watch_run = [&] {
      watch = ReplayWatch(query, from, head);
      watch_echo = RunEchoStream(query, watch.messages,
                                 static_cast<int>(watch.bytes / watch.messages));
    };
    if (round % 2) {
      watch_run();
      subscribe();
    } else {
      subscribe();
      watch_run();
    }
    // Same records in the same messages: records/s ratio = time ratio.
    sub_ratio.push_back(sub_echo.seconds / sub.seconds);
    watch_ratio.push_back(watch_echo.seconds / watch.seconds);
    sub_rps.push_back(sub.records / sub.seconds);
    sub_echo_rps.push_back(sub.records / sub_echo.seconds);
    watch_rps.push_back(watch.records / watch.seconds);
    watch_echo_rps.push_back(watch.records / watch_echo.seconds);
  }
  std::printf("\n== streams: replays vs EchoStream of the same messages "
              "(median of %d rounds)\n", rounds);
  std::printf("Subscribe: %lld events in %lld messages (avg %lld B), %.0f "
              "events/s (%.1f MB/s); EchoStream same messages %.0f/s\n",
              static_cast<long long>(sub.records),
              static_cast<long long>(sub.messages),
              static_cast<long long>(sub.bytes / sub.messages),
              MedianOf(sub_rps), MedianOf(sub_rps) * sub.bytes / sub.records / 1e6,
              MedianOf(sub_echo_rps));
  std::printf("WatchSummits: %lld changes in %lld messages (avg %lld B), %.0f "
              "changes/s (%.1f MB/s); EchoStream same messages %.0f/s\n",
              static_cast<long long>(watch.records),
              static_cast<long long>(watch.messages),
              static_cast<long long>(watch.bytes / watch.messages),
              MedianOf(watch_rps),
              MedianOf(watch_rps) * watch.bytes / watch.records / 1e6,
              MedianOf(watch_echo_rps));
  Summary("abs.subscribe.records_per_s", MedianOf(sub_rps));
  Summary("abs.watch.records_per_s", MedianOf(watch_rps));
  int misses = 0;
  misses += RatioRow("Subscribe records/s / EchoStream", sub_ratio, false, 0.8);
  misses += RatioRow("WatchSummits records/s / EchoStream", watch_ratio, false,
                     0.8);
  return misses;
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

int Main() {
  const std::string query_address = absl::GetFlag(FLAGS_query);
  if (query_address.empty()) Fail("--query is required");
  std::vector<int> levels;
  for (absl::string_view level :
       absl::StrSplit(absl::GetFlag(FLAGS_concurrency), ',')) {
    int c = 0;
    if (!absl::SimpleAtoi(level, &c) || c <= 0) Fail("bad --concurrency");
    levels.push_back(c);
  }
  const int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  const std::chrono::milliseconds run_time(absl::GetFlag(FLAGS_run_ms));
  const std::chrono::milliseconds warmup(absl::GetFlag(FLAGS_warmup_ms));
  const int pid = absl::GetFlag(FLAGS_query_pid);
  const int min_calls = absl::GetFlag(FLAGS_min_calls);

  auto query_channel =
      Channel(query_address, absl::GetFlag(FLAGS_reader_token_file));
  auto query = api::QueryService::NewStub(query_channel);
  auto echo = v1::EchoService::NewStub(query_channel);

  std::string token;
  if (absl::GetFlag(FLAGS_generate) > 0) {
    auto ingest = api::IngestService::NewStub(
        Channel(absl::GetFlag(FLAGS_ingest),
                absl::GetFlag(FLAGS_writer_token_file)));
    token = Generate(ingest.get(), absl::GetFlag(FLAGS_generate));
  }

  // The summits to query: every stored one (read-your-writes: waits for the
  // replica to apply the corpus), or a sample read from --names_file.
  std::vector<api::Summit> summits;
  const auto wait_start = Clock::now();
  const std::string names_file = absl::GetFlag(FLAGS_names_file);
  if (!names_file.empty()) {
    std::ifstream in(names_file);
    std::string name;
    while (std::getline(in, name)) {
      if (name.empty()) continue;
      api::GetSummitRequest request;
      request.set_name(name);
      api::Summit summit;
      while (true) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(30));
        grpc::Status status = query->GetSummit(&context, request, &summit);
        if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
            Clock::now() - wait_start < std::chrono::seconds(300)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          continue;
        }
        if (!status.ok()) Fail("GetSummit " + name + ": " + status.error_message());
        break;
      }
      summits.push_back(std::move(summit));
    }
    if (summits.empty()) Fail("no names in " + names_file);
    std::printf("read %zu summits named in %s in %.1f s\n", summits.size(),
                names_file.c_str(),
                std::chrono::duration<double>(Clock::now() - wait_start).count());
  } else {
    std::string page_token;
    while (true) {
      api::ListSummitsRequest request;
      request.set_page_size(1000);
      request.set_page_token(page_token);
      request.set_consistency_token(token);
      api::ListSummitsResponse response;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(300));
      grpc::Status status = query->ListSummits(&context, request, &response);
      // A replica refuses reads until it has caught up with the feed at start.
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
          Clock::now() - wait_start < std::chrono::seconds(120)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      if (!status.ok()) Fail("ListSummits: " + status.error_message());
      for (auto& summit : *response.mutable_summits()) {
        summits.push_back(std::move(summit));
      }
      page_token = response.next_page_token();
      if (page_token.empty()) break;
    }
    if (summits.empty()) Fail("the store holds no summits");
    std::printf("replica caught up and listed %zu summits in %.1f s\n",
                summits.size(),
                std::chrono::duration<double>(Clock::now() - wait_start).count());
  }

  auto names = std::make_shared<std::vector<std::string>>();
  size_t summit_bytes = 0;
  std::map<std::string, int> per_organization;
  std::map<int, int> per_year;
  for (const api::Summit& summit : summits) {
    names->push_back(summit.name());
    summit_bytes += summit.ByteSizeLong();
    ++per_organization[summit.organization()];
    ++per_year[summit.date().year()];
  }
  // Spread GetSummit over the store, not in key order.
  std::shuffle(names->begin(), names->end(), std::mt19937(42));
  // Echo's GetSummit floor returns the bytes of the summit closest to the
  // average size, as GetSummit returned them.
  const size_t mean_bytes = summit_bytes / summits.size();
  const api::Summit* typical = &summits.front();
  for (const api::Summit& summit : summits) {
    auto distance = [mean_bytes](size_t n) {
      return n > mean_bytes ? n - mean_bytes : mean_bytes - n;
    };
    if (distance(summit.ByteSizeLong()) < distance(typical->ByteSizeLong())) {
      typical = &summit;
    }
  }
  RawStub raw(query_channel);
  auto get_requests = std::make_shared<std::vector<grpc::ByteBuffer>>();
  for (const std::string& name : *names) {
    api::GetSummitRequest request;
    request.set_name(name);
    get_requests->push_back(ToBuffer(request.SerializeAsString()));
  }
  std::string get_response;
  {
    api::GetSummitRequest request;
    request.set_name(typical->name());
    get_response =
        RawCallOnce(&raw, kGetSummitMethod, request.SerializeAsString());
  }
  const int get_bytes = static_cast<int>(get_response.size());

  // The indexed filter with the most matches: an organisation or a year.
  api::ListSummitsRequest list_request;
  list_request.set_page_size(absl::GetFlag(FLAGS_page_size));
  auto best_org = std::max_element(
      per_organization.begin(), per_organization.end(),
      [](const auto& a, const auto& b) { return a.second < b.second; });
  auto best_year = std::max_element(
      per_year.begin(), per_year.end(),
      [](const auto& a, const auto& b) { return a.second < b.second; });
  std::string filter_text;
  if (best_org->second >= best_year->second || best_year->first == 0) {
    list_request.mutable_filter()->set_organization(best_org->first);
    filter_text = absl::StrCat("organization=", best_org->first, " (",
                               best_org->second, " matches)");
  } else {
    list_request.mutable_filter()->set_year(best_year->first);
    filter_text = absl::StrCat("year=", best_year->first, " (",
                               best_year->second, " matches)");
  }
  const std::string list_response = RawCallOnce(
      &raw, kListSummitsMethod, list_request.SerializeAsString());
  const int list_bytes = static_cast<int>(list_response.size());
  int page_items = 0;
  {
    api::ListSummitsResponse response;
    if (!response.ParseFromString(list_response)) Fail("ListSummits: bad bytes");
    page_items = response.summits_size();
  }
  const std::string export_dir = absl::GetFlag(FLAGS_export_dir);
  if (!export_dir.empty()) {
    std::ofstream jsonl(export_dir + "/summits.jsonl");
    google::protobuf::util::JsonPrintOptions json_options;
    for (const api::Summit& summit : summits) {
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(summit, &json,
                                                       json_options)
               .ok()) {
        Fail("summit does not print as JSON");
      }
      jsonl << json << "\n";
    }
    std::ofstream filter(export_dir + "/filter.txt");
    if (!list_request.filter().organization().empty()) {
      filter << "organization=" << list_request.filter().organization() << "\n";
    } else {
      filter << "year=" << list_request.filter().year() << "\n";
    }
    filter << "page_size=" << list_request.page_size() << "\n";
  }
  std::printf("GetSummit: %zu names, average %zu B; Echo returns %s's %d B "
              "as GetSummit did; ListSummits: filter %s, page of %d holds %d "
              "summits, %d B, Echo returns those bytes; byte-level client, "
              "no response parsed\n",
              names->size(), mean_bytes, typical->name().c_str(), get_bytes,
              filter_text.c_str(), list_request.page_size(), page_items,
              list_bytes);

  struct Variant {
    std::string label;
    IssueFn issue;
  };
  auto one = [](const std::string& bytes) {
    return std::make_shared<const std::vector<grpc::ByteBuffer>>(
        std::vector<grpc::ByteBuffer>{ToBuffer(bytes)});
  };
  auto list_requests = one(list_request.SerializeAsString());
  auto echo_get = one(EchoOf(echo.get(), "get", get_response));
  auto echo_list = one(EchoOf(echo.get(), "list", list_response));
  const std::vector<Variant> variants = {
      {"GetSummit", RawCalls(&raw, kGetSummitMethod, get_requests)},
      {absl::StrCat("Echo ", get_bytes, " B"),
       RawCalls(&raw, kEchoMethod, echo_get)},
      {"ListSummits", RawCalls(&raw, kListSummitsMethod, list_requests)},
      {absl::StrCat("Echo ", list_bytes, " B"),
       RawCalls(&raw, kEchoMethod, echo_list)},
  };
  for (const Variant& variant : variants) {
    RunResult warm = RunClosedLoop(variant.issue, 4, warmup, 0, 10);
    if (warm.errors > 0 || warm.latencies_us.empty()) {
      Fail(absl::StrCat(variant.label, " fails: ", warm.first_error));
    }
  }

  if (const std::string only = absl::GetFlag(FLAGS_profile_variant);
      !only.empty()) {
    const char* keys[] = {"get", "echo_get", "list", "echo_list"};
    auto at = std::find(std::begin(keys), std::end(keys), only);
    if (at == std::end(keys)) Fail("bad --profile_variant");
    const Variant& variant = variants[at - std::begin(keys)];
    RunResult r =
        RunClosedLoop(variant.issue, levels[0], run_time, pid, min_calls);
    std::printf("profile: %s c=%d: %zu calls, %.0f QPS, p50 %.0f us, srv CPU "
                "%.1f us/call, %d errors\n",
                variant.label.c_str(), levels[0], r.latencies_us.size(),
                r.Qps(), r.Percentile(0.5), r.CpuPerCall(), r.errors);
    return 0;
  }

  // results[c][variant] = one RunResult per round.
  std::map<int, std::vector<std::vector<RunResult>>> results;
  for (int c : levels) {
    auto& per_variant = results[c];
    per_variant.resize(variants.size());
    for (int round = 0; round < rounds; ++round) {
      // Alternate the order so neither side always runs first.
      for (size_t k = 0; k < variants.size(); ++k) {
        const size_t v = round % 2 ? variants.size() - 1 - k : k;
        RunResult result =
            RunClosedLoop(variants[v].issue, c, run_time, pid, min_calls);
        // A server shedding load (RESOURCE_EXHAUSTED once calls queue too
        // long) is reported, not fatal; a run without one success is.
        if (result.errors > 0) {
          if (result.latencies_us.empty()) {
            Fail(absl::StrCat(variants[v].label, " at c=", c, ": ",
                              result.errors, " errors, first: ",
                              result.first_error));
          }
          std::printf("note: %s at c=%d round %d: %d failed calls (first: "
                      "%s), latencies of the %zu that succeeded\n",
                      variants[v].label.c_str(), c, round, result.errors,
                      result.first_error.c_str(), result.latencies_us.size());
        }
        if (result.shed > 0) {
          std::printf("note: %s at c=%d round %d: the server shed %d calls "
                      "(RESOURCE_EXHAUSTED; retried after 10 ms)\n",
                      variants[v].label.c_str(), c, round, result.shed);
        }
        per_variant[v].push_back(std::move(result));
      }
    }
  }

  std::printf("\n== absolutes (median over %d rounds of %d ms each)\n", rounds,
              absl::GetFlag(FLAGS_run_ms));
  std::printf("%-18s %4s %9s %9s %9s %9s %12s %8s\n", "variant", "c", "QPS",
              "p50 us", "p99 us", "p99.9 us", "srv CPU us", "calls");
  for (int c : levels) {
    for (size_t v = 0; v < variants.size(); ++v) {
      std::vector<double> qps, p50, p99, p999, cpu, calls, mean;
      for (const RunResult& r : results[c][v]) {
        qps.push_back(r.Qps());
        p50.push_back(r.Percentile(0.5));
        p99.push_back(r.Percentile(0.99));
        p999.push_back(r.Percentile(0.999));
        mean.push_back(r.Mean());
        cpu.push_back(r.CpuPerCall());
        calls.push_back(r.latencies_us.size());
      }
      const char* keys[] = {"get", "echo_get", "list", "echo_list"};
      Summary(absl::StrCat("abs.", keys[v], ".c", c, ".p50_us"), MedianOf(p50));
      Summary(absl::StrCat("abs.", keys[v], ".c", c, ".p99_us"), MedianOf(p99));
      Summary(absl::StrCat("abs.", keys[v], ".c", c, ".qps"), MedianOf(qps));
      Summary(absl::StrCat("abs.", keys[v], ".c", c, ".mean_us"), MedianOf(mean));
      std::printf("%-18s %4d %9.0f %9.0f %9.0f %9.0f %12s %8.0f\n",
                  variants[v].label.c_str(), c, MedianOf(qps), MedianOf(p50),
                  MedianOf(p99), MedianOf(p999),
                  pid > 0 ? absl::StrFormat("%.0f", MedianOf(cpu)).c_str()
                          : "n/a",
                  MedianOf(calls));
    }
  }

  // Ratio rows: ours over floor, per round, then median and spread.
  struct Target {
    std::string path;
    int c;
    std::function<double(const RunResult&)> metric;
    size_t ours, floor;
    bool at_most;  // ratio <= bound passes; else ratio >= bound passes
    double bound;  // 0: informational
  };
  auto p50 = [](const RunResult& r) { return r.Percentile(0.5); };
  auto p99 = [](const RunResult& r) { return r.Percentile(0.99); };
  auto qps = [](const RunResult& r) { return r.Qps(); };
  auto mean = [](const RunResult& r) { return r.Mean(); };
  auto cpu = [](const RunResult& r) { return r.CpuPerCall(); };
  std::vector<Target> targets;
  for (int c : levels) {
    if (c == 1) {
      targets.push_back({"GetSummit p50 / Echo p50", c, p50, 0, 1, true, 1.25});
      targets.push_back({"GetSummit p99 / Echo p99", c, p99, 0, 1, true, 1.5});
    } else {
      targets.push_back({"GetSummit p50 / Echo p50", c, p50, 0, 1, true, 0});
    }
    targets.push_back({"GetSummit QPS / Echo QPS", c, qps, 0, 1, false,
                       c >= 16 ? 0.8 : 0});
    targets.push_back({"ListSummits p50 / Echo same-bytes p50", c, p50, 2, 3,
                       true, 1.3});
    targets.push_back({"GetSummit mean / Echo mean", c, mean, 0, 1, true, 0});
    targets.push_back({"ListSummits mean / Echo same-bytes mean", c, mean, 2,
                       3, true, 0});
    if (pid > 0) {
      targets.push_back(
          {"GetSummit srv CPU / Echo srv CPU", c, cpu, 0, 1, true, 0});
      targets.push_back(
          {"ListSummits srv CPU / Echo srv CPU", c, cpu, 2, 3, true, 0});
    }
  }
  std::printf("\n== ratios ours/floor (median of per-round ratios [min..max])\n");
  std::printf("%-38s %4s %7s %17s %8s %s\n", "path", "c", "ratio", "spread",
              "target", "verdict");
  int misses = 0;
  for (const Target& t : targets) {
    std::vector<double> ratios;
    const auto& ours = results[t.c][t.ours];
    const auto& floor = results[t.c][t.floor];
    for (int round = 0; round < rounds; ++round) {
      const double f = t.metric(floor[round]);
      if (f > 0) ratios.push_back(t.metric(ours[round]) / f);
    }
    const Spread s = SpreadOf(ratios);
    Summary(absl::StrCat("ratio.", Slug(t.path), ".c", t.c), s.median);
    std::string target = "-", verdict = "info";
    if (t.bound > 0) {
      target = absl::StrFormat("%s%.2f", t.at_most ? "<=" : ">=", t.bound);
      const bool pass = t.at_most ? s.median <= t.bound : s.median >= t.bound;
      verdict = pass ? "PASS" : "MISS";
      if (!pass) ++misses;
    }
    std::printf("%-38s %4d %7.2f %17s %8s %s\n", t.path.c_str(), t.c, s.median,
                absl::StrFormat("[%.2f..%.2f]", s.min, s.max).c_str(),
                target.c_str(), verdict.c_str());
  }

  double rate = absl::GetFlag(FLAGS_rate);
  if (rate < 0) {
    // 70% of the closed-loop maximum: the best median GetSummit QPS over
    // the concurrency levels.
    double max_qps = 0;
    for (const auto& [c, per_variant] : results) {
      std::vector<double> qps;
      for (const RunResult& r : per_variant[0]) qps.push_back(r.Qps());
      max_qps = std::max(max_qps, MedianOf(qps));
    }
    rate = 0.7 * max_qps;
  }
  if (rate > 0) {
    std::printf("\n== open loop at %.0f calls/s (latency from scheduled start)\n",
                rate);
    std::vector<double> ratios;
    std::vector<double> ours_p99, floor_p99;
    for (int round = 0; round < rounds; ++round) {
      RunResult ours = RunOpenLoop(variants[0].issue, rate, run_time, pid);
      RunResult floor = RunOpenLoop(variants[1].issue, rate, run_time, pid);
      if (ours.errors > 0 || floor.errors > 0) Fail("open loop errors");
      ours_p99.push_back(ours.Percentile(0.99));
      floor_p99.push_back(floor.Percentile(0.99));
      if (floor.Percentile(0.99) > 0) {
        ratios.push_back(ours.Percentile(0.99) / floor.Percentile(0.99));
      }
    }
    const Spread s = SpreadOf(ratios);
    const bool pass = s.median <= 2.0;
    if (!pass) ++misses;
    std::printf("GetSummit p99 %.0f us, Echo p99 %.0f us; ratio %.2f "
                "[%.2f..%.2f] target <=2.00 %s\n",
                MedianOf(ours_p99), MedianOf(floor_p99), s.median, s.min,
                s.max, pass ? "PASS" : "MISS");
  }
  if (absl::GetFlag(FLAGS_streams)) {
    misses += MeasureStreams(query_channel, token, rounds);
  }
  if (absl::GetFlag(FLAGS_ingest_rounds) > 0) {
    misses += MeasureIngest(absl::GetFlag(FLAGS_generate));
  }
  int lag_run = 0;
  for (absl::string_view text :
       absl::StrSplit(absl::GetFlag(FLAGS_lag_rate), ',', absl::SkipEmpty())) {
    double rate = 0;
    if (!absl::SimpleAtod(text, &rate) || rate <= 0) Fail("bad --lag_rate");
    misses += MeasureLag(query.get(), absl::GetFlag(FLAGS_generate), rate,
                         lag_run++);
  }
  std::printf("\ntargets missed: %d\n== end of table\n", misses);
  const std::string summary_file = absl::GetFlag(FLAGS_summary_file);
  if (!summary_file.empty()) {
    std::ofstream out(summary_file, std::ios::app);
    for (const std::string& line : SummaryLines()) out << line << "\n";
  }
  return 0;
}

}  // namespace
}  // namespace communique::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "load generator of the benchmark suite; run it through "
      "scripts/bench.sh");
  absl::ParseCommandLine(argc, argv);
  communique::rpc::HoldGrpcForProcess();
  communique::rpc::ExitProcess(communique::bench::Main());
}
