#include "shared/text/boilerplate.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::text {
namespace {

TEST(BoilerplateTest, FindsPromptAndCounterLines) {
  std::string text =
      "Leaders met in Minsk.\n"
      "Follow our official Instagram and Twitter pages for more news.\n"
      "Comments (0)\n"
      "Subscribe\n"
      "The summit follows the session.";
  auto lines = FindBoilerplateLines(text);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].span.Of(text),
            "Follow our official Instagram and Twitter pages for more news.");
  EXPECT_EQ(lines[1].span.Of(text), "Comments (0)");
  EXPECT_EQ(lines[2].span.Of(text), "Subscribe");
}

TEST(BoilerplateTest, LeavesOrdinaryLinesAlone) {
  std::string text =
      "The president shared his views on the channel crossing.\n"
      "They discussed a subscription to the treaty.";
  EXPECT_TRUE(FindBoilerplateLines(text).empty());
}

TEST(BoilerplateTest, FindsTranscriptWithLeadInQuestionAndHeading) {
  std::string body = "The leaders met.\nThey adopted a declaration.\n";
  std::string tail =
      "What happened next?\n"
      "## Summit Talk\n"
      "**Interviewer:** Welcome.\n"
      "**Guest:** Thanks.\n";
  std::string text = body + tail;
  EXPECT_EQ(FindAppendedTranscript(text), body.size());
}

TEST(BoilerplateTest, OneQuestionLineIsNotATranscript) {
  std::string text = "The leaders met.\nQ: what next? asked a reporter.\n";
  EXPECT_EQ(FindAppendedTranscript(text), text.size());
}

TEST(BoilerplateTest, FindsPlaceholdersButNotCitations) {
  std::string text = "Joining us is [Guest Name], see [1] and {{author}}.";
  auto spans = FindPlaceholders(text);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].Of(text), "[Guest Name]");
  EXPECT_EQ(spans[1].Of(text), "{{author}}");
}

}  // namespace
}  // namespace communique::text
