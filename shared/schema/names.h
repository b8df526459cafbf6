// Resource names (AIP-122) and the deterministic, readable ids inside them.
// Used by extract (provisional names), merge (canonical names), store (keys)
// and the services (request validation). Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "communique/v1/common.pb.h"

namespace communique::schema {

// Lowercase ASCII slug: letters and digits kept (Latin letters with
// diacritics folded to ASCII), every other run of characters becomes one
// '-', no leading/trailing '-', at most `max_length` bytes (cut at a '-'
// when possible). "Nur-Sultan" -> "nur-sultan", "Minsk 2023" -> "minsk-2023".
std::string Slugify(absl::string_view text, size_t max_length = 63);

// Id of a summit: "{org}-{yyyy}[-{mm}[-{dd}]][-{city}]", e.g.
// "csto-2024-11-28-astana", "csto-2020" (date parts as far as known).
// Without a year: "{org}-undated[-{city}]".
std::string SummitId(absl::string_view organization,
                     const v1::PartialDate& date, absl::string_view city);

// "summits/{summit_id}".
std::string SummitName(absl::string_view summit_id);
// "summits/{summit_id}/declarations/{declaration_id}".
std::string DeclarationName(absl::string_view summit_name,
                            absl::string_view declaration_id);
// "summits/{summit_id}/initiatives/{initiative_id}".
std::string InitiativeName(absl::string_view summit_name,
                           absl::string_view initiative_id);
// "articles/{article_id}".
std::string ArticleName(absl::string_view article_id);

// Id of an article: Slugify(external_id) when non-empty, else the first 16
// hex digits of `content_sha256`.
std::string ArticleId(absl::string_view external_id,
                      absl::string_view content_sha256);

// Lowercase hex SHA-256 of `bytes` (the article content hash).
std::string Sha256Hex(absl::string_view bytes);

// Parsed pieces of a resource name.
struct ParsedName {
  std::string summit_id;     // set for summits and their children
  std::string child_id;      // declaration / initiative id, else empty
  std::string article_id;    // set for articles
};

// Validates and splits names. INVALID_ARGUMENT naming `field` when the name
// is empty, has the wrong collection, an empty or non-slug id, or is longer
// than 256 bytes.
absl::StatusOr<ParsedName> ParseSummitName(absl::string_view name,
                                           absl::string_view field);
absl::StatusOr<ParsedName> ParseDeclarationName(absl::string_view name,
                                                absl::string_view field);
absl::StatusOr<ParsedName> ParseInitiativeName(absl::string_view name,
                                               absl::string_view field);
absl::StatusOr<ParsedName> ParseArticleName(absl::string_view name,
                                            absl::string_view field);

// Formats a partial date as "YYYY", "YYYY-MM" or "YYYY-MM-DD"; "" if the
// year is 0.
std::string FormatPartialDate(const v1::PartialDate& date);

}  // namespace communique::schema
