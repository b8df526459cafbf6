// Crash safety of the real binaries: a driver ingests a stream of distinct
// articles through communique-ingest (unary IngestArticle and the
// IngestArticles bidi stream, several articles in flight) and SIGKILLs it
// at a random moment, restarts it on the same data directory and checks
// that every acknowledged article is there and the change log has no gap;
// a query replica follows it all along and is SIGKILLed at random moments
// too (while it applies the feed). At the end the offline store checker
// finds the ingest store consistent, and the replica's store equals a
// fresh replica's byte for byte.
//
// CI runs a few cycles. Run hundreds with, e.g.:
//   COMMUNIQUE_CRASH_CYCLES=300 COMMUNIQUE_CRASH_SEED=$RANDOM \
//     ctest --test-dir build -L crash --output-on-failure
// (each cycle takes well under a second of kill-to-ready time plus its
// ingest; the seed is printed so a failure can be replayed). The test
// bounds itself (testing::Watchdog: 30 s per cycle, at least 600 s), so its
// ctest TIMEOUT is generous and a long run is not cut short.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "communique/v1/change_feed.grpc.pb.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/store/store_checker.h"
#include "tests/testing/process.h"

namespace communique {
namespace {

using ::communique::testing::ChildProcess;
using ::communique::testing::TempDir;
using ::testing::IsEmpty;

constexpr char kWriterToken[] = "crash-test-writer";
constexpr char kReplicaToken[] = "crash-test-replica";

std::chrono::system_clock::time_point In(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return std::atoi(value);
}

const char* const kCities[] = {"Minsk",   "Moscow",  "Yerevan", "Astana",
                               "Bishkek", "Dushanbe", "Sochi",  "Almaty"};
const char* const kMonths[] = {"May", "June", "October", "November",
                               "December"};

// A distinct article about one of a few dozen summits, so that articles
// merge into shared summits and the change log grows with updates.
std::string ArticleText(const std::string& id, int n) {
  const int city = n % 8;
  const int year = 2010 + (n / 8) % 12;
  return absl::StrCat(
      "The CSTO Collective Security Council held its session in ",
      kCities[city], " on ", kMonths[n % 5], " ", 1 + n % 27, ", ", year,
      ". The heads of state adopted a declaration on collective security. "
      "Article ",
      id, " reports that the leaders discussed regional stability.");
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_ = dir_.path() + "/tls";
    ASSERT_OK(testing::MakeDevCerts(tls_));
    std::ofstream(dir_.path() + "/writer.token") << kWriterToken << "\n";
    std::ofstream(dir_.path() + "/replica.token") << kReplicaToken << "\n";
    ASSERT_OK_AND_ASSIGN(std::string ca,
                         testing::ReadFileToString(tls_ + "/ca.pem"));
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ca;
    credentials_ = grpc::SslCredentials(ssl);
  }

  std::shared_ptr<grpc::Channel> Channel(int port) {
    // A fresh channel per start, so that no reconnect backoff from the
    // previous incarnation delays the next cycle.
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    args.SetInt("grpc.use_local_subchannel_pool", 1);
    // Change events carry whole records; like the replica, accept big
    // batches.
    args.SetMaxReceiveMessageSize(64 << 20);
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                     credentials_, args);
  }

