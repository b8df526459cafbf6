// Command-line configuration shared by both services and the CLI: absl
// flags with an environment fallback, precedence flag > env > default.
// A flag `--data_dir` is also read from `COMMUNIQUE_DATA_DIR`.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace communique::rpc {

// Environment variable consulted for flag `flag`: "COMMUNIQUE_" + upper.
std::string EnvironmentVariableFor(absl::string_view flag);

// Applies COMMUNIQUE_* environment variables to the registered flags, then
// parses the command line over them. Exits with one clear line on stderr
// (status 2) when a value does not parse. Returns positional arguments
// (argv[0] first).
std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv);

// "name=value" lines of every flag defined in our own sources, with values
// of flags whose name mentions a secret (token, key, password) redacted,
// for logging the effective configuration at start.
std::vector<std::string> EffectiveConfig();

}  // namespace communique::rpc
