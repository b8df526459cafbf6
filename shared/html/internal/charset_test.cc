#include "shared/html/internal/charset.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::html::internal {
namespace {

using ::testing::HasSubstr;

TEST(CharsetTest, ReadsTheContentTypeParameter) {
  EXPECT_EQ(CharsetFromContentType("text/html; charset=windows-1251"),
            "windows-1251");
  EXPECT_EQ(CharsetFromContentType("text/html;CHARSET=\"KOI8-R\""), "KOI8-R");
  EXPECT_EQ(CharsetFromContentType("text/html"), "");
}

TEST(CharsetTest, PrescanFindsMetaCharsetAndHttpEquiv) {
  EXPECT_EQ(PrescanMetaCharset("<html><head><meta charset=\"koi8-r\">"),
            "koi8-r");
  EXPECT_EQ(PrescanMetaCharset(
                "<head><meta http-equiv=\"Content-Type\" "
                "content=\"text/html; charset=windows-1251\"></head>"),
            "windows-1251");
  // Content before the http-equiv attribute counts too.
  EXPECT_EQ(PrescanMetaCharset("<meta content='text/html; charset=iso-8859-5' "
                               "http-equiv='content-type'>"),
            "iso-8859-5");
}

TEST(CharsetTest, PrescanSkipsCommentsAndQuotedAttributes) {
  EXPECT_EQ(PrescanMetaCharset("<!-- <meta charset=koi8-r> --><p>"), "");
  EXPECT_EQ(PrescanMetaCharset(
                "<div title='<meta charset=koi8-r>'></div><meta charset=utf-8>"),
            "utf-8");
  EXPECT_EQ(PrescanMetaCharset("<meta name=x content=\"charset=koi8-r\">"), "");
}

TEST(CharsetTest, HttpHeaderWinsOverMeta) {
  // "Привет" in windows-1251, page claiming KOI8-R.
  std::string page =
      "<meta charset=koi8-r><p>\xCF\xF0\xE8\xE2\xE5\xF2</p>";
  auto decoded = DecodePage(page, "text/html; charset=windows-1251");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_THAT(std::string(decoded->utf8()), HasSubstr("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2"));
  EXPECT_EQ(decoded->source, CharsetSource::kHttpHeader);
}

TEST(CharsetTest, MetaDecodesKoi8R) {
  // "Мир" in KOI8-R.
  std::string page = "<meta charset=\"KOI8-R\"><p>\xED\xC9\xD2</p>";
  auto decoded = DecodePage(page, "");
  ASSERT_TRUE(decoded.ok());
  EXPECT_THAT(std::string(decoded->utf8()), HasSubstr("\xD0\x9C\xD0\xB8\xD1\x80"));
  EXPECT_EQ(decoded->source, CharsetSource::kMeta);
}

TEST(CharsetTest, ByteOrderMarkSelectsUtf16) {
  std::string page("\xFF\xFE", 2);
  for (char c : std::string("<p>Hi</p>")) {
    page.push_back(c);
    page.push_back('\0');
  }
  auto decoded = DecodePage(page, "");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::string(decoded->utf8()), "<p>Hi</p>");
  EXPECT_EQ(decoded->source, CharsetSource::kByteOrderMark);
  EXPECT_TRUE(decoded->notes.empty());
}

TEST(CharsetTest, UndecodableBytesAreAWarningWithTheOffset) {
  std::string page = "<p>ok \xFF\xFE bad</p>";
  auto decoded = DecodePage(page, "text/html; charset=utf-8");
  ASSERT_TRUE(decoded.ok());
  EXPECT_THAT(std::string(decoded->utf8()), HasSubstr("\xEF\xBF\xBD"));
  ASSERT_EQ(decoded->notes.size(), 1u);
  EXPECT_EQ(decoded->notes[0].first, "undecodable");
  EXPECT_THAT(decoded->notes[0].second, HasSubstr("at byte offset 6"));
}

TEST(CharsetTest, UnknownDeclaredCharsetFallsBack) {
  auto decoded = DecodePage("<p>plain</p>", "text/html; charset=no-such-cs");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->charset, "UTF-8");
  ASSERT_FALSE(decoded->notes.empty());
  EXPECT_EQ(decoded->notes[0].first, "charset");
}

TEST(CharsetTest, UndeclaredNonUtf8IsWindows1252) {
  auto decoded = DecodePage("<p>caf\xE9</p>", "");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::string(decoded->utf8()), "<p>caf\xC3\xA9</p>");
}

TEST(CharsetTest, NulBytesBecomeSpaces) {
  auto decoded = DecodePage(std::string("<p>a\0b</p>", 10), "");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::string(decoded->utf8()), "<p>a b</p>");
  ASSERT_EQ(decoded->notes.size(), 1u);
  EXPECT_EQ(decoded->notes[0].first, "nul");
}

}  // namespace
}  // namespace communique::html::internal
