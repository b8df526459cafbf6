#include "shared/schema/search.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::schema {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SearchWordsTest, SplitsLowercasesAndDropsStopWords) {
  EXPECT_THAT(SearchWords("Nur-Sultan, the capital of Kazakhstan!"),
              ElementsAre("capital", "kazakhstan", "nur", "sultan"));
  EXPECT_THAT(SearchWords("a I of THE"), IsEmpty());
  EXPECT_THAT(SearchWords("2024 CSTO csto"), ElementsAre("2024", "csto"));
}

TEST(SearchWordsTest, KeepsUtf8LettersInsideWords) {
  EXPECT_THAT(SearchWords("Communiqué über"),
              ElementsAre("communiqué", "über"));
}

TEST(SearchWordsTest, CutsLongWordsAtACharacterBoundary) {
  std::string long_word(kMaxSearchWordBytes - 1, 'a');
  long_word += "é";  // 2 bytes: would straddle the limit
  std::vector<std::string> words = SearchWords(long_word);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0], std::string(kMaxSearchWordBytes - 1, 'a'));
}

}  // namespace
}  // namespace communique::schema
