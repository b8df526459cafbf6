// gRPC adapters of the write side: IngestService (articles in) and
// ChangeFeedService (ordered change events out, for query replicas).
// Callback API; handlers translate between RPC and library calls only.
#pragma once

#include <memory>

#include "communique/v1/change_feed.grpc.pb.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "ingest_service/ingest_pipeline.h"
#include "shared/store/ingest_store.h"

namespace communique::ingest {

class IngestServer final : public v1::IngestService::CallbackService {
 public:
  // Not owned; must outlive the server.
  IngestServer(IngestPipeline* pipeline, const store::IngestStore* store)
      : pipeline_(pipeline), store_(store) {}

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

 private:
  IngestPipeline* pipeline_;
  const store::IngestStore* store_;
};

// Subscribe is served raw: the request is parsed here and each response is
// written as wire bytes, the stored change records concatenated (each is
// byte for byte one `events` entry of a SubscribeResponse) plus
// head_sequence, without parsing the events and serialising them again.
// Clients see the same API.
using ChangeFeedServiceBase = v1::ChangeFeedService::WithRawCallbackMethod_Subscribe<
    v1::ChangeFeedService::CallbackService>;

class ChangeFeedServer final : public ChangeFeedServiceBase {
 public:
  // Not owned; must outlive the server.
  explicit ChangeFeedServer(store::IngestStore* store);
  ~ChangeFeedServer() override;

  // A SubscribeRequest in, a stream of SubscribeResponse wire bytes out.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Subscribe(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

  // Ends every Subscribe stream (after the write in flight, if any) and
  // refuses new ones, both with UNAVAILABLE, so replicas reconnect
  // elsewhere. Feed streams never end on their own: without this they
  // would hold a drain open until its deadline. Call when draining starts.
  void Shutdown();

  // The streams open now (for tests and metrics).
  size_t open_streams() const;

  class Streams;

 private:
  store::IngestStore* store_;
  std::unique_ptr<Streams> streams_;
};

}  // namespace communique::ingest
