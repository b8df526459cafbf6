#include "shared/html/internal/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shared/text/normalize.h"

namespace communique::html::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// The value after "charset" (and '=') in `s`, quoted or up to ';' or a
// space; empty when there is none. Shared by Content-Type values and the
// content attribute of http-equiv metas, which have the same shape.
std::string CharsetParameter(absl::string_view s) {
  const std::string lower = absl::AsciiStrToLower(s);
  size_t at = 0;
  while ((at = lower.find("charset", at)) != std::string::npos) {
    size_t i = at + 7;
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size() || s[i] != '=') {
      at += 7;
      continue;
    }
    ++i;
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size()) return "";
    if (s[i] == '"' || s[i] == '\'') {
      const char quote = s[i++];
      size_t end = s.find(quote, i);
      if (end == absl::string_view::npos) return "";
      return std::string(absl::StripAsciiWhitespace(s.substr(i, end - i)));
    }
    size_t end = i;
    while (end < s.size() && !IsSpace(s[end]) && s[end] != ';') ++end;
    return std::string(s.substr(i, end - i));
  }
  return "";
}

// The HTML standard's "get an attribute" step of the prescan: reads one
// attribute at `*pos`. False at '>' or the end (no more attributes).
bool NextAttribute(absl::string_view s, size_t* pos, std::string* name,
                   std::string* value);

// Skips one attribute at `*pos` without reading it (other tags than <meta>).
// False at '>' or the end.
bool SkipAttribute(absl::string_view s, size_t* pos) {
  size_t i = *pos;
  while (i < s.size() && (IsSpace(s[i]) || s[i] == '/')) ++i;
  if (i >= s.size() || s[i] == '>') {
    *pos = i;
    return false;
  }
  while (i < s.size() && s[i] != '=' && !IsSpace(s[i]) && s[i] != '/' &&
         s[i] != '>') {
    ++i;
  }
  while (i < s.size() && IsSpace(s[i])) ++i;
  if (i < s.size() && s[i] == '=') {
    ++i;
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
      size_t end = s.find(s[i], i + 1);
      i = end == absl::string_view::npos ? s.size() : end + 1;
    } else {
      while (i < s.size() && !IsSpace(s[i]) && s[i] != '>') ++i;
    }
  }
  *pos = i;
  return true;
}

bool NextAttribute(absl::string_view s, size_t* pos, std::string* name,
                   std::string* value) {
  size_t i = *pos;
  while (i < s.size() && (IsSpace(s[i]) || s[i] == '/')) ++i;
  if (i >= s.size() || s[i] == '>') {
    *pos = i;
    return false;
  }
  name->clear();
  value->clear();
  while (i < s.size() && s[i] != '=' && !IsSpace(s[i]) && s[i] != '/' &&
         s[i] != '>') {
    name->push_back(absl::ascii_tolower(static_cast<unsigned char>(s[i])));
    ++i;
  }
  while (i < s.size() && IsSpace(s[i])) ++i;
  if (i >= s.size() || s[i] != '=') {
    *pos = i;
    return true;
  }
  ++i;
  while (i < s.size() && IsSpace(s[i])) ++i;
  if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
    const char quote = s[i++];
    size_t end = s.find(quote, i);
    if (end == absl::string_view::npos) end = s.size();
    value->assign(s.data() + i, end - i);
    *pos = std::min(s.size(), end + 1);
    return true;
  }
  while (i < s.size() && !IsSpace(s[i]) && s[i] != '>') {
    value->push_back(s[i]);
    ++i;
  }
  *pos = i;
  return true;
}

bool StartsWithNoCase(absl::string_view s, size_t pos, absl::string_view p) {
  return s.size() - pos >= p.size() &&
         absl::EqualsIgnoreCase(s.substr(pos, p.size()), p);
}

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Labels browsers treat as another charset (the Encoding standard):
// pages declaring Latin-1 or ASCII are decoded as windows-1252, and a
// UTF-16 label inside ASCII-compatible bytes cannot be right.
std::string EffectiveLabel(absl::string_view label, bool from_meta) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(label));
  if (lower == "iso-8859-1" || lower == "latin1" || lower == "iso8859-1" ||
      lower == "us-ascii" || lower == "ascii" || lower == "x-user-defined" ||
      lower == "iso_8859-1") {
    return "windows-1252";
  }
  if (from_meta && absl::StartsWith(lower, "utf-16")) return "UTF-8";
  return lower;
}

bool IsUtf8Name(absl::string_view name) {
  std::string lower = absl::AsciiStrToLower(name);
  return lower == "utf-8" || lower == "utf8" || lower == "unicode-1-1-utf-8";
}

struct ErrorLog {
  const char* base = nullptr;
  size_t size = 0;
  size_t count = 0;
  size_t first_offset = 0;
};

