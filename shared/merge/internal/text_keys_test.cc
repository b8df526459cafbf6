#include "shared/merge/internal/text_keys.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::merge::internal {
namespace {

using ::testing::ElementsAre;

TEST(ContentWordsTest, DropsStopwordsAndSingularises) {
  EXPECT_THAT(
      ContentWords("the Declaration of the Collective Security Council"),
      ElementsAre("collective", "council", "declaration", "security"));
  EXPECT_THAT(ContentWords("Measures on Countries' Borders"),
              ElementsAre("border", "country", "measure"));
  EXPECT_THAT(ContentWords("Status of the Forces"),
              ElementsAre("force", "status"));
}

TEST(ContentWordsTest, KeepsNonLatinWords) {
  EXPECT_THAT(ContentWords("Декларация Совета"),
              ElementsAre("декларация", "совета"));
}

TEST(LowerTextTest, LowersAsciiAndCyrillic) {
  EXPECT_EQ(LowerText("Astana ДУШАНБЕ Ёлка"), "astana душанбе ёлка");
}

TEST(RoleFamilyTest, IgnoresActingAndCase) {
  EXPECT_EQ(RoleFamily("Acting President"), "president");
  EXPECT_EQ(RoleFamily("president"), "president");
  EXPECT_EQ(RoleFamily("Secretary General"), "secretary-general");
  EXPECT_EQ(RoleFamily("Secretary-General"), "secretary-general");
  EXPECT_EQ(RoleFamily("Prime Minister"), "prime-minister");
  EXPECT_NE(RoleFamily("Vice President"), RoleFamily("President"));
  EXPECT_EQ(RoleFamily(""), "");
}

TEST(SimilarityTest, JaccardAndSharedWords) {
  std::vector<std::string> a = {"collective", "council", "declaration",
                                "security"};
  std::vector<std::string> b = {"collective", "council", "csto", "declaration",
                                "security"};
  EXPECT_EQ(SharedWords(a, b), 4u);
  EXPECT_DOUBLE_EQ(Jaccard(a, b), 0.8);
  EXPECT_DOUBLE_EQ(Jaccard({}, {}), 1.0);
  EXPECT_DOUBLE_EQ(Jaccard({"a"}, {"b"}), 0.0);
}

} // namespace
} // namespace communique::merge::internal
