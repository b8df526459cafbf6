#include "shared/schema/validation.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"

namespace communique::schema {
namespace {

constexpr uint8_t kPageTokenVersion = 1;
constexpr size_t kMaxResumeKey = 1024;

absl::Status TooLong(absl::string_view field, size_t size, size_t limit) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s: %d bytes exceeds the limit of %d", field, size, limit));
}

}  // namespace

int64_t FindInvalidUtf8(absl::string_view text) {
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
    uint32_t min;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return static_cast<int64_t>(i);
    }
    if (i + len > n) return static_cast<int64_t>(i);
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return static_cast<int64_t>(i);
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return static_cast<int64_t>(i);
    }
    i += len;
  }
  return -1;
}

absl::Status ValidateArticleInput(const v1::ArticleInput& input,
                                  absl::string_view prefix) {
  const std::string text_field = absl::StrFormat("%s.text", prefix);
  if (input.text().empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: required, got an empty text", text_field));
  }
  if (input.text().size() > kMaxArticleBytes) {
    return TooLong(text_field, input.text().size(), kMaxArticleBytes);
  }
  int64_t bad = FindInvalidUtf8(input.text());
  if (bad >= 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: not valid UTF-8 at byte %d", text_field, bad));
  }
  bool blank = true;
  for (char c : input.text()) {
    if (!(c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0')) {
      blank = false;
      break;
    }
  }
  if (blank) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: required, got only whitespace", text_field));
  }
  struct Limit {
    const char* name;
    const std::string* value;
    size_t max;
  };
  const Limit limits[] = {{"external_id", &input.external_id(), 256},
                          {"source_url", &input.source_url(), 2048},
                          {"publisher", &input.publisher(), 256},
                          {"title", &input.title(), 1024}};
  for (const Limit& limit : limits) {
    std::string field = absl::StrFormat("%s.%s", prefix, limit.name);
    if (limit.value->size() > limit.max) {
      return TooLong(field, limit.value->size(), limit.max);
    }
    int64_t bad_meta = FindInvalidUtf8(*limit.value);
    if (bad_meta >= 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: not valid UTF-8 at byte %d", field, bad_meta));
    }
  }
  if (input.has_published() && (input.published().seconds() < -62135596800 ||
                                input.published().seconds() > 253402300799)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s.published: outside years 1-9999", prefix));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> EffectivePageSize(int32_t page_size,
                                      absl::string_view field) {
  if (page_size < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: must not be negative, got %d", field, page_size));
  }
  if (page_size == 0) return kDefaultPageSize;
  return page_size > kMaxPageSize ? kMaxPageSize : page_size;
}

uint64_t Fingerprint(absl::string_view bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string EncodePageToken(const PageToken& token) {
  std::string raw;
  raw.reserve(9 + token.resume_after.size());
  raw.push_back(static_cast<char>(kPageTokenVersion));
  for (int shift = 56; shift >= 0; shift -= 8) {
    raw.push_back(static_cast<char>(token.request_fingerprint >> shift));
  }
  raw.append(token.resume_after);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<PageToken> DecodePageToken(absl::string_view token,
                                          uint64_t request_fingerprint,
                                          absl::string_view field) {
  std::string raw;
  if (token.size() > 2 * kMaxResumeKey ||
      !absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 10 ||
      static_cast<uint8_t>(raw[0]) != kPageTokenVersion) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: malformed page token", field));
  }
  PageToken out;
  for (int i = 1; i <= 8; ++i) {
    out.request_fingerprint =
        (out.request_fingerprint << 8) | static_cast<uint8_t>(raw[i]);
  }
  if (out.request_fingerprint != request_fingerprint) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: the token was issued for a different filter or order", field));
  }
  out.resume_after = raw.substr(9);
  return out;
}

}  // namespace communique::schema
