// Keyword look-ups over one article: every ASCII word of the lowercased
// text indexed by position (WordIndex), cue-word lists resolved once per
// article (WordListIndex), and small span helpers. Used by every rule of
// the extractor; one instance per article, not shared between threads.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "shared/text/span.h"
#include "shared/text/utf8.h"

namespace communique::extract::internal {

using text::Span;

// ---------------------------------------------------------------------------
// Small text helpers.

constexpr size_t kNpos = static_cast<size_t>(-1);

// Positions of every ASCII word of the lowercased article, grouped by a
// 64-bit hash of the word then sorted by position, so that keyword questions
// ("is 'adopted' in this sentence?") cost a binary search over integers and
// a single-word query is a slice of one array: no strings, no allocation.
// A hash collision between two different words of the article (never seen
// in practice) is detected while building and turns on a verifying path.
class WordIndex {
 public:
  explicit WordIndex(absl::string_view lower) : lower_(lower) {
    // Pass 1: tokens and their word slots (linear, no sort).
    tokens_.reserve(lower.size() / 5 + 8);
    const unsigned char* b = reinterpret_cast<const unsigned char*>(lower.data());
    static const std::array<bool, 256> kAlnum = [] {
      std::array<bool, 256> t{};
      for (int c = 0; c < 256; ++c) t[c] = text::IsAsciiAlnum(static_cast<char>(c));
      return t;
    }();
    auto alnum = [](unsigned char c) { return kAlnum[c]; };
    for (size_t i = 0; i < lower.size();) {
      if (!alnum(b[i])) {
        ++i;
        continue;
      }
      size_t e = i;
      while (e < lower.size() && alnum(b[e])) ++e;
      tokens_.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(e - i),
                         0, kNone});
      i = e;
    }
    size_t cap = 16;
    while (cap < 2 * tokens_.size()) cap <<= 1;
    mask_ = cap - 1;
    slots_.assign(cap, Slot{});
    std::vector<uint32_t> used;  // occupied slots, first use order
    used.reserve(tokens_.size());
    prefix_heads_.assign(cap, kNone);
    for (uint32_t t = 0; t < tokens_.size(); ++t) {
      Token& tok = tokens_[t];
      absl::string_view w(lower_.data() + tok.pos, tok.len);
      uint64_t h = HashWord(w);
      size_t i = h & mask_;
      while (slots_[i].count != 0 && slots_[i].hash != h) i = (i + 1) & mask_;
      Slot& slot = slots_[i];
      if (slot.count == 0) {
        slot.hash = h;
        slot.first = t;
        used.push_back(static_cast<uint32_t>(i));
      } else if (!collided_) {
        const Token& first = tokens_[slot.first];
        if (first.len != tok.len ||
            lower_.compare(first.pos, first.len, w) != 0)
          collided_ = true;
      }
      ++slot.count;
      tok.slot = static_cast<uint32_t>(i);
    }
    // Pass 2: each word's positions contiguous, in text order.
    uint32_t total = 0;
    for (uint32_t i : used) {
      slots_[i].begin = total;
      slots_[i].fill = total;
      total += slots_[i].count;
    }
    positions_.resize(total);
    for (const Token& tok : tokens_) positions_[slots_[tok.slot].fill++] = tok.pos;
    // Chains of the words sharing their first kPrefixKey letters, for
    // prefix queries ("adopt*"), linked in text order.
    for (uint32_t t = static_cast<uint32_t>(tokens_.size()); t-- > 0;) {
      Token& tok = tokens_[t];
      if (tok.len < kPrefixKey) continue;
      size_t i = PrefixKey(lower_.data() + tok.pos) & mask_;
      tok.next_same_prefix = prefix_heads_[i];
      prefix_heads_[i] = t;
    }
  }

  // First occurrence of `word` (lowercase; may contain spaces and
  // punctuation; a trailing '*' allows any continuation of its last
  // letters) within [from, to) on word boundaries, or kNpos.
  size_t Find(absl::string_view word, size_t from, size_t to) const {
    Query q = Parse(word);
    if (q.head.empty()) return kNpos;
    size_t length = q.whole.size();
    absl::Span<const uint32_t> positions =
        q.prefix && q.rest.empty() ? PrefixPositions(q.head) : Slice(q.head);
    auto it = std::lower_bound(positions.begin(), positions.end(),
                               static_cast<uint32_t>(from));
    for (; it != positions.end() && *it < to; ++it) {
      if (!Matches(*it, q)) continue;
      return *it + length > to ? kNpos : *it;
    }
    return kNpos;
  }

  // Calls f(position) for every occurrence of `word` (as for Find),
  // ascending.
  template <typename F>
  void ForEach(absl::string_view word, F f) const {
    Query q = Parse(word);
    if (q.head.empty()) return;
    absl::Span<const uint32_t> positions =
        q.prefix && q.rest.empty() ? PrefixPositions(q.head) : Slice(q.head);
    for (uint32_t pos : positions)
      if (Matches(pos, q)) f(pos);
  }

 private:
  struct Token {
    uint32_t pos;
    uint32_t len;
    uint32_t slot;
    uint32_t next_same_prefix;
  };

  static uint64_t Mix(uint64_t h) {
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 29;
    return h;
  }
  // Eight bytes at a time, then the tail.
  static uint64_t HashWord(absl::string_view w) {
    uint64_t h = 0x9E3779B97F4A7C15ull * (w.size() + 1);
    size_t i = 0;
    for (; i + 8 <= w.size(); i += 8) {
      uint64_t v;
      std::memcpy(&v, w.data() + i, 8);
      h = Mix(h ^ v);
    }
    uint64_t v = 0;
    for (; i < w.size(); ++i) v = (v << 8) | static_cast<unsigned char>(w[i]);
    return Mix(h ^ v);
  }

  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  static constexpr size_t kPrefixKey = 4;
  static uint64_t PrefixKey(const char* p) {
    return HashWord(absl::string_view(p, kPrefixKey));
  }

  // Occurrences of the single word `head` (a maximal alphanumeric run).
  absl::Span<const uint32_t> Slice(absl::string_view head) const {
    uint64_t h = HashWord(head);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.count == 0) return {};
      if (slot.hash == h)
        return absl::MakeConstSpan(positions_.data() + slot.begin, slot.count);
    }
  }

  bool HeadAt(uint32_t pos, absl::string_view head) const {
    size_t end = pos + head.size();
    return lower_.compare(pos, head.size(), head) == 0 &&
           (end == lower_.size() || !text::IsAsciiAlnum(lower_[end]));
  }

  // A query split into its first word and the rest ("took part": "took",
  // " part"); `whole` is the query without its trailing '*'.
  struct Query {
    absl::string_view whole;
    absl::string_view head;
    absl::string_view rest;
    bool prefix = false;
  };
  static Query Parse(absl::string_view word) {
    Query q;
    q.prefix = !word.empty() && word.back() == '*';
    q.whole = absl::string_view(word.data(), word.size() - (q.prefix ? 1 : 0));
    size_t head_len = 0;
    while (head_len < q.whole.size() && text::IsAsciiAlnum(q.whole[head_len]))
      ++head_len;
    q.head = absl::string_view(q.whole.data(), head_len);
    q.rest = absl::string_view(q.whole.data() + head_len,
                               q.whole.size() - head_len);
    return q;
  }

  // Whether the occurrence of q.head at `pos` (from Slice or
  // PrefixPositions) is an occurrence of the whole query.
  bool Matches(uint32_t pos, const Query& q) const {
    if (q.prefix && q.rest.empty()) return true;
    if (q.rest.empty() && !collided_) return true;
    if (collided_ && !HeadAt(pos, q.head)) return false;
    if (lower_.compare(pos + q.head.size(), q.rest.size(), q.rest) != 0)
      return false;
    size_t end = pos + q.whole.size();
    if (end > lower_.size()) return false;
    if (!q.prefix && end < lower_.size() && text::IsAsciiAlnum(lower_[end]))
      return false;
    return true;
  }

  // Positions of the words starting with `head`, in text order; computed
  // once per article and prefix (a handful of rules use prefixes).
  absl::Span<const uint32_t> PrefixPositions(absl::string_view head) const {
    for (const auto& [key, positions] : prefix_cache_)
      if (key == head) return positions;
    prefix_cache_.emplace_back(head, std::vector<uint32_t>());
    std::vector<uint32_t>& out = prefix_cache_.back().second;
    auto match = [&](const Token& t) {
      return t.len >= head.size() &&
             lower_.compare(t.pos, head.size(), head) == 0;
    };
    if (head.size() < kPrefixKey) {
      for (const Token& t : tokens_)
        if (match(t)) out.push_back(t.pos);
      return out;
    }
    for (uint32_t t = prefix_heads_[PrefixKey(head.data()) & mask_];
         t != kNone; t = tokens_[t].next_same_prefix) {
      if (match(tokens_[t])) out.push_back(tokens_[t].pos);
    }
    return out;
  }

  struct Slot {
    uint64_t hash = 0;
    uint32_t begin = 0;  // into positions_
    uint32_t count = 0;  // 0: empty slot
    uint32_t first = 0;  // first token with this hash
    uint32_t fill = 0;   // build cursor
  };

  absl::string_view lower_;
  std::vector<Token> tokens_;  // text order
  std::vector<Slot> slots_;    // open addressing by word hash
  size_t mask_ = 0;
  std::vector<uint32_t> positions_;  // each word's positions, contiguous
  std::vector<uint32_t> prefix_heads_;  // first token per prefix-key slot
  bool collided_ = false;
  // Prefix queries already answered for this article.
  mutable std::vector<std::pair<std::string, std::vector<uint32_t>>>
      prefix_cache_;
};