  // Starts the ingest binary; the first start takes a kernel-chosen port,
  // restarts reuse it so that the replica's --upstream stays valid.
  void StartIngest() {
    const std::string port_file = dir_.path() + "/ingest.port";
    std::filesystem::remove(port_file);
    auto child = ChildProcess::Start(
        {testing::BinaryDir() + "/ingest_service/communique-ingest",
         absl::StrCat("--listen=127.0.0.1:", ingest_port_),
         "--port_file=" + port_file, "--data_dir=" + dir_.path() + "/ingest",
         "--tls_cert=" + tls_ + "/server.pem",
         "--tls_key=" + tls_ + "/server.key", "--drain_seconds=1",
         "--shutdown_delay_seconds=0", "--noaccess_log",
         "--writer_token_file=" + dir_.path() + "/writer.token",
         "--replica_token_file=" + dir_.path() + "/replica.token"},
        dir_.path() + "/ingest.log");
    ASSERT_OK(child.status());
    ingest_ = std::make_unique<ChildProcess>(*std::move(child));
    auto port = testing::WaitForPortFile(port_file, absl::Seconds(30));
    ASSERT_OK(port.status()) << Log("ingest");
    ingest_port_ = *port;
    ingest_stub_ = v1::IngestService::NewStub(Channel(ingest_port_));
    feed_stub_ = v1::ChangeFeedService::NewStub(Channel(ingest_port_));
  }

  // Starts a query replica `name` following the ingest service.
  std::unique_ptr<ChildProcess> StartQuery(const std::string& name,
                                           int* port_out) {
    const std::string port_file = dir_.path() + "/" + name + ".port";
    std::filesystem::remove(port_file);
    auto child = ChildProcess::Start(
        {testing::BinaryDir() + "/query_service/communique-query",
         "--listen=127.0.0.1:0", "--port_file=" + port_file,
         "--data_dir=" + dir_.path() + "/" + name,
         absl::StrCat("--upstream=127.0.0.1:", ingest_port_),
         "--upstream_ca=" + tls_ + "/ca.pem", "--upstream_authority=localhost",
         "--upstream_token_file=" + dir_.path() + "/replica.token",
         "--tls_cert=" + tls_ + "/server.pem",
         "--tls_key=" + tls_ + "/server.key", "--drain_seconds=1",
         "--shutdown_delay_seconds=0", "--noaccess_log"},
        dir_.path() + "/" + name + ".log");
    EXPECT_OK(child.status());
    if (!child.ok()) return nullptr;
    auto process = std::make_unique<ChildProcess>(*std::move(child));
    auto port = testing::WaitForPortFile(port_file, absl::Seconds(30));
    EXPECT_OK(port.status()) << Log(name);
    *port_out = port.ok() ? *port : 0;
    return process;
  }

  std::string Log(const std::string& service) {
    auto log = testing::ReadFileToString(dir_.path() + "/" + service + ".log");
    if (!log.ok()) return "(no log)";
    return log->size() > 4000 ? log->substr(log->size() - 4000) : *log;
  }

  // Every stored article name, through ListArticles.
  std::set<std::string> ListArticleNames() {
    std::set<std::string> names;
    std::string page_token;
    do {
      grpc::ClientContext context;
      context.set_deadline(In(30));
      v1::ListArticlesRequest request;
      request.set_page_size(1000);
      request.set_page_token(page_token);
      v1::ListArticlesResponse response;
      grpc::Status status =
          ingest_stub_->ListArticles(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& article : response.articles()) {
        names.insert(article.name());
      }
      page_token = response.next_page_token();
    } while (!page_token.empty());
    return names;
  }

  // Reads the whole change log through Subscribe (replica role) and
  // checks that it holds exactly sequences 1..head. Returns the head.
  uint64_t CheckChangeLogGapFree() {
    grpc::ClientContext context;
    context.set_deadline(In(60));
    context.set_credentials(grpc::AccessTokenCredentials(kReplicaToken));
    v1::SubscribeRequest request;
    request.set_after_sequence(0);
    request.set_max_batch(256);
    auto reader = feed_stub_->Subscribe(&context, request);
    v1::SubscribeResponse response;
    uint64_t head = 0;
    bool head_known = false;
    uint64_t next = 1;
    int gaps = 0;
    while (reader->Read(&response)) {
      if (!head_known) {
        head = response.head_sequence();
        head_known = true;
      }
      for (const auto& event : response.events()) {
        if (event.sequence() != next) {
          ++gaps;
          ADD_FAILURE() << "change log: expected sequence " << next
                        << ", got " << event.sequence();
        }
        next = event.sequence() + 1;
      }
      if (head_known && next > head) break;
      if (gaps > 5) break;
    }
    context.TryCancel();
    grpc::Status finish = reader->Finish();
    EXPECT_TRUE(head_known) << "Subscribe sent nothing: " << finish.error_code()
                            << " " << finish.error_message() << "\n"
                            << Log("ingest");
    EXPECT_EQ(next - 1, head) << "change log ends before its head";
    return head;
  }

