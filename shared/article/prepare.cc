#include "shared/article/prepare.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "shared/html/article_page.h"
#include "shared/schema/names.h"
#include "shared/schema/validation.h"
#include "shared/status/status_macros.h"
#include "shared/text/normalize.h"

namespace communique::article {

absl::StatusOr<v1::ParseArticleResponse> PrepareArticle(
    const v1::ArticleInput& input, const extract::Extractor& extractor,
    absl::string_view name) {
  RETURN_IF_ERROR(schema::ValidateArticleInput(input, "article"));
  const v1::ArticleInput* source = &input;
  std::optional<html::PageArticle> page;
  if (!input.html().empty()) {
    absl::StatusOr<html::PageArticle> converted =
        html::ArticleFromPage(input, "article");
    if (!converted.ok()) return converted.status();
    page = *std::move(converted);
    source = &page->input;
    // The converted text meets the limits of text; a failure here is the
    // page's, so it names the page.
    absl::Status valid = schema::ValidateArticleInput(*source, "article");
    if (!valid.ok()) {
      return absl::Status(valid.code(), absl::StrCat("article.html: converted ",
                                                     valid.message()));
    }
  }
  absl::StatusOr<std::string> normalized =
      text::NormalizeArticleText(source->text());
  if (!normalized.ok()) {
    return absl::Status(
        normalized.status().code(),
        absl::StrCat(page ? "article.html: " : "article.text: ",
                     normalized.status().message()));
  }
  v1::ParseArticleResponse out;
  v1::Article& article = *out.mutable_article();
  article.set_content_sha256(schema::Sha256Hex(*normalized));
  article.set_name(name.empty()
                       ? schema::ArticleName(schema::ArticleId(
                             source->external_id(), article.content_sha256()))
                       : std::string(name));
  article.set_external_id(source->external_id());
  article.set_source_url(source->source_url());
  article.set_publisher(source->publisher());
  article.set_title(source->title());
  if (source->has_published()) {
    *article.mutable_published() = source->published();
  }
  article.set_extractor_version(
      html::ArticleVersion(extract::kExtractorVersion, page.has_value()));

  extract::ArticleContext context;
  context.article_name = article.name();
  if (page.has_value()) {
    // The page's own day (in its UTC offset), or the caller's UTC day.
    context.published = page->published_day;
  } else if (input.has_published()) {
    context.published =
        absl::ToCivilDay(absl::FromUnixSeconds(input.published().seconds()),
                         absl::UTCTimeZone());
  }
  *out.mutable_extraction() = extractor.Extract(*normalized, context);
  *article.mutable_warnings() = out.extraction().warnings();
  if (page.has_value()) {
    for (v1::Warning& warning : page->warnings) {
      *article.add_warnings() = std::move(warning);
    }
  }
  article.set_text(*std::move(normalized));
  return out;
}

}  // namespace communique::article
