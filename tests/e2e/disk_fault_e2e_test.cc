// Disk faults on the ingest service (issue 8 item 2): the store's disk
// fills up while articles are being ingested. Writes must fail with
// RESOURCE_EXHAUSTED (never hang, never crash the process), readiness must
// turn NOT_SERVING while liveness stays SERVING, reads must keep working;
// when space returns the store must resume, readiness return to SERVING,
// and every article acknowledged before, during and after the fault must be
// in the store, which the offline checker finds consistent.
//
// Two ways to fill the disk, both run:
//  * FullTmpfs: the real communique-ingest binary on a RocksDB directory
//    that is a size-limited tmpfs, where a filler file takes all the free
//    space (the real ENOSPC path through the kernel). Needs mount(2)
//    (CAP_SYS_ADMIN): skipped, saying so, where the test runs unprivileged.
//  * InjectedNoSpace: the same service assembled in process (IngestServer,
//    the shared server bootstrap with its health service, and the ingest
//    binary's store readiness monitor) on a store opened through the
//    store's own fault seam, StoreOptions::test_only_disk_full_file: every
//    file append of the store fails with NoSpace while a trigger file
//    exists. Needs nothing, so it runs everywhere; the production binary
//    carries no test-only flag.

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "ingest_service/change_feed_server.h"
#include "ingest_service/ingest_pipeline.h"
#include "ingest_service/ingest_server.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/rpc/readiness.h"
#include "shared/rpc/server.h"
#include "shared/status/status_macros.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/store/ingest_store.h"
#include "shared/store/store_checker.h"
#include "tests/testing/health.h"
#include "tests/testing/process.h"

namespace communique {
namespace {

using ::communique::testing::ChildProcess;
using ::communique::testing::TempDir;
using ::testing::HasSubstr;

constexpr int kServing = 1;
constexpr int kNotServing = 2;

const char* const kCities[] = {"Minsk", "Moscow", "Astana", "Bishkek",
                               "Dushanbe", "Yerevan", "Tashkent", "Baku"};

std::string ArticleText(int n) {
  return absl::StrCat(
      "The CSTO Collective Security Council held its session in ",
      kCities[n % 8], " on November ", 1 + n % 27, ", ", 2010 + (n / 8) % 12,
      ". The heads of state adopted a declaration on collective security. "
      "Disk fault test article ",
      n, " reports that the leaders discussed regional stability.");
}

// A size-limited tmpfs mounted on `path` (lazily unmounted on destruction).
class TmpfsMount {
 public:
  // errno of mount(2), 0 on success.
  int Mount(const std::string& path, int size_mib) {
    if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return errno;
    const std::string options = absl::StrCat("size=", size_mib, "m");
    if (mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) != 0) {
      return errno;
    }
    path_ = path;
    return 0;
  }
  ~TmpfsMount() {
    if (!path_.empty()) umount2(path_.c_str(), MNT_DETACH);
  }

