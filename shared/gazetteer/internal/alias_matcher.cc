#include "shared/gazetteer/internal/alias_matcher.h"

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "shared/text/utf8.h"

namespace communique::gazetteer::internal {
namespace {

unsigned char Fold(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<unsigned char>(c - 'A' + 'a');
  if (c == '-') return ' ';
  return c;
}

}  // namespace

int32_t AliasMatcher::Add(absl::string_view pattern, bool exact_case) {
  patterns_.push_back({std::string(pattern), exact_case});
  return static_cast<int32_t>(patterns_.size() - 1);
}

void AliasMatcher::Build() {
  // Alphabet: every folded byte that occurs in a pattern gets a class.
  std::fill(std::begin(byte_class_), std::end(byte_class_), 0);
  num_classes_ = 1;
  uint8_t folded_class[256] = {};
  for (const Pattern& p : patterns_) {
    for (unsigned char c : p.text) {
      unsigned char f = Fold(c);
      if (folded_class[f] == 0) {
        if (num_classes_ >= 255) continue;  // cannot happen for sane data
        folded_class[f] = static_cast<uint8_t>(num_classes_++);
      }
    }
  }
  for (int b = 0; b < 256; ++b) {
    byte_class_[b] = folded_class[Fold(static_cast<unsigned char>(b))];
  }
  // Trie.
  const int k = num_classes_;
  std::vector<int32_t> next(k, -1);  // next[state * k + class]: plain DFA
  output_.assign(1, -1);
  same_node_next_.assign(patterns_.size(), -1);
  for (size_t i = 0; i < patterns_.size(); ++i) {
    const std::string& p = patterns_[i].text;
    if (p.empty()) continue;
    int32_t state = 0;
    for (unsigned char c : p) {
      int cls = byte_class_[c];
      int32_t& slot = next[state * k + cls];
      if (slot < 0) {
        slot = static_cast<int32_t>(output_.size());
        output_.push_back(-1);
        next.resize(next.size() + k, -1);
      }
      state = next[state * k + cls];
    }
    same_node_next_[i] = output_[state];
    output_[state] = static_cast<int32_t>(i);
  }
  // Failure links by BFS, turning the trie into a full DFA.
  const size_t n = output_.size();
  std::vector<int32_t> fail(n, 0);
  output_link_.assign(n, -1);
  std::deque<int32_t> queue;
  for (int c = 0; c < k; ++c) {
    int32_t& s = next[c];
    if (s < 0) {
      s = 0;
    } else {
      fail[s] = 0;
      queue.push_back(s);
    }
  }
  while (!queue.empty()) {
    int32_t r = queue.front();
    queue.pop_front();
    int32_t f = fail[r];
    output_link_[r] = output_[f] >= 0 ? f : output_link_[f];
    for (int c = 0; c < k; ++c) {
      int32_t& s = next[r * k + c];
      if (s < 0) {
        s = next[f * k + c];
      } else {
        fail[s] = next[f * k + c];
        queue.push_back(s);
      }
    }
  }
  next[0 * k + 0] = 0;

  // Scan tables (see the header). The trie and failure links above stay
  // simple; only the hot loop sees this compact form.
  emit_.assign(n, -1);
  for (size_t s = 0; s < n; ++s)
    emit_[s] = output_[s] >= 0 ? static_cast<int32_t>(s) : output_link_[s];
  dfa_.assign(next.size(), 0);
  for (size_t i = 0; i < next.size(); ++i) {
    const uint32_t target = static_cast<uint32_t>(next[i]);
    dfa_[i] = ((target * static_cast<uint32_t>(k)) << 1) |
              (emit_[target] >= 0 ? 1u : 0u);
  }
}

bool AliasMatcher::Accept(absl::string_view text, size_t begin, size_t end,
                          const Pattern& pattern) const {
  if (text::IsWordCharBefore(text, begin)) return false;
  if (pattern.exact_case) {
    for (size_t i = 0; i < pattern.text.size(); ++i) {
      char a = text[begin + i];
      char b = pattern.text[i];
      if (a != b && !((a == '-' || a == ' ') && (b == '-' || b == ' ')))
        return false;
    }
  }
  // A pattern ending in '.' ("U.N.") needs no boundary after it.
  if (!pattern.text.empty() && pattern.text.back() == '.') return true;
  return !text::IsWordCharAt(text, end);
}

std::vector<AliasMatch> AliasMatcher::FindAll(absl::string_view text) const {
  std::vector<AliasMatch> out;
  if (patterns_.empty() || dfa_.empty()) return out;
  const uint32_t k = static_cast<uint32_t>(num_classes_);
  const uint32_t* dfa = dfa_.data();
  const uint8_t* byte_class = byte_class_;
  uint32_t tagged = 0;  // the root's row, no output
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size(); ++i) {
    tagged = dfa[(tagged >> 1) + byte_class[bytes[i]]];
    if ((tagged & 1) == 0) continue;
    int32_t s = emit_[(tagged >> 1) / k];
    while (s >= 0) {
      for (int32_t p = output_[s]; p >= 0; p = same_node_next_[p]) {
        const Pattern& pattern = patterns_[p];
        size_t end = i + 1;
        size_t begin = end - pattern.text.size();
        if (Accept(text, begin, end, pattern)) {
          out.push_back({{begin, end}, p});
        } else if (!pattern.exact_case && end < text.size() &&
                   (text[end] == 's' || text[end] == 'S') &&
                   !text::IsWordCharAt(text, end + 1) &&
                   !text::IsWordCharBefore(text, begin) &&
                   text::IsWordCharBefore(text, end)) {
          out.push_back({{begin, end + 1}, p});
        }
      }
      s = output_link_[s];
    }
  }
  std::sort(out.begin(), out.end(),
            [](const AliasMatch& a, const AliasMatch& b) {
              if (a.span.begin != b.span.begin)
                return a.span.begin < b.span.begin;
              if (a.span.end != b.span.end) return a.span.end > b.span.end;
              return a.pattern < b.pattern;
            });
  return out;
}

std::vector<AliasMatch> AliasMatcher::FindLongest(
    absl::string_view text) const {
  std::vector<AliasMatch> all = FindAll(text);
  std::vector<AliasMatch> out;
  size_t covered = 0;
  for (const AliasMatch& m : all) {
    // Several patterns may match the very same span; keep them all.
    if (!out.empty() && out.back().span == m.span) {
      out.push_back(m);
      continue;
    }
    if (m.span.begin < covered) continue;
    out.push_back(m);
    covered = m.span.end;
  }
  return out;
}

}  // namespace communique::gazetteer::internal
