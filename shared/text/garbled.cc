#include "shared/text/garbled.h"

#include <unicode/uscript.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "shared/text/utf8.h"

namespace communique::text {
namespace {

// Groups scripts that legitimately mix inside one word.
int ScriptGroup(char32_t c) {
  UErrorCode error = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &error);
  if (U_FAILURE(error)) return -1;
  switch (script) {
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
    case USCRIPT_UNKNOWN:
      return -1;
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
      return USCRIPT_HAN;
    default:
      return script;
  }
}

}  // namespace

std::vector<Span> FindGarbledSpans(absl::string_view text) {
  std::vector<Span> out;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // Pure-ASCII words cannot mix scripts: skip to the next non-ASCII byte
    // (eight bytes at a time), then back to the start of its word.
    size_t q = i;
    while (q + 8 <= n) {
      uint64_t chunk;
      std::memcpy(&chunk, text.data() + q, 8);
      if (chunk & 0x8080808080808080ull) break;
      q += 8;
    }
    while (q < n && static_cast<unsigned char>(text[q]) < 0x80) ++q;
    if (q == n) break;
    while (q > i && IsAsciiAlnum(text[q - 1])) --q;
    i = q;
    size_t start = i;
    bool has_non_ascii = false;
    while (i < n) {
      unsigned char b = static_cast<unsigned char>(text[i]);
      if (b < 0x80) {
        if (!IsAsciiAlnum(static_cast<char>(b))) break;
        ++i;
        continue;
      }
      size_t len;
      char32_t cp = DecodeUtf8(text, i, &len);
      if (!IsWordCodePoint(cp)) break;
      has_non_ascii = true;
      i += len;
    }
    if (i == start) {
      // A non-word, non-ASCII code point.
      size_t len;
      DecodeUtf8(text, i, &len);
      i += len;
      continue;
    }
    if (!has_non_ascii) continue;
    int first = -1;
    bool mixed = false;
    for (size_t k = start; k < i && !mixed;) {
      size_t len;
      char32_t cp = DecodeUtf8(text, k, &len);
      k += len;
      int group = ScriptGroup(cp);
      if (group < 0) continue;
      if (first < 0) {
        first = group;
      } else if (group != first) {
        mixed = true;
      }
    }
    if (mixed) out.push_back({start, i});
  }
  return out;
}

}  // namespace communique::text
