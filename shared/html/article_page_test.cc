#include "shared/html/article_page.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "shared/html/page.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::html {
namespace {

using ::communique::testing::StatusIs;
using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kPage[] =
    "<html><head><meta property='og:title' content='Summit in Bishkek'>"
    "<meta property='og:site_name' content='24.kg'>"
    "<meta property='og:url' content='https://24.kg/english/1'>"
    "<meta property='article:published_time' "
    "content='2019-11-28T23:30:00+06:00'></head>"
    "<body><article><p>BISHKEK - The session was held today.</p></article>"
    "</body></html>";

TEST(ArticleFromPageTest, FillsEmptyMetadataFromThePage) {
  v1::ArticleInput input;
  input.set_html(kPage);
  input.set_external_id("x1");
  auto out = ArticleFromPage(input);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->input.text(),
            "Summit in Bishkek\n\nBISHKEK - The session was held today.\n");
  EXPECT_TRUE(out->input.html().empty());
  EXPECT_EQ(out->input.external_id(), "x1");
  EXPECT_EQ(out->input.title(), "Summit in Bishkek");
  EXPECT_EQ(out->input.publisher(), "24.kg");
  EXPECT_EQ(out->input.source_url(), "https://24.kg/english/1");
  EXPECT_EQ(TimeUtil::ToString(out->input.published()),
            "2019-11-28T17:30:00Z");
  // The page's own day, not the UTC one.
  ASSERT_TRUE(out->published_day.has_value());
  EXPECT_EQ(*out->published_day, absl::CivilDay(2019, 11, 28));
}

TEST(ArticleFromPageTest, CallerMetadataWins) {
  v1::ArticleInput input;
  input.set_html(kPage);
  input.set_title("Caller title");
  input.set_publisher("Caller outlet");
  input.set_source_url("https://caller.example/1");
  *input.mutable_published() = TimeUtil::SecondsToTimestamp(1575072000);
  auto out = ArticleFromPage(input);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->input.title(), "Caller title");
  EXPECT_EQ(out->input.publisher(), "Caller outlet");
  EXPECT_EQ(out->input.source_url(), "https://caller.example/1");
  EXPECT_EQ(*out->published_day, absl::CivilDay(2019, 11, 30));
}

TEST(ArticleFromPageTest, NoBodyNamesTheField) {
  v1::ArticleInput input;
  input.set_html("<html><body><nav>Home</nav></body></html>");
  auto out = ArticleFromPage(input, "article");
  EXPECT_THAT(out.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("article.html: no article body found"));
}

TEST(ArticleFromPageTest, VersionJoinsTheConverter) {
  EXPECT_EQ(ArticleVersion("0.1.0", false), "0.1.0");
  EXPECT_EQ(ArticleVersion("0.1.0", true),
            std::string("0.1.0+") + kConverterVersion);
}

}  // namespace
}  // namespace communique::html
