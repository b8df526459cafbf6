// Soak and overload of the real binaries (communique-ingest and a
// communique-query replica, TLS, bearer tokens, RocksDB on disk).
//
// Soak: for a fixed time, bulk IngestArticles streams (a bounded pool of
// articles re-ingested with changing content, so the store stays bounded
// and every pass rewrites records), concurrent typed queries (GetSummit,
// ListSummits with filters and a second page, ListDeclarations, GetStats,
// plus a few deliberately invalid ones) and WatchSummits watchers. Every
// interval (5 s on short runs, a minute on long ones) it prints
// throughput, p99 latency, errors, RSS and memtable bytes (peaks over the
// interval, polled every second), open fds of both services and the
// replica's lag, and at the end the same as a markdown table. It asserts 0
// unexpected errors, the replica catching up, and a plateau after warm-up (the
// first third): each service's RSS peak after warm-up stays within its warm-up
// peak plus what its configuration lets grow (measured memtable growth plus the
// block cache's capacity; see Plateau), its sockets/pipes do not grow, and no
// deleted RocksDB file is still open once the load stops.
//
// Overload: services started with small limits are driven far beyond
// capacity (many connections, many concurrent calls with short deadlines,
// large articles, watchers that never read). Every call must end OK,
// RESOURCE_EXHAUSTED or DEADLINE_EXCEEDED; RSS stays bounded; once the
// load stops the services report SERVING and normal calls succeed.
//
// CI runs 60 s of soak (ctest -L soak): long enough to catch a leak of
// more than ~2 MiB/s (the 64 MiB block cache allowance over 40 s), too
// short for memtables to reach their flush size, so it cannot show the
// plateau itself. Longer runs (tests/soak/README.md):
//   COMMUNIQUE_SOAK_SECONDS=1200 ctest --test-dir build -R soak_test -V
// (the test bounds itself with a testing::Watchdog of the soak's length plus
// 840 s, so ctest's TIMEOUT, which --timeout cannot override, is generous).
// Under sanitizers (build-tsan) the same load runs for
// COMMUNIQUE_SOAK_SECONDS and the RSS bound is not asserted (shadow memory
// and quarantines are not the services' growth).

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/store/record_store.h"
#include "tests/testing/health.h"
#include "tests/testing/http.h"
#include "tests/testing/process.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define COMMUNIQUE_SOAK_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define COMMUNIQUE_SOAK_SANITIZED 1
#endif

namespace communique {
namespace {

namespace v1 = ::communique::v1;
using ::communique::testing::ChildProcess;
using ::communique::testing::TempDir;
using Clock = std::chrono::steady_clock;

constexpr char kWriterToken[] = "soak-writer-token";
constexpr char kReplicaToken[] = "soak-replica-token";

std::chrono::system_clock::time_point In(std::chrono::milliseconds ms) {
  return std::chrono::system_clock::now() + ms;
}

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

// ------------------------------------------------------------ processes

// Resident set size of `pid` in MiB (VmRSS), 0 if unknown.
double RssMiB(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::atof(line.c_str() + 6) / 1024.0;
    }
  }
  return 0;
}

// Threads of `pid`, 0 if unknown.
int Threads(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  }
  return 0;
}

// Value of an unlabelled gauge in a /metrics text, -1 if absent.
double Gauge(const std::string& text, const std::string& name) {
  const std::regex line("(^|\n)" + name + " ([-+0-9.eE]+)");
  std::smatch match;
  if (!std::regex_search(text, match, line)) return -1;
  return std::atof(match[2].str().c_str());
}

constexpr double kMiB = 1 << 20;

// One service's resources at one moment.
struct Resources {
  // Resident set size (VmRSS).
  double rss_mib = 0;
  // RocksDB memtables, active and awaiting flush, over all column families
  // (communique_rocksdb_memtable_bytes).
  double memtable_mib = 0;
  // Open files under the service's data dir (SSTs in the table cache,
  // WAL, MANIFEST, LOG), and how many of them are already deleted.
  int store_fds = 0;
  int deleted_store_fds = 0;
  // Every other descriptor: sockets, pipes, eventfds, epoll.
  int other_fds = 0;
};

// The open descriptors of `pid`, split by whether they point into
// `data_dir`.
void CountFds(pid_t pid, const std::string& data_dir, Resources* out) {
  const std::string fd_dir = absl::StrCat("/proc/", pid, "/fd");
  std::error_code error;
  const std::string store =
      std::filesystem::weakly_canonical(data_dir, error).string() + "/";
  for (const auto& entry : std::filesystem::directory_iterator(fd_dir, error)) {
    std::error_code link_error;
    const std::string target =
        std::filesystem::read_symlink(entry.path(), link_error).string();
    if (link_error) continue;  // closed since the listing
    if (target.rfind(store, 0) == 0) {
      ++out->store_fds;
      if (absl::EndsWith(target, " (deleted)")) ++out->deleted_store_fds;
    } else {
      ++out->other_fds;
    }
  }
}

// Both services, started the way the README runs them.
class Services {
 public:
  explicit Services(std::vector<std::string> extra_flags)
      : extra_flags_(std::move(extra_flags)) {}

