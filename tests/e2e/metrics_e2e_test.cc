// The real ingest binary's Prometheus endpoint: the grpc_server_* families
// dashboards know, domain gauges, and (when promtool is installed) a clean
// `promtool check metrics`.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <string>

#include "absl/strings/str_cat.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"
#include "tests/testing/health.h"
#include "tests/testing/http.h"
#include "tests/testing/process.h"

namespace communique {
namespace {

using ::communique::testing::ChildProcess;
using ::communique::testing::TempDir;
using ::testing::HasSubstr;

TEST(MetricsE2eTest, ServesGrpcAndDomainMetrics) {
  TempDir dir;
  const std::string port_file = dir.path() + "/port";
  auto child = ChildProcess::Start(
      {testing::BinaryDir() + "/ingest_service/communique-ingest",
       "--listen=127.0.0.1:0", "--port_file=" + port_file,
       "--data_dir=" + dir.path() + "/data", "--insecure",
       "--metrics_listen=127.0.0.1:0", "--health_listen=127.0.0.1:0",
       "--shutdown_delay_seconds=0"},
      dir.path() + "/ingest.log");
  ASSERT_OK(child.status());
  ASSERT_OK_AND_ASSIGN(int port,
                       testing::WaitForPortFile(port_file, absl::Seconds(20)));
  ASSERT_OK_AND_ASSIGN(std::string log,
                       testing::ReadFileToString(dir.path() + "/ingest.log"));
  std::smatch match;
  ASSERT_TRUE(std::regex_search(log, match,
                                std::regex("\"metrics_port\":\"([0-9]+)\"")))
      << log;
  const int metrics_port = std::stoi(match[1]);
  ASSERT_GT(metrics_port, 0);
  // The plaintext health-only port answers Kubernetes-style probes.
  ASSERT_TRUE(std::regex_search(log, match,
                                std::regex("\"health_port\":\"([0-9]+)\"")));
  auto health = grpc::CreateChannel(absl::StrCat("127.0.0.1:", match[1].str()),
                                    grpc::InsecureChannelCredentials());
  EXPECT_EQ(*testing::CheckHealth(health, "liveness"), 1);
  EXPECT_EQ(*testing::CheckHealth(health, "readiness"), 1);
  EXPECT_EQ(*testing::CheckHealth(health, "communique.v1.IngestService"), 1);

  auto stub = v1::IngestService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext context;
    v1::ListArticlesResponse response;
    ASSERT_TRUE(
        stub->ListArticles(&context, v1::ListArticlesRequest(), &response).ok());
  }
  grpc::ClientContext bad_context;
  v1::GetArticleRequest bad;
  bad.set_name("nope");
  v1::Article article;
  EXPECT_EQ(stub->GetArticle(&bad_context, bad, &article).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  for (const std::string& article :
       {std::string("The CSTO Collective Security Council met in Minsk on "
                    "November 23, 2023.\nSubscribe to our channel"),
        std::string()}) {
    grpc::ClientContext context;
    v1::IngestArticleRequest request;
    request.mutable_article()->set_text(article);
    v1::IngestArticleResponse response;
    (void)stub->IngestArticle(&context, request, &response);
  }

  const std::string text = testing::HttpGet(metrics_port, "/metrics");
  EXPECT_THAT(text, HasSubstr(
      "communique_articles_ingested_total{outcome=\"created\"} 1"));
  EXPECT_THAT(text, HasSubstr(
      "communique_articles_ingested_total{outcome=\"INVALID_ARGUMENT\"} 1"));
  EXPECT_THAT(text, HasSubstr("communique_extraction_warnings_total{kind="));
  EXPECT_THAT(text, HasSubstr("grpc_server_started_total{"));
  EXPECT_THAT(text, HasSubstr("grpc_method=\"ListArticles\""));
  EXPECT_THAT(text, HasSubstr("grpc_code=\"INVALID_ARGUMENT\""));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_bucket{"));
  EXPECT_THAT(text, HasSubstr("grpc_server_msg_received_total{"));
  EXPECT_THAT(text, HasSubstr("communique_changelog_head_sequence "));
  EXPECT_THAT(text, HasSubstr("communique_store_live_bytes"));
  EXPECT_THAT(text, HasSubstr("communique_rocksdb_block_cache_hit_ratio"));
  EXPECT_THAT(text, HasSubstr("communique_rocksdb_pending_compaction_bytes"));
  EXPECT_THAT(text, HasSubstr("communique_rocksdb_write_stall_seconds"));

  if (std::system("command -v promtool >/dev/null 2>&1") == 0) {
    const std::string file = dir.path() + "/metrics.txt";
    std::ofstream(file) << text;
    EXPECT_EQ(std::system(("promtool check metrics < " + file).c_str()), 0);
  } else {
    std::printf("promtool not installed: format check skipped\n");
  }
}

}  // namespace
}  // namespace communique
