// Articles that arrive as pages (ArticleInput.html): conversion, metadata
// filled from the markup, the publication date from markup dating the
// summit, the raw page stored beside the text and converted again by
// Reprocess, and pages without a body rejected with nothing stored.
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "ingest_service/ingest_pipeline.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/html/page.h"
#include "shared/schema/validation.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::ingest {
namespace {

using ::communique::testing::StatusIs;
using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

static_assert(schema::kMaxPageBytes == html::kMaxPageBytes,
              "validation and the converter must agree on the page limit");

// The date is only in the markup; the body says "today".
constexpr char kPage[] = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>CSTO leaders meet in Yerevan | Example Wire</title>
<meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2022-11-23T18:00:00+04:00">
<link rel="canonical" href="https://wire.example.am/news/csto-yerevan">
</head><body>
<nav><a href="/">Home</a><a href="/politics">Politics</a></nav>
<article><h1>CSTO leaders meet in Yerevan</h1>
<div class="social-share"><a href="#">Share</a></div>
<p>The Collective Security Council of the Collective Security Treaty
Organization (CSTO) met in Yerevan today. Prime Minister of Armenia Nikol
Pashinyan chaired the session, attended by President of Russia Vladimir
Putin and President of Kazakhstan Kassym-Jomart Tokayev.</p>
</article>
<aside class="related"><p>Earlier: a summit in Minsk on November 30, 2017.</p></aside>
<footer>All rights reserved.</footer>
</body></html>)";

class IngestPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/communique_page_test_XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto gazetteer = gazetteer::Gazetteer::LoadDefault();
    ASSERT_OK(gazetteer.status());
    auto extractor = extract::Extractor::Create(*gazetteer);
    ASSERT_OK(extractor.status());
    extractor_ = *std::move(extractor);
    auto store = store::OpenIngestStore(dir_, {});
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    pipeline_ =
        std::make_unique<IngestPipeline>(store_.get(), extractor_.get());
  }
  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static v1::ArticleInput Page(std::string html, std::string id = "") {
    v1::ArticleInput input;
    input.set_html(std::move(html));
    input.set_content_type("text/html; charset=utf-8");
    input.set_external_id(std::move(id));
    return input;
  }

  std::string dir_;
  std::unique_ptr<extract::Extractor> extractor_;
  std::unique_ptr<store::IngestStore> store_;
  std::unique_ptr<IngestPipeline> pipeline_;
};

TEST_F(IngestPageTest, PageIsConvertedAndItsMetadataFillsTheArticle) {
  ASSERT_OK_AND_ASSIGN(v1::IngestArticleResponse response,
                       pipeline_->Ingest(Page(kPage, "wire-7")));
  EXPECT_EQ(response.outcome(), v1::INGEST_OUTCOME_CREATED);
  ASSERT_EQ(response.affected_summits_size(), 1);
  // "today" is the day the markup gives.
  EXPECT_THAT(response.affected_summits(0), HasSubstr("2022-11-23"));

  ASSERT_OK_AND_ASSIGN(auto article, store_->GetArticle("articles/wire-7"));
  ASSERT_TRUE(article.has_value());
  EXPECT_EQ(article->title(), "CSTO leaders meet in Yerevan");
  EXPECT_EQ(article->publisher(), "Example Wire");
  EXPECT_EQ(article->source_url(), "https://wire.example.am/news/csto-yerevan");
  EXPECT_EQ(TimeUtil::ToString(article->published()), "2022-11-23T14:00:00Z");
  EXPECT_EQ(article->extractor_version(),
            absl::StrCat(extract::kExtractorVersion, "+",
                         html::kConverterVersion));
  // The text is the converted page: headline first, no clutter.
  EXPECT_THAT(article->text(),
              StartsWith("CSTO leaders meet in Yerevan\n\nThe Collective"));
  EXPECT_THAT(article->text(), Not(HasSubstr("Minsk")));
  EXPECT_THAT(article->text(), Not(HasSubstr("Share")));
  // The raw page is stored beside it.
  ASSERT_OK_AND_ASSIGN(auto page, store_->GetArticlePage("articles/wire-7"));
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->html(), kPage);
  EXPECT_EQ(page->content_type(), "text/html; charset=utf-8");
  EXPECT_TRUE(page->title().empty());  // what the caller gave

  // The same page again changes nothing.
  ASSERT_OK_AND_ASSIGN(v1::IngestArticleResponse again,
                       pipeline_->Ingest(Page(kPage, "wire-7")));
  EXPECT_EQ(again.outcome(), v1::INGEST_OUTCOME_UNCHANGED);
}

