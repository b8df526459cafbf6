// WatchSummits streams: one callback-API write reactor per call, fed from
// the replica's summit history (QueryStore::ReadSummitChanges). Callback
// threads never read the store or wait: reads happen on the hub's own pump
// thread, woken by the follower's applied-sequence notifier after every
// applied batch and by each finished write. The pump reads one message
// ahead while a write is in flight; the write callback only starts that
// prepared message.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "shared/store/change_notifier.h"
#include "shared/store/query_store.h"

namespace communique::query {

class SummitWatcher;

// Owns the open watch streams. Thread-safe.
class WatchHub {
 public:
  // Most history entries examined per store read (bounds one pump step).
  static constexpr size_t kMaxEventsPerRead = 64;

  // Not owned; both must outlive the hub. `applied` is published after
  // every batch the replica applies.
  WatchHub(const store::QueryStore* store, store::ChangeNotifier* applied);
  ~WatchHub();

  // Creates the reactor of one WatchSummits call. The watch does not start
  // until Begin() is called on it (after validation and any consistency
  // wait); Fail() ends it with an error instead.
  std::shared_ptr<SummitWatcher> Create(v1::SummitFilter filter);

  // Ends every open watch with UNAVAILABLE and refuses new ones; stops the
  // pump thread. Idempotent.
  void Shutdown();

  // Number of open watch streams.
  size_t open_watches() const;

 private:
  friend class SummitWatcher;

  void Enqueue(uint64_t id);
  void Remove(uint64_t id);
  void Pump();

  const store::QueryStore* store_;
  store::ChangeNotifier* applied_;
  std::thread pump_;

  mutable absl::Mutex mu_;
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, std::shared_ptr<SummitWatcher>> watchers_
      ABSL_GUARDED_BY(mu_);
  std::deque<uint64_t> queue_ ABSL_GUARDED_BY(mu_);
  std::set<uint64_t> queued_ ABSL_GUARDED_BY(mu_);
};

// One WatchSummits stream. Created by WatchHub::Create; lives until gRPC
// calls OnDone. Writes WatchSummitsResponse wire bytes, framed from the
// stored history (QueryStore::ReadSummitChangesRaw).
class SummitWatcher final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  SummitWatcher(WatchHub* hub, uint64_t id, v1::SummitFilter filter)
      : hub_(hub), id_(id), filter_(std::move(filter)) {}

  // Starts streaming changes with sequence > `after`.
  void Begin(uint64_t after);
  // Ends the stream with `status` (not OK).
  void Fail(const absl::Status& status);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  friend class WatchHub;

  // One pump step (on the hub's pump thread).
  void Step();
  // Finishes now, or after the write in flight.
  void FinishSoon(const grpc::Status& status);

  WatchHub* hub_;
  const uint64_t id_;
  const v1::SummitFilter filter_;

  absl::Mutex mu_;
  bool begun_ ABSL_GUARDED_BY(mu_) = false;
  bool greeted_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> finish_after_write_ ABSL_GUARDED_BY(mu_);
  uint64_t cursor_ ABSL_GUARDED_BY(mu_) = 0;
  std::optional<uint64_t> wait_handle_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer response_;  // owned by the write in flight
  // The next message, read while `response_` is being written.
  std::optional<grpc::ByteBuffer> next_ ABSL_GUARDED_BY(mu_);
};

}  // namespace communique::query
