// Request validation shared by the services and the CLI: article inputs,
// page sizes and opaque page tokens. Messages name the offending field.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include <vector>

#include "communique/v1/common.pb.h"
#include "communique/v1/ingest_service.pb.h"
#include "communique/v1/query_service.pb.h"
#include "shared/schema/errors.h"

namespace communique::schema {

// Largest accepted article text, in bytes (before normalisation).
inline constexpr size_t kMaxArticleBytes = 1 << 20;
// Largest accepted page (ArticleInput.html), in bytes as served; the same
// as html::kMaxPageBytes (checked by the ingest pipeline's test).
inline constexpr size_t kMaxPageBytes = 8 << 20;
// Default and largest page sizes (AIP-158).
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// Checks an article before anything is stored. INVALID_ARGUMENT naming
// the field (`{prefix}.text`, ...) when the text is empty or blank, over
// kMaxArticleBytes, not valid UTF-8 (text::FindInvalidUtf8, whose offset the
// message names), or a metadata field is over its limit; for a page (`html`
// set): when `text` is set too, or `html` is over kMaxPageBytes
// (`{prefix}.html`). `content_type` only goes with `html`. A page's
// converted text is checked again by the caller, as text.
absl::Status ValidateArticleInput(const v1::ArticleInput& input,
                                  absl::string_view prefix = "article");

// Returns the effective page size: 0 -> kDefaultPageSize, larger than
// kMaxPageSize -> kMaxPageSize. INVALID_ARGUMENT naming `field` if < 0.
absl::StatusOr<int> EffectivePageSize(int32_t page_size,
                                      absl::string_view field = "page_size");

// A decoded page token: where the previous page stopped, bound to the
// request that produced it.
struct PageToken {
  // Stable fingerprint of the request's filter and order (see
  // Fingerprint); a token presented with another filter is rejected.
  uint64_t request_fingerprint = 0;
  // Opaque resume position (a store key); the next page starts after it.
  std::string resume_after;
};

// Stable 64-bit fingerprint (FNV-1a) of bytes, the same in every process
// and replica, so a token from one replica works on another.
uint64_t Fingerprint(absl::string_view bytes);

// Longest resume position a page token carries. Store keys are built from
// resource names (at most 256 bytes), so real positions stay well below.
inline constexpr size_t kMaxPageTokenResumeBytes = 1024;

// Encodes a token as URL-safe base64 (no padding). `resume_after` must be
// at most kMaxPageTokenResumeBytes (an invariant of the stores' keys; a
// longer one is a bug and aborts). Every token it returns decodes back to
// the same fingerprint and resume position; an empty position means "from
// the start", like no token.
std::string EncodePageToken(const PageToken& token);

// Decodes `token`: accepts exactly what EncodePageToken produces.
// INVALID_ARGUMENT naming `field` if it is malformed, its resume position
// is over kMaxPageTokenResumeBytes, or it was issued for another request
// (fingerprint mismatch).
absl::StatusOr<PageToken> DecodePageToken(absl::string_view token,
                                          uint64_t request_fingerprint,
                                          absl::string_view field =
                                              "page_token");

// Limits of a free-text filter.
inline constexpr size_t kMaxSearchTextBytes = 256;
inline constexpr size_t kMaxSearchTextWords = 8;

// Checks year filters named `{prefix}year`, `{prefix}min_year`,
// `{prefix}max_year`: each 0 (unset) or in 1-9999, and min_year not after
// max_year. Adds one violation per problem to `violations`.
void CheckYearRange(int32_t year, int32_t min_year, int32_t max_year,
                    absl::string_view prefix, FieldViolations* violations);

// Checks an optional date bound named `field`: unset (year 0 and nothing
// else), or year 1-9999, month 0-12, day 0-31, and no day without a month.
void CheckDateBound(const v1::PartialDate& date, absl::string_view field,
                    FieldViolations* violations);

// Checks a free-text filter named `field` and returns its search words
// (see search.h). Empty text -> no words, no violation. Over
// kMaxSearchTextBytes, invalid UTF-8, more than kMaxSearchTextWords words,
// or no searchable word at all adds a violation.
std::vector<std::string> CheckSearchText(absl::string_view text,
                                         absl::string_view field,
                                         FieldViolations* violations);

// Checks a plain string filter named `field`: at most 256 bytes of valid
// UTF-8.
void CheckFilterString(absl::string_view value, absl::string_view field,
                       FieldViolations* violations);

// Checks a ListSummits / WatchSummits filter whose fields are named
// `{prefix}{field}` ("filter."): years, date bounds (start not after end),
// a known format, text, and string lengths. Adds every violation.
void CheckSummitFilter(const v1::SummitFilter& filter,
                       absl::string_view prefix, FieldViolations* violations);

}  // namespace communique::schema
