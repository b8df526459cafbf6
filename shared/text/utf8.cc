#include "shared/text/utf8.h"

#include <unicode/uchar.h>

namespace communique::text {

size_t FindInvalidUtf8(absl::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    char32_t min;
    char32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      min = 0x80;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      min = 0x10000;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return n;
}

char32_t DecodeUtf8(absl::string_view text, size_t pos, size_t* length) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  unsigned char c = s[pos];
  if (c < 0x80) {
    *length = 1;
    return c;
  }
  size_t len = 0;
  char32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    *length = 1;
    return 0xFFFD;
  }
  if (pos + len > n) {
    *length = 1;
    return 0xFFFD;
  }
  for (size_t i = 1; i < len; ++i) {
    unsigned char cc = s[pos + i];
    if ((cc & 0xC0) != 0x80) {
      *length = 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *length = len;
  return cp;
}

size_t PreviousCodePointStart(absl::string_view text, size_t pos) {
  size_t p = pos - 1;
  size_t steps = 0;
  while (p > 0 && steps < 3 &&
         (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) {
    --p;
    ++steps;
  }
  return p;
}

bool IsNonAsciiWordCodePoint(char32_t c) {
  if (c < 0x80) return IsAsciiAlnum(static_cast<char>(c));
  if (c == 0xFFFD) return false;
  return u_isalnum(static_cast<UChar32>(c)) ||
         (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0;
}

bool IsWordCharAt(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  unsigned char c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) return IsAsciiAlnum(static_cast<char>(c));
  size_t len;
  return IsWordCodePoint(DecodeUtf8(text, pos, &len));
}

bool IsWordCharBefore(absl::string_view text, size_t pos) {
  if (pos == 0 || pos > text.size()) return false;
  unsigned char c = static_cast<unsigned char>(text[pos - 1]);
  if (c < 0x80) return IsAsciiAlnum(static_cast<char>(c));
  size_t start = PreviousCodePointStart(text, pos);
  size_t len;
  return IsWordCodePoint(DecodeUtf8(text, start, &len));
}

}  // namespace communique::text
