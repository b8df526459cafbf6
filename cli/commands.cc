#include "cli/commands.h"

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/records.h"
#include "shared/rpc/server.h"
#include "shared/rpc/status.h"

namespace communique::cli {

int Fail(absl::string_view message) {
  std::cerr << "communique: " << message << "\n";
  return kExitFailure;
}

int UsageError(absl::string_view message, absl::string_view command) {
  std::cerr << "communique: " << message << "\n";
  if (command.empty()) {
    std::cerr << "Run `communique --help` for the commands.\n";
  } else {
    std::cerr << "Run `communique " << command << " --help` for its usage.\n";
  }
  return kExitUsage;
}

int FailCall(const grpc::Status& status, const Invocation& flags,
             absl::string_view service_flag) {
  absl::Status s = rpc::FromGrpcStatus(status);
  std::string line =
      absl::StrCat(absl::StatusCodeToString(s.code()), ": ", s.message());
  std::string hint;
  const std::string address = flags.String(service_flag);
  switch (s.code()) {
    case absl::StatusCode::kUnavailable:
      if (absl::StrContains(s.message(), "catching up") ||
          absl::StrContains(s.message(), "not caught up")) {
        hint =
            "the query replica has not caught up with the ingest service's "
            "change feed since it started; retry in a few seconds, or pass "
            "--consistency_token=TOKEN (printed by `communique ingest`) to "
            "wait for a given write";
      } else {
        hint = absl::StrCat(
            "is the ", service_flag, " service running at ", address,
            "? (set by ", flags.SourceOf(service_flag), "; change it with --",
            service_flag, ", COMMUNIQUE_", absl::AsciiStrToUpper(service_flag),
            " or the config file)");
      }
      break;
    case absl::StatusCode::kUnauthenticated:
      hint =
          "this call needs a token: pass --token_file=FILE (or "
          "COMMUNIQUE_TOKEN_FILE, or token_file in the config file)";
      break;
    case absl::StatusCode::kPermissionDenied:
      hint =
          "the token does not carry the role this call needs (writes need a "
          "writer token)";
      break;
    case absl::StatusCode::kDeadlineExceeded:
      hint = absl::StrCat(
          "no answer within --timeout_seconds=", flags.Int("timeout_seconds"),
          "; raise it, or check the service");
      break;
    default:
      break;
  }
  std::cerr << "communique: " << line << "\n";
  if (!hint.empty()) std::cerr << "  hint: " << hint << "\n";
  return kExitFailure;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(
    const Invocation& flags, absl::string_view service_flag) {
  rpc::TlsConfig tls;
  tls.insecure = flags.Bool("insecure");
  tls.ca_file = flags.String("tls_ca");
  tls.cert_file = flags.String("tls_cert");
  tls.key_file = flags.String("tls_key");
  tls.bearer_token_file = flags.String("token_file");
  auto credentials = rpc::MakeChannelCredentials(tls);
  if (!credentials.ok()) return credentials.status();
  grpc::ChannelArguments args;
  if (!flags.String("authority").empty()) {
    args.SetSslTargetNameOverride(flags.String("authority"));
  }
  args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 << 20);
  return grpc::CreateCustomChannel(flags.String(service_flag), *credentials,
                                   args);
}

void SetDeadline(const Invocation& flags, grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(flags.Int("timeout_seconds")));
}

absl::StatusOr<Format> FormatOf(const Invocation& flags,
                                const std::vector<Format>& allowed) {
  if (!flags.IsSet("format")) return allowed.front();
  absl::StatusOr<Format> format = ParseFormat(flags.String("format"), allowed);
  if (!format.ok() && !flags.IsSetOnCommandLine("format")) {
    // A default from the environment or the config file (say csv) that
    // this command cannot print falls back to the command's own default.
    return allowed.front();
  }
  return format;
}

void PrintSummitLine(const v1::Summit& s, std::ostream& out) {
  std::string place = s.location().city();
  if (!s.location().country().empty()) {
    place = place.empty() ? s.location().country()
                          : absl::StrCat(place, ", ", s.location().country());
  }
  const std::string date = DateText(s.date());
  out << s.name() << "\n    " << (date.empty() ? "undated" : date) << "  "
      << s.organization() << " " << s.body() << "  "
      << (place.empty() ? "(place unknown)" : place) << "  "
      << s.participants_size() << " participants, " << s.declarations_size()
      << " documents, " << s.source_articles_size() << " source article(s)\n";
}

void PrintSummitDetail(const v1::Summit& s, std::ostream& out) {
  PrintSummitLine(s, out);
  if (!s.chair_country().empty()) {
    out << "  chair: " << s.chair_country();
    if (!s.presiding().empty()) out << " (presiding: " << s.presiding() << ")";
    out << "\n";
  }
  if (s.formats_size() > 0) {
    std::vector<std::string> formats;
    for (int f : s.formats()) {
      formats.push_back(EnumText(v1::SummitFormat_Name(f), "SUMMIT_FORMAT_"));
    }
    out << "  formats: " << absl::StrJoin(formats, ", ") << "\n";
  }
  for (const v1::Participant& p : s.participants()) {
    out << "  - " << (p.name().empty() ? "(unnamed)" : p.name()) << ", "
        << p.role() << " of "
        << (p.country().empty() ? p.organization() : p.country())
        << (p.remote() ? " (remote)" : "") << "\n";
  }
  if (s.has_next_chair() && !s.next_chair().country().empty()) {
    out << "  next chair: " << s.next_chair().country();
    std::string from = DateText(s.next_chair().from_date());
    if (!from.empty()) out << " from " << from;
    out << "\n";
  }
  if (s.documents_adopted_count() > 0) {
    out << "  documents adopted: " << s.documents_adopted_count() << "\n";
  }
  if (s.topics_size() > 0) {
    out << "  topics: " << absl::StrJoin(s.topics(), ", ") << "\n";
  }
  for (const std::string& d : s.declarations())
    out << "  document: " << d << "\n";
  for (const std::string& i : s.initiatives())
    out << "  initiative: " << i << "\n";
  if (s.conflicts_size() > 0) {
    out << "  disputed: " << absl::StrJoin(s.conflicts(), ", ") << "\n";
  }
  out << "  sources: " << absl::StrJoin(s.source_articles(), ", ") << "\n";
}

}  // namespace communique::cli
