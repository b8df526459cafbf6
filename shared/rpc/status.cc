#include "shared/rpc/status.h"

#include <string>
#include <utility>

#include "shared/schema/errors.h"

namespace communique::rpc {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // Payloads (e.g. a google.rpc.BadRequest) travel as a google.rpc.Status
  // in grpc-status-details-bin, where AIP-193 clients look for them.
  bool has_payload = false;
  status.ForEachPayload(
      [&](absl::string_view, const absl::Cord&) { has_payload = true; });
  std::string details;
  if (has_payload) details = schema::ToRpcStatus(status).SerializeAsString();
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()), std::move(details));
}

const char* GrpcCodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
      "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
      "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  return index >= 0 && index <= 16 ? kNames[index] : "UNKNOWN";
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace communique::rpc
