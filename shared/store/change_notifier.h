// Wakes change-feed readers when the ingest store's head sequence moves.
// Thread-safe. Used by the ingest store (Publish) and the change-feed
// server (NotifyAfter / Cancel).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace communique::store {

class ChangeNotifier {
 public:
  using Callback = std::function<void()>;

  explicit ChangeNotifier(uint64_t head) : head_(head) {}

  // The last published head sequence.
  uint64_t head() const {
    absl::MutexLock lock(&mu_);
    return head_;
  }

  // Arranges for `callback` to run once, from the thread that calls
  // Publish, when the head passes `sequence`. Returns a handle for Cancel,
  // or nullopt (and never calls `callback`) if the head has already passed
  // it: the caller should read again instead.
  std::optional<uint64_t> NotifyAfter(uint64_t sequence, Callback callback) {
    absl::MutexLock lock(&mu_);
    if (head_ > sequence) return std::nullopt;
    uint64_t handle = ++next_handle_;
    waiters_.emplace(handle, Waiter{sequence, std::move(callback)});
    return handle;
  }

  // Drops a pending callback. A callback already running may still finish;
  // callers guard their own state (see the change-feed server).
  void Cancel(uint64_t handle) {
    absl::MutexLock lock(&mu_);
    waiters_.erase(handle);
  }

  // Moves the head to `head` and runs the callbacks it releases, outside
  // the lock.
  void Publish(uint64_t head) {
    std::vector<Callback> ready;
    {
      absl::MutexLock lock(&mu_);
      if (head > head_) head_ = head;
      for (auto it = waiters_.begin(); it != waiters_.end();) {
        if (head_ > it->second.after) {
          ready.push_back(std::move(it->second.callback));
          it = waiters_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (Callback& callback : ready) callback();
  }

 private:
  struct Waiter {
    uint64_t after;
    Callback callback;
  };
  mutable absl::Mutex mu_;
  uint64_t head_ ABSL_GUARDED_BY(mu_);
  uint64_t next_handle_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Waiter> waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace communique::store