  TempDir dir_;
  std::string tls_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  int ingest_port_ = 0;
  std::unique_ptr<ChildProcess> ingest_;
  std::unique_ptr<v1::IngestService::Stub> ingest_stub_;
  std::unique_ptr<v1::ChangeFeedService::Stub> feed_stub_;
};

// Acknowledged article names, shared by the writer threads.
struct Acks {
  std::mutex mu;
  std::condition_variable changed;
  std::vector<std::string> names;
  int errors_not_unavailable = 0;
  std::map<int, int> codes;

  void Add(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu);
    names.push_back(name);
    changed.notify_all();
  }
  void Fail(int code) {
    std::lock_guard<std::mutex> lock(mu);
    ++codes[code];
  }
  // Waits (bounded) until at least `count` acknowledgements.
  bool WaitFor(size_t count) {
    std::unique_lock<std::mutex> lock(mu);
    return changed.wait_for(lock, std::chrono::seconds(60),
                            [&] { return names.size() >= count; });
  }
};

// Unary writer: one article per call until `stop` or a failure.
void UnaryWriter(v1::IngestService::Stub* stub, int cycle,
                 std::atomic<bool>* stop, std::atomic<int>* counter,
                 Acks* acks) {
  while (!stop->load()) {
    const int n = counter->fetch_add(1);
    const std::string id = absl::StrCat("c", cycle, "-u", n);
    grpc::ClientContext context;
    context.set_deadline(In(20));
    context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
    v1::IngestArticleRequest request;
    request.mutable_article()->set_external_id(id);
    request.mutable_article()->set_text(ArticleText(id, n));
    v1::IngestArticleResponse response;
    grpc::Status status = stub->IngestArticle(&context, request, &response);
    if (!status.ok()) {
      acks->Fail(status.error_code());
      return;  // the server is gone; the cycle ends
    }
    acks->Add(response.article());
  }
}

// Stream writer: sends a random-size batch of articles on IngestArticles
// before reading their responses, so kills land mid-batch.
void StreamWriter(v1::IngestService::Stub* stub, int cycle, uint32_t seed,
                  std::atomic<bool>* stop, std::atomic<int>* counter,
                  Acks* acks) {
  std::mt19937 rng(seed);
  grpc::ClientContext context;
  context.set_deadline(In(120));
  context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
  auto stream = stub->IngestArticles(&context);
  bool alive = true;
  while (alive && !stop->load()) {
    const int batch = std::uniform_int_distribution<int>(1, 8)(rng);
    std::map<std::string, std::string> in_flight;  // request_id -> id
    for (int i = 0; i < batch && alive; ++i) {
      const int n = counter->fetch_add(1);
      const std::string id = absl::StrCat("c", cycle, "-s", n);
      v1::IngestArticleRequest request;
      request.set_request_id(id);
      request.mutable_article()->set_external_id(id);
      request.mutable_article()->set_text(ArticleText(id, n));
      alive = stream->Write(request);
      if (alive) in_flight[id] = id;
    }
    for (size_t i = 0; i < in_flight.size() && alive; ++i) {
      v1::IngestArticleResponse response;
      alive = stream->Read(&response);
      if (!alive) break;
      if (response.error_code() != 0) {
        acks->Fail(response.error_code());
      } else {
        acks->Add(response.article());
      }
    }
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) acks->Fail(status.error_code());
}

