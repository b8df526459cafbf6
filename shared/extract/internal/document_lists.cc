// Documents named in lists and list-like frames. News rarely names each
// document with its own verb; it lists them: "decisions on A, B and C",
// "the key documents include X, Y and Z", "approved organisational
// decisions, among them A, B and C", "signed 16 documents. Four of them
// deal with A, B, C and D". Each item of such a list is one record. An item
// naming its own kind ("a strategy for energy cooperation") keeps it; an
// item that is only a subject ("the CSTO budget for 2026") takes the kind of
// the frame's noun ("Decision on the CSTO budget for 2026").
#include "shared/extract/internal/run.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "shared/extract/internal/dates.h"
#include "shared/extract/internal/lists.h"
#include "shared/text/utf8.h"

namespace communique::extract::internal {
namespace {

// A noun that stands for the documents of a list, and the record it makes
// of a bare subject.
struct FrameNoun {
  absl::string_view word;  // lowercase, plural
  absl::string_view head;  // title head for bare subjects
  v1::DeclarationKind kind;
};
constexpr FrameNoun kFrameNouns[] = {
    {"decisions", "Decision", v1::DECLARATION_KIND_DECISION},
    {"documents", "Document", v1::DECLARATION_KIND_OTHER},
    {"texts", "Document", v1::DECLARATION_KIND_OTHER},
    {"agreements", "Agreement", v1::DECLARATION_KIND_AGREEMENT},
    {"statements", "Statement", v1::DECLARATION_KIND_STATEMENT},
    {"declarations", "Declaration", v1::DECLARATION_KIND_DECLARATION},
    {"protocols", "Protocol", v1::DECLARATION_KIND_PROTOCOL},
    {"resolutions", "Resolution", v1::DECLARATION_KIND_RESOLUTION},
    {"memoranda", "Memorandum", v1::DECLARATION_KIND_MEMORANDUM},
    {"programmes", "Programme", v1::DECLARATION_KIND_PROGRAM},
    {"programs", "Program", v1::DECLARATION_KIND_PROGRAM},
};

// Words that make a sentence about documents not an adoption: drafts,
// documents only considered or to be signed later, rejections (refusals
// proper are kRefusalWords, checked beside this list).
constexpr absl::string_view kNotAdopted[] = {
    "draft",        "drafts",      "considered", "consider",
    "declin*",      "reject*",
    "will be",      "to be signed", "to be adopted", "to be approved",
    "would be",     "expected to",
    "did not",      "not signed",  "not adopted",
    "are to",       "is to",       "next summit", "next session",
    "discussed",    "prepare",     "prepared",   "preparing"};

// Any word that can name a document or a list of documents.
constexpr absl::string_view kDocumentCueWords[] = {
    "documents",   "document",   "decisions",   "decision",    "texts",
    "agreements",  "agreement",  "statements",  "statement",   "declarations",
    "declaration", "protocols",  "protocol",    "resolutions", "resolution",
    "memoranda",   "memorandum", "programmes",  "programme",   "programs",
    "program",     "strategy",   "strategies",  "plan",        "plans",
    "concept",     "concepts",   "treaty",      "treaties",    "roadmap",
    "directives",  "instructions"};

bool IsDeterminer(absl::string_view w) {
  return w == "the" || w == "a" || w == "an" || w == "its" || w == "their";
}

bool IsPreposition(absl::string_view w) {
  return w == "on" || w == "in" || w == "to" || w == "for" || w == "of" ||
         w == "concerning" || w == "regarding";
}

// The lowercase word starting at `pos` of `s` (letters, digits, '-').
absl::string_view WordAt(absl::string_view s, size_t pos) {
  size_t e = pos;
  while (e < s.size() && (text::IsAsciiAlnum(s[e]) || s[e] == '-')) ++e;
  return s.substr(pos, e - pos);
}

// The kind word of kKinds that `w` is (singular or plural), or null.
const KindWord* KindOf(absl::string_view w) {
  for (const KindWord& k : kKinds)
    if (w == k.singular || w == k.plural) return &k;
  return nullptr;
}

// Extra document heads that only a list frame makes documents.
const KindWord* ListKindOf(absl::string_view w) {
  static constexpr KindWord kListKinds[] = {
      {"roadmap", "roadmaps", v1::DECLARATION_KIND_OTHER},
      {"directive", "directives", v1::DECLARATION_KIND_OTHER},
      {"instruction", "instructions", v1::DECLARATION_KIND_OTHER},
  };
  if (const KindWord* k = KindOf(w)) return k;
  for (const KindWord& k : kListKinds)
    if (w == k.singular || w == k.plural) return &k;
  return nullptr;
}

}  // namespace

// A list item: its span in the text.

// Splits [begin, end) of `lower` into list items. A comma, semicolon,
// "and", "as well as" or "together with" separates two items only when what
// follows opens a new item the way the list's items open: a determiner, a
// document word, the preposition the first item opened with, or a gerund
// when the first item is one. "terrorism, separatism and extremism" stays
// one item; "A, the B and the C" is three.
std::vector<Item> SplitList(absl::string_view lower, size_t begin, size_t end) {
  std::vector<Item> items;
  // How the first item opens.
  size_t p = begin;
  while (p < end && lower[p] == ' ') ++p;
  absl::string_view first = WordAt(lower, p);
  bool gerund_list = first.size() > 4 && absl::EndsWith(first, "ing");
  // The first preposition of the first item ("cooperation in countering
  // ..., in border security"): items may open with it.
  absl::string_view preposition;
  {
    size_t q = p;
    for (int words = 0; words < 3 && q < end; ++words) {
      absl::string_view w = WordAt(lower, q);
      if (w.empty()) break;
      if (w == "on" || w == "in" || w == "to" || w == "for") {
        preposition = w;
        break;
      }
      q += w.size();
      while (q < end && lower[q] == ' ') ++q;
    }
  }
  auto opens_item = [&](size_t at) {
    absl::string_view w = WordAt(lower, at);
    if (w.empty()) return false;
    if (IsDeterminer(w) || ListKindOf(w) != nullptr) return true;
    if (!preposition.empty() && w == preposition) return true;
    if (gerund_list && w.size() > 4 && absl::EndsWith(w, "ing")) return true;
    return false;
  };
  size_t item_begin = p;
  size_t i = p;
  while (i < end) {
    size_t sep_len = 0;
    absl::string_view rest = lower.substr(i, end - i);
    if (absl::StartsWith(rest, ", and ")) sep_len = 6;
    else if (absl::StartsWith(rest, "; and ")) sep_len = 6;
    else if (absl::StartsWith(rest, ", as well as ")) sep_len = 13;
    else if (absl::StartsWith(rest, " as well as ")) sep_len = 12;
    else if (absl::StartsWith(rest, " together with ")) sep_len = 15;
    else if (absl::StartsWith(rest, " along with ")) sep_len = 12;
    else if (absl::StartsWith(rest, ", ")) sep_len = 2;
    else if (absl::StartsWith(rest, "; ")) sep_len = 2;
    else if (absl::StartsWith(rest, " and ")) sep_len = 5;
    if (sep_len == 0) {
      ++i;
      continue;
    }
    size_t next = i + sep_len;
    // ", and on X": the separator's "and" may be followed by the opener.
    if (absl::StartsWith(lower.substr(next), "and ")) next += 4;
    if (absl::StartsWith(lower.substr(next), "also ")) next += 5;
    // ", and road safety": the serial comma closes a list already split.
    bool serial_and = sep_len == 6 && lower[i] == ',' && !items.empty();
    if (opens_item(next) || lower[i] == ';' || serial_and) {
      if (i > item_begin) items.push_back({item_begin, i});
      item_begin = next;
      i = next;
      continue;
    }
    i += sep_len;
  }
  if (end > item_begin) items.push_back({item_begin, end});
  return items;
}

namespace {

// Where a list region ends: the first clause boundary after `begin`.
size_t RegionEnd(absl::string_view original, absl::string_view lower,
                 size_t begin, size_t end) {
  static constexpr absl::string_view kStops[] = {
      ", which",      " which ",        ", opening",    ", while",
      " were adopted", " was adopted",  " were signed", " was signed",
      " were approved", " was approved", " have been",  " has been",
      " had been",    " as well.",      ", said ",      " - ",
      ", and the leaders", ", and the heads", " at the summit",
      " at the meeting", " during the"};
  size_t stop = end;
  for (absl::string_view k : kStops) {
    size_t f = lower.substr(0, end).find(k, begin);
    if (f != absl::string_view::npos && f < stop) stop = f;
  }
  // ", and Tokayev congratulated ...": a new clause with its own subject.
  for (size_t f = lower.find(", and ", begin); f != absl::string_view::npos && f < stop;
       f = lower.find(", and ", f + 1)) {
    absl::string_view next = WordAt(lower, f + 6);
    if (!next.empty() && !IsDeterminer(next) && ListKindOf(next) == nullptr &&
        !IsPreposition(next) && text::IsAsciiUpper(original[f + 6])) {
      stop = f;
      break;
    }
  }
  while (stop > begin &&
         (lower[stop - 1] == '.' || lower[stop - 1] == ' ' ||
          lower[stop - 1] == ',' || lower[stop - 1] == ':'))
    --stop;
  return stop;
}

}  // namespace

void Run::FindDocumentLists(std::vector<DeclarationDraft>* drafts,
                            std::vector<Span>* consumed) {
  absl::string_view lower = lower_;
  // A frame noun from an earlier sentence that reported documents adopted
  // ("signed 16 cooperation documents."), for "Four of them deal with ...".
  const FrameNoun* antecedent = nullptr;
  size_t antecedent_sentence = 0;
  bool documents_adopted = false;  // any sentence so far
  for (size_t si = 0; si < sentences_.size(); ++si) {
    const Sentence& s = sentences_[si];
    // Most sentences are about no document: no document word, no adoption
    // verb, and no list of earlier documents they could continue.
    const bool continues = antecedent != nullptr && si - antecedent_sentence <= 2;
    if (!continues &&
        FindAnyWord(lists_, kDocumentCueWords, s.span) == kNpos &&
        FindAnyWord(lists_, kAdoptionWords, s.span) == kNpos)
      continue;
    if (Excluded(s.span)) continue;
    absl::string_view low = s.span.Of(lower_);
    if (FindAnyWord(lists_, kNotAdopted, s.span) != kNpos ||
        FindAnyWord(lists_, kRefusalWords, s.span) != kNpos)
      continue;
    absl::string_view verb_word;
    size_t verb = FindAnyWord(lists_, kAdoptionWords, s.span, &verb_word);
    if (verb != kNpos && verb_word == "presented") verb = kNpos;
    // A sentence about an earlier session's documents.
    // A year inside a title ("the budget for 2024", "the Treaty of May 29,
    // 2014") is not such a date: only a dated event is ("at their October
    // 2016 summit", "in 2019").
    bool past = false;
    if (date_.year() != 0) {
      for (const TextDate& d : DatesIn(s, true)) {
        if (d.year == 0 || d.year >= date_.year()) continue;
        absl::string_view before = lower.substr(
            d.span.begin >= s.span.begin + 6 ? d.span.begin - 6 : s.span.begin,
            d.span.begin >= s.span.begin + 6 ? 6 : d.span.begin - s.span.begin);
        if (absl::EndsWith(before, " of ") || absl::EndsWith(before, " for ") ||
            absl::EndsWith(before, "until ") || absl::EndsWith(before, " till "))
          continue;
        // A bare year is an event's only when a session follows it ("at
        // their 2016 summit"); "the report on spending in 2016" is a title.
        if (d.month == 0) {
          absl::string_view after = lower.substr(
              d.span.end, std::min<size_t>(12, s.span.end - d.span.end));
          if (!absl::StartsWith(after, " summit") &&
              !absl::StartsWith(after, " session") &&
              !absl::StartsWith(after, " meeting"))
            continue;
        }
        past = true;
      }
    }
    if (past) continue;
    v1::DeclarationStatus status = v1::DECLARATION_STATUS_ADOPTED;
    if (verb != kNpos) {
      absl::string_view vw = lower.substr(verb, 4);
      if (vw == "sign") status = v1::DECLARATION_STATUS_SIGNED;
      else if (vw == "appr") status = v1::DECLARATION_STATUS_APPROVED;
    }
    // The frame noun nearest before `pos` in this sentence (within 60
    // bytes), or null.
    auto frame_before = [&](size_t pos) -> const FrameNoun* {
      const FrameNoun* best = nullptr;
      size_t best_at = 0;
      size_t from = pos > s.span.begin + 60 ? pos - 60 : s.span.begin;
      for (const FrameNoun& f : kFrameNouns) {
        for (size_t at = FindWord(words_, f.word, from, pos); at != kNpos;
             at = FindWord(words_, f.word, at + 1, pos)) {
          if (at >= best_at) {
            best = &f;
            best_at = at;
          }
        }
      }
      return best;
    };
    size_t list_begin = kNpos;
    const FrameNoun* frame = nullptr;
    bool requires_kind = false;  // items must name their own kind
    // 1. "<documents>, among them / including / include (, in particular,)".
    static constexpr absl::string_view kIntroducers[] = {
        ", among them ", " among them ", ", including ", " including ",
        " include, in particular, ", " include ", " includes ",
        " included ", ", such as ", " such as ", " deal with ",
        " dealt with ", " deals with ", " concern ", " concerned ",
        " concerns ", " govern ", " cover ", " covered ", ": "};
    // The introducers' words, looked up once in the word index: most
    // sentences have none and skip the substring searches.
    static constexpr absl::string_view kIntroducerWords[] = {
        "among", "including", "include", "includes", "included", "such",
        "deal", "dealt", "deals", "concern", "concerned", "concerns",
        "govern", "cover", "covered"};
    const bool maybe_introduced =
        FindAnyWord(lists_, kIntroducerWords, s.span) != kNpos ||
        low.find(": ") != absl::string_view::npos;
    for (absl::string_view intro : kIntroducers) {
      if (!maybe_introduced) break;
      size_t f = low.find(intro);
      if (f == absl::string_view::npos) continue;
      size_t at = s.span.begin + f;
      const FrameNoun* noun = frame_before(at + 1);
      bool anaphoric = false;
      if (noun == nullptr) {
        // "These govern ...", "Four of them deal with ...".
        absl::string_view head = low.substr(0, f);
        if ((absl::StartsWith(head, "these") || absl::StartsWith(head, "they") ||
             absl::EndsWith(head, " of them") || absl::EndsWith(head, "of them")) &&
            antecedent != nullptr && si - antecedent_sentence <= 2) {
          noun = antecedent;
          anaphoric = true;
        }
      }
      if (noun == nullptr) continue;
      if (!anaphoric && verb == kNpos && !documents_adopted) continue;
      list_begin = at + intro.size();
      frame = noun;
      break;
    }
    // "Among them is the Protocol ...": the documents of an earlier sentence.
    if (list_begin == kNpos && absl::StartsWith(low, "among them ") &&
        antecedent != nullptr && si - antecedent_sentence <= 2) {
      list_begin = s.span.begin + 11;
      for (absl::string_view be : {"is ", "are ", "was ", "were "})
        if (absl::StartsWith(lower.substr(list_begin), be)) list_begin += be.size();
      frame = antecedent;
    }
    // 2. "Among the main decisions were ...".
    if (list_begin == kNpos && absl::StartsWith(low, "among the ")) {
      for (absl::string_view be : {" were ", " was ", " are "}) {
        size_t f = low.find(be);
        if (f == absl::string_view::npos || f > 40) continue;
        const FrameNoun* noun = frame_before(s.span.begin + f);
        if (noun != nullptr && documents_adopted) {
          list_begin = s.span.begin + f + be.size();
          frame = noun;
        }
        break;
      }
    }
    // 3. "<several> decisions on A, B and C" with an adoption verb.
    if (list_begin == kNpos && verb != kNpos) {
      for (const FrameNoun& f : kFrameNouns) {
        size_t at = FindWord(words_, f.word, s.span.begin, s.span.end);
        if (at == kNpos) continue;
        size_t after = at + f.word.size();
        for (absl::string_view prep : {" on ", " concerning ", " regarding "}) {
          if (lower.substr(after, prep.size()) == prep) {
            list_begin = after + prep.size();
            frame = &f;
            break;
          }
        }
        if (list_begin != kNpos) break;
      }
    }
    // 4. An adoption verb with a list of documents as its object: "signed
    // statements on A, B and C, a memorandum ... and a plan of ...".
    if (list_begin == kNpos && verb != kNpos) {
      list_begin = verb + WordAt(lower, verb).size();
      requires_kind = true;
    }
    // Remember documents reported adopted, for the sentences that follow.
    if (verb != kNpos) {
      for (const FrameNoun& f : kFrameNouns) {
        if (FindWord(words_, f.word, s.span.begin, s.span.end) != kNpos) {
          antecedent = &f;
          antecedent_sentence = si;
          documents_adopted = true;
        }
      }
    }
    if (list_begin == kNpos || list_begin >= s.span.end) continue;
    size_t region_end = RegionEnd(text_, lower, list_begin, s.span.end);
    if (region_end <= list_begin) continue;
    std::vector<Item> items = SplitList(lower, list_begin, region_end);
    // Each item, trimmed, with its own document word if it names one.
    struct Parsed {
      Span span;
      const KindWord* own = nullptr;
      bool counted = false;    // "16 cooperation agreements": a count
      bool gerund = false;     // "granting Uzbekistan ... status"
      bool capital = false;    // "the Main directions of ..."
      size_t the_at = kNpos;   // where a leading "the" stood
    };
    std::vector<Parsed> parsed;
    for (const Item& raw : items) {
      Item it = raw;
      Parsed p;
      bool changed = true;
      while (changed) {
        changed = false;
        while (it.begin < it.end && lower[it.begin] == ' ') ++it.begin;
        absl::string_view w = WordAt(lower, it.begin);
        if (ParseSmallNumber(w) > 1 && w != "several") p.counted = true;
        if (w == "the" && p.the_at == kNpos) p.the_at = it.begin;
        if (w == "and" || w == "also" || w == "both" || w == "several" ||
            w == "some" || w == "other" || IsDeterminer(w) ||
            ParseSmallNumber(w) > 0 || (w == "of" && parsed.empty() &&
                                        requires_kind)) {
          it.begin += w.size();
          changed = true;
        }
      }
      while (it.end > it.begin &&
             (lower[it.end - 1] == ' ' || lower[it.end - 1] == '.' ||
              lower[it.end - 1] == ',' || lower[it.end - 1] == ';'))
        --it.end;
      if (it.end <= it.begin) continue;
      p.span = {it.begin, it.end};
      size_t q = it.begin;
      for (int words = 0; words < 6 && q < it.end; ++words) {
        absl::string_view w = WordAt(lower, q);
        if (w.empty()) break;
        if ((p.own = ListKindOf(w)) != nullptr) break;
        if (IsPreposition(w) && words > 0) break;
        q += w.size();
        while (q < it.end && !text::IsAsciiAlnum(lower[q])) ++q;
      }
      absl::string_view first = WordAt(lower, it.begin);
      p.gerund = first.size() > 4 && absl::EndsWith(first, "ing") &&
                 first != "during";
      p.capital = text::IsAsciiUpper(text_[it.begin]);
      parsed.push_back(p);
    }
    // In a list of named documents, a piece without a document word is the
    // tail of the item before it ("... of criminal proceeds and the
    // financing of terrorism").
    bool any_own = false;
    for (const Parsed& p : parsed) any_own |= p.own != nullptr;
    if (any_own) {
      std::vector<Parsed> merged;
      for (const Parsed& p : parsed) {
        if (p.own == nullptr && !merged.empty() && merged.back().own != nullptr)
          merged.back().span.end = p.span.end;
        else
          merged.push_back(p);
      }
      parsed = std::move(merged);
    }
    for (const Parsed& p : parsed) {
      const Span& span = p.span;
      if (span.size() < 6 || span.size() > 220) continue;
      bool overlaps = false;
      for (const Span& c : *consumed)
        if (c.Overlaps(span)) overlaps = true;
      if (overlaps) continue;
      absl::string_view item_text = span.Of(text_);
      absl::string_view item_lower = span.Of(lower_);
      DeclarationDraft d;
      d.status = status;
      d.evidence = span;
      d.has_verb = verb != kNpos;
      if (p.own != nullptr) {
        // "16 cooperation agreements" counts documents named elsewhere.
        if (p.counted && requires_kind) continue;
        d.kind = p.own->kind;
        d.title = std::string(item_text);
        d.title[0] = absl::ascii_toupper(d.title[0]);
        // "the traditional declaration": the session's declaration.
        if (p.own->kind == v1::DECLARATION_KIND_DECLARATION && body_ >= 0 &&
            !absl::StrContains(item_lower, " of ") &&
            !absl::StrContains(item_lower, " on ") &&
            absl::EndsWith(item_lower, "declaration")) {
          // Already named ("the Astana Declaration"): the same document.
          bool named = false;
          for (const DeclarationDraft& other : *drafts)
            named |= other.kind == v1::DECLARATION_KIND_DECLARATION;
          if (named) continue;
          d.title = absl::StrCat(
              "Declaration of the ",
              g_.data().organizations(org_).bodies(body_).name());
        }
      } else if (requires_kind || frame == nullptr) {
        // The object of "approved": "approved granting Uzbekistan ... the
        // status of Observer State" is a decision; "approved the Main
        // directions of ..." a document with a name of its own.
        if (!requires_kind || &p != &parsed.front()) continue;
        absl::string_view vw = WordAt(lower, verb);
        if (!absl::StartsWith(vw, "approv") && !absl::StartsWith(vw, "adopt"))
          continue;
        if (p.gerund) {
          d.kind = v1::DECLARATION_KIND_DECISION;
          d.title = absl::StrCat("Decision ", item_text);
        } else if (p.capital && span.begin > verb) {
          // Not a known name (a state, an organisation, a person).
          bool entity = false;
          for (const Mention& m : mentions_)
            if (m.span.begin == span.begin) entity = true;
          if (entity) continue;
          d.kind = v1::DECLARATION_KIND_OTHER;
          d.title = std::string(item_text);
        } else {
          continue;
        }
      } else {
        d.kind = frame->kind;
        absl::string_view first = WordAt(lower, span.begin);
        if (first == "on" || first == "to" || first == "concerning" ||
            first == "regarding") {
          d.title = absl::StrCat(frame->head, " ", item_text);
        } else if (first == "in" || first == "of") {
          d.title = absl::StrCat(frame->head, " on ",
                                 item_text.substr(first.size() + 1));
        } else {
          // "Decision on the CSTO budget for 2026": keep the article.
          absl::string_view with_the = item_text;
          if (p.the_at != kNpos && p.the_at < span.begin)
            with_the = Span{p.the_at, span.end}.Of(text_);
          d.title = absl::StrCat(frame->head, " on ", with_the);
        }
        d.subject = std::string(item_text);
      }
      drafts->push_back(std::move(d));
      consumed->push_back(span);
    }
  }
  // "approved the appointment of X", "the candidacy of X was approved": a
  // decision approving it.
  static constexpr absl::string_view kApproval[] = {"approved", "approve",
                                                    "endorsed"};
  static constexpr absl::string_view kOffices[] = {"appointment of",
                                                   "candidacy of"};
  for (const Sentence& s : sentences_) {
    if (Excluded(s.span)) continue;
    size_t verb = FindAnyWord(lists_, kApproval, s.span);
    if (verb == kNpos) continue;
    absl::string_view office;
    size_t at = FindAnyWord(lists_, kOffices, s.span, &office);
    if (at == kNpos) continue;
    if (FindAnyWord(lists_, kNotAdopted, s.span) != kNpos ||
        FindAnyWord(lists_, kRefusalWords, s.span) != kNpos)
      continue;
    size_t end = RegionEnd(text_, lower, at, s.span.end);
    if (verb > at && verb < end) end = RegionEnd(text_, lower, at, verb);
    Span span{at, end};
    if (span.size() < office.size() + 4 || span.size() > 200) continue;
    bool overlaps = false;
    for (const Span& c : *consumed)
      if (c.Overlaps(span)) overlaps = true;
    if (overlaps) continue;
    DeclarationDraft d;
    d.kind = v1::DECLARATION_KIND_DECISION;
    d.status = v1::DECLARATION_STATUS_APPROVED;
    d.title = absl::StrCat("Decision approving the ", span.Of(text_));
    d.evidence = span;
    d.has_verb = true;
    drafts->push_back(std::move(d));
    consumed->push_back(span);
  }
}

}  // namespace communique::extract::internal
