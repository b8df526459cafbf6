// Production surface of the real binaries, ingest and a query replica
// following it: default and maximum deadlines of unary calls (streams
// exempt), records-per-type gauges on both services (promtool-clean), the
// replica's change-feed subscription carrying a traceparent that both
// sides log, and requests that do not parse (invalid UTF-8 in a string
// field) answered INVALID_ARGUMENT instead of gRPC's UNIMPLEMENTED.

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "communique/v1/query_service.grpc.pb.h"
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

std::chrono::system_clock::time_point In(double seconds) {
  return std::chrono::system_clock::now() +
         std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

// The value of the sample `series` (name with labels) in a scrape; -1 if
// absent.
double Sample(const std::string& text, const std::string& series) {
  size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

// A unary call with hand-made request bytes (to send what generated code
// would refuse to serialize).
grpc::Status RawUnary(std::shared_ptr<grpc::Channel> channel,
                      const std::string& method, const std::string& bytes) {
  return testing::RawUnaryCall(channel, method, bytes, std::chrono::seconds(10));
}

class ProductionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(Start("ingest",
        {testing::BinaryDir() + "/ingest_service/communique-ingest",
         "--data_dir=" + dir_.path() + "/ingest"},
        &ingest_port_, &ingest_metrics_));
    ASSERT_NO_FATAL_FAILURE(Start("query",
        {testing::BinaryDir() + "/query_service/communique-query",
         "--data_dir=" + dir_.path() + "/query",
         absl::StrCat("--upstream=127.0.0.1:", ingest_port_),
         "--default_deadline_ms=500", "--max_deadline_ms=800"},
        &query_port_, &query_metrics_));
    ingest_channel_ = grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", ingest_port_),
        grpc::InsecureChannelCredentials());
    query_channel_ = grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", query_port_),
        grpc::InsecureChannelCredentials());
    ingest_ = v1::IngestService::NewStub(ingest_channel_);
    query_ = v1::QueryService::NewStub(query_channel_);
    // Ready once caught up with the (empty) feed.
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      auto status = testing::CheckHealth(query_channel_, "readiness");
      if (status.ok() && *status == 1) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_EQ(*testing::CheckHealth(query_channel_, "readiness"), 1);
  }

  void Start(const std::string& name, std::vector<std::string> argv,
             int* port, int* metrics_port) {
    const std::string port_file = dir_.path() + "/" + name + ".port";
    for (const char* flag :
         {"--listen=127.0.0.1:0", "--insecure", "--metrics_listen=127.0.0.1:0",
          "--shutdown_delay_seconds=0", "--drain_seconds=2"}) {
      argv.push_back(flag);
    }
    argv.push_back("--port_file=" + port_file);
    auto child = ChildProcess::Start(argv, dir_.path() + "/" + name + ".log");
    ASSERT_OK(child.status());
    children_.push_back(std::make_unique<ChildProcess>(std::move(*child)));
    ASSERT_OK_AND_ASSIGN(*port,
                         testing::WaitForPortFile(port_file, absl::Seconds(30)));
    std::smatch match;
    const std::string log = Log(name);
    ASSERT_TRUE(std::regex_search(log, match,
                                  std::regex("\"metrics_port\":\"([0-9]+)\"")))
        << log;
    *metrics_port = std::stoi(match[1]);
  }

  std::string Log(const std::string& name) {
    auto log = testing::ReadFileToString(dir_.path() + "/" + name + ".log");
    return log.ok() ? *log : "";
  }

  v1::IngestArticleResponse Ingest(const std::string& text) {
    grpc::ClientContext context;
    context.set_deadline(In(30));
    v1::IngestArticleRequest request;
    request.mutable_article()->set_text(text);
    v1::IngestArticleResponse response;
    grpc::Status status = ingest_->IngestArticle(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  TempDir dir_;
  std::vector<std::unique_ptr<ChildProcess>> children_;
  int ingest_port_ = 0, ingest_metrics_ = 0;
  int query_port_ = 0, query_metrics_ = 0;
  std::shared_ptr<grpc::Channel> ingest_channel_, query_channel_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<v1::QueryService::Stub> query_;
};

TEST_F(ProductionTest, UnaryCallsGetTheDefaultAndMaximumDeadlines) {
  v1::IngestArticleResponse ingested = Ingest(
      "The CSTO Collective Security Council met in Minsk on November 23, "
      "2023. The heads of state adopted a declaration on collective "
      "security.");
  ASSERT_FALSE(ingested.affected_summits().empty());
  const std::string summit = ingested.affected_summits(0);

  // A read waiting for a consistency token that will never arrive would
  // wait up to 30 s (the handler's own cap); the server's default deadline
  // (500 ms) ends a call that set none.
  v1::GetSummitRequest request;
  request.set_name(summit);
  request.set_consistency_token("999999999");
  {
    grpc::ClientContext context;
    v1::Summit response;
    const absl::Time start = absl::Now();
    grpc::Status status = query_->GetSummit(&context, request, &response);
    const absl::Duration took = absl::Now() - start;
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
        << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("--default_deadline_ms"));
    EXPECT_GE(took, absl::Milliseconds(450));
    EXPECT_LT(took, absl::Seconds(5));
    std::printf("no deadline: %s after %s\n", status.error_message().c_str(),
                absl::FormatDuration(took).c_str());
  }
  {
    // A 60 s deadline is capped at the maximum (800 ms).
    grpc::ClientContext context;
    context.set_deadline(In(60));
    v1::Summit response;
    const absl::Time start = absl::Now();
    grpc::Status status = query_->GetSummit(&context, request, &response);
    const absl::Duration took = absl::Now() - start;
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_THAT(status.error_message(), HasSubstr("--max_deadline_ms"));
    EXPECT_GE(took, absl::Milliseconds(750));
    EXPECT_LT(took, absl::Seconds(5));
    std::printf("60 s deadline: %s after %s\n", status.error_message().c_str(),
                absl::FormatDuration(took).c_str());
  }
  {
    // A shorter deadline of the client's own is the client's (gRPC's own
    // DEADLINE_EXCEEDED, without the server's message).
    grpc::ClientContext context;
    context.set_deadline(In(0.2));
    v1::Summit response;
    grpc::Status status = query_->GetSummit(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_THAT(status.error_message(), ::testing::Not(HasSubstr("--")));
  }
  {
    // Calls that finish in time are untouched.
    grpc::ClientContext context;
    v1::GetSummitRequest plain;
    plain.set_name(summit);
    plain.set_consistency_token(ingested.consistency_token());
    v1::Summit response;
    grpc::Status status = query_->GetSummit(&context, plain, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  {
    // Streams are exempt: a watch without a deadline outlives the default
    // and the maximum, and ends only when the client cancels it.
    grpc::ClientContext context;
    v1::WatchSummitsRequest watch;
    auto stream = query_->WatchSummits(&context, watch);
    v1::WatchSummitsResponse response;
    ASSERT_TRUE(stream->Read(&response));  // the confirmation
    std::thread cancel([&context] {
      absl::SleepFor(absl::Milliseconds(1500));
      context.TryCancel();
    });
    const absl::Time start = absl::Now();
    while (stream->Read(&response)) {
    }
    const absl::Duration open = absl::Now() - start;
    cancel.join();
    grpc::Status status = stream->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED)
        << status.error_message();
    EXPECT_GE(open, absl::Milliseconds(1400));
  }
  // The services stay healthy.
  EXPECT_EQ(*testing::CheckHealth(query_channel_, "readiness"), 1);
}

TEST_F(ProductionTest, RecordGaugesCountEachTypeOnBothServices) {
  v1::IngestArticleResponse last;
  const char* const kCities[] = {"Minsk", "Astana", "Yerevan"};
  for (int i = 0; i < 3; ++i) {
    last = Ingest(absl::StrCat(
        "The CSTO Collective Security Council met in ", kCities[i],
        " on November ", 10 + i, ", ", 2015 + i,
        ". The heads of state adopted a declaration on collective security."));
  }
  // Wait for the replica to apply everything.
  {
    v1::GetStatsRequest request;
    v1::GetStatsResponse stats;
    for (int i = 0; i < 50; ++i) {
      grpc::ClientContext attempt;
      attempt.set_deadline(In(0.8));
      if (query_->GetStats(&attempt, request, &stats).ok() &&
          stats.summit_count() > 0 &&
          stats.applied_sequence() >= std::stoull(last.consistency_token())) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  grpc::ClientContext context;
  v1::GetStatsResponse stats;
  ASSERT_TRUE(query_->GetStats(&context, v1::GetStatsRequest(), &stats).ok());

  const std::string ingest = testing::HttpGet(ingest_metrics_, "/metrics");
  const std::string query = testing::HttpGet(query_metrics_, "/metrics");
  EXPECT_EQ(Sample(ingest, "communique_store_records{type=\"article\"}"), 3);
  EXPECT_EQ(Sample(ingest, "communique_store_records{type=\"summit\"}"),
            stats.summit_count());
  EXPECT_EQ(Sample(ingest, "communique_store_records{type=\"declaration\"}"),
            stats.declaration_count());
  EXPECT_EQ(Sample(ingest, "communique_store_records{type=\"initiative\"}"),
            stats.initiative_count());
  EXPECT_GE(Sample(ingest, "communique_store_records{type=\"alias\"}"), 0);
  EXPECT_GT(stats.summit_count(), 0);
  EXPECT_EQ(Sample(query, "communique_store_records{type=\"summit\"}"),
            stats.summit_count());
  EXPECT_EQ(Sample(query, "communique_store_records{type=\"declaration\"}"),
            stats.declaration_count());
  EXPECT_EQ(Sample(query, "communique_store_records{type=\"initiative\"}"),
            stats.initiative_count());
  // The replica holds no articles and counts no aliases: no such series.
  EXPECT_EQ(Sample(query, "communique_store_records{type=\"article\"}"), -1);
  std::printf("ingest: %.0f articles, %.0f summits, %.0f declarations\n",
              Sample(ingest, "communique_store_records{type=\"article\"}"),
              Sample(ingest, "communique_store_records{type=\"summit\"}"),
              Sample(ingest, "communique_store_records{type=\"declaration\"}"));

  if (std::system("command -v promtool >/dev/null 2>&1") == 0) {
    for (const auto& [name, text] :
         {std::pair<std::string, std::string>{"ingest", ingest},
          {"query", query}}) {
      const std::string file = dir_.path() + "/" + name + ".metrics";
      std::ofstream(file) << text;
      EXPECT_EQ(std::system(("promtool check metrics < " + file).c_str()), 0)
          << name;
    }
  } else {
    std::printf("promtool not installed: format check skipped\n");
  }
}

TEST_F(ProductionTest, ReplicaSubscriptionCarriesATraceBothSidesLog) {
  // The replica logs the trace id of its subscription...
  std::smatch match;
  std::string query_log;
  for (int i = 0; i < 200; ++i) {
    query_log = Log("query");
    if (std::regex_search(
            query_log, match,
            std::regex("\"msg\":\"following the change feed\".*\"trace_id\":"
                       "\"([0-9a-f]{32})\""))) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_FALSE(match.empty()) << query_log;
  const std::string trace_id = match[1];
  // ...and the ingest service logs the same one for the Subscribe stream,
  // when it starts and when it ends (the replica shuts down).
  std::string ingest_log = Log("ingest");
  EXPECT_TRUE(std::regex_search(
      ingest_log,
      std::regex("\"msg\":\"stream started\",\"trace_id\":\"" + trace_id +
                 "\".*\"rpc.method\":\"/communique.v1.ChangeFeedService/"
                 "Subscribe\"")))
      << ingest_log;
  children_[1]->Signal(SIGTERM);
  ASSERT_OK_AND_ASSIGN(int code, children_[1]->Wait(absl::Seconds(30)));
  EXPECT_EQ(code, 0);
  for (int i = 0; i < 100; ++i) {
    ingest_log = Log("ingest");
    if (std::regex_search(ingest_log,
                          std::regex("\"msg\":\"rpc\",\"trace_id\":\"" +
                                     trace_id + "\".*Subscribe"))) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(std::regex_search(
      ingest_log, std::regex("\"msg\":\"rpc\",\"trace_id\":\"" + trace_id +
                             "\".*Subscribe")))
      << ingest_log;
}

TEST_F(ProductionTest, UnparsableRequestsAreInvalidArgument) {
  // GetSummitRequest { name = "summits/\xff\xfe" }: a proto3 string field
  // must hold UTF-8, so the request does not parse.
  std::string bytes = "\x0a\x0asummits/\xff\xfe";
  grpc::Status status =
      RawUnary(query_channel_, "/communique.v1.QueryService/GetSummit", bytes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_code() << " " << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("UTF-8"));
  // The same on ingest (GetArticleRequest.name), and the access log says
  // INVALID_ARGUMENT too.
  status = RawUnary(ingest_channel_, "/communique.v1.IngestService/GetArticle",
                    "\x0a\x0a" "articles/\xc3\x28");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_TRUE(std::regex_search(
      Log("ingest"),
      std::regex("GetArticle\",\"grpc.code\":\"INVALID_ARGUMENT\"")))
      << Log("ingest");
  // Well-formed requests are unaffected and the services stay healthy.
  status = RawUnary(query_channel_, "/communique.v1.QueryService/GetSummit",
                    "\x0a\x0csummits/nope");
  EXPECT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(status.error_message(),
              ::testing::Not(HasSubstr("does not parse")));
  EXPECT_EQ(*testing::CheckHealth(query_channel_, "readiness"), 1);
  EXPECT_EQ(*testing::CheckHealth(ingest_channel_, "readiness"), 1);
}

}  // namespace
}  // namespace communique
