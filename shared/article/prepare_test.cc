#include "shared/article/prepare.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/schema/names.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/text/normalize.h"

namespace communique::article {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kYerevan[] =
    "YEREVAN, Nov 23 – The Collective Security Council of the Collective "
    "Security Treaty Organization (CSTO) met in Yerevan on November 23, 2022. "
    "Prime Minister of Armenia Nikol Pashinyan chaired the session.\n";

class PrepareArticleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto gazetteer = gazetteer::Gazetteer::LoadDefault();
    ASSERT_OK(gazetteer.status());
    auto extractor = extract::Extractor::Create(*gazetteer);
    ASSERT_OK(extractor.status());
    extractor_ = *std::move(extractor);
  }
  std::unique_ptr<extract::Extractor> extractor_;
};

TEST_F(PrepareArticleTest, NamesTheArticleAfterItsExternalIdAndExtracts) {
  v1::ArticleInput input;
  input.set_text(kYerevan);
  input.set_external_id("104_csto-yerevan-2022");
  input.set_title("Yerevan session");
  ASSERT_OK_AND_ASSIGN(v1::ParseArticleResponse out,
                       PrepareArticle(input, *extractor_));
  ASSERT_OK_AND_ASSIGN(std::string normalized,
                       text::NormalizeArticleText(kYerevan));
  EXPECT_EQ(out.article().name(), "articles/104-csto-yerevan-2022");
  EXPECT_EQ(out.article().text(), normalized);
  EXPECT_EQ(out.article().content_sha256(), schema::Sha256Hex(normalized));
  EXPECT_EQ(out.article().title(), "Yerevan session");
  EXPECT_EQ(out.article().extractor_version(), extract::kExtractorVersion);
  EXPECT_FALSE(out.article().has_ingest_time());
  EXPECT_EQ(out.extraction().article(), out.article().name());
  ASSERT_EQ(out.extraction().summits_size(), 1);
  EXPECT_EQ(out.extraction().summits(0).location().city(), "Yerevan");
  // The same extraction as the extractor gives on the normalised text.
  extract::ArticleContext context;
  context.article_name = out.article().name();
  EXPECT_EQ(out.extraction().SerializeAsString(),
            extractor_->Extract(normalized, context).SerializeAsString());
}

TEST_F(PrepareArticleTest, WithoutExternalIdTheNameIsTheContentHash) {
  v1::ArticleInput input;
  input.set_text(kYerevan);
  ASSERT_OK_AND_ASSIGN(v1::ParseArticleResponse out,
                       PrepareArticle(input, *extractor_));
  EXPECT_EQ(out.article().name(),
            "articles/" + out.article().content_sha256().substr(0, 16));
}

TEST_F(PrepareArticleTest, PublishedDateIsCopied) {
  v1::ArticleInput input;
  input.set_text(kYerevan);
  *input.mutable_published() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(1669161600);
  ASSERT_OK_AND_ASSIGN(v1::ParseArticleResponse out,
                       PrepareArticle(input, *extractor_));
  EXPECT_EQ(out.article().published().seconds(), 1669161600);
}

TEST_F(PrepareArticleTest, EmptyTextIsInvalidArgumentNamingTheField) {
  v1::ArticleInput input;
  input.set_text("   \n");
  EXPECT_THAT(
      PrepareArticle(input, *extractor_).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("article.text")));
}

TEST_F(PrepareArticleTest, InvalidUtf8IsInvalidArgumentNamingTheField) {
  v1::ArticleInput input;
  input.set_text("CSTO summit \xff\xfe in Yerevan");
  EXPECT_THAT(
      PrepareArticle(input, *extractor_).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("article.text")));
}

// A page is converted first: the text opens with its headline, metadata
// the caller left empty comes from the markup, the page's own day dates
// "today", the converter's version joins the extractor's, and a stored
// page keeps the name it is given.
TEST_F(PrepareArticleTest, PagesAreConvertedAndDatedFromTheirMarkup) {
  v1::ArticleInput input;
  input.set_html(
      "<html><head><meta property='og:title' content='Leaders in Yerevan'>"
      "<meta property='og:site_name' content='Example Wire'>"
      "<link rel='canonical' href='https://wire.example.am/1'>"
      "<meta property='article:published_time' "
      "content='2022-11-23T23:30:00+04:00'></head><body><nav>Menu</nav>"
      "<article><p>The Collective Security Council of the CSTO met in "
      "Yerevan today. Prime Minister of Armenia Nikol Pashinyan chaired the "
      "session.</p></article><div class='cookie-banner'>Cookies on "
      "November 30, 2017</div></body></html>");
  input.set_external_id("page");
  ASSERT_OK_AND_ASSIGN(v1::ParseArticleResponse out,
                       PrepareArticle(input, *extractor_));
  EXPECT_EQ(out.article().name(), "articles/page");
  EXPECT_EQ(out.article().title(), "Leaders in Yerevan");
  EXPECT_EQ(out.article().publisher(), "Example Wire");
  EXPECT_EQ(out.article().source_url(), "https://wire.example.am/1");
  EXPECT_THAT(out.article().text(),
              ::testing::StartsWith("Leaders in Yerevan\n\nThe Collective"));
  EXPECT_THAT(out.article().extractor_version(), HasSubstr("+html-"));
  // 23:30 at +04:00 is the 23rd on the page (the 23rd 19:30 UTC too).
  ASSERT_EQ(out.extraction().summits_size(), 1);
  EXPECT_EQ(out.extraction().summits(0).date().day(), 23);
  ASSERT_OK_AND_ASSIGN(v1::ParseArticleResponse renamed,
                       PrepareArticle(input, *extractor_, "articles/kept"));
  EXPECT_EQ(renamed.article().name(), "articles/kept");

  v1::ArticleInput empty;
  empty.set_html("<html><body><nav>Home</nav></body></html>");
  EXPECT_THAT(PrepareArticle(empty, *extractor_).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("article.html: no article body found")));
}

}  // namespace
}  // namespace communique::article
