#include "shared/html/page.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::html {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

bool HasWarning(const Page& page, const std::string& kind) {
  for (const auto& w : page.warnings) {
    if (w.kind() == kind) return true;
  }
  return false;
}

constexpr char kNewsPage[] = R"(<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Leaders meet in Minsk | Example News</title>
<meta property="og:title" content="Leaders meet in Minsk">
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://news.example.org/2023/11/leaders">
<meta property="article:published_time" content="2023-11-23T21:30:00+03:00">
<link rel="canonical" href="https://news.example.org/2023/11/leaders-minsk">
<script>var tracking = "<p>not text</p>";</script>
<style>p { color: red }</style>
</head>
<body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<div id="cookie-banner">We use cookies. <button>Accept</button></div>
<main>
<article>
<header><h1>Leaders meet in Minsk</h1><time datetime="2023-11-20">20 Nov</time></header>
<div class="share-bar"><a href="#">Share on Facebook</a></div>
<p>The leaders of six states met in Minsk on Thursday.</p>
<p>They adopted a declaration
   on security.</p>
<ul><li>First point</li><li>Second point</li></ul>
<p class="read-more"><a href="/other">Read more: another story</a></p>
<p style="display:none">Hidden text</p>
<div hidden>Also hidden</div>
<!-- a comment with text -->
</article>
<aside class="related"><h3>Related</h3><p>Something else entirely, a long related teaser text.</p></aside>
</main>
<section id="comments"><p>Great article, a reader comment that is long enough.</p></section>
<footer><p>Copyright Example News 2023, all rights reserved everywhere.</p></footer>
</body></html>)";

TEST(ConvertPageTest, KeepsTheArticleBodyAndDropsClutter) {
  auto page = ConvertPage(kNewsPage, "text/html; charset=utf-8");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->text,
            "Leaders meet in Minsk\n\n"
            "The leaders of six states met in Minsk on Thursday.\n\n"
            "They adopted a declaration on security.\n\n"
            "First point\nSecond point\n");
}

TEST(ConvertPageTest, ReadsMetadata) {
  auto page = ConvertPage(kNewsPage, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->title, "Leaders meet in Minsk");
  EXPECT_EQ(page->site_name, "Example News");
  EXPECT_EQ(page->canonical_url,
            "https://news.example.org/2023/11/leaders-minsk");
  EXPECT_EQ(page->language, "en-GB");
  // article:published_time beats the <time> element; the day is the one
  // the page states in its own offset, the instant is UTC.
  ASSERT_TRUE(page->published_day.has_value());
  EXPECT_EQ(*page->published_day, absl::CivilDay(2023, 11, 23));
  EXPECT_EQ(*page->published_time,
            absl::FromCivil(absl::CivilSecond(2023, 11, 23, 18, 30, 0),
                            absl::UTCTimeZone()));
}

TEST(ConvertPageTest, JsonLdNewsArticleGivesDateHeadlineAndPublisher) {
  std::string html = R"(<html><head>
<title>Some page title - Agency</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"Organization","@id":"#org","name":"Kazinform Agency"},
 {"@type":"NewsArticle","headline":"Summit held in Astana",
  "datePublished":"2024-11-28T10:00:00+05:00","publisher":{"@id":"#org"},
  "mainEntityOfPage":{"@id":"https://agency.example.kz/news/1"}}]}
</script></head>
<body><div class="content"><p>ASTANA. KAZINFORM - The session was held today in the capital.</p>
<p>A second paragraph with more words in it.</p></div></body></html>)";
  auto page = ConvertPage(html, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->title, "Summit held in Astana");
  EXPECT_EQ(page->site_name, "Kazinform Agency");
  EXPECT_EQ(page->canonical_url, "https://agency.example.kz/news/1");
  EXPECT_EQ(*page->published_day, absl::CivilDay(2024, 11, 28));
  EXPECT_THAT(page->text, StartsWith("Summit held in Astana\n\nASTANA."));
}

