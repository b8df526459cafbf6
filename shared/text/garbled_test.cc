#include "shared/text/garbled.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::text {
namespace {

TEST(GarbledTest, FlagsLatinCyrillicMix) {
  std::string text = "Russia, and\xd1\x81\xd0\xb2\xd0\xbe the Secretary";
  auto spans = FindGarbledSpans(text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].Of(text), "and\xd1\x81\xd0\xb2\xd0\xbe");
}

TEST(GarbledTest, FlagsLatinHanMix) {
  std::string text = "during Helene knee\xe5\x85\x89\xe6\x98\x8e.";
  auto spans = FindGarbledSpans(text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].Of(text), "knee\xe5\x85\x89\xe6\x98\x8e");
}

TEST(GarbledTest, AcceptsSingleScriptWordsAndDiacritics) {
  std::string text =
      "T\xc3\xbcrkiye and \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 and "
      "\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xa7 Nagorno-Karabakh 2024";
  EXPECT_TRUE(FindGarbledSpans(text).empty());
}

}  // namespace
}  // namespace communique::text
