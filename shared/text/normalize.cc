#include "shared/text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/errorcode.h>
#include <unicode/normalizer2.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "shared/text/utf8.h"

namespace communique::text {
namespace {

bool IsOddSpace(char32_t c) {
  return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0x0085;
}

bool IsRemovable(char32_t c) {
  return c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0x00AD;
}

// Line ends, controls and spaces; the input is well-formed UTF-8.
std::string CleanCharacters(absl::string_view raw, bool* has_non_ascii) {
  std::string out;
  out.reserve(raw.size());
  *has_non_ascii = false;
  for (size_t i = 0; i < raw.size();) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c < 0x80) {
      if (c == '\r') {
        out.push_back('\n');
        if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      } else if (c == '\n' || c == '\t') {
        out.push_back(static_cast<char>(c));
      } else if (c < 0x20 || c == 0x7F) {
        out.push_back(' ');
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    size_t len;
    char32_t cp = DecodeUtf8(raw, i, &len);
    if ((cp >= 0x80 && cp <= 0x9F && cp != 0x85) || IsOddSpace(cp)) {
      out.push_back(' ');
    } else if (cp == 0x2028 || cp == 0x2029) {
      out.push_back('\n');
    } else if (IsRemovable(cp)) {
      // dropped
    } else {
      *has_non_ascii = true;
      out.append(raw.data() + i, len);
    }
    i += len;
  }
  return out;
}

std::string TrimLineEnds(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t line_start = 0;
  while (line_start <= text.size()) {
    size_t nl = text.find('\n', line_start);
    size_t line_end = nl == absl::string_view::npos ? text.size() : nl;
    size_t e = line_end;
    while (e > line_start && (text[e - 1] == ' ' || text[e - 1] == '\t')) --e;
    out.append(text.data() + line_start, e - line_start);
    if (nl == absl::string_view::npos) break;
    out.push_back('\n');
    line_start = nl + 1;
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> NormalizeArticleText(absl::string_view raw) {
  size_t bad = FindInvalidUtf8(raw);
  if (bad != raw.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("text is not valid UTF-8 at byte ", bad));
  }
  bool has_non_ascii = false;
  std::string cleaned = CleanCharacters(raw, &has_non_ascii);
  if (has_non_ascii) {
    UErrorCode error = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
    if (U_FAILURE(error)) {
      return absl::InternalError(
          absl::StrCat("icu nfc normaliser unavailable: ", u_errorName(error)));
    }
    std::string normalized;
    normalized.reserve(cleaned.size());
    icu::StringByteSink<std::string> sink(&normalized);
    nfc->normalizeUTF8(0, icu::StringPiece(cleaned.data(),
                                           static_cast<int32_t>(cleaned.size())),
                       sink, nullptr, error);
    if (U_FAILURE(error)) {
      return absl::InternalError(
          absl::StrCat("icu nfc normalisation failed: ", u_errorName(error)));
    }
    cleaned = std::move(normalized);
  }
  return TrimLineEnds(cleaned);
}

}  // namespace communique::text