 private:
  std::string path_;
};

// Writes `path` until the filesystem has no space left; returns the bytes
// written, or -1 with errno on another error.
int64_t FillDisk(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  std::string chunk(1 << 20, 'x');
  int64_t total = 0;
  for (size_t size : {size_t{1} << 20, size_t{4096}, size_t{1}}) {
    while (true) {
      ssize_t n = write(fd, chunk.data(), size);
      if (n > 0) {
        total += n;
        continue;
      }
      if (n < 0 && errno != ENOSPC) {
        close(fd);
        return -1;
      }
      break;
    }
  }
  fsync(fd);
  close(fd);
  return total;
}

// What a fault scenario observed.
struct Observed {
  std::map<grpc::StatusCode, int> codes_during;
  std::string first_error;
  std::set<std::string> acked;  // article names acknowledged
  int attempts_before_failure = 0;
  absl::Duration not_serving_after;
  absl::Duration serving_again_after;
};

// The ingest service assembled in process as communique-ingest's main does
// (pipeline, IngestServer and ChangeFeedServer on the shared bootstrap, with
// the health service and the store-writable readiness monitor), on a store
// opened with `store_options`.
class InProcessIngest {
 public:
  absl::Status Start(const std::string& data_dir,
                     const store::StoreOptions& store_options) {
    ASSIGN_OR_RETURN(gazetteer_, gazetteer::Gazetteer::LoadDefault());
    ASSIGN_OR_RETURN(extractor_, extract::Extractor::Create(gazetteer_));
    ASSIGN_OR_RETURN(store_, store::OpenIngestStore(data_dir, store_options));
    ingest::IngestPipeline::Options pipeline_options;
    pipeline_options.naming = ingest::NamingRulesFrom(*gazetteer_);
    pipeline_ = std::make_unique<ingest::IngestPipeline>(
        store_.get(), extractor_.get(), std::move(pipeline_options));
    ingest_server_ =
        std::make_unique<ingest::IngestServer>(pipeline_.get(), store_.get());
    feed_server_ = std::make_unique<ingest::ChangeFeedServer>(store_.get());
    rpc::ServerConfig config;
    config.tls.insecure = true;
    config.access_log = false;  // errors and slow calls only
    config.health_listen_address = "127.0.0.1:0";
    config.service_names = {"communique.v1.IngestService",
                            "communique.v1.ChangeFeedService"};
    ASSIGN_OR_RETURN(rpc::RunningServer server,
                     rpc::StartServer(config, {ingest_server_.get(),
                                               feed_server_.get()}));
    server_ = std::make_unique<rpc::RunningServer>(std::move(server));
    server_->SetReady(true);
    store::IngestStore* store = store_.get();
    monitor_ = std::make_unique<rpc::ReadinessMonitor>(
        server_.get(), [store] { return store->Resume(); },
        absl::Milliseconds(500));
    return absl::OkStatus();
  }
  int port() const { return server_->port; }
  int health_port() const { return server_->health_port; }

  // The binary's drain, then closes the store.
  void Stop() {
    if (server_ == nullptr) return;
    monitor_->Stop();
    feed_server_->Shutdown();
    rpc::DrainAndStop(*server_, std::chrono::milliseconds(0),
                      std::chrono::seconds(5));
    monitor_.reset();
    server_.reset();
    feed_server_.reset();
    ingest_server_.reset();
    pipeline_.reset();
    store_.reset();
  }
  ~InProcessIngest() { Stop(); }

 private:
  std::shared_ptr<const gazetteer::Gazetteer> gazetteer_;
  std::unique_ptr<extract::Extractor> extractor_;
  std::unique_ptr<store::IngestStore> store_;
  std::unique_ptr<ingest::IngestPipeline> pipeline_;
  std::unique_ptr<ingest::IngestServer> ingest_server_;
  std::unique_ptr<ingest::ChangeFeedServer> feed_server_;
  std::unique_ptr<rpc::RunningServer> server_;
  std::unique_ptr<rpc::ReadinessMonitor> monitor_;
};

class DiskFaultTest : public ::testing::Test {
 protected:
  // Starts the ingest service in process on `data_dir`, its store opened
  // with `store_options`.
  void StartInProcess(const std::string& data_dir,
                      const store::StoreOptions& store_options) {
    in_process_ = std::make_unique<InProcessIngest>();
    ASSERT_OK(in_process_->Start(data_dir, store_options));
    Connect(in_process_->port(), in_process_->health_port());
  }

  // Starts the communique-ingest binary on `data_dir`.
  void Start(const std::string& data_dir) {
    port_file_ = dir_.path() + "/port";
    log_ = dir_.path() + "/ingest.log";
    std::vector<std::string> argv = {
        testing::BinaryDir() + "/ingest_service/communique-ingest",
        "--listen=127.0.0.1:0",
        "--port_file=" + port_file_,
        "--data_dir=" + data_dir,
        "--insecure",
        "--health_listen=127.0.0.1:0",
        "--shutdown_delay_seconds=0"};
    auto child = ChildProcess::Start(argv, log_);
    ASSERT_OK(child.status());
    child_ = std::make_unique<ChildProcess>(std::move(*child));
    ASSERT_OK_AND_ASSIGN(int port, testing::WaitForPortFile(
                                       port_file_, absl::Seconds(30)));
    ASSERT_OK_AND_ASSIGN(std::string log, testing::ReadFileToString(log_));
    std::smatch match;
    ASSERT_TRUE(std::regex_search(log, match,
                                  std::regex("\"health_port\":\"([0-9]+)\"")))
        << log;
    Connect(port, std::stoi(match[1].str()));
  }

