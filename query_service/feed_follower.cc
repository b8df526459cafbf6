#include "query_service/feed_follower.h"

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "shared/rpc/access_log.h"
#include "shared/rpc/log.h"

namespace communique::query {
namespace {

constexpr absl::Duration kMinBackoff = absl::Milliseconds(100);
constexpr absl::Duration kMaxBackoff = absl::Seconds(10);

}  // namespace

FeedFollower::FeedFollower(std::shared_ptr<grpc::Channel> upstream,
                           store::QueryStore* store)
    : stub_(v1::ChangeFeedService::NewStub(std::move(upstream))),
      store_(store),
      applied_notifier_(store->AppliedSequence()) {
  absl::MutexLock lock(&mu_);
  status_.applied_sequence = store_->AppliedSequence();
}

FeedFollower::~FeedFollower() { Stop(); }

void FeedFollower::Start() {
  thread_ = std::thread([this] { Run(); });
  timer_thread_ = std::thread([this] { Timers(); });
}

void FeedFollower::Stop() {
  Released released;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
    released = TakeReleasedWaiters(/*stopping=*/true);
  }
  RunReleased(std::move(released));
  if (thread_.joinable()) thread_.join();
  if (timer_thread_.joinable()) timer_thread_.join();
}

FollowerStatus FeedFollower::status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

void FeedFollower::OnCaughtUp(std::function<void()> callback) {
  bool now = false;
  {
    absl::MutexLock lock(&mu_);
    if (status_.caught_up) {
      now = true;
    } else {
      on_caught_up_ = std::move(callback);
    }
  }
  if (now) callback();
}

void FeedFollower::WhenApplied(uint64_t sequence, absl::Time deadline,
                               std::function<void(absl::Status)> done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_ && status_.applied_sequence < sequence) {
      waiters_.emplace(sequence, Waiter{sequence, deadline, std::move(done)});
      return;
    }
  }
  done(absl::OkStatus());
}

FeedFollower::Released FeedFollower::TakeReleasedWaiters(bool stopping) {
  Released released;
  const absl::Time now = absl::Now();
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    Waiter& w = it->second;
    if (w.sequence <= status_.applied_sequence) {
      released.emplace_back(std::move(w.done), absl::OkStatus());
    } else if (stopping) {
      released.emplace_back(std::move(w.done),
                            absl::UnavailableError("replica is shutting down"));
    } else if (w.deadline <= now) {
      released.emplace_back(
          std::move(w.done),
          absl::DeadlineExceededError(absl::StrCat(
              "consistency_token: replica has applied sequence ",
              status_.applied_sequence, ", not yet ", w.sequence)));
    } else {
      ++it;
      continue;
    }
    it = waiters_.erase(it);
  }
  return released;
}

void FeedFollower::RunReleased(Released released) {
  for (auto& [done, status] : released) done(status);
}

void FeedFollower::Timers() {
  while (true) {
    Released released;
    bool stopping = false;
    {
      absl::MutexLock lock(&mu_);
      absl::Time next = absl::Now() + absl::Milliseconds(200);
      for (const auto& [sequence, waiter] : waiters_) {
        next = std::min(next, waiter.deadline);
      }
      if (!stopping_) {
        mu_.AwaitWithDeadline(absl::Condition(&stopping_), next);
      }
      stopping = stopping_;
      released = TakeReleasedWaiters(stopping);
    }
    RunReleased(std::move(released));
    if (stopping) return;
  }
}

void FeedFollower::Run() {
  std::mt19937_64 rng(std::random_device{}());
  absl::Duration backoff = kMinBackoff;
  while (true) {
    grpc::ClientContext context;
    // Each subscription is one trace: the ingest side logs the same
    // trace_id for the stream, and so do this follower's log lines.
    const rpc::TraceContext trace = rpc::ContinueTrace("");
    context.AddMetadata("traceparent", trace.Header());
    v1::SubscribeRequest request;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      context_ = &context;
      request.set_after_sequence(status_.applied_sequence);
    }
    std::unique_ptr<grpc::ClientReader<v1::SubscribeResponse>> reader =
        stub_->Subscribe(&context, request);
    v1::SubscribeResponse response;
    bool logged_connect = false;
    while (reader->Read(&response)) {
      // Moved, not copied: each event carries a whole record.
      std::vector<v1::ChangeEvent> events;
      events.reserve(response.events_size());
      for (v1::ChangeEvent& event : *response.mutable_events()) {
        events.push_back(std::move(event));
      }
      absl::Status applied = store_->ApplyChanges(events);
      std::function<void()> caught_up_callback;
      Released released;
      {
        absl::MutexLock lock(&mu_);
        if (!applied.ok()) {
          rpc::Log("error", "cannot apply change events",
                   {{"trace_id", trace.trace_id},
                    {"error", std::string(applied.message())}});
          context.TryCancel();
          break;
        }
        status_.connected = true;
        status_.applied_sequence = store_->AppliedSequence();
        if (!events.empty()) {
          const auto& commit = events.back().commit_time();
          status_.last_commit_time =
              absl::FromUnixSeconds(commit.seconds()) +
              absl::Nanoseconds(commit.nanos());
        }
        status_.upstream_head =
            std::max(status_.upstream_head, response.head_sequence());
        if (!status_.caught_up &&
            status_.applied_sequence >= response.head_sequence()) {
          status_.caught_up = true;
          caught_up_callback = std::move(on_caught_up_);
        }
        released = TakeReleasedWaiters(/*stopping=*/false);
      }
      RunReleased(std::move(released));
      if (!logged_connect) {
        rpc::Log("info", "following the change feed",
                 {{"trace_id", trace.trace_id},
                  {"span_id", trace.span_id},
                  {"after_sequence", absl::StrCat(request.after_sequence())},
                  {"head_sequence", absl::StrCat(response.head_sequence())}});
        logged_connect = true;
      }
      if (!events.empty()) {
        applied_notifier_.Publish(store_->AppliedSequence());
      }
      if (caught_up_callback) caught_up_callback();
      backoff = kMinBackoff;
    }
    grpc::Status finish = reader->Finish();
    {
      absl::MutexLock lock(&mu_);
      context_ = nullptr;
      status_.connected = false;
      if (stopping_) return;
    }
    // Full jitter: sleep a random time in [backoff/2, backoff].
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    absl::Duration sleep = backoff * jitter(rng);
    rpc::Log("warning", "change feed disconnected; reconnecting",
             {{"trace_id", trace.trace_id},
              {"code", absl::StrCat(finish.error_code())},
              {"error", finish.error_message()},
              {"retry_in_ms", absl::StrCat(absl::ToInt64Milliseconds(sleep))}});
    backoff = std::min(backoff * 2, kMaxBackoff);
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), sleep);
    if (stopping_) return;
  }
}

}  // namespace communique::query