TEST(ConvertPageTest, BadJsonLdIsAWarning) {
  std::string html =
      "<html><head><script type='application/ld+json'>{\"headline\": }</script>"
      "</head><body><p>Some article text that is long enough.</p></body>"
      "</html>";
  auto page = ConvertPage(html, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(HasWarning(*page, "html_json_ld"));
}

TEST(ConvertPageTest, TitleSuffixIsStripped) {
  std::string html =
      "<html><head><title>CSTO summit opens | Press Office</title></head>"
      "<body><div><p>The body text of this release is here.</p></div></body>"
      "</html>";
  auto page = ConvertPage(html, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->title, "CSTO summit opens");
  EXPECT_THAT(page->text, StartsWith("CSTO summit opens\n\n"));
}

TEST(ConvertPageTest, DublinCoreAndTimeElementDates) {
  auto dc = ConvertPage(
      "<html><head><meta name='DC.date.issued' content='2019-11-28'></head>"
      "<body><p>The text of the page is long enough here.</p></body></html>",
      "");
  ASSERT_TRUE(dc.ok());
  EXPECT_EQ(*dc->published_day, absl::CivilDay(2019, 11, 28));
  auto time = ConvertPage(
      "<html><body><article><time datetime='2020-12-02T09:00'>Dec 2</time>"
      "<p>The text of the page is long enough here.</p></article></body>"
      "</html>",
      "");
  ASSERT_TRUE(time.ok());
  EXPECT_EQ(*time->published_day, absl::CivilDay(2020, 12, 2));
}

TEST(ConvertPageTest, ItempropArticleBodyWinsOverLongerSidebars) {
  std::string html = absl::StrCat(
      "<html><body><div><p>", std::string(300, 'x'),
      " teaser</p><p>", std::string(300, 'y'),
      " teaser</p></div><div itemprop='articleBody'><p>The real body, "
      "shorter than the noise.</p></div></body></html>");
  auto page = ConvertPage(html, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->text, "The real body, shorter than the noise.\n");
}

TEST(ConvertPageTest, DensestBlockWithoutHints) {
  std::string html =
      "<html><body><div class='top'><a href='/'>Home</a> <a href='/a'>About"
      "</a></div><table><tr><td><div>"
      "<p>Paragraph one of the story is here.</p>"
      "<p>Paragraph two of the story is here.</p>"
      "</div></td></tr></table><div><p>Short footer note.</p></div>"
      "</body></html>";
  auto page = ConvertPage(html, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->text,
            "Paragraph one of the story is here.\n\n"
            "Paragraph two of the story is here.\n");
}

TEST(ConvertPageTest, Windows1251PageFromMeta) {
  // "Саммит ОДКБ" / "Лидеры встретились в Минске."
  std::string html =
      "<html><head><meta http-equiv='Content-Type' content='text/html; "
      "charset=windows-1251'><title>\xD1\xE0\xEC\xEC\xE8\xF2 \xCE\xC4\xCA\xC1"
      "</title></head><body><p>\xCB\xE8\xE4\xE5\xF0\xFB "
      "\xE2\xF1\xF2\xF0\xE5\xF2\xE8\xEB\xE8\xF1\xFC \xE2 "
      "\xCC\xE8\xED\xF1\xEA\xE5.</p></body></html>";
  auto page = ConvertPage(html, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->charset, "ibm-5347_P100-1998");  // ICU's windows-1251
  EXPECT_EQ(page->title, "\xD0\xA1\xD0\xB0\xD0\xBC\xD0\xBC\xD0\xB8\xD1\x82 "
                         "\xD0\x9E\xD0\x94\xD0\x9A\xD0\x91");
  EXPECT_THAT(page->text,
              HasSubstr("\xD0\x9C\xD0\xB8\xD0\xBD\xD1\x81\xD0\xBA\xD0\xB5."));
}

TEST(ConvertPageTest, Utf16PageWithByteOrderMark) {
  std::string ascii =
      "<html><head><title>Hello page</title></head><body><p>The body of a "
      "UTF-16 page is here.</p></body></html>";
  std::string page_bytes("\xFE\xFF", 2);
  for (char c : ascii) {
    page_bytes.push_back('\0');
    page_bytes.push_back(c);
  }
  EXPECT_TRUE(LooksLikeHtml(page_bytes));
  auto page = ConvertPage(page_bytes, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->text, "Hello page\n\nThe body of a UTF-16 page is here.\n");
  EXPECT_FALSE(HasWarning(*page, "html_nul"));
}

TEST(ConvertPageTest, NoBodyIsInvalidArgument) {
  auto page = ConvertPage(
      "<html><head><title>Only a title</title></head><body><nav><a>Home</a>"
      "</nav><div class='cookie-notice'>We use cookies on this site to "
      "track you.</div><footer>Footer text of the site.</footer></body>"
      "</html>",
      "");
  EXPECT_THAT(page.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(page.status().message()),
              HasSubstr("no article body found"));
}

TEST(ConvertPageTest, EmptyPageIsInvalidArgument) {
  EXPECT_THAT(ConvertPage("", "").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Found by html_fuzz: a byte-order mark alone decodes to nothing.
  EXPECT_THAT(ConvertPage("\xEF\xBB\xBF", "text/html; charset=utf-8").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Hostile pages: each ends in a clean error or a warning, quickly.

TEST(HostilePageTest, UnclosedTags) {
  std::string html = "<html><body><div><p>Unclosed paragraph text one";
  for (int i = 0; i < 2000; ++i) html += "<div><span><b><i><p>more words ";
  auto page = ConvertPage(html, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(page->text, StartsWith("Unclosed paragraph text one"));
}

TEST(HostilePageTest, HundredThousandDeepNesting) {
  std::string html = "<html><body><p>Text before the deep part.</p>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "deep";
  for (int i = 0; i < 100000; ++i) html += "</div>";
  html += "<p>Text after the deep part.</p></body></html>";
  auto page = ConvertPage(html, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(HasWarning(*page, "html_depth"));
  EXPECT_THAT(page->text, HasSubstr("Text before the deep part."));
  // Deeper elements are flattened, not dropped.
  EXPECT_THAT(page->text, HasSubstr("deep"));
  EXPECT_THAT(page->text, HasSubstr("Text after the deep part."));
}

TEST(HostilePageTest, FiftyMebibyteAttributeIsRejectedBySize) {
  std::string html = "<html><body><p title='";
  html.append(50 << 20, 'a');
  html += "'>text</p></body></html>";
  auto page = ConvertPage(html, "");
  EXPECT_THAT(page.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(page.status().message()),
              HasSubstr("over the 8388608-byte limit"));
}

TEST(HostilePageTest, SevenMebibyteAttributeWithinTheLimit) {
  std::string html = "<html><body><p title='";
  html.append(7 << 20, 'a');
  html += "'>The paragraph after a huge attribute.</p></body></html>";
  auto page = ConvertPage(html, "");
  // libxml2 refuses attribute values over 10 MB only with XML_PARSE_HUGE
  // off; 7 MiB is parsed, and the text survives.
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(page->text, HasSubstr("The paragraph after a huge attribute."));
}

TEST(HostilePageTest, NulBytes) {
  std::string html("<html><body><p>Text with\0NUL\0bytes in the middle.</p>"
                   "</body></html>",
                   60);
  auto page = ConvertPage(html, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(HasWarning(*page, "html_nul"));
  EXPECT_THAT(page->text, HasSubstr("Text with NUL bytes"));
}

TEST(HostilePageTest, NodeLimitIsAWarning) {
  std::string html = "<html><body><p>The start of a long list of items.</p><ul>";
  for (int i = 0; i < 3000; ++i) html += "<li>item</li>";
  html += "</ul></body></html>";
  PageLimits limits;
  limits.max_nodes = 1000;
  auto page = ConvertPage(html, "", limits);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(HasWarning(*page, "html_nodes"));
}

TEST(HostilePageTest, TextLimitCutsAtALineEnd) {
  std::string html = "<html><body><div>";
  for (int i = 0; i < 200; ++i) html += "<p>A paragraph of some fifty bytes of plain text.</p>";
  html += "</div></body></html>";
  PageLimits limits;
  limits.max_text_bytes = 1000;
  auto page = ConvertPage(html, "", limits);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(HasWarning(*page, "html_truncated"));
  EXPECT_LE(page->text.size(), 1001u);
}

TEST(ParsePageDateTest, Forms) {
  EXPECT_EQ(ParsePageDate("2019-11-28")->day, absl::CivilDay(2019, 11, 28));
  auto with_offset = ParsePageDate("2019-11-29T01:00:00+03:00");
  ASSERT_TRUE(with_offset.has_value());
  EXPECT_EQ(with_offset->day, absl::CivilDay(2019, 11, 29));
  EXPECT_EQ(absl::ToCivilDay(with_offset->time, absl::UTCTimeZone()),
            absl::CivilDay(2019, 11, 28));
  EXPECT_TRUE(ParsePageDate("2019-11-28 10:15:00Z").has_value());
  EXPECT_TRUE(ParsePageDate("2019-11-28T10:15:00.123+0500").has_value());
  EXPECT_FALSE(ParsePageDate("28 November 2019").has_value());
  EXPECT_FALSE(ParsePageDate("2019-02-30").has_value());
  EXPECT_FALSE(ParsePageDate("2019-11-28Tnonsense").has_value());
  // Found by html_fuzz: a seconds field cut short.
  EXPECT_FALSE(ParsePageDate("2019-11-28T10:15:").has_value());
  EXPECT_FALSE(ParsePageDate("2019-11-28T10:15:5").has_value());
}

TEST(LooksLikeHtmlTest, Starts) {
  EXPECT_TRUE(LooksLikeHtml("\xEF\xBB\xBF  <!DOCTYPE html><html>"));
  EXPECT_TRUE(LooksLikeHtml("<html lang=en>"));
  EXPECT_TRUE(LooksLikeHtml("<!-- saved page --><html>"));
  EXPECT_FALSE(LooksLikeHtml(" date 2024-11-28 Headline\nText"));
  EXPECT_FALSE(LooksLikeHtml("<b>bold</b> is not a page"));
}

}  // namespace
}  // namespace communique::html
