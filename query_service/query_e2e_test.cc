// End-to-end test of the read side with the real binaries: one
// communique-ingest and two communique-query replicas following it over
// TLS. Covers the typed filters, ListChairmanships, GetStats, AIP-193 error
// details, a WatchSummits stream that sees an ingest, and replicas that end
// byte-identical.

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
#include "absl/strings/str_join.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "shared/schema/search.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/store/query_store.h"
#include "tests/testing/process.h"

namespace communique {
namespace {

using ::communique::testing::ChildProcess;
using ::communique::testing::TempDir;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kWriterToken[] = "writer-token-for-query-tests";
constexpr char kReplicaToken[] = "replica-token-for-query-tests";

std::chrono::system_clock::time_point In(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

// The field violations in a status's binary details (grpc-status-details-
// bin), as "field" strings.
std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return {};
  std::vector<std::string> fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) {
        fields.push_back(v.field());
      }
    }
  }
  return fields;
}

struct Replica {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
  std::unique_ptr<v1::QueryService::Stub> stub;
  std::string data_dir;
};

class QueryE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_ = dir_.path() + "/tls";
    ASSERT_OK(testing::MakeDevCerts(tls_));
    std::ofstream(dir_.path() + "/writer.token") << kWriterToken << "\n";
    std::ofstream(dir_.path() + "/replica.token") << kReplicaToken << "\n";
    grpc::SslCredentialsOptions ssl;
    auto ca = testing::ReadFileToString(tls_ + "/ca.pem");
    ASSERT_OK(ca.status());
    ssl.pem_root_certs = *ca;
    credentials_ = grpc::SslCredentials(ssl);
    StartIngest();
    StartReplica("a", &a_);
    StartReplica("b", &b_);
  }

  std::shared_ptr<grpc::Channel> Channel(int port) {
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                     credentials_, args);
  }

  void StartIngest() {
    const std::string port_file = dir_.path() + "/ingest.port";
    auto child = ChildProcess::Start(
        {testing::BinaryDir() + "/ingest_service/communique-ingest",
         "--listen=127.0.0.1:0", "--port_file=" + port_file,
         "--data_dir=" + dir_.path() + "/ingest",
         "--tls_cert=" + tls_ + "/server.pem",
         "--tls_key=" + tls_ + "/server.key", "--drain_seconds=2",
         "--writer_token_file=" + dir_.path() + "/writer.token",
         "--replica_token_file=" + dir_.path() + "/replica.token"},
        dir_.path() + "/ingest.log");
    ASSERT_OK(child.status());
    ingest_process_ = std::make_unique<ChildProcess>(*std::move(child));
    auto port = testing::WaitForPortFile(port_file, absl::Seconds(20));
    ASSERT_OK(port.status()) << Log("ingest");
    ingest_ = v1::IngestService::NewStub(Channel(*port));
    ingest_port_ = *port;
  }

  void StartReplica(const std::string& name, Replica* replica) {
    const std::string port_file = dir_.path() + "/query-" + name + ".port";
    replica->data_dir = dir_.path() + "/query-" + name;
    auto child = ChildProcess::Start(
        {testing::BinaryDir() + "/query_service/communique-query",
         "--listen=127.0.0.1:0", "--port_file=" + port_file,
         "--data_dir=" + replica->data_dir,
         absl::StrCat("--upstream=127.0.0.1:", ingest_port_),
         "--upstream_ca=" + tls_ + "/ca.pem", "--upstream_authority=localhost",
         "--upstream_token_file=" + dir_.path() + "/replica.token",
         "--tls_cert=" + tls_ + "/server.pem",
         "--tls_key=" + tls_ + "/server.key", "--drain_seconds=2"},
        dir_.path() + "/query-" + name + ".log");
    ASSERT_OK(child.status());
    replica->process = std::make_unique<ChildProcess>(*std::move(child));
    auto port = testing::WaitForPortFile(port_file, absl::Seconds(20));
    ASSERT_OK(port.status()) << Log("query-" + name);
    replica->port = *port;
    replica->stub = v1::QueryService::NewStub(Channel(*port));
  }

  std::string Log(const std::string& service) {
    auto log = testing::ReadFileToString(dir_.path() + "/" + service + ".log");
    return log.ok() ? *log : "(no log)";
  }

  // Ingests every sample article; returns the last consistency token.
  std::string IngestSamples() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(
             testing::SourceDir() + "/data/samples")) {
      if (entry.path().extension() == ".txt") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    EXPECT_GE(files.size(), 4u);
    uint64_t token = 0;
    for (const std::string& file : files) {
      auto text = testing::ReadFileToString(file);
      EXPECT_OK(text.status());
      grpc::ClientContext context;
      context.set_deadline(In(30));
      context.set_credentials(grpc::AccessTokenCredentials(kWriterToken));
      v1::IngestArticleRequest request;
      request.mutable_article()->set_text(*text);
      request.mutable_article()->set_external_id(
          std::filesystem::path(file).stem().string());
      v1::IngestArticleResponse response;
      grpc::Status status =
          ingest_->IngestArticle(&context, request, &response);
      EXPECT_TRUE(status.ok()) << file << ": " << status.error_message();
      if (status.ok()) {
        token = std::max<uint64_t>(token,
                                   std::stoull(response.consistency_token()));
      }
    }
    return absl::StrCat(token);
  }

  std::vector<v1::Summit> ListSummits(Replica& replica,
                                      const v1::SummitFilter& filter,
                                      const std::string& token = "",
                                      int page_size = 3) {
    std::vector<v1::Summit> out;
    std::string page_token;
    do {
      grpc::ClientContext context;
      context.set_deadline(In(30));
      v1::ListSummitsRequest request;
      *request.mutable_filter() = filter;
      request.set_page_size(page_size);
      request.set_page_token(page_token);
      request.set_consistency_token(token);
      v1::ListSummitsResponse response;
      grpc::Status status =
          replica.stub->ListSummits(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      out.insert(out.end(), response.summits().begin(),
                 response.summits().end());
      EXPECT_GE(response.total_size(), response.summits_size());
      page_token = response.next_page_token();
    } while (!page_token.empty());
    return out;
  }

  std::vector<v1::Declaration> ListDeclarations(
      Replica& replica, v1::ListDeclarationsRequest request) {
    std::vector<v1::Declaration> out;
    request.set_page_size(2);
    do {
      grpc::ClientContext context;
      context.set_deadline(In(30));
      v1::ListDeclarationsResponse response;
      grpc::Status status =
          replica.stub->ListDeclarations(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      out.insert(out.end(), response.declarations().begin(),
                 response.declarations().end());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return out;
  }

  std::vector<v1::Initiative> ListInitiatives(
      Replica& replica, v1::ListInitiativesRequest request) {
    std::vector<v1::Initiative> out;
    request.set_page_size(2);
    do {
      grpc::ClientContext context;
      context.set_deadline(In(30));
      v1::ListInitiativesResponse response;
      grpc::Status status =
          replica.stub->ListInitiatives(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      out.insert(out.end(), response.initiatives().begin(),
                 response.initiatives().end());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return out;
  }

  // Polls until the replica serves reads (it has caught up once).
  void WaitReady(Replica& replica) {
    for (int i = 0; i < 400; ++i) {
      grpc::ClientContext context;
      context.set_deadline(In(5));
      v1::GetStatsResponse stats;
      if (replica.stub->GetStats(&context, v1::GetStatsRequest(), &stats)
              .ok()) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "replica never became ready";
  }

  v1::GetStatsResponse Stats(Replica& replica, const std::string& token) {
    grpc::ClientContext context;
    context.set_deadline(In(30));
    v1::GetStatsRequest request;
    request.set_consistency_token(token);
    v1::GetStatsResponse response;
    grpc::Status status = replica.stub->GetStats(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Everything a client can list, as JSON, for comparing replicas.
  std::string ListEverything(Replica& replica) {
    std::string out;
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    for (const v1::Summit& s : ListSummits(replica, v1::SummitFilter())) {
      std::string json;
      EXPECT_TRUE(google::protobuf::util::MessageToJsonString(s, &json, options)
                      .ok());
      absl::StrAppend(&out, json, "\n");
    }
    v1::ListDeclarationsRequest declarations;
    declarations.set_parent("summits/-");
    for (const v1::Declaration& d : ListDeclarations(replica, declarations)) {
      std::string json;
      EXPECT_TRUE(google::protobuf::util::MessageToJsonString(d, &json, options)
                      .ok());
      absl::StrAppend(&out, json, "\n");
    }
    v1::ListInitiativesRequest initiatives;
    initiatives.set_parent("summits/-");
    for (const v1::Initiative& i : ListInitiatives(replica, initiatives)) {
      std::string json;
      EXPECT_TRUE(google::protobuf::util::MessageToJsonString(i, &json, options)
                      .ok());
      absl::StrAppend(&out, json, "\n");
    }
    return out;
  }

  TempDir dir_;
  std::string tls_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::unique_ptr<ChildProcess> ingest_process_;
  int ingest_port_ = 0;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  Replica a_;
  Replica b_;
};

TEST_F(QueryE2eTest, WatchSeesIngestsAndFiltersAnswerFromIndexes) {
  // Once replica A is ready, open a watch of CSTO summits.
  WaitReady(a_);
  grpc::ClientContext watch_context;
  watch_context.set_deadline(In(120));
  v1::WatchSummitsRequest watch_request;
  watch_request.mutable_filter()->set_organization("CSTO");
  std::unique_ptr<grpc::ClientReader<v1::WatchSummitsResponse>> watch;
  v1::WatchSummitsResponse greeting;
  watch = a_.stub->WatchSummits(&watch_context, watch_request);
  ASSERT_TRUE(watch->Read(&greeting)) << watch->Finish().error_message();
  EXPECT_TRUE(greeting.changes().empty());

  const std::string token = IngestSamples();

  // The watch reports the CSTO summits the ingest created.
  std::set<std::string> watched;
  v1::WatchSummitsResponse batch;
  while (watched.empty() && watch->Read(&batch)) {
    for (const v1::SummitChange& change : batch.changes()) {
      EXPECT_EQ(change.summit().organization(), "CSTO");
      EXPECT_EQ(change.type(), v1::CHANGE_TYPE_UPSERT);
      EXPECT_GT(change.sequence(), greeting.through_sequence());
      watched.insert(change.name());
    }
  }
  EXPECT_THAT(watched, Not(IsEmpty()));
  watch_context.TryCancel();
  watch->Finish();

  // Read-your-writes, then every summit.
  std::vector<v1::Summit> all = ListSummits(a_, v1::SummitFilter(), token);
  ASSERT_GE(all.size(), 4u);
  for (const std::string& name : watched) {
    EXPECT_TRUE(std::any_of(all.begin(), all.end(),
                            [&](const auto& s) { return s.name() == name; }))
        << name;
  }

  // Every filter finds the summits that have the value (data-driven, so
  // extractor improvements do not break it).
  for (const v1::Summit& s : all) {
    auto names_of = [&](v1::SummitFilter f) {
      std::set<std::string> names;
      for (const auto& found : ListSummits(a_, f)) names.insert(found.name());
      return names;
    };
    v1::SummitFilter f;
    f.set_organization(s.organization());
    f.set_year(s.date().year());
    EXPECT_THAT(names_of(f), Contains(s.name()));
    if (!s.location().city().empty()) {
      v1::SummitFilter city;
      city.set_text(s.location().city());
      EXPECT_THAT(names_of(city), Contains(s.name())) << s.location().city();
    }
    for (int format : s.formats()) {
      v1::SummitFilter by_format;
      by_format.set_format(static_cast<v1::SummitFormat>(format));
      EXPECT_THAT(names_of(by_format), Contains(s.name()));
    }
    for (const std::string& topic : s.topics()) {
      v1::SummitFilter by_topic;
      by_topic.set_topic(topic);
      by_topic.set_organization(s.organization());
      EXPECT_THAT(names_of(by_topic), Contains(s.name())) << topic;
    }
    if (!s.presiding().empty()) {
      v1::SummitFilter by_presiding;
      by_presiding.set_presiding(s.presiding());
      EXPECT_THAT(names_of(by_presiding), Contains(s.name()));
    }
  }
  v1::SummitFilter csto;
  csto.set_organization("csto");
  std::vector<v1::Summit> csto_summits = ListSummits(a_, csto);
  EXPECT_THAT(csto_summits, Not(IsEmpty()));
  for (const auto& s : csto_summits) EXPECT_EQ(s.organization(), "CSTO");

  // Declarations and initiatives: every filter finds what it should.
  v1::ListDeclarationsRequest all_declarations;
  all_declarations.set_parent("summits/-");
  std::vector<v1::Declaration> declarations =
      ListDeclarations(a_, all_declarations);
  EXPECT_THAT(declarations, Not(IsEmpty()));
  for (const v1::Declaration& d : declarations) {
    v1::ListDeclarationsRequest by = all_declarations;
    by.set_kind(d.kind());
    by.set_status(d.status());
    std::vector<std::string> words = schema::SearchWords(d.title());
    words.resize(std::min<size_t>(words.size(), 3));
    by.set_text(absl::StrJoin(words, " "));
    std::vector<std::string> names;
    for (const auto& found : ListDeclarations(a_, by)) {
      names.push_back(found.name());
    }
    EXPECT_THAT(names, Contains(d.name())) << d.title();
    v1::ListDeclarationsRequest by_parent;
    by_parent.set_parent(d.summit());
    names.clear();
    for (const auto& found : ListDeclarations(a_, by_parent)) {
      EXPECT_EQ(found.summit(), d.summit());
      names.push_back(found.name());
    }
    EXPECT_THAT(names, Contains(d.name()));
  }
  v1::ListInitiativesRequest all_initiatives;
  all_initiatives.set_parent("summits/-");
  for (const v1::Initiative& i : ListInitiatives(a_, all_initiatives)) {
    v1::ListInitiativesRequest by = all_initiatives;
    by.set_proposer_country(i.proposer().country());
    by.set_status(i.status());
    std::vector<std::string> names;
    for (const auto& found : ListInitiatives(a_, by)) {
      names.push_back(found.name());
    }
    EXPECT_THAT(names, Contains(i.name()));
  }

  // A page token only works with the filter it was issued for.
  grpc::ClientContext page_context;
  v1::ListSummitsRequest page_request;
  page_request.set_page_size(1);
  v1::ListSummitsResponse page;
  ASSERT_TRUE(a_.stub->ListSummits(&page_context, page_request, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  EXPECT_EQ(page.total_size(), static_cast<int32_t>(all.size()));
  grpc::ClientContext reuse_context;
  page_request.mutable_filter()->set_organization("SCO");
  page_request.set_page_token(page.next_page_token());
  grpc::Status reuse =
      a_.stub->ListSummits(&reuse_context, page_request, &page);
  EXPECT_EQ(reuse.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(reuse), ::testing::ElementsAre("page_token"));

  // Chairmanships are derived for every summit that states a chair.
  grpc::ClientContext chair_context;
  v1::ListChairmanshipsResponse chairs;
  ASSERT_TRUE(a_.stub
                  ->ListChairmanships(&chair_context,
                                      v1::ListChairmanshipsRequest(), &chairs)
                  .ok());
  for (const v1::Summit& s : all) {
    if (s.chair_country().empty()) continue;
    EXPECT_TRUE(std::any_of(
        chairs.chairmanships().begin(), chairs.chairmanships().end(),
        [&](const v1::Chairmanship& c) {
          return c.organization() == s.organization() &&
                 c.country() == s.chair_country() &&
                 std::find(c.chaired_summits().begin(),
                           c.chaired_summits().end(),
                           s.name()) != c.chaired_summits().end();
        }))
        << s.name();
  }

  // Stats agree with the lists; the replica is caught up.
  v1::GetStatsResponse stats = Stats(a_, token);
  EXPECT_EQ(stats.summit_count(), static_cast<int64_t>(all.size()));
  EXPECT_EQ(stats.declaration_count(),
            static_cast<int64_t>(declarations.size()));
  EXPECT_GE(stats.applied_sequence(), std::stoull(token));
  EXPECT_TRUE(stats.caught_up());
  EXPECT_GT(stats.store_size_bytes(), 0);
  int64_t per_year = 0;
  for (const auto& c : stats.counts()) per_year += c.summit_count();
  EXPECT_EQ(per_year, stats.summit_count());

  // A watch from a sequence replays the history.
  grpc::ClientContext replay_context;
  replay_context.set_deadline(In(30));
  v1::WatchSummitsRequest replay_request;
  replay_request.set_start_sequence(1);
  auto replay = a_.stub->WatchSummits(&replay_context, replay_request);
  v1::WatchSummitsResponse replayed;
  ASSERT_TRUE(replay->Read(&replayed));  // greeting
  EXPECT_EQ(replayed.through_sequence(), 1u);
  ASSERT_TRUE(replay->Read(&replayed));
  EXPECT_THAT(replayed.changes(), Not(IsEmpty()));
  EXPECT_GT(replayed.changes(0).sequence(), 1u);
  replay_context.TryCancel();
  replay->Finish();
}

TEST_F(QueryE2eTest, BadRequestsCarryFieldViolations) {
  WaitReady(a_);
  auto list = [&](const v1::ListSummitsRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(In(30));
    v1::ListSummitsResponse response;
    return a_.stub->ListSummits(&context, request, &response);
  };
  v1::ListSummitsRequest negative;
  negative.set_page_size(-1);
  negative.mutable_filter()->set_min_year(2025);
  negative.mutable_filter()->set_max_year(2020);
  negative.mutable_filter()->set_format(static_cast<v1::SummitFormat>(42));
  grpc::Status status = list(negative);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));
  EXPECT_THAT(ViolatedFields(status),
              ::testing::ElementsAre("page_size", "filter.min_year",
                                     "filter.format"));

  v1::ListSummitsRequest stop_words;
  stop_words.mutable_filter()->set_text("of the");
  EXPECT_THAT(ViolatedFields(list(stop_words)),
              ::testing::ElementsAre("filter.text"));

  // A token issued for another filter.
  v1::ListSummitsRequest reused;
  reused.mutable_filter()->set_organization("SCO");
  reused.set_page_token("AQAAAAAAAAAAeA");  // a well-formed foreign token
  EXPECT_THAT(ViolatedFields(list(reused)),
              ::testing::ElementsAre("page_token"));

  grpc::ClientContext get_context;
  v1::GetDeclarationRequest bad_name;
  bad_name.set_name("summits/x/documents/y");
  v1::Declaration declaration;
  status = a_.stub->GetDeclaration(&get_context, bad_name, &declaration);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("name"));

  grpc::ClientContext missing_context;
  v1::GetDeclarationRequest missing;
  missing.set_name("summits/csto-1999-x/declarations/nothing");
  status = a_.stub->GetDeclaration(&missing_context, missing, &declaration);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("not found"));

  grpc::ClientContext kind_context;
  v1::ListDeclarationsRequest bad_kind;
  bad_kind.set_parent("summits/-");
  bad_kind.set_kind(static_cast<v1::DeclarationKind>(99));
  bad_kind.set_min_year(-5);
  v1::ListDeclarationsResponse declarations;
  status = a_.stub->ListDeclarations(&kind_context, bad_kind, &declarations);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status),
              ::testing::ElementsAre("kind", "min_year"));

  grpc::ClientContext watch_context;
  watch_context.set_deadline(In(30));
  v1::WatchSummitsRequest bad_watch;
  bad_watch.mutable_filter()->mutable_start_date()->set_year(2024);
  bad_watch.mutable_filter()->mutable_start_date()->set_month(13);
  auto watch = a_.stub->WatchSummits(&watch_context, bad_watch);
  v1::WatchSummitsResponse ignored;
  EXPECT_FALSE(watch->Read(&ignored));
  status = watch->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status),
              ::testing::ElementsAre("filter.start_date.month"));
}

TEST_F(QueryE2eTest, TwoReplicasOfOneIngestEndByteIdentical) {
  const std::string token = IngestSamples();
  // Both answer the same lists once they have applied the token.
  Stats(a_, token);
  Stats(b_, token);
  const std::string a_lists = ListEverything(a_);
  EXPECT_FALSE(a_lists.empty());
  EXPECT_EQ(a_lists, ListEverything(b_));
  const uint64_t a_applied = Stats(a_, token).applied_sequence();
  const uint64_t b_applied = Stats(b_, token).applied_sequence();
  ASSERT_EQ(a_applied, b_applied);

  // Stop both and compare every byte of their stores.
  for (Replica* replica : {&a_, &b_}) {
    replica->process->Signal(SIGTERM);
    ASSERT_OK_AND_ASSIGN(int code, replica->process->Wait(absl::Seconds(20)));
    EXPECT_EQ(code, 0);
  }
  ASSERT_OK_AND_ASSIGN(auto a_store, store::OpenQueryStore(a_.data_dir, {}));
  ASSERT_OK_AND_ASSIGN(auto b_store, store::OpenQueryStore(b_.data_dir, {}));
  EXPECT_EQ(a_store->AppliedSequence(), b_store->AppliedSequence());
  ASSERT_OK_AND_ASSIGN(std::string a_bytes, a_store->ExportContents());
  ASSERT_OK_AND_ASSIGN(std::string b_bytes, b_store->ExportContents());
  EXPECT_GT(a_bytes.size(), 1000u);
  EXPECT_EQ(a_bytes.size(), b_bytes.size());
  EXPECT_TRUE(a_bytes == b_bytes) << "replica stores differ";
}

}  // namespace
}  // namespace communique
