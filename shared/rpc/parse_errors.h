// Requests that do not parse get INVALID_ARGUMENT, not UNIMPLEMENTED.
//
// gRPC's callback API answers a request whose bytes do not parse as the
// method's request message with UNIMPLEMENTED and an empty message, before
// any handler runs. In practice the cause is a proto3 `string` field
// holding invalid UTF-8 (protobuf refuses to parse those), e.g. a
// GetSummitRequest.name copied from a mis-decoded page. That reads as "this
// server has no such method". This interceptor notices the failed parse
// (the message it is handed is null) and rewrites the status to
// INVALID_ARGUMENT naming the likely cause. The API does not change.
#pragma once

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace communique::rpc {

// Install first, so the access log and metrics see the rewritten status.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewParseErrorInterceptorFactory();

}  // namespace communique::rpc
