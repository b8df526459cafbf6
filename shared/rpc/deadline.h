// Default and maximum deadlines for incoming unary calls, enforced by a
// server interceptor: a unary call that arrives without a deadline gets
// `default_deadline`; one whose deadline lies further out than
// `max_deadline` is cut to it. When the effective deadline passes before
// the handler finishes, the call is cancelled with DEADLINE_EXCEEDED (the
// client sees that status; the handler sees IsCancelled()).
//
// Streaming calls are left alone: WatchSummits and Subscribe are meant to
// stay open for hours and IngestArticles streams run as long as a bulk
// load; they are bounded by keepalive and drained on shutdown instead.
#pragma once

#include <memory>

#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"

namespace communique::rpc {

struct DeadlinePolicy {
  // For unary calls without a deadline. Zero or less: none.
  absl::Duration default_deadline = absl::Seconds(30);
  // Cap on any unary call's deadline. Zero or less: no cap.
  absl::Duration max_deadline = absl::Seconds(300);
};

// Interceptor factory enforcing `policy` (one timer thread shared by all
// calls of the process, started on first use). Thread-safe.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewDeadlineInterceptorFactory(const DeadlinePolicy& policy);

}  // namespace communique::rpc
