#include "shared/extract/internal/lists.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace communique::extract::internal {
namespace {

std::string Clean(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  for (absl::string_view prefix : {"and ", "as well as ", "or "}) {
    if (absl::StartsWith(s, prefix)) s.remove_prefix(prefix.size());
  }
  s = absl::StripAsciiWhitespace(s);
  return std::string(s);
}

int CountAnd(absl::string_view s) {
  int n = 0;
  size_t pos = 0;
  while ((pos = s.find(" and ", pos)) != absl::string_view::npos) {
    ++n;
    pos += 5;
  }
  return n;
}

}  // namespace

int ParseSmallNumber(absl::string_view word) {
  static constexpr absl::string_view kWords[] = {
      "zero",    "one",     "two",       "three",    "four",
      "five",    "six",     "seven",     "eight",    "nine",
      "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
      "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
      "twenty"};
  std::string w = absl::AsciiStrToLower(word);
  for (int i = 1; i <= 20; ++i) {
    if (w == kWords[i]) return i;
  }
  int n = 0;
  if (absl::SimpleAtoi(w, &n) && n > 0 && n < 1000) return n;
  return 0;
}

std::vector<std::string> SplitCoordinatedItems(absl::string_view phrase,
                                               int count) {
  std::string p = absl::StrReplaceAll(phrase, {{" as well as ", ", "},
                                               {";", ","}});
  std::vector<std::string> items;
  for (absl::string_view part : absl::StrSplit(p, ',')) {
    std::string c = Clean(part);
    if (!c.empty()) items.push_back(c);
  }
  while (static_cast<int>(items.size()) < count) {
    // Split the item with the most " and " at its last one.
    int best = -1;
    int best_count = 0;
    for (int i = static_cast<int>(items.size()) - 1; i >= 0; --i) {
      int n = CountAnd(items[i]);
      if (n > best_count) {
        best_count = n;
        best = i;
      }
    }
    if (best < 0) break;
    std::string item = items[best];
    size_t pos = item.rfind(" and ");
    std::string left = Clean(item.substr(0, pos));
    std::string right = Clean(item.substr(pos + 5));
    items[best] = left;
    items.insert(items.begin() + best + 1, right);
  }
  if (static_cast<int>(items.size()) > count && count > 0) {
    // Too many pieces: fold the rest into the last one.
    std::string tail;
    for (size_t i = count - 1; i < items.size(); ++i) {
      if (!tail.empty()) tail += ", ";
      tail += items[i];
    }
    items.resize(count - 1);
    items.push_back(tail);
  }
  // Shared head: "financial and technical" + " provision of the forces".
  if (items.size() >= 2) {
    const std::string& last = items.back();
    size_t of = last.find(" of ");
    if (of != std::string::npos) {
      size_t head_start = last.rfind(' ', of - 1);
      std::string head_and_tail =
          last.substr(head_start == std::string::npos ? 0 : head_start + 1);
      absl::string_view head_word =
          absl::string_view(head_and_tail).substr(0, head_and_tail.find(' '));
      for (size_t i = 0; i + 1 < items.size(); ++i) {
        int words = 1;
        for (char c : items[i]) words += c == ' ';
        if (!absl::StrContains(items[i], " of ") &&
            !absl::StrContains(items[i], head_word) && words <= 3) {
          items[i] += " " + head_and_tail;
        }
      }
    }
  }
  for (std::string& item : items) {
    absl::string_view v = item;
    if (absl::ConsumePrefix(&v, "the ")) item = std::string(v);
  }
  return items;
}

}  // namespace communique::extract::internal
