#include "shared/text/sentences.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::text {
namespace {

std::vector<std::string> Texts(absl::string_view text,
                               const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& s : spans) out.emplace_back(s.Of(text));
  return out;
}

TEST(SentencesTest, SplitsOnTerminalPunctuation) {
  std::string text = "The council met. It adopted 15 documents! Why? Peace.";
  EXPECT_THAT(Texts(text, SplitSentences(text)),
              ::testing::ElementsAre("The council met.",
                                     "It adopted 15 documents!", "Why?",
                                     "Peace."));
}

TEST(SentencesTest, KeepsAbbreviationsAndInitials) {
  std::string text =
      "During a Nov. 28 session, Mr. Smith met J. Doe in the U.S. capital. "
      "Then they left.";
  EXPECT_THAT(Texts(text, SplitSentences(text)),
              ::testing::ElementsAre(
                  "During a Nov. 28 session, Mr. Smith met J. Doe in the U.S. "
                  "capital.",
                  "Then they left."));
}

TEST(SentencesTest, LineBreaksEndSentencesAndQuotesStayAttached) {
  std::string text =
      "Headline without period\n\xe2\x80\x9cWe agree,\xe2\x80\x9d he said. "
      "\xe2\x80\x9cYes.\xe2\x80\x9d Next one";
  EXPECT_THAT(Texts(text, SplitSentences(text)),
              ::testing::ElementsAre(
                  "Headline without period",
                  "\xe2\x80\x9cWe agree,\xe2\x80\x9d he said.",
                  "\xe2\x80\x9cYes.\xe2\x80\x9d", "Next one"));
}

TEST(SentencesTest, DoesNotSplitBeforeLowercase) {
  std::string text = "The group, i.e. the council, met. and continued";
  EXPECT_THAT(Texts(text, SplitSentences(text)),
              ::testing::ElementsAre(
                  "The group, i.e. the council, met. and continued"));
}

TEST(SentencesTest, RespectsRange) {
  std::string text = "Skip this. Keep this. And this.";
  EXPECT_THAT(Texts(text, SplitSentences(text, Span{11, text.size()})),
              ::testing::ElementsAre("Keep this.", "And this."));
}

TEST(TokenizeTest, KeepsHyphenatedNamesAndNumbers) {
  std::string text = "Kassym-Jomart Tokayev's 1,000 U.S. troops.";
  std::vector<std::string> words;
  for (const Token& t : Tokenize(text)) words.emplace_back(t.span.Of(text));
  EXPECT_THAT(words, ::testing::ElementsAre("Kassym-Jomart", "Tokayev's",
                                            "1,000", "U.S", ".", "troops",
                                            "."));
}

}  // namespace
}  // namespace communique::text
