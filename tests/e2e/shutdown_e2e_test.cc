// Graceful shutdown of the real ingest binary under load: after SIGTERM no
// call fails except with UNAVAILABLE, the process exits 0, and after a
// restart on the same store every acknowledged article is there.

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"
#include "tests/testing/process.h"

namespace communique {
namespace {

using ::communique::testing::ChildProcess;
using ::communique::testing::TempDir;

constexpr char kToken[] = "shutdown-test-writer";

class ShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(testing::MakeDevCerts(dir_.path() + "/tls"));
    std::ofstream(dir_.path() + "/writer.token") << kToken << "\n";
    auto ca = testing::ReadFileToString(dir_.path() + "/tls/ca.pem");
    ASSERT_OK(ca.status());
    ca_ = *ca;
  }

  void Start() {
    const std::string port_file = dir_.path() + "/port";
    std::filesystem::remove(port_file);
    auto child = ChildProcess::Start(
        {testing::BinaryDir() + "/ingest_service/communique-ingest",
         "--listen=127.0.0.1:0", "--port_file=" + port_file,
         "--data_dir=" + dir_.path() + "/data",
         "--tls_cert=" + dir_.path() + "/tls/server.pem",
         "--tls_key=" + dir_.path() + "/tls/server.key",
         "--writer_token_file=" + dir_.path() + "/writer.token",
         "--shutdown_delay_seconds=1", "--drain_seconds=5",
         "--noaccess_log"},
        dir_.path() + "/ingest.log");
    ASSERT_OK(child.status());
    process_ = std::make_unique<ChildProcess>(*std::move(child));
    auto port = testing::WaitForPortFile(port_file, absl::Seconds(20));
    ASSERT_OK(port.status());
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ca_;
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    stub_ = v1::IngestService::NewStub(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", *port), grpc::SslCredentials(ssl), args));
  }

  TempDir dir_;
  std::string ca_;
  std::unique_ptr<ChildProcess> process_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
};

TEST_F(ShutdownTest, SigtermUnderLoadLosesNothingAcknowledged) {
  Start();
  std::atomic<bool> stop{false};
  std::atomic<bool> sigterm_sent{false};
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::map<int, int> failures_after_sigterm;  // code -> count
  int failures_before_sigterm = 0;
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop.load(); ++i) {
        const std::string id = absl::StrCat("w", w, "-", i);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(10));
        context.set_credentials(grpc::AccessTokenCredentials(kToken));
        v1::IngestArticleRequest request;
        request.mutable_article()->set_external_id(id);
        request.mutable_article()->set_text(absl::StrCat(
            "The CSTO Collective Security Council met in Minsk on November ",
            1 + i % 28, ", 2023. Writer ", w, " article ", i, "."));
        v1::IngestArticleResponse response;
        const bool before = !sigterm_sent.load();
        grpc::Status status = stub_->IngestArticle(&context, request, &response);
        std::lock_guard<std::mutex> lock(mu);
        if (status.ok()) {
          acknowledged.push_back(response.article());
        } else if (before && !sigterm_sent.load()) {
          ++failures_before_sigterm;
        } else {
          ++failures_after_sigterm[status.error_code()];
          if (failures_after_sigterm[status.error_code()] > 20) return;
        }
      }
    });
  }
  // Let load build up, then ask the server to stop.
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::lock_guard<std::mutex> lock(mu);
    if (acknowledged.size() >= 30) break;
  }
  sigterm_sent = true;
  process_->Signal(SIGTERM);
  ASSERT_OK_AND_ASSIGN(int exit_code, process_->Wait(absl::Seconds(30)));
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(failures_before_sigterm, 0);
  for (const auto& [code, count] : failures_after_sigterm) {
    EXPECT_EQ(code, grpc::StatusCode::UNAVAILABLE)
        << count << " calls failed with code " << code;
  }

  // The store reopens clean and holds every acknowledged article.
  Start();
  std::set<std::string> stored;
  std::string page_token;
  do {
    grpc::ClientContext context;
    v1::ListArticlesRequest request;
    request.set_page_size(1000);
    request.set_page_token(page_token);
    v1::ListArticlesResponse response;
    ASSERT_TRUE(stub_->ListArticles(&context, request, &response).ok());
    for (const auto& a : response.articles()) stored.insert(a.name());
    page_token = response.next_page_token();
  } while (!page_token.empty());
  ASSERT_GE(acknowledged.size(), 30u);
  for (const std::string& name : acknowledged) {
    EXPECT_TRUE(stored.count(name) > 0) << name << " was acknowledged but lost";
  }
}

}  // namespace
}  // namespace communique
