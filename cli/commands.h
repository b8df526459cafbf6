// The commands of `communique` (one function per command group) and what
// they share: channels, deadlines, error reporting. Each returns the
// process exit code: 0 success, 1 a failed call or file, 2 a usage error.
// Used by cli/main.cc only; single-threaded.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "cli/options.h"
#include "cli/output.h"
#include "communique/v1/query_service.pb.h"
#include "grpcpp/grpcpp.h"

namespace communique::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Offline and write side (ingest_commands.cc).
int RunParse(const Invocation& flags);
int RunIngest(const Invocation& flags);
int RunArticles(const Invocation& flags);  // list | get | delete
int RunReprocess(const Invocation& flags);

// Read side (query_commands.cc, export_commands.cc).
int RunSummits(const Invocation& flags);  // list | get | watch
int RunDeclarations(const Invocation& flags);
int RunInitiatives(const Invocation& flags);
int RunChairmanships(const Invocation& flags);
int RunStats(const Invocation& flags);
int RunExport(const Invocation& flags);  // export summits|...|participants

// ---- shared by the commands (commands.cc) ----

// Prints "communique: <message>" on stderr; returns kExitFailure.
int Fail(absl::string_view message);
// Prints "communique: <message>" and a hint to --help; returns kExitUsage.
int UsageError(absl::string_view message, absl::string_view command);
// Prints a failed call as "communique: CODE: message" plus what the user
// can do about it (start the service, pass a token, wait for the replica,
// raise --timeout_seconds); returns kExitFailure. `service_flag` is
// "query" or "ingest", the flag that chose the address.
int FailCall(const grpc::Status& status, const Invocation& flags,
             absl::string_view service_flag);

// A channel to the address of flag `service_flag` ("query" or "ingest")
// with the TLS and token flags. INVALID_ARGUMENT / NOT_FOUND for unreadable
// TLS or token files (message names the file).
absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(
    const Invocation& flags, absl::string_view service_flag);
// Sets --timeout_seconds as the deadline of `context`.
void SetDeadline(const Invocation& flags, grpc::ClientContext* context);

// The --format of a command that accepts `allowed` (the first is the
// default when --format was not set anywhere).
absl::StatusOr<Format> FormatOf(const Invocation& flags,
                                const std::vector<Format>& allowed);

// A summit for people: one line, or the detail of `summits get`.
void PrintSummitLine(const v1::Summit& summit, std::ostream& out);
void PrintSummitDetail(const v1::Summit& summit, std::ostream& out);

}  // namespace communique::cli
