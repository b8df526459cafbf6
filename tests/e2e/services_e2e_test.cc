// End-to-end: the real communique-ingest and communique-query binaries on
// loopback ports over TLS, a real RocksDB on disk each, talking through
// gRPC exactly as clients do.

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "communique/v1/change_feed.grpc.pb.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"
#include "tests/testing/process.h"

namespace communique {
namespace {

using ::communique::testing::ChildProcess;
using ::communique::testing::TempDir;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kWriterToken[] = "writer-token-for-tests";
constexpr char kReplicaToken[] = "replica-token-for-tests";

std::chrono::system_clock::time_point In(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

class ServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_ = dir_.path() + "/tls";
    ASSERT_OK(testing::MakeDevCerts(tls_));
    std::ofstream(dir_.path() + "/writer.token") << "# writers\n"
                                                 << kWriterToken << "\n";
    std::ofstream(dir_.path() + "/replica.token") << kReplicaToken << "\n";
    StartIngest();
    StartQuery();
    // Reads are UNAVAILABLE until the replica has caught up (slow under
    // sanitizers): start every test from a ready replica.
    ASSERT_TRUE(WaitForLog("query", "caught up with the change feed; ready"))
        << Log("query");
    grpc::SslCredentialsOptions ssl;
    auto ca = testing::ReadFileToString(tls_ + "/ca.pem");
    ASSERT_OK(ca.status());
    ssl.pem_root_certs = *ca;
    credentials_ = grpc::SslCredentials(ssl);
    ingest_ = v1::IngestService::NewStub(Channel(ingest_port_));
    query_ = v1::QueryService::NewStub(Channel(query_port_));
  }

  std::shared_ptr<grpc::Channel> Channel(int port) {
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                     credentials_, args);
  }

  void StartIngest() {
    const std::string port_file = dir_.path() + "/ingest.port";
    std::filesystem::remove(port_file);
    auto child = ChildProcess::Start(
        {testing::BinaryDir() + "/ingest_service/communique-ingest",
         "--listen=127.0.0.1:0", "--port_file=" + port_file,
         "--data_dir=" + dir_.path() + "/ingest",
         "--tls_cert=" + tls_ + "/server.pem",
         "--tls_key=" + tls_ + "/server.key", "--drain_seconds=2",
         "--shutdown_delay_seconds=0",
         "--writer_token_file=" + dir_.path() + "/writer.token",
         "--replica_token_file=" + dir_.path() + "/replica.token"},
        dir_.path() + "/ingest.log");
    ASSERT_OK(child.status());
    ingest_process_ = std::make_unique<ChildProcess>(*std::move(child));
    auto port = testing::WaitForPortFile(port_file, absl::Seconds(20));
    ASSERT_OK(port.status()) << Log("ingest");
    ingest_port_ = *port;
  }

  void StartQuery() {
    const std::string port_file = dir_.path() + "/query.port";
    std::filesystem::remove(port_file);
    auto child = ChildProcess::Start(
        {testing::BinaryDir() + "/query_service/communique-query",
         "--listen=127.0.0.1:0", "--port_file=" + port_file,
         "--data_dir=" + dir_.path() + "/query",
         absl::StrCat("--upstream=127.0.0.1:", ingest_port_),
         "--upstream_ca=" + tls_ + "/ca.pem", "--upstream_authority=localhost",
         "--upstream_token_file=" + dir_.path() + "/replica.token",
         "--tls_cert=" + tls_ + "/server.pem",
         "--tls_key=" + tls_ + "/server.key", "--drain_seconds=2",
         "--shutdown_delay_seconds=0"},
        dir_.path() + "/query.log");
    ASSERT_OK(child.status());
    query_process_ = std::make_unique<ChildProcess>(*std::move(child));
    auto port = testing::WaitForPortFile(port_file, absl::Seconds(20));
    ASSERT_OK(port.status()) << Log("query");
    query_port_ = *port;
  }