  void Start() {
    tls_ = dir_.path() + "/tls";
    ASSERT_OK(testing::MakeDevCerts(tls_));
    std::ofstream(dir_.path() + "/writer.token") << kWriterToken << "\n";
    std::ofstream(dir_.path() + "/replica.token") << kReplicaToken << "\n";
    auto ca = testing::ReadFileToString(tls_ + "/ca.pem");
    ASSERT_OK(ca.status());
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = *ca;
    credentials_ = grpc::SslCredentials(ssl);
    std::vector<std::string> ingest = {
        testing::BinaryDir() + "/ingest_service/communique-ingest",
        "--data_dir=" + dir_.path() + "/ingest",
        "--writer_token_file=" + dir_.path() + "/writer.token",
        "--replica_token_file=" + dir_.path() + "/replica.token"};
    ASSERT_NO_FATAL_FAILURE(StartOne("ingest", ingest, &ingest_process_,
                                     &ingest_port_, &ingest_metrics_));
    std::vector<std::string> query = {
        testing::BinaryDir() + "/query_service/communique-query",
        "--data_dir=" + dir_.path() + "/query",
        absl::StrCat("--upstream=127.0.0.1:", ingest_port_),
        "--upstream_ca=" + tls_ + "/ca.pem", "--upstream_authority=localhost",
        "--upstream_token_file=" + dir_.path() + "/replica.token"};
    ASSERT_NO_FATAL_FAILURE(StartOne("query", query, &query_process_,
                                     &query_port_, &query_metrics_));
    // Ready (SERVING) once the replica has caught up with the feed; until
    // then reads are UNAVAILABLE by design.
    absl::StatusOr<int> health;
    for (int i = 0; i < 600; ++i) {
      health = testing::CheckHealth(Channel(query_port_), "readiness");
      if (health.ok() && *health == 1) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_OK(health.status());
    ASSERT_EQ(*health, 1) << Log("query");
  }

  // A new connection (its own channel arguments, so not shared).
  std::shared_ptr<grpc::Channel> Channel(int port) {
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    args.SetInt("communique.soak.channel", next_channel_++);
    args.SetMaxReceiveMessageSize(64 << 20);
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                     credentials_, args);
  }

  std::string Log(const std::string& service) {
    auto log = testing::ReadFileToString(dir_.path() + "/" + service + ".log");
    if (!log.ok()) return "(no log)";
    return log->size() > 4000 ? log->substr(log->size() - 4000) : *log;
  }

  // RSS, memtables and fds of "ingest" or "query"; its /metrics text in
  // `metrics` if not null. Descriptors are counted before the scrape, so
  // the scrape's own connection is never among them.
  Resources Sample(const std::string& service, std::string* metrics) {
    const bool ingest = service == "ingest";
    const pid_t pid = ingest ? ingest_pid() : query_pid();
    Resources out;
    out.rss_mib = RssMiB(pid);
    CountFds(pid, dir_.path() + "/" + service, &out);
    const std::string text =
        testing::HttpGet(ingest ? ingest_metrics_ : query_metrics_, "/metrics");
    out.memtable_mib =
        std::max(0.0, Gauge(text, "communique_rocksdb_memtable_bytes")) / kMiB;
    if (metrics != nullptr) *metrics = text;
    return out;
  }

  // Raises `peak`'s RSS and memtable figures to the current ones.
  void UpdatePeaks(const std::string& service, Resources* peak) {
    const bool ingest = service == "ingest";
    peak->rss_mib =
        std::max(peak->rss_mib, RssMiB(ingest ? ingest_pid() : query_pid()));
    const std::string text =
        testing::HttpGet(ingest ? ingest_metrics_ : query_metrics_, "/metrics");
    peak->memtable_mib =
        std::max(peak->memtable_mib,
                 Gauge(text, "communique_rocksdb_memtable_bytes") / kMiB);
  }

  pid_t ingest_pid() const { return ingest_process_->pid(); }
  pid_t query_pid() const { return query_process_->pid(); }
  int ingest_port() const { return ingest_port_; }
  int query_port() const { return query_port_; }
  int ingest_metrics() const { return ingest_metrics_; }
  int query_metrics() const { return query_metrics_; }

  // Stops both with SIGTERM; their exit codes.
  std::pair<int, int> Stop() {
    query_process_->Signal(SIGTERM);
    ingest_process_->Signal(SIGTERM);
    auto query = query_process_->Wait(absl::Seconds(60));
    auto ingest = ingest_process_->Wait(absl::Seconds(60));
    return {query.ok() ? *query : -1, ingest.ok() ? *ingest : -1};
  }

 private:
  void StartOne(const std::string& name, std::vector<std::string> argv,
                std::unique_ptr<ChildProcess>* process, int* port,
                int* metrics_port) {
    const std::string port_file = dir_.path() + "/" + name + ".port";
    argv.insert(argv.end(),
                {"--listen=127.0.0.1:0", "--port_file=" + port_file,
                 "--metrics_listen=127.0.0.1:0",
                 "--tls_cert=" + tls_ + "/server.pem",
                 "--tls_key=" + tls_ + "/server.key", "--drain_seconds=5",
                 "--shutdown_delay_seconds=0", "--noaccess_log"});
    argv.insert(argv.end(), extra_flags_.begin(), extra_flags_.end());
    auto child =
        ChildProcess::Start(argv, dir_.path() + "/" + name + ".log");
    ASSERT_OK(child.status());
    *process = std::make_unique<ChildProcess>(*std::move(child));
    auto bound = testing::WaitForPortFile(port_file, absl::Seconds(60));
    ASSERT_OK(bound.status()) << Log(name);
    *port = *bound;
    const std::regex metrics("\"metrics_port\":\"([0-9]+)\"");
    std::smatch match;
    const std::string log = Log(name);
    ASSERT_TRUE(std::regex_search(log, match, metrics)) << log;
    *metrics_port = std::stoi(match[1]);
  }

  std::vector<std::string> extra_flags_;
  TempDir dir_;
  std::string tls_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::unique_ptr<ChildProcess> ingest_process_;
  std::unique_ptr<ChildProcess> query_process_;
  int ingest_port_ = 0;
  int query_port_ = 0;
  int ingest_metrics_ = 0;
  int query_metrics_ = 0;
  int next_channel_ = 0;
};

// --------------------------------------------------------------- corpus

constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// News-shaped synthetic articles: each session is reported by three
// articles in different phrasings. `generation` changes the number of
// documents adopted, so a re-ingested article rewrites its records.
class Corpus {
 public:
  void Build() {
    auto gazetteer = gazetteer::Gazetteer::LoadDefault();
    ASSERT_OK(gazetteer.status());
    auto extractor = extract::Extractor::Create(*gazetteer);
    ASSERT_OK(extractor.status());
    // Only bodies whose sessions the extractor dates from such text.
    for (const auto& organization : (*gazetteer)->data().organizations()) {
      for (const auto& body : organization.bodies()) {
        const std::string probe = absl::StrFormat(
            "The %s of the %s met in Minsk on March 8, 2030.\n", body.name(),
            organization.name());
        extract::ArticleContext context;
        context.article_name = "articles/probe";
        v1::ArticleExtraction found = (*extractor)->Extract(probe, context);
        if (found.summits_size() == 1 &&
            found.summits(0).date().year() == 2030) {
          bodies_.emplace_back(organization.name(), body.name());
        }
      }
    }
    for (const auto& city : (*gazetteer)->data().cities()) {
      cities_.push_back(city.name());
    }
    ASSERT_FALSE(bodies_.empty());
    ASSERT_FALSE(cities_.empty());
  }

  const std::vector<std::pair<std::string, std::string>>& bodies() const {
    return bodies_;
  }

  std::string Article(int i, int generation) const {
    const int session = i / 3;
    const int cluster = session / 2;
    const auto& [organization, body] = bodies_[cluster % bodies_.size()];
    const int year = 2000 + (cluster / static_cast<int>(bodies_.size())) % 25;
    const int month = 1 + (session % 2) * 6 + (cluster % 5);
    const int day = 2 + (session * 7) % 26;
    const std::string& city = cities_[(session * 13) % cities_.size()];
    const int documents = 2 + (session + generation) % 11;
    switch (i % 3) {
      case 0:
        return absl::StrFormat(
            "%s, %s %d - The %s of the %s met in %s on %s %d, %d. The "
            "leaders adopted %d documents and discussed terrorism.\n",
            city, kMonths[month - 1], day, body, organization, city,
            kMonths[month - 1], day, year, documents);
      case 1:
        return absl::StrFormat(
            "A session of the %s of the %s was held in %s on %d %s %d. "
            "Participants signed a joint statement on regional security "
            "(edition %d).\n",
            body, organization, city, day, kMonths[month - 1], year,
            generation);
      default:
        return absl::StrFormat(
            "The %s of the %s convened on %s %d, %d, and adopted %d "
            "documents.\n",
            body, organization, kMonths[month - 1], day, year, documents);
    }
  }

 private:
  std::vector<std::pair<std::string, std::string>> bodies_;
  std::vector<std::string> cities_;
};

// ---------------------------------------------------------------- stats

// Latencies and outcomes of one kind of call, per interval.
class Recorder {
 public:
  void Add(double ms, bool ok) {
    std::lock_guard<std::mutex> lock(mu_);
    latencies_.push_back(ms);
    ++calls_;
    if (!ok) ++errors_;
  }
  struct Interval {
    int64_t calls = 0;
    int64_t errors = 0;
    double p99_ms = 0;
  };
  // The interval since the last Take.
  Interval Take() {
    std::lock_guard<std::mutex> lock(mu_);
    Interval out;
    out.calls = calls_;
    out.errors = errors_;
    if (!latencies_.empty()) {
      const size_t at = std::min(latencies_.size() - 1,
                                 static_cast<size_t>(latencies_.size() * 0.99));
      std::nth_element(latencies_.begin(), latencies_.begin() + at,
                       latencies_.end());
      out.p99_ms = latencies_[at];
    }
    latencies_.clear();
    calls_ = 0;
    errors_ = 0;
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<double> latencies_;
  int64_t calls_ = 0;
  int64_t errors_ = 0;
};

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

// Unexpected errors, kept for the failure message (the first few).
class Errors {
 public:
  void Add(const std::string& what, const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
    if (samples_.size() < 10) {
      samples_.push_back(absl::StrCat(what, ": ", status.error_code(), " ",
                                      status.error_message()));
    }
  }
  int64_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }
  std::string Samples() {
    std::lock_guard<std::mutex> lock(mu_);
    return absl::StrJoin(samples_, "\n");
  }

 private:
  std::mutex mu_;
  int64_t count_ = 0;
  std::vector<std::string> samples_;
};

// One row of the soak's monitor.
struct Sample {
  int t_s = 0;
  double ingest_per_s = 0, query_per_s = 0, watch_per_s = 0;
  double ingest_p99_ms = 0, query_p99_ms = 0;
  int64_t ingest_calls = 0, query_calls = 0;
  int64_t errors = 0;  // unexpected, since the start
  Resources ingest, query;
  double lag_events = 0, lag_s = 0;
};

// One service's memory and descriptors during warm-up and after it, and
// the RSS growth its configuration accounts for.
//
// After warm-up only two things in a service may legitimately take more
// memory than they did during warm-up:
//  - memtables: RocksDB fills each column family's memtable up to its
//    write_buffer_size (RocksDB's default, 64 MiB; db.h leaves it) before
//    flushing it. Their size is measured (communique_rocksdb_memtable_bytes)
//    and what counts is their high-water mark: the heap a flushed memtable
//    frees stays in the allocator and is reused by the next ones.
//  - the block cache: an LRU of StoreOptions::block_cache_bytes (64 MiB)
//    per store; its usage is not exported, so all of it is allowed.
// Everything else (gRPC buffers for the soak's fixed connections and
// watchers, request arenas, our own structures, thread stacks) had its
// peak during warm-up under the same load and must not exceed it.
struct Plateau {
  double start_rss = 0, warm_end_rss = 0, end_rss = 0;
  double warm_peak_rss = 0, after_peak_rss = 0;
  double warm_peak_memtable = 0, after_peak_memtable = 0;
  int warm_peak_other_fds = 0, after_peak_other_fds = 0;
  int warm_end_store_fds = 0, after_peak_store_fds = 0;
  double block_cache_mib = store::StoreOptions().block_cache_bytes / kMiB;

