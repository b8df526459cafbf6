#include "shared/text/sentences.h"

#include <array>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "shared/text/utf8.h"

namespace communique::text {
namespace {

bool IsAbbreviation(absl::string_view word) {
  static constexpr absl::string_view kAbbreviations[] = {
      "mr",   "mrs",  "ms",   "dr",   "prof", "st",   "jr",   "sr",
      "gen",  "col",  "lt",   "maj",  "capt", "gov",  "sen",  "rep",
      "jan",  "feb",  "mar",  "apr",  "jun",  "jul",  "aug",  "sep",
      "sept", "oct",  "nov",  "dec",  "no",   "vol",  "vs",   "e.g",
      "i.e",  "u.s",  "u.k",  "u.n",  "approx", "est", "dept", "fig",
      "inc",  "ltd",  "co",   "corp", "mt",   "ft",   "pres", "amb",
      "adm",  "sgt",  "hon",  "rev",  "art",  "para", "p"};
  std::string lower = absl::AsciiStrToLower(word);
  for (absl::string_view a : kAbbreviations) {
    if (lower == a) return true;
  }
  // A single capital letter is an initial ("J. Smith").
  if (word.size() == 1 && IsAsciiUpper(word[0])) return true;
  return false;
}

bool IsClosing(char c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == '*';
}

// True when a closing quote (ASCII or typographic) starts at `pos`.
size_t ClosingLength(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  if (IsClosing(text[pos])) return 1;
  if (static_cast<unsigned char>(text[pos]) >= 0x80) {
    size_t len;
    char32_t cp = DecodeUtf8(text, pos, &len);
    if (cp == 0x201D || cp == 0x2019 || cp == 0x00BB || cp == 0x201C) {
      return len;
    }
  }
  return 0;
}

bool CanStartSentence(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  char c = text[pos];
  if (IsAsciiUpper(c) || IsAsciiDigit(c) || c == '"' || c == '\'' ||
      c == '(' || c == '[' || c == '*' || c == '#') {
    return true;
  }
  if (static_cast<unsigned char>(c) >= 0x80) {
    size_t len;
    char32_t cp = DecodeUtf8(text, pos, &len);
    // Typographic quotes, or any non-ASCII letter (capitalisation of other
    // scripts is not checked).
    return cp == 0x201C || cp == 0x2018 || cp == 0x00AB ||
           (IsWordCodePoint(cp) && !(cp >= 0x61 && cp <= 0x7A));
  }
  return false;
}

void Emit(absl::string_view text, size_t begin, size_t end,
          std::vector<Span>* out) {
  while (begin < end && absl::ascii_isspace(static_cast<unsigned char>(text[begin])))
    ++begin;
  while (end > begin && absl::ascii_isspace(static_cast<unsigned char>(text[end - 1])))
    --end;
  if (end > begin) out->push_back({begin, end});
}

}  // namespace

std::vector<Span> SplitSentences(absl::string_view text) {
  return SplitSentences(text, Span{0, text.size()});
}

std::vector<Span> SplitSentences(absl::string_view text, Span range) {
  std::vector<Span> out;
  if (range.end > text.size()) range.end = text.size();
  size_t start = range.begin;
  size_t i = range.begin;
  static const std::array<bool, 256> kStop = [] {
    std::array<bool, 256> t{};
    t['\n'] = t['.'] = t['!'] = t['?'] = true;
    return t;
  }();
  while (i < range.end) {
    // Skip to the next line break or sentence-ending punctuation.
    while (i < range.end && !kStop[static_cast<unsigned char>(text[i])]) ++i;
    if (i >= range.end) break;
    char c = text[i];
    if (c == '\n') {
      Emit(text, start, i, &out);
      start = ++i;
      continue;
    }
    if (c != '.' && c != '!' && c != '?') {
      ++i;
      continue;
    }
    size_t end = i + 1;
    // Runs like "..." or "?!".
    while (end < range.end &&
           (text[end] == '.' || text[end] == '!' || text[end] == '?')) {
      ++end;
    }
    while (size_t len = ClosingLength(text, end)) {
      if (end + len > range.end) break;
      end += len;
    }
    if (end >= range.end || text[end] == '\n') {
      i = end;
      continue;
    }
    if (text[end] != ' ' && text[end] != '\t') {
      i = end;
      continue;
    }
    size_t next = end;
    while (next < range.end && (text[next] == ' ' || text[next] == '\t')) ++next;
    if (c == '.') {
      // The word before the period.
      size_t w = i;
      while (w > start && (IsAsciiAlnum(text[w - 1]) || text[w - 1] == '.'))
        --w;
      absl::string_view word = text.substr(w, i - w);
      if (IsAbbreviation(word) && end == i + 1) {
        i = end;
        continue;
      }
    }
    if (!CanStartSentence(text, next)) {
      i = end;
      continue;
    }
    Emit(text, start, end, &out);
    start = next;
    i = next;
  }
  Emit(text, start, range.end, &out);
  return out;
}

std::vector<Token> Tokenize(absl::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (absl::ascii_isspace(c)) {
      ++i;
      continue;
    }
    size_t len = 1;
    char32_t cp = c < 0x80 ? c : DecodeUtf8(text, i, &len);
    if (!IsWordCodePoint(cp)) {
      out.push_back({{i, i + len}, TokenKind::kPunctuation});
      i += len;
      continue;
    }
    size_t start = i;
    bool all_digits = true;
    while (i < n) {
      size_t l = 1;
      unsigned char b = static_cast<unsigned char>(text[i]);
      char32_t p = b < 0x80 ? b : DecodeUtf8(text, i, &l);
      if (IsWordCodePoint(p)) {
        if (!(p >= '0' && p <= '9')) all_digits = false;
        i += l;
        continue;
      }
      // Inner joiners: "Kassym-Jomart", "don't", "U.S.", "1,000".
      bool joiner = p == '-' || p == '\'' || p == 0x2019 || p == '.' ||
                    (p == ',' && all_digits);
      if (joiner && IsWordCharAt(text, i + l)) {
        i += l;
        continue;
      }
      break;
    }
    out.push_back({{start, i}, all_digits ? TokenKind::kNumber : TokenKind::kWord});
  }
  return out;
}

}  // namespace communique::text
