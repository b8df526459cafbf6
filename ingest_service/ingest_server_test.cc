// IngestService's DeleteArticle and Reprocess over a real in-process gRPC
// channel (loopback, port 0): status codes and page tokens; the change feed
// under drain; parallel bulk-ingest streams while the feed follows (run
// under TSan by scripts/test.sh).

#include "ingest_service/ingest_server.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "ingest_service/change_feed_server.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class IngestServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/communique_ingest_server_test_XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto gazetteer = gazetteer::Gazetteer::LoadDefault();
    ASSERT_OK(gazetteer.status());
    auto extractor = extract::Extractor::Create(*gazetteer);
    ASSERT_OK(extractor.status());
    extractor_ = *std::move(extractor);
    store::StoreOptions options;  // fsynced, as in production
    auto store = store::OpenIngestStore(dir_, options);
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    IngestPipeline::Options pipeline_options;
    pipeline_options.naming = NamingRulesFrom(**gazetteer);
    pipeline_ = std::make_unique<IngestPipeline>(store_.get(), extractor_.get(),
                                                 std::move(pipeline_options));
    service_ = std::make_unique<IngestServer>(pipeline_.get(), store_.get());
    feed_ = std::make_unique<ChangeFeedServer>(store_.get());
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    builder.RegisterService(feed_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
    stub_ = v1::IngestService::NewStub(channel);
    feed_stub_ = v1::ChangeFeedService::NewStub(channel);
  }

  void TearDown() override {
    server_->Shutdown();
    server_.reset();
    // Every stream ended with the server. Reading the count also takes the
    // registry's lock, which orders the streams' last OnDone before the
    // registry's destruction for TSan: gRPC's own wait for its callbacks
    // uses atomics in its uninstrumented library, invisible to TSan.
    EXPECT_EQ(feed_->open_streams(), 0u);
    service_.reset();
    feed_.reset();
    pipeline_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  grpc::Status Ingest(const std::string& text, const std::string& id) {
    grpc::ClientContext context;
    v1::IngestArticleRequest request;
    request.mutable_article()->set_text(text);
    request.mutable_article()->set_external_id(id);
    v1::IngestArticleResponse response;
    return stub_->IngestArticle(&context, request, &response);
  }

  grpc::Status Delete(const std::string& name,
                      v1::DeleteArticleResponse* response) {
    grpc::ClientContext context;
    v1::DeleteArticleRequest request;
    request.set_name(name);
    return stub_->DeleteArticle(&context, request, response);
  }

  grpc::Status Reprocess(const v1::ReprocessRequest& request,
                         v1::ReprocessResponse* response) {
    grpc::ClientContext context;
    return stub_->Reprocess(&context, request, response);
  }

  std::string dir_;
  std::unique_ptr<extract::Extractor> extractor_;
  std::unique_ptr<store::IngestStore> store_;
  std::unique_ptr<IngestPipeline> pipeline_;
  std::unique_ptr<IngestServer> service_;
  std::unique_ptr<ChangeFeedServer> feed_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
  std::unique_ptr<v1::ChangeFeedService::Stub> feed_stub_;
};

// A drain ends the feed streams at once instead of waiting for its
// deadline, and refuses new ones, both with UNAVAILABLE.
TEST_F(IngestServerTest, ShutdownEndsFeedStreamsAndRefusesNewOnes) {
  ASSERT_TRUE(Ingest("The CSTO Collective Security Council met in Minsk on "
                     "November 23, 2023.",
                     "minsk")
                  .ok());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  auto reader = feed_stub_->Subscribe(&context, v1::SubscribeRequest());
  v1::SubscribeResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_GT(response.events_size(), 0);
  // Caught up: the stream now waits for new changes, open.
  while (feed_->open_streams() != 1) absl::SleepFor(absl::Milliseconds(5));

  const absl::Time start = absl::Now();
  feed_->Shutdown();
  while (reader->Read(&response)) {
  }
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("shutting down"));
  // Well inside the 30 s deadline: it ended because of Shutdown.
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));

  grpc::ClientContext again;
  auto refused = feed_stub_->Subscribe(&again, v1::SubscribeRequest());
  EXPECT_FALSE(refused->Read(&response));
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  // The server forgets the stream when gRPC runs its OnDone, which may
  // come just after the client saw the status.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (feed_->open_streams() != 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(feed_->open_streams(), 0u);
}

