// Hostile input against the real binaries: a table of malformed, oversize,
// adversarial, unauthenticated, cancelled and deadline-starved requests to
// communique-ingest and communique-query (TLS, bearer tokens, real RocksDB
// on disk). Each gets the right status code and, where a field is at fault,
// a message naming it; rejected writes leave the store unchanged; both
// services stay healthy and keep serving afterwards.

#include <climits>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
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
#include "tests/testing/health.h"
#include "tests/testing/process.h"

namespace communique {
namespace {

using ::communique::testing::ChildProcess;
using ::communique::testing::TempDir;
using ::testing::HasSubstr;

constexpr char kWriterToken[] = "hostile-test-writer";
constexpr char kReplicaToken[] = "hostile-test-replica";
using Code = grpc::StatusCode;

std::chrono::system_clock::time_point In(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

// One row of the table.
struct Case {
  std::string name;
  std::function<grpc::Status()> call;
  // Accepted codes (usually one).
  std::set<Code> expected;
  // Substring the error message must hold (the field at fault); empty for
  // no check.
  std::string message;
};

class HostileInputTest : public ::testing::Test {
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
    ingest_process_ = Start(
        "ingest",
        {testing::BinaryDir() + "/ingest_service/communique-ingest",
         "--data_dir=" + dir_.path() + "/ingest",
         "--writer_token_file=" + dir_.path() + "/writer.token",
         "--replica_token_file=" + dir_.path() + "/replica.token"},
        &ingest_port_);
    ASSERT_NE(ingest_process_, nullptr);
    query_process_ = Start(
        "query",
        {testing::BinaryDir() + "/query_service/communique-query",
         "--data_dir=" + dir_.path() + "/query",
         absl::StrCat("--upstream=127.0.0.1:", ingest_port_),
         "--upstream_ca=" + tls_ + "/ca.pem", "--upstream_authority=localhost",
         "--upstream_token_file=" + dir_.path() + "/replica.token"},
        &query_port_);
    ASSERT_NE(query_process_, nullptr);
    ingest_channel_ = Channel(ingest_port_);
    query_channel_ = Channel(query_port_);
    ingest_ = v1::IngestService::NewStub(ingest_channel_);
    feed_ = v1::ChangeFeedService::NewStub(ingest_channel_);
    query_ = v1::QueryService::NewStub(query_channel_);
  }

  std::unique_ptr<ChildProcess> Start(const std::string& name,
                                      std::vector<std::string> argv,
                                      int* port) {
    const std::string port_file = dir_.path() + "/" + name + ".port";
    for (const std::string& flag :
         {"--listen=127.0.0.1:0", "--drain_seconds=1",
          "--shutdown_delay_seconds=0", "--noaccess_log"}) {
      argv.push_back(flag);
    }
    argv.push_back("--port_file=" + port_file);
    argv.push_back("--tls_cert=" + tls_ + "/server.pem");
    argv.push_back("--tls_key=" + tls_ + "/server.key");
    auto child = ChildProcess::Start(argv, dir_.path() + "/" + name + ".log");
    EXPECT_OK(child.status());
    if (!child.ok()) return nullptr;
    auto process = std::make_unique<ChildProcess>(*std::move(child));
    auto got = testing::WaitForPortFile(port_file, absl::Seconds(30));
    EXPECT_OK(got.status());
    if (!got.ok()) return nullptr;
    *port = *got;
    return process;
  }

  std::shared_ptr<grpc::Channel> Channel(int port) {
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    // Let the client send what the server must refuse.
    args.SetMaxSendMessageSize(64 << 20);
    args.SetMaxReceiveMessageSize(64 << 20);
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                     credentials_, args);
  }

