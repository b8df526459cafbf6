#include "query_service/summit_watch.h"

#include <string>
#include <utility>
#include <vector>

#include "shared/rpc/raw_message.h"
#include "shared/rpc/status.h"

namespace communique::query {
namespace {

// WatchSummitsResponse.through_sequence, after the changes as protobuf
// orders it (proto3: omitted when 0).
void AppendThroughSequence(uint64_t sequence, std::string* out) {
  if (sequence == 0) return;
  uint64_t tag =
      static_cast<uint64_t>(v1::WatchSummitsResponse::kThroughSequenceFieldNumber)
      << 3;  // varint
  for (uint64_t value : {tag, sequence}) {
    while (value >= 0x80) {
      out->push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out->push_back(static_cast<char>(value));
  }
}

}  // namespace

WatchHub::WatchHub(const store::QueryStore* store,
                   store::ChangeNotifier* applied)
    : store_(store), applied_(applied) {
  pump_ = std::thread([this] { Pump(); });
}

WatchHub::~WatchHub() { Shutdown(); }

std::shared_ptr<SummitWatcher> WatchHub::Create(v1::SummitFilter filter) {
  std::shared_ptr<SummitWatcher> watcher;
  bool refused = false;
  {
    absl::MutexLock lock(&mu_);
    const uint64_t id = ++next_id_;
    watcher = std::make_shared<SummitWatcher>(this, id, std::move(filter));
    // Registered even when refused: the registry keeps it alive until
    // gRPC calls OnDone.
    watchers_[id] = watcher;
    refused = shutdown_;
  }
  if (refused) watcher->Fail(absl::UnavailableError("server is shutting down"));
  return watcher;
}

void WatchHub::Shutdown() {
  std::vector<std::shared_ptr<SummitWatcher>> open;
  {
    absl::MutexLock lock(&mu_);
    if (shutdown_) return;
    shutdown_ = true;
    for (auto& [id, watcher] : watchers_) open.push_back(watcher);
  }
  for (auto& watcher : open) {
    watcher->Fail(absl::UnavailableError(
        "server is shutting down; resume the watch elsewhere from "
        "through_sequence"));
  }
  if (pump_.joinable()) pump_.join();
}

size_t WatchHub::open_watches() const {
  absl::MutexLock lock(&mu_);
  return watchers_.size();
}

void WatchHub::Enqueue(uint64_t id) {
  absl::MutexLock lock(&mu_);
  if (shutdown_ || queued_.count(id) != 0) return;
  queued_.insert(id);
  queue_.push_back(id);
}

void WatchHub::Remove(uint64_t id) {
  std::shared_ptr<SummitWatcher> last;  // may be destroyed outside the lock
  absl::MutexLock lock(&mu_);
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  last = std::move(it->second);
  watchers_.erase(it);
}

void WatchHub::Pump() {
  while (true) {
    std::shared_ptr<SummitWatcher> watcher;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return shutdown_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (shutdown_) return;
      const uint64_t id = queue_.front();
      queue_.pop_front();
      queued_.erase(id);
      auto it = watchers_.find(id);
      if (it == watchers_.end()) continue;
      watcher = it->second;
    }
    watcher->Step();
  }
}

void SummitWatcher::Begin(uint64_t after) {
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    begun_ = true;
    cursor_ = after;
  }
  hub_->Enqueue(id_);
}

void SummitWatcher::Fail(const absl::Status& status) {
  FinishSoon(rpc::ToGrpcStatus(status));
}

void SummitWatcher::FinishSoon(const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    if (writing_) {
      if (!finish_after_write_.has_value()) finish_after_write_ = status;
      return;
    }
    finished_ = true;
    if (wait_handle_.has_value()) {
      hub_->applied_->Cancel(*wait_handle_);
      wait_handle_.reset();
    }
  }
  Finish(status);
}

void SummitWatcher::Step() {
  uint64_t cursor = 0;
  bool greet = false;
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || !begun_) return;
    if (!greeted_) {
      if (writing_) return;
      // The first message confirms the watch before any change arrives.
      greeted_ = greet = writing_ = true;
      std::string message;
      AppendThroughSequence(cursor_, &message);
      rpc::SetBytes(std::move(message), &response_);
    }
    // One message read ahead of the write in flight is enough.
    if (next_.has_value()) return;
    cursor = cursor_;
  }
  if (greet) {
    StartWrite(&response_);
    return;
  }
  std::string message;
  absl::StatusOr<store::RawSummitChanges> read =
      hub_->store_->ReadSummitChangesRaw(cursor, filter_,
                                         WatchHub::kMaxEventsPerRead, &message);
  if (!read.ok()) {
    FinishSoon(rpc::ToGrpcStatus(read.status()));
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    if (read->count == 0) {
      if (read->through_sequence > cursor_) {
        // Examined changes that did not match: keep going.
        cursor_ = read->through_sequence;
        hub_->Enqueue(id_);
      } else {
        // Up to date: wait for the next applied batch.
        WatchHub* hub = hub_;
        const uint64_t id = id_;
        wait_handle_ = hub_->applied_->NotifyAfter(
            cursor_, [hub, id] { hub->Enqueue(id); });
        if (!wait_handle_.has_value()) hub_->Enqueue(id_);
      }
      return;
    }
    AppendThroughSequence(read->through_sequence, &message);
    cursor_ = read->through_sequence;
    if (writing_) {
      // OnWriteDone starts it as soon as the write in flight completes,
      // without waiting for this thread.
      rpc::SetBytes(std::move(message), &next_.emplace());
      return;
    }
    rpc::SetBytes(std::move(message), &response_);
    writing_ = true;
  }
  StartWrite(&response_);
  // Read the next message while this one is written.
  hub_->Enqueue(id_);
}

void SummitWatcher::OnWriteDone(bool ok) {
  std::optional<grpc::Status> finish;
  bool send = false;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (finish_after_write_.has_value()) {
      finish = std::move(finish_after_write_);
      finish_after_write_.reset();
    } else if (!ok) {
      // The client went away; OnCancel finishes the call.
      return;
    } else if (next_.has_value()) {
      response_.Swap(&*next_);
      next_.reset();
      writing_ = send = true;
    }
  }
  if (finish.has_value()) {
    FinishSoon(*finish);
    return;
  }
  if (send) StartWrite(&response_);
  hub_->Enqueue(id_);
}

void SummitWatcher::OnCancel() {
  FinishSoon(grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled"));
}

void SummitWatcher::OnDone() {
  {
    absl::MutexLock lock(&mu_);
    if (wait_handle_.has_value()) {
      hub_->applied_->Cancel(*wait_handle_);
      wait_handle_.reset();
    }
  }
  hub_->Remove(id_);  // may destroy this
}

}  // namespace communique::query
