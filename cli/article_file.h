// Article files for `communique parse` and `communique ingest`: a file is a
// page (.html / .htm, or any file whose bytes start like an HTML document)
// or plain text. Pages are sent as ArticleInput.html and, offline, converted
// exactly as the ingest service converts them (html::ArticleFromPage).
// Kept apart from main.cc so the command code stays small.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "communique/v1/ingest_service.pb.h"

namespace communique::cli {

// Whether a directory entry is an article file: *.txt, *.html or *.htm.
bool IsArticleFileName(const std::filesystem::path& path);

// Reads `path` into an ArticleInput: `html` for a page (by extension or by
// its first bytes), else `text`; external_id is the file's stem.
// NOT_FOUND when it cannot be read.
absl::StatusOr<v1::ArticleInput> LoadArticleFile(const std::string& path);

// What `communique parse` extracts from, offline.
struct OfflineArticle {
  // NormalizeArticleText output (of the page's converted text for a page).
  std::string text;
  // Publication day hint for the extractor: the page's own day; none for
  // text (its ` date YYYY-MM-DD` line is read by the extractor itself).
  std::optional<absl::CivilDay> published;
};

// Validates, converts (a page) and normalises, as the ingest service does.
// INVALID_ARGUMENT naming the field (article.text / article.html).
absl::StatusOr<OfflineArticle> PrepareOffline(const v1::ArticleInput& input);

}  // namespace communique::cli
