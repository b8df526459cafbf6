// An API article input that arrived as a page (ArticleInput.html) turned
// into the plain-text input the rest of the pipeline knows: the converted
// text, and the title, publication time, source URL and publisher filled
// from the page where the caller left them empty. Shared by the ingest
// pipeline (IngestArticle, ParseArticle, Reprocess) and the CLI's offline
// parse, so both read a page the same way. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "communique/v1/article.pb.h"
#include "communique/v1/ingest_service.pb.h"

namespace communique::html {

struct PageArticle {
  // `input` with `text` set to the page's text, `html` and `content_type`
  // cleared, and empty title / source_url / publisher / published filled
  // from the page's metadata.
  v1::ArticleInput input;
  // The publication day extraction should use: the caller's `published`
  // (its UTC day) when given, else the day the page states (in the page's
  // own offset), else none.
  std::optional<absl::CivilDay> published_day;
  // The converter's warnings (kinds "html_...").
  std::vector<v1::Warning> warnings;
  // Language and charset, for callers that show them.
  std::string language;
  std::string charset;
};

// Converts `input.html()` (with `input.content_type()`). INVALID_ARGUMENT
// naming `{prefix}.html` when the page is empty, too large, unparseable or
// has no article body (see ConvertPage).
absl::StatusOr<PageArticle> ArticleFromPage(const v1::ArticleInput& input,
                                            absl::string_view prefix =
                                                "article");

// The version stored on an article: the extractor's, joined by the
// converter's for articles that came as pages ("0.1.0+html-1"), so that a
// converter upgrade makes them outdated for Reprocess too.
std::string ArticleVersion(absl::string_view extractor_version, bool page);

}  // namespace communique::html
