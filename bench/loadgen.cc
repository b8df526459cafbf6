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
//   3. For each concurrency level, runs rounds of GetSummit, Echo (a typical
//      GetSummit's bytes), ListSummits (page of --page_size) and Echo (the
//      same bytes as that page), interleaved, each for --run_ms.
//   4. Prints absolutes (QPS, p50/p99/p99.9, server CPU-us per call read from
//      /proc/<pid>/stat) and ours/floor ratios as the median of per-round
//      ratios with their spread, each with PASS/MISS against issue 9.
//
// The last line is "== end of table" when every row was measured; the
// smoke test (ctest -L bench) checks for it. Exit 1 on any failure.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
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
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/echo.grpc.pb.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/rpc/server.h"

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
          "0: skip. Use about 70% of the closed-loop maximum.");
ABSL_FLAG(int, page_size, 50, "ListSummits page size.");
ABSL_FLAG(int, query_pid, 0, "Query server pid, for server CPU per call.");
ABSL_FLAG(int, min_calls, 20,
          "A run keeps going past --run_ms until this many calls completed.");

namespace communique::bench {
namespace {

namespace api = ::communique::v1;

using Clock = std::chrono::steady_clock;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "loadgen: %s\n", what.c_str());
  std::exit(1);
}

// ---------------------------------------------------------------- corpus

constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// The merge_scaling_tool corpus, shaped like news: every session is reported
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

Corpus BuildCorpus() {
  auto gazetteer = gazetteer::Gazetteer::LoadDefault();
  if (!gazetteer.ok()) Fail("gazetteer does not load");
  auto extractor = extract::Extractor::Create(*gazetteer);
  if (!extractor.ok()) Fail("extractor does not build");
  Corpus corpus;
  // Only bodies whose sessions the extractor dates from such text.
  for (const auto& organization : (*gazetteer)->data().organizations()) {
    for (const auto& body : organization.bodies()) {
      const std::string probe = absl::StrFormat(
          "The %s of the %s met in Minsk on March 8, 2030.\n", body.name(),
          organization.name());
      extract::ArticleContext context;
      context.article_name = "articles/probe";
      api::ArticleExtraction found = (*extractor)->Extract(probe, context);
      if (found.summits_size() == 1 && found.summits(0).date().year() == 2030) {
        corpus.bodies.emplace_back(organization.name(), body.name());
      }
    }
  }
  for (const auto& city : (*gazetteer)->data().cities()) {
    corpus.cities.push_back(city.name());
  }
  if (corpus.bodies.empty() || corpus.cities.empty()) Fail("empty corpus");
  return corpus;
}