  // Polls the service's log until `needle` occurs `count` times (the log
  // survives restarts; the services log readiness).
  bool WaitForLog(const std::string& service, const std::string& needle,
                  int count = 1) {
    for (int i = 0; i < 1000; ++i) {
      const std::string log = Log(service);
      int found = 0;
      for (size_t at = log.find(needle); at != std::string::npos;
           at = log.find(needle, at + 1)) {
        ++found;
      }
      if (found >= count) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  std::string Log(const std::string& service) {
    auto log = testing::ReadFileToString(dir_.path() + "/" + service + ".log");
    return log.ok() ? *log : "(no log)";
  }

  absl::StatusOr<v1::IngestArticleResponse> Ingest(
      const std::string& text, const std::string& id,
      const std::string& token = kWriterToken) {
    grpc::ClientContext context;
    context.set_deadline(In(30));
    if (!token.empty()) {
      context.set_credentials(grpc::AccessTokenCredentials(token));
    }
    v1::IngestArticleRequest request;
    request.mutable_article()->set_text(text);
    request.mutable_article()->set_external_id(id);
    v1::IngestArticleResponse response;
    grpc::Status status = ingest_->IngestArticle(&context, request, &response);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message());
    }
    return response;
  }

  std::vector<v1::Summit> ListAll(v1::SummitFilter filter,
                                  const std::string& token) {
    std::vector<v1::Summit> out;
    std::string page_token;
    do {
      grpc::ClientContext context;
      context.set_deadline(In(30));
      v1::ListSummitsRequest request;
      *request.mutable_filter() = filter;
      request.set_page_size(2);
      request.set_page_token(page_token);
      request.set_consistency_token(token);
      v1::ListSummitsResponse response;
      grpc::Status status = query_->ListSummits(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      out.insert(out.end(), response.summits().begin(),
                 response.summits().end());
      page_token = response.next_page_token();
    } while (!page_token.empty());
    return out;
  }

  TempDir dir_;
  std::string tls_;
  std::unique_ptr<ChildProcess> ingest_process_;
  std::unique_ptr<ChildProcess> query_process_;
  int ingest_port_ = 0;
  int query_port_ = 0;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<v1::QueryService::Stub> query_;
};

TEST_F(ServicesTest, SeedsAreIngestedMergedAndServedByTheReplica) {
  const std::string seeds = testing::SourceDir() + "/../shared/seeds";
  if (!std::filesystem::is_directory(seeds)) {
    GTEST_SKIP() << "../shared/seeds is absent: seed end-to-end test skipped";
  }
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(seeds)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_THAT(files, SizeIs(5));
  uint64_t token = 0;
  for (const std::string& file : files) {
    auto text = testing::ReadFileToString(file);
    ASSERT_OK(text.status());
    ASSERT_OK_AND_ASSIGN(
        v1::IngestArticleResponse response,
        Ingest(*text, std::filesystem::path(file).stem().string()));
    EXPECT_EQ(response.outcome(), v1::INGEST_OUTCOME_CREATED) << file;
    EXPECT_THAT(response.affected_summits(), Not(IsEmpty())) << file;
    token =
        std::max<uint64_t>(token, std::stoull(response.consistency_token()));
  }

  // Read-your-writes: the replica answers only once it has applied `token`.
  std::vector<v1::Summit> summits =
      ListAll(v1::SummitFilter(), absl::StrCat(token));
  std::set<int> years;
  std::set<std::string> names;
  for (const auto& s : summits) {
    years.insert(s.date().year());
    names.insert(s.name());
    EXPECT_EQ(s.organization(), "CSTO") << s.name();
  }
  // 000 and 003 describe one Astana session: five articles, four summits.
  EXPECT_EQ(years, (std::set<int>{2020, 2021, 2023, 2024}));
  EXPECT_THAT(summits, SizeIs(4)) << Log("ingest");
  EXPECT_THAT(names, Contains("summits/csto-2024-11-28-astana"));
  EXPECT_THAT(names, Contains("summits/csto-2021-09-16-dushanbe"));
  // Newest first.
  ASSERT_FALSE(summits.empty());
  EXPECT_EQ(summits.front().date().year(), 2024);

  grpc::ClientContext get_context;
  v1::GetSummitRequest get;
  get.set_name("summits/csto-2024-11-28-astana");
  v1::Summit astana;
  ASSERT_TRUE(query_->GetSummit(&get_context, get, &astana).ok());
  EXPECT_EQ(astana.location().city(), "Astana");
  EXPECT_EQ(astana.location().country(), "Kazakhstan");
  EXPECT_THAT(astana.source_articles(), SizeIs(2));
  std::set<std::string> people;
  for (const auto& p : astana.participants()) people.insert(p.name());
  EXPECT_THAT(people, Contains("Kassym-Jomart Tokayev"));
  EXPECT_THAT(people, Contains("Sadyr Japarov"));

  v1::SummitFilter dushanbe;
  dushanbe.set_year(2021);
  std::vector<v1::Summit> in_2021 = ListAll(dushanbe, "");
  ASSERT_THAT(in_2021, SizeIs(1));
  EXPECT_EQ(in_2021[0].location().city(), "Dushanbe");

  v1::SummitFilter by_person;
  by_person.set_person("Emomali Rahmon");
  EXPECT_GE(ListAll(by_person, "").size(), 3u);

  grpc::ClientContext decl_context;
  v1::ListDeclarationsRequest decl_request;
  decl_request.set_parent("summits/-");
  v1::ListDeclarationsResponse declarations;
  ASSERT_TRUE(
      query_->ListDeclarations(&decl_context, decl_request, &declarations)
          .ok());
  EXPECT_GE(declarations.declarations_size(), 3);

  // Re-ingesting a seed changes nothing.
  auto again_text = testing::ReadFileToString(files[0]);
  ASSERT_OK_AND_ASSIGN(
      v1::IngestArticleResponse again,
      Ingest(*again_text, std::filesystem::path(files[0]).stem().string()));
  EXPECT_EQ(again.outcome(), v1::INGEST_OUTCOME_UNCHANGED);
}

TEST_F(ServicesTest, BadRequestsGetClearErrorsAndStoreNothing) {
  EXPECT_THAT(Ingest("", "x"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("article.text")));
  EXPECT_THAT(Ingest("bad \xC3\x28 utf8", "x"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("UTF-8")));
  EXPECT_THAT(Ingest(std::string((1 << 20) + 10, 'a'), "x"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("exceeds the limit")));
  // Beyond --max_message_bytes the transport refuses before any handler.
  EXPECT_THAT(Ingest(std::string(5 << 20, 'a'), "x"),
              testing::StatusIs(absl::StatusCode::kResourceExhausted));
  grpc::ClientContext list_context;
  v1::ListArticlesResponse articles;
  ASSERT_TRUE(
      ingest_->ListArticles(&list_context, v1::ListArticlesRequest(), &articles)
          .ok());
  EXPECT_THAT(articles.articles(), IsEmpty());

  for (const std::string& name :
       {"", "summit/x", "summits/UPPER", "summits/a/b"}) {
    grpc::ClientContext context;
    v1::GetSummitRequest request;
    request.set_name(name);
    v1::Summit summit;
    grpc::Status status = query_->GetSummit(&context, request, &summit);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
    EXPECT_THAT(status.error_message(), HasSubstr("name")) << name;
  }
  grpc::ClientContext missing_context;
  v1::GetSummitRequest missing;
  missing.set_name("summits/csto-1999-nowhere");
  v1::Summit summit;
  EXPECT_EQ(query_->GetSummit(&missing_context, missing, &summit).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext page_context;
  v1::ListSummitsRequest bad_page;
  bad_page.set_page_size(-1);
  v1::ListSummitsResponse page;
  EXPECT_EQ(query_->ListSummits(&page_context, bad_page, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext token_context;
  v1::ListSummitsRequest bad_token;
  bad_token.set_page_token("garbage!");
  EXPECT_EQ(query_->ListSummits(&token_context, bad_token, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServicesTest, WritesAndTheFeedNeedTheRightCredentials) {
  constexpr char kText[] =
      "The CSTO Collective Security Council met in Minsk on November 23, 2023.";
  EXPECT_THAT(Ingest(kText, "a", ""),
              testing::StatusIs(absl::StatusCode::kUnauthenticated,
                                HasSubstr("writer role")));
  EXPECT_THAT(Ingest(kText, "a", "wrong-token"),
              testing::StatusIs(absl::StatusCode::kUnauthenticated,
                                ::testing::Not(HasSubstr("wrong-token"))));
  EXPECT_THAT(Ingest(kText, "a", kReplicaToken),
              testing::StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(Ingest(kText, "a").status());
  EXPECT_THAT(Log("ingest"), ::testing::Not(HasSubstr(kWriterToken)));

  // The change feed needs the replica token; reads are open.
  auto feed = v1::ChangeFeedService::NewStub(Channel(ingest_port_));
  grpc::ClientContext feed_context;
  feed_context.set_deadline(In(10));
  v1::SubscribeResponse batch;
  auto reader = feed->Subscribe(&feed_context, v1::SubscribeRequest());
  EXPECT_FALSE(reader->Read(&batch));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext list_context;
  v1::ListArticlesResponse articles;
  EXPECT_TRUE(
      ingest_->ListArticles(&list_context, v1::ListArticlesRequest(), &articles)
          .ok());
  EXPECT_EQ(articles.articles_size(), 1);
}

// A replica that has not caught up (here: its upstream is unreachable)
// refuses reads with UNAVAILABLE, but a malformed request is still
// INVALID_ARGUMENT: checks that need no data come first.
TEST_F(ServicesTest, ARequestIsCheckedBeforeTheReplicaIsReady) {
  const std::string port_file = dir_.path() + "/lonely.port";
  auto child = ChildProcess::Start(
      {testing::BinaryDir() + "/query_service/communique-query",
       "--listen=127.0.0.1:0", "--port_file=" + port_file,
       "--data_dir=" + dir_.path() + "/lonely", "--upstream=127.0.0.1:1",
       "--upstream_ca=" + tls_ + "/ca.pem", "--upstream_authority=localhost",
       "--upstream_token_file=" + dir_.path() + "/replica.token",
       "--tls_cert=" + tls_ + "/server.pem",
       "--tls_key=" + tls_ + "/server.key", "--drain_seconds=1",
       "--shutdown_delay_seconds=0"},
      dir_.path() + "/lonely.log");
  ASSERT_OK(child.status());
  auto port = testing::WaitForPortFile(port_file, absl::Seconds(20));
  ASSERT_OK(port.status());
  auto lonely = v1::QueryService::NewStub(Channel(*port));
  auto get = [&](const std::string& name) {
    grpc::ClientContext context;
    context.set_deadline(In(10));
    v1::GetSummitRequest request;
    request.set_name(name);
    v1::Summit summit;
    return lonely->GetSummit(&context, request, &summit);
  };
  grpc::Status malformed = get("summit/x");
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(malformed.error_message(), HasSubstr("name"));
  grpc::Status valid = get("summits/csto-2023-11-23-minsk");
  EXPECT_EQ(valid.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(valid.error_message(), HasSubstr("catching up"));
  child->Signal(SIGTERM);
  EXPECT_OK(child->Wait(absl::Seconds(20)).status());
}

TEST_F(ServicesTest, PlaintextClientIsRefusedByTlsServer) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", query_port_),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::QueryService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(In(5));
  v1::ListSummitsResponse response;
  grpc::Status status =
      stub->ListSummits(&context, v1::ListSummitsRequest(), &response);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ServicesTest, SigtermStopsCleanlyAndReplicaResumesFromItsWatermark) {
  constexpr char kText[] =
      "MINSK – The Collective Security Council of the CSTO met in Minsk on "
      "November 23, 2023, with President of Belarus Alexander Lukashenko "
      "presiding and President of Russia Vladimir Putin attending.";
  ASSERT_OK_AND_ASSIGN(v1::IngestArticleResponse response, Ingest(kText, "m"));
  ASSERT_THAT(ListAll(v1::SummitFilter(), response.consistency_token()),
              SizeIs(1));

  query_process_->Signal(SIGTERM);
  ASSERT_OK_AND_ASSIGN(int query_exit, query_process_->Wait(absl::Seconds(20)));
  EXPECT_EQ(query_exit, 0) << Log("query");
  StartQuery();
  query_ = v1::QueryService::NewStub(Channel(query_port_));
  EXPECT_THAT(ListAll(v1::SummitFilter(), response.consistency_token()),
              SizeIs(1));
  // It resumed from its watermark rather than replaying the feed.
  ASSERT_TRUE(WaitForLog("query", "caught up with the change feed", 2))
      << Log("query");
  EXPECT_THAT(Log("query"), HasSubstr("\"after_sequence\":\"" +
                                      response.consistency_token() + "\""));

  ingest_process_->Signal(SIGTERM);
  ASSERT_OK_AND_ASSIGN(int ingest_exit,
                       ingest_process_->Wait(absl::Seconds(20)));
  EXPECT_EQ(ingest_exit, 0) << Log("ingest");
  // The replica keeps serving what it has while its upstream is gone.
  EXPECT_THAT(ListAll(v1::SummitFilter(), ""), SizeIs(1));
}

}  // namespace
}  // namespace communique
