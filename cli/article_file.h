// Article files for `communique parse` and `communique ingest`: a file is a
// page (.html / .htm, or any file whose bytes start like an HTML document)
// or plain text. Pages are sent as ArticleInput.html; offline `parse` hands
// them to article::PrepareArticle, which converts them as the ingest
// service does.
#pragma once

#include <filesystem>
#include <string>

#include "absl/status/statusor.h"
#include "communique/v1/ingest_service.pb.h"

namespace communique::cli {

// Whether a directory entry is an article file: *.txt, *.html or *.htm.
bool IsArticleFileName(const std::filesystem::path& path);

// Reads `path` into an ArticleInput: `html` for a page (by extension or by
// its first bytes), else `text`; external_id is the file's stem.
// NOT_FOUND when it cannot be read.
absl::StatusOr<v1::ArticleInput> LoadArticleFile(const std::string& path);

}  // namespace communique::cli