TEST_F(CrashTest, SigkillAtRandomLosesNothingAcknowledged) {
  const int cycles = std::max(1, EnvInt("COMMUNIQUE_CRASH_CYCLES", 4));
  const uint32_t seed = static_cast<uint32_t>(EnvInt("COMMUNIQUE_CRASH_SEED", 20261122));
  std::printf("crash test: %d cycles, seed %u\n", cycles, seed);
  // 30 s per cycle (300 cycles took 30 min, loaded), at least the 600 s
  // the default 4 cycles always had.
  const testing::Watchdog watchdog(
      absl::Seconds(std::max(600, 30 * cycles)),
      absl::StrCat("the crash test (", cycles, " cycles)"));
  std::mt19937 rng(seed);

  ASSERT_NO_FATAL_FAILURE(StartIngest());
  int replica_port = 0;
  std::unique_ptr<ChildProcess> replica = StartQuery("replica", &replica_port);
  ASSERT_NE(replica, nullptr);

  std::set<std::string> acknowledged;
  int lost = 0;
  int ingest_kills = 0;
  int replica_kills = 0;
  std::map<int, int> failure_codes;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    Acks acks;
    std::atomic<bool> stop{false};
    std::atomic<int> counter{0};
    std::vector<std::thread> writers;
    writers.emplace_back(UnaryWriter, ingest_stub_.get(), cycle, &stop,
                         &counter, &acks);
    writers.emplace_back(StreamWriter, ingest_stub_.get(), cycle, rng(), &stop,
                         &counter, &acks);
    writers.emplace_back(UnaryWriter, ingest_stub_.get(), cycle, &stop,
                         &counter, &acks);

    // The moment: after a random number of acknowledgements, then a random
    // few milliseconds more, so the kill lands anywhere in a commit.
    const size_t target = std::uniform_int_distribution<int>(2, 40)(rng);
    const int extra_us = std::uniform_int_distribution<int>(0, 20000)(rng);
    const bool kill_replica = std::bernoulli_distribution(0.6)(rng);
    const size_t replica_target =
        std::uniform_int_distribution<int>(1, static_cast<int>(target))(rng);
    if (kill_replica) {
      EXPECT_TRUE(acks.WaitFor(replica_target)) << Log("ingest");
      replica->Signal(SIGKILL);
      ASSERT_OK(replica->Wait(absl::Seconds(30)).status());
      ++replica_kills;
    }
    EXPECT_TRUE(acks.WaitFor(target)) << Log("ingest");
    std::this_thread::sleep_for(std::chrono::microseconds(extra_us));
    ingest_->Signal(SIGKILL);
    ASSERT_OK_AND_ASSIGN(int exit_code, ingest_->Wait(absl::Seconds(30)));
    EXPECT_EQ(exit_code, 128 + SIGKILL);
    ++ingest_kills;
    stop = true;
    for (auto& writer : writers) writer.join();
    {
      std::lock_guard<std::mutex> lock(acks.mu);
      acknowledged.insert(acks.names.begin(), acks.names.end());
      for (const auto& [code, count] : acks.codes) {
        failure_codes[code] += count;
      }
    }

    // Restart on the same data directory; everything acknowledged so far
    // is there, and the change log has no gap.
    ASSERT_NO_FATAL_FAILURE(StartIngest());
    if (kill_replica) {
      replica = StartQuery("replica", &replica_port);
      ASSERT_NE(replica, nullptr);
    }
    const std::set<std::string> stored = ListArticleNames();
    for (const std::string& name : acknowledged) {
      if (stored.count(name) == 0) {
        ++lost;
        ADD_FAILURE() << name << " was acknowledged but lost (cycle " << cycle
                      << ")";
      }
    }
    // Spot-check GetArticle on this cycle's acknowledgements.
    int checked = 0;
    for (const std::string& name : acks.names) {
      if (++checked > 5) break;
      grpc::ClientContext context;
      context.set_deadline(In(10));
      v1::GetArticleRequest request;
      request.set_name(name);
      v1::Article article;
      grpc::Status status =
          ingest_stub_->GetArticle(&context, request, &article);
      EXPECT_TRUE(status.ok()) << name << ": " << status.error_message();
      EXPECT_FALSE(article.text().empty()) << name;
    }
    CheckChangeLogGapFree();
  }
  const uint64_t head = CheckChangeLogGapFree();
  std::printf(
      "crash test: %d ingest kills, %d replica kills, %zu acknowledged, "
      "%d lost, change log head %llu\n",
      ingest_kills, replica_kills, acknowledged.size(), lost,
      static_cast<unsigned long long>(head));
  for (const auto& [code, count] : failure_codes) {
    std::printf("crash test: %d calls ended with code %d\n", count, code);
  }
  EXPECT_EQ(lost, 0);
  EXPECT_GE(acknowledged.size(), static_cast<size_t>(cycles));

  // A fresh replica, then both replicas caught up with the head.
  int fresh_port = 0;
  std::unique_ptr<ChildProcess> fresh = StartQuery("fresh", &fresh_port);
  ASSERT_NE(fresh, nullptr);
  for (int port : {replica_port, fresh_port}) {
    auto stub = v1::QueryService::NewStub(Channel(port));
    grpc::ClientContext context;
    context.set_deadline(In(90));
    v1::GetStatsRequest request;
    request.set_consistency_token(absl::StrCat(head));
    v1::GetStatsResponse response;
    grpc::Status status = stub->GetStats(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message() << Log("replica");
    EXPECT_EQ(response.applied_sequence(), head);
  }

  // Stop everything cleanly, then look at the stores offline.
  for (ChildProcess* process : {replica.get(), fresh.get(), ingest_.get()}) {
    process->Signal(SIGTERM);
    ASSERT_OK_AND_ASSIGN(int exit_code, process->Wait(absl::Seconds(30)));
    EXPECT_EQ(exit_code, 0);
  }
  ASSERT_OK_AND_ASSIGN(store::StoreCheckReport report,
                       store::CheckIngestStore(dir_.path() + "/ingest"));
  EXPECT_THAT(report.problems, IsEmpty())
      << absl::StrJoin(report.problems, "\n");
  EXPECT_EQ(report.change_log_head, head);
  // Articles committed just before a kill may be stored unacknowledged.
  EXPECT_GE(report.article_count, acknowledged.size());
  std::printf(
      "crash test: store checker: %llu articles, %llu summits, %llu aliases, "
      "%llu declarations, %llu initiatives, head %llu, %zu problems\n",
      static_cast<unsigned long long>(report.article_count),
      static_cast<unsigned long long>(report.summit_count),
      static_cast<unsigned long long>(report.alias_count),
      static_cast<unsigned long long>(report.declaration_count),
      static_cast<unsigned long long>(report.initiative_count),
      static_cast<unsigned long long>(report.change_log_head),
      report.problems.size());

  ASSERT_OK_AND_ASSIGN(std::vector<std::string> crashed,
                       store::DumpStore(dir_.path() + "/replica"));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> clean,
                       store::DumpStore(dir_.path() + "/fresh"));
  EXPECT_EQ(crashed.size(), clean.size());
  std::sort(crashed.begin(), crashed.end());
  std::sort(clean.begin(), clean.end());
  std::vector<std::string> only_crashed;
  std::vector<std::string> only_clean;
  std::set_difference(crashed.begin(), crashed.end(), clean.begin(),
                      clean.end(), std::back_inserter(only_crashed));
  std::set_difference(clean.begin(), clean.end(), crashed.begin(),
                      crashed.end(), std::back_inserter(only_clean));
  EXPECT_THAT(only_crashed, IsEmpty()) << "in the killed replica only";
  EXPECT_THAT(only_clean, IsEmpty()) << "in the fresh replica only";
  std::printf("crash test: replica stores: %zu entries each, %zu differ\n",
              clean.size(), only_crashed.size() + only_clean.size());
}

}  // namespace
}  // namespace communique
