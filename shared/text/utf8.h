// Small UTF-8 helpers for the text, gazetteer, extract and schema libraries.
// FindInvalidUtf8 checks untrusted bytes; the others assume well-formed input
// (NormalizeArticleText output): malformed bytes decode as U+FFFD one byte at
// a time, so nothing here can read out of bounds. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace communique::text {

// Returns the offset of the first byte at which `text` stops being
// well-formed UTF-8 (overlong forms, surrogates and code points above
// U+10FFFF are ill-formed), or text.size() when all of it is well-formed.
// The one UTF-8 check of the project: request validation (shared/schema)
// and normalisation both call it.
size_t FindInvalidUtf8(absl::string_view text);

// Decodes the code point starting at `pos` (< text.size()); stores its
// length in bytes in `*length` (at least 1).
char32_t DecodeUtf8(absl::string_view text, size_t pos, size_t* length);

// Returns the start of the code point that ends just before `pos` (> 0).
size_t PreviousCodePointStart(absl::string_view text, size_t pos);

// True when the byte at `pos` starts a word character (ASCII fast path).
bool IsWordCharAt(absl::string_view text, size_t pos);
// True when the code point ending just before `pos` is a word character.
bool IsWordCharBefore(absl::string_view text, size_t pos);

inline bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlnum(char c) {
  return IsAsciiUpper(c) || IsAsciiLower(c) || IsAsciiDigit(c);
}

// IsWordCodePoint for c >= 0x80 (ICU).
bool IsNonAsciiWordCodePoint(char32_t c);
// True for letters, marks and digits (ICU u_isalnum / marks): characters
// that continue a word. ASCII is answered inline.
inline bool IsWordCodePoint(char32_t c) {
  return c < 0x80 ? IsAsciiAlnum(static_cast<char>(c))
                  : IsNonAsciiWordCodePoint(c);
}

}  // namespace communique::text