  double MemtableGrowth() const {
    return std::max(0.0, after_peak_memtable - warm_peak_memtable);
  }
  double AllowedRss() const {
    return warm_peak_rss + MemtableGrowth() + block_cache_mib;
  }
  std::string Describe(const std::string& service) const {
    return absl::StrFormat(
        "%s RSS %.0f MiB at the first sample, %.0f at the end of warm-up "
        "(peak %.0f), %.0f at the end; peak after warm-up %.0f <= allowed "
        "%.0f = warm-up peak %.0f + memtable high-water growth %.0f (%.0f -> "
        "%.0f) + block cache %.0f; other fds peak %d -> %d, store fds %d -> "
        "peak %d",
        service, start_rss, warm_end_rss, warm_peak_rss, end_rss,
        after_peak_rss, AllowedRss(), warm_peak_rss, MemtableGrowth(),
        warm_peak_memtable, after_peak_memtable, block_cache_mib,
        warm_peak_other_fds, after_peak_other_fds, warm_end_store_fds,
        after_peak_store_fds);
  }
};

Plateau CheckPlateau(const std::vector<Sample>& samples, int warmup_s,
                     Resources Sample::*service) {
  Plateau out;
  if (samples.empty()) return out;
  out.start_rss = (samples.front().*service).rss_mib;
  out.end_rss = (samples.back().*service).rss_mib;
  for (const Sample& sample : samples) {
    const Resources& r = sample.*service;
    if (sample.t_s <= warmup_s) {
      out.warm_end_rss = r.rss_mib;
      out.warm_peak_rss = std::max(out.warm_peak_rss, r.rss_mib);
      out.warm_peak_memtable = std::max(out.warm_peak_memtable, r.memtable_mib);
      out.warm_peak_other_fds = std::max(out.warm_peak_other_fds, r.other_fds);
      out.warm_end_store_fds = r.store_fds;
    } else {
      out.after_peak_rss = std::max(out.after_peak_rss, r.rss_mib);
      out.after_peak_memtable =
          std::max(out.after_peak_memtable, r.memtable_mib);
      out.after_peak_other_fds =
          std::max(out.after_peak_other_fds, r.other_fds);
      out.after_peak_store_fds =
          std::max(out.after_peak_store_fds, r.store_fds);
    }
  }
  return out;
}

// The plateau rule on synthetic rows: growth the memtables account for
// passes, the same growth without them (a leak) does not.
std::vector<Sample> Rows(
    const std::vector<std::pair<double, double>>& rss_memtable) {
  std::vector<Sample> rows;
  for (const auto& [rss, memtable] : rss_memtable) {
    Sample row;
    row.t_s = 60 * static_cast<int>(rows.size() + 1);
    row.ingest.rss_mib = rss;
    row.ingest.memtable_mib = memtable;
    rows.push_back(row);
  }
  return rows;
}

TEST(PlateauTest, MemtableGrowthIsAllowedOtherGrowthIsNot) {
  const double cache = store::StoreOptions().block_cache_bytes / kMiB;
  // Warm-up: the first two rows (t <= 120 s).
  const Plateau memtables =
      CheckPlateau(Rows({{100, 50}, {150, 100}, {250, 200}, {110, 60}}), 120,
                   &Sample::ingest);
  EXPECT_LE(memtables.after_peak_rss, memtables.AllowedRss());
  EXPECT_EQ(memtables.AllowedRss(), 150 + 100 + cache);
  const Plateau leak = CheckPlateau(
      Rows({{100, 50}, {150, 100}, {200, 100}, {150 + cache + 1, 100}}), 120,
      &Sample::ingest);
  EXPECT_GT(leak.after_peak_rss, leak.AllowedRss());
}

// ----------------------------------------------------------------- soak

