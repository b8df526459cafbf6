#include "shared/schema/names.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "shared/schema/errors.h"
#include "openssl/sha.h"

namespace communique::schema {
namespace {

constexpr size_t kMaxNameLength = 256;

// Folds the Latin-1 Supplement and Latin Extended-A letters that occur in
// place and person names to ASCII. Other non-ASCII runs become separators.
const char* FoldLatin(char32_t c) {
  switch (c) {
    case U'à': case U'á': case U'â': case U'ã': case U'ä': case U'å':
    case U'ā': case U'ă': case U'ą': return "a";
    case U'ç': case U'ć': case U'č': return "c";
    case U'è': case U'é': case U'ê': case U'ë': case U'ē': case U'ė':
    case U'ę': case U'ě': return "e";
    case U'ì': case U'í': case U'î': case U'ï': case U'ī': case U'ı': return "i";
    case U'ñ': case U'ń': case U'ň': return "n";
    case U'ò': case U'ó': case U'ô': case U'õ': case U'ö': case U'ø':
    case U'ō': case U'ő': return "o";
    case U'ù': case U'ú': case U'û': case U'ü': case U'ū': case U'ů':
    case U'ű': return "u";
    case U'ý': case U'ÿ': return "y";
    case U'ğ': return "g";
    case U'ş': case U'ś': case U'š': return "s";
    case U'ž': case U'ź': case U'ż': return "z";
    case U'ß': return "ss";
    case U'æ': return "ae";
    case U'œ': return "oe";
    default: return nullptr;
  }
}

// Decodes one UTF-8 sequence at `i`; returns the code point and advances
// `i`. Invalid bytes decode as U+FFFD and advance by one.
char32_t DecodeUtf8(absl::string_view s, size_t& i) {
  unsigned char c = s[i];
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                     : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += len;
  return cp;
}

bool IsSlug(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  if (id.front() == '-' || id.back() == '-') return false;
  for (char c : id) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) {
      return false;
    }
  }
  return true;
}

absl::Status BadName(absl::string_view field, absl::string_view name,
                     absl::string_view expected) {
  return InvalidField(
      field, absl::StrFormat(
                 "malformed resource name \"%s\", expected %s",
                 name.size() > 80 ? absl::StrCat(name.substr(0, 80), "...")
                                  : std::string(name),
                 expected));
}

}  // namespace

std::string Slugify(absl::string_view text, size_t max_length) {
  std::string out;
  out.reserve(std::min(text.size(), max_length));
  bool pending_dash = false;
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = DecodeUtf8(text, i);
    const char* piece = nullptr;
    char ascii[2] = {0, 0};
    if (cp < 0x80 && absl::ascii_isalnum(static_cast<char>(cp))) {
      ascii[0] = absl::ascii_tolower(static_cast<char>(cp));
      piece = ascii;
    } else if (cp == U'\'' || cp == U'’') {
      continue;  // "Kazakhstan's" -> "kazakhstans"
    } else if (cp >= 0xC0) {
      char32_t lower = cp;
      if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) lower = cp + 0x20;
      if (cp >= 0x100 && cp <= 0x17F && (cp % 2 == 0)) lower = cp + 1;
      piece = FoldLatin(lower);
    }
    if (piece == nullptr) {
      pending_dash = !out.empty();
      continue;
    }
    if (pending_dash) out.push_back('-');
    pending_dash = false;
    out.append(piece);
  }
  if (out.size() > max_length) {
    size_t cut = out.rfind('-', max_length);
    out.resize(cut != std::string::npos && cut > max_length / 2 ? cut
                                                                : max_length);
    while (!out.empty() && out.back() == '-') out.pop_back();
  }
  return out;
}

std::string FormatPartialDate(const v1::PartialDate& date) {
  if (date.year() == 0) return "";
  if (date.month() == 0) return absl::StrFormat("%04d", date.year());
  if (date.day() == 0) {
    return absl::StrFormat("%04d-%02d", date.year(), date.month());
  }
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

std::string SummitId(absl::string_view organization,
                     const v1::PartialDate& date, absl::string_view city) {
  std::string id = Slugify(organization, 16);
  if (id.empty()) id = "unknown";
  std::string when = FormatPartialDate(date);
  absl::StrAppend(&id, "-", when.empty() ? "undated" : when);
  std::string place = Slugify(city, 32);
  if (!place.empty()) absl::StrAppend(&id, "-", place);
  return id;
}

std::string SummitName(absl::string_view summit_id) {
  return absl::StrCat("summits/", summit_id);
}

std::string DeclarationName(absl::string_view summit_name,
                            absl::string_view declaration_id) {
  return absl::StrCat(summit_name, "/declarations/", declaration_id);
}

std::string InitiativeName(absl::string_view summit_name,
                           absl::string_view initiative_id) {
  return absl::StrCat(summit_name, "/initiatives/", initiative_id);
}

std::string ArticleName(absl::string_view article_id) {
  return absl::StrCat("articles/", article_id);
}

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * SHA256_DIGEST_LENGTH, '0');
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}

std::string ArticleId(absl::string_view external_id,
                      absl::string_view content_sha256) {
  std::string slug = Slugify(external_id, 96);
  if (!slug.empty()) return slug;
  return std::string(content_sha256.substr(0, 16));
}

namespace {

// Splits `name` into segments and checks them against `pattern` (literal
// collection ids and "*" for an id).
absl::StatusOr<std::vector<std::string>> MatchName(
    absl::string_view name, absl::string_view field,
    const std::vector<absl::string_view>& pattern,
    absl::string_view expected) {
  if (name.empty()) {
    return InvalidField(field, absl::StrFormat("required, expected %s",
                                               expected));
  }
  if (name.size() > kMaxNameLength) return BadName(field, name, expected);
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != pattern.size()) return BadName(field, name, expected);
  std::vector<std::string> ids;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (pattern[i] == "*") {
      if (!IsSlug(parts[i])) return BadName(field, name, expected);
      ids.emplace_back(parts[i]);
    } else if (parts[i] != pattern[i]) {
      return BadName(field, name, expected);
    }
  }
  return ids;
}

}  // namespace

absl::StatusOr<ParsedName> ParseSummitName(absl::string_view name,
                                           absl::string_view field) {
  auto ids = MatchName(name, field, {"summits", "*"}, "summits/{summit}");
  if (!ids.ok()) return ids.status();
  ParsedName out;
  out.summit_id = (*ids)[0];
  return out;
}

absl::StatusOr<ParsedName> ParseDeclarationName(absl::string_view name,
                                                absl::string_view field) {
  auto ids = MatchName(name, field, {"summits", "*", "declarations", "*"},
                       "summits/{summit}/declarations/{declaration}");
  if (!ids.ok()) return ids.status();
  ParsedName out;
  out.summit_id = (*ids)[0];
  out.child_id = (*ids)[1];
  return out;
}

absl::StatusOr<ParsedName> ParseInitiativeName(absl::string_view name,
                                               absl::string_view field) {
  auto ids = MatchName(name, field, {"summits", "*", "initiatives", "*"},
                       "summits/{summit}/initiatives/{initiative}");
  if (!ids.ok()) return ids.status();
  ParsedName out;
  out.summit_id = (*ids)[0];
  out.child_id = (*ids)[1];
  return out;
}

absl::StatusOr<ParsedName> ParseArticleName(absl::string_view name,
                                            absl::string_view field) {
  auto ids = MatchName(name, field, {"articles", "*"}, "articles/{article}");
  if (!ids.ok()) return ids.status();
  ParsedName out;
  out.article_id = (*ids)[0];
  return out;
}

}  // namespace communique::schema
