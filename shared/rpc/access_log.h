// Access logging and trace propagation for every call: a server
// interceptor that reads the W3C `traceparent` header (or mints one), echoes
// it in the response's initial metadata, and writes one JSON line per
// completed call (trace_id, span_id, rpc.method, grpc.code, duration_s,
// peer) through Log.
#pragma once

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"

namespace communique::rpc {

// A parsed or minted W3C trace context.
struct TraceContext {
  std::string trace_id;  // 32 lowercase hex digits
  std::string span_id;   // 16 lowercase hex digits (this server's span)
  std::string parent_span_id;  // the caller's span, empty if minted
  // "00-<trace_id>-<span_id>-01"
  std::string Header() const;
};

// Parses `traceparent` ("00-<32 hex>-<16 hex>-<2 hex>") into a context with
// a fresh span id for this server; a malformed or absent header mints a new
// trace.
TraceContext ContinueTrace(absl::string_view traceparent);

// Interceptor factory that logs every call. `slow_only` > 0 logs only calls
// slower than that many seconds (and every error). Thread-safe.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewAccessLogInterceptorFactory(double slow_only_seconds = 0);

}  // namespace communique::rpc