// Ingests `summits` summits' articles on one stream; returns the last
// consistency token.
std::string Generate(api::IngestService::Stub* ingest, int summits) {
  const Corpus corpus = BuildCorpus();
  const int articles = 3 * summits;
  grpc::ClientContext context;
  auto stream = ingest->IngestArticles(&context);
  const auto start = Clock::now();
  std::thread writer([&] {
    for (int i = 0; i < articles; ++i) {
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
  if (!status.ok() || received != articles) {
    Fail(absl::StrCat("ingest: ", received, "/", articles,
                      " acknowledged: ", status.error_message()));
  }
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
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
  std::string first_error;
  double seconds = 0;
  double server_cpu_us = 0;

  double Percentile(double p) const {
    if (latencies_us.empty()) return 0;
    size_t index = static_cast<size_t>(p * (latencies_us.size() - 1) + 0.5);
    return latencies_us[index];
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

  void Record(Clock::time_point start, bool ok, const std::string& error) {
    const double us =
        std::chrono::duration<double, std::micro>(Clock::now() - start)
            .count();
    std::lock_guard<std::mutex> lock(mu);
    if (ok) {
      latencies_us.push_back(us);
    } else {
      if (errors++ == 0) first_error = error;
    }
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
      state->Record(call_start, ok, error);
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

IssueFn GetSummitCalls(api::QueryService::Stub* stub,
                       std::shared_ptr<const std::vector<std::string>> names) {
  auto next = std::make_shared<std::atomic<size_t>>(0);
  return [stub, names, next](DoneFn done) {
    auto* call = new Call<api::GetSummitRequest, api::Summit>;
    call->request.set_name((*names)[next->fetch_add(1) % names->size()]);
    call->context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    stub->async()->GetSummit(&call->context, &call->request, &call->response,
                             [call, done](grpc::Status status) {
                               // Free the call first: `done` may let Main finish and exit.
                               delete call;
                               done(status.ok(), status.error_message());
                             });
  };
}

IssueFn ListSummitsCalls(api::QueryService::Stub* stub,
                         api::ListSummitsRequest request) {
  return [stub, request](DoneFn done) {
    auto* call = new Call<api::ListSummitsRequest, api::ListSummitsResponse>;
    call->request = request;
    call->context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    stub->async()->ListSummits(&call->context, &call->request,
                               &call->response,
                               [call, done](grpc::Status status) {
                                 // Free the call first: `done` may let Main finish and exit.
                                 delete call;
                                 done(status.ok(), status.error_message());
                               });
  };
}

IssueFn EchoCalls(v1::EchoService::Stub* stub, int bytes) {
  return [stub, bytes](DoneFn done) {
    auto* call = new Call<v1::EchoRequest, v1::EchoResponse>;
    call->request.set_response_bytes(bytes);
    call->context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    stub->async()->Echo(&call->context, &call->request, &call->response,
                        [call, done](grpc::Status status) {
                          // Free the call first: `done` may let Main finish and exit.
                          delete call;
                          done(status.ok(), status.error_message());
                        });
  };
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

  // Every stored summit (read-your-writes: waits for the replica to apply
  // the corpus), to pick names and a filter from.
  std::vector<api::Summit> summits;
  const auto wait_start = Clock::now();
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
  const int get_bytes = static_cast<int>(summit_bytes / summits.size());

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
  int list_bytes = 0;
  int page_items = 0;
  {
    api::ListSummitsResponse response;
    grpc::ClientContext context;
    grpc::Status status = query->ListSummits(&context, list_request, &response);
    if (!status.ok()) Fail("ListSummits: " + status.error_message());
    list_bytes = static_cast<int>(response.ByteSizeLong());
    page_items = response.summits_size();
  }
  std::printf("GetSummit: %zu names, typical response %d B; ListSummits: "
              "filter %s, page of %d holds %d summits, %d B\n",
              names->size(), get_bytes, filter_text.c_str(),
              list_request.page_size(), page_items, list_bytes);

  struct Variant {
    std::string label;
    IssueFn issue;
  };
  const std::vector<Variant> variants = {
      {"GetSummit", GetSummitCalls(query.get(), names)},
      {absl::StrCat("Echo ", get_bytes, " B"), EchoCalls(echo.get(), get_bytes)},
      {"ListSummits", ListSummitsCalls(query.get(), list_request)},
      {absl::StrCat("Echo ", list_bytes, " B"),
       EchoCalls(echo.get(), list_bytes)},
  };
  for (const Variant& variant : variants) {
    RunResult warm = RunClosedLoop(variant.issue, 4, warmup, 0, 10);
    if (warm.errors > 0 || warm.latencies_us.empty()) {
      Fail(absl::StrCat(variant.label, " fails: ", warm.first_error));
    }
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
        if (result.errors > 0) {
          Fail(absl::StrCat(variants[v].label, " at c=", c, ": ",
                            result.errors, " errors, first: ",
                            result.first_error));
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
      std::vector<double> qps, p50, p99, p999, cpu, calls;
      for (const RunResult& r : results[c][v]) {
        qps.push_back(r.Qps());
        p50.push_back(r.Percentile(0.5));
        p99.push_back(r.Percentile(0.99));
        p999.push_back(r.Percentile(0.999));
        cpu.push_back(r.CpuPerCall());
        calls.push_back(r.latencies_us.size());
      }
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

  const double rate = absl::GetFlag(FLAGS_rate);
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
  std::printf("\ntargets missed: %d\n== end of table\n", misses);
  return 0;
}

}  // namespace
}  // namespace communique::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "load generator of the benchmark suite; run it through "
      "scripts/bench.sh");
  absl::ParseCommandLine(argc, argv);
  return communique::bench::Main();
}