inline size_t FindWord(const WordIndex& index, absl::string_view word, size_t from,
                size_t to) {
  return index.Find(word, from, to);
}

inline bool HasWord(const WordIndex& index, absl::string_view word, Span range) {
  return index.Find(word, range.begin, range.end) != kNpos;
}

// Every occurrence of any word of a static word list, merged and sorted by
// position (ties: list order), computed once per article and list: the
// rules ask "is any cue word in this sentence?" for every sentence.
class WordListIndex {
 public:
  explicit WordListIndex(const WordIndex& words) : words_(words) {}

  // Earliest occurrence in `range` of any of `words` (a static array: its
  // address is the cache key), or kNpos; *which is set to the word found.
  size_t Find(absl::Span<const absl::string_view> words, Span range,
              absl::string_view* which) const {
    const std::vector<Hit>& hits = HitsOf(words);
    auto it = std::lower_bound(
        hits.begin(), hits.end(), range.begin,
        [](const Hit& h, size_t pos) { return h.pos < pos; });
    for (; it != hits.end() && it->pos < range.end; ++it) {
      if (it->pos + it->length > range.end) continue;
      if (which) *which = words[it->word];
      return it->pos;
    }
    return kNpos;
  }

 private:
  struct Hit {
    uint32_t pos;
    uint32_t length;
    uint32_t word;
  };
  const std::vector<Hit>& HitsOf(absl::Span<const absl::string_view> words) const {
    auto cached = cache_.find(words.data());
    if (cached != cache_.end()) return cached->second;
    std::vector<Hit>& hits = cache_[words.data()];
    for (size_t w = 0; w < words.size(); ++w) {
      size_t length = words[w].size() - (absl::EndsWith(words[w], "*") ? 1 : 0);
      // One cache lookup per word, not one per occurrence.
      words_.ForEach(words[w], [&](uint32_t pos) {
        hits.push_back(
            {pos, static_cast<uint32_t>(length), static_cast<uint32_t>(w)});
      });
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return a.pos != b.pos ? a.pos < b.pos : a.word < b.word;
    });
    return hits;
  }
  const WordIndex& words_;
  mutable absl::flat_hash_map<const absl::string_view*, std::vector<Hit>>
      cache_;
};

