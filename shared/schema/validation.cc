#include "shared/schema/validation.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shared/schema/errors.h"
#include "shared/schema/search.h"
#include "shared/status/check.h"
#include "shared/text/utf8.h"

namespace communique::schema {
namespace {

constexpr uint8_t kPageTokenVersion = 1;
// Version byte and the 8-byte fingerprint before the resume position.
constexpr size_t kPageTokenHeader = 9;
// Unpadded base64 length of the longest raw token.
constexpr size_t kMaxPageTokenChars =
    ((kPageTokenHeader + kMaxPageTokenResumeBytes) * 4 + 2) / 3;

absl::Status TooLong(absl::string_view field, size_t size, size_t limit) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s: %d bytes exceeds the limit of %d", field, size, limit));
}

}  // namespace

absl::Status ValidateArticleInput(const v1::ArticleInput& input,
                                  absl::string_view prefix) {
  const std::string text_field = absl::StrFormat("%s.text", prefix);
  const bool page = !input.html().empty();
  if (page && !input.text().empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: give either text or html, not both", text_field));
  }
  if (!page && !input.content_type().empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s.content_type: only with %s.html", prefix, prefix));
  }
  if (page && input.html().size() > kMaxPageBytes) {
    return TooLong(absl::StrFormat("%s.html", prefix), input.html().size(),
                   kMaxPageBytes);
  }
  if (page) {
    // The page's text is checked once converted (html::ArticleFromPage).
  } else if (input.text().empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: required, got an empty text", text_field));
  }
  if (input.text().size() > kMaxArticleBytes) {
    return TooLong(text_field, input.text().size(), kMaxArticleBytes);
  }
  const size_t bad = text::FindInvalidUtf8(input.text());
  if (bad != input.text().size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: not valid UTF-8 at byte %d", text_field, bad));
  }
  bool blank = !page;
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
                          {"title", &input.title(), 1024},
                          {"content_type", &input.content_type(), 256}};
  for (const Limit& limit : limits) {
    std::string field = absl::StrFormat("%s.%s", prefix, limit.name);
    if (limit.value->size() > limit.max) {
      return TooLong(field, limit.value->size(), limit.max);
    }
    const size_t bad_meta = text::FindInvalidUtf8(*limit.value);
    if (bad_meta != limit.value->size()) {
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
    return InvalidField(
        field, absl::StrFormat("must not be negative, got %d", page_size));
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
  COMMUNIQUE_CHECK(token.resume_after.size() <= kMaxPageTokenResumeBytes);
  std::string raw;
  raw.reserve(kPageTokenHeader + token.resume_after.size());
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
  if (token.size() > kMaxPageTokenChars ||
      !absl::WebSafeBase64Unescape(token, &raw) ||
      raw.size() < kPageTokenHeader ||
      raw.size() > kPageTokenHeader + kMaxPageTokenResumeBytes ||
      static_cast<uint8_t>(raw[0]) != kPageTokenVersion) {
    return InvalidField(field, "malformed page token");
  }
  PageToken out;
  for (int i = 1; i <= 8; ++i) {
    out.request_fingerprint =
        (out.request_fingerprint << 8) | static_cast<uint8_t>(raw[i]);
  }
  if (out.request_fingerprint != request_fingerprint) {
    return InvalidField(field,
                        "the token was issued for a different filter or order");
  }
  out.resume_after = raw.substr(kPageTokenHeader);
  return out;
}

void CheckYearRange(int32_t year, int32_t min_year, int32_t max_year,
                    absl::string_view prefix, FieldViolations* violations) {
  const struct {
    const char* name;
    int32_t value;
  } years[] = {{"year", year}, {"min_year", min_year}, {"max_year", max_year}};
  bool all_valid = true;
  for (const auto& y : years) {
    if (y.value != 0 && (y.value < 1 || y.value > 9999)) {
      violations->Add(absl::StrCat(prefix, y.name),
                      absl::StrFormat("must be a year in 1-9999, got %d",
                                      y.value));
      all_valid = false;
    }
  }
  if (all_valid && min_year != 0 && max_year != 0 && min_year > max_year) {
    violations->Add(
        absl::StrCat(prefix, "min_year"),
        absl::StrFormat("must not be after %smax_year (%d > %d)", prefix,
                        min_year, max_year));
  }
}

void CheckDateBound(const v1::PartialDate& date, absl::string_view field,
                    FieldViolations* violations) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return;
  if (date.year() < 1 || date.year() > 9999) {
    violations->Add(absl::StrCat(field, ".year"),
                    absl::StrFormat("must be in 1-9999, got %d", date.year()));
  }
  if (date.month() < 0 || date.month() > 12) {
    violations->Add(absl::StrCat(field, ".month"),
                    absl::StrFormat("must be in 0-12, got %d", date.month()));
  }
  if (date.day() < 0 || date.day() > 31) {
    violations->Add(absl::StrCat(field, ".day"),
                    absl::StrFormat("must be in 0-31, got %d", date.day()));
  } else if (date.day() != 0 && date.month() == 0) {
    violations->Add(absl::StrCat(field, ".day"),
                    "must be 0 when the month is unknown");
  }
}

