// The change feed, a component of its own: the write side publishes every
// committed change as an ordered, gap-free sequence of ChangeEvents, and
// query replicas follow it. Its parts:
//  * the API: proto/communique/v1/change_feed.proto (ChangeFeedService);
//  * the server: ChangeFeedServer below, in communique-ingest beside the
//    IngestService;
//  * the raw reader it serves from: store::IngestStore::ReadChangesRaw
//    (shared/store/ingest_store.h), the stored change records as
//    SubscribeResponse wire bytes, only published (durable) ones;
//  * the follower contract: query_service/feed_follower.h, which applies
//    the feed to a replica's store in order and resumes after a restart.
#pragma once

#include <cstddef>
#include <memory>

#include "communique/v1/change_feed.grpc.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "shared/store/ingest_store.h"

namespace communique::ingest {

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
