#include "shared/text/normalize.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::text {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;

TEST(NormalizeArticleTextTest, RejectsInvalidUtf8WithOffset) {
  EXPECT_THAT(NormalizeArticleText("abc\xff" "def"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not valid UTF-8 at byte 3")));
  // Overlong encoding of '/'.
  EXPECT_THAT(NormalizeArticleText("ab\xc0\xaf"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("at byte 2")));
  // Truncated sequence at the end.
  EXPECT_THAT(NormalizeArticleText("x\xe2\x80"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("at byte 1")));
  // UTF-16 surrogate encoded in UTF-8.
  EXPECT_THAT(NormalizeArticleText("\xed\xa0\x80"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(NormalizeArticleTextTest, ComposesToNfc) {
  // "e" + COMBINING ACUTE -> "é".
  ASSERT_OK_AND_ASSIGN(std::string out, NormalizeArticleText("Cafe\xcc\x81"));
  EXPECT_EQ(out, "Caf\xc3\xa9");
}

TEST(NormalizeArticleTextTest, UnifiesLineEndsAndTrimsLines) {
  ASSERT_OK_AND_ASSIGN(std::string out,
                       NormalizeArticleText("one  \r\ntwo\t\rthree \n"));
  EXPECT_EQ(out, "one\ntwo\nthree\n");
}

TEST(NormalizeArticleTextTest, ReplacesControlsAndOddSpaces) {
  ASSERT_OK_AND_ASSIGN(
      std::string out,
      NormalizeArticleText(std::string("a\0b\x01" "c\xc2\xa0" "d\xe2\x80\x89"
                                       "e\tf\xe2\x80\x8bg",
                                       18)));
  EXPECT_EQ(out, "a b c d e\tfg");
}

TEST(NormalizeArticleTextTest, KeepsTypographicPunctuation) {
  ASSERT_OK_AND_ASSIGN(std::string out,
                       NormalizeArticleText("ASTANA \xe2\x80\x93 \xe2\x80\x9cHi\xe2\x80\x9d"));
  EXPECT_EQ(out, "ASTANA \xe2\x80\x93 \xe2\x80\x9cHi\xe2\x80\x9d");
}

TEST(NormalizeArticleTextTest, EmptyStaysEmpty) {
  ASSERT_OK_AND_ASSIGN(std::string out, NormalizeArticleText(""));
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace communique::text
