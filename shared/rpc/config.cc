#include "shared/rpc/config.h"

#include <cstdio>
#include <cstdlib>
#include <algorithm>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace communique::rpc {
namespace {

// Flags of our own binaries, not those of linked libraries.
bool IsOurs(const absl::CommandLineFlag& flag) {
  const std::string file = flag.Filename();
  return absl::StrContains(file, "ingest_service/") ||
         absl::StrContains(file, "query_service/") ||
         absl::StrContains(file, "cli/") || absl::StrContains(file, "bench/") ||
         absl::StrContains(file, "shared/");
}

bool IsSecret(absl::string_view name) {
  return absl::StrContains(name, "token") || absl::StrContains(name, "secret") ||
         absl::StrContains(name, "password");
}

}  // namespace

std::string EnvironmentVariableFor(absl::string_view flag) {
  return absl::StrCat("COMMUNIQUE_", absl::AsciiStrToUpper(flag));
}

std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv) {
  // --help lists our flags (absl's default matches files by program name).
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "ingest_service/") ||
           absl::StrContains(file, "query_service/") ||
           absl::StrContains(file, "shared/rpc/") ||
           absl::StrContains(file, "cli/") || absl::StrContains(file, "bench/");
  };
  usage.version_string = [] { return std::string("communique 0.1.0\n"); };
  absl::SetFlagsUsageConfig(usage);
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (!IsOurs(*flag)) continue;
    const std::string variable = EnvironmentVariableFor(name);
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      std::fprintf(stderr, "%s: bad value of %s: %s\n", argv[0],
                   variable.c_str(), error.c_str());
      std::exit(2);
    }
  }
  return absl::ParseCommandLine(argc, argv);
}

std::vector<std::string> EffectiveConfig() {
  std::vector<std::string> out;

  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (!IsOurs(*flag)) continue;
    std::string value = flag->CurrentValue();
    if (IsSecret(name) && !value.empty()) value = "<redacted>";
    out.push_back(absl::StrCat(name, "=", value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace communique::rpc
