// In-process tests of the query service's streaming and replication
// surface: a fake change feed, a real replica store and FeedFollower, and
// QueryServer on a loopback port. WatchSummits filtering, greetings,
// consistency waits, cancellation and shutdown; GetStats replication
// fields.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "communique/v1/change_feed.grpc.pb.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "query_service/feed_follower.h"
#include "query_service/query_server.h"
#include "query_service/summit_watch.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/store/query_store.h"

namespace communique::query {
namespace {

using ::testing::SizeIs;

std::chrono::system_clock::time_point In(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

// A change feed served from memory: sends a heartbeat with the head, then
// every event after the subscriber's position as it is pushed.
class FakeFeed final : public v1::ChangeFeedService::Service {
 public:
  void Push(const v1::Summit& summit) {
    std::lock_guard<std::mutex> lock(mu_);
    v1::ChangeEvent& e = events_.emplace_back();
    e.set_sequence(events_.size());
    e.set_type(v1::CHANGE_TYPE_UPSERT);
    e.set_name(summit.name());
    e.mutable_commit_time()->set_seconds(1700000000);
    *e.mutable_summit() = summit;
    changed_.notify_all();
  }

  grpc::Status Subscribe(
      grpc::ServerContext* context, const v1::SubscribeRequest* request,
      grpc::ServerWriter<v1::SubscribeResponse>* writer) override {
    uint64_t next = request->after_sequence();
    bool first = true;
    while (!context->IsCancelled()) {
      v1::SubscribeResponse response;
      {
        std::unique_lock<std::mutex> lock(mu_);
        changed_.wait_for(lock, std::chrono::milliseconds(20), [&] {
          return events_.size() > next;
        });
        for (; next < events_.size(); ++next) {
          *response.add_events() = events_[next];
        }
        response.set_head_sequence(events_.size());
      }
      if (response.events().empty() && !first) continue;
      first = false;
      if (!writer->Write(response)) break;
    }
    return grpc::Status::OK;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<v1::ChangeEvent> events_;
};

v1::Summit MakeSummit(const std::string& id, const std::string& org) {
  v1::Summit s;
  s.set_name("summits/" + id);
  s.set_organization(org);
  s.mutable_date()->set_year(2024);
  return s;
}

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/communique_watch_test_XXXXXX";
    dir_ = mkdtemp(tmpl);
    grpc::ServerBuilder feed_builder;
    int feed_port = 0;
    feed_builder.AddListeningPort("127.0.0.1:0",
                                  grpc::InsecureServerCredentials(),
                                  &feed_port);
    feed_builder.RegisterService(&feed_);
    feed_server_ = feed_builder.BuildAndStart();
    ASSERT_NE(feed_server_, nullptr);

    auto store = store::OpenQueryStore(dir_, {});
    ASSERT_OK(store.status());
    store_ = std::move(*store);
    follower_ = std::make_unique<FeedFollower>(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", feed_port),
                            grpc::InsecureChannelCredentials()),
        store_.get());
    hub_ = std::make_unique<WatchHub>(store_.get(),
                                      &follower_->applied_notifier());
    server_impl_ =
        std::make_unique<QueryServer>(store_.get(), follower_.get(), hub_.get());
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(server_impl_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    follower_->Start();
    stub_ = v1::QueryService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    hub_->Shutdown();
    server_->Shutdown(In(2));
    follower_->Stop();
    feed_server_->Shutdown(In(2));
    server_.reset();
    server_impl_.reset();
    hub_.reset();
    follower_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Waits (bounded by the call deadline) until the replica applied `n`.
  v1::GetStatsResponse StatsAfter(uint64_t n) {
    grpc::ClientContext context;
    context.set_deadline(In(20));
    v1::GetStatsRequest request;
    request.set_consistency_token(absl::StrCat(n));
    v1::GetStatsResponse response;
    grpc::Status status = stub_->GetStats(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::string dir_;
  FakeFeed feed_;
  std::unique_ptr<grpc::Server> feed_server_;
  std::unique_ptr<store::QueryStore> store_;
  std::unique_ptr<FeedFollower> follower_;
  std::unique_ptr<WatchHub> hub_;
  std::unique_ptr<QueryServer> server_impl_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::QueryService::Stub> stub_;
};

TEST_F(WatchTest, WatchFromNowStreamsOnlyMatchingChanges) {
  feed_.Push(MakeSummit("csto-2024-a", "CSTO"));
  StatsAfter(1);
  grpc::ClientContext context;
  context.set_deadline(In(20));
  v1::WatchSummitsRequest request;
  request.mutable_filter()->set_organization("sco");
  auto reader = stub_->WatchSummits(&context, request);
  v1::WatchSummitsResponse greeting;
  ASSERT_TRUE(reader->Read(&greeting));
  EXPECT_EQ(greeting.through_sequence(), 1u);
  EXPECT_THAT(greeting.changes(), SizeIs(0));

  feed_.Push(MakeSummit("csto-2024-b", "CSTO"));
  feed_.Push(MakeSummit("sco-2024-c", "SCO"));
  v1::WatchSummitsResponse batch;
  ASSERT_TRUE(reader->Read(&batch));
  ASSERT_THAT(batch.changes(), SizeIs(1));
  EXPECT_EQ(batch.changes(0).name(), "summits/sco-2024-c");
  EXPECT_EQ(batch.changes(0).sequence(), 3u);
  EXPECT_EQ(batch.changes(0).summit().organization(), "SCO");
  EXPECT_EQ(batch.through_sequence(), 3u);
  EXPECT_EQ(hub_->open_watches(), 1u);

  context.TryCancel();
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  for (int i = 0; i < 500 && hub_->open_watches() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(hub_->open_watches(), 0u);
}

TEST_F(WatchTest, WatchWaitsForItsConsistencyTokenAndReplaysFromASequence) {
  feed_.Push(MakeSummit("csto-2024-a", "CSTO"));
  StatsAfter(1);
  grpc::ClientContext context;
  context.set_deadline(In(20));
  v1::WatchSummitsRequest request;
  request.set_consistency_token("3");
  auto reader = stub_->WatchSummits(&context, request);
  feed_.Push(MakeSummit("csto-2024-b", "CSTO"));
  feed_.Push(MakeSummit("csto-2024-c", "CSTO"));
  v1::WatchSummitsResponse greeting;
  ASSERT_TRUE(reader->Read(&greeting));
  // From now, where "now" is after the token was applied.
  EXPECT_GE(greeting.through_sequence(), 3u);
  context.TryCancel();
  reader->Finish();

  grpc::ClientContext replay_context;
  replay_context.set_deadline(In(20));
  v1::WatchSummitsRequest replay;
  replay.set_start_sequence(1);
  auto replayed = stub_->WatchSummits(&replay_context, replay);
  ASSERT_TRUE(replayed->Read(&greeting));
  EXPECT_EQ(greeting.through_sequence(), 1u);
  std::vector<std::string> names;
  v1::WatchSummitsResponse batch;
  while (names.size() < 2 && replayed->Read(&batch)) {
    for (const auto& change : batch.changes()) names.push_back(change.name());
  }
  EXPECT_THAT(names, ::testing::ElementsAre("summits/csto-2024-b",
                                            "summits/csto-2024-c"));
  replay_context.TryCancel();
  replayed->Finish();
}

TEST_F(WatchTest, ShutdownEndsOpenWatchesWithUnavailable) {
  feed_.Push(MakeSummit("csto-2024-a", "CSTO"));
  StatsAfter(1);
  grpc::ClientContext context;
  context.set_deadline(In(20));
  auto reader = stub_->WatchSummits(&context, v1::WatchSummitsRequest());
  v1::WatchSummitsResponse greeting;
  ASSERT_TRUE(reader->Read(&greeting));
  hub_->Shutdown();
  v1::WatchSummitsResponse more;
  EXPECT_FALSE(reader->Read(&more));
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("shutting down"));

  // New watches are refused.
  grpc::ClientContext late_context;
  late_context.set_deadline(In(20));
  auto late = stub_->WatchSummits(&late_context, v1::WatchSummitsRequest());
  EXPECT_FALSE(late->Read(&more));
  EXPECT_EQ(late->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(WatchTest, StatsReportReplicationState) {
  feed_.Push(MakeSummit("csto-2024-a", "CSTO"));
  feed_.Push(MakeSummit("sco-2024-b", "SCO"));
  v1::GetStatsResponse stats = StatsAfter(2);
  EXPECT_EQ(stats.summit_count(), 2);
  EXPECT_EQ(stats.applied_sequence(), 2u);
  EXPECT_EQ(stats.lag_events(), 0u);
  EXPECT_TRUE(stats.caught_up());
  EXPECT_TRUE(stats.upstream_connected());
  EXPECT_EQ(stats.last_commit_time().seconds(), 1700000000);
  ASSERT_THAT(stats.counts(), SizeIs(2));
}

}  // namespace
}  // namespace communique::query
