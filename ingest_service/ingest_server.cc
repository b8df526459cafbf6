#include "ingest_service/ingest_server.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "shared/rpc/raw_message.h"
#include "shared/rpc/server.h"
#include "shared/rpc/status.h"
#include "shared/schema/names.h"
#include "shared/schema/validation.h"
#include "shared/wire/wire_format.h"

namespace communique::ingest {
namespace {

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

}  // namespace

// The threads that do the bulk stream's work (extract, wait for the commit
// turn, commit, wait for the fsync): callback reactors must never block, and
// a gRPC callback thread held by a slow ingest is one fewer for every other
// call of the server. Tasks run in the order they were posted (a stream
// posts its articles in request order, so the article whose turn it is to
// commit is always running, never queued behind one waiting for it). The
// destructor runs what is queued, then joins.
class IngestServer::StreamWorkers {
 public:
  explicit StreamWorkers(int threads) {
    for (int i = 0; i < std::max(1, threads); ++i) {
      threads_.emplace_back([this] { Run(); });
    }
  }
  ~StreamWorkers() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    for (std::thread& thread : threads_) thread.join();
  }

  void Post(std::function<void()> task) {
    absl::MutexLock lock(&mu_);
    tasks_.push_back(std::move(task));
  }

 private:
  void Run() {
    while (true) {
      std::function<void()> task;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &StreamWorkers::HasTaskOrStopping));
        if (tasks_.empty()) return;  // stopping, and nothing left to run
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  bool HasTaskOrStopping() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !tasks_.empty() || stopping_;
  }

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

namespace {

// Bulk ingest, pipelined: up to kStreamWindow articles of one stream are
// in flight at once. Each is extracted as soon as it is read (in parallel),
// committed strictly in the order it arrived (so a later version of an
// article in the same stream wins), and acknowledged once durable; the
// commits of a window share write-ahead-log fsyncs. Responses go out in
// request order. A bad article is answered in its response (error_code,
// error_message) and the stream goes on. The work runs on the server's
// StreamWorkers, never on the gRPC callback thread; the reactor is deleted
// by whichever comes last, OnDone or the end of its last article's work.
constexpr uint64_t kStreamWindow = 8;

class IngestStreamReactor final
    : public grpc::ServerBidiReactor<v1::IngestArticleRequest,
                                     v1::IngestArticleResponse> {
 public:
  IngestStreamReactor(IngestPipeline* pipeline,
                      IngestServer::StreamWorkers* workers)
      : pipeline_(pipeline), workers_(workers) {
    absl::MutexLock lock(&mu_);
    StartReadLocked();
  }

  void OnReadDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    if (!ok) {
      reads_done_ = true;
      MaybeFinishLocked();
      return;
    }
    std::shared_ptr<v1::IngestArticleRequest> request = std::move(read_);
    const uint64_t index = next_index_++;
    ++in_work_;
    // Posted under the lock, so a stream's articles queue in request order
    // even when the next OnReadDone runs on another thread.
    workers_->Post([this, request, index] { Work(*request, index); });
    StartReadLocked();
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

  void OnDone() override {
    bool last = false;
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
      last = in_work_ == 0;
    }
    if (last) delete this;
  }

 private:
  // One article's work, on a StreamWorkers thread.
  void Work(const v1::IngestArticleRequest& request_ref, uint64_t index) {
    const v1::IngestArticleRequest* request = &request_ref;
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
    bool last = false;
    {
      absl::MutexLock lock(&mu_);
      ready_.emplace(index, std::move(response));
      PumpWritesLocked();
      MaybeFinishLocked();
      --in_work_;
      last = done_ && in_work_ == 0;
    }
    if (last) delete this;
  }

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

  IngestPipeline* const pipeline_;
  IngestServer::StreamWorkers* const workers_;
  absl::Mutex mu_;
  std::unique_ptr<v1::IngestArticleRequest> read_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  // Articles posted to the workers and not yet answered; OnDone seen. The
  // reactor is deleted when both say nothing more will touch it.
  int in_work_ ABSL_GUARDED_BY(mu_) = 0;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  // Requests are numbered as read; commits and writes follow that order.
  uint64_t next_index_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t commit_turn_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_write_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, v1::IngestArticleResponse> ready_ ABSL_GUARDED_BY(mu_);
  v1::IngestArticleResponse write_ ABSL_GUARDED_BY(mu_);
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

IngestServer::IngestServer(IngestPipeline* pipeline,
                           const store::IngestStore* store, int stream_threads)
    : pipeline_(pipeline),
      store_(store),
      workers_(std::make_unique<StreamWorkers>(stream_threads)) {}

IngestServer::~IngestServer() = default;

grpc::ServerBidiReactor<v1::IngestArticleRequest, v1::IngestArticleResponse>*
IngestServer::IngestArticles(grpc::CallbackServerContext* context) {
  return new IngestStreamReactor(pipeline_, workers_.get());
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

}  // namespace communique::ingest
