#include "cli/options.h"

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::cli {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;

// An environment of `variables` and `files` only.
Environment Fake(std::map<std::string, std::string> variables,
                 std::map<std::string, std::string> files = {}) {
  Environment e;
  e.get_variable =
      [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
  e.read_file =
      [files](const std::string& path) -> absl::StatusOr<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return absl::NotFoundError(path + ": no such file");
    return it->second;
  };
  return e;
}

TEST(InvocationTest, FindsTheCommandItsArgumentsAndFlagsAnywhere) {
  ASSERT_OK_AND_ASSIGN(
      Invocation inv,
      Invocation::Parse({"--format=csv", "summits", "get", "summits/x",
                         "--consistency_token", "12"},
                        Fake({})));
  EXPECT_EQ(inv.command(), "summits get");
  ASSERT_NE(inv.spec(), nullptr);
  EXPECT_EQ(inv.arguments(), std::vector<std::string>{"summits/x"});
  EXPECT_EQ(inv.String("format"), "csv");
  EXPECT_EQ(inv.String("consistency_token"), "12");
  EXPECT_EQ(inv.String("query"), "127.0.0.1:50052");
  EXPECT_FALSE(inv.help());
}

TEST(InvocationTest, BadNumberNamesTheFlag) {
  EXPECT_THAT(
      Invocation::Parse({"summits", "list", "--year=abc"}, Fake({})).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "--year: not a number: abc"));
}

TEST(InvocationTest, FlagOfAnotherCommandIsRejected) {
  EXPECT_THAT(Invocation::Parse({"summits", "list", "--kind=treaty"}, Fake({}))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--kind: not a flag of `summits list`")));
}

TEST(InvocationTest, UnknownFlagIsRejected) {
  EXPECT_THAT(Invocation::Parse({"stats", "--bogus=1"}, Fake({})).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--bogus: unknown flag")));
}

TEST(InvocationTest, BooleansTakeNoPrefix) {
  ASSERT_OK_AND_ASSIGN(
      Invocation inv,
      Invocation::Parse({"summits", "list", "--noall_pages", "--insecure"},
                        Fake({})));
  EXPECT_FALSE(inv.Bool("all_pages"));
  EXPECT_TRUE(inv.Bool("insecure"));
}

TEST(InvocationTest, FlagBeatsEnvironmentBeatsConfigFileBeatsDefault) {
  Environment env = Fake({{"XDG_CONFIG_HOME", "/home/u/.config"},
                          {"COMMUNIQUE_QUERY", "env-host:2"}},
                         {{"/home/u/.config/communique/config",
                           "# demo\nquery = file-host:1\ningest=file-host:3\n"
                           "tls_ca = tls/ca.pem\ntimeout_seconds = 7\n"}});
  ASSERT_OK_AND_ASSIGN(Invocation from_env, Invocation::Parse({"stats"}, env));
  EXPECT_EQ(from_env.String("query"), "env-host:2");
  EXPECT_EQ(from_env.SourceOf("query"), "COMMUNIQUE_QUERY");
  EXPECT_EQ(from_env.String("ingest"), "file-host:3");
  EXPECT_EQ(from_env.SourceOf("ingest"), "/home/u/.config/communique/config:3");
  // Relative paths in the file are relative to the file.
  EXPECT_EQ(from_env.String("tls_ca"), "/home/u/.config/communique/tls/ca.pem");
  EXPECT_EQ(from_env.Int("timeout_seconds"), 7);
  EXPECT_EQ(from_env.config_file(), "/home/u/.config/communique/config");
  ASSERT_OK_AND_ASSIGN(
      Invocation from_flag,
      Invocation::Parse({"stats", "--query=flag-host:4"}, env));
  EXPECT_EQ(from_flag.String("query"), "flag-host:4");
}

TEST(InvocationTest, ExplicitConfigFileMustExist) {
  EXPECT_THAT(
      Invocation::Parse({"stats", "--config=/nope/config"}, Fake({})).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("/nope/config")));
  // The default file may be absent.
  EXPECT_OK(Invocation::Parse({"stats"}, Fake({{"HOME", "/home/u"}})).status());
}

TEST(InvocationTest, ConfigFileErrorsNameTheLine) {
  Environment env = Fake({{"COMMUNIQUE_CONFIG", "/c"}},
                         {{"/c", "query = a:1\nyear = 2024\n"}});
  EXPECT_THAT(Invocation::Parse({"stats"}, env).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/c:2: unknown setting year")));
  Environment bad_value =
      Fake({{"COMMUNIQUE_CONFIG", "/c"}}, {{"/c", "timeout_seconds = soon\n"}});
  EXPECT_THAT(
      Invocation::Parse({"stats"}, bad_value).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, "/c:1: not a number: soon"));
}

TEST(InvocationTest, BadEnvironmentValueNamesTheVariable) {
  EXPECT_THAT(
      Invocation::Parse({"stats"}, Fake({{"COMMUNIQUE_TIMEOUT_SECONDS", "x"}}))
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "COMMUNIQUE_TIMEOUT_SECONDS: not a number: x"));
}

