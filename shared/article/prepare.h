// Preparation of one article: validate -> normalise -> extract. The ingest
// pipeline runs it before it merges and stores an article; the CLI's
// offline `parse` runs the same function, so both give an article the same
// name, text and extraction. Pure: no I/O, no clock, no store.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
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
//
// A page (`input.html` set) is converted first (html::ArticleFromPage): its
// text is extracted, its title, publication time, canonical URL and outlet
// fill the metadata the caller left empty, the page's own publication day
// dates the summit (as a ` date YYYY-MM-DD` line does), the converter's
// warnings join the article's, and extractor_version carries the
// converter's version ("0.1.0+html-1"). INVALID_ARGUMENT naming
// `article.html` when it has no detectable body or is over 8 MiB.
//
// `name`, when not empty, names the article instead (Reprocess keeps a
// stored page's name whatever its re-converted text hashes to).
absl::StatusOr<v1::ParseArticleResponse> PrepareArticle(
    const v1::ArticleInput& input, const extract::Extractor& extractor,
    absl::string_view name = "");

}  // namespace communique::article
