#include "query_service/status_details.h"

#include <string>

#include "shared/rpc/status.h"
#include "shared/schema/errors.h"

namespace communique::query {

grpc::Status ToGrpcStatusWithDetails(const absl::Status& status) {
  grpc::Status base = rpc::ToGrpcStatus(status);
  if (status.ok()) return base;
  const absl::Status detailed = schema::WithBadRequest(status);
  bool has_payload = false;
  detailed.ForEachPayload(
      [&has_payload](absl::string_view, const absl::Cord&) {
        has_payload = true;
      });
  if (!has_payload) return base;
  return grpc::Status(base.error_code(), base.error_message(),
                      schema::ToRpcStatus(detailed).SerializeAsString());
}

}  // namespace communique::query
