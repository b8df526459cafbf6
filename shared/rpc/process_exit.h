// How a binary that uses gRPC leaves its process. Used by the services'
// and the CLI's main().
//
// A process that returns from main() while gRPC still runs threads (the
// library shuts itself down asynchronously once the last channel or server
// is gone, on a detached thread) races exit()'s clean-up: OpenSSL's
// atexit handler frees thread state that an exiting gRPC thread frees too
// ("double free or corruption", exit 134, about once in a hundred CLI
// runs). So: hold gRPC for the life of main, shut it down on main's
// thread, wait for its threads to end, and only then run exit().
#pragma once

#include "absl/time/time.h"

namespace communique::rpc {

// Takes a reference on the gRPC library for the life of the process. Call
// first thing in main(), before any channel or server exists, so that
// gRPC's final shutdown happens in ExitProcess and not on one of its own
// threads. A second call does nothing. Main's thread only.
void HoldGrpcForProcess();

// Ends the process with `code`, from main's thread, once every gRPC object
// (channels, stubs, servers) is destroyed: flushes stdout and stderr,
// releases the reference of HoldGrpcForProcess (if taken), and waits up to
// `timeout` until gRPC has shut down and its last thread has ended. Then leaves
// through exit() (static destructors, atexit handlers and sanitizer leak
// checks run as usual) — or, when gRPC is still running at the timeout
// (e.g. a channel's reconnect back-off after a refused connection), through
// _exit(), which runs no clean-up and so cannot race gRPC's threads.
[[noreturn]] void ExitProcess(int code,
                              absl::Duration timeout = absl::Seconds(2));

// Ends the process at once with `code`, for fatal errors while gRPC may be
// running (a server half started): flushes stdout and stderr and calls
// _exit(), running no destructors or atexit handlers.
[[noreturn]] void ExitNow(int code);

// Whether gRPC is fully shut down in this process: the library is not
// initialised and its asynchronous shutdown thread has ended. For tests and
// ExitProcess.
bool GrpcStopped();

}  // namespace communique::rpc
