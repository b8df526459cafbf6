#include "ingest_service/ingest_server.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "shared/rpc/raw_message.h"
#include "shared/rpc/server.h"
#include "shared/rpc/status.h"
#include "shared/schema/names.h"
#include "shared/schema/validation.h"
#include "shared/schema/wire_format.h"

namespace communique::ingest {
namespace {

constexpr uint32_t kDefaultBatch = 256;
constexpr uint32_t kMaxBatch = 4096;
// Largest change-feed message we build (well under the 4 MiB gRPC default
// that clients other than our replica start with).
constexpr size_t kMaxBatchBytes = 2 << 20;

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                 const absl::Status& status) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpcStatus(status));
  return reactor;
}

absl::Status RequireArticle(const v1::IngestArticleRequest& request) {
  if (!request.has_article()) {
    return absl::InvalidArgumentError("article: required");
  }
  return absl::OkStatus();
}

// Bulk ingest, pipelined: up to kStreamWindow articles of one stream are
// in flight at once. Each is extracted as soon as it is read (in parallel),
// committed strictly in the order it arrived (so a later version of an
// article in the same stream wins), and acknowledged once durable; the
// commits of a window share write-ahead-log fsyncs. Responses go out in
// request order. A bad article is answered in its response (error_code,
// error_message) and the stream goes on. The work runs in the read
// callback, which gRPC never overlaps with OnDone, so the reactor outlives
// it.
constexpr uint64_t kStreamWindow = 8;

