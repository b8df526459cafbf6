// Preparation of one article: validate -> normalise -> extract. The ingest
// pipeline runs it before it merges and stores an article; the CLI's
// offline `parse` runs the same function, so both give an article the same
// name, text and extraction. Pure: no I/O, no clock, no store.
#pragma once

#include "absl/status/statusor.h"
#include "communique/v1/ingest_service.pb.h"
#include "shared/extract/extractor.h"

namespace communique::article {

// Validates `input` (field paths start with "article."), normalises its
// text and extracts it with `extractor`. On success returns the Article
// (name "articles/{external_id or hash}-..." from the external id and the
// SHA-256 of the normalised text, normalised text, metadata copied from the
// input, extractor_version, warnings) and its ArticleExtraction;
// ingest_time is left unset (the caller owns the clock).
// INVALID_ARGUMENT naming the field for bad input (empty text, text over
// 1 MiB, invalid UTF-8, bad metadata). Thread-safe; `extractor` is not
// owned and only read.
absl::StatusOr<v1::ParseArticleResponse> PrepareArticle(
    const v1::ArticleInput& input, const extract::Extractor& extractor);

}  // namespace communique::article
