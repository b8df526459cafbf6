#include "shared/schema/validation.h"

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::schema {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;

v1::ArticleInput Input(std::string text) {
  v1::ArticleInput input;
  input.set_text(std::move(text));
  return input;
}

TEST(ValidateArticleInputTest, AcceptsOrdinaryText) {
  EXPECT_OK(ValidateArticleInput(Input("Leaders met in Astana.")));
}

TEST(ValidateArticleInputTest, RejectsEmptyBlankHugeAndInvalidText) {
  EXPECT_THAT(ValidateArticleInput(Input("")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("article.text: required")));
  EXPECT_THAT(ValidateArticleInput(Input(" \n\t ")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("article.text")));
  EXPECT_THAT(ValidateArticleInput(Input(std::string(kMaxArticleBytes + 1, 'a'))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("exceeds the limit")));
  EXPECT_THAT(ValidateArticleInput(Input("ok \xC3\x28 bad")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not valid UTF-8 at byte 3")));
}

TEST(ValidateArticleInputTest, PageInsteadOfText) {
  v1::ArticleInput page;
  page.set_html("<html><body><p>A page.</p></body></html>");
  page.set_content_type("text/html; charset=utf-8");
  EXPECT_OK(ValidateArticleInput(page));
  v1::ArticleInput both = page;
  both.set_text("text too");
  EXPECT_THAT(ValidateArticleInput(both),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("article.text: give either text or html")));
  v1::ArticleInput huge;
  huge.set_html(std::string(kMaxPageBytes + 1, '<'));
  EXPECT_THAT(ValidateArticleInput(huge),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("article.html")));
  v1::ArticleInput stray = Input("text");
  stray.set_content_type("text/html");
  EXPECT_THAT(ValidateArticleInput(stray),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("article.content_type: only with")));
}

TEST(ValidateArticleInputTest, NamesTheMetadataField) {
  v1::ArticleInput input = Input("text");
  input.set_external_id(std::string(300, 'x'));
  EXPECT_THAT(ValidateArticleInput(input),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("article.external_id")));
}

TEST(PageSizeTest, DefaultsClampsAndRejectsNegative) {
  EXPECT_EQ(*EffectivePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*EffectivePageSize(7), 7);
  EXPECT_EQ(*EffectivePageSize(5000), kMaxPageSize);
  EXPECT_THAT(EffectivePageSize(-1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("page_size")));
}

TEST(PageTokenTest, RoundTripsAndIsBoundToTheRequest) {
  PageToken token{Fingerprint("filter-a"), std::string("key\0with\xFF", 9)};
  std::string encoded = EncodePageToken(token);
  ASSERT_OK_AND_ASSIGN(PageToken back,
                       DecodePageToken(encoded, Fingerprint("filter-a")));
  EXPECT_EQ(back.resume_after, token.resume_after);
  EXPECT_THAT(DecodePageToken(encoded, Fingerprint("filter-b")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("different filter")));
  EXPECT_THAT(DecodePageToken("not*base64", 1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("page_token: malformed")));
  EXPECT_THAT(DecodePageToken("", 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PageTokenTest, DecodesEveryTokenItEncodes) {
  const uint64_t fingerprint = Fingerprint("filter");
  // Empty (from the start), short, binary and the longest position.
  for (const std::string& resume :
       {std::string(), std::string("k"), std::string("\0\xFF\x80", 3),
        std::string(kMaxPageTokenResumeBytes - 1, 'x'),
        std::string(kMaxPageTokenResumeBytes, '\xFE')}) {
    SCOPED_TRACE(resume.size());
    ASSERT_OK_AND_ASSIGN(
        PageToken back,
        DecodePageToken(EncodePageToken({fingerprint, resume}), fingerprint));
    EXPECT_EQ(back.request_fingerprint, fingerprint);
    EXPECT_EQ(back.resume_after, resume);
  }
}

TEST(PageTokenTest, RejectsPositionsLongerThanEncodeAllows) {
  // A well-formed token one byte over the limit, built by hand.
  std::string raw(1, '\x01');
  raw.append(8, '\0');
  raw.append(kMaxPageTokenResumeBytes + 1, 'x');
  EXPECT_THAT(DecodePageToken(absl::WebSafeBase64Escape(raw), 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("page_token: malformed")));
  EXPECT_DEATH(EncodePageToken(
                   {0, std::string(kMaxPageTokenResumeBytes + 1, 'x')}),
               "invariant violated");
}

}  // namespace
}  // namespace communique::schema