class IngestStreamReactor final
    : public grpc::ServerBidiReactor<v1::IngestArticleRequest,
                                     v1::IngestArticleResponse> {
 public:
  explicit IngestStreamReactor(IngestPipeline* pipeline) : pipeline_(pipeline) {
    absl::MutexLock lock(&mu_);
    StartReadLocked();
  }

  void OnReadDone(bool ok) override {
    std::unique_ptr<v1::IngestArticleRequest> request;
    uint64_t index = 0;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (!ok) {
        reads_done_ = true;
        MaybeFinishLocked();
        return;
      }
      request = std::move(read_);
      index = next_index_++;
      StartReadLocked();
    }
    absl::Status valid = RequireArticle(*request);
    absl::StatusOr<IngestPipeline::Prepared> prepared =
        valid.ok() ? pipeline_->Prepare(request->article())
                   : absl::StatusOr<IngestPipeline::Prepared>(valid);

    absl::StatusOr<IngestPipeline::Pending> pending =
        absl::UnknownError("not committed");
    {
      absl::MutexLock lock(&mu_);
      Turn turn{&commit_turn_, index};
      mu_.Await(absl::Condition(&turn, &Turn::Ready));
    }
    pending = prepared.ok() ? pipeline_->Commit(*std::move(prepared))
                            : absl::StatusOr<IngestPipeline::Pending>(
                                  prepared.status());
    {
      absl::MutexLock lock(&mu_);
      ++commit_turn_;
    }
    absl::StatusOr<v1::IngestArticleResponse> result =
        pipeline_->Acknowledge(std::move(pending));

    v1::IngestArticleResponse response;
    if (result.ok()) {
      response = *std::move(result);
    } else {
      response.set_error_code(static_cast<int32_t>(result.status().code()));
      response.set_error_message(std::string(result.status().message()));
    }
    response.set_request_id(request->request_id());
    absl::MutexLock lock(&mu_);
    ready_.emplace(index, std::move(response));
    PumpWritesLocked();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      FinishLocked(
          grpc::Status(grpc::StatusCode::UNAVAILABLE, "stream broken"));
      return;
    }
    ++next_write_;
    StartReadLocked();
    PumpWritesLocked();
    MaybeFinishLocked();
  }

  void OnDone() override { delete this; }

 private:
  // Reads the next request unless one is being read, the client is done,
  // or the window is full.
  void StartReadLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (reading_ || reads_done_ || finished_) return;
    if (next_index_ - next_write_ >= kStreamWindow) return;
    reading_ = true;
    read_ = std::make_unique<v1::IngestArticleRequest>();
    StartRead(read_.get());
  }

  // Writes the next response in request order, if it is ready.
  void PumpWritesLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || finished_) return;
    auto it = ready_.find(next_write_);
    if (it == ready_.end()) return;
    write_ = std::move(it->second);
    ready_.erase(it);
    writing_ = true;
    StartWrite(&write_);
  }

  void MaybeFinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (reads_done_ && !writing_ && next_write_ == next_index_) {
      FinishLocked(grpc::Status::OK);
    }
  }

  void FinishLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  // Whether request `index` may commit (every earlier one has).
  struct Turn {
    const uint64_t* commit_turn;
    uint64_t index;
    bool Ready() const { return *commit_turn == index; }
  };

  IngestPipeline* pipeline_;
  absl::Mutex mu_;
  std::unique_ptr<v1::IngestArticleRequest> read_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  // Requests are numbered as read; commits and writes follow that order.
  uint64_t next_index_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t commit_turn_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_write_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, v1::IngestArticleResponse> ready_ ABSL_GUARDED_BY(mu_);
  v1::IngestArticleResponse write_ ABSL_GUARDED_BY(mu_);
};

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
    schema::wire::AppendVarintField(
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

grpc::ServerUnaryReactor* IngestServer::IngestArticle(
    grpc::CallbackServerContext* context,
    const v1::IngestArticleRequest* request,
    v1::IngestArticleResponse* response) {
  // Shed calls nobody waits for any more (an overloaded server's backlog).
  if (rpc::CallExpired(context)) {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(rpc::ExpiredCallStatus(context));
    return reactor;
  }
  absl::Status status = RequireArticle(*request);
  if (status.ok()) {
    absl::StatusOr<v1::IngestArticleResponse> result =
        pipeline_->Ingest(request->article());
    status = result.status();
    if (result.ok()) {
      *response = *std::move(result);
      response->set_request_id(request->request_id());
    }
  }
  return Finish(context, status);
}

grpc::ServerBidiReactor<v1::IngestArticleRequest, v1::IngestArticleResponse>*
IngestServer::IngestArticles(grpc::CallbackServerContext* context) {
  return new IngestStreamReactor(pipeline_);
}

grpc::ServerUnaryReactor* IngestServer::ParseArticle(
    grpc::CallbackServerContext* context,
    const v1::ParseArticleRequest* request,
    v1::ParseArticleResponse* response) {
  if (!request->has_article()) {
    return Finish(context, absl::InvalidArgumentError("article: required"));
  }
  absl::StatusOr<v1::ParseArticleResponse> result =
      pipeline_->Parse(request->article());
  if (result.ok()) *response = *std::move(result);
  return Finish(context, result.status());
}

grpc::ServerUnaryReactor* IngestServer::GetArticle(
    grpc::CallbackServerContext* context, const v1::GetArticleRequest* request,
    v1::Article* response) {
  absl::Status status =
      schema::ParseArticleName(request->name(), "name").status();
  if (status.ok()) {
    absl::StatusOr<std::optional<v1::Article>> article =
        store_->GetArticle(request->name());
    status = article.status();
    if (article.ok() && !article->has_value()) {
      status = absl::NotFoundError(
          absl::StrCat("article ", request->name(), " not found"));
    } else if (article.ok()) {
      *response = std::move(**article);
    }
  }
  return Finish(context, status);
}

grpc::ServerUnaryReactor* IngestServer::ListArticles(
    grpc::CallbackServerContext* context,
    const v1::ListArticlesRequest* request,
    v1::ListArticlesResponse* response) {
  absl::StatusOr<int> page_size =
      schema::EffectivePageSize(request->page_size());
  if (!page_size.ok()) return Finish(context, page_size.status());
  constexpr uint64_t kFingerprint = 0x61727469636c6573;  // "articles"
  std::string resume_after;
  if (!request->page_token().empty()) {
    absl::StatusOr<schema::PageToken> token =
        schema::DecodePageToken(request->page_token(), kFingerprint);
    if (!token.ok()) return Finish(context, token.status());
    resume_after = token->resume_after;
  }
  absl::StatusOr<store::Page<v1::Article>> page =
      store_->ListArticles(*page_size, resume_after);
  if (!page.ok()) return Finish(context, page.status());
  for (v1::Article& article : page->items) {
    *response->add_articles() = std::move(article);
  }
  if (!page->resume_after.empty()) {
    response->set_next_page_token(
        schema::EncodePageToken({kFingerprint, page->resume_after}));
  }
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* IngestServer::DeleteArticle(
    grpc::CallbackServerContext* context,
    const v1::DeleteArticleRequest* request,
    v1::DeleteArticleResponse* response) {
  absl::StatusOr<v1::DeleteArticleResponse> result =
      pipeline_->Delete(request->name());
  if (result.ok()) *response = *std::move(result);
  return Finish(context, result.status());
}

grpc::ServerUnaryReactor* IngestServer::Reprocess(
    grpc::CallbackServerContext* context, const v1::ReprocessRequest* request,
    v1::ReprocessResponse* response) {
  absl::StatusOr<int> page_size =
      schema::EffectivePageSize(request->page_size());
  if (!page_size.ok()) return Finish(context, page_size.status());
  // Bound to the only_outdated choice: a token of one kind of pass is
  // rejected by the other.
  const uint64_t fingerprint =
      0x726570726f6300 | (request->only_outdated() ? 1 : 0);  // "reproc"
  ReprocessRequest pass;
  pass.page_size = *page_size;
  pass.only_outdated = request->only_outdated();
  if (!request->page_token().empty()) {
    absl::StatusOr<schema::PageToken> token =
        schema::DecodePageToken(request->page_token(), fingerprint);
    if (!token.ok()) return Finish(context, token.status());
    pass.resume_after = token->resume_after;
  }
  absl::StatusOr<ReprocessResult> result = pipeline_->Reprocess(pass);
  if (!result.ok()) return Finish(context, result.status());
  *response = std::move(result->response);
  if (!result->resume_after.empty()) {
    response->set_next_page_token(
        schema::EncodePageToken({fingerprint, result->resume_after}));
  }
  return Finish(context, absl::OkStatus());
}

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