template <size_t N>
inline size_t FindAnyWord(const WordListIndex& index,
                   const absl::string_view (&words)[N], Span range,
                   absl::string_view* which = nullptr) {
  return index.Find(absl::MakeConstSpan(words), range, which);
}



// Whether lowercase `s` holds a start date of a term: "from July 1",
// "as of January 1", "effective 1 January", "beginning in March" (any month).
inline bool StartDateFollows(absl::string_view s) {
  for (absl::string_view cue :
       {" from ", " as of ", " effective ", " beginning ", " beginning in "}) {
    for (size_t p = s.find(cue); p != absl::string_view::npos;
         p = s.find(cue, p + 1)) {
      absl::string_view rest = s.substr(p + cue.size());
      // An optional day first: "from 1 January".
      size_t d = 0;
      while (d < rest.size() && text::IsAsciiDigit(rest[d])) ++d;
      if (d > 0 && d <= 2 && d < rest.size() && rest[d] == ' ') rest.remove_prefix(d + 1);
      size_t e = 0;
      while (e < rest.size() && text::IsAsciiLower(rest[e])) ++e;
      if (internal::MonthFromName(rest.substr(0, e)) != 0) return true;
    }
  }
  return false;
}

// ASCII lowercase copy (a loop the compiler vectorises; same bytes as
// absl::AsciiStrToLower).
inline std::string LowerAscii(absl::string_view s) {
  std::string out(s.data(), s.size());
  const char* in = out.data();
  char* o = out.data();
  size_t i = 0;
  // Eight bytes at a time: add 0x20 to each byte in 'A'..'Z' (SWAR).
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, in + i, 8);
    uint64_t low7 = x & ~kHigh;
    uint64_t ge_a = low7 + kOnes * (0x80 - 'A');      // high bit: >= 'A'
    uint64_t gt_z = low7 + kOnes * (0x80 - 'Z' - 1);  // high bit: > 'Z'
    uint64_t upper = ge_a & ~gt_z & ~x & kHigh;        // ASCII 'A'..'Z'
    x |= upper >> 2;                                   // 0x80 >> 2 == 0x20
    std::memcpy(o + i, &x, 8);
  }
  for (; i < s.size(); ++i) o[i] = absl::ascii_tolower(static_cast<unsigned char>(in[i]));
  return out;
}

// Trims spaces and the given punctuation from both ends of a span.
inline Span TrimSpan(absl::string_view s, Span span) {
  auto junk = [](char c) {
    return c == ' ' || c == ',' || c == ';' || c == ':' || c == '.' ||
           c == '"' || c == '\'' || c == '(' || c == ')';
  };
  while (span.begin < span.end && junk(s[span.begin])) ++span.begin;
  while (span.end > span.begin && junk(s[span.end - 1])) --span.end;
  return span;
}

}  // namespace communique::extract::internal
