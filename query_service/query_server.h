// gRPC adapter of the read side: QueryService over the replica's
// QueryStore. Reads wait for a consistency token when one is given, and
// are UNAVAILABLE until the replica has first caught up with the feed.
// Errors carry AIP-193 details (see rpc::ToGrpcStatus).
#pragma once

#include <string>

#include "communique/v1/query_service.grpc.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "query_service/feed_follower.h"
#include "query_service/summit_watch.h"
#include "shared/store/query_store.h"

namespace communique::query {

// The Get and List methods of summits, declarations and initiatives are
// served raw (request parsed here, response sent as the stored wire bytes;
// see wire.h), and so is WatchSummits (changes framed from the stored
// history; see summit_watch.h): the same API on the wire, without a parse and re-serialise
// of every record read.
using QueryServiceBase = v1::QueryService::WithRawCallbackMethod_GetSummit<
    v1::QueryService::WithRawCallbackMethod_ListSummits<
        v1::QueryService::WithRawCallbackMethod_GetDeclaration<
            v1::QueryService::WithRawCallbackMethod_ListDeclarations<
                v1::QueryService::WithRawCallbackMethod_GetInitiative<
                    v1::QueryService::WithRawCallbackMethod_ListInitiatives<
                        v1::QueryService::WithRawCallbackMethod_WatchSummits<
                            v1::QueryService::CallbackService>>>>>>>;

class QueryServer final : public QueryServiceBase {
 public:
  // Not owned; all must outlive the server.
  QueryServer(const store::QueryStore* store, FeedFollower* follower,
              WatchHub* watches)
      : store_(store), follower_(follower), watches_(watches) {}

  grpc::ServerUnaryReactor* GetSummit(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListSummits(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetDeclaration(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListDeclarations(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetInitiative(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListInitiatives(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListChairmanships(
      grpc::CallbackServerContext* context,
      const v1::ListChairmanshipsRequest* request,
      v1::ListChairmanshipsResponse* response) override;
  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* context,
                                     const v1::GetStatsRequest* request,
                                     v1::GetStatsResponse* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchSummits(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

 private:
  // Validates the token, waits until it is applied (bounded by the call's
  // deadline), then runs `read` and finishes the call with its status.
  template <typename Read>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  const std::string& consistency_token,
                                  Read read);
  // Parses a `Request` from `request`, then serves it like Serve: `read`
  // returns the response's wire bytes.
  template <typename Request, typename Read>
  grpc::ServerUnaryReactor* ServeRaw(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response, Read read);

  const store::QueryStore* store_;
  FeedFollower* follower_;
  WatchHub* watches_;
};

}  // namespace communique::query
