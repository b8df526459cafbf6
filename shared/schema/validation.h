// Request validation shared by the services and the CLI: article inputs,
// page sizes and opaque page tokens. Messages name the offending field.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "communique/v1/ingest_service.pb.h"

namespace communique::schema {

// Largest accepted article text, in bytes (before normalisation).
inline constexpr size_t kMaxArticleBytes = 1 << 20;
// Default and largest page sizes (AIP-158).
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// Returns the byte offset of the first invalid UTF-8 sequence in `text`,
// or -1 when it is all valid (overlong forms and surrogates are invalid).
int64_t FindInvalidUtf8(absl::string_view text);

// Checks an article before anything is stored. INVALID_ARGUMENT naming
// the field (`{prefix}.text`, ...) when the text is empty or blank, over
// kMaxArticleBytes, not valid UTF-8, or a metadata field is over its limit.
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

// Encodes a token as URL-safe base64 (no padding).
std::string EncodePageToken(const PageToken& token);

// Decodes `token`. INVALID_ARGUMENT naming `field` if it is malformed or
// was issued for another request (fingerprint mismatch).
absl::StatusOr<PageToken> DecodePageToken(absl::string_view token,
                                          uint64_t request_fingerprint,
                                          absl::string_view field =
                                              "page_token");

}  // namespace communique::schema