TEST_F(IngestPageTest, CallerMetadataWinsOverThePage) {
  v1::ArticleInput input = Page(kPage, "wire-8");
  input.set_title("Caller's title");
  input.set_publisher("Caller's outlet");
  *input.mutable_published() = TimeUtil::SecondsToTimestamp(1669248000);
  ASSERT_OK_AND_ASSIGN(v1::ParseArticleResponse parsed,
                       pipeline_->Parse(input));
  EXPECT_EQ(parsed.article().title(), "Caller's title");
  EXPECT_EQ(parsed.article().publisher(), "Caller's outlet");
  EXPECT_EQ(parsed.article().source_url(),
            "https://wire.example.am/news/csto-yerevan");
  // 1669248000 is 2022-11-24: "today" follows the caller's date.
  ASSERT_EQ(parsed.extraction().summits_size(), 1);
  EXPECT_EQ(parsed.extraction().summits(0).date().day(), 24);
  EXPECT_EQ(store_->notifier().head(), 0u);  // Parse stores nothing
}

TEST_F(IngestPageTest, PageWithoutBodyIsRejectedNamingTheFieldAndNothingStored) {
  EXPECT_THAT(
      pipeline_->Ingest(Page("<html><head><title>Cookies</title></head><body>"
                             "<nav><a href='/'>Home</a></nav><div "
                             "class='cookie-consent'>We use cookies to "
                             "improve your experience.</div></body></html>")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("article.html: no article body found")));
  v1::ArticleInput both = Page(kPage);
  both.set_text("and text");
  EXPECT_THAT(pipeline_->Ingest(both),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("article.text: give either text or html")));
  EXPECT_EQ(store_->notifier().head(), 0u);
  ASSERT_OK_AND_ASSIGN(auto listed, store_->ListArticles(10, ""));
  EXPECT_THAT(listed.items, IsEmpty());
}

TEST_F(IngestPageTest, ReprocessConvertsThePageAgainAndKeepsIt) {
  ASSERT_OK(pipeline_->Ingest(Page(kPage, "wire-9")).status());
  ReprocessRequest all;
  all.page_size = 10;
  ASSERT_OK_AND_ASSIGN(ReprocessResult result, pipeline_->Reprocess(all));
  EXPECT_EQ(result.response.articles_examined(), 1);
  EXPECT_EQ(result.response.articles_unchanged(), 1);
  ReprocessRequest outdated = all;
  outdated.only_outdated = true;
  ASSERT_OK_AND_ASSIGN(result, pipeline_->Reprocess(outdated));
  EXPECT_EQ(result.response.articles_skipped(), 1);
  ASSERT_OK_AND_ASSIGN(auto page, store_->GetArticlePage("articles/wire-9"));
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->html(), kPage);

  // A text ingest under the same id replaces the page.
  v1::ArticleInput text;
  text.set_text("The CSTO Collective Security Council met in Minsk on "
                "November 23, 2023.");
  text.set_external_id("wire-9");
  ASSERT_OK(pipeline_->Ingest(text).status());
  ASSERT_OK_AND_ASSIGN(page, store_->GetArticlePage("articles/wire-9"));
  EXPECT_FALSE(page.has_value());
}

}  // namespace
}  // namespace communique::ingest
