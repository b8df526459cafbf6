#include "shared/text/boilerplate.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "shared/text/utf8.h"

namespace communique::text {
namespace {

bool ContainsAny(absl::string_view haystack,
                 std::initializer_list<absl::string_view> needles) {
  for (absl::string_view n : needles) {
    if (absl::StrContains(haystack, n)) return true;
  }
  return false;
}

// Strips markdown emphasis and surrounding spaces/punctuation.
absl::string_view StripDecoration(absl::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '*' ||
                        s.front() == '_' || s.front() == '#' ||
                        s.front() == '>' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '*' ||
                        s.back() == '_' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

const char* BoilerplateReason(absl::string_view line) {
  absl::string_view stripped = StripDecoration(line);
  while (!stripped.empty() && (stripped.back() == '.' ||
                               stripped.back() == '!' || stripped.back() == ':'))
    stripped.remove_suffix(1);
  if (stripped.empty()) return nullptr;
  // Every rule below needs a line of at most 300 bytes (article paragraphs
  // are longer): those are lowercased on the stack, the rest skipped.
  constexpr size_t kMaxLine = 300;
  if (stripped.size() > kMaxLine) return nullptr;
  char buffer[kMaxLine];
  for (size_t i = 0; i < stripped.size(); ++i)
    buffer[i] = absl::ascii_tolower(static_cast<unsigned char>(stripped[i]));
  absl::string_view l(buffer, stripped.size());
  static constexpr absl::string_view kWholeLine[] = {
      "subscribe", "share", "share this", "share this article", "print",
      "tweet", "comments", "comment", "read more", "read also", "see also",
      "related", "related news", "related articles", "advertisement", "ad",
      "tags", "leave a comment", "loading", "photo", "video", "email",
      "back to top", "top stories", "latest news", "most read"};
  for (absl::string_view w : kWholeLine) {
    if (l == w) return "navigation or prompt line";
  }
  // "Comments (0)", "Share (12)".
  if ((absl::StartsWith(l, "comments") || absl::StartsWith(l, "share") ||
       absl::StartsWith(l, "views")) &&
      l.size() < 24 && absl::StrContains(l, "(")) {
    return "counter line";
  }
  // Prompt words are rare in article prose, so testing them first skips the
  // longer social list on almost every line (this runs once per line).
  const bool prompt =
      ContainsAny(l, {"subscribe", "follow us", "follow our", "follow ",
                      "stay updated", "stay tuned", "keep current",
                      "join us on", "sign up", "download"});
  if (prompt &&
      ContainsAny(l, {"telegram", "instagram", "twitter", "facebook",
                      "youtube", "tiktok", "whatsapp", "newsletter", "channel",
                      "social media", " vk", "rss feed", "our app",
                      "google news"})) {
    return "subscribe prompt";
  }
  if (absl::StartsWith(l, "read more:") || absl::StartsWith(l, "read also:") ||
      absl::StartsWith(l, "also read:") || absl::StartsWith(l, "tags:") ||
      absl::StartsWith(l, "photo:") || absl::StartsWith(l, "photo credit") ||
      absl::StartsWith(l, "source:") || absl::StartsWith(l, "©") ||
      absl::StartsWith(l, "copyright") ||
      ContainsAny(l, {"all rights reserved", "reproduction is prohibited",
                      "click here"})) {
    return "publisher notice";
  }
  return nullptr;
}

// A line that opens a transcript turn: "Interviewer:", "**Q:**", "Host -".
bool IsTranscriptTurn(absl::string_view line) {
  absl::string_view s = line;
  while (!s.empty() && (s.front() == ' ' || s.front() == '*' ||
                        s.front() == '_' || s.front() == '>')) {
    s.remove_prefix(1);
  }
  static constexpr absl::string_view kSpeakers[] = {
      "interviewer", "host", "guest", "q", "a", "question", "answer",
      "moderator", "presenter", "anchor", "reporter", "correspondent"};
  for (absl::string_view speaker : kSpeakers) {
    if (s.size() <= speaker.size()) continue;
    if (!absl::EqualsIgnoreCase(s.substr(0, speaker.size()), speaker)) continue;
    absl::string_view rest = s.substr(speaker.size());
    while (!rest.empty() && (rest.front() == '*' || rest.front() == '_' ||
                             rest.front() == ' ')) {
      rest.remove_prefix(1);
    }
    if (!rest.empty() && rest.front() == ':') return true;
  }
  return false;
}

bool IsHeading(absl::string_view line) {
  absl::string_view s = line;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return absl::StartsWith(s, "#") ||
         (absl::StartsWith(s, "**") && absl::EndsWith(s, "**") &&
          s.size() > 4 && !IsTranscriptTurn(s));
}

}  // namespace

std::vector<Span> SplitLines(absl::string_view text) {
  std::vector<Span> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == absl::string_view::npos ? text.size() : nl;
    lines.push_back({start, end});
    if (nl == absl::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::vector<BoilerplateLine> FindBoilerplateLines(absl::string_view text) {
  std::vector<BoilerplateLine> out;
  for (const Span& line : SplitLines(text)) {
    if (line.size() > 400) continue;
    if (const char* reason = BoilerplateReason(line.Of(text))) {
      out.push_back({line, reason});
    }
  }
  return out;
}

size_t FindAppendedTranscript(absl::string_view text) {
  std::vector<Span> lines = SplitLines(text);
  // Two turns are needed: one "Q:" line can be a quoted question.
  int first_turn = -1;
  int turns = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsTranscriptTurn(lines[i].Of(text))) {
      if (first_turn < 0) first_turn = static_cast<int>(i);
      ++turns;
    }
  }
  if (first_turn < 0 || turns < 2) return text.size();
  int start = first_turn;
  // Walk back over an empty line, a heading and a lead-in question.
  while (start > 0) {
    absl::string_view prev = lines[start - 1].Of(text);
    absl::string_view trimmed = absl::StripAsciiWhitespace(prev);
    if (trimmed.empty() || IsHeading(prev) ||
        (absl::EndsWith(trimmed, "?") && trimmed.size() < 400)) {
      --start;
      continue;
    }
    break;
  }
  return lines[start].begin;
}

std::vector<Span> FindPlaceholders(absl::string_view text) {
  std::vector<Span> out;
  for (size_t i = 0; i < text.size(); ++i) {
    // Jump to the next '[' or '{' (memchr is vectorised).
    const char* base = text.data();
    const void* sq = std::memchr(base + i, '[', text.size() - i);
    const void* cu = std::memchr(base + i, '{', text.size() - i);
    if (sq == nullptr && cu == nullptr) break;
    const char* next = static_cast<const char*>(
        sq == nullptr ? cu : cu == nullptr ? sq : std::min(sq, cu));
    i = static_cast<size_t>(next - base);
    char open = text[i];
    bool doubled = open == '{' && i + 1 < text.size() && text[i + 1] == '{';
    if (open == '{' && !doubled) continue;
    size_t j = i + (doubled ? 2 : 1);
    const char close = open == '[' ? ']' : '}';
    size_t k = j;
    bool ok = true;
    int words = 0;
    bool in_word = false;
    bool any_upper_start = false;
    while (k < text.size() && text[k] != close && k - j < 40) {
      char c = text[k];
      if (IsAsciiAlnum(c) || c == '_') {
        if (!in_word) {
          ++words;
          if (IsAsciiUpper(c)) any_upper_start = true;
        }
        in_word = true;
      } else if (c == ' ') {
        in_word = false;
      } else {
        ok = false;
        break;
      }
      ++k;
    }
    if (!ok || k >= text.size() || text[k] != close || words == 0) continue;
    absl::string_view inner = text.substr(j, k - j);
    // "[1]" is a citation, not a placeholder.
    if (!doubled) {
      std::string lower = absl::AsciiStrToLower(inner);
      if (!any_upper_start) continue;
      if (!ContainsAny(lower, {"name", "guest", "host", "insert", "title",
                               "date", "placeholder", "author", "company",
                               "country", "city", "tbd", "xxx", "location"})) {
        continue;
      }
    }
    size_t end = k + (doubled ? 2 : 1);
    if (doubled && (end > text.size() || text[k + 1] != '}')) continue;
    out.push_back({i, end});
    i = end - 1;
  }
  return out;
}

}  // namespace communique::text
