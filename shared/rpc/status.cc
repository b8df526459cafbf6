#include "shared/rpc/status.h"

#include <string>
#include <utility>

#include "google/rpc/error_details.pb.h"
#include "shared/schema/errors.h"

namespace communique::rpc {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // AIP-193: a google.rpc.Status in grpc-status-details-bin carrying an
  // ErrorInfo (reason, domain) and the status's payloads (e.g. the
  // BadRequest field violations of schema::InvalidField).
  // An INVALID_ARGUMENT whose message reads "field: description" gets its
  // BadRequest field violation even when the code that failed did not
  // attach one.
  google::rpc::Status details = schema::ToRpcStatus(schema::WithBadRequest(status));
  google::rpc::ErrorInfo info;
  info.set_reason(GrpcCodeName(static_cast<grpc::StatusCode>(status.code())));
  info.set_domain(kErrorDomain);
  details.add_details()->PackFrom(info);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()),
                      details.SerializeAsString());
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
