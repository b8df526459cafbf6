// The replica side of the change feed (the component's map is in
// ingest_service/change_feed_server.h): follows the ingest service's
// ChangeFeedService into the local QueryStore, resuming from the store's
// watermark, reconnecting with jittered exponential backoff, and tracking
// lag. Also lets readers wait (bounded) for a sequence to be applied, which
// is how consistency tokens give read-your-writes.
//
// The follower contract: events are applied strictly in sequence order,
// each response's events in one QueryStore::ApplyChanges (records, indexes
// and watermark in one write), so a replica never shows a later change
// without every earlier one, and a restart resumes after the last applied
// sequence. Any stream error (UNAVAILABLE, a drained upstream, auth
// failures) or a batch the store refuses (a gap: FAILED_PRECONDITION; bytes
// that do not parse: DATA_LOSS) ends the subscription; the follower logs it
// and resubscribes after the watermark, backing off 100 ms to 10 s. It
// never gives up and never skips an event.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "communique/v1/change_feed.grpc.pb.h"
#include "grpcpp/channel.h"
#include "shared/store/change_notifier.h"
#include "shared/store/query_store.h"

namespace communique::query {

// Replica state for health and metrics.
struct FollowerStatus {
  uint64_t applied_sequence = 0;
  // Highest head the upstream has reported (0 before the first response).
  uint64_t upstream_head = 0;
  bool connected = false;
  // True once the replica has applied everything the upstream had when it
  // first connected; stays true across later disconnects.
  bool caught_up = false;
  // Commit time (ingest side) of the last change applied since start;
  // InfinitePast before the first.
  absl::Time last_commit_time = absl::InfinitePast();
};

// Thread-safe: every method may be called from any thread, except that
// Start is called once and before Stop. One follower per replica store (it
// is the store's only writer).
class FeedFollower {
 public:
  // `store` is not owned and must outlive the follower; `upstream` is the
  // ingest service's channel. Nothing runs until Start.
  FeedFollower(std::shared_ptr<grpc::Channel> upstream,
               store::QueryStore* store);
  // Stops (see Stop).
  ~FeedFollower();

  // Starts the follower thread and the deadline timer thread.
  void Start();
  // Stops following (cancels the stream, joins the threads) and fails
  // pending waits with UNAVAILABLE. Idempotent.
  void Stop();

  // A consistent snapshot of the replica's state (one lock).
  FollowerStatus status() const;

  // Calls `done(OkStatus())` once `sequence` has been applied (at once, on
  // this thread, if it already has), or `done(DEADLINE_EXCEEDED)` at
  // `deadline`, or `done(UNAVAILABLE)` on Stop. `done` runs on an internal
  // thread otherwise (never under the follower's lock) and must not block
  // for long.
  void WhenApplied(uint64_t sequence, absl::Time deadline,
                   std::function<void(absl::Status)> done);

  // Calls `callback` once, when the replica first catches up (applied the
  // head the upstream reported): from the follower thread, or at once on
  // the calling thread if it already has. Replaces a callback set earlier
  // and not yet called. Call before Start to never miss it.
  void OnCaughtUp(std::function<void()> callback);

  // Published with the applied sequence after every applied batch, from
  // the follower thread (callbacks must not block). Watch streams wait on
  // it.
  store::ChangeNotifier& applied_notifier() { return applied_notifier_; }

 private:
  void Run();
  void Timers();
  // Waiters whose sequence is applied, whose deadline passed, or (when
  // `stopping`) all: removed from waiters_ with the status to call them
  // with. Callers run them after releasing mu_, since a callback may read
  // the follower's status or the store.
  using Released =
      std::vector<std::pair<std::function<void(absl::Status)>, absl::Status>>;
  Released TakeReleasedWaiters(bool stopping)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static void RunReleased(Released released);

  std::unique_ptr<v1::ChangeFeedService::Stub> stub_;
  store::QueryStore* store_;
  store::ChangeNotifier applied_notifier_;
  std::thread thread_;
  std::thread timer_thread_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  FollowerStatus status_ ABSL_GUARDED_BY(mu_);
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::function<void()> on_caught_up_ ABSL_GUARDED_BY(mu_);
  struct Waiter {
    uint64_t sequence;
    absl::Time deadline;
    std::function<void(absl::Status)> done;
  };
  std::multimap<uint64_t, Waiter> waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace communique::query