// The bulk stream overlaps articles but answers in request order, applies
// them in arrival order (the later version of an article wins), answers a
// bad article in its response and goes on, and acknowledges only what is
// durable and on the change feed.
TEST_F(IngestServerTest, StreamKeepsOrderAndLaterVersionsWin) {
  constexpr int kRequests = 40;
  const char* const kCities[] = {"Minsk", "Moscow", "Astana", "Bishkek",
                                 "Dushanbe", "Yerevan"};
  auto text = [&](int i) {
    return absl::StrCat("The CSTO Collective Security Council met in ",
                        kCities[i % 6], " on November ", 1 + i % 28, ", ",
                        2000 + i, ".");
  };
  const std::string first_version =
      "The CSTO Collective Security Council met in Minsk on November 23, "
      "2023.";
  const std::string second_version =
      "The CSTO Collective Security Council met in Minsk on November 23, "
      "2023, chaired by President of Belarus Alexander Lukashenko.";
  grpc::ClientContext context;
  auto stream = stub_->IngestArticles(&context);
  std::thread writer([&] {
    for (int i = 0; i < kRequests; ++i) {
      v1::IngestArticleRequest request;
      request.set_request_id(absl::StrCat(i));
      if (i == 20) {
        // No article: answered in the stream.
      } else if (i == 10 || i == 30) {
        request.mutable_article()->set_external_id("minsk-report");
        request.mutable_article()->set_text(i == 10 ? first_version
                                                    : second_version);
      } else {
        request.mutable_article()->set_external_id(absl::StrCat("a", i));
        request.mutable_article()->set_text(text(i));
      }
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  std::vector<v1::IngestArticleResponse> responses;
  v1::IngestArticleResponse response;
  while (stream->Read(&response)) responses.push_back(response);
  writer.join();
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(responses.size(), static_cast<size_t>(kRequests));

  uint64_t last_token = 0;
  for (int i = 0; i < kRequests; ++i) {
    const v1::IngestArticleResponse& r = responses[i];
    EXPECT_EQ(r.request_id(), absl::StrCat(i));
    if (i == 20) {
      EXPECT_EQ(r.error_code(), int(grpc::StatusCode::INVALID_ARGUMENT));
      EXPECT_THAT(r.error_message(), HasSubstr("article"));
      continue;
    }
    EXPECT_EQ(r.error_code(), 0) << i << ": " << r.error_message();
    uint64_t token = 0;
    ASSERT_TRUE(absl::SimpleAtoi(r.consistency_token(), &token));
    EXPECT_GE(token, last_token) << i;  // applied in arrival order
    last_token = token;
    // Acknowledged means durable and published.
    EXPECT_LE(token, store_->notifier().head());
  }
  EXPECT_EQ(responses[10].outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_EQ(responses[30].outcome(), v1::INGEST_OUTCOME_UPDATED);
  ASSERT_OK_AND_ASSIGN(auto stored,
                       store_->GetArticle(responses[30].article()));
  ASSERT_TRUE(stored.has_value());
  EXPECT_THAT(stored->text(), HasSubstr("Lukashenko"));
  ASSERT_OK_AND_ASSIGN(auto changes, store_->ReadChanges(0, 10000));
  EXPECT_EQ(changes.size(), store_->notifier().head());
}

// The feed is served from the stored bytes: a typed client reads exactly
// the responses the typed path built (ReadChanges in batches of max_batch,
// the head), then a live commit wakes the caught-up stream.
TEST_F(IngestServerTest, SubscribeSendsTheTypedResponsesFromStoredBytes) {
  for (const auto& [text, id] :
       std::vector<std::pair<std::string, std::string>>{
           {"The CSTO Collective Security Council met in Minsk on November "
            "23, 2023.",
            "minsk"},
           {"The CSTO Collective Security Council met in Yerevan on November "
            "23, 2022.",
            "yerevan"},
           {"The SCO Council of Heads of State met in Astana on July 4, 2024.",
            "astana"}}) {
    ASSERT_TRUE(Ingest(text, id).ok());
  }
  const uint64_t head = store_->notifier().head();
  ASSERT_GE(head, 3u);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::SubscribeRequest request;
  request.set_max_batch(2);
  auto reader = feed_stub_->Subscribe(&context, request);
  uint64_t after = 0;
  v1::SubscribeResponse response;
  while (after < head) {
    ASSERT_TRUE(reader->Read(&response));
    ASSERT_OK_AND_ASSIGN(std::vector<v1::ChangeEvent> events,
                         store_->ReadChanges(after, 2));
    v1::SubscribeResponse expected;
    for (v1::ChangeEvent& event : events) *expected.add_events() = event;
    expected.set_head_sequence(head);
    EXPECT_EQ(response.DebugString(), expected.DebugString());
    ASSERT_GT(response.events_size(), 0);
    after = response.events(response.events_size() - 1).sequence();
  }
  // Caught up: a new commit arrives on the same stream.
  ASSERT_TRUE(Ingest("The EAEU Supreme Eurasian Economic Council met in "
                     "Moscow on May 8, 2024.",
                     "moscow")
                  .ok());
  const uint64_t new_head = store_->notifier().head();
  ASSERT_GT(new_head, head);
  while (after < new_head) {
    ASSERT_TRUE(reader->Read(&response));
    if (response.events_size() == 0) continue;
    EXPECT_EQ(response.events(0).sequence(), after + 1);
    after = response.events(response.events_size() - 1).sequence();
    EXPECT_GE(response.head_sequence(), after);
  }
  EXPECT_EQ(after, new_head);
  context.TryCancel();
  reader->Finish().ok();  // CANCELLED, by design
}

TEST_F(IngestServerTest, DeleteArticleReportsCodesAndToken) {
  ASSERT_TRUE(Ingest("The CSTO Collective Security Council met in Minsk on "
                     "November 23, 2023.",
                     "minsk")
                  .ok());
  v1::DeleteArticleResponse response;
  EXPECT_EQ(Delete("articles/unknown", &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Delete("not-a-name", &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  grpc::Status status = Delete("articles/minsk", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.article(), "articles/minsk");
  EXPECT_THAT(response.affected_summits(),
              ElementsAre("summits/csto-2023-11-23-minsk"));
  EXPECT_EQ(response.consistency_token(),
            std::to_string(store_->notifier().head()));
  EXPECT_EQ(Delete("articles/minsk", &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// Pages over the wire: ParseArticle converts and fills metadata, the bulk
// stream stores the raw page beside the text, and a page without a body is
// INVALID_ARGUMENT naming article.html with nothing stored.
TEST_F(IngestServerTest, PagesAreConvertedAndStoredBesideTheirText) {
  const std::string page =
      "<html><head><meta property='og:title' content='Leaders meet in "
      "Minsk'><meta property='og:site_name' content='Example Wire'>"
      "<meta property='article:published_time' content='2023-11-23T20:00:00"
      "+03:00'></head><body><nav>Home | World</nav><article><p>The CSTO "
      "Collective Security Council met in Minsk today.</p></article>"
      "<aside class='related'><p>Summit in Astana on November 28, 2024</p>"
      "</aside></body></html>";
  {
    grpc::ClientContext context;
    v1::ParseArticleRequest request;
    request.mutable_article()->set_html(page);
    v1::ParseArticleResponse response;
    grpc::Status status = stub_->ParseArticle(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.article().title(), "Leaders meet in Minsk");
    EXPECT_EQ(response.article().publisher(), "Example Wire");
    ASSERT_EQ(response.extraction().summits_size(), 1);
    EXPECT_EQ(response.extraction().summits(0).name(),
              "summits/csto-2023-11-23-minsk");
  }
  {
    grpc::ClientContext context;
    auto stream = stub_->IngestArticles(&context);
    v1::IngestArticleRequest request;
    request.mutable_article()->set_html(page);
    request.mutable_article()->set_content_type("text/html; charset=utf-8");
    request.mutable_article()->set_external_id("page-1");
    ASSERT_TRUE(stream->Write(request));
    v1::IngestArticleResponse response;
    ASSERT_TRUE(stream->Read(&response));
    EXPECT_EQ(response.error_code(), 0) << response.error_message();
    EXPECT_EQ(response.article(), "articles/page-1");
    stream->WritesDone();
    EXPECT_TRUE(stream->Finish().ok());
    ASSERT_OK_AND_ASSIGN(auto stored, store_->GetArticlePage("articles/page-1"));
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->html(), page);
  }
  const uint64_t head = store_->notifier().head();
  grpc::ClientContext context;
  v1::IngestArticleRequest request;
  request.mutable_article()->set_html(
      "<html><body><nav><a href='/'>Home</a></nav></body></html>");
  v1::IngestArticleResponse response;
  grpc::Status status = stub_->IngestArticle(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("article.html"));
  EXPECT_EQ(store_->notifier().head(), head);
}

TEST_F(IngestServerTest, ReprocessPagesThroughEveryArticle) {
  for (const char* city : {"Minsk", "Yerevan", "Astana"}) {
    ASSERT_TRUE(Ingest(std::string("The CSTO Collective Security Council met "
                                   "in ") +
                           city + " on November 23, 2023.",
                       city)
                    .ok());
  }
  v1::ReprocessRequest request;
  request.set_page_size(2);
  v1::ReprocessResponse response;
  ASSERT_TRUE(Reprocess(request, &response).ok());
  EXPECT_EQ(response.articles_examined(), 2);
  EXPECT_EQ(response.articles_unchanged(), 2);
  EXPECT_EQ(response.extractor_version(), extract::kExtractorVersion);
  ASSERT_FALSE(response.next_page_token().empty());

  // A token of an all-articles pass is not valid for an only-outdated one.
  v1::ReprocessRequest other = request;
  other.set_page_token(response.next_page_token());
  other.set_only_outdated(true);
  v1::ReprocessResponse ignored;
  EXPECT_EQ(Reprocess(other, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  request.set_page_token(response.next_page_token());
  ASSERT_TRUE(Reprocess(request, &response).ok());
  EXPECT_EQ(response.articles_examined(), 1);
  EXPECT_TRUE(response.next_page_token().empty());
  EXPECT_THAT(response.affected_summits(), IsEmpty());

  request.set_page_size(-1);
  request.clear_page_token();
  EXPECT_EQ(Reprocess(request, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_page_size(0);
  request.set_page_token("garbage");
  EXPECT_EQ(Reprocess(request, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Several IngestArticles streams at once, their articles about shared
// summits, while a Subscribe stream follows the change feed: every article
// is acknowledged without error and the feed delivers 1..head, gap-free.
TEST_F(IngestServerTest, ParallelIngestStreamsWhileTheFeedFollows) {
  constexpr int kStreams = 3;
  constexpr int kPerStream = 8;
  const char* const cities[] = {"Minsk", "Yerevan", "Astana", "Bishkek"};
  absl::Mutex mu;
  std::vector<std::string> errors;  // guarded by mu
  std::vector<std::thread> writers;
  for (int s = 0; s < kStreams; ++s) {
    writers.emplace_back([&, s] {
      grpc::ClientContext context;
      auto stream = stub_->IngestArticles(&context);
      for (int n = 0; n < kPerStream; ++n) {
        v1::IngestArticleRequest request;
        request.set_request_id(absl::StrCat(s, "-", n));
        request.mutable_article()->set_external_id(absl::StrCat(s, "-", n));
        request.mutable_article()->set_text(absl::StrCat(
            "The CSTO Collective Security Council met in ",
            cities[(s + n) % 4], " on November ", 20 + (s + n) % 4,
            ", 2023. Stream ", s, " article ", n, "."));
        v1::IngestArticleResponse response;
        if (!stream->Write(request) || !stream->Read(&response)) {
          absl::MutexLock lock(&mu);
          errors.push_back(absl::StrCat("stream ", s, " broke at ", n));
          return;
        }
        if (response.error_code() != 0 ||
            response.request_id() != request.request_id()) {
          absl::MutexLock lock(&mu);
          errors.push_back(absl::StrCat(s, "-", n, ": ",
                                        response.error_message()));
        }
      }
      stream->WritesDone();
      grpc::Status status = stream->Finish();
      if (!status.ok()) {
        absl::MutexLock lock(&mu);
        errors.push_back(absl::StrCat("stream ", s, ": ",
                                      status.error_message()));
      }
    });
  }
  // The follower reads until it has seen the head after the writers end.
  grpc::ClientContext feed_context;
  feed_context.set_deadline(std::chrono::system_clock::now() +
                            std::chrono::seconds(120));
  auto feed = feed_stub_->Subscribe(&feed_context, v1::SubscribeRequest());
  std::atomic<uint64_t> followed{0};
  std::thread follower([&] {
    uint64_t last = 0;
    v1::SubscribeResponse response;
    while (feed->Read(&response)) {
      for (const v1::ChangeEvent& event : response.events()) {
        if (event.sequence() != last + 1) {
          absl::MutexLock lock(&mu);
          errors.push_back(absl::StrCat("feed: ", event.sequence(),
                                        " after ", last));
        }
        last = event.sequence();
      }
      followed.store(last);
    }
  });
  for (std::thread& writer : writers) writer.join();
  const uint64_t head = store_->notifier().head();
  EXPECT_GE(head, static_cast<uint64_t>(kStreams * kPerStream));
  // The follower reaches the head, then the drain ends its stream.
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (followed.load() < head && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(followed.load(), head);
  feed_->Shutdown();
  follower.join();
  EXPECT_EQ(feed->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  absl::MutexLock lock(&mu);
  EXPECT_THAT(errors, IsEmpty());
  ASSERT_OK_AND_ASSIGN(auto page, store_->ListArticles(100, ""));
  EXPECT_EQ(page.items.size(), static_cast<size_t>(kStreams * kPerStream));
}

// Callback reactors never block: many IngestArticles streams whose
// articles cannot finish (each one's acknowledgement waits on a gate) hold
// the server's stream workers, not gRPC's callback threads, so unary calls
// on the same server are answered meanwhile, well within their deadline.
// Once the gate opens every stream completes without error.
TEST(IngestServerStarvationTest, SlowIngestStreamsDoNotStarveUnaryCalls) {
  constexpr int kStreams = 48;
  constexpr int kPerStream = 8;  // one window each: all read at once
  constexpr int kStreamThreads = 4;
  char tmpl[] = "/tmp/communique_ingest_starvation_test_XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  ASSERT_OK_AND_ASSIGN(auto gazetteer, gazetteer::Gazetteer::LoadDefault());
  ASSERT_OK_AND_ASSIGN(auto extractor, extract::Extractor::Create(gazetteer));
  store::StoreOptions store_options;
  store_options.sync_writes = false;
  ASSERT_OK_AND_ASSIGN(auto store, store::OpenIngestStore(dir, store_options));
  absl::Notification gate;
  std::atomic<int> waiting{0};
  IngestPipeline::Options pipeline_options;
  pipeline_options.naming = NamingRulesFrom(*gazetteer);
  pipeline_options.on_ingest =
      [&](const absl::StatusOr<v1::IngestArticleResponse>&) {
        ++waiting;
        gate.WaitForNotification();
      };
  IngestPipeline pipeline(store.get(), extractor.get(),
                          std::move(pipeline_options));
  auto service =
      std::make_unique<IngestServer>(&pipeline, store.get(), kStreamThreads);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::IngestService::NewStub(channel);

  absl::Mutex mu;
  std::vector<std::string> errors;  // guarded by mu
  int answered = 0;                 // guarded by mu
  std::atomic<int> sent{0};
  std::vector<std::thread> streams;
  for (int s = 0; s < kStreams; ++s) {
    streams.emplace_back([&, s] {
      grpc::ClientContext context;
      auto stream = stub->IngestArticles(&context);
      for (int n = 0; n < kPerStream; ++n) {
        v1::IngestArticleRequest request;
        request.set_request_id(absl::StrCat(s, "-", n));
        request.mutable_article()->set_text(absl::StrCat(
            "The CSTO Collective Security Council met in Minsk on November ",
            1 + n, ", ", 2000 + s, ". Slow stream ", s, " article ", n, "."));
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
      ++sent;
      v1::IngestArticleResponse response;
      int read = 0;
      while (stream->Read(&response)) {
        if (response.error_code() != 0) {
          absl::MutexLock lock(&mu);
          errors.push_back(response.error_message());
        }
        ++read;
      }
      grpc::Status status = stream->Finish();
      absl::MutexLock lock(&mu);
      answered += read;
      if (!status.ok()) errors.push_back(status.error_message());
    });
  }
  // Every stream has sent its window and the workers are all held.
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while ((sent.load() < kStreams || waiting.load() < kStreamThreads) &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(sent.load(), kStreams);
  EXPECT_EQ(waiting.load(), kStreamThreads);

  // Unary calls are answered while the streams are stuck.
  for (int i = 0; i < 20; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    v1::GetArticleRequest request;
    request.set_name(absl::StrCat("articles/missing-", i));
    v1::Article article;
    EXPECT_EQ(stub->GetArticle(&context, request, &article).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    v1::ParseArticleRequest request;
    request.mutable_article()->set_text(
        "The CSTO Collective Security Council met in Astana on November 28, "
        "2024.");
    v1::ParseArticleResponse response;
    grpc::Status status = stub->ParseArticle(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  // No stream got further than its workers while the gate was closed.
  EXPECT_EQ(waiting.load(), kStreamThreads);

  gate.Notify();
  for (std::thread& stream : streams) stream.join();
  {
    absl::MutexLock lock(&mu);
    EXPECT_THAT(errors, IsEmpty());
    EXPECT_EQ(answered, kStreams * kPerStream);
  }
  server->Shutdown();
  server.reset();
  service.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace communique::ingest
