#include "shared/article/prepare.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "shared/schema/names.h"
#include "shared/schema/validation.h"
#include "shared/status/status_macros.h"
#include "shared/text/normalize.h"

namespace communique::article {

absl::StatusOr<v1::ParseArticleResponse> PrepareArticle(
    const v1::ArticleInput& input, const extract::Extractor& extractor) {
  RETURN_IF_ERROR(schema::ValidateArticleInput(input, "article"));
  absl::StatusOr<std::string> normalized =
      text::NormalizeArticleText(input.text());
  if (!normalized.ok()) {
    return absl::Status(
        normalized.status().code(),
        absl::StrCat("article.text: ", normalized.status().message()));
  }
  v1::ParseArticleResponse out;
  v1::Article& article = *out.mutable_article();
  article.set_content_sha256(schema::Sha256Hex(*normalized));
  article.set_name(schema::ArticleName(
      schema::ArticleId(input.external_id(), article.content_sha256())));
  article.set_external_id(input.external_id());
  article.set_source_url(input.source_url());
  article.set_publisher(input.publisher());
  article.set_title(input.title());
  if (input.has_published()) *article.mutable_published() = input.published();
  article.set_extractor_version(extract::kExtractorVersion);

  extract::ArticleContext context;
  context.article_name = article.name();
  if (input.has_published()) {
    context.published =
        absl::ToCivilDay(absl::FromUnixSeconds(input.published().seconds()),
                         absl::UTCTimeZone());
  }
  *out.mutable_extraction() = extractor.Extract(*normalized, context);
  *article.mutable_warnings() = out.extraction().warnings();
  article.set_text(*std::move(normalized));
  return out;
}

}  // namespace communique::article
