// Internal to communique-loadgen (bench/loadgen/): what its pieces share.
// The program (see main.cc for what it measures) is split by job: corpus.cc
// (the synthetic corpus and its ingest), client.cc (channels and the
// byte-level client), load_loop.cc (closed and open loops), report.cc
// (medians, ratio rows, the summary file), and one file per bench family:
// reads.cc (GetSummit / ListSummits vs Echo), streams.cc (WatchSummits /
// Subscribe vs EchoStream), ingest.cc (ingest rows, floors and replication
// lag). Single-process tool: everything here is called from main's thread
// unless it says otherwise.
#pragma once

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
#include "absl/flags/declare.h"
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
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/rpc/server.h"
#include "shared/store/rocksdb_options.h"
#include "shared/text/normalize.h"

ABSL_DECLARE_FLAG(std::string, query);
ABSL_DECLARE_FLAG(std::string, ingest);
ABSL_DECLARE_FLAG(bool, insecure);
ABSL_DECLARE_FLAG(std::string, ca_file);
ABSL_DECLARE_FLAG(std::string, writer_token_file);
ABSL_DECLARE_FLAG(std::string, reader_token_file);
ABSL_DECLARE_FLAG(int, generate);
ABSL_DECLARE_FLAG(std::string, concurrency);
ABSL_DECLARE_FLAG(int, rounds);
ABSL_DECLARE_FLAG(int, run_ms);
ABSL_DECLARE_FLAG(int, warmup_ms);
ABSL_DECLARE_FLAG(double, rate);
ABSL_DECLARE_FLAG(int, page_size);
ABSL_DECLARE_FLAG(int, query_pid);
ABSL_DECLARE_FLAG(std::string, echo);
ABSL_DECLARE_FLAG(int, echo_pid);
ABSL_DECLARE_FLAG(int, min_calls);
ABSL_DECLARE_FLAG(std::string, names_file);
ABSL_DECLARE_FLAG(std::string, replica_token_file);
ABSL_DECLARE_FLAG(bool, streams);
ABSL_DECLARE_FLAG(int, ingest_rounds);
ABSL_DECLARE_FLAG(int, ingest_batch);
ABSL_DECLARE_FLAG(std::string, ingest_dir);
ABSL_DECLARE_FLAG(std::string, lag_rate);
ABSL_DECLARE_FLAG(int, lag_ms);
ABSL_DECLARE_FLAG(std::string, export_dir);
ABSL_DECLARE_FLAG(std::string, profile_variant);
ABSL_DECLARE_FLAG(std::string, summary_file);

