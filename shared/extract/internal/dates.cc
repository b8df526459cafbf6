#include "shared/extract/internal/dates.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "shared/text/utf8.h"

namespace communique::extract::internal {
namespace {

using text::IsAsciiAlnum;
using text::IsAsciiDigit;
using text::Span;

bool ValidDay(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  if (year == 0) year = 2000;  // leap year: Feb 29 allowed
  absl::CivilDay d(year, month, day);
  return d.month() == month && d.day() == day;
}

// Reads a run of digits at `pos`; returns its length (0 if none).
size_t ReadNumber(absl::string_view s, size_t pos, int* value) {
  size_t e = pos;
  while (e < s.size() && IsAsciiDigit(s[e]) && e - pos < 5) ++e;
  if (e == pos || (e < s.size() && IsAsciiAlnum(s[e]) &&
                   !(e + 1 < s.size() && (s.substr(e, 2) == "st" ||
                                          s.substr(e, 2) == "nd" ||
                                          s.substr(e, 2) == "rd" ||
                                          s.substr(e, 2) == "th")))) {
    return 0;
  }
  if (!absl::SimpleAtoi(s.substr(pos, e - pos), value)) return 0;
  return e - pos;
}

// Skips an ordinal suffix ("st", "nd", "rd", "th") at `pos`.
size_t SkipOrdinal(absl::string_view s, size_t pos) {
  if (pos + 2 <= s.size()) {
    std::string suffix = absl::AsciiStrToLower(s.substr(pos, 2));
    if ((suffix == "st" || suffix == "nd" || suffix == "rd" ||
         suffix == "th") &&
        (pos + 2 == s.size() || !IsAsciiAlnum(s[pos + 2]))) {
      return pos + 2;
    }
  }
  return pos;
}

bool PlausibleYear(int y) { return y >= 1900 && y <= 2100; }

// Parses ", 2024" / " 2024" at `pos`; returns the end or `pos`.
size_t ReadYearAfter(absl::string_view s, size_t pos, int* year) {
  size_t p = pos;
  if (p < s.size() && s[p] == ',') ++p;
  while (p < s.size() && s[p] == ' ') ++p;
  int y = 0;
  size_t len = ReadNumber(s, p, &y);
  if (len == 4 && PlausibleYear(y)) {
    *year = y;
    return p + len;
  }
  return pos;
}

}  // namespace

int MonthFromName(absl::string_view word) {
  // Called for every capitalised word of an article: reject by length
  // before anything else ("sep" .. "september." is 3..10 bytes), and fold
  // case on the stack instead of allocating a lowercase copy.
  if (word.size() < 3 || word.size() > 10) return 0;
  char folded[10];
  for (size_t i = 0; i < word.size(); ++i)
    folded[i] = absl::ascii_tolower(static_cast<unsigned char>(word[i]));
  absl::string_view w(folded, word.size());
  if (w.back() == '.') w.remove_suffix(1);
  static constexpr absl::string_view kFull[] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  for (int i = 0; i < 12; ++i) {
    if (w[0] != kFull[i][0]) continue;  // both tests below need it
    if (w == kFull[i]) return i + 1;
    // Abbreviations: "jan", "sept"; "may" is only the full word.
    if (w.size() >= 3 && w.size() < kFull[i].size() && i != 4 &&
        kFull[i].substr(0, w.size()) == w && (w.size() == 3 || w == "sept")) {
      return i + 1;
    }
  }
  return 0;
}

std::vector<TextDate> FindDates(absl::string_view text, Span range,
                                bool bare_years) {
  std::vector<TextDate> out;
  if (range.end > text.size()) range.end = text.size();
  size_t i = range.begin;
  while (i < range.end) {
    if (!IsAsciiAlnum(text[i]) || (i > 0 && IsAsciiAlnum(text[i - 1]))) {
      ++i;
      continue;
    }
    size_t word_end = i;
    while (word_end < range.end && IsAsciiAlnum(text[word_end])) ++word_end;
    absl::string_view word = text.substr(i, word_end - i);
    int month = 0;
    if (!IsAsciiDigit(text[i])) {
      // Month names must be capitalised ("may" is a verb).
      if (text::IsAsciiUpper(text[i])) month = MonthFromName(word);
      if (month == 0) {
        i = word_end;
        continue;
      }
      size_t p = word_end;
      if (p < range.end && text[p] == '.') ++p;
      while (p < range.end && text[p] == ' ') ++p;
      int day = 0;
      size_t len = ReadNumber(text, p, &day);
      if (len > 0 && len <= 2 && ValidDay(0, month, day)) {
        size_t end = SkipOrdinal(text, p + len);
        int year = 0;
        end = ReadYearAfter(text, end, &year);
        if (year == 0 || ValidDay(year, month, day)) {
          out.push_back({{i, end}, year, month, day});
          i = end;
          continue;
        }
      }
      // "December 2020".
      int year = 0;
      size_t end = ReadYearAfter(text, word_end, &year);
      if (year != 0) {
        out.push_back({{i, end}, year, month, 0});
        i = end;
        continue;
      }
      i = word_end;
      continue;
    }
    // Starts with digits: "28 November 2024" or a bare year.
    int number = 0;
    size_t len = ReadNumber(text, i, &number);
    if (len == 0) {
      i = word_end;
      continue;
    }
    size_t after = SkipOrdinal(text, i + len);
    if (len <= 2 && after < range.end && text[after] == ' ') {
      size_t m = after + 1;
      size_t m_end = m;
      while (m_end < range.end && IsAsciiAlnum(text[m_end])) ++m_end;
      if (m_end > m && text::IsAsciiUpper(text[m])) {
        int month2 = MonthFromName(text.substr(m, m_end - m));
        if (month2 != 0 && ValidDay(0, month2, number)) {
          size_t end = m_end;
          if (end < range.end && text[end] == '.') ++end;
          int year = 0;
          end = ReadYearAfter(text, end, &year);
          out.push_back({{i, end}, year, month2, number});
          i = end;
          continue;
        }
      }
    }
    if (bare_years && len == 4 && PlausibleYear(number) &&
        (i + len >= text.size() || !IsAsciiAlnum(text[i + len])) &&
        !(i > 0 && (text[i - 1] == '-' || text[i - 1] == '/'))) {
      out.push_back({{i, i + len}, number, 0, 0});
    }
    i = word_end;
  }
  return out;
}

std::optional<TextDate> FindDateHeader(absl::string_view text) {
  size_t p = 0;
  while (p < text.size() && (text[p] == ' ' || text[p] == '\n')) ++p;
  size_t start = p;
  static constexpr absl::string_view kLabels[] = {"date:", "date",
                                                  "published:", "published"};
  bool labelled = false;
  for (absl::string_view label : kLabels) {
    if (text.size() - p > label.size() &&
        absl::AsciiStrToLower(text.substr(p, label.size())) == label &&
        text[p + label.size()] == ' ') {
      p += label.size();
      labelled = true;
      break;
    }
  }
  if (!labelled) return std::nullopt;
  while (p < text.size() && text[p] == ' ') ++p;
  int y = 0, m = 0, d = 0;
  size_t len = ReadNumber(text, p, &y);
  if (len != 4 || !PlausibleYear(y)) return std::nullopt;
  p += 4;
  if (p >= text.size() || text[p] != '-') return std::nullopt;
  len = ReadNumber(text, ++p, &m);
  if (len != 2) return std::nullopt;
  p += 2;
  if (p >= text.size() || text[p] != '-') return std::nullopt;
  len = ReadNumber(text, ++p, &d);
  if (len != 2 || !ValidDay(y, m, d)) return std::nullopt;
  p += 2;
  return TextDate{{start, p}, y, m, d};
}

std::vector<TextDate> FindEventNameYears(absl::string_view text, Span range) {
  std::vector<TextDate> out;
  if (range.end > text.size()) range.end = text.size();
  for (size_t i = range.begin; i + 5 <= range.end; ++i) {
    if (text[i] != '-' || i == 0 || !text::IsAsciiLower(text[i - 1])) continue;
    int year = 0;
    size_t len = ReadNumber(text, i + 1, &year);
    if (len != 4 || !PlausibleYear(year)) continue;
    // The word before must be capitalised.
    size_t w = i;
    while (w > range.begin && text::IsAsciiAlnum(text[w - 1])) --w;
    if (!text::IsAsciiUpper(text[w])) continue;
    out.push_back({{w, i + 1 + len}, year, 0, 0});
  }
  return out;
}

}  // namespace communique::extract::internal