// ICU to-Unicode callback: counts undecodable bytes, remembers where the
// first were, and substitutes U+FFFD as ICU's default callback does.
void OnUndecodable(const void* context, UConverterToUnicodeArgs* args,
                   const char* code_units, int32_t length,
                   UConverterCallbackReason reason, UErrorCode* error) {
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL ||
      reason == UCNV_IRREGULAR) {
    auto* log = static_cast<ErrorLog*>(const_cast<void*>(context));
    if (log->count == 0) {
      size_t after = static_cast<size_t>(args->source - log->base);
      size_t len = length > 0 ? static_cast<size_t>(length) : 0;
      log->first_offset = after >= len ? after - len : 0;
      if (log->first_offset > log->size) log->first_offset = log->size;
    }
    log->count += length > 0 ? static_cast<size_t>(length) : 1;
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason,
                                error);
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// UTF-16 to UTF-8; an unpaired surrogate becomes U+FFFD.
void Utf16ToUtf8(const UChar* s, size_t n, std::string* out) {
  out->reserve(out->size() + n + n / 2);
  for (size_t i = 0; i < n; ++i) {
    char32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF) {
      if (i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
        ++i;
      } else {
        c = 0xFFFD;
      }
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    AppendUtf8(c, out);
  }
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

ConverterPtr OpenConverter(const std::string& name) {
  if (name.empty()) return nullptr;
  UErrorCode error = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name.c_str(), &error));
  if (U_FAILURE(error)) return nullptr;
  return converter;
}

// Length of the well-formed UTF-8 sequence at `i` (a non-ASCII lead
// byte), or 0 when it is ill-formed (overlong, surrogate, > U+10FFFF,
// truncated), as text::FindInvalidUtf8 judges.
size_t SequenceLength(absl::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len;
  uint32_t cp, min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// The offset of the first ill-formed UTF-8 byte, or s.size(); ASCII runs
// are checked 8 bytes at a time (most of a page is ASCII markup).
size_t FindInvalidUtf8Fast(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (i + 8 <= s.size()) {
      uint64_t word;
      memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t len = SequenceLength(s, i);
    if (len == 0) return i;
    i += len;
  }
  return s.size();
}

}  // namespace

std::string CharsetFromContentType(absl::string_view content_type) {
  return CharsetParameter(content_type);
}

std::string PrescanMetaCharset(absl::string_view bytes, size_t limit) {
  const absl::string_view s = bytes.substr(0, std::min(limit, bytes.size()));
  size_t i = 0;
  std::string name, value;
  while (i < s.size()) {
    if (s[i] != '<') {
      size_t next = s.find('<', i + 1);
      if (next == absl::string_view::npos) break;
      i = next;
      continue;
    }
    if (StartsWithNoCase(s, i, "<!--")) {
      size_t end = s.find("-->", i + 4);
      if (end == absl::string_view::npos) break;
      i = end + 3;
      continue;
    }
    if (StartsWithNoCase(s, i, "<meta") && i + 5 < s.size() &&
        (IsSpace(s[i + 5]) || s[i + 5] == '/')) {
      i += 5;
      bool http_equiv_content_type = false;
      std::string content, charset;
      while (NextAttribute(s, &i, &name, &value)) {
        if (name == "http-equiv") {
          http_equiv_content_type = absl::EqualsIgnoreCase(
              absl::StripAsciiWhitespace(value), "content-type");
        } else if (name == "content" && content.empty()) {
          content = value;
        } else if (name == "charset" && charset.empty()) {
          charset = std::string(absl::StripAsciiWhitespace(value));
        }
      }
      if (!charset.empty()) return charset;
      if (http_equiv_content_type) {
        std::string declared = CharsetParameter(content);
        if (!declared.empty()) return declared;
      }
      continue;
    }
    if (i + 1 < s.size() &&
        (IsAsciiLetter(s[i + 1]) ||
         (s[i + 1] == '/' && i + 2 < s.size() && IsAsciiLetter(s[i + 2])))) {
      // Any other tag: skip its name and attributes (a quoted '>' inside
      // an attribute does not end it).
      ++i;
      while (i < s.size() && !IsSpace(s[i]) && s[i] != '>') ++i;
      while (SkipAttribute(s, &i)) {
      }
      if (i < s.size()) ++i;
      continue;
    }
    if (i + 1 < s.size() &&
        (s[i + 1] == '!' || s[i + 1] == '/' || s[i + 1] == '?')) {
      size_t end = s.find('>', i + 1);
      if (end == absl::string_view::npos) break;
      i = end + 1;
      continue;
    }
    ++i;
  }
  return "";
}