TEST(SoakTest, MixedLoadHoldsSteady) {
  const int seconds = std::max(10, EnvInt("COMMUNIQUE_SOAK_SECONDS", 60));
  // The load plus the 840 s of set-up, corpus and checks the default 60 s
  // run always had (its ctest TIMEOUT was 900 s).
  const testing::Watchdog watchdog(
      absl::Seconds(seconds + 840),
      absl::StrCat("the soak test (", seconds, " s of load)"));
  // A row a minute on long runs, 12 rows on short ones; the first third
  // is warm-up.
  const int interval_s = std::clamp(seconds / 12, 5, 60);
  const int warmup_s = std::max(interval_s, seconds / 3);
  const int kStreams = EnvInt("COMMUNIQUE_SOAK_STREAMS", 2);
  const int kQueriers = EnvInt("COMMUNIQUE_SOAK_QUERIERS", 4);
  const int kWatchers = EnvInt("COMMUNIQUE_SOAK_WATCHERS", 4);
  // Distinct articles; later passes re-ingest them with new content.
  const int kPool = EnvInt("COMMUNIQUE_SOAK_POOL", 1500);
  Corpus corpus;
  ASSERT_NO_FATAL_FAILURE(corpus.Build());
  Services services({});
  ASSERT_NO_FATAL_FAILURE(services.Start());
  std::printf("soak: %d s, %d ingest streams, %d queriers, %d watchers, "
              "pool of %d articles, interval %d s, warm-up %d s\n",
              seconds, kStreams, kQueriers, kWatchers, kPool, interval_s,
              warmup_s);

  std::atomic<bool> stop{false};
  std::atomic<int64_t> next_article{0};
  std::atomic<int64_t> watch_changes{0};
  std::atomic<int64_t> deliberate{0};
  Recorder ingest_calls;
  Recorder query_calls;
  Errors errors;
  std::vector<std::thread> threads;

  // Bulk ingest: IngestArticles streams of 200 articles each, up to 16 in
  // flight, one after another on the same connection.
  for (int s = 0; s < kStreams; ++s) {
    threads.emplace_back([&, channel = services.Channel(
                                 services.ingest_port())] {
      auto stub = v1::IngestService::NewStub(channel);
      while (!stop.load()) {
        grpc::ClientContext context;
        context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
        context.set_deadline(In(std::chrono::seconds(120)));
        auto stream = stub->IngestArticles(&context);
        std::mutex mu;
        std::condition_variable cv;
        std::deque<Clock::time_point> sent;
        bool reader_done = false;
        int acknowledged = 0;
        std::thread reader([&] {
          v1::IngestArticleResponse response;
          while (stream->Read(&response)) {
            Clock::time_point start;
            {
              std::lock_guard<std::mutex> lock(mu);
              start = sent.front();
              sent.pop_front();
              ++acknowledged;
            }
            cv.notify_all();
            const bool ok = response.error_code() == 0;
            ingest_calls.Add(MsSince(start), ok);
            if (!ok) {
              errors.Add("IngestArticles item",
                         grpc::Status(static_cast<grpc::StatusCode>(
                                          response.error_code()),
                                      response.error_message()));
            }
          }
          std::lock_guard<std::mutex> lock(mu);
          reader_done = true;
          cv.notify_all();
        });
        int written = 0;
        for (; written < 200 && !stop.load(); ++written) {
          {
            std::unique_lock<std::mutex> lock(mu);
            cv.wait(lock, [&] { return sent.size() < 16 || reader_done; });
            if (reader_done) break;
            sent.push_back(Clock::now());
          }
          const int64_t n = next_article.fetch_add(1);
          v1::IngestArticleRequest request;
          request.mutable_article()->set_text(corpus.Article(
              static_cast<int>(n % kPool), static_cast<int>(n / kPool)));
          request.mutable_article()->set_external_id(
              absl::StrCat("soak-", n % kPool));
          request.set_request_id(absl::StrCat(n));
          if (!stream->Write(request)) break;
        }
        stream->WritesDone();
        reader.join();
        grpc::Status status = stream->Finish();
        if (!status.ok()) errors.Add("IngestArticles", status);
        if (status.ok() && acknowledged != written) {
          errors.Add("IngestArticles",
                     grpc::Status(grpc::StatusCode::DATA_LOSS,
                                  absl::StrCat(acknowledged, " of ", written,
                                               " acknowledged")));
        }
      }
    });
  }

  // Typed queries, closed loop.
  std::mutex names_mu;
  std::vector<std::string> names;
  for (int q = 0; q < kQueriers; ++q) {
    threads.emplace_back([&, q, channel = services.Channel(
                                    services.query_port())] {
      auto stub = v1::QueryService::NewStub(channel);
      std::mt19937 random(q);
      while (!stop.load()) {
        const int pick = random() % 100;
        grpc::ClientContext context;
        context.set_deadline(In(std::chrono::seconds(10)));
        grpc::Status status;
        const auto start = Clock::now();
        std::string what;
        if (pick < 35) {
          what = "GetSummit";
          std::string name;
          {
            std::lock_guard<std::mutex> lock(names_mu);
            if (!names.empty()) name = names[random() % names.size()];
          }
          if (name.empty()) continue;
          v1::GetSummitRequest request;
          request.set_name(name);
          v1::Summit summit;
          status = stub->GetSummit(&context, request, &summit);
        } else if (pick < 70) {
          what = "ListSummits";
          v1::ListSummitsRequest request;
          request.set_page_size(20);
          if (pick % 2 == 0) {
            request.mutable_filter()->set_organization(
                corpus.bodies()[random() % corpus.bodies().size()].first);
          } else {
            request.mutable_filter()->set_min_year(2000 + random() % 25);
          }
          v1::ListSummitsResponse response;
          status = stub->ListSummits(&context, request, &response);
          if (status.ok() && !response.next_page_token().empty()) {
            grpc::ClientContext next_context;
            next_context.set_deadline(In(std::chrono::seconds(10)));
            request.set_page_token(response.next_page_token());
            v1::ListSummitsResponse next;
            status = stub->ListSummits(&next_context, request, &next);
          }
          if (status.ok() && response.summits_size() > 0) {
            std::lock_guard<std::mutex> lock(names_mu);
            for (const v1::Summit& summit : response.summits()) {
              if (names.size() < 2000) {
                names.push_back(summit.name());
              } else {
                names[random() % names.size()] = summit.name();
              }
            }
          }
        } else if (pick < 85) {
          what = "ListDeclarations";
          v1::ListDeclarationsRequest request;
          request.set_parent("summits/-");
          {
            std::lock_guard<std::mutex> lock(names_mu);
            if (!names.empty() && pick % 2 == 0) {
              request.set_parent(names[random() % names.size()]);
            }
          }
          request.set_page_size(50);
          v1::ListDeclarationsResponse response;
          status = stub->ListDeclarations(&context, request, &response);
        } else if (pick < 98) {
          what = "GetStats";
          v1::GetStatsRequest request;
          v1::GetStatsResponse response;
          status = stub->GetStats(&context, request, &response);
        } else {
          // Deliberately invalid: must be INVALID_ARGUMENT, not counted as
          // an error.
          v1::ListSummitsRequest request;
          request.set_page_size(-1);
          v1::ListSummitsResponse response;
          status = stub->ListSummits(&context, request, &response);
          if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
            deliberate.fetch_add(1);
            continue;
          }
          what = "ListSummits(page_size=-1)";
          if (status.ok()) {
            status = grpc::Status(grpc::StatusCode::UNKNOWN,
                                  "invalid request accepted");
          }
        }
        query_calls.Add(MsSince(start), status.ok());
        if (!status.ok()) errors.Add(what, status);
      }
    });
  }

  // Watchers: a WatchSummits stream each (all summits, or one
  // organization's), read until the end of the run.
  std::mutex watch_mu;
  std::vector<grpc::ClientContext*> watch_contexts;
  for (int w = 0; w < kWatchers; ++w) {
    threads.emplace_back([&, w, channel = services.Channel(
                                    services.query_port())] {
      auto stub = v1::QueryService::NewStub(channel);
      while (!stop.load()) {
        grpc::ClientContext context;
        {
          std::lock_guard<std::mutex> lock(watch_mu);
          if (stop.load()) break;
          watch_contexts.push_back(&context);
        }
        v1::WatchSummitsRequest request;
        if (w % 2 == 1) {
          request.mutable_filter()->set_organization(
              corpus.bodies()[w % corpus.bodies().size()].first);
        }
        auto reader = stub->WatchSummits(&context, request);
        v1::WatchSummitsResponse response;
        while (reader->Read(&response)) {
          watch_changes.fetch_add(response.changes_size());
        }
        grpc::Status status = reader->Finish();
        {
          std::lock_guard<std::mutex> lock(watch_mu);
          watch_contexts.erase(std::find(watch_contexts.begin(),
                                         watch_contexts.end(), &context));
        }
        // The end of the run cancels the watch (deliberately).
        if (!(stop.load() &&
              status.error_code() == grpc::StatusCode::CANCELLED)) {
          errors.Add("WatchSummits", status);
        }
      }
    });
  }

  // The monitor: one row per interval, a table at the end.
  std::printf(
      "soak: %6s %8s %8s %8s %8s %8s %6s %7s %7s %6s %6s %9s %9s "
      "%8s %7s\n",
      "t_s", "ingest/s", "query/s", "watch/s", "ing_p99", "qry_p99", "errors",
      "rss_ing", "rss_qry", "mt_ing", "mt_qry", "fd_ing", "fd_qry", "lag_ev",
      "lag_s");
  std::vector<Sample> samples;
  const auto begin = Clock::now();
  int64_t last_watch = 0;
  for (int t = interval_s; t <= seconds; t += interval_s) {
    // RSS and memtables are polled every second and a row shows their
    // peaks: at this load a memtable can fill and flush between two rows,
    // and the heap it leaves behind counts in RSS afterwards.
    Resources ingest_peak, query_peak;
    const auto row_time = begin + std::chrono::seconds(t);
    while (Clock::now() < row_time) {
      services.UpdatePeaks("ingest", &ingest_peak);
      services.UpdatePeaks("query", &query_peak);
      std::this_thread::sleep_until(
          std::min(row_time, Clock::now() + std::chrono::seconds(1)));
    }
    Sample sample;
    sample.t_s = t;
    const Recorder::Interval ingest = ingest_calls.Take();
    const Recorder::Interval query = query_calls.Take();
    const int64_t watched = watch_changes.load();
    sample.ingest_per_s = ingest.calls / double(interval_s);
    sample.query_per_s = query.calls / double(interval_s);
    sample.watch_per_s = (watched - last_watch) / double(interval_s);
    last_watch = watched;
    sample.ingest_p99_ms = ingest.p99_ms;
    sample.query_p99_ms = query.p99_ms;
    sample.ingest_calls = ingest.calls;
    sample.query_calls = query.calls;
    sample.errors = errors.count();
    std::string query_metrics;
    sample.ingest = services.Sample("ingest", nullptr);
    sample.query = services.Sample("query", &query_metrics);
    for (auto [resources, peak] : {std::pair(&sample.ingest, &ingest_peak),
                                   std::pair(&sample.query, &query_peak)}) {
      resources->rss_mib = std::max(resources->rss_mib, peak->rss_mib);
      resources->memtable_mib =
          std::max(resources->memtable_mib, peak->memtable_mib);
    }
    sample.lag_events = Gauge(query_metrics, "communique_replica_lag_events");
    sample.lag_s = Gauge(query_metrics, "communique_replica_lag_seconds");
    std::printf(
        "soak: %6d %8.0f %8.0f %8.0f %8.1f %8.1f %6lld %7.0f %7.0f %6.0f "
        "%6.0f %4d+%-4d %4d+%-4d %8.0f %7.2f\n",
        t, sample.ingest_per_s, sample.query_per_s, sample.watch_per_s,
        sample.ingest_p99_ms, sample.query_p99_ms,
        static_cast<long long>(sample.errors), sample.ingest.rss_mib,
        sample.query.rss_mib, sample.ingest.memtable_mib,
        sample.query.memtable_mib, sample.ingest.other_fds,
        sample.ingest.store_fds, sample.query.other_fds, sample.query.store_fds,
        sample.lag_events, sample.lag_s);
    std::fflush(stdout);
    samples.push_back(sample);
  }
  const int64_t total_watch = watch_changes.load();

  stop.store(true);
  {
    std::lock_guard<std::mutex> lock(watch_mu);
    for (grpc::ClientContext* context : watch_contexts) context->TryCancel();
  }
  for (std::thread& thread : threads) thread.join();

  // The replica catches up once the writes stop.
  double lag_after = -1;
  const auto drain_start = Clock::now();
  for (int i = 0; i < 600; ++i) {
    lag_after = Gauge(testing::HttpGet(services.query_metrics(), "/metrics"),
                      "communique_replica_lag_events");
    if (lag_after == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const double drain_s = MsSince(drain_start) / 1000;
  const Resources ingest_idle = services.Sample("ingest", nullptr);
  const Resources query_idle = services.Sample("query", nullptr);

  // The closing table (markdown, one row per interval).
  int64_t total_ingest = 0, total_query = 0;
  double max_lag_events = 0, max_lag_s = 0;
  std::printf(
      "\n| time | ingest/s | query/s | ingest p99 ms | query p99 ms | RSS "
      "ingest MiB | RSS query MiB | memtables ingest/query MiB | fds "
      "ingest/query | replica lag events (s) | errors |\n"
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const Sample& s : samples) {
    std::printf(
        "| %d:%02d | %.0f | %.0f | %.0f | %.1f | %.0f | %.0f | "
        "%.0f/%.0f | %d/%d | %.0f (%.2f) | %lld |\n",
        s.t_s / 60, s.t_s % 60, s.ingest_per_s, s.query_per_s, s.ingest_p99_ms,
        s.query_p99_ms, s.ingest.rss_mib, s.query.rss_mib,
        s.ingest.memtable_mib, s.query.memtable_mib,
        s.ingest.other_fds + s.ingest.store_fds,
        s.query.other_fds + s.query.store_fds, s.lag_events, s.lag_s,
        static_cast<long long>(s.errors));
    total_ingest += s.ingest_calls;
    total_query += s.query_calls;
    max_lag_events = std::max(max_lag_events, s.lag_events);
    max_lag_s = std::max(max_lag_s, s.lag_s);
  }
  std::printf(
      "\nsoak: totals: %lld articles ingested (%.0f/s), %lld queries "
      "(%.0f/s), %lld watch changes, %lld deliberate INVALID_ARGUMENT, %lld "
      "unexpected errors; replica lag max %.0f events / %.2f s, caught up "
      "in %.1f s after the load; idle after the load: RSS ingest %.0f MiB "
      "(memtables %.0f), query %.0f MiB (memtables %.0f)\n",
      static_cast<long long>(total_ingest), total_ingest / double(seconds),
      static_cast<long long>(total_query), total_query / double(seconds),
      static_cast<long long>(total_watch),
      static_cast<long long>(deliberate.load()),
      static_cast<long long>(errors.count()), max_lag_events, max_lag_s,
      drain_s, ingest_idle.rss_mib, ingest_idle.memtable_mib,
      query_idle.rss_mib, query_idle.memtable_mib);

  EXPECT_EQ(errors.count(), 0) << errors.Samples();
  EXPECT_GT(total_ingest, 0);
  EXPECT_GT(total_query, 0);
  EXPECT_GT(total_watch, 0);
  EXPECT_EQ(lag_after, 0) << "the replica did not catch up";
  for (const char* service : {"ingest", "query"}) {
    const Plateau plateau = CheckPlateau(
        samples, warmup_s,
        std::string(service) == "ingest" ? &Sample::ingest : &Sample::query);
    std::printf("soak: %s\n", plateau.Describe(service).c_str());
#ifndef COMMUNIQUE_SOAK_SANITIZED
    EXPECT_LE(plateau.after_peak_rss, plateau.AllowedRss())
        << service << " RSS grew after warm-up beyond what its memtables "
        << "and block cache account for: " << plateau.Describe(service);
#endif
    EXPECT_LE(plateau.after_peak_other_fds, plateau.warm_peak_other_fds)
        << service
        << " opened sockets/pipes after warm-up: " << plateau.Describe(service);
  }
  // Obsolete RocksDB files (compacted SSTs, old WALs) still open once the
  // load has stopped would be a handle leak that grows with the run.
  EXPECT_EQ(ingest_idle.deleted_store_fds, 0) << "ingest";
  EXPECT_EQ(query_idle.deleted_store_fds, 0) << "query";
  auto [query_exit, ingest_exit] = services.Stop();
  EXPECT_EQ(query_exit, 0) << services.Log("query");
  EXPECT_EQ(ingest_exit, 0) << services.Log("ingest");
}

// ------------------------------------------------------------- overload

TEST(OverloadTest, ShedsCleanlyAndRecovers) {
  const int seconds = std::max(5, EnvInt("COMMUNIQUE_OVERLOAD_SECONDS", 15));
  Corpus corpus;
  ASSERT_NO_FATAL_FAILURE(corpus.Build());
  // Small limits, so this machine can go beyond them.
  Services services({"--memory_quota_mb=64", "--max_concurrent_streams=32"});
  ASSERT_NO_FATAL_FAILURE(services.Start());

  // Some data to read.
  {
    auto stub =
        v1::IngestService::NewStub(services.Channel(services.ingest_port()));
    for (int i = 0; i < 60; ++i) {
      grpc::ClientContext context;
      context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
      context.set_deadline(In(std::chrono::seconds(30)));
      v1::IngestArticleRequest request;
      request.mutable_article()->set_text(corpus.Article(i, 0));
      v1::IngestArticleResponse response;
      grpc::Status status = stub->IngestArticle(&context, request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }

  std::atomic<bool> stop{false};
  std::mutex codes_mu;
  std::map<int, int64_t> codes;
  std::map<int, std::string> code_samples;
  auto count = [&](const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(codes_mu);
    ++codes[status.error_code()];
    code_samples.emplace(status.error_code(), status.error_message());
  };
  const std::string big_article = [&] {
    std::string text;
    for (int i = 0; text.size() < (900 << 10); ++i) {
      text += corpus.Article(i, 0);
    }
    return text;
  }();
  std::vector<std::thread> threads;
  // Ingest: 24 connections, each with unary calls of a ~900 KiB article
  // and a 200 ms deadline.
  for (int c = 0; c < EnvInt("COMMUNIQUE_OVERLOAD_WRITERS", 24); ++c) {
    threads.emplace_back([&, channel = services.Channel(
                                 services.ingest_port())] {
      auto stub = v1::IngestService::NewStub(channel);
      for (int n = 0; !stop.load(); ++n) {
        grpc::ClientContext context;
        context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
        context.set_deadline(In(std::chrono::milliseconds(200)));
        v1::IngestArticleRequest request;
        request.mutable_article()->set_text(
            n % 4 == 0 ? big_article : corpus.Article(1000 + n, n));
        v1::IngestArticleResponse response;
        count(stub->IngestArticle(&context, request, &response));
      }
    });
  }
  // Queries: 48 connections, each with the largest pages and a 50 ms
  // deadline.
  for (int c = 0; c < EnvInt("COMMUNIQUE_OVERLOAD_READERS", 48); ++c) {
    threads.emplace_back([&, channel = services.Channel(
                                 services.query_port())] {
      auto stub = v1::QueryService::NewStub(channel);
      while (!stop.load()) {
        grpc::ClientContext context;
        context.set_deadline(In(std::chrono::milliseconds(50)));
        v1::ListSummitsRequest request;
        request.set_page_size(1000);
        v1::ListSummitsResponse response;
        count(stub->ListSummits(&context, request, &response));
      }
    });
  }
  // Queries that wait as long as it takes (30 s): nothing expires them; the
  // server must keep serving them without its memory growing.
  for (int c = 0; c < EnvInt("COMMUNIQUE_OVERLOAD_PATIENT", 16); ++c) {
    threads.emplace_back([&, channel = services.Channel(
                                 services.query_port())] {
      auto stub = v1::QueryService::NewStub(channel);
      while (!stop.load()) {
        grpc::ClientContext context;
        context.set_deadline(In(std::chrono::seconds(30)));
        v1::ListSummitsRequest request;
        request.set_page_size(1000);
        v1::ListSummitsResponse response;
        count(stub->ListSummits(&context, request, &response));
      }
    });
  }
  // Watchers that never read: the server must not buffer without bound.
  std::vector<std::unique_ptr<grpc::ClientContext>> idle_contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::WatchSummitsResponse>>>
      idle_watches;
  auto idle_stub =
      v1::QueryService::NewStub(services.Channel(services.query_port()));
  for (int i = 0; i < EnvInt("COMMUNIQUE_OVERLOAD_IDLE_WATCHERS", 16); ++i) {
    idle_contexts.push_back(std::make_unique<grpc::ClientContext>());
    idle_watches.push_back(idle_stub->WatchSummits(
        idle_contexts.back().get(), v1::WatchSummitsRequest()));
  }

  double max_rss_ingest = 0, max_rss_query = 0;
  int max_threads_ingest = 0, max_threads_query = 0;
  const auto begin = Clock::now();
  while (MsSince(begin) < seconds * 1000.0) {
    max_rss_ingest = std::max(max_rss_ingest, RssMiB(services.ingest_pid()));
    max_rss_query = std::max(max_rss_query, RssMiB(services.query_pid()));
    max_threads_ingest =
        std::max(max_threads_ingest, Threads(services.ingest_pid()));
    max_threads_query =
        std::max(max_threads_query, Threads(services.query_pid()));
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  stop.store(true);
  for (std::thread& thread : threads) thread.join();
  for (auto& context : idle_contexts) context->TryCancel();
  for (auto& watch : idle_watches) (void)watch->Finish();

  {
    std::lock_guard<std::mutex> lock(codes_mu);
    std::string summary;
    for (const auto& [code, n] : codes) {
      absl::StrAppend(&summary, " code ", code, ": ", n, " (",
                      code_samples[code].substr(0, 80), ");");
    }
    std::printf("overload: %d s; calls by status:%s max RSS ingest %.0f MiB, "
                "query %.0f MiB; max threads ingest %d, query %d\n",
                seconds, summary.c_str(), max_rss_ingest, max_rss_query,
                max_threads_ingest, max_threads_query);
    for (const auto& [code, n] : codes) {
      EXPECT_TRUE(code == grpc::StatusCode::OK ||
                  code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
                  code == grpc::StatusCode::DEADLINE_EXCEEDED)
          << "code " << code << " x" << n << ": " << code_samples[code];
    }
    EXPECT_GT(codes[grpc::StatusCode::OK], 0);
  }
  // Bounded memory: the quota caps transport buffers (64 MiB) and the
  // stores their caches; far below the unbounded growth a queue would show.
#ifndef COMMUNIQUE_SOAK_SANITIZED
  EXPECT_LT(max_rss_ingest, 1024);
  EXPECT_LT(max_rss_query, 1024);
#endif

  // Recovery: SERVING again and normal calls succeed promptly.
  const auto recover_start = Clock::now();
  for (int port : {services.ingest_port(), services.query_port()}) {
    absl::StatusOr<int> health;
    for (int i = 0; i < 100; ++i) {
      health = testing::CheckHealth(services.Channel(port), "");
      if (health.ok() && *health == 1) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_OK(health.status());
    EXPECT_EQ(*health, 1) << "port " << port;
  }
  auto ingest =
      v1::IngestService::NewStub(services.Channel(services.ingest_port()));
  auto query =
      v1::QueryService::NewStub(services.Channel(services.query_port()));
  // A write read back through the replica: OK, or a status that says
  // "retry" (RESOURCE_EXHAUSTED while the memory quota is still taken).
  auto write_and_read = [&](int i) {
    grpc::ClientContext write_context;
    write_context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
    write_context.set_deadline(In(std::chrono::seconds(10)));
    v1::IngestArticleRequest request;
    request.mutable_article()->set_text(corpus.Article(5000 + i, 0));
    v1::IngestArticleResponse written;
    grpc::Status status =
        ingest->IngestArticle(&write_context, request, &written);
    if (!status.ok()) return status;
    grpc::ClientContext read_context;
    read_context.set_deadline(In(std::chrono::seconds(10)));
    v1::GetStatsRequest stats;
    stats.set_consistency_token(written.consistency_token());
    v1::GetStatsResponse response;
    return query->GetStats(&read_context, stats, &response);
  };
  int retries = 0;
  for (grpc::Status status = write_and_read(0); !status.ok();
       status = write_and_read(0)) {
    ASSERT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << status.error_message();
    ASSERT_LT(MsSince(recover_start), 30000) << "still shedding after 30 s";
    ++retries;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const double recovered_s = MsSince(recover_start) / 1000;
  std::vector<double> latencies;
  for (int i = 1; i <= 20; ++i) {
    const auto start = Clock::now();
    grpc::Status status = write_and_read(i);
    ASSERT_TRUE(status.ok()) << status.error_message();
    latencies.push_back(MsSince(start));
  }
  std::sort(latencies.begin(), latencies.end());
  std::printf("overload: recovered in %.1f s (%d retries on "
              "RESOURCE_EXHAUSTED); then 20 writes read back through the "
              "replica: median %.1f ms, max %.1f ms\n",
              recovered_s, retries, latencies[latencies.size() / 2],
              latencies.back());
  auto [query_exit, ingest_exit] = services.Stop();
  EXPECT_EQ(query_exit, 0) << services.Log("query");
  EXPECT_EQ(ingest_exit, 0) << services.Log("ingest");
}

}  // namespace
}  // namespace communique
