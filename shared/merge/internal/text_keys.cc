#include "shared/merge/internal/text_keys.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "shared/schema/names.h"

namespace communique::merge::internal {
namespace {

// Function words that never distinguish two titles. Kept short on purpose:
// words such as "joint" or "final" can tell two documents apart.
bool IsStopword(absl::string_view word) {
  static constexpr absl::string_view kStopwords[] = {
      "a",     "an",  "the", "of",   "on",   "in",    "for",   "to",
      "and",   "or",  "at",  "by",   "with", "from",  "into",  "its",
      "their", "his", "her", "this", "that", "these", "those", "as",
      "be",    "is",  "are", "was",  "were", "s",     "about", "upon"};
  return std::find(std::begin(kStopwords), std::end(kStopwords), word) !=
         std::end(kStopwords);
}

// English plural to singular, good enough for keys (both sides get the same
// treatment, so a wrong singular still compares equal).
std::string Singular(std::string word) {
  auto ends_with = [&](absl::string_view suffix) {
    return word.size() >= suffix.size() &&
           absl::string_view(word).substr(word.size() - suffix.size()) ==
               suffix;
  };
  if (word.size() > 4 && ends_with("ies")) {
    word.resize(word.size() - 3);
    word += "y";
  } else if (word.size() > 5 && ends_with("sses")) {
    word.resize(word.size() - 2);
  } else if (word.size() > 3 && ends_with("s") && !ends_with("ss") &&
             !ends_with("us") && !ends_with("is")) {
    word.pop_back();
  }
  return word;
}

} // namespace

std::string LowerText(absl::string_view text) {
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned char c = out[i];
    if (c < 0x80) {
      out[i] = absl::ascii_tolower(c);
      continue;
    }
    if ((c == 0xD0) && i + 1 < out.size()) {
      unsigned char next = out[i + 1];
      if (next >= 0x80 && next <= 0x8F) { // U+0400-U+040F -> U+0450-U+045F
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(next + 0x10);
      } else if (next >= 0x90 && next <= 0x9F) { // U+0410-U+041F
        out[i + 1] = static_cast<char>(next + 0x20);
      } else if (next >= 0xA0 && next <= 0xAF) { // U+0420-U+042F
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(next - 0x20);
      }
      ++i;
    }
  }
  return out;
}

std::vector<std::string> ContentWords(absl::string_view text) {
  std::string slug = schema::Slugify(text, text.size() + 1);
  std::vector<std::string> raw;
  if (!slug.empty()) {
    raw = absl::StrSplit(slug, '-', absl::SkipEmpty());
  } else {
    raw = absl::StrSplit(LowerText(text), absl::ByAnyChar(" \t\n,.;:"),
                         absl::SkipEmpty());
  }
  std::vector<std::string> words;
  for (std::string &word : raw) {
    if (IsStopword(word))
      continue;
    words.push_back(Singular(std::move(word)));
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

std::string WordKey(const std::vector<std::string> &words) {
  return absl::StrJoin(words, " ");
}

std::string RoleFamily(absl::string_view role) {
  std::vector<std::string> kept;
  for (absl::string_view word : absl::StrSplit(
           schema::Slugify(role, role.size() + 1), '-', absl::SkipEmpty())) {
    if (word == "acting" || word == "interim" || word == "the" ||
        word == "of") {
      continue;
    }
    kept.emplace_back(word);
  }
  return absl::StrJoin(kept, "-");
}

size_t SharedWords(const std::vector<std::string> &a,
                   const std::vector<std::string> &b) {
  std::vector<std::string> both;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(),
                        std::back_inserter(both));
  return both.size();
}

double Jaccard(const std::vector<std::string> &a,
               const std::vector<std::string> &b) {
  if (a.empty() && b.empty())
    return 1.0;
  size_t shared = SharedWords(a, b);
  return static_cast<double>(shared) /
         static_cast<double>(a.size() + b.size() - shared);
}

} // namespace communique::merge::internal