  void Connect(int port, int health_port) {
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                            grpc::InsecureChannelCredentials());
    stub_ = v1::IngestService::NewStub(channel);
    health_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", health_port),
                                  grpc::InsecureChannelCredentials());
    ASSERT_EQ(*testing::CheckHealth(health_, "readiness"), kServing);
  }

  // A clean shutdown: SIGTERM to the binary (which must exit 0), or the
  // same drain in process.
  void Stop() {
    if (in_process_ != nullptr) {
      in_process_->Stop();
      return;
    }
    child_->Signal(SIGTERM);
    ASSERT_OK_AND_ASSIGN(int code, child_->Wait(absl::Seconds(60)));
    EXPECT_EQ(code, 0);
  }

  grpc::Status Ingest(int n, v1::IngestArticleResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
    v1::IngestArticleRequest request;
    request.mutable_article()->set_text(ArticleText(n));
    return stub_->IngestArticle(&context, request, response);
  }

  // Polls readiness until it reports `want` (or `timeout`); returns how
  // long it took, or a negative duration on timeout.
  absl::Duration AwaitReadiness(int want, absl::Duration timeout) {
    const absl::Time start = absl::Now();
    while (absl::Now() - start < timeout) {
      auto status = testing::CheckHealth(health_, "readiness");
      if (status.ok() && *status == want) return absl::Now() - start;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return -absl::Seconds(1);
  }

  // The scenario: ingest, fill the disk, ingest into the full disk, free
  // it, ingest again; then check everything acknowledged is stored.
  void Run(const std::string& data_dir, const std::function<void()>& fill,
           const std::function<void()>& free, Observed* seen) {
    int n = 0;
    // Before: all succeed.
    for (int i = 0; i < 10; ++i, ++n) {
      v1::IngestArticleResponse response;
      grpc::Status status = Ingest(n, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      seen->acked.insert(response.article());
    }

    fill();
    // During: keep ingesting until writes fail (a write may still fit in
    // space RocksDB already holds), then a few more into the full disk.
    int failures = 0;
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    for (; failures < 5 && absl::Now() < deadline; ++n) {
      v1::IngestArticleResponse response;
      grpc::Status status = Ingest(n, &response);
      seen->codes_during[status.error_code()]++;
      if (status.ok()) {
        seen->acked.insert(response.article());
        if (failures == 0) ++seen->attempts_before_failure;
        continue;
      }
      if (failures++ == 0) seen->first_error = status.error_message();
      EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
          << status.error_message();
      EXPECT_THAT(status.error_message(), HasSubstr("disk full"));
    }
    ASSERT_EQ(failures, 5) << "writes never failed on the full disk";
    seen->not_serving_after = AwaitReadiness(kNotServing, absl::Seconds(10));
    ASSERT_GE(seen->not_serving_after, absl::ZeroDuration())
        << "readiness stayed SERVING on a full disk";
    EXPECT_EQ(*testing::CheckHealth(health_, "liveness"), kServing);
    EXPECT_EQ(*testing::CheckHealth(health_, "communique.v1.IngestService"),
              kNotServing);
    {
      // Reads keep working.
      grpc::ClientContext context;
      v1::GetArticleRequest request;
      request.set_name(*seen->acked.begin());
      v1::Article article;
      grpc::Status status = stub_->GetArticle(&context, request, &article);
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    {
      // Still failing while NOT_SERVING, with the same clear code.
      v1::IngestArticleResponse response;
      grpc::Status status = Ingest(n++, &response);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
      seen->codes_during[status.error_code()]++;
      if (status.ok()) seen->acked.insert(response.article());
    }

    free();
    seen->serving_again_after = AwaitReadiness(kServing, absl::Seconds(30));
    ASSERT_GE(seen->serving_again_after, absl::ZeroDuration())
        << "readiness did not return to SERVING after space was freed";
    // After: all succeed again.
    for (int i = 0; i < 10; ++i, ++n) {
      v1::IngestArticleResponse response;
      grpc::Status status = Ingest(n, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      seen->acked.insert(response.article());
    }
    // Every acknowledged article is readable from the live service...
    for (const std::string& name : seen->acked) {
      grpc::ClientContext context;
      v1::GetArticleRequest request;
      request.set_name(name);
      v1::Article article;
      EXPECT_TRUE(stub_->GetArticle(&context, request, &article).ok()) << name;
    }
    // ...and, after a clean shutdown, from the store on disk, which the
    // offline checker finds consistent.
    ASSERT_NO_FATAL_FAILURE(Stop());
    ASSERT_OK_AND_ASSIGN(store::StoreCheckReport report,
                         store::CheckIngestStore(data_dir));
    EXPECT_THAT(report.problems, ::testing::IsEmpty());
    EXPECT_EQ(report.article_count, seen->acked.size());

    std::string codes;
    for (const auto& [code, count] : seen->codes_during) {
      absl::StrAppend(&codes, " code ", static_cast<int>(code), " x", count);
    }
    std::printf(
        "acknowledged %zu articles (%d during the fault before the first "
        "failure), stored %llu; during the fault:%s; first error: %s; "
        "NOT_SERVING after %s, SERVING again %s after space returned\n",
        seen->acked.size(), seen->attempts_before_failure,
        static_cast<unsigned long long>(report.article_count), codes.c_str(),
        seen->first_error.c_str(),
        absl::FormatDuration(seen->not_serving_after).c_str(),
        absl::FormatDuration(seen->serving_again_after).c_str());
  }

  void TearDown() override {
    if (!HasFailure()) return;
    auto log = testing::ReadFileToString(log_);
    if (log.ok()) {
      std::printf("ingest log (tail):\n%s\n",
                  log->substr(log->size() > 6000 ? log->size() - 6000 : 0)
                      .c_str());
    }
  }

  TempDir dir_;
  std::string port_file_;
  std::string log_;
  std::unique_ptr<ChildProcess> child_;
  std::unique_ptr<InProcessIngest> in_process_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
  std::shared_ptr<grpc::Channel> health_;
};

TEST_F(DiskFaultTest, FullTmpfs) {
  TmpfsMount tmpfs;
  const std::string mount_point = dir_.path() + "/disk";
  if (int err = tmpfs.Mount(mount_point, 24); err != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(err)
                 << "; needs CAP_SYS_ADMIN): the InjectedNoSpace variant "
                    "covers the service's behaviour";
  }
  const std::string data_dir = mount_point + "/ingest";
  const std::string filler = mount_point + "/filler";
  ASSERT_NO_FATAL_FAILURE(Start(data_dir));
  Observed seen;
  Run(
      data_dir,
      [&] {
        const int64_t bytes = FillDisk(filler);
        ASSERT_GT(bytes, 0) << std::strerror(errno);
        std::printf("filler took %lld bytes\n", static_cast<long long>(bytes));
      },
      [&] { ASSERT_EQ(unlink(filler.c_str()), 0); }, &seen);
}

TEST_F(DiskFaultTest, InjectedNoSpace) {
  const std::string data_dir = dir_.path() + "/ingest";
  const std::string trigger = dir_.path() + "/disk-full";
  store::StoreOptions store_options;
  store_options.test_only_disk_full_file = trigger;
  ASSERT_NO_FATAL_FAILURE(StartInProcess(data_dir, store_options));
  Observed seen;
  Run(
      data_dir,
      [&] {
        int fd = open(trigger.c_str(), O_WRONLY | O_CREAT, 0644);
        ASSERT_GE(fd, 0);
        close(fd);
      },
      [&] { ASSERT_EQ(unlink(trigger.c_str()), 0); }, &seen);
}

}  // namespace
}  // namespace communique
