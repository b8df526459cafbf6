// communique: the command line. Parses articles offline, ingests files
// through the ingest service, and queries, watches and exports summits,
// declarations, initiatives and chairmanships through the query service.
// `communique --help` lists the commands; `communique COMMAND --help` the
// flags of one. The grammar is in cli/options.cc, the commands in
// cli/*_commands.cc.

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/records.h"
#include "shared/rpc/process_exit.h"
#include "shared/rpc/server.h"

namespace communique::cli {
namespace {

// The columns of an export command, for its --help.
std::string ExportHelp(const std::string& command) {
  const std::string what = command.substr(std::string("export ").size());
  Collection collection = Collection::kSummits;
  if (what == "declarations") collection = Collection::kDeclarations;
  if (what == "initiatives") collection = Collection::kInitiatives;
  if (what == "participants") collection = Collection::kParticipants;
  return absl::StrCat("\nColumns (CSV header, JSON Lines keys):\n",
                      ExportColumnsHelp(collection));
}

int PrintHelp(const Invocation& invocation) {
  if (invocation.spec() != nullptr) {
    std::cout << CommandHelp(*invocation.spec());
    if (absl::StartsWith(invocation.command(), "export ")) {
      std::cout << ExportHelp(invocation.command());
    }
  } else if (!invocation.command().empty()) {
    std::cout << GroupHelp(invocation.command());
  } else {
    std::cout << TopLevelHelp();
  }
  return kExitOk;
}

int Run(const Invocation& invocation) {
  const std::string& command = invocation.command();
  const std::string group = command.substr(0, command.find(' '));
  if (group == "parse") return RunParse(invocation);
  if (group == "ingest") return RunIngest(invocation);
  if (group == "reprocess") return RunReprocess(invocation);
  if (group == "articles") return RunArticles(invocation);
  if (group == "summits") return RunSummits(invocation);
  if (group == "declarations") return RunDeclarations(invocation);
  if (group == "initiatives") return RunInitiatives(invocation);
  if (group == "chairmanships") return RunChairmanships(invocation);
  if (group == "stats") return RunStats(invocation);
  if (group == "export") return RunExport(invocation);
  return UsageError(absl::StrCat("unknown command ", command), "");
}

}  // namespace

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<Invocation> invocation =
      Invocation::Parse(args, Environment::Process());
  if (!invocation.ok()) {
    std::cerr << "communique: " << invocation.status().message() << "\n";
    return kExitUsage;
  }
  if (invocation->help() || args.empty()) {
    if (args.empty()) {
      std::cerr << TopLevelHelp();
      return kExitUsage;
    }
    return PrintHelp(*invocation);
  }
  if (invocation->spec() == nullptr) {
    if (!invocation->command().empty()) {
      const std::string verb = invocation->unknown_words().empty()
                                   ? ""
                                   : invocation->unknown_words()[0];
      std::cerr << "communique: "
                << (verb.empty()
                        ? absl::StrCat(invocation->command(), ": which one?")
                        : absl::StrCat("unknown command ",
                                       invocation->command(), " ", verb))
                << "\n\n"
                << GroupHelp(invocation->command());
      return kExitUsage;
    }
    return UsageError(
        absl::StrCat("unknown command ", invocation->unknown_words()[0]), "");
  }
  // A watch ends on Ctrl-C by cancelling its call: block SIGINT/SIGTERM in
  // every thread (gRPC's included, so before it starts) and let the watch
  // take them with sigtimedwait.
  if (invocation->command() == "summits watch") rpc::BlockShutdownSignals();
  rpc::HoldGrpcForProcess();
  return Run(*invocation);
}

}  // namespace communique::cli

int main(int argc, char** argv) {
  // Every channel and stub is gone when Main returns; gRPC shuts down and
  // its threads end before exit() runs its clean-up (see process_exit.h).
  // A short wait: after a refused connection gRPC keeps a reconnect timer
  // for ~1 s, and then the CLI leaves through _exit instead.
  communique::rpc::ExitProcess(communique::cli::Main(argc, argv),
                               absl::Milliseconds(300));
}
