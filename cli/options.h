// The command line's grammar: which commands and flags exist, which
// command takes which flag, and where each value comes from. Precedence:
// a flag on the command line, then a COMMUNIQUE_* environment variable,
// then the config file ($XDG_CONFIG_HOME/communique/config, or --config /
// COMMUNIQUE_CONFIG), then the default. Only the connection and output
// settings (FlagSpec::global) come from the environment or the file.
// Pure (the environment and file reader are passed in); used by
// cli/main.cc and unit-tested in options_test.cc.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace communique::cli {

// One flag. Help texts are the single source of `--help`.
struct FlagSpec {
  enum class Type { kString, kInt, kBool };
  std::string name;
  Type type = Type::kString;
  // Shown in help as --name=VALUE_NAME (strings and ints).
  std::string value_name;
  std::string default_value;
  std::string help;
  // Accepted by every command, and read from COMMUNIQUE_<NAME> and the
  // config file (connection and output settings).
  bool global = false;
  // A path: a relative value in the config file is taken relative to the
  // file's directory.
  bool path = false;
};

// One command, e.g. {"summits list", ...}.
struct CommandSpec {
  std::string path;                // words, space-separated: "summits list"
  std::string arguments;           // positional arguments for help: "NAME"
  std::string summary;             // one line
  std::vector<std::string> flags;  // its own flags (global ones not listed)
  // Lines printed under the flags in `COMMAND --help`.
  std::string details;
};

// Every flag and every command, in help order.
const std::vector<FlagSpec>& AllFlags();
const std::vector<CommandSpec>& AllCommands();
// The flag named `name`, or nullptr.
const FlagSpec* FindFlag(absl::string_view name);

// Where the process's outside world comes in: environment variables and
// files (tests pass fakes).
struct Environment {
  std::function<std::optional<std::string>(const std::string&)> get_variable;
  // Contents of a file; NOT_FOUND if it does not exist.
  std::function<absl::StatusOr<std::string>(const std::string&)> read_file;
  // The real process environment and file system.
  static Environment Process();
};

// A parsed command line.
class Invocation {
 public:
  // Parses `args` (argv without argv[0]). INVALID_ARGUMENT with a message
  // naming the flag, variable or config line for: an unknown flag, a flag
  // the command does not take, a value that does not parse ("--year: not a
  // number: abc"), an unreadable --config file, an unknown config setting.
  // An unknown or missing command is not an error here: command() is then
  // empty (or the deepest known prefix, such as "summits") and the caller
  // prints help.
  static absl::StatusOr<Invocation> Parse(const std::vector<std::string>& args,
                                          const Environment& environment);

  // The matched command path ("summits list"); "" when none matched.
  const std::string& command() const { return command_; }
  // The command spec, or nullptr when command() is not a full command.
  const CommandSpec* spec() const { return spec_; }
  // Positional words after the command.
  const std::vector<std::string>& arguments() const { return arguments_; }
  // Words that named no known command (for "unknown command X").
  const std::vector<std::string>& unknown_words() const {
    return unknown_words_;
  }
  // --help, -h or `help` was given.
  bool help() const { return help_; }

  // Effective values (validated at Parse: Int and Bool cannot fail). Names
  // must be flags of AllFlags().
  std::string String(absl::string_view name) const;
  int64_t Int(absl::string_view name) const;
  bool Bool(absl::string_view name) const;
  // Whether the value came from anywhere but the default.
  bool IsSet(absl::string_view name) const;
  // Whether the value came from the command line.
  bool IsSetOnCommandLine(absl::string_view name) const;
  // Where the value came from: "--name", "COMMUNIQUE_NAME", "FILE:LINE",
  // or "default" (for error messages).
  std::string SourceOf(absl::string_view name) const;
  // The config file read ("" when none).
  const std::string& config_file() const { return config_file_; }

 private:
  struct Value {
    std::string text;
    std::string source;
  };
  std::string command_;
  const CommandSpec* spec_ = nullptr;
  std::vector<std::string> arguments_;
  std::vector<std::string> unknown_words_;
  bool help_ = false;
  std::map<std::string, Value, std::less<>> values_;
  std::string config_file_;
};

// Validates `text` as a value of `flag`; returns the canonical text
// ("true"/"false" for bools). INVALID_ARGUMENT "<where>: not a number: abc".
absl::StatusOr<std::string> CheckValue(const FlagSpec& flag,
                                       absl::string_view text,
                                       absl::string_view where);

// Help: the short command list (top level), the commands under a group
// ("summits"), or one command's usage and flags.
std::string TopLevelHelp();
std::string GroupHelp(absl::string_view group);
std::string CommandHelp(const CommandSpec& command);

}  // namespace communique::cli
