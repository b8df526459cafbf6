#include "ingest_service/change_feed_server.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "shared/rpc/raw_message.h"
#include "shared/rpc/status.h"
#include "shared/wire/wire_format.h"

namespace communique::ingest {
namespace {

constexpr uint32_t kDefaultBatch = 256;
constexpr uint32_t kMaxBatch = 4096;
// Largest change-feed message we build (well under the 4 MiB gRPC default
// that clients other than our replica start with).
constexpr size_t kMaxBatchBytes = 2 << 20;

// Streams the change log from a sequence, then follows the head. When it
// has caught up it asks the store's notifier for a wake-up instead of
// polling. `Waker` outlives the reactor for callbacks already queued.
class SubscribeReactor;

}  // namespace

// The open Subscribe streams, so a drain can end them.
class ChangeFeedServer::Streams {
 public:
  // False once shut down: the caller must not start the stream.
  bool Add(SubscribeReactor* reactor) {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return false;
    open_.insert(reactor);
    return true;
  }
  void Remove(SubscribeReactor* reactor) {
    absl::MutexLock lock(&mu_);
    open_.erase(reactor);
  }
  void Shutdown();
  size_t size() const {
    absl::MutexLock lock(&mu_);
    return open_.size();
  }

 private:
  mutable absl::Mutex mu_;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  std::set<SubscribeReactor*> open_ ABSL_GUARDED_BY(mu_);
};

namespace {

const grpc::Status& ShuttingDown() {
  static const auto* status = new grpc::Status(
      grpc::StatusCode::UNAVAILABLE,
      "the ingest server is shutting down; reconnect to resume the feed");
  return *status;
}

class SubscribeReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  SubscribeReactor(store::IngestStore* store,
                   ChangeFeedServer::Streams* streams, uint64_t after,
                   uint32_t batch)
      : store_(store),
        streams_(streams),
        next_after_(after),
        batch_(batch),
        waker_(std::make_shared<Waker>()) {
    waker_->reactor = this;
    // Registered before taking mu_: Shutdown takes the registry's lock and
    // then each reactor's, so the reverse order here could deadlock.
    const bool open = streams_->Add(this);
    absl::MutexLock lock(&mu_);
    if (!open) {
      FinishLocked(ShuttingDown());
      return;
    }
    PumpLocked(/*force=*/true);
  }

  // Ends the stream with UNAVAILABLE once no write is in flight.
  void End() {
    absl::MutexLock lock(&mu_);
    ending_ = true;
    PumpLocked(/*force=*/false);
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                "change feed stream broken"));
      return;
    }
    PumpLocked(/*force=*/false);
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    {
      absl::MutexLock waker_lock(&waker_->mu);
      waker_->reactor = nullptr;
    }
    uint64_t handle;
    {
      absl::MutexLock lock(&mu_);
      handle = wait_handle_;
    }
    if (handle != 0) store_->notifier().Cancel(handle);
    streams_->Remove(this);
    delete this;
  }

 private:
  struct Waker {
    absl::Mutex mu;
    SubscribeReactor* reactor ABSL_GUARDED_BY(mu) = nullptr;
  };

  void Wake() {
    absl::MutexLock lock(&mu_);
    wait_handle_ = 0;
    PumpLocked(/*force=*/false);
  }

  // Sends the next batch, or (when caught up) arranges to be woken. The
  // first call always sends, so a new subscriber learns the head at once.
  void PumpLocked(bool force) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || writing_) return;
    if (ending_) {
      FinishLocked(ShuttingDown());
      return;
    }
    // Events carry whole records: cap each message by bytes as well as by
    // count, so a run of large summits can never exceed a replica's
    // message limit (and make it fail on the same batch forever). One event
    // is always sent; the rest follow in the next message.
    std::string message;
    absl::StatusOr<store::RawChanges> read =
        store_->ReadChangesRaw(next_after_, batch_, kMaxBatchBytes, &message);
    if (!read.ok()) {
      FinishLocked(rpc::ToGrpcStatus(read.status()));
      return;
    }
    if (read->count == 0 && !force) {
      std::shared_ptr<Waker> waker = waker_;
      std::optional<uint64_t> handle =
          store_->notifier().NotifyAfter(next_after_, [waker] {
            absl::MutexLock lock(&waker->mu);
            if (waker->reactor != nullptr) waker->reactor->Wake();
          });
      if (handle.has_value()) {
        wait_handle_ = *handle;
        return;
      }
      // The head moved between the read and the registration: read again.
      read =
          store_->ReadChangesRaw(next_after_, batch_, kMaxBatchBytes, &message);
      if (!read.ok()) {
        FinishLocked(rpc::ToGrpcStatus(read.status()));
        return;
      }
    }
    next_after_ = read->last_sequence;
    // head_sequence (proto3: omitted when 0), after the events as protobuf
    // would order it.
    wire::AppendVarintField(
        v1::SubscribeResponse::kHeadSequenceFieldNumber,
        std::max(store_->notifier().head(), next_after_), &message);
    rpc::SetBytes(std::move(message), &response_);
    writing_ = true;
    StartWrite(&response_);
  }

  void FinishLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  store::IngestStore* store_;
  ChangeFeedServer::Streams* streams_;
  absl::Mutex mu_;
  bool ending_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t next_after_ ABSL_GUARDED_BY(mu_);
  const uint32_t batch_;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t wait_handle_ ABSL_GUARDED_BY(mu_) = 0;
  grpc::ByteBuffer response_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<Waker> waker_;
};

}  // namespace

void ChangeFeedServer::Streams::Shutdown() {
  // Reactors remove themselves in OnDone, which gRPC runs after Finish
  // returns, never inside it; so holding mu_ across End() is safe.
  absl::MutexLock lock(&mu_);
  shut_down_ = true;
  for (SubscribeReactor* reactor : open_) reactor->End();
}

ChangeFeedServer::ChangeFeedServer(store::IngestStore* store)
    : store_(store), streams_(std::make_unique<Streams>()) {}

ChangeFeedServer::~ChangeFeedServer() = default;

void ChangeFeedServer::Shutdown() { streams_->Shutdown(); }

size_t ChangeFeedServer::open_streams() const { return streams_->size(); }

grpc::ServerWriteReactor<grpc::ByteBuffer>* ChangeFeedServer::Subscribe(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request_bytes) {
  class Reject final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
   public:
    explicit Reject(grpc::Status status) { Finish(std::move(status)); }
    void OnDone() override { delete this; }
  };
  v1::SubscribeRequest request;
  absl::Status parsed = rpc::ParseRequest(*request_bytes, &request);
  if (!parsed.ok()) return new Reject(rpc::ToGrpcStatus(parsed));
  const uint64_t head = store_->notifier().head();
  if (request.after_sequence() > head) {
    return new Reject(
        grpc::Status(grpc::StatusCode::OUT_OF_RANGE,
                     absl::StrCat("after_sequence: ", request.after_sequence(),
                                  " is beyond the head ", head)));
  }
  uint32_t batch = request.max_batch() == 0
                       ? kDefaultBatch
                       : std::min(request.max_batch(), kMaxBatch);
  return new SubscribeReactor(store_, streams_.get(), request.after_sequence(),
                              batch);
}

}  // namespace communique::ingest