namespace communique::bench::loadgen {

namespace api = ::communique::v1;

using Clock = std::chrono::steady_clock;

// Prints "loadgen: <what>" to stderr and exits 1.
[[noreturn]] void Fail(const std::string& what);

// ------------------------------------------------------------- corpus.cc

inline constexpr const char* kMonths[] = {
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

// The corpus (bodies the extractor dates, every gazetteer city) and the
// extractor; built on first use. Thread-safe.
const Tools& GetTools();

// Ingests articles [first, first + count) of the corpus on one
// IngestArticles stream; returns the last consistency token and sets
// *seconds to the wall time.
std::string IngestRange(api::IngestService::Stub* ingest, int first, int count,
                        double* seconds);

// Ingests `summits` summits' articles on one stream; returns the last
// consistency token.
std::string Generate(api::IngestService::Stub* ingest, int summits);

// ---------------------------------------------------------- load_loop.cc

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

// Marks the message of a call the server shed (RESOURCE_EXHAUSTED).
inline constexpr absl::string_view kShed = "shed: ";
// A failed call's message; calls the server shed under overload
// (RESOURCE_EXHAUSTED) are marked with kShed so that runs count them apart.
std::string ErrorText(const grpc::Status& status);

// Server CPU time (user + system) of `pid` in microseconds; 0 if unknown.
double ProcessCpuMicros(int pid);

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

// Closed loop: `concurrency` calls in flight; each completion starts the
// next until `duration` has passed and at least `min_calls` succeeded.
// Server CPU of `pid` (0: none) over the run.
RunResult RunClosedLoop(const IssueFn& issue, int concurrency,
                        std::chrono::milliseconds duration, int pid,
                        int min_calls);

// Open loop: a call every 1/rate s whatever the completions; latency counts
// from the scheduled start, so queueing shows (no coordinated omission).
RunResult RunOpenLoop(const IssueFn& issue, double rate,
                      std::chrono::milliseconds duration, int pid);

// ------------------------------------------------------------- client.cc

inline constexpr auto kCallTimeout = std::chrono::seconds(30);

// The read rows use a byte-level client: requests serialised once up
// front, responses kept as received bytes and never parsed, for our RPCs
// and their Echo floors alike. The rows measure the server; a typed client
// would parse a 239 KB ListSummitsResponse of 50 summits per call but only
// one bytes field for Echo, charging our side for client work.
using RawStub = grpc::GenericStub;
inline constexpr const char* kGetSummitMethod = "/communique.v1.QueryService/GetSummit";
inline constexpr const char* kListSummitsMethod =
    "/communique.v1.QueryService/ListSummits";
inline constexpr const char* kEchoMethod = "/communique.bench.v1.EchoService/Echo";

grpc::ByteBuffer ToBuffer(const std::string& bytes);
std::string FromBuffer(const grpc::ByteBuffer& buffer);

// Calls of `method`, cycling through the pre-serialised `requests`.
IssueFn RawCalls(RawStub* stub, std::string method,
                 std::shared_ptr<const std::vector<grpc::ByteBuffer>> requests);

// One call of `method` with `request`; the response's bytes (Fail on error).
std::string RawCallOnce(RawStub* stub, const std::string& method,
                        const std::string& request);

// Stores `bytes` in the Echo server under `key`; returns the serialised
// Echo request that returns them verbatim.
std::string EchoOf(v1::EchoService::Stub* echo, const std::string& key,
                   const std::string& bytes);

// A channel to `address` with --insecure / --ca_file and the bearer token
// of `token_file`.
std::shared_ptr<grpc::Channel> Channel(const std::string& address,
                                       const std::string& token_file);

// ------------------------------------------------------------- report.cc


struct Spread {
  double median = 0, min = 0, max = 0;
};
Spread SpreadOf(std::vector<double> values);
double MedianOf(std::vector<double> values);

// key=value lines for --summary_file.
std::vector<std::string>& SummaryLines();
void Summary(const std::string& key, double value);
// Lower-case alphanumerics of `text`, other runs as one '_'.
std::string Slug(absl::string_view text);

// Ratio row: prints it and returns 1 on a miss (`bound` 0: info only).
int RatioRow(const std::string& path, const std::vector<double>& ratios,
             bool at_most, double bound);

// ------------------------------------------------------ the bench families

// What the read rows need from main's set-up.
struct ReadSetup {
  std::shared_ptr<grpc::Channel> query_channel;
  std::shared_ptr<grpc::Channel> echo_channel;
  std::vector<int> levels;
  int rounds = 1;
  std::chrono::milliseconds run_time{0};
  std::chrono::milliseconds warmup{0};
  int min_calls = 0;
  // Servers' pids for server CPU per call (0: unknown).
  int query_pid = 0;
  int echo_pid = 0;
  // Consistency token of the generated corpus ("" without --generate).
  std::string token;
};

// reads.cc: GetSummit / ListSummits against Echo of the same bytes.
// Returns the misses, or -1 when --profile_variant ran one variant alone.
int MeasureReads(const ReadSetup& setup);

// streams.cc: the sequence in a consistency token (Fail without one).
uint64_t ParseToken(const std::string& token);
// streams.cc: WatchSummits and Subscribe replays against EchoStream of the
// same messages on the Echo floor. Returns the misses.
int MeasureStreams(const std::shared_ptr<grpc::Channel>& query,
                   const std::shared_ptr<grpc::Channel>& echo,
                   const std::string& token, int rounds);

// ingest.cc: ingest over gRPC against its in-process floors. Returns the
// misses.
int MeasureIngest(int generated_summits);
// ingest.cc: replication lag at `rate` ingests/s (run number `run`).
// Returns the misses.
int MeasureLag(api::QueryService::Stub* query, int generated_summits,
               double rate, int run);

}  // namespace communique::bench::loadgen