  grpc::Status Ingest(const v1::IngestArticleRequest& request,
                      const std::string& token = kWriterToken,
                      int deadline_ms = 30000) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(deadline_ms));
    if (!token.empty()) {
      context.set_credentials(grpc::AccessTokenCredentials(token));
    }
    v1::IngestArticleResponse response;
    return ingest_->IngestArticle(&context, request, &response);
  }

  grpc::Status IngestText(const std::string& text, const std::string& id) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_text(text);
    request.mutable_article()->set_external_id(id);
    return Ingest(request);
  }

  std::set<std::string> StoredArticles() {
    std::set<std::string> names;
    std::string page_token;
    do {
      grpc::ClientContext context;
      context.set_deadline(In(30));
      v1::ListArticlesRequest request;
      request.set_page_size(1000);
      request.set_page_token(page_token);
      v1::ListArticlesResponse response;
      grpc::Status status = ingest_->ListArticles(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& a : response.articles()) names.insert(a.name());
      page_token = response.next_page_token();
    } while (!page_token.empty());
    return names;
  }

  uint64_t ChangeLogHead() {
    grpc::ClientContext context;
    context.set_deadline(In(30));
    context.set_credentials(grpc::AccessTokenCredentials(kReplicaToken));
    v1::SubscribeRequest request;
    request.set_max_batch(1);
    auto reader = feed_->Subscribe(&context, request);
    v1::SubscribeResponse response;
    const bool got = reader->Read(&response);
    context.TryCancel();
    reader->Finish();
    EXPECT_TRUE(got);
    return response.head_sequence();
  }

  // Runs `cases`, checks each, and prints a one-line result per case.
  void RunTable(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
      grpc::Status status = c.call();
      const Code code = status.error_code();
      std::printf("hostile: %-55s -> %d %s\n", c.name.c_str(),
                  static_cast<int>(code),
                  status.error_message().substr(0, 100).c_str());
      EXPECT_TRUE(c.expected.count(code) > 0)
          << c.name << ": got code " << code << " ("
          << status.error_message() << ")";
      if (!c.message.empty()) {
        EXPECT_THAT(status.error_message(), HasSubstr(c.message)) << c.name;
      }
      ++tried_;
    }
  }

  // Both services answer health checks as SERVING.
  void ExpectHealthy() {
    for (auto channel : {ingest_channel_, query_channel_}) {
      auto liveness = testing::CheckHealth(channel, "liveness");
      ASSERT_OK(liveness.status());
      EXPECT_EQ(*liveness, 1);
      auto readiness = testing::CheckHealth(channel, "readiness");
      ASSERT_OK(readiness.status());
      EXPECT_EQ(*readiness, 1);
    }
  }

  TempDir dir_;
  std::string tls_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  int ingest_port_ = 0;
  int query_port_ = 0;
  std::unique_ptr<ChildProcess> ingest_process_;
  std::unique_ptr<ChildProcess> query_process_;
  std::shared_ptr<grpc::Channel> ingest_channel_;
  std::shared_ptr<grpc::Channel> query_channel_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<v1::ChangeFeedService::Stub> feed_;
  std::unique_ptr<v1::QueryService::Stub> query_;
  int tried_ = 0;
};