TEST(InvocationTest, FiltersAreNotReadFromTheEnvironment) {
  ASSERT_OK_AND_ASSIGN(
      Invocation inv,
      Invocation::Parse({"summits", "list"},
                        Fake({{"COMMUNIQUE_ORGANIZATION", "CSTO"}})));
  EXPECT_EQ(inv.String("organization"), "");
}

TEST(InvocationTest, HelpAndGroups) {
  ASSERT_OK_AND_ASSIGN(
      Invocation help,
      Invocation::Parse({"summits", "list", "--help"}, Fake({})));
  EXPECT_TRUE(help.help());
  EXPECT_EQ(help.command(), "summits list");
  ASSERT_OK_AND_ASSIGN(Invocation group,
                       Invocation::Parse({"summits", "frobnicate"}, Fake({})));
  EXPECT_EQ(group.command(), "summits");
  EXPECT_EQ(group.spec(), nullptr);
  EXPECT_EQ(group.unknown_words(), std::vector<std::string>{"frobnicate"});
  ASSERT_OK_AND_ASSIGN(
      Invocation word,
      Invocation::Parse({"help", "export", "summits"}, Fake({})));
  EXPECT_TRUE(word.help());
  EXPECT_EQ(word.command(), "export summits");
}

TEST(InvocationTest, JsonIsJsonLinesAndSummitIsParent) {
  ASSERT_OK_AND_ASSIGN(
      Invocation inv,
      Invocation::Parse(
          {"--json", "declarations", "list", "--summit=summits/a"}, Fake({})));
  EXPECT_EQ(inv.String("format"), "jsonl");
  EXPECT_EQ(inv.String("parent"), "summits/a");
}

TEST(HelpTest, TopLevelIsACommandListWithoutSourcePaths) {
  const std::string help = TopLevelHelp();
  EXPECT_THAT(help, HasSubstr("summits watch"));
  EXPECT_THAT(help, HasSubstr("export participants"));
  EXPECT_THAT(help, HasSubstr("--token_file=FILE"));
  EXPECT_THAT(help, ::testing::Not(HasSubstr("main.cc")));
  EXPECT_THAT(help, ::testing::Not(HasSubstr("communique: communique:")));
}

TEST(HelpTest, CommandHelpListsItsOwnFlags) {
  for (const CommandSpec& c : AllCommands()) {
    const std::string help = CommandHelp(c);
    for (const std::string& flag : c.flags) {
      ASSERT_NE(FindFlag(flag), nullptr) << c.path << " --" << flag;
      EXPECT_THAT(help, HasSubstr("--" + flag)) << c.path;
    }
  }
  const std::string list = CommandHelp(AllCommands()[2]);
  EXPECT_THAT(list, HasSubstr("Usage: communique summits list"));
  EXPECT_THAT(list, HasSubstr("--summit_format=FORMAT"));
  EXPECT_THAT(list, ::testing::Not(HasSubstr("--kind")));
}

}  // namespace
}  // namespace communique::cli
