// The one bridge between absl::Status and grpc::Status. Handlers call
// ToGrpcStatus and nothing else; clients call FromGrpcStatus.
#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace communique::rpc {

// Same code and message; the canonical codes line up one to one. Payloads
// of `status` (such as the BadRequest of schema::InvalidField) become a
// google.rpc.Status in the binary error details.
grpc::Status ToGrpcStatus(const absl::Status& status);

// "OK", "INVALID_ARGUMENT", ... as dashboards and logs spell gRPC codes.
const char* GrpcCodeName(grpc::StatusCode code);

// The inverse, for clients that speak absl::Status.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace communique::rpc
