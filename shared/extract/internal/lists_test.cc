#include "shared/extract/internal/lists.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::extract::internal {
namespace {

using ::testing::ElementsAre;

TEST(ListsTest, SplitsAtLastAndWhenCommasAreTooFew) {
  EXPECT_THAT(SplitCoordinatedItems(
                  "the status of the forces and the transit of contingents", 2),
              ElementsAre("status of the forces", "transit of contingents"));
}

TEST(ListsTest, SharedHeadIsBorrowed) {
  EXPECT_THAT(
      SplitCoordinatedItems("the jurisdiction and provision of legal "
                            "assistance, financial and technical and medical "
                            "provision of the forces",
                            3),
      ElementsAre("jurisdiction and provision of legal assistance",
                  "financial and technical provision of the forces",
                  "medical provision of the forces"));
}

TEST(ListsTest, ReturnsFewerWhenItCannotSplit) {
  EXPECT_EQ(SplitCoordinatedItems("water security", 2).size(), 1u);
}

TEST(ListsTest, ParsesSmallNumbers) {
  EXPECT_EQ(ParseSmallNumber("Three"), 3);
  EXPECT_EQ(ParseSmallNumber("15"), 15);
  EXPECT_EQ(ParseSmallNumber("several"), 0);
}

}  // namespace
}  // namespace communique::extract::internal
