// The query service's edge from absl::Status to grpc::Status with AIP-193
// details: rpc::ToGrpcStatus for code and message, plus the status's
// payloads (a google.rpc.BadRequest for bad requests) serialized as a
// google.rpc.Status into the binary details (grpc-status-details-bin).
#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace communique::query {

// Same code and message as rpc::ToGrpcStatus. An INVALID_ARGUMENT whose
// message reads "{field}: {description}" gets a BadRequest naming that
// field when it carries none.
grpc::Status ToGrpcStatusWithDetails(const absl::Status& status);

}  // namespace communique::query
