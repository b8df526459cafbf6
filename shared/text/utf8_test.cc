#include "shared/text/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace communique::text {
namespace {

// Moved from shared/schema/validation_test.cc when the two FindInvalidUtf8
// became one: "all valid" is now text.size() (it was -1 there).
TEST(FindInvalidUtf8Test, RejectsOverlongAndSurrogates) {
  EXPECT_EQ(FindInvalidUtf8("plain"), 5u);
  const std::string cyrillic_and_han = "Астана 光明";
  EXPECT_EQ(FindInvalidUtf8(cyrillic_and_han), cyrillic_and_han.size());
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("ab\xE2\x82"), 2u);        // truncated
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8(""), 0u);
}

}  // namespace
}  // namespace communique::text