absl::StatusOr<DecodedPage> DecodePage(absl::string_view bytes,
                                       absl::string_view content_type) {
  DecodedPage page;
  std::string label;
  size_t skip = 0;  // byte-order mark length
  const std::string from_header = CharsetFromContentType(content_type);
  if (!from_header.empty()) {
    label = EffectiveLabel(from_header, /*from_meta=*/false);
    page.source = CharsetSource::kHttpHeader;
    if (!OpenConverter(label)) {
      page.notes.emplace_back(
          "charset", absl::StrCat("unknown charset \"", from_header,
                                  "\" in the content type; ignored"));
      label.clear();
    }
  }
  if (label.empty()) {
    if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) {
      label = "UTF-8";
      skip = 3;
      page.source = CharsetSource::kByteOrderMark;
    } else if (absl::StartsWith(bytes, "\xFF\xFE")) {
      label = "UTF-16LE";
      skip = 2;
      page.source = CharsetSource::kByteOrderMark;
    } else if (absl::StartsWith(bytes, "\xFE\xFF")) {
      label = "UTF-16BE";
      skip = 2;
      page.source = CharsetSource::kByteOrderMark;
    }
  } else if (IsUtf8Name(label) && absl::StartsWith(bytes, "\xEF\xBB\xBF")) {
    skip = 3;
  }
  if (label.empty()) {
    const std::string from_meta = PrescanMetaCharset(bytes);
    if (!from_meta.empty()) {
      label = EffectiveLabel(from_meta, /*from_meta=*/true);
      page.source = CharsetSource::kMeta;
      if (!OpenConverter(label)) {
        page.notes.emplace_back(
            "charset", absl::StrCat("unknown charset \"", from_meta,
                                    "\" in a <meta> element; ignored"));
        label.clear();
      }
    }
  }
  const absl::string_view body = bytes.substr(skip);
  if (label.empty()) {
    page.source = CharsetSource::kDefault;
    if (FindInvalidUtf8Fast(body) == body.size()) {
      label = "UTF-8";
    } else {
      label = "windows-1252";
      page.notes.emplace_back(
          "charset",
          "no charset declared and the bytes are not UTF-8; read as "
          "windows-1252");
    }
  }

  if (IsUtf8Name(label) && FindInvalidUtf8Fast(body) == body.size()) {
    page.charset = "UTF-8";
    page.borrowed = body;
  } else {
    ConverterPtr converter = OpenConverter(label);
    if (!converter) {
      return absl::InternalError(
          absl::StrCat("ICU cannot open the ", label, " converter"));
    }
    UErrorCode error = U_ZERO_ERROR;
    page.charset = ucnv_getName(converter.get(), &error);
    error = U_ZERO_ERROR;
    ErrorLog log;
    log.base = body.data();
    log.size = body.size();
    ucnv_setToUCallBack(converter.get(), OnUndecodable, &log, nullptr,
                        nullptr, &error);
    if (U_FAILURE(error)) {
      return absl::InternalError(absl::StrCat(
          "ICU cannot set a callback on ", label, ": ", u_errorName(error)));
    }
    // At most one UTF-16 unit per byte for every charset ICU converts
    // except where a substitution or a supplementary character needs two;
    // the loop grows the buffer when that happens.
    std::vector<UChar> units(body.size() + 16);
    const char* source = body.data();
    const char* source_end = body.data() + body.size();
    size_t written = 0;
    for (;;) {
      UChar* target = units.data() + written;
      UChar* target_end = units.data() + units.size();
      error = U_ZERO_ERROR;
      ucnv_toUnicode(converter.get(), &target, target_end, &source,
                     source_end, nullptr, /*flush=*/true, &error);
      written = static_cast<size_t>(target - units.data());
      if (error == U_BUFFER_OVERFLOW_ERROR) {
        units.resize(units.size() * 2);
        continue;
      }
      if (U_FAILURE(error)) {
        return absl::InternalError(absl::StrCat(
            "ICU conversion from ", label, " failed: ", u_errorName(error)));
      }
      break;
    }
    Utf16ToUtf8(units.data(), written, &page.storage);
    page.owned = true;
    if (log.count > 0) {
      page.notes.emplace_back(
          "undecodable",
          absl::StrFormat("%d undecodable byte(s) in %s, the first at byte "
                          "offset %d; replaced by U+FFFD",
                          log.count, page.charset, log.first_offset + skip));
    }
  }
  size_t nuls = 0;
  const absl::string_view decoded = page.utf8();
  if (memchr(decoded.data(), '\0', decoded.size()) != nullptr) {
    if (!page.owned) {
      page.storage.assign(decoded.data(), decoded.size());
      page.owned = true;
    }
    for (char& c : page.storage) {
      if (c == '\0') {
        c = ' ';
        ++nuls;
      }
    }
  }
  if (nuls > 0) {
    page.notes.emplace_back(
        "nul", absl::StrFormat("%d NUL byte(s) read as spaces", nuls));
  }
  return page;
}

}  // namespace communique::html::internal
