// gRPC adapter of the read side: QueryService over the replica's
// QueryStore. Reads wait for a consistency token when one is given, and
// are UNAVAILABLE until the replica has first caught up with the feed.
#pragma once

#include "communique/v1/query_service.grpc.pb.h"
#include "query_service/feed_follower.h"
#include "shared/store/query_store.h"

namespace communique::query {

class QueryServer final : public v1::QueryService::CallbackService {
 public:
  // Not owned; must outlive the server.
  QueryServer(const store::QueryStore* store, FeedFollower* follower)
      : store_(store), follower_(follower) {}

  grpc::ServerUnaryReactor* GetSummit(grpc::CallbackServerContext* context,
                                      const v1::GetSummitRequest* request,
                                      v1::Summit* response) override;
  grpc::ServerUnaryReactor* ListSummits(
      grpc::CallbackServerContext* context,
      const v1::ListSummitsRequest* request,
      v1::ListSummitsResponse* response) override;
  grpc::ServerUnaryReactor* GetDeclaration(
      grpc::CallbackServerContext* context,
      const v1::GetDeclarationRequest* request,
      v1::Declaration* response) override;
  grpc::ServerUnaryReactor* ListDeclarations(
      grpc::CallbackServerContext* context,
      const v1::ListDeclarationsRequest* request,
      v1::ListDeclarationsResponse* response) override;
  grpc::ServerUnaryReactor* GetInitiative(
      grpc::CallbackServerContext* context,
      const v1::GetInitiativeRequest* request,
      v1::Initiative* response) override;
  grpc::ServerUnaryReactor* ListInitiatives(
      grpc::CallbackServerContext* context,
      const v1::ListInitiativesRequest* request,
      v1::ListInitiativesResponse* response) override;

 private:
  // Validates the token, waits until it is applied (bounded by the call's
  // deadline), then runs `read` and finishes the call with its status.
  template <typename Read>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  const std::string& consistency_token,
                                  Read read);

  const store::QueryStore* store_;
  FeedFollower* follower_;
};

}  // namespace communique::query
