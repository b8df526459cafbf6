// The one bridge between absl::Status and grpc::Status. Handlers call
// ToGrpcStatus and nothing else; clients call FromGrpcStatus.
#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace communique::rpc {

// ErrorInfo.domain of every error the services return.
inline constexpr char kErrorDomain[] = "communique.dev";

// Same code and message; the canonical codes line up one to one. The
// binary error details hold a google.rpc.Status (AIP-193) with an
// ErrorInfo {reason: the code's name, domain: kErrorDomain} followed by the
// payloads of `status` (such as the BadRequest of schema::InvalidField).
grpc::Status ToGrpcStatus(const absl::Status& status);

// "OK", "INVALID_ARGUMENT", ... as dashboards and logs spell gRPC codes.
const char* GrpcCodeName(grpc::StatusCode code);

// The inverse, for clients that speak absl::Status.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace communique::rpc
