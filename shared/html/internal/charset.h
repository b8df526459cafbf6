// Internal to shared/html: which charset a fetched page is in (HTTP
// Content-Type, byte-order mark, <meta charset> / http-equiv, in that order)
// and its conversion to UTF-8 with ICU. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace communique::html::internal {

// Where the charset of a page came from.
enum class CharsetSource {
  kHttpHeader,  // the charset parameter of the Content-Type
  kByteOrderMark,
  kMeta,        // <meta charset> or <meta http-equiv=Content-Type content=...>
  kDefault,     // nothing declared: UTF-8 when the bytes are valid UTF-8,
                // else windows-1252 (what browsers assume)
};

// The charset parameter of an HTTP Content-Type value
// ("text/html; charset=\"KOI8-R\"" -> "KOI8-R"); empty when there is none.
std::string CharsetFromContentType(absl::string_view content_type);

// The charset a <meta> element declares in the first `limit` bytes of
// `bytes`, found with the HTML standard's byte-stream prescan (a small
// tokenizer over tags and attributes that skips comments, not a pattern
// match); empty when none does.
std::string PrescanMetaCharset(absl::string_view bytes, size_t limit = 4096);

// A page decoded to UTF-8.
struct DecodedPage {
  // The page as UTF-8; undecodable bytes became U+FFFD, NUL bytes spaces.
  // The input bytes themselves when they were UTF-8 already (no copy),
  // else `storage`; valid while both live.
  absl::string_view utf8() const { return owned ? storage : borrowed; }
  std::string storage;
  bool owned = false;
  absl::string_view borrowed;
  // The ICU name of the charset used ("UTF-8", "windows-1251", ...).
  std::string charset;
  CharsetSource source = CharsetSource::kDefault;
  // Human-readable notes, each with a kind: "charset" (an unknown declared
  // charset, a guess) or "undecodable" (with the offset of the first bad
  // byte and the count), "nul" (NUL bytes).
  std::vector<std::pair<std::string, std::string>> notes;
};

// Decodes `bytes` with the charset found as described above. Never fails
// on bad bytes (they are replaced and noted); INTERNAL only when ICU
// itself fails to open a converter it listed.
absl::StatusOr<DecodedPage> DecodePage(absl::string_view bytes,
                                       absl::string_view content_type);

}  // namespace communique::html::internal
