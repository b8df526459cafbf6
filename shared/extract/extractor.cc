#include "shared/extract/extractor.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/types/span.h"
#include "shared/extract/internal/dates.h"
#include "shared/extract/internal/lists.h"
#include "shared/schema/names.h"
#include "shared/text/boilerplate.h"
#include "shared/text/garbled.h"
#include "shared/text/sentences.h"
#include "shared/text/utf8.h"

namespace communique::extract {
namespace {

using gazetteer::DayRange;
using gazetteer::EntityKind;
using gazetteer::EntityRef;
using gazetteer::Gazetteer;
using gazetteer::Mention;
using internal::TextDate;
using text::Span;

constexpr size_t kMaxQuote = 300;

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

size_t FindWord(const WordIndex& index, absl::string_view word, size_t from,
                size_t to) {
  return index.Find(word, from, to);
}

bool HasWord(const WordIndex& index, absl::string_view word, Span range) {
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
size_t FindAnyWord(const WordListIndex& index,
                   const absl::string_view (&words)[N], Span range,
                   absl::string_view* which = nullptr) {
  return index.Find(absl::MakeConstSpan(words), range, which);
}



// Whether lowercase `s` holds a start date of a term: "from July 1",
// "as of January 1", "effective 1 January", "beginning in March" (any month).
bool StartDateFollows(absl::string_view s) {
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
std::string LowerAscii(absl::string_view s) {
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
Span TrimSpan(absl::string_view s, Span span) {
  auto junk = [](char c) {
    return c == ' ' || c == ',' || c == ';' || c == ':' || c == '.' ||
           c == '"' || c == '\'' || c == '(' || c == ')';
  };
  while (span.begin < span.end && junk(s[span.begin])) ++span.begin;
  while (span.end > span.begin && junk(s[span.end - 1])) --span.end;
  return span;
}

// ---------------------------------------------------------------------------
// Vocabulary. Lowercase; '*' = prefix.

constexpr absl::string_view kSummitWords[] = {
    "summit", "summits", "session", "sessions", "meeting", "council",
    "talks"};
constexpr absl::string_view kParticipationWords[] = {
    "attend*", "participat*", "took part", "take part", "taking part",
    "delegation*", "joined", "including those from", "leaders of",
    "heads of state", "present were", "gathered", "represented"};
constexpr absl::string_view kAdoptionWords[] = {
    "adopt*",  "approv*", "signed",   "signing",  "sign",
    "signs",   "endors*", "ratif*",   "finaliz*", "finalis*",
    "presented"};
constexpr absl::string_view kFutureChairWords[] = {
    "take on", "take over", "took over", "takes over", "taking over",
    "assume*", "assuming", "upcoming", "incoming", "next", "will",
    "starting", "handed over", "hand over", "hands over", "passed to",
    "pass to", "to chair", "is to", "passed", "passes", "handed", "hands",
    "transferred", "transfers"};
// Every word internal::MonthFromName accepts, lowercase.
constexpr absl::string_view kMonthWords[] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"};
constexpr absl::string_view kVideoWords[] = {
    "videoconference", "video conference", "video-conference", "video link",
    "videolink", "video format", "online format", "virtual format"};

struct KindWord {
  absl::string_view singular;
  absl::string_view plural;
  v1::DeclarationKind kind;
};
constexpr KindWord kKinds[] = {
    {"declaration", "declarations", v1::DECLARATION_KIND_DECLARATION},
    {"statement", "statements", v1::DECLARATION_KIND_STATEMENT},
    {"protocol", "protocols", v1::DECLARATION_KIND_PROTOCOL},
    {"agreement", "agreements", v1::DECLARATION_KIND_AGREEMENT},
    {"treaty", "treaties", v1::DECLARATION_KIND_TREATY},
    {"program", "programs", v1::DECLARATION_KIND_PROGRAM},
    {"programme", "programmes", v1::DECLARATION_KIND_PROGRAM},
    {"strategy", "strategies", v1::DECLARATION_KIND_STRATEGY},
    {"concept", "concepts", v1::DECLARATION_KIND_CONCEPT},
    {"plan", "plans", v1::DECLARATION_KIND_PLAN},
    {"decision", "decisions", v1::DECLARATION_KIND_DECISION},
    {"resolution", "resolutions", v1::DECLARATION_KIND_RESOLUTION},
    {"memorandum", "memoranda", v1::DECLARATION_KIND_MEMORANDUM},
    {"communique", "communiques", v1::DECLARATION_KIND_OTHER},
    {"charter", "charters", v1::DECLARATION_KIND_OTHER},
    {"appeal", "appeals", v1::DECLARATION_KIND_OTHER},
};

// Every singular and plural of kKinds, for a quick "any document here?".
constexpr absl::string_view kKindWords[] = {
    "declaration", "declarations", "statement",  "statements", "protocol",
    "protocols",   "agreement",    "agreements", "treaty",     "treaties",
    "program",     "programs",     "programme",  "programmes", "strategy",
    "strategies",  "concept",      "concepts",   "plan",       "plans",
    "decision",    "decisions",    "resolution", "resolutions", "memorandum",
    "memoranda",   "communique",   "communiques", "charter",   "charters",
    "appeal",      "appeals"};

const char* KindTitle(v1::DeclarationKind kind) {
  switch (kind) {
    case v1::DECLARATION_KIND_DECLARATION: return "Declaration";
    case v1::DECLARATION_KIND_STATEMENT: return "Statement";
    case v1::DECLARATION_KIND_PROTOCOL: return "Protocol";
    case v1::DECLARATION_KIND_AGREEMENT: return "Agreement";
    case v1::DECLARATION_KIND_TREATY: return "Treaty";
    case v1::DECLARATION_KIND_PROGRAM: return "Program";
    case v1::DECLARATION_KIND_STRATEGY: return "Strategy";
    case v1::DECLARATION_KIND_CONCEPT: return "Concept";
    case v1::DECLARATION_KIND_PLAN: return "Plan";
    case v1::DECLARATION_KIND_DECISION: return "Decision";
    case v1::DECLARATION_KIND_RESOLUTION: return "Resolution";
    case v1::DECLARATION_KIND_MEMORANDUM: return "Memorandum";
    default: return "Document";
  }
}

// The title word for a document kind: "Declaration", or for kinds without
// an enum of their own the word itself ("Appeal", "Charter").
std::string KindHead(const KindWord& k) {
  if (k.kind != v1::DECLARATION_KIND_OTHER) return KindTitle(k.kind);
  std::string w(k.singular);
  w[0] = absl::ascii_toupper(w[0]);
  return w;
}

std::string RoleFamily(absl::string_view role) {
  std::string r = absl::AsciiStrToLower(role);
  if (absl::StrContains(r, "secretary")) return "secretary general";
  if (absl::StrContains(r, "prime minister") || absl::StrContains(r, "premier"))
    return "prime minister";
  if (absl::StrContains(r, "president") || absl::StrContains(r, "head of state"))
    return "president";
  return r;
}

// ---------------------------------------------------------------------------
// The per-article working state.

struct Sentence {
  Span span;
  size_t line;         // index of the paragraph (line) it is in
  int first_mention;   // mentions [first_mention, end_mention)
  int end_mention;
};

// A person, state or organisation official that a phrase refers to.
struct Referent {
  int person = -1;         // gazetteer person index
  std::string country;     // state name
  std::string organization;
  std::string role;        // canonical role
  bool valid() const {
    return person >= 0 || !country.empty() || !organization.empty();
  }
};

struct ParticipantDraft {
  Referent who;
  bool remote = false;
  std::vector<Span> evidence;
  bool named_in_text = false;
  // A state named bare in a sentence about who took part ("leaders of
  // Russia, Belarus and Armenia"): its role is assumed.
  bool bare_state = false;
};

class Run {
 public:
  Run(const Gazetteer& g, absl::string_view text, const ArticleContext& ctx)
      : g_(g),
        text_(text),
        ctx_(ctx),
        lower_(LowerAscii(text)),
        words_(lower_),
        lists_(words_) {}

  v1::ArticleExtraction Extract();

 private:
  // Analysis steps.
  void FindBodyAndWarnings();
  void SplitBody();
  bool ChooseSummit();
  void InferDate();
  void FindLocation();
  void FindFormats();
  void FindParticipants();
  void FindChairs();
  void FindPresiding();
  void FindDocumentsCount();
  void FindDeclarations();
  void FindInitiatives();
  bool DocumentIsSubject(Span sentence, size_t cue) const;
  void FindTopics();
  void FindOutsideCooperation(std::vector<bool>* seen);
  bool DescribesAPerson(Span span) const;
  void AddWarning(absl::string_view kind, std::string message, Span span);

  // Helpers.
  v1::Evidence MakeEvidence(Span span) const;
  bool Excluded(Span span) const;
  const EntityRef* RefOfKind(const Mention& m, EntityKind kind) const;
  DayRange SummitRange() const;
  std::string CountryOfPerson(int person) const;
  std::string RoleOfPerson(int person) const;
  Referent ResolveRole(const std::string& role, const std::string& country,
                       const std::string& organization) const;
  // The referent of mention `i` (person, state, demonym+role...), or an
  // invalid one. Sets *consumed to the last mention index it used.
  Referent ReferentAt(int i, int* consumed) const;
  int SentenceOf(size_t pos) const;
  Referent FocusBefore(size_t pos) const;
  std::string CountryOfReferent(const Referent& r) const {
    if (!r.country.empty()) return r.country;
    if (r.person >= 0) return CountryOfPerson(r.person);
    return "";
  }
  void AddParticipant(ParticipantDraft draft);
  std::optional<TextDate> FirstDateWithYear(Span range) const;
  // internal::FindDates over sentence `s` (one of sentences_), memoised:
  // several rules ask for the dates of the same sentences.
  const std::vector<TextDate>& DatesIn(const Sentence& s,
                                       bool bare_years) const;

  const Gazetteer& g_;
  absl::string_view text_;
  const ArticleContext& ctx_;
  std::string lower_;
  WordIndex words_;
  WordListIndex lists_;
  // Topic phrase occurrences in the body, found once.
  std::vector<gazetteer::TopicMention> topic_mentions_;

  v1::ArticleExtraction out_;
  size_t body_end_ = 0;
  std::vector<Span> excluded_;
  std::vector<Span> garbled_;
  std::vector<Span> lines_;
  std::vector<Sentence> sentences_;
  std::vector<Mention> mentions_;
  // DatesIn's memo, per sentence: [bare_years].
  mutable std::vector<std::vector<TextDate>> sentence_dates_[2];
  mutable std::vector<bool> have_sentence_dates_[2];

  // The summit being built.
  int org_ = -1;
  int body_ = -1;
  Span summit_evidence_;
  v1::PartialDate date_;
  Span date_evidence_;
  std::optional<TextDate> header_date_;
  std::string city_;
  std::string country_;
  Span location_evidence_;
  std::vector<ParticipantDraft> participants_;
  int presiding_person_ = -1;
  std::string chair_country_;
  std::string next_chair_country_;
  v1::PartialDate next_chair_from_;
  Span next_chair_evidence_;
  std::vector<v1::SummitFormat> formats_;
  int documents_count_ = 0;
  std::vector<std::string> topics_;
  std::string summit_name_;
};

// ---------------------------------------------------------------------------

v1::Evidence Run::MakeEvidence(Span span) const {
  v1::Evidence e;
  e.set_article(ctx_.article_name);
  e.set_begin(static_cast<uint32_t>(span.begin));
  e.set_end(static_cast<uint32_t>(span.end));
  absl::string_view quote = span.Of(text_);
  if (quote.size() > kMaxQuote) {
    size_t cut = kMaxQuote - 3;
    while (cut > 0 && (static_cast<unsigned char>(quote[cut]) & 0xC0) == 0x80)
      --cut;
    e.set_quote(absl::StrCat(quote.substr(0, cut), "\xE2\x80\xA6"));
  } else {
    e.set_quote(std::string(quote));
  }
  return e;
}

void Run::AddWarning(absl::string_view kind, std::string message, Span span) {
  v1::Warning* w = out_.add_warnings();
  w->set_kind(std::string(kind));
  w->set_message(std::move(message));
  if (!span.empty()) *w->mutable_span() = MakeEvidence(span);
}

bool Run::Excluded(Span span) const {
  if (span.begin >= body_end_) return true;
  for (const Span& e : excluded_)
    if (e.Overlaps(span)) return true;
  for (const Span& e : garbled_)
    if (e.Overlaps(span)) return true;
  return false;
}

const EntityRef* Run::RefOfKind(const Mention& m, EntityKind kind) const {
  for (const EntityRef& r : m.refs)
    if (r.kind == kind) return &r;
  return nullptr;
}

void Run::FindBodyAndWarnings() {
  body_end_ = text::FindAppendedTranscript(text_);
  if (body_end_ < text_.size()) {
    AddWarning("appended_interview",
               "an interview transcript follows the article; it is not used "
               "for facts",
               {body_end_, text_.size()});
  }
  for (const auto& line : text::FindBoilerplateLines(text_)) {
    excluded_.push_back(line.span);
    AddWarning("boilerplate", absl::StrCat("boilerplate line (", line.reason,
                                           ") ignored"),
               line.span);
  }
  for (const Span& p : text::FindPlaceholders(text_)) {
    excluded_.push_back(p);
    AddWarning("placeholder", "template placeholder left in the text", p);
  }
  garbled_ = text::FindGarbledSpans(text_);
  for (const Span& s : garbled_) {
    AddWarning("garbled", "word mixes writing systems (garbled text)", s);
  }
  // A last paragraph that stops mid-sentence.
  lines_ = text::SplitLines(text_);
  for (const Span& line : lines_) {
    if (line.end > body_end_ || line.empty()) continue;
    bool boilerplate = false;
    for (const Span& e : excluded_)
      if (e.Overlaps(line)) boilerplate = true;
    if (boilerplate) continue;
    absl::string_view l = absl::StripTrailingAsciiWhitespace(line.Of(text_));
    if (l.size() < 120) continue;
    char last = l.back();
    if (last != '.' && last != '!' && last != '?' && last != '"' &&
        last != ')' && last != ':' &&
        static_cast<unsigned char>(last) < 0x80) {
      AddWarning("truncated_sentence", "paragraph ends mid-sentence", line);
    }
  }
}

void Run::SplitBody() {
  size_t line_index = 0;
  std::vector<Span> body_sentences;
  for (size_t li = 0; li < lines_.size(); ++li) {
    const Span& line = lines_[li];
    if (line.begin >= body_end_) break;
    bool skip = false;
    for (const Span& e : excluded_)
      if (e.Contains(line) && !line.empty()) skip = true;
    if (skip || line.empty()) continue;
    Span range{line.begin, std::min(line.end, body_end_)};
    for (const Span& s : text::SplitSentences(text_, range)) {
      sentences_.push_back({s, li, 0, 0});
    }
    ++line_index;
  }
  std::vector<Mention> all = g_.FindMentions(text_.substr(0, body_end_));
  size_t si = 0;
  for (Sentence& s : sentences_) s.first_mention = s.end_mention = -1;
  for (const Mention& m : all) {
    if (Excluded(m.span)) continue;
    while (si < sentences_.size() && sentences_[si].span.end <= m.span.begin)
      ++si;
    if (si >= sentences_.size()) break;
    if (!sentences_[si].span.Contains(m.span.begin)) continue;
    int idx = static_cast<int>(mentions_.size());
    mentions_.push_back(m);
    if (sentences_[si].first_mention < 0) sentences_[si].first_mention = idx;
    sentences_[si].end_mention = idx + 1;
  }
  for (Sentence& s : sentences_) {
    if (s.first_mention < 0) s.first_mention = s.end_mention = 0;
  }
}

int Run::SentenceOf(size_t pos) const {
  // Sentences are in text order and do not overlap.
  auto it = std::upper_bound(
      sentences_.begin(), sentences_.end(), pos,
      [](size_t p, const Sentence& s) { return p < s.span.begin; });
  if (it == sentences_.begin()) return -1;
  --it;
  if (pos < it->span.end) return static_cast<int>(it - sentences_.begin());
  return -1;
}

bool Run::ChooseSummit() {
  const int n_org = g_.data().organizations_size();
  std::vector<double> score(n_org, 0.0);
  std::vector<std::map<int, int>> body_hits(n_org);
  std::vector<bool> qualified(n_org, false);
  for (size_t si = 0; si < sentences_.size(); ++si) {
    const Sentence& s = sentences_[si];
    bool summit_word = FindAnyWord(lists_, kSummitWords, s.span) != kNpos;
    double weight = si < 3 ? 1.5 : 1.0;
    for (int i = s.first_mention; i < s.end_mention; ++i) {
      const Mention& m = mentions_[i];
      for (const EntityRef& r : m.refs) {
        if (r.kind == EntityKind::kOrganization) {
          score[r.index] += weight;
          if (summit_word) qualified[r.index] = true;
        } else if (r.kind == EntityKind::kBody) {
          score[r.index] += 3 * weight;
          body_hits[r.index][r.sub]++;
          qualified[r.index] = true;
        }
      }
    }
  }
  int best = -1;
  for (int o = 0; o < n_org; ++o) {
    if (!qualified[o] || g_.data().organizations(o).bodies_size() == 0)
      continue;
    if (best < 0 || score[o] > score[best]) best = o;
  }
  if (best < 0) return false;
  org_ = best;
  const auto& org = g_.data().organizations(best);
  int body = -1;
  int hits = 0;
  for (const auto& [b, count] : body_hits[best]) {
    if (count > hits) {
      hits = count;
      body = b;
    }
  }
  if (body < 0) {
    for (int b = 0; b < org.bodies_size(); ++b)
      if (org.bodies(b).heads_of_state()) {
        body = b;
        break;
      }
  }
  if (body < 0) body = 0;
  body_ = body;
  // Evidence: the first sentence naming the body, else the organisation
  // together with a summit word.
  for (const Sentence& s : sentences_) {
    for (int i = s.first_mention; i < s.end_mention; ++i) {
      for (const EntityRef& r : mentions_[i].refs) {
        if (r.index != best) continue;
        if ((r.kind == EntityKind::kBody && r.sub == body) ||
            (r.kind == EntityKind::kOrganization &&
             FindAnyWord(lists_, kSummitWords, s.span) != kNpos)) {
          if (summit_evidence_.empty()) summit_evidence_ = s.span;
        }
      }
    }
    if (!summit_evidence_.empty()) break;
  }
  return true;
}

DayRange Run::SummitRange() const {
  if (date_.year() == 0) {
    return {absl::CivilDay(1900, 1, 1), absl::CivilDay(2100, 12, 31)};
  }
  if (date_.day() != 0) {
    return gazetteer::DayRangeOf(
        absl::CivilDay(date_.year(), date_.month(), date_.day()));
  }
  if (date_.month() != 0) {
    absl::CivilMonth m(date_.year(), date_.month());
    return {absl::CivilDay(m), absl::CivilDay(m + 1) - 1};
  }
  return gazetteer::YearRange(date_.year());
}

const std::vector<TextDate>& Run::DatesIn(const Sentence& s,
                                          bool bare_years) const {
  size_t si = static_cast<size_t>(&s - sentences_.data());
  auto& memo = sentence_dates_[bare_years ? 1 : 0];
  auto& have = have_sentence_dates_[bare_years ? 1 : 0];
  if (memo.size() != sentences_.size()) {
    memo.assign(sentences_.size(), {});
    have.assign(sentences_.size(), false);
  }
  if (!have[si]) {
    memo[si] = internal::FindDates(text_, s.span, bare_years);
    have[si] = true;
  }
  return memo[si];
}

std::optional<TextDate> Run::FirstDateWithYear(Span range) const {
  for (const TextDate& d : internal::FindDates(text_, range, true)) {
    if (d.year != 0) return d;
  }
  return std::nullopt;
}

void Run::InferDate() {
  header_date_ = internal::FindDateHeader(text_);
  // 1. An explicit date in a sentence about the session itself.
  std::optional<TextDate> event_date;
  for (const Sentence& s : sentences_) {
    bool about_session = FindAnyWord(lists_, kSummitWords, s.span) != kNpos;
    if (!about_session) continue;
    // A day needs a month name (internal::MonthFromName's words).
    if (FindAnyWord(lists_, kMonthWords, s.span) == kNpos) continue;
    static constexpr absl::string_view kNotEvent[] = {
        "chairmanship", "presidency", "starting", "since", "next", "until"};
    for (const TextDate& d : DatesIn(s, false)) {
      if (d.month == 0 || d.day == 0) continue;
      if (header_date_ && header_date_->span.Overlaps(d.span)) continue;
      Span before{d.span.begin > s.span.begin + 40 ? d.span.begin - 40
                                                   : s.span.begin,
                  d.span.begin};
      if (FindAnyWord(lists_, kNotEvent, before) != kNpos) continue;
      // "will take office on January 1, 2020" is a handover, not the session.
      if (d.month == 1 && d.day == 1) continue;
      if (!event_date) {
        event_date = d;
        date_evidence_ = s.span;
        if (d.year != 0) break;
        continue;
      }
      // "YEREVAN, Nov 23 – ... met on November 23, 2022": the same day
      // stated with its year completes a year-less first date. Other dates
      // (often of past events) never replace it.
      if (event_date->year == 0 && d.year != 0 &&
          d.month == event_date->month && d.day == event_date->day) {
        event_date = d;
        date_evidence_ = s.span;
        break;
      }
    }
    if (event_date && event_date->year != 0) break;
  }
  std::optional<absl::CivilDay> hint;
  if (header_date_) {
    hint = absl::CivilDay(header_date_->year, header_date_->month,
                          header_date_->day);
  } else if (ctx_.published) {
    hint = ctx_.published;
  }
  if (event_date) {
    int year = event_date->year;
    if (year == 0 && hint) {
      year = static_cast<int>(hint->year());
      // "Nov. 28" reported in January is last year's.
      if (event_date->month > hint->month() + 1) --year;
    }
    if (year != 0) {
      date_.set_year(year);
      date_.set_month(event_date->month);
      date_.set_day(event_date->day);
      date_.set_precision(v1::DATE_PRECISION_DAY);
      return;
    }
  }
  // A dateline with a month and day: "YEREVAN, Nov 23 –".
  std::optional<TextDate> dateline_day;
  for (size_t li = 0; li < lines_.size() && li < 8; ++li) {
    const Span& line = lines_[li];
    if (line.begin >= body_end_ || line.empty()) continue;
    absl::string_view l = line.Of(text_);
    size_t dash = l.find("\xE2\x80\x93");
    if (dash == absl::string_view::npos) dash = l.find("\xE2\x80\x94");
    if (dash == absl::string_view::npos) dash = l.find(" - ");
    if (dash == absl::string_view::npos || dash > 60) continue;
    for (const TextDate& d :
         internal::FindDates(text_, {line.begin, line.begin + dash}, false)) {
      if (d.month != 0 && d.day != 0) {
        dateline_day = d;
        break;
      }
    }
    if (dateline_day) break;
  }
  if (dateline_day && dateline_day->year != 0) {
    date_.set_year(dateline_day->year);
    date_.set_month(dateline_day->month);
    date_.set_day(dateline_day->day);
    date_.set_precision(v1::DATE_PRECISION_DAY);
    date_evidence_ = dateline_day->span;
    return;
  }
  if (hint) {
    // Reports appear on the day of the session: the dateline date is the
    // session's date.
    date_.set_year(static_cast<int>(hint->year()));
    date_.set_month(hint->month());
    date_.set_day(hint->day());
    date_.set_precision(v1::DATE_PRECISION_DAY);
    if (header_date_) date_evidence_ = header_date_->span;
    return;
  }
  // 2. Year votes: handovers ("chairmanship from January 1, 2025" -> 2024),
  // "next session ... in 2021" -> 2020, event names ("Skala-2024").
  std::map<int, double> votes;
  std::map<int, Span> vote_evidence;
  for (const Sentence& s : sentences_) {
    bool handover = HasWord(words_, "chairmanship", s.span) ||
                    HasWord(words_, "presidency", s.span) ||
                    HasWord(words_, "chair", s.span);
    bool next_session =
        (HasWord(words_, "next", s.span) || HasWord(words_, "upcoming", s.span)) &&
        FindAnyWord(lists_, kSummitWords, s.span) != kNpos;
    if (!handover && !next_session) continue;
    for (const TextDate& d : DatesIn(s, true)) {
      if (d.year == 0) continue;
      int year = d.year;
      size_t end = d.span.end;
      // "its 2021-2022 presidency": the range's end year.
      if (end + 5 <= s.span.end && text_[end] == '-' &&
          text::IsAsciiDigit(text_[end + 1])) {
        int second = 0;
        if (absl::SimpleAtoi(text_.substr(end + 1, 4), &second) &&
            second >= year && second <= year + 1) {
          year = second;
          end += 5;
        }
      }
      // "Armenia's 2022 chairmanship": the current term's year.
      absl::string_view next = absl::string_view(lower_).substr(
          end, std::min<size_t>(16, s.span.end - end));
      if (handover && d.month == 0 &&
          (absl::StartsWith(next, " chairmanship") ||
           absl::StartsWith(next, " presidency") ||
           absl::StartsWith(next, " chair"))) {
        votes[year] += 2;
        vote_evidence.emplace(year, s.span);
        continue;
      }
      if (d.month == 0 || (d.month == 1 && (d.day == 0 || d.day == 1))) {
        votes[year - 1] += 2;
        vote_evidence.emplace(year - 1, s.span);
      }
    }
  }
  // "will take office on January 1, 2020": the session is in the year before.
  for (const Sentence& s : sentences_) {
    // Only a sentence naming January can hold January 1.
    if (!HasWord(words_, "january", s.span) && !HasWord(words_, "jan", s.span))
      continue;
    for (const TextDate& d : DatesIn(s, false)) {
      if (d.year == 0 || d.month != 1 || d.day != 1) continue;
      Span before{d.span.begin > s.span.begin + 30 ? d.span.begin - 30
                                                   : s.span.begin,
                  d.span.begin};
      if (FindAnyWord(lists_, kFutureChairWords, before) != kNpos ||
          HasWord(words_, "take office", before) ||
          HasWord(words_, "from", before)) {
        votes[d.year - 1] += 1;
        vote_evidence.emplace(d.year - 1, s.span);
      }
    }
  }
  for (const TextDate& d :
       internal::FindEventNameYears(text_, {0, body_end_})) {
    if (Excluded(d.span)) continue;
    votes[d.year] += 1;
    int si = SentenceOf(d.span.begin);
    if (si >= 0) vote_evidence.emplace(d.year, sentences_[si].span);
  }
  // The dated roster: a person named with an explicit role ("acting
  // President Talant Mamytov") held it only in some years.
  for (size_t i = 0; i + 1 < mentions_.size(); ++i) {
    const EntityRef* role = RefOfKind(mentions_[i], EntityKind::kRole);
    if (!role) continue;
    size_t j = i + 1;
    // Skip "of Kyrgyzstan".
    if (j + 1 < mentions_.size() &&
        RefOfKind(mentions_[j], EntityKind::kState) &&
        mentions_[j].span.begin - mentions_[i].span.end < 6)
      ++j;
    const EntityRef* person = RefOfKind(mentions_[j], EntityKind::kPerson);
    if (!person || mentions_[j].span.begin - mentions_[j - 1].span.end > 3)
      continue;
    const std::string& role_name = g_.data().roles(role->index).role();
    const auto& p = g_.data().people(person->index);
    // The distinct years of those terms; more than three is no constraint.
    int years[3];
    int n_years = 0;
    bool too_many = false;
    auto in_years = [&](int y) {
      return std::find(years, years + n_years, y) != years + n_years;
    };
    for (int t = 0; t < p.terms_size() && !too_many; ++t) {
      if (p.terms(t).role() != role_name) continue;
      DayRange r = g_.TermRange(person->index, t);
      for (int y = static_cast<int>(r.first.year());
           y <= static_cast<int>(std::min<absl::civil_year_t>(r.last.year(), 2100));
           ++y) {
        if (in_years(y)) continue;
        if (n_years == 3) {
          too_many = true;
          break;
        }
        years[n_years++] = y;
      }
    }
    if (n_years == 0 || too_many) continue;
    // Constrain the votes.
    bool any = false;
    for (auto& [y, v] : votes)
      if (in_years(y)) any = true;
    if (any) {
      for (auto& [y, v] : votes)
        if (!in_years(y)) v = 0;
    }
  }
  int best_year = 0;
  double best = 0;
  for (const auto& [y, v] : votes) {
    if (v > best) {
      best = v;
      best_year = y;
    }
  }
  if (best_year != 0) {
    date_.set_year(best_year);
    date_.set_precision(v1::DATE_PRECISION_YEAR);
    date_evidence_ = vote_evidence[best_year];
    if (dateline_day) {
      date_.set_month(dateline_day->month);
      date_.set_day(dateline_day->day);
      date_.set_precision(v1::DATE_PRECISION_DAY);
    } else if (event_date && event_date->year == 0) {
      date_.set_month(event_date->month);
      date_.set_day(event_date->day);
      date_.set_precision(v1::DATE_PRECISION_DAY);
    }
  }
}

void Run::FindLocation() {
  // Dateline: "ASTANA –", "DUSHANBE. KAZINFORM –" at a paragraph start.
  size_t lines_seen = 0;
  for (const Span& line : lines_) {
    if (line.begin >= body_end_ || lines_seen > 6) break;
    if (line.empty()) continue;
    ++lines_seen;
    size_t start = line.begin;
    if (header_date_ && header_date_->span.end <= line.end &&
        header_date_->span.begin >= line.begin) {
      start = header_date_->span.end;
    }
    while (start < line.end && text_[start] == ' ') ++start;
    size_t p = start;
    while (p < line.end && (text::IsAsciiUpper(text_[p]) || text_[p] == ' ' ||
                            text_[p] == '-' || text_[p] == '\''))
      ++p;
    Span word = TrimSpan(text_, {start, p});
    if (word.size() < 3) continue;
    // Followed by a dash or a ". AGENCY –" within a few bytes.
    absl::string_view rest =
        text_.substr(p, std::min<size_t>(40, line.end - p));
    bool dash = absl::StrContains(rest.substr(0, std::min<size_t>(rest.size(), 30)),
                                  "\xE2\x80\x93") ||
                absl::StrContains(rest.substr(0, std::min<size_t>(rest.size(), 30)),
                                  "\xE2\x80\x94") ||
                absl::StartsWith(rest, " - ") || absl::StartsWith(rest, ", ") ||
                absl::StartsWith(rest, ". ");
    if (!dash) continue;
    // The city may be followed by its country: "DUSHANBE, Tajikistan –".
    int city = g_.CityIndex(word.Of(text_));
    if (city < 0) {
      size_t sp = word.Of(text_).rfind(' ');
      if (sp != absl::string_view::npos)
        city = g_.CityIndex(word.Of(text_).substr(0, sp));
    }
    if (city >= 0) {
      city_ = g_.data().cities(city).name();
      country_ = g_.data().cities(city).country();
      location_evidence_ = word;
      return;
    }
  }
  // Otherwise: a city in a sentence about the session.
  int best_city = -1;
  int best_score = 0;
  for (const Sentence& s : sentences_) {
    bool summit_word = FindAnyWord(lists_, kSummitWords, s.span) != kNpos;
    bool names_org = false;
    for (int i = s.first_mention; i < s.end_mention; ++i)
      for (const EntityRef& r : mentions_[i].refs)
        if ((r.kind == EntityKind::kOrganization ||
             r.kind == EntityKind::kBody) &&
            r.index == org_)
          names_org = true;
    for (int i = s.first_mention; i < s.end_mention; ++i) {
      const EntityRef* c = RefOfKind(mentions_[i], EntityKind::kCity);
      int city_index = c ? c->index : -1;
      Span span = mentions_[i].span;
      if (!c) {
        // "the Kyrgyz capital", "Armenia's capital": the state's capital.
        const EntityRef* st = RefOfKind(mentions_[i], EntityKind::kDemonym);
        if (!st) st = RefOfKind(mentions_[i], EntityKind::kState);
        if (!st) continue;
        absl::string_view after = absl::string_view(lower_).substr(
            span.end, std::min<size_t>(12, s.span.end - span.end));
        if (!absl::StartsWith(after, " capital") &&
            !absl::StartsWith(after, "\xE2\x80\x99s capital") &&
            !absl::StartsWith(after, "'s capital"))
          continue;
        city_index = g_.CityIndex(g_.data().states(st->index).capital());
        if (city_index < 0) continue;
        span = {span.begin, span.end + (after[0] == ' ' ? 8 : after[0] == '\'' ? 10 : 12)};
      }
      int score = (summit_word ? 2 : 0) + (names_org ? 3 : 0);
      // A city that is also a state ("Singapore") names the city only after
      // a place preposition.
      bool city_state = c && RefOfKind(mentions_[i], EntityKind::kState);
      size_t b = span.begin;
      absl::string_view before =
          absl::string_view(lower_).substr(b >= 16 ? b - 16 : 0, b >= 16 ? 16 : b);
      if (absl::EndsWith(before, " in ") || absl::EndsWith(before, "held in ") ||
          absl::EndsWith(before, "capital, ") ||
          absl::EndsWith(before, " at ") || absl::EndsWith(before, " in the ") ||
          absl::EndsWith(before, " at the ") || absl::EndsWith(before, " of the ") ||
          absl::EndsWith(before, " to the ")) {
        score += 2;
      } else if (city_state) {
        continue;
      }
      // A place of the past: "signed in Tashkent on May 15, 1992", "taken in
      // Moscow in 2002", "at the Sochi summit in October 2017".
      if (date_.year() != 0) {
        Span after{span.end, std::min(s.span.end, span.end + 40)};
        for (const TextDate& td : internal::FindDates(text_, after, true)) {
          if (td.year != 0 && td.year != date_.year()) score = 0;
          break;
        }
      }
      if (score > best_score && score >= 4) {
        best_score = score;
        best_city = city_index;
        location_evidence_ = span;
      }
    }
  }
  if (best_city >= 0) {
    city_ = g_.data().cities(best_city).name();
    country_ = g_.data().cities(best_city).country();
  }
}

void Run::FindFormats() {
  bool narrow = false, expanded = false, video = false, in_person = false;
  // Phrase checks are article-wide (each phrase is looked up once, then its
  // hits are checked against the sentences), not per sentence: a per-
  // sentence loop over ~150 phrases dominated the extractor's profile.
  auto in_sentence = [&](size_t pos) { return SentenceOf(pos) >= 0; };
  auto phrase_in_body = [&](absl::string_view phrase) {
    // Cheap pre-check: the phrase's first word must occur at all.
    absl::string_view head = phrase.substr(0, phrase.find_first_of(" -"));
    if (FindWord(words_, head, 0, body_end_) == kNpos) return false;
    // memmem over the body (and a phrase straddling its end).
    const size_t limit = std::min(lower_.size(), body_end_ + phrase.size());
    for (size_t from = 0; from < limit;) {
      const void* hit = memmem(lower_.data() + from, limit - from,
                               phrase.data(), phrase.size());
      if (hit == nullptr) return false;
      size_t k = static_cast<const char*>(hit) - lower_.data();
      if (k >= body_end_) return false;
      if (in_sentence(k) && !Excluded({k, k + phrase.size()})) return true;
      from = k + 1;
    }
    return false;
  };
  auto word_in_body = [&](absl::string_view word) {
    for (size_t from = 0;;) {
      size_t k = FindWord(words_, word, from, body_end_);
      if (k == kNpos) return false;
      if (in_sentence(k)) return true;
      from = k + 1;
    }
  };
  for (absl::string_view w : {"narrow format", "narrow-format",
                              "restricted format", "restricted-format",
                              "limited format", "narrow composition",
                              "one-on-one format", "tete-a-tete"})
    if (!narrow && phrase_in_body(w)) narrow = true;
  for (absl::string_view w :
       {"expanded format", "expanded-format", "extended format",
        "extended-format", "enlarged format", "enlarged-format",
        "expanded composition", "extended composition", "broad format",
        "wider format"})
    if (!expanded && phrase_in_body(w)) expanded = true;
  // "<adjective> <format noun>": "limited-attendance format", "expanded
  // talks", "restricted session".
  static constexpr absl::string_view kNarrow[] = {
      "narrow", "restricted", "limited", "limited-attendance",
      "limited attendance", "closed-door", "closed", "small"};
  static constexpr absl::string_view kExpanded[] = {
      "expanded", "extended", "enlarged", "broader", "wider", "broad", "full"};
  static constexpr absl::string_view kNouns[] = {
      " format", "-format", " session", " meeting", " talks", " composition",
      " sitting"};
  for (absl::string_view a : kNarrow) {
    if (narrow) break;
    if (FindWord(words_, a.substr(0, a.find_first_of(" -")), 0, body_end_) ==
        kNpos)
      continue;
    for (absl::string_view n : kNouns)
      if (!narrow && word_in_body(absl::StrCat(a, n))) narrow = true;
  }
  for (absl::string_view a : kExpanded) {
    if (expanded) break;
    if (FindWord(words_, a, 0, body_end_) == kNpos) continue;
    for (absl::string_view n : kNouns)
      if (!expanded && word_in_body(absl::StrCat(a, n))) expanded = true;
  }
  const bool any_video_word =
      FindAnyWord(lists_, kVideoWords, Span{0, body_end_}) != kNpos;
  const bool any_in_person = phrase_in_body("in person") ||
                             phrase_in_body("face-to-face") ||
                             phrase_in_body("in-person") ||
                             phrase_in_body("face to face") ||
                             phrase_in_body("offline format");
  const bool any_delegations = HasWord(words_, "delegations", {0, body_end_});
  for (const Sentence& s : sentences_) {
    absl::string_view l = s.span.Of(lower_);
    if (any_delegations && !expanded &&
        (absl::StrContains(l, "joined by") ||
         absl::StrContains(l, "with the participation of")) &&
        absl::StrContains(l, "delegations")) {
      expanded = true;
    }
    if (any_in_person && !in_person) {
      for (absl::string_view w : {"in person", "face-to-face", "in-person",
                                  "face to face", "offline format"}) {
        if (absl::StrContains(l, w) &&
            FindAnyWord(lists_, kSummitWords, s.span) != kNpos)
          in_person = true;
      }
    }
    if (video) continue;
    // The session as a whole by video, not one participant joining by video.
    size_t v = any_video_word ? FindAnyWord(lists_, kVideoWords, s.span) : kNpos;
    if (v == kNpos) {
      for (absl::string_view w : {"held online", "held virtually",
                                  "virtual summit", "online summit",
                                  "video summit", "virtual session"}) {
        if (absl::StrContains(l, w)) video = true;
      }
      continue;
    }
    Span before{v > s.span.begin + 120 ? v - 120 : s.span.begin, v};
    absl::string_view b = before.Of(lower_);
    bool person_joined = absl::StrContains(b, "joined") ||
                         absl::StrContains(b, "connected") ||
                         absl::StrContains(b, "who ") ||
                         absl::StrContains(b, "addressed");
    bool held = absl::StrContains(b, "held") || absl::StrContains(b, "format") ||
                absl::StrContains(b, "conducted") ||
                absl::StrContains(b, "took place") ||
                absl::StrContains(l, "format") ||
                absl::StrContains(b, "session via") ||
                absl::StrContains(b, "summit via") ||
                absl::StrContains(b, "presided over") ||
                absl::StrContains(b, "chaired") ||
                absl::StrContains(b, "during the");
    if (held && !person_joined) video = true;
  }
  if (narrow) formats_.push_back(v1::SUMMIT_FORMAT_NARROW);
  if (expanded) formats_.push_back(v1::SUMMIT_FORMAT_EXPANDED);
  if (video) formats_.push_back(v1::SUMMIT_FORMAT_VIDEOCONFERENCE);
  if (in_person && !video) formats_.push_back(v1::SUMMIT_FORMAT_IN_PERSON);
}

std::string Run::CountryOfPerson(int person) const {
  const auto& p = g_.data().people(person);
  std::vector<int> terms = g_.TermsDuring(person, SummitRange());
  for (int t : terms)
    if (!p.terms(t).country().empty()) return p.terms(t).country();
  for (const auto& t : p.terms())
    if (!t.country().empty()) return t.country();
  return "";
}

std::string Run::RoleOfPerson(int person) const {
  const auto& p = g_.data().people(person);
  std::vector<int> terms = g_.TermsDuring(person, SummitRange());
  if (!terms.empty()) return p.terms(terms.back()).role();
  if (p.terms_size() > 0) return p.terms(p.terms_size() - 1).role();
  return "";
}

Referent Run::ResolveRole(const std::string& role, const std::string& country,
                          const std::string& organization) const {
  Referent r;
  r.role = role;
  r.country = country;
  r.organization = organization;
  if (date_.year() == 0 || role.empty()) return r;
  std::vector<int> holders =
      g_.OfficeHolders(role, country, organization, SummitRange());
  if (holders.size() == 1) r.person = holders[0];
  return r;
}

// Interprets mention `i` and the mentions glued to it:
//   person; role + person; demonym/state + role (+ person);
//   role + "of" + state/org (+ person); org + role (+ person).
Referent Run::ReferentAt(int i, int* consumed) const {
  *consumed = i;
  Referent r;
  const int n = static_cast<int>(mentions_.size());
  auto gap = [&](int a, int b) -> absl::string_view {
    return absl::string_view(lower_).substr(
        mentions_[a].span.end, mentions_[b].span.begin - mentions_[a].span.end);
  };
  auto glued = [&](int a, int b) {
    if (b >= n) return false;
    absl::string_view g = gap(a, b);
    return g == " " || g == ", " || g == "\xE2\x80\x99s " || g == "'s " ||
           g == "\xE2\x80\x99s, " || g == "'s, " || g == " the " ||
           g == " of the " || g == " of ";
  };
  const Mention& m = mentions_[i];
  auto take_person = [&](int j) {
    // A person named right after a role phrase.
    if (j < n && glued(j - 1, j) && RefOfKind(mentions_[j], EntityKind::kPerson)) {
      absl::string_view g = gap(j - 1, j);
      if (g == " " || g == ", ") {
        r.person = RefOfKind(mentions_[j], EntityKind::kPerson)->index;
        *consumed = j;
      }
    }
  };
  if (const EntityRef* p = RefOfKind(m, EntityKind::kPerson)) {
    r.person = p->index;
    return r;
  }
  const EntityRef* demonym = RefOfKind(m, EntityKind::kDemonym);
  const EntityRef* state = RefOfKind(m, EntityKind::kState);
  const EntityRef* org = RefOfKind(m, EntityKind::kOrganization);
  if ((demonym || state || org) && i + 1 < n && glued(i, i + 1) &&
      RefOfKind(mentions_[i + 1], EntityKind::kRole)) {
    absl::string_view g = gap(i, i + 1);
    if (g == " of " || g == " of the " || g == " the ") return r;
    const EntityRef* role = RefOfKind(mentions_[i + 1], EntityKind::kRole);
    r.role = g_.data().roles(role->index).role();
    if (org) {
      r.organization = g_.data().organizations(org->index).acronym();
    } else {
      r.country = g_.data().states((demonym ? demonym : state)->index).name();
    }
    *consumed = i + 1;
    take_person(i + 2);
    return r;
  }
  if (demonym && i + 1 < n && gap(i, i + 1) == " " &&
      RefOfKind(mentions_[i + 1], EntityKind::kPerson)) {
    // "Tajik Emomali Rahmon" is rare; treat as the person.
    r.person = RefOfKind(mentions_[i + 1], EntityKind::kPerson)->index;
    *consumed = i + 1;
    return r;
  }
  if (const EntityRef* role = RefOfKind(m, EntityKind::kRole)) {
    r.role = g_.data().roles(role->index).role();
    if (i + 1 < n && (gap(i, i + 1) == " of " || gap(i, i + 1) == " of the ")) {
      const Mention& next = mentions_[i + 1];
      if (const EntityRef* s = RefOfKind(next, EntityKind::kState)) {
        r.country = g_.data().states(s->index).name();
        *consumed = i + 1;
        take_person(i + 2);
        return r;
      }
      if (const EntityRef* o = RefOfKind(next, EntityKind::kOrganization)) {
        r.organization = g_.data().organizations(o->index).acronym();
        *consumed = i + 1;
        take_person(i + 2);
        return r;
      }
    }
    take_person(i + 1);
    return r;
  }
  if (state) {
    r.country = g_.data().states(state->index).name();
    return r;
  }
  if (demonym) {
    r.country = g_.data().states(demonym->index).name();
    return r;
  }
  return r;
}

void Run::AddParticipant(ParticipantDraft d) {
  Referent& w = d.who;
  if (w.person >= 0) {
    if (w.country.empty() && w.organization.empty()) {
      const auto& p = g_.data().people(w.person);
      std::vector<int> terms = g_.TermsDuring(w.person, SummitRange());
      const gazetteer::v1::Term* term = nullptr;
      for (int t : terms) {
        if (w.role.empty() || p.terms(t).role() == w.role) term = &p.terms(t);
      }
      if (!term && !terms.empty()) term = &p.terms(terms.back());
      if (!term && p.terms_size() > 0) term = &p.terms(p.terms_size() - 1);
      if (term) {
        w.country = term->country();
        w.organization = term->organization();
      }
    }
    if (w.role.empty()) w.role = RoleOfPerson(w.person);
  }
  for (ParticipantDraft& e : participants_) {
    bool same = false;
    if (w.person >= 0 && e.who.person == w.person) same = true;
    if (!same && (w.person < 0 || e.who.person < 0) &&
        RoleFamily(w.role) == RoleFamily(e.who.role) &&
        ((!w.country.empty() && w.country == e.who.country) ||
         (!w.organization.empty() && w.organization == e.who.organization))) {
      same = true;
    }
    if (same) {
      if (e.who.person < 0 && w.person >= 0) {
        e.who.person = w.person;
      }
      if (d.named_in_text && !e.named_in_text) {
        // A textual role ("acting President") wins over the roster's.
        e.who.role = w.role;
        e.named_in_text = true;
      }
      e.remote = e.remote || d.remote;
      e.bare_state = e.bare_state && d.bare_state;
      for (const Span& s : d.evidence) e.evidence.push_back(s);
      return;
    }
  }
  participants_.push_back(std::move(d));
}

void Run::FindParticipants() {
  const auto& org = g_.data().organizations(org_);
  absl::flat_hash_set<std::string> members(org.members().begin(),
                                           org.members().end());
  const int n = static_cast<int>(mentions_.size());
  for (const Sentence& s : sentences_) {
    bool participation =
        FindAnyWord(lists_, kParticipationWords, s.span) != kNpos;
    for (int i = s.first_mention; i < s.end_mention; ++i) {
      const Mention& m = mentions_[i];
      int consumed = i;
      Referent r = ReferentAt(i, &consumed);
      // "Armenia was represented by its Prime Minister", "the CIS by its
      // Secretary General": a bare role after "its" belongs to the nearest
      // state or organisation named before it in the sentence.
      if (r.person < 0 && !r.role.empty() && r.country.empty() &&
          r.organization.empty() && m.span.begin >= 4 &&
          absl::string_view(lower_).substr(m.span.begin - 4, 4) == "its ") {
        for (int j = i - 1; j >= s.first_mention; --j) {
          if (const EntityRef* st = RefOfKind(mentions_[j], EntityKind::kState)) {
            r.country = g_.data().states(st->index).name();
            break;
          }
          if (const EntityRef* o =
                  RefOfKind(mentions_[j], EntityKind::kOrganization)) {
            r.organization = g_.data().organizations(o->index).acronym();
            break;
          }
        }
      }
      bool is_role_phrase = !r.role.empty();
      bool is_state_only = r.person < 0 && r.role.empty();
      if (!r.valid()) {
        i = consumed;
        continue;
      }
      // Plural roles with a list: "the Presidents of Kazakhstan, Belarus and
      // Kyrgyzstan".
      std::vector<Referent> referents;
      if (is_role_phrase && r.person < 0 && !r.country.empty()) {
        referents.push_back(r);
        int j = consumed + 1;
        while (j < s.end_mention) {
          absl::string_view g = absl::string_view(lower_).substr(
              mentions_[j - 1].span.end,
              mentions_[j].span.begin - mentions_[j - 1].span.end);
          if (g != ", " && g != " and " && g != ", and " && g != " & ")
            break;
          const EntityRef* st = RefOfKind(mentions_[j], EntityKind::kState);
          if (!st) break;
          // "..., Armenian PM" is a new phrase, not a list item.
          if (j + 1 < n && RefOfKind(mentions_[j + 1], EntityKind::kRole) &&
              mentions_[j + 1].span.begin - mentions_[j].span.end <= 1)
            break;
          Referent item;
          item.role = r.role;
          item.country = g_.data().states(st->index).name();
          referents.push_back(item);
          consumed = j;
          ++j;
        }
      } else {
        referents.push_back(r);
      }
      Span phrase{m.span.begin, mentions_[consumed].span.end};
      for (Referent& ref : referents) {
        // "Armenia was represented by its Prime Minister".
        if (ref.person < 0 && !ref.role.empty() && ref.country.empty() &&
            ref.organization.empty() && m.span.begin >= 4 &&
            absl::string_view(lower_).substr(m.span.begin - 4, 4) == "its ") {
          for (int j = i - 1; j >= s.first_mention; --j) {
            if (const EntityRef* st = RefOfKind(mentions_[j], EntityKind::kState)) {
              ref.country = g_.data().states(st->index).name();
              break;
            }
          }
        }
        if (ref.person < 0 && !ref.role.empty()) {
          if (ref.country.empty() && ref.organization.empty()) continue;
          Referent resolved = ResolveRole(ref.role, ref.country, ref.organization);
          ref.person = resolved.person;
        }
        if (is_state_only) {
          // A bare state counts only in a sentence about who took part, and
          // not when it is the possessor of something else ("Kazakhstan's
          // chairmanship").
          if (!participation) continue;
          absl::string_view after = absl::string_view(lower_).substr(
              m.span.end, std::min<size_t>(3, lower_.size() - m.span.end));
          if (absl::StartsWith(after, "\xE2\x80\x99") ||
              absl::StartsWith(after, "'"))
            continue;
          if (RefOfKind(m, EntityKind::kDemonym)) continue;
          // Only states listed as taking part: "those from A, B and C".
          bool listed = false;
          absl::string_view pre = absl::string_view(lower_).substr(
              m.span.begin >= 5 ? m.span.begin - 5 : 0,
              m.span.begin >= 5 ? 5 : m.span.begin);
          if (pre == "from ") listed = true;
          for (int j : {i - 1, i + 1}) {
            if (j < s.first_mention || j >= s.end_mention) continue;
            if (!RefOfKind(mentions_[j], EntityKind::kState)) continue;
            const Mention& a = mentions_[std::min(i, j)];
            const Mention& b2 = mentions_[std::max(i, j)];
            absl::string_view g = absl::string_view(lower_).substr(
                a.span.end, b2.span.begin - a.span.end);
            if (g == ", " || g == " and " || g == ", and ") listed = true;
          }
          if (!listed) continue;
          ref.role = "President";
        }
        // Eligibility: officials of organisations that are secretaries
        // general; states that are members (or take part explicitly).
        std::string country = CountryOfReferent(ref);
        if (ref.person >= 0 && ref.organization.empty() && country.empty()) {
          const auto& p = g_.data().people(ref.person);
          for (const auto& t : p.terms())
            if (!t.organization().empty()) ref.organization = t.organization();
        }
        if (!ref.organization.empty() && country.empty()) {
          std::string role = ref.role.empty() && ref.person >= 0
                                 ? RoleOfPerson(ref.person)
                                 : ref.role;
          if (RoleFamily(role) != "secretary general") continue;
        } else {
          if (country.empty()) continue;
          if (!members.empty() && !members.contains(country) && !participation)
            continue;
        }
        if (ref.person >= 0 && date_.year() != 0 &&
            g_.TermsDuring(ref.person, SummitRange()).empty() && !participation)
          continue;
        {
          // "rather than by President Sadyr Japarov", "did not attend".
          size_t b = phrase.begin;
          absl::string_view before = absl::string_view(lower_).substr(
              b >= 24 ? b - 24 : 0, b >= 24 ? 24 : b);
          if (absl::StrContains(before, "rather than") ||
              absl::StrContains(before, "instead of") ||
              absl::StrContains(before, "except") ||
              absl::StrContains(before, "absence of") ||
              absl::StrContains(before, "without"))
            continue;
          absl::string_view after = absl::string_view(lower_).substr(
              phrase.end, std::min<size_t>(40, s.span.end - phrase.end));
          if (absl::StrContains(after, "did not attend") ||
              absl::StrContains(after, "was absent") ||
              absl::StrContains(after, "skipped") ||
              absl::StrContains(after, "not attending"))
            continue;
        }
        ParticipantDraft d;
        d.who = ref;
        d.named_in_text = is_role_phrase && ref.person >= 0 &&
                          RefOfKind(mentions_[consumed], EntityKind::kPerson);
        d.evidence.push_back(phrase);
        d.bare_state = is_state_only;
        // Joined by video: "Russian Leader who joined the meeting via
        // videoconference".
        size_t limit = s.span.end;
        if (consumed + 1 < s.end_mention)
          limit = std::min(limit, mentions_[consumed + 1].span.begin);
        Span tail{phrase.end, std::min(limit, phrase.end + 80)};
        if (FindAnyWord(lists_, kVideoWords, tail) != kNpos ||
            HasWord(words_, "remotely", tail) || HasWord(words_, "online", tail)) {
          d.remote = true;
        }
        AddParticipant(std::move(d));
      }
      i = consumed;
    }
  }
  // A bare state whose delegation the article also names otherwise
  // ("India and Pakistan were admitted ..." beside "Indian Prime Minister
  // Narendra Modi") is that delegation, not another participant with an
  // assumed role.
  absl::flat_hash_set<std::string> represented;
  for (const ParticipantDraft& d : participants_)
    if (!d.bare_state && !d.who.country.empty()) represented.insert(d.who.country);
  participants_.erase(
      std::remove_if(participants_.begin(), participants_.end(),
                     [&](const ParticipantDraft& d) {
                       return d.bare_state && represented.count(d.who.country);
                     }),
      participants_.end());
  // Order: countries, then organisations, then names.
  std::stable_sort(participants_.begin(), participants_.end(),
                   [](const ParticipantDraft& a, const ParticipantDraft& b) {
                     bool ao = a.who.country.empty();
                     bool bo = b.who.country.empty();
                     if (ao != bo) return !ao;
                     if (a.who.country != b.who.country)
                       return a.who.country < b.who.country;
                     return a.who.organization < b.who.organization;
                   });
}

Referent Run::FocusBefore(size_t pos) const {
  // The most recent person (named, or a role resolved to one) before `pos`.
  Referent focus;
  for (int i = 0; i < static_cast<int>(mentions_.size()); ++i) {
    if (mentions_[i].span.begin >= pos) break;
    int consumed = i;
    Referent r = ReferentAt(i, &consumed);
    if (r.person < 0 && !r.role.empty() &&
        (!r.country.empty() || !r.organization.empty())) {
      Referent resolved = ResolveRole(r.role, r.country, r.organization);
      if (resolved.person >= 0) r.person = resolved.person;
    }
    if (r.person >= 0) focus = r;
    i = consumed;
  }
  return focus;
}

void Run::FindChairs() {
  std::string chair;
  for (const Sentence& s : sentences_) {
    for (absl::string_view kw : {"chairmanship", "presidency", "chair", "chairs",
                                 "chairship", "rotating presidency"}) {
      size_t from = s.span.begin;
      while (true) {
        size_t k = FindWord(words_, kw, from, s.span.end);
        if (k == kNpos) break;
        from = k + kw.size();
        if (kw == "presidency" &&
            !HasWord(words_, "organization", s.span) &&
            !HasWord(words_, "organisation", s.span)) {
          bool org_near = false;
          for (int i = s.first_mention; i < s.end_mention; ++i)
            if (RefOfKind(mentions_[i], EntityKind::kOrganization))
              org_near = true;
          if (!org_near) continue;
        }
        Span k_span{k, k + kw.size()};
        // The nearest referent before the keyword in the sentence.
        std::string before_country;
        size_t before_end = s.span.begin;
        for (int i = s.first_mention; i < s.end_mention; ++i) {
          if (mentions_[i].span.end > k) break;
          int consumed = i;
          Referent r = ReferentAt(i, &consumed);
          if (mentions_[consumed].span.end > k) break;
          if (r.person < 0 && !r.role.empty() && !r.country.empty()) {
            r.person = ResolveRole(r.role, r.country, "").person;
          }
          std::string c = CountryOfReferent(r);
          if (!c.empty() && k - mentions_[consumed].span.end < 100) {
            before_country = c;
            before_end = mentions_[consumed].span.end;
          }
          i = consumed;
        }
        std::string after_country;
        size_t after_begin = kNpos;
        for (int i = s.first_mention; i < s.end_mention; ++i) {
          if (mentions_[i].span.begin < k_span.end) continue;
          if (mentions_[i].span.begin - k_span.end > 40) break;
          int consumed = i;
          Referent r = ReferentAt(i, &consumed);
          std::string c = CountryOfReferent(r);
          if (!c.empty()) {
            after_country = c;
            after_begin = mentions_[i].span.begin;
            break;
          }
          i = consumed;
        }
        Span window{before_country.empty() ? std::max(s.span.begin, k > 50 ? k - 50 : 0)
                                           : before_end,
                    k};
        Span after{k_span.end, std::min(s.span.end, k_span.end + 60)};
        bool future = FindAnyWord(lists_, kFutureChairWords, window) != kNpos;
        absl::string_view after_text = after.Of(lower_);
        if (!future &&
            (absl::StartsWith(after_text, " starting") ||
             absl::StrContains(after_text.substr(0, std::min<size_t>(after_text.size(), 40)), "starting from") ||
             StartDateFollows(after_text.substr(0, std::min<size_t>(after_text.size(), 40)))))
          future = true;
        bool handed_to = absl::StrContains(window.Of(lower_), "hand") ||
                         absl::StrContains(window.Of(lower_), "pass");
        if (future) {
          std::string next = before_country;
          if (handed_to && !after_country.empty()) next = after_country;
          if (next.empty() && absl::StartsWith(after_text, " of") )
            next = after_country;
          if (!next.empty() && next_chair_country_.empty()) {
            next_chair_country_ = next;
            next_chair_evidence_ = s.span;
            // "starting from January 1, 2024", "in 2021".
            std::optional<TextDate> d = FirstDateWithYear(after);
            if (d) {
              next_chair_from_.set_year(d->year);
              next_chair_from_.set_month(d->month);
              next_chair_from_.set_day(d->day);
              next_chair_from_.set_precision(
                  d->day ? v1::DATE_PRECISION_DAY
                         : d->month ? v1::DATE_PRECISION_MONTH
                                    : v1::DATE_PRECISION_YEAR);
            }
          }
          // "took over the presidency ... from Russia": Russia chaired.
          if (absl::StrContains(after_text, " from ") &&
              !after_country.empty() && after_country != next &&
              after_begin != kNpos) {
            absl::string_view pre = absl::string_view(lower_).substr(
                after_begin >= 5 ? after_begin - 5 : 0, 5);
            if (pre == "from " && chair.empty()) chair = after_country;
          }
        } else {
          std::string c = before_country.empty() ? after_country : before_country;
          // "As the CSTO chair, Kazakhstan ...": the referent after it.
          if (!after_country.empty() &&
              (absl::StartsWith(after_text, ", ") ||
               absl::StartsWith(after_text, " of ")) &&
              (before_country.empty() || k - before_end > 30))
            c = after_country;
          if (!c.empty() && chair.empty()) chair = c;
        }
      }
    }
  }
  if (presiding_person_ >= 0) {
    chair_country_ = CountryOfPerson(presiding_person_);
  }
  if (chair_country_.empty() && chair != next_chair_country_) chair_country_ = chair;
  if (chair_country_.empty()) chair_country_ = country_;
  if (chair_country_ == next_chair_country_ && !chair.empty() &&
      chair != next_chair_country_)
    chair_country_ = chair;
}

void Run::FindPresiding() {
  static constexpr absl::string_view kAfterCues[] = {
      "presided over by", "chaired by", "chairman of the session",
      "chairman of the summit", "chairman of the meeting",
      "chair of the session", "chairperson of the session", "hosted by"};
  static constexpr absl::string_view kBeforeCues[] = {
      "presided over", "chaired the", "hosting the", "presiding over",
      "chairing the", "hosted the"};
  for (const Sentence& s : sentences_) {
    absl::string_view which;
    size_t k = FindAnyWord(lists_, kAfterCues, s.span, &which);
    if (k != kNpos) {
      for (int i = s.first_mention; i < s.end_mention; ++i) {
        if (mentions_[i].span.begin < k + which.size()) continue;
        if (mentions_[i].span.begin > k + which.size() + 80) break;
        int consumed = i;
        Referent r = ReferentAt(i, &consumed);
        if (r.person < 0 && !r.role.empty() && !r.country.empty())
          r.person = ResolveRole(r.role, r.country, "").person;
        if (r.person >= 0) {
          presiding_person_ = r.person;
          return;
        }
        i = consumed;
      }
    }
    k = FindAnyWord(lists_, kBeforeCues, s.span, &which);
    if (k != kNpos) {
      Referent best;
      for (int i = s.first_mention; i < s.end_mention; ++i) {
        if (mentions_[i].span.begin >= k) break;
        int consumed = i;
        Referent r = ReferentAt(i, &consumed);
        if (r.person < 0 && !r.role.empty() && !r.country.empty())
          r.person = ResolveRole(r.role, r.country, "").person;
        if (r.person >= 0) best = r;
        i = consumed;
      }
      if (best.person >= 0) {
        presiding_person_ = best.person;
        return;
      }
    }
  }
}

void Run::FindDocumentsCount() {
  // "consensus was reached on 15 of 17 drafts", "agreed on 15 of them".
  for (const Sentence& s : sentences_) {
    if (!HasWord(words_, "consensus", s.span) &&
        !HasWord(words_, "agreed on", s.span) &&
        FindAnyWord(lists_, kAdoptionWords, s.span) == kNpos)
      continue;
    static constexpr absl::string_view kDocumentWords[] = {
        "documents", "drafts", "draft", "decisions", "texts", "agreements",
        "consensus", "them"};
    if (FindAnyWord(lists_, kDocumentWords, s.span) == kNpos) continue;
    absl::string_view sentence = s.span.Of(text_);
    std::vector<text::Token> tokens = text::Tokenize(sentence);
    for (size_t t = 0; t + 2 < tokens.size(); ++t) {
      int n = internal::ParseSmallNumber(tokens[t].span.Of(sentence));
      if (n <= 0 || n >= 500) continue;
      if (absl::AsciiStrToLower(tokens[t + 1].span.Of(sentence)) != "of")
        continue;
      absl::string_view third = tokens[t + 2].span.Of(sentence);
      std::string lt = absl::AsciiStrToLower(third);
      int total = internal::ParseSmallNumber(third);
      if (lt == "the" && t + 3 < tokens.size())
        total = internal::ParseSmallNumber(tokens[t + 3].span.Of(sentence));
      if (total < n && lt != "them") continue;
      // The words before: "reached on 15", "agreed on 15", "adopted 15".
      size_t b = s.span.begin + tokens[t].span.begin;
      absl::string_view before = absl::string_view(lower_).substr(
          b >= 24 ? b - 24 : 0, b >= 24 ? 24 : b);
      if (absl::StrContains(before, "reached on") ||
          absl::StrContains(before, "agreed on") ||
          absl::StrContains(before, "adopted") ||
          absl::StrContains(before, "approved") ||
          absl::StrContains(before, "signed")) {
        documents_count_ = n;
        return;
      }
    }
  }
  for (const Sentence& s : sentences_) {
    size_t from = s.span.begin;
    while (true) {
      size_t k = FindWord(words_, "documents", from, s.span.end);
      if (k == kNpos) break;
      from = k + 9;
      if (FindAnyWord(lists_, kAdoptionWords, s.span) == kNpos) continue;
      // A number within the three words before.
      std::vector<text::Token> tokens = text::Tokenize(
          absl::string_view(text_).substr(s.span.begin, k - s.span.begin));
      int number = 0;
      int words_back = 0;
      for (int t = static_cast<int>(tokens.size()) - 1; t >= 0 && words_back < 3;
           --t, ++words_back) {
        absl::string_view w = tokens[t].span.Of(
            absl::string_view(text_).substr(s.span.begin));
        number = internal::ParseSmallNumber(w);
        if (number) break;
        std::string lw = absl::AsciiStrToLower(w);
        if (lw == "of" || lw == "number" || lw == "series") break;
      }
      if (number > 0 && number < 500) {
        documents_count_ = number;
        return;
      }
    }
  }
}

// --- Declarations ----------------------------------------------------------

struct DeclarationDraft {
  std::string title;
  std::string subject;
  v1::DeclarationKind kind;
  v1::DeclarationStatus status;
  Span evidence;
  bool has_verb;
};

bool IsConnector(absl::string_view w) {
  static constexpr absl::string_view kConnectors[] = {
      "of", "on", "the", "a", "an", "and", "for", "to", "in", "with",
      "between", "against", "at", "by", "de"};
  for (absl::string_view c : kConnectors)
    if (w == c) return true;
  return false;
}

void Run::FindDeclarations() {
  std::vector<DeclarationDraft> drafts;
  std::vector<Span> consumed_titles;
  // Org and body names are not documents ("Collective Security Treaty
  // Organization").
  std::vector<Span> names;
  for (const Mention& m : mentions_)
    if (RefOfKind(m, EntityKind::kOrganization) || RefOfKind(m, EntityKind::kBody))
      names.push_back(m.span);
  auto inside = [](const std::vector<Span>& spans, size_t pos) {
    for (const Span& s : spans)
      if (s.Contains(pos)) return true;
    return false;
  };
  // The latest "Nth anniversary of ..." phrase before `pos` (2 sentences).
  auto antecedent = [&](size_t si) -> std::string {
    for (int j = static_cast<int>(si); j >= 0 && j >= static_cast<int>(si) - 3; --j) {
      const Span& sp = sentences_[j].span;
      size_t a = FindWord(words_, "anniversary of", sp.begin, sp.end);
      if (a == kNpos) continue;
      // Back up over "the 80th".
      size_t start = a;
      size_t w = a;
      for (int words = 0; words < 2 && w > sp.begin; ++words) {
        size_t e = w - 1;
        while (e > sp.begin && lower_[e - 1] != ' ') --e;
        absl::string_view word = absl::string_view(lower_).substr(e, w - 1 - e);
        if (!word.empty() && text::IsAsciiDigit(word[0])) start = e;
        w = e;
      }
      size_t end = a;
      while (end < sp.end && lower_[end] != ',' && lower_[end] != '.' &&
             lower_[end] != ';' && end - a < 80)
        ++end;
      return std::string(TrimSpan(text_, {start, end}).Of(text_));
    }
    return "";
  };
  for (size_t si = 0; si < sentences_.size(); ++si) {
    const Sentence& s = sentences_[si];
    // Most sentences name no document at all: skip them before tokenizing.
    if (FindAnyWord(lists_, kKindWords, s.span) == kNpos) continue;
    absl::string_view verb_word;
    size_t verb = FindAnyWord(lists_, kAdoptionWords, s.span, &verb_word);
    v1::DeclarationStatus status = v1::DECLARATION_STATUS_ADOPTED;
    if (verb != kNpos) {
      absl::string_view vw = absl::string_view(lower_).substr(verb, 4);
      if (vw == "sign") status = v1::DECLARATION_STATUS_SIGNED;
      else if (vw == "appr" || vw == "endo") status = v1::DECLARATION_STATUS_APPROVED;
    }
    if (absl::StrContains(s.span.Of(lower_), "support for") &&
        absl::StrContains(s.span.Of(lower_), "adoption"))
      status = v1::DECLARATION_STATUS_SUPPORTED;
    // Tokens of the sentence.
    absl::string_view sentence = s.span.Of(text_);
    std::vector<text::Token> tokens = text::Tokenize(sentence);
    auto tok = [&](size_t t) { return tokens[t].span.Of(sentence); };
    auto abs_begin = [&](size_t t) { return s.span.begin + tokens[t].span.begin; };
    auto abs_end = [&](size_t t) { return s.span.begin + tokens[t].span.end; };
    for (size_t t = 0; t < tokens.size(); ++t) {
      if (tokens[t].kind != text::TokenKind::kWord) continue;
      // lower_ has text_'s offsets: view the lowercase word, don't copy it.
      const absl::string_view w =
          absl::string_view(lower_).substr(abs_begin(t), tokens[t].span.size());
      const KindWord* kind = nullptr;
      bool plural = false;
      for (const KindWord& k : kKinds) {
        if (w == k.singular) kind = &k;
        else if (w == k.plural) {
          kind = &k;
          plural = true;
        }
        if (kind) break;
      }
      if (!kind) continue;
      if (inside(names, abs_begin(t)) || inside(consumed_titles, abs_begin(t)))
        continue;
      const bool capital = text::IsAsciiUpper(tok(t)[0]) && t > 0;
      const bool near_verb =
          verb != kNpos &&
          (verb < abs_begin(t) ||
           (verb > abs_begin(t) &&
            (verb - abs_end(t) < 60 ||
             absl::string_view(lower_).substr(verb - 2, 2) == ", ")));
      if (plural) {
        // "two protocols ... on A and B", "three agreements on A, B and C".
        int count = 0;
        for (size_t b = t; b > 0 && t - b < 3; --b) {
          count = internal::ParseSmallNumber(tok(b - 1));
          if (count) break;
        }
        if (count == 0 && near_verb && t + 1 < tokens.size() &&
            absl::AsciiStrToLower(tok(t + 1)) == "on") {
          // "statements on A, on B and on C": one record per "on".
          size_t list_start = abs_begin(t + 1);
          size_t list_end = s.span.end;
          for (size_t u = t + 2; u < tokens.size(); ++u) {
            std::string lw = absl::AsciiStrToLower(tok(u));
            if (lw == "which" || lw == "that" || lw == "during" ||
                lw == "following" || lw == "while") {
              list_end = abs_begin(u);
              break;
            }
          }
          std::string list(Span{list_start, list_end}.Of(text_));
          while (!list.empty() && (list.back() == '.' || list.back() == ' '))
            list.pop_back();
          std::vector<std::string> items;
          size_t pos = 0;
          while (pos < list.size()) {
            size_t next = std::string::npos;
            size_t skip = 0;
            for (absl::string_view sep : {", and on ", " and on ", ", on "}) {
              size_t f = list.find(std::string(sep), pos);
              if (f != std::string::npos && (next == std::string::npos || f < next)) {
                next = f;
                skip = sep.size();
              }
            }
            std::string item = list.substr(pos, next == std::string::npos
                                                     ? std::string::npos
                                                     : next - pos);
            absl::string_view iv = absl::StripAsciiWhitespace(item);
            if (absl::StartsWith(iv, "on ")) iv.remove_prefix(3);
            if (!iv.empty()) items.emplace_back(iv);
            if (next == std::string::npos) break;
            pos = next + skip;
          }
          if (items.size() >= 2) {
            for (const std::string& item : items) {
              DeclarationDraft d;
              d.kind = kind->kind;
              d.title = absl::StrCat(KindHead(*kind), " on ", item);
              d.subject = item;
              d.status = status;
              d.evidence = {abs_begin(t), list_end};
              d.has_verb = true;
              drafts.push_back(d);
            }
            consumed_titles.push_back({abs_begin(t), list_end});
          }
          continue;
        }
        if (count < 2 || count > 12 || !near_verb) continue;
        // The list after "on" / "focusing on" / "concerning".
        size_t list_start = kNpos;
        for (size_t u = t + 1; u < tokens.size() && u < t + 12; ++u) {
          std::string lw = absl::AsciiStrToLower(tok(u));
          if (lw == "on" || lw == "concerning" || lw == "regarding" ||
              lw == "covering") {
            list_start = abs_end(u);
            break;
          }
        }
        if (list_start == kNpos) continue;
        size_t list_end = s.span.end;
        // Stop before another titled document or a trailing clause.
        for (size_t u = t + 1; u < tokens.size(); ++u) {
          if (abs_begin(u) <= list_start) continue;
          std::string lw = absl::AsciiStrToLower(tok(u));
          bool stop = false;
          if ((lw == "during" || lw == "at" || lw == "following" ||
               lw == "which" || lw == "that" || lw == "signed" ||
               lw == "adopted") &&
              abs_begin(u) > list_start + 3)
            stop = true;
          if (lw == "and" && u + 2 < tokens.size()) {
            std::string n1 = absl::AsciiStrToLower(tok(u + 1));
            size_t cand = (n1 == "the" || n1 == "a") ? u + 2 : u + 1;
            std::string n2 = absl::AsciiStrToLower(tok(cand));
            for (const KindWord& k : kKinds)
              if ((n2 == k.singular || n2 == k.plural) &&
                  text::IsAsciiUpper(tok(cand)[0]))
                stop = true;
          }
          if (stop) {
            list_end = abs_begin(u);
            break;
          }
        }
        Span list = TrimSpan(text_, {list_start, list_end});
        std::vector<std::string> items =
            internal::SplitCoordinatedItems(list.Of(text_), count);
        if (static_cast<int>(items.size()) != count) continue;
        for (const std::string& item : items) {
          DeclarationDraft d;
          d.kind = kind->kind;
          d.title = absl::StrCat(KindHead(*kind), " on ", item);
          d.subject = item;
          d.status = status;
          d.evidence = {abs_begin(t), list.end};
          d.has_verb = true;
          drafts.push_back(d);
        }
        consumed_titles.push_back({abs_begin(t), list.end});
        continue;
      }
      // Singular.
      size_t end_tok = t;  // last token of the title
      size_t u = t + 1;
      const bool draft =
          t > 0 && absl::AsciiStrToLower(tok(t - 1)) == "draft";
      auto is_calendar_word = [](absl::string_view x) {
        static constexpr absl::string_view kDays[] = {
            "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday"};
        std::string lx = absl::AsciiStrToLower(x);
        for (absl::string_view d : kDays)
          if (lx == d) return true;
        return internal::MonthFromName(x) != 0 && x.size() > 3;
      };
      // Lowercase tail: "to implement the Treaty on ...", "anniversary of
      // the ...", up to punctuation or a clause word.
      auto extend_tail = [&](size_t from_tok) {
        size_t words = 0;
        size_t v = from_tok;
        while (v < tokens.size() && words < 24) {
          if (tokens[v].kind == text::TokenKind::kPunctuation) {
            absl::string_view x = tok(v);
            if (x == "-" || x == "\xE2\x80\x93") {
              ++v;
              continue;
            }
            if (x != ",") break;
            // Treaty formula: "between A, of the one part, and B, of the
            // other part".
            if (v + 4 < tokens.size() &&
                absl::AsciiStrToLower(tok(v + 1)) == "of" &&
                absl::AsciiStrToLower(tok(v + 2)) == "the" &&
                absl::AsciiStrToLower(tok(v + 4)) == "part") {
              v += 5;
              if (v < tokens.size() && tok(v) == ",") ++v;
              continue;
            }
            // A coordinated list inside the title: "terrorism, separatism
            // and extremism".
            size_t and_at = 0;
            for (size_t a = v + 2; a < tokens.size() && a <= v + 4; ++a) {
              if (tokens[a - 1].kind != text::TokenKind::kWord) break;
              if (absl::AsciiStrToLower(tok(a)) == "and") {
                and_at = a;
                break;
              }
            }
            if (and_at == 0 || and_at + 1 >= tokens.size() ||
                tokens[and_at + 1].kind != text::TokenKind::kWord)
              break;
            std::string after_and = absl::AsciiStrToLower(tok(and_at + 1));
            if (after_and == "a" || after_and == "an" || after_and == "the" ||
                absl::EndsWith(after_and, "ed"))
              break;
            ++v;
            continue;
          }
          std::string ly = absl::AsciiStrToLower(tok(v));
          if (ly == "which" || ly == "that" || ly == "during" ||
              ly == "following" || ly == "as" || ly == "while" ||
              ly == "was" || ly == "were" || ly == "is" || ly == "are" ||
              ly == "had" || ly == "has" || ly == "signed" ||
              ly == "adopted" || ly == "approved" || ly == "saying" ||
              ly == "said" || is_calendar_word(tok(v)))
            break;
          if (ly == "and" && v + 1 < tokens.size()) {
            std::string nx = absl::AsciiStrToLower(tok(v + 1));
            if (absl::EndsWith(nx, "ing") || absl::EndsWith(nx, "ed") ||
                nx == "a" || nx == "an")
              break;
            // "... and the Statement on ...": the next document.
            size_t k2 = nx == "the" ? v + 2 : v + 1;
            if (k2 < tokens.size()) {
              std::string nk = absl::AsciiStrToLower(tok(k2));
              bool is_kind = false;
              for (const KindWord& kw : kKinds)
                if (nk == kw.singular || nk == kw.plural) is_kind = true;
              if (is_kind) break;
            }
          }
          end_tok = v;
          ++v;
          ++words;
        }
      };
      if (capital) {
        // Title-case run: capitalised words, numbers and connectors.
        size_t last_cap = t;
        while (u < tokens.size()) {
          absl::string_view x = tok(u);
          if (tokens[u].kind == text::TokenKind::kPunctuation) {
            if (x == "-" || x == "\xE2\x80\x93") {
              ++u;
              continue;
            }
            break;
          }
          std::string lx = absl::AsciiStrToLower(x);
          if (is_calendar_word(x)) break;
          if (text::IsAsciiUpper(x[0]) || tokens[u].kind == text::TokenKind::kNumber ||
              text::IsAsciiDigit(x[0])) {
            last_cap = u;
          } else if (!IsConnector(lx)) {
            break;
          }
          ++u;
        }
        end_tok = last_cap;
        // "... on the 30th anniversary of ...", "... for 2023-2027 to
        // implement the Treaty ...": the title goes on in lowercase.
        size_t next = end_tok + 1;
        bool ordinal_end = text::IsAsciiDigit(tok(end_tok)[0]);
        if (next < tokens.size() && tokens[next].kind == text::TokenKind::kWord) {
          std::string ln = absl::AsciiStrToLower(tok(next));
          // "Programme of cooperation in ...", "Strategy until 2035",
          // "Plan of interaction on ...".
          bool possessive_next =
              next + 1 < tokens.size() &&
              (absl::AsciiStrToLower(tok(next + 1)) == "its" ||
               absl::AsciiStrToLower(tok(next + 1)) == "his" ||
               absl::AsciiStrToLower(tok(next + 1)) == "her" ||
               absl::AsciiStrToLower(tok(next + 1)) == "their");
          bool lower_tail =
              !possessive_next &&
              (ln == "of" || ln == "on" || ln == "for" || ln == "between" ||
               ln == "regarding" || ln == "concerning" || ln == "until" ||
               ln == "till" || ln == "through") &&
              next + 1 < tokens.size() &&
              (text::IsAsciiLower(tok(next + 1)[0]) ||
               text::IsAsciiDigit(tok(next + 1)[0]));
          if (ordinal_end || lower_tail ||
              (ln == "to" && next + 1 < tokens.size() &&
               text::IsAsciiLower(tok(next + 1)[0]))) {
            extend_tail(next);
          }
        }
      } else {
        if (!near_verb && !draft) continue;
        // "a program for strengthening the Tajik-Afghan border".
        if (u < tokens.size()) {
          std::string lx = absl::AsciiStrToLower(tok(u));
          if (lx == "of" || lx == "on" || lx == "to" || lx == "for" ||
              lx == "regarding" || lx == "concerning" || lx == "between" ||
              lx == "until") {
            extend_tail(u);
          }
        }
      }
      // Proper adjectives before a capitalised kind: "Samarkand
      // Declaration", "SCO Development Strategy".
      size_t start_tok = t;
      if (capital) {
        while (start_tok > 0 && t - start_tok < 3) {
          size_t b = start_tok - 1;
          absl::string_view x = tok(b);
          if (tokens[b].kind != text::TokenKind::kWord ||
              !text::IsAsciiUpper(x[0]) || b == 0)
            break;
          std::string lx = absl::AsciiStrToLower(x);
          if (lx == "the" || lx == "a" || lx == "an" || lx == "this" ||
              is_calendar_word(x))
            break;
          start_tok = b;
        }
      }
      // Lowercase modifiers after an indefinite article: "an anti-drug
      // strategy", "a free trade agreement".
      bool lower_prefix = false;
      if (!capital && !draft) {
        size_t b = t;
        while (b > 0 && t - b < 3 && tokens[b - 1].kind == text::TokenKind::kWord &&
               text::IsAsciiLower(tok(b - 1)[0])) {
          std::string lx = absl::AsciiStrToLower(tok(b - 1));
          if (lx == "a" || lx == "an") break;
          --b;
        }
        if (b < t && b > 0) {
          std::string article = absl::AsciiStrToLower(tok(b - 1));
          bool plain = true;
          for (size_t x = b; x < t; ++x) {
            std::string lx = absl::AsciiStrToLower(tok(x));
            static constexpr absl::string_view kVague[] = {
                "new", "related", "relevant", "corresponding", "such",
                "further", "final", "key", "main", "major", "number",
                "package", "series", "set", "second", "first", "third",
                "separate", "single", "common", "special", "important",
                "historic", "landmark", "draft", "respective", "the"};
            for (absl::string_view v : kVague)
              if (lx == v) plain = false;
            if (absl::EndsWith(lx, "ly") || IsConnector(lx)) plain = false;
          }
          if (plain && (article == "a" || article == "an")) {
            start_tok = b;
            lower_prefix = true;
          }
        }
      }
      std::string prefix_words;
      if (start_tok < t)
        prefix_words = std::string(absl::string_view(text_).substr(
            abs_begin(start_tok), abs_begin(t) - abs_begin(start_tok)));
      if (lower_prefix && !prefix_words.empty())
        prefix_words[0] = absl::ascii_toupper(prefix_words[0]);
      Span title_span{abs_begin(start_tok), abs_end(end_tok)};
      std::string rest(absl::string_view(text_).substr(
          abs_end(t), title_span.end - abs_end(t)));
      // The treaty formula is not part of the title: "between A, of the one
      // part, and B, of the other part" -> "between A and B".
      rest = absl::StrReplaceAll(rest, {{", of the one part, and", " and"},
                                        {", of the one part,", ""},
                                        {", of the other part", ""}});
      // Drop trailing connectors.
      while (true) {
        size_t sp = rest.rfind(' ');
        if (sp == std::string::npos) break;
        std::string last = absl::AsciiStrToLower(rest.substr(sp + 1));
        if (!IsConnector(last)) break;
        rest.resize(sp);
      }
      DeclarationDraft d;
      d.kind = kind->kind;
      d.title = lower_prefix
                    ? absl::StrCat(prefix_words,
                                   absl::AsciiStrToLower(KindHead(*kind)),
                                   rest)
                    : absl::StrCat(prefix_words, KindHead(*kind), rest);
      d.status = draft ? v1::DECLARATION_STATUS_PROPOSED : status;
      d.evidence = title_span;
      d.has_verb = near_verb;
      // Anaphoric documents take their subject from the context: "a related
      // statement", "the corresponding statement", "to commemorate the event".
      bool anaphoric = rest.empty() && !capital;
      for (size_t b = t; b > 0 && t - b < 2; --b) {
        std::string lw = absl::AsciiStrToLower(tok(b - 1));
        if (lw == "related" || lw == "corresponding" || lw == "commemorative" ||
            lw == "relevant" || lw == "such" || lw == "this" || lw == "respective")
          anaphoric = true;
      }
      std::string lrest = absl::AsciiStrToLower(rest);
      if (absl::StrContains(lrest, "the event") ||
          absl::StrContains(lrest, "the occasion") ||
          absl::StrContains(lrest, "the date"))
        anaphoric = true;
      if (anaphoric) d.subject = antecedent(si);
      // A document of the past: "the Treaty was signed in Tashkent on May
      // 15, 1992", "thirty years since the Treaty ...", "the anniversary of
      // the Treaty".
      if (date_.year() != 0) {
        Span after{title_span.end, std::min(s.span.end, title_span.end + 60)};
        bool past = false;
        static constexpr absl::string_view kPastVerbs[] = {
            "signed", "adopted", "concluded", "approved", "ratified"};
        size_t past_verb = FindAnyWord(lists_, kPastVerbs, after);
        if (past_verb != kNpos) {
          for (const TextDate& td : internal::FindDates(
                   text_, {past_verb, after.end}, true))
            if (td.year != 0 && td.year < date_.year()) past = true;
        }
        Span before{title_span.begin > s.span.begin + 40 ? title_span.begin - 40
                                                         : s.span.begin,
                    title_span.begin};
        absl::string_view b = before.Of(lower_);
        if (absl::EndsWith(b, "since the ") ||
            absl::EndsWith(b, "anniversary of the ") ||
            absl::EndsWith(b, "anniversary of ") ||
            absl::EndsWith(b, "since "))
          past = true;
        if (past) continue;
      }
      if (rest.empty() && !prefix_words.empty()) {
        // "the Samarkand Declaration": the name is the title.
      } else if (rest.empty()) {
        if (!d.subject.empty()) {
          d.title = absl::StrCat(KindHead(*kind), " on the ", d.subject);
          absl::string_view sub = d.subject;
          if (absl::StartsWith(absl::AsciiStrToLower(sub), "the "))
            d.title = absl::StrCat(KindHead(*kind), " on ", d.subject);
        } else if (kind->kind == v1::DECLARATION_KIND_DECLARATION && capital &&
                   body_ >= 0) {
          d.title = absl::StrCat(
              "Declaration of the ",
              g_.data().organizations(org_).bodies(body_).name());
        } else {
          continue;  // a bare "the agreement" is not a document we can name
        }
      }
      // Without an adoption verb only declarations and statements named in
      // title case count ("the Declaration of the Collective Security
      // Council, drawn up by Kazakhstan").
      if (!near_verb && !draft) {
        if (!capital || (kind->kind != v1::DECLARATION_KIND_DECLARATION &&
                         kind->kind != v1::DECLARATION_KIND_STATEMENT))
          continue;
        if (rest.empty() && prefix_words.empty()) continue;
      }
      drafts.push_back(d);
      consumed_titles.push_back(title_span);
    }
  }
  absl::flat_hash_set<std::string> seen;
  for (const DeclarationDraft& d : drafts) {
    std::string slug = schema::Slugify(d.title);
    if (slug.empty() || !seen.insert(slug).second) continue;
    v1::Declaration* decl = out_.add_declarations();
    decl->set_summit(summit_name_);
    decl->set_name(schema::DeclarationName(summit_name_, slug));
    decl->set_title(d.title);
    decl->set_kind(d.kind);
    decl->set_status(d.status);
    decl->set_subject(d.subject);
    *decl->add_evidence() = MakeEvidence(d.evidence);
    decl->add_source_articles(ctx_.article_name);
    decl->set_confidence(d.has_verb ? 0.6 : 0.4);
  }
}

// --- Initiatives -----------------------------------------------------------

// The span of a quoted phrase or a title-case run ("On World Unity for a
// Just Peace", "Declaration on Strategic Economic Cooperation of the CIS
// Member States") that ends before `pos` in `range`; empty when none.
Span PrecedingTitle(absl::string_view text, Span range, size_t pos) {
  absl::string_view r = text.substr(range.begin, pos - range.begin);
  // A quoted phrase: "…" or "...".
  for (absl::string_view close : {"\xE2\x80\x9D", "\""}) {
    size_t e = r.rfind(close);
    if (e == absl::string_view::npos || e == 0) continue;
    absl::string_view open = close == "\"" ? "\"" : "\xE2\x80\x9C";
    size_t b = r.rfind(open, e - 1);
    if (b == absl::string_view::npos) continue;
    Span q{range.begin + b + open.size(), range.begin + e};
    if (q.size() >= 4 && pos - (range.begin + e) < 40) return q;
  }
  // The last run of capitalised words (with inner connectors) of at least
  // three words.
  std::vector<text::Token> tokens = text::Tokenize(r);
  Span best;
  size_t t = 0;
  while (t < tokens.size()) {
    absl::string_view x = tokens[t].span.Of(r);
    if (tokens[t].kind != text::TokenKind::kWord || !text::IsAsciiUpper(x[0])) {
      ++t;
      continue;
    }
    size_t first = t, last = t, words = 1;
    size_t u = t + 1;
    while (u < tokens.size() && tokens[u].kind == text::TokenKind::kWord) {
      absl::string_view y = tokens[u].span.Of(r);
      if (text::IsAsciiUpper(y[0])) {
        last = u;
        ++words;
      } else if (!IsConnector(absl::AsciiStrToLower(y))) {
        break;
      }
      ++u;
    }
    if (words >= 3)
      best = {range.begin + tokens[first].span.begin,
              range.begin + tokens[last].span.end};
    t = u;
  }
  return best;
}

// Whether the subject of the verb at `cue` is a document: "the Qingdao
// Declaration, which calls for ...", "the statement urged ...". What a
// document says is its content, not somebody's proposal.
bool Run::DocumentIsSubject(Span sentence, size_t cue) const {
  absl::string_view before = absl::string_view(lower_).substr(
      sentence.begin, cue - sentence.begin);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  size_t sp = before.find_last_of(' ');
  absl::string_view last =
      sp == absl::string_view::npos ? before : before.substr(sp + 1);
  for (absl::string_view kind : kKindWords)
    if (last == kind) return true;
  if (last != "which" && last != "that") return false;
  // "<document>, which ...": a kind word just before the relative pronoun.
  Span window{cue > sentence.begin + 60 ? cue - 60 : sentence.begin, cue};
  size_t kind = FindAnyWord(lists_, kKindWords, window);
  if (kind == kNpos) return false;
  absl::string_view between = absl::string_view(lower_).substr(
      kind, sentence.begin + before.size() - kind);
  // Nothing but the title's own words in between: no other verb clause.
  return between.find_first_of(";:") == absl::string_view::npos;
}

void Run::FindInitiatives() {
  static constexpr absl::string_view kVerbCues[] = {
      "proposed",      "proposes",          "propose",
      "proposing",     "suggested",         "suggests",
      "put forward",   "puts forward",      "called for",
      "calls for",     "advocated for",
      "advocates for", "proposal",          "proposals",
      "initiated",     "stressed the need", "stressed the necessity",
      "emphasized the need", "emphasized the necessity",
      "emphasised the need", "underlined the need",
      "underlined the necessity", "urged", "called on", "calls on",
      "spoke in favour of", "spoke in favor of", "spoke out in favour of",
      "was ready to", "is ready to", "were ready to", "are ready to",
      "offered to", "offers to", "announced that", "announces that"};
  // Exhortations, not proposals: "urged the members to guard against ...".
  static constexpr absl::string_view kVagueVerbs[] = {
      "guard", "refrain", "avoid", "remain", "stay", "be", "keep", "continue",
      "respect", "resist", "oppose", "stand", "unite", "show", "not",
      "beware", "pay", "remember", "prevent", "take", "host", "assume",
      "discuss"};
  // Verbs whose object names the proposal: "create an International ...
  // Agency" -> "International ... Agency".
  static constexpr absl::string_view kCreateVerbs[] = {
      "create", "creating", "establish", "establishing", "form", "forming",
      "set up", "setting up", "found", "founding", "launch", "launching"};
  struct Draft {
    std::vector<Span> sentences;
    size_t line;
    Referent proposer;
    Span title;
    v1::InitiativeStatus status = v1::INITIATIVE_STATUS_PROPOSED;
  };
  auto starts = [&](size_t pos, absl::string_view prefix) {
    return absl::StartsWith(absl::string_view(lower_).substr(pos), prefix);
  };
  auto skip_spaces = [&](size_t pos, size_t end) {
    while (pos < end && lower_[pos] == ' ') ++pos;
    return pos;
  };
  // The first referent that begins in [from, to).
  auto referent_in = [&](const Sentence& s, size_t from, size_t to,
                         size_t* end) {
    for (int i = s.first_mention; i < s.end_mention; ++i) {
      if (mentions_[i].span.begin < from) continue;
      if (mentions_[i].span.begin >= to) break;
      int consumed = i;
      Referent r = ReferentAt(i, &consumed);
      if (r.valid()) {
        if (end) *end = mentions_[consumed].span.end;
        return r;
      }
      i = consumed;
    }
    return Referent();
  };
  std::vector<Draft> drafts;
  for (size_t si = 0; si < sentences_.size(); ++si) {
    const Sentence& s = sentences_[si];
    absl::string_view which;
    size_t cue = kNpos;
    size_t cue_end = kNpos;
    Referent possessor;
    // "Tajikistan's initiative to form ...", "his initiative to create ...",
    // "the initiative "On World Unity ..."".
    size_t from = s.span.begin;
    bool quoted_initiative = false;
    while (true) {
      size_t k = FindWord(words_, "initiative", from, s.span.end);
      if (k == kNpos) break;
      from = k + 10;
      absl::string_view after = absl::string_view(lower_).substr(
          k + 10, std::min<size_t>(20, s.span.end - (k + 10)));
      quoted_initiative = absl::StartsWith(after, " \"") ||
                          absl::StartsWith(after, " \xE2\x80\x9C");
      if (!(absl::StartsWith(after, " to ") || absl::StartsWith(after, " on ") ||
            absl::StartsWith(after, " for ") ||
            absl::StartsWith(after, " of creating") ||
            absl::StartsWith(after, " of establishing") ||
            absl::StartsWith(after, " of forming") || quoted_initiative))
        continue;
      cue = k;
      cue_end = k + 10;
      // A possessor glued before: "Tajikistan’s initiative".
      for (int i = s.first_mention; i < s.end_mention; ++i) {
        const Mention& m = mentions_[i];
        if (m.span.end > k) break;
        absl::string_view gap =
            absl::string_view(lower_).substr(m.span.end, k - m.span.end);
        if (gap == "\xE2\x80\x99s " || gap == "'s ") {
          int consumed = i;
          possessor = ReferentAt(i, &consumed);
        }
      }
      which = "initiative";
      break;
    }
    if (cue == kNpos) {
      cue = FindAnyWord(lists_, kVerbCues, s.span, &which);
      if (cue != kNpos) cue_end = cue + which.size();
    }
    if (cue == kNpos) continue;
    if (which != "initiative" && DocumentIsSubject(s.span, cue)) continue;
    const bool passive_cue = which == "put forward" || which == "proposed" ||
                             which == "suggested" || which == "initiated" ||
                             which == "proposal" || which == "puts forward";
    // "announced that the allies would hold ...": a plan, not a report.
    if (which == "announced that" || which == "announces that") {
      Span window{cue_end, std::min(s.span.end, cue_end + 50)};
      if (!HasWord(words_, "would", window) && !HasWord(words_, "will", window))
        continue;
    }
    // The object: where the proposal's own words start.
    size_t object = skip_spaces(cue_end, s.span.end);
    Referent proposer = possessor;
    Span title;
    // "One proposal highlighted by Tokayev was the need for ...".
    if (which == "proposal" || which == "proposals") {
      size_t sp = absl::string_view(lower_).substr(object, 24).find(' ');
      if (sp != absl::string_view::npos && sp > 2 &&
          lower_.compare(object + sp - 2, 2, "ed") == 0 &&
          starts(object + sp + 1, "by "))
        object += sp + 1;
    }
    // "put forward by Tokayev", "on a proposal from Russia, to extend ...".
    if (passive_cue && (starts(object, "by ") || starts(object, "from "))) {
      size_t end = kNpos;
      Referent r = referent_in(s, object, object + 8, &end);
      if (r.valid()) {
        proposer = r;
        size_t after = skip_spaces(end, s.span.end);
        if (starts(after, ", to ")) after += 2;
        for (absl::string_view copula : {"was ", "is ", "were ", "are "})
          if (starts(after, copula)) after += copula.size();
        if (starts(after, "to ") || starts(after, "the need") ||
            starts(after, "that ")) {
          object = after;
        } else {
          title = PrecedingTitle(text_, s.span, cue);
          object = kNpos;
        }
      }
    }
    // "a text Berdimuhamedov had first proposed at the Sochi summit":
    // the proposal is named before the cue.
    if (object != kNpos && title.empty() && passive_cue &&
        (starts(object, "at ") || starts(object, "in ") ||
         starts(object, "during ") || starts(object, "last ") ||
         starts(object, "earlier") || object >= s.span.end)) {
      title = PrecedingTitle(text_, s.span, cue);
      if (title.empty()) continue;
      object = kNpos;
    }
    if (quoted_initiative) {
      size_t q = skip_spaces(cue_end, s.span.end);
      size_t close = text_.find(text_[q] == '"' ? "\"" : "\xE2\x80\x9D",
                                q + 1);
      size_t open_len = text_[q] == '"' ? 1 : 3;
      if (close != absl::string_view::npos && close < s.span.end) {
        title = {q + open_len, close};
        object = kNpos;
      }
    }
    if (object != kNpos) {
      // "urged the partners to supply ...": skip the addressee.
      if (which == "urged" || which == "called on" || which == "calls on") {
        size_t to = absl::string_view(lower_).substr(object, 60).find(" to ");
        if (to == absl::string_view::npos || object + to >= s.span.end)
          continue;
        object = object + to + 1;
      }
      for (absl::string_view skip :
           {"that ", "the need for ", "the need to ", "the necessity of ",
            "the necessity to ", "to ", "of ", "for "}) {
        if (starts(object, skip)) {
          object += skip.size();
          break;
        }
      }
      // "announced that China would set up ...": a named subject with a
      // modal; the proposal starts at the verb.
      for (int i = s.first_mention; i < s.end_mention; ++i) {
        const Mention& m = mentions_[i];
        if (m.span.begin < object) continue;
        if (m.span.begin > object) break;
        for (absl::string_view modal :
             {" would ", " will ", " should ", " could "}) {
          if (starts(m.span.end, modal)) {
            object = m.span.end + modal.size();
            break;
          }
        }
        break;
      }
      // "proposals for the further development of X, including the
      // establishment of Y": Y is the proposal.
      {
        size_t stop = object;
        while (stop < s.span.end && text_[stop] != ',' && text_[stop] != ';')
          ++stop;
        if (starts(stop, ", including ")) object = stop + 12;
        for (absl::string_view noun :
             {"the establishment of ", "the creation of ", "the formation of ",
              "establishment of ", "creation of ", "formation of "}) {
          if (starts(object, noun)) {
            object += noun.size();
            for (absl::string_view det : {"a ", "an ", "the "})
              if (starts(object, det)) object += det.size();
            break;
          }
        }
      }
      // "that the allies step up ...", "that the price ... should be set".
      for (absl::string_view group :
           {"the allies ", "the members ", "the member states ",
            "member states ", "the partners ", "the parties ",
            "the countries ", "the leaders ", "the organisation ",
            "the organization ", "the union ", "the bloc ", "all "}) {
        if (starts(object, group)) {
          object += group.size();
          break;
        }
      }
      for (absl::string_view modal :
           {"should ", "would ", "must ", "could ", "will ", "to "}) {
        if (starts(object, modal)) {
          object += modal.size();
          break;
        }
      }
      if (starts(object, "be ")) object += 3;
      // Exhortations are not proposals.
      bool vague = false;
      for (absl::string_view v : kVagueVerbs) {
        if (starts(object, v) &&
            (object + v.size() >= lower_.size() ||
             !text::IsAsciiAlnum(lower_[object + v.size()])))
          vague = true;
      }
      if (vague && which != "initiative") continue;
      // "create an International Biology Safety Agency": the thing itself,
      // without where it would sit ("under the aegis of the UN").
      bool created_thing = false;
      for (absl::string_view v : kCreateVerbs) {
        if (!starts(object, v) || object + v.size() >= s.span.end ||
            lower_[object + v.size()] != ' ')
          continue;
        size_t o = object + v.size() + 1;
        for (absl::string_view det : {"a ", "an ", "the "})
          if (starts(o, det)) o += det.size();
        object = o;
        created_thing = true;
        break;
      }
      // Up to a clause break, at most 12 words (20 for a clause with its
      // own subject: "that the price of ... should be set in ...").
      size_t e = object;
      int words = 0;
      int max_words = 12;
      if (absl::StrContains(
              absl::string_view(lower_).substr(
                  object, std::min<size_t>(100, s.span.end - object)),
              " should "))
        max_words = 20;
      while (e < s.span.end && words < max_words) {
        char c = text_[e];
        // "2,000 officers": a digit group, not a clause break.
        if (c == ',' && e > object && text::IsAsciiDigit(text_[e - 1]) &&
            e + 1 < s.span.end && text::IsAsciiDigit(text_[e + 1])) {
          ++e;
          continue;
        }
        if (c == ',' || c == '.' || c == ';' || c == ':' || c == '(') break;
        if (c == ' ') {
          ++words;
          bool stop = false;
          for (absl::string_view w :
               {" as ", " which ", " saying ", " arguing ", " while ",
                " because ", " so that ", " in order ", " and said ",
                " adding ", " who ", " that would ", " in a bid "}) {
            if (starts(e, w)) stop = true;
          }
          if (created_thing) {
            for (absl::string_view w : {" under ", " within ", " at ", " in ",
                                        " with ", " by ", " to "}) {
              if (starts(e, w)) stop = true;
            }
          }
          if (stop) break;
        }
        ++e;
      }
      title = TrimSpan(text_, {object, e});
      // Trailing connectors: "... under the aegis of".
      while (!title.empty()) {
        size_t sp = title.Of(text_).rfind(' ');
        if (sp == absl::string_view::npos) break;
        std::string last =
            absl::AsciiStrToLower(title.Of(text_).substr(sp + 1));
        if (!IsConnector(last)) break;
        title.end = title.begin + sp;
      }
    }
    if (title.empty()) continue;
    // The proposer: "the initiative of X" / "proposal highlighted by X".
    if (!proposer.valid()) {
      // "the initiative "X", put forward by Tokayev": after the title.
      size_t from_pos = std::max(cue_end, title.end);
      absl::string_view after = absl::string_view(lower_).substr(
          from_pos, std::min<size_t>(40, s.span.end - from_pos));
      size_t by = after.find(" by ");
      if (by != absl::string_view::npos && by < 25) {
        Referent r = referent_in(s, from_pos + by, s.span.end, nullptr);
        if (r.valid()) proposer = r;
      }
    }
    if (!proposer.valid()) {
      // The subject: the first referent of the sentence before the cue.
      for (int i = s.first_mention; i < s.end_mention; ++i) {
        if (mentions_[i].span.begin >= cue) break;
        if (title.Contains(mentions_[i].span.begin)) continue;
        int consumed = i;
        Referent r = ReferentAt(i, &consumed);
        if (r.person >= 0 || (!r.country.empty() && r.role.empty()) ||
            (!r.role.empty() && !r.country.empty())) {
          proposer = r;
          break;
        }
        i = consumed;
      }
    }
    if (!proposer.valid()) proposer = FocusBefore(s.span.begin);
    if (proposer.person < 0 && !proposer.role.empty() && !proposer.country.empty())
      proposer.person = ResolveRole(proposer.role, proposer.country, "").person;
    // Status: what the others did with it, outside the proposal's words.
    v1::InitiativeStatus status = v1::INITIATIVE_STATUS_PROPOSED;
    {
      static constexpr absl::string_view kAdopted[] = {
          "endorsed", "adopted", "approved", "agreed", "signed", "decided"};
      static constexpr absl::string_view kSupported[] = {
          "welcomed", "supported", "backed", "timely"};
      Span before{s.span.begin, std::min(cue, title.begin)};
      Span after{std::max(cue_end, title.end), s.span.end};
      if (FindAnyWord(lists_, kAdopted, before) != kNpos ||
          FindAnyWord(lists_, kAdopted, after) != kNpos)
        status = v1::INITIATIVE_STATUS_ADOPTED;
      else if (FindAnyWord(lists_, kSupported, before) != kNpos ||
               FindAnyWord(lists_, kSupported, after) != kNpos ||
               HasWord(words_, "support", after))
        status = v1::INITIATIVE_STATUS_SUPPORTED;
      // Proposed by someone else and then signed here: adopted.
      if (status == v1::INITIATIVE_STATUS_PROPOSED && passive_cue) {
        for (const auto& d : out_.declarations()) {
          if (!d.evidence().empty() && title.Contains(d.evidence(0).begin()) &&
              d.status() != v1::DECLARATION_STATUS_PROPOSED)
            status = v1::INITIATIVE_STATUS_ADOPTED;
        }
      }
    }
    // Sentences of one paragraph with the same proposer are one proposal.
    if (!drafts.empty() && drafts.back().line == s.line &&
        drafts.back().proposer.person == proposer.person &&
        CountryOfReferent(drafts.back().proposer) == CountryOfReferent(proposer)) {
      drafts.back().sentences.push_back(s.span);
      continue;
    }
    Draft d;
    d.sentences.push_back(s.span);
    d.line = s.line;
    d.proposer = proposer;
    d.title = title;
    d.status = status;
    drafts.push_back(d);
  }
  absl::flat_hash_set<std::string> seen;
  for (const Draft& d : drafts) {
    std::string title(d.title.Of(text_));
    std::vector<std::string> parts;
    for (const Span& sp : d.sentences) parts.emplace_back(sp.Of(text_));
    std::string summary = absl::StrJoin(parts, " ");
    std::string slug = schema::Slugify(title);
    if (slug.empty() || !seen.insert(slug).second) continue;
    v1::Initiative* in = out_.add_initiatives();
    in->set_summit(summit_name_);
    in->set_name(schema::InitiativeName(summit_name_, slug));
    in->set_title(title);
    in->set_summary(summary);
    v1::Proposer* p = in->mutable_proposer();
    if (d.proposer.person >= 0) {
      p->set_name(g_.data().people(d.proposer.person).name());
      p->set_person_id(g_.data().people(d.proposer.person).id());
    }
    p->set_country(CountryOfReferent(d.proposer));
    p->set_organization(d.proposer.organization);
    in->set_status(d.status);
    Span all{d.sentences.front().begin, d.sentences.back().end};
    absl::flat_hash_set<int> topic_set;
    for (const auto& t : topic_mentions_) {
      if (t.span.begin < all.begin || t.span.end > all.end) continue;
      if (topic_set.insert(t.topic).second)
        in->add_topics(g_.data().topics(t.topic).label());
    }
    for (const Span& sp : d.sentences) *in->add_evidence() = MakeEvidence(sp);
    in->add_source_articles(ctx_.article_name);
    in->set_confidence(d.proposer.valid() ? 0.6 : 0.4);
  }
}

// "international cooperation" is cooperation beyond the organisation
// itself: a cooperation word ("cooperation", "interaction", "ties",
// "partnership", "dialogue", "contacts") followed, in the same sentence, by
// "with" or "between" and then another organisation ("deepening
// interactions with the United Nations, the CIS and the SCO") or
// international organisations in general ("cooperation between the CSTO and
// interested countries and international organizations").
void Run::FindOutsideCooperation(std::vector<bool>* seen) {
  int topic = -1;
  for (int i = 0; i < g_.data().topics_size(); ++i)
    if (g_.data().topics(i).label() == "international cooperation") topic = i;
  if (topic < 0 || (*seen)[topic]) return;
  static constexpr absl::string_view kCooperationWords[] = {
      "cooperation", "interaction", "interactions", "partnership",
      "partnerships", "ties", "dialogue", "contacts"};
  static constexpr absl::string_view kLinks[] = {"with", "between"};
  static constexpr absl::string_view kOthers[] = {
      "international organizations", "international organisations",
      "other organizations", "other organisations"};
  for (const Sentence& s : sentences_) {
    for (size_t from = s.span.begin;;) {
      absl::string_view which;
      size_t k = FindAnyWord(lists_, kCooperationWords, {from, s.span.end},
                             &which);
      if (k == kNpos) break;
      from = k + which.size();
      if (Excluded({k, from})) continue;
      // The link right after the cooperation word ("cooperation of the CSTO
      // with the CIS" allows a short "of ..." in between).
      size_t link = FindAnyWord(lists_, kLinks,
                                {from, std::min(s.span.end, from + 32)});
      if (link == kNpos) continue;
      Span partner{link, std::min(s.span.end, link + 160)};
      bool outside = FindAnyWord(lists_, kOthers, partner) != kNpos;
      for (int i = s.first_mention; i < s.end_mention && !outside; ++i) {
        const Mention& m = mentions_[i];
        if (m.span.begin < partner.begin) continue;
        if (m.span.end > partner.end) break;
        const EntityRef* o = RefOfKind(m, EntityKind::kOrganization);
        if (o && o->index != org_) outside = true;
      }
      if (!outside) continue;
      (*seen)[topic] = true;
      topics_.push_back(g_.data().topics(topic).label());
      return;
    }
  }
}

// Whether `span` is a demonym describing an office holder, "the Afghan
// President", "Ukrainian Foreign Minister ...": the person's country, not
// a subject discussed.
bool Run::DescribesAPerson(Span span) const {
  auto it = std::lower_bound(
      mentions_.begin(), mentions_.end(), span.begin,
      [](const Mention& m, size_t pos) { return m.span.begin < pos; });
  if (it == mentions_.end() || it->span.begin != span.begin) return false;
  if (!RefOfKind(*it, EntityKind::kDemonym)) return false;
  auto next = it + 1;
  while (next != mentions_.end() && next->span.begin < it->span.end) ++next;
  if (next == mentions_.end() || next->span.begin > it->span.end + 1)
    return false;
  return RefOfKind(*next, EntityKind::kRole) != nullptr;
}

void Run::FindTopics() {
  std::vector<bool> seen(g_.data().topics_size(), false);
  for (const auto& t : topic_mentions_) {
    if (Excluded(t.span) || seen[t.topic]) continue;
    if (SentenceOf(t.span.begin) < 0) continue;
    // Names of institutions are not subjects of talks: "the CSTO Crisis
    // Response Center".
    absl::string_view phrase = t.span.Of(text_);
    size_t after = t.span.end;
    if (text::IsAsciiUpper(phrase[0]) && after + 1 < text_.size() &&
        text_[after] == ' ' && text::IsAsciiUpper(text_[after + 1])) {
      absl::string_view next = absl::string_view(lower_).substr(after + 1, 12);
      if (absl::StartsWith(next, "center") || absl::StartsWith(next, "centre") ||
          absl::StartsWith(next, "committee") ||
          absl::StartsWith(next, "department"))
        continue;
    }
    if (DescribesAPerson(t.span)) continue;
    seen[t.topic] = true;
    topics_.push_back(g_.data().topics(t.topic).label());
  }
  FindOutsideCooperation(&seen);
  // "the Kyrgyz-Tajik border", "the Armenian-Azerbaijani border": a border
  // between two named states is a border-security topic.
  int border = -1;
  for (int i = 0; i < g_.data().topics_size(); ++i)
    if (g_.data().topics(i).label() == "border security") border = i;
  if (border < 0 || seen[border]) return;
  size_t from = 0;
  while (true) {
    size_t k = FindWord(words_, "border", from, body_end_);
    if (k == kNpos) break;
    from = k + 6;
    if (k < 2 || lower_[k - 1] != ' ') continue;
    size_t b = k - 1;
    while (b > 0 && (text::IsAsciiAlnum(lower_[b - 1]) || lower_[b - 1] == '-'))
      --b;
    absl::string_view word = absl::string_view(lower_).substr(b, k - 1 - b);
    size_t dash = word.find('-');
    if (dash == absl::string_view::npos || dash == 0 ||
        dash + 1 >= word.size())
      continue;
    Span span{b, k + 6};
    if (Excluded(span) || SentenceOf(b) < 0) continue;
    // Both halves must be demonyms or states: check against mentions.
    int named = 0;
    for (const Mention& m : mentions_) {
      if (m.span.begin >= b && m.span.end <= k) {
        if (RefOfKind(m, EntityKind::kDemonym) || RefOfKind(m, EntityKind::kState))
          ++named;
      }
      if (m.span.begin > k) break;
    }
    if (named < 2) continue;
    seen[border] = true;
    topics_.push_back(g_.data().topics(border).label());
    break;
  }
}

v1::ArticleExtraction Run::Extract() {
  out_.set_article(ctx_.article_name);
  out_.set_extractor_version(kExtractorVersion);
  FindBodyAndWarnings();
  SplitBody();
  if (!ChooseSummit()) {
    AddWarning("no_summit",
               "no session of a known organisation's body is described", {});
    return std::move(out_);
  }
  topic_mentions_ = g_.FindTopics(absl::string_view(text_).substr(0, body_end_));
  InferDate();
  FindLocation();
  FindFormats();
  FindParticipants();
  FindPresiding();
  FindChairs();
  FindDocumentsCount();
  FindTopics();

  const auto& org = g_.data().organizations(org_);
  summit_name_ =
      schema::SummitName(schema::SummitId(org.acronym(), date_, city_));
  v1::Summit* summit = out_.add_summits();
  summit->set_name(summit_name_);
  summit->set_organization(org.acronym());
  summit->set_body(org.bodies(body_).name());
  if (date_.year() != 0) *summit->mutable_date() = date_;
  if (!city_.empty() || !country_.empty()) {
    summit->mutable_location()->set_city(city_);
    summit->mutable_location()->set_country(country_);
  }
  for (v1::SummitFormat f : formats_) summit->add_formats(f);
  summit->set_chair_country(chair_country_);
  if (presiding_person_ >= 0)
    summit->set_presiding(g_.data().people(presiding_person_).name());
  bool named = false;
  for (const ParticipantDraft& d : participants_) {
    v1::Participant* p = summit->add_participants();
    if (d.who.person >= 0) {
      p->set_name(g_.data().people(d.who.person).name());
      p->set_person_id(g_.data().people(d.who.person).id());
      named = true;
    }
    p->set_role(d.who.role);
    p->set_country(d.who.country);
    if (d.who.country.empty()) p->set_organization(d.who.organization);
    p->set_remote(d.remote);
    for (const Span& s : d.evidence) *p->add_evidence() = MakeEvidence(s);
  }
  if (!next_chair_country_.empty()) {
    v1::NextChair* nc = summit->mutable_next_chair();
    nc->set_country(next_chair_country_);
    if (next_chair_from_.year() != 0) *nc->mutable_from_date() = next_chair_from_;
    *nc->add_evidence() = MakeEvidence(next_chair_evidence_);
  }
  summit->set_documents_adopted_count(documents_count_);
  for (const std::string& t : topics_) summit->add_topics(t);
  if (!summit_evidence_.empty())
    *summit->add_evidence() = MakeEvidence(summit_evidence_);
  if (!date_evidence_.empty())
    *summit->add_evidence() = MakeEvidence(date_evidence_);
  if (!location_evidence_.empty())
    *summit->add_evidence() = MakeEvidence(location_evidence_);
  summit->add_source_articles(ctx_.article_name);
  summit->set_extractor_version(kExtractorVersion);
  double confidence = 0.5;
  if (date_.year() != 0) confidence += 0.1;
  if (!city_.empty() || !country_.empty()) confidence += 0.1;
  if (named) confidence += 0.1;
  // Tenths exactly (0.8, not 0.7999999999999999), as summit.proto documents.
  summit->set_confidence(std::round(confidence * 10) / 10);

  FindDeclarations();
  FindInitiatives();
  for (const auto& d : out_.declarations()) summit->add_declarations(d.name());
  for (const auto& i : out_.initiatives()) summit->add_initiatives(i.name());
  return std::move(out_);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Extractor>> Extractor::Create(
    std::shared_ptr<const gazetteer::Gazetteer> gazetteer) {
  if (gazetteer == nullptr) {
    return absl::InvalidArgumentError("gazetteer must not be null");
  }
  return std::unique_ptr<Extractor>(new Extractor(std::move(gazetteer)));
}

v1::ArticleExtraction Extractor::Extract(absl::string_view normalized_text,
                                         const ArticleContext& context) const {
  Run run(*gazetteer_, normalized_text, context);
  return run.Extract();
}

}  // namespace communique::extract