std::vector<std::string> CheckSearchText(absl::string_view text,
                                         absl::string_view field,
                                         FieldViolations* violations) {
  if (text.empty()) return {};
  if (text.size() > kMaxSearchTextBytes) {
    violations->Add(field, absl::StrFormat("%d bytes exceeds the limit of %d",
                                           text.size(), kMaxSearchTextBytes));
    return {};
  }
  if (text::FindInvalidUtf8(text) != text.size()) {
    violations->Add(field, "not valid UTF-8");
    return {};
  }
  std::vector<std::string> words = SearchWords(text);
  if (words.empty()) {
    violations->Add(field,
                    "has no searchable word (only stop words, punctuation or "
                    "one-letter words)");
  } else if (words.size() > kMaxSearchTextWords) {
    violations->Add(field, absl::StrFormat("%d words exceeds the limit of %d",
                                           words.size(), kMaxSearchTextWords));
    return {};
  }
  return words;
}

void CheckFilterString(absl::string_view value, absl::string_view field,
                       FieldViolations* violations) {
  if (value.size() > 256) {
    violations->Add(field, absl::StrFormat("%d bytes exceeds the limit of 256",
                                           value.size()));
  } else if (text::FindInvalidUtf8(value) != value.size()) {
    violations->Add(field, "not valid UTF-8");
  }
}

void CheckSummitFilter(const v1::SummitFilter& f, absl::string_view prefix,
                       FieldViolations* violations) {
  auto name = [&](absl::string_view field) {
    return absl::StrCat(prefix, field);
  };
  CheckYearRange(f.year(), f.min_year(), f.max_year(), prefix, violations);
  CheckDateBound(f.start_date(), name("start_date"), violations);
  CheckDateBound(f.end_date(), name("end_date"), violations);
  if (f.start_date().year() != 0 && f.end_date().year() != 0) {
    const auto key = [](const v1::PartialDate& d, int unknown) {
      return absl::StrFormat("%04d%02d%02d", d.year(),
                             d.month() == 0 ? unknown : d.month(),
                             d.day() == 0 ? unknown : d.day());
    };
    if (key(f.start_date(), 0) > key(f.end_date(), 99)) {
      violations->Add(name("start_date"),
                      absl::StrCat("must not be after ", prefix, "end_date"));
    }
  }
  if (!v1::SummitFormat_IsValid(f.format())) {
    violations->Add(name("format"),
                    absl::StrFormat("unknown value %d", f.format()));
  }
  const struct {
    const char* field;
    const std::string* value;
  } strings[] = {{"organization", &f.organization()},
                 {"city", &f.city()},
                 {"country", &f.country()},
                 {"participant_country", &f.participant_country()},
                 {"person", &f.person()},
                 {"topic", &f.topic()},
                 {"presiding", &f.presiding()}};
  for (const auto& s : strings) {
    CheckFilterString(*s.value, name(s.field), violations);
  }
  CheckSearchText(f.text(), name("text"), violations);
}

}  // namespace communique::schema
