// gRPC adapter of the write side's IngestService (articles in). Callback
// API; handlers translate between RPC and library calls only. The change
// feed out (ChangeFeedService) has its own home: change_feed_server.h.
#pragma once

#include <memory>

#include "communique/v1/ingest_service.grpc.pb.h"
#include "ingest_service/ingest_pipeline.h"
#include "shared/store/ingest_store.h"

namespace communique::ingest {

// Thread-safe, as gRPC requires; one instance per server, destroyed after
// the server has shut down.
class IngestServer final : public v1::IngestService::CallbackService {
 public:
  // Threads doing the IngestArticles streams' work. Default: 16 (two
  // streams' windows; one stream keeps at most 8 articles in flight).
  static constexpr int kDefaultStreamThreads = 16;

  // `pipeline` and `store` are not owned and must outlive the server.
  // Starts `stream_threads` threads for the IngestArticles streams (see
  // StreamWorkers); the destructor finishes their queued work and joins
  // them.
  IngestServer(IngestPipeline* pipeline, const store::IngestStore* store,
               int stream_threads = kDefaultStreamThreads);
  ~IngestServer() override;

  grpc::ServerUnaryReactor* IngestArticle(
      grpc::CallbackServerContext* context,
      const v1::IngestArticleRequest* request,
      v1::IngestArticleResponse* response) override;
  grpc::ServerBidiReactor<v1::IngestArticleRequest, v1::IngestArticleResponse>*
  IngestArticles(grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* ParseArticle(
      grpc::CallbackServerContext* context,
      const v1::ParseArticleRequest* request,
      v1::ParseArticleResponse* response) override;
  grpc::ServerUnaryReactor* GetArticle(grpc::CallbackServerContext* context,
                                       const v1::GetArticleRequest* request,
                                       v1::Article* response) override;
  grpc::ServerUnaryReactor* ListArticles(
      grpc::CallbackServerContext* context,
      const v1::ListArticlesRequest* request,
      v1::ListArticlesResponse* response) override;
  grpc::ServerUnaryReactor* DeleteArticle(
      grpc::CallbackServerContext* context,
      const v1::DeleteArticleRequest* request,
      v1::DeleteArticleResponse* response) override;
  // Runs one page of re-processing on the calling thread; the page size
  // bounds how long that is.
  grpc::ServerUnaryReactor* Reprocess(grpc::CallbackServerContext* context,
                                      const v1::ReprocessRequest* request,
                                      v1::ReprocessResponse* response) override;

  // The IngestArticles streams' threads: each article is extracted,
  // committed in its stream's order and awaited durable there, off the gRPC
  // callback threads, so that slow bulk ingest never holds the threads
  // unary calls need. Defined in ingest_server.cc.
  class StreamWorkers;

 private:
  IngestPipeline* pipeline_;
  const store::IngestStore* store_;
  std::unique_ptr<StreamWorkers> workers_;
};

}  // namespace communique::ingest