std::string RandomBytes(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

TEST_F(HostileInputTest, EveryHostileRequestGetsTheRightCodeAndNothingBreaks) {
  static constexpr char kGood[] =
      "The CSTO Collective Security Council held its session in Minsk on "
      "November 23, 2023. The leaders adopted a declaration.";
  ASSERT_TRUE(IngestText(kGood, "baseline").ok());
  ASSERT_NO_FATAL_FAILURE(ExpectHealthy());

  // ------------------------------------------------ rejected writes --
  const std::set<std::string> before = StoredArticles();
  const uint64_t head_before = ChangeLogHead();
  auto text_case = [&](std::string name, std::string text, Code code,
                       std::string message) {
    return Case{name,
                [this, text, name] {
                  return IngestText(text, "rejected-" +
                                              std::to_string(name.size()));
                },
                {code},
                message};
  };
  std::string invalid_utf8 = "The CSTO summit in Minsk \xc3\x28 adopted";
  std::vector<Case> rejected = {
      text_case("ingest: empty text", "", Code::INVALID_ARGUMENT,
                "article.text"),
      text_case("ingest: blank text", " \n\t \r\n  ", Code::INVALID_ARGUMENT,
                "article.text"),
      text_case("ingest: invalid UTF-8", invalid_utf8, Code::INVALID_ARGUMENT,
                "article.text"),
      text_case("ingest: overlong UTF-8 '/'", "csto \xc0\xaf summit",
                Code::INVALID_ARGUMENT, "article.text"),
      text_case("ingest: UTF-16 surrogate", "csto \xed\xa0\x80 summit",
                Code::INVALID_ARGUMENT, "article.text"),
      text_case("ingest: binary junk 64 KiB", RandomBytes(64 << 10, 7),
                Code::INVALID_ARGUMENT, "article.text"),
      text_case("ingest: text 1 MiB + 1 byte",
                std::string((1 << 20) + 1, 'a'),
                Code::INVALID_ARGUMENT, "article.text"),
      {"ingest: 8 MiB message (over the transport limit)",
       [this] { return IngestText(std::string(8 << 20, 'a'), "rejected-8m"); },
       {Code::RESOURCE_EXHAUSTED},
       ""},
      {"ingest: missing article",
       [this] { return Ingest(v1::IngestArticleRequest()); },
       {Code::INVALID_ARGUMENT},
       "article: required"},
      {"ingest: external_id over 256 bytes",
       [this] { return IngestText(kGood, std::string(300, 'x')); },
       {Code::INVALID_ARGUMENT},
       "article.external_id"},
      {"ingest: title of 1 MiB",
       [this] {
         v1::IngestArticleRequest request;
         request.mutable_article()->set_text(kGood);
         request.mutable_article()->set_external_id("rejected-title");
         request.mutable_article()->set_title(std::string(1 << 20, 't'));
         return Ingest(request);
       },
       {Code::INVALID_ARGUMENT},
       "article.title"},
      {"ingest: no token",
       [this] {
         v1::IngestArticleRequest request;
         request.mutable_article()->set_text(kGood);
         request.mutable_article()->set_external_id("rejected-notoken");
         return Ingest(request, "");
       },
       {Code::UNAUTHENTICATED},
       ""},
      {"ingest: unknown token",
       [this] {
         v1::IngestArticleRequest request;
         request.mutable_article()->set_text(kGood);
         request.mutable_article()->set_external_id("rejected-badtoken");
         return Ingest(request, "not-a-token");
       },
       {Code::UNAUTHENTICATED},
       ""},
      {"ingest: replica token (wrong role)",
       [this] {
         v1::IngestArticleRequest request;
         request.mutable_article()->set_text(kGood);
         request.mutable_article()->set_external_id("rejected-role");
         return Ingest(request, kReplicaToken);
       },
       {Code::PERMISSION_DENIED},
       ""},
      {"ingest: cancelled before sending",
       [this] {
         grpc::ClientContext context;
         context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
         context.TryCancel();
         v1::IngestArticleRequest request;
         request.mutable_article()->set_text(kGood);
         request.mutable_article()->set_external_id("rejected-cancelled");
         v1::IngestArticleResponse response;
         return ingest_->IngestArticle(&context, request, &response);
       },
       {Code::CANCELLED},
       ""},
      {"ingest stream: abandoned (cancelled) with nothing sent",
       [this] {
         grpc::ClientContext context;
         context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
         auto stream = ingest_->IngestArticles(&context);
         context.TryCancel();
         return stream->Finish();
       },
       {Code::CANCELLED},
       ""},
      {"ingest stream: one bad article answered in-stream",
       [this] {
         grpc::ClientContext context;
         context.set_deadline(In(30));
         context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
         auto stream = ingest_->IngestArticles(&context);
         v1::IngestArticleRequest request;
         request.set_request_id("r1");
         request.mutable_article()->set_text("bad \xff utf8");
         stream->Write(request);
         stream->WritesDone();
         v1::IngestArticleResponse response;
         const bool got = stream->Read(&response);
         grpc::Status finish = stream->Finish();
         if (!finish.ok()) return finish;
         if (!got || response.request_id() != "r1") {
           return grpc::Status(grpc::StatusCode::INTERNAL, "no response");
         }
         return grpc::Status(static_cast<Code>(response.error_code()),
                             response.error_message());
       },
       {Code::INVALID_ARGUMENT},
       "text"},
      {"delete: malformed name",
       [this] {
         grpc::ClientContext context;
         context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
         v1::DeleteArticleRequest request;
         request.set_name("articles/../../etc/passwd");
         v1::DeleteArticleResponse response;
         return ingest_->DeleteArticle(&context, request, &response);
       },
       {Code::INVALID_ARGUMENT},
       "name"},
      {"delete: summit name instead of article",
       [this] {
         grpc::ClientContext context;
         context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
         v1::DeleteArticleRequest request;
         request.set_name("summits/csto-2023-11-23-minsk");
         v1::DeleteArticleResponse response;
         return ingest_->DeleteArticle(&context, request, &response);
       },
       {Code::INVALID_ARGUMENT},
       "name"},
      {"delete: no such article",
       [this] {
         grpc::ClientContext context;
         context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
         v1::DeleteArticleRequest request;
         request.set_name("articles/never-stored");
         v1::DeleteArticleResponse response;
         return ingest_->DeleteArticle(&context, request, &response);
       },
       {Code::NOT_FOUND},
       ""},
      {"delete: without token",
       [this] {
         grpc::ClientContext context;
         v1::DeleteArticleRequest request;
         request.set_name("articles/baseline");
         v1::DeleteArticleResponse response;
         return ingest_->DeleteArticle(&context, request, &response);
       },
       {Code::UNAUTHENTICATED},
       ""},
      {"reprocess: page_size -1",
       [this] {
         grpc::ClientContext context;
         context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
         v1::ReprocessRequest request;
         request.set_page_size(-1);
         v1::ReprocessResponse response;
         return ingest_->Reprocess(&context, request, &response);
       },
       {Code::INVALID_ARGUMENT},
       "page_size"},
      {"reprocess: malformed page_token",
       [this] {
         grpc::ClientContext context;
         context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
         v1::ReprocessRequest request;
         request.set_page_token("%%%not-a-token%%%");
         v1::ReprocessResponse response;
         return ingest_->Reprocess(&context, request, &response);
       },
       {Code::INVALID_ARGUMENT},
       "page_token"},
      {"change feed: writer token (wrong role)",
       [this] {
         grpc::ClientContext context;
         context.set_deadline(In(10));
         context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
         auto reader = feed_->Subscribe(&context, v1::SubscribeRequest());
         v1::SubscribeResponse response;
         while (reader->Read(&response)) {
         }
         return reader->Finish();
       },
       {Code::PERMISSION_DENIED},
       ""},
      {"change feed: after_sequence beyond the head",
       [this] {
         grpc::ClientContext context;
         context.set_deadline(In(10));
         context.set_credentials(grpc::AccessTokenCredentials(kReplicaToken));
         v1::SubscribeRequest request;
         request.set_after_sequence(1ull << 60);
         auto reader = feed_->Subscribe(&context, request);
         v1::SubscribeResponse response;
         while (reader->Read(&response)) {
         }
         return reader->Finish();
       },
       {Code::OUT_OF_RANGE},
       ""},
  };
  RunTable(rejected);
  // Nothing rejected reached the store or the change log.
  EXPECT_EQ(StoredArticles(), before);
  EXPECT_EQ(ChangeLogHead(), head_before);
  ASSERT_NO_FATAL_FAILURE(ExpectHealthy());

  // ------------------------------------ hostile but valid articles --
  // Stored or refused cleanly; never a crash, a hang or an INTERNAL.
  std::string html =
      "<!DOCTYPE html><html><head><script>var x = '<p>';</script><style>"
      "p{}</style></head><body><nav>Home | News</nav><h1>CSTO summit</h1>"
      "<p>The CSTO Collective Security Council met in Yerevan on November "
      "23, 2022.</p><!-- comment --><p>&amp;&lt;&gt;&#x4e2d;</p></body></html>";
  std::string many_lines;
  for (int i = 0; i < 100000; ++i) {
    absl::StrAppend(&many_lines, i % 10,
                    i % 1000 == 0 ? " The CSTO summit in Minsk." : "", "\n");
  }
  std::string with_nul = std::string("The CSTO Collective Security Council") +
                         std::string(1, '\0') + " met in Minsk in 2021.";
  std::string repeated_a(900000, 'a');
  std::string nested;
  for (int i = 0; i < 20000; ++i) nested += "((((\"";
  std::string repeated_words;
  for (int i = 0; i < 40000; ++i) {
    repeated_words += "the Collective Security Treaty Organization of the ";
  }
  repeated_words.resize(1000000);
  std::string quoted_caps;
  for (int i = 0; i < 30000; ++i) quoted_caps += "\"On The ";
  const std::set<Code> stored_or_refused = {Code::OK, Code::INVALID_ARGUMENT};
  std::vector<Case> valid = {
      {"ingest: HTML page",
       [&] { return IngestText(html, "hostile-html"); }, {Code::OK}, ""},
      {"ingest: 100k-line article",
       [&] { return IngestText(many_lines, "hostile-lines"); },
       stored_or_refused, ""},
      {"ingest: NUL bytes inside text",
       [&] { return IngestText(with_nul, "hostile-nul"); }, stored_or_refused,
       ""},
      {"ingest: 900k times 'a'",
       [&] { return IngestText(repeated_a, "hostile-aaaa"); },
       stored_or_refused, ""},
      {"ingest: 100k nested brackets and quotes",
       [&] { return IngestText(nested, "hostile-nested"); },
       stored_or_refused, ""},
      {"ingest: 1 MiB of a repeated organisation name",
       [&] { return IngestText(repeated_words, "hostile-orgname"); },
       stored_or_refused, ""},
      {"ingest: 240k quoted title-case words",
       [&] { return IngestText(quoted_caps, "hostile-quoted"); },
       stored_or_refused, ""},
      {"ingest: unicode confusables and RTL marks",
       [&] {
         return IngestText(
             "\xe2\x80\xae\xd0\xa1STO \xef\xbc\xa3\xef\xbc\xb3\xef\xbc\xb4"
             "\xef\xbc\xaf summit in \xd0\x9c\xd0\xb8\xd0\xbd\xd1\x81\xd0\xba "
             "\xf0\x9f\x98\x80 2024 \xe2\x80\x8b\xe2\x80\x8b",
             "hostile-unicode");
       },
       stored_or_refused, ""},
      {"ingest: deadline 1 ms on a 900 KiB article",
       [&] {
         v1::IngestArticleRequest request;
         request.mutable_article()->set_text(repeated_words.substr(0, 900000));
         request.mutable_article()->set_external_id("hostile-deadline");
         return Ingest(request, kWriterToken, 1);
       },
       {Code::DEADLINE_EXCEEDED}, ""},
  };
  RunTable(valid);
  ASSERT_NO_FATAL_FAILURE(ExpectHealthy());

  // ------------------------------------------------------- reads --
  auto get_article = [this](std::string name) {
    return [this, name] {
      grpc::ClientContext context;
      context.set_deadline(In(10));
      v1::GetArticleRequest request;
      request.set_name(name);
      v1::Article article;
      return ingest_->GetArticle(&context, request, &article);
    };
  };
  auto list_articles = [this](int page_size, std::string token) {
    return [this, page_size, token] {
      grpc::ClientContext context;
      context.set_deadline(In(10));
      v1::ListArticlesRequest request;
      request.set_page_size(page_size);
      request.set_page_token(token);
      v1::ListArticlesResponse response;
      return ingest_->ListArticles(&context, request, &response);
    };
  };
  auto get_summit = [this](std::string name) {
    return [this, name] {
      grpc::ClientContext context;
      context.set_deadline(In(10));
      v1::GetSummitRequest request;
      request.set_name(name);
      v1::Summit summit;
      return query_->GetSummit(&context, request, &summit);
    };
  };
  auto list_summits = [this](v1::ListSummitsRequest request) {
    return [this, request] {
      grpc::ClientContext context;
      context.set_deadline(In(10));
      v1::ListSummitsResponse response;
      return query_->ListSummits(&context, request, &response);
    };
  };
  auto list_declarations = [this](v1::ListDeclarationsRequest request) {
    return [this, request] {
      grpc::ClientContext context;
      context.set_deadline(In(10));
      v1::ListDeclarationsResponse response;
      return query_->ListDeclarations(&context, request, &response);
    };
  };
  auto list_initiatives = [this](v1::ListInitiativesRequest request) {
    return [this, request] {
      grpc::ClientContext context;
      context.set_deadline(In(10));
      v1::ListInitiativesResponse response;
      return query_->ListInitiatives(&context, request, &response);
    };
  };
  v1::ListSummitsRequest negative_page;
  negative_page.set_page_size(-1);
  v1::ListSummitsRequest huge_page;
  huge_page.set_page_size(INT_MAX);
  v1::ListSummitsRequest junk_token;
  junk_token.set_page_token("\x01\x02garbage==");
  v1::ListSummitsRequest long_token;
  long_token.set_page_token(std::string(100000, 'A'));
  v1::ListSummitsRequest bad_format;
  bad_format.mutable_filter()->set_format(static_cast<v1::SummitFormat>(999));
  v1::ListSummitsRequest bad_order;
  bad_order.set_order(static_cast<v1::SummitOrder>(-7));
  v1::ListSummitsRequest bad_year;
  bad_year.mutable_filter()->set_year(-2024);
  v1::ListSummitsRequest long_text;
  long_text.mutable_filter()->set_text(std::string(10000, 'w'));
  v1::ListSummitsRequest invalid_utf8_filter;
  invalid_utf8_filter.mutable_filter()->set_city("Min\xff");
  v1::ListSummitsRequest bad_consistency;
  bad_consistency.set_consistency_token("not-a-number");
  v1::ListDeclarationsRequest bad_kind;
  bad_kind.set_kind(static_cast<v1::DeclarationKind>(12345));
  v1::ListDeclarationsRequest bad_parent;
  bad_parent.set_parent("summits/");
  v1::ListDeclarationsRequest article_parent;
  article_parent.set_parent("articles/baseline");
  v1::ListInitiativesRequest bad_status;
  bad_status.set_status(static_cast<v1::InitiativeStatus>(-1));
  v1::ListInitiativesRequest negative_initiatives;
  negative_initiatives.set_page_size(INT_MIN);

  // A real token bound to one filter, presented with another.
  std::string token_for_other_filter;
  {
    grpc::ClientContext context;
    context.set_deadline(In(10));
    v1::ListArticlesRequest request;
    request.set_page_size(1);
    v1::ListArticlesResponse response;
    ASSERT_TRUE(ingest_->ListArticles(&context, request, &response).ok());
    token_for_other_filter = response.next_page_token();
  }
  v1::ListSummitsRequest foreign_token;
  foreign_token.set_page_token(token_for_other_filter);

  std::vector<Case> reads = {
      {"GetArticle: empty name", get_article(""), {Code::INVALID_ARGUMENT},
       "name"},
      {"GetArticle: 'articles/'", get_article("articles/"),
       {Code::INVALID_ARGUMENT}, "name"},
      {"GetArticle: path traversal", get_article("articles/../x"),
       {Code::INVALID_ARGUMENT}, "name"},
      {"GetArticle: NUL in name",
       get_article(std::string("articles/a\0b", 12)),
       {Code::INVALID_ARGUMENT}, "name"},
      {"GetArticle: 100 KB name", get_article("articles/" + std::string(100000, 'n')),
       {Code::INVALID_ARGUMENT}, "name"},
      {"GetArticle: missing", get_article("articles/never-stored"),
       {Code::NOT_FOUND}, ""},
      {"ListArticles: page_size -1", list_articles(-1, ""),
       {Code::INVALID_ARGUMENT}, "page_size"},
      {"ListArticles: page_size INT_MAX", list_articles(INT_MAX, ""),
       {Code::OK}, ""},
      {"ListArticles: junk page_token", list_articles(10, "junk!"),
       {Code::INVALID_ARGUMENT}, "page_token"},
      {"GetSummit: empty name", get_summit(""), {Code::INVALID_ARGUMENT},
       "name"},
      {"GetSummit: 'summits/'", get_summit("summits/"),
       {Code::INVALID_ARGUMENT}, "name"},
      {"GetSummit: too many segments", get_summit("summits/a/b/c/d/e"),
       {Code::INVALID_ARGUMENT}, "name"},
      // The read RPCs parse their own requests (query_service/wire.h), so
      // a string field holding invalid UTF-8 gets INVALID_ARGUMENT naming
      // the request type, not gRPC's bare UNIMPLEMENTED.
      {"GetSummit: invalid UTF-8 (unparseable request)",
       get_summit("summits/\xff\xfe"), {Code::INVALID_ARGUMENT}, "UTF-8"},
      {"GetSummit: missing", get_summit("summits/csto-1900-01-01-nowhere"),
       {Code::NOT_FOUND}, ""},
      {"ListSummits: page_size -1", list_summits(negative_page),
       {Code::INVALID_ARGUMENT}, "page_size"},
      {"ListSummits: page_size INT_MAX", list_summits(huge_page), {Code::OK},
       ""},
      {"ListSummits: junk page_token", list_summits(junk_token),
       {Code::INVALID_ARGUMENT}, "page_token"},
      {"ListSummits: 100 KB page_token", list_summits(long_token),
       {Code::INVALID_ARGUMENT}, "page_token"},
      {"ListSummits: page_token of ListArticles", list_summits(foreign_token),
       {Code::INVALID_ARGUMENT}, "page_token"},
      {"ListSummits: unknown format enum 999", list_summits(bad_format),
       {Code::INVALID_ARGUMENT}, "filter.format"},
      {"ListSummits: unknown order enum -7", list_summits(bad_order),
       {Code::INVALID_ARGUMENT}, "order"},
      {"ListSummits: year -2024", list_summits(bad_year),
       {Code::INVALID_ARGUMENT}, "filter.year"},
      {"ListSummits: 10 KB filter.text", list_summits(long_text),
       {Code::INVALID_ARGUMENT}, "filter.text"},
      {"ListSummits: invalid UTF-8 in filter.city",
       list_summits(invalid_utf8_filter), {Code::INVALID_ARGUMENT},
       "ListSummitsRequest"},
      {"ListSummits: malformed consistency_token",
       list_summits(bad_consistency), {Code::INVALID_ARGUMENT},
       "consistency_token"},
      {"ListSummits: consistency_token far ahead, 1 s deadline",
       [this] {
         grpc::ClientContext context;
         context.set_deadline(In(1));
         v1::ListSummitsRequest request;
         request.set_consistency_token("999999999");
         v1::ListSummitsResponse response;
         return query_->ListSummits(&context, request, &response);
       },
       {Code::DEADLINE_EXCEEDED}, ""},
      {"ListSummits: deadline already expired",
       [this] {
         grpc::ClientContext context;
         context.set_deadline(std::chrono::system_clock::now() -
                              std::chrono::milliseconds(1));
         v1::ListSummitsResponse response;
         return query_->ListSummits(&context, v1::ListSummitsRequest(),
                                    &response);
       },
       {Code::DEADLINE_EXCEEDED}, ""},
      {"ListSummits: cancelled",
       [this] {
         grpc::ClientContext context;
         context.TryCancel();
         v1::ListSummitsResponse response;
         return query_->ListSummits(&context, v1::ListSummitsRequest(),
                                    &response);
       },
       {Code::CANCELLED}, ""},
      {"ListDeclarations: unknown kind enum 12345",
       list_declarations(bad_kind), {Code::INVALID_ARGUMENT}, "kind"},
      {"ListDeclarations: parent 'summits/'", list_declarations(bad_parent),
       {Code::INVALID_ARGUMENT}, "parent"},
      {"ListDeclarations: article as parent",
       list_declarations(article_parent), {Code::INVALID_ARGUMENT}, "parent"},
      {"ListInitiatives: unknown status enum -1",
       list_initiatives(bad_status), {Code::INVALID_ARGUMENT}, "status"},
      {"ListInitiatives: page_size INT_MIN",
       list_initiatives(negative_initiatives), {Code::INVALID_ARGUMENT},
       "page_size"},
      {"WatchSummits: abandoned after start",
       [this] {
         grpc::ClientContext context;
         context.set_deadline(In(10));
         auto reader =
             query_->WatchSummits(&context, v1::WatchSummitsRequest());
         context.TryCancel();
         v1::WatchSummitsResponse response;
         while (reader->Read(&response)) {
         }
         return reader->Finish();
       },
       {Code::CANCELLED}, ""},
  };
  RunTable(reads);

  // Still healthy, still serving: a normal write reaches the replica.
  ASSERT_NO_FATAL_FAILURE(ExpectHealthy());
  {
    grpc::ClientContext context;
    context.set_deadline(In(30));
    context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
    v1::IngestArticleRequest request;
    request.mutable_article()->set_text(
        "The SCO Council of Heads of State met in Astana on July 4, 2024.");
    request.mutable_article()->set_external_id("after-hostile");
    v1::IngestArticleResponse response;
    ASSERT_TRUE(ingest_->IngestArticle(&context, request, &response).ok());
    grpc::ClientContext query_context;
    query_context.set_deadline(In(30));
    v1::GetStatsRequest stats_request;
    stats_request.set_consistency_token(response.consistency_token());
    v1::GetStatsResponse stats;
    grpc::Status status =
        query_->GetStats(&query_context, stats_request, &stats);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  std::printf("hostile: %d requests tried\n", tried_);
  // Neither process died along the way.
  EXPECT_EQ(ingest_process_->Wait(absl::Milliseconds(1)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(query_process_->Wait(absl::Milliseconds(1)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace communique
