// Proposals put forward at the session.
#include "shared/extract/internal/run.h"

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

namespace communique::extract::internal {

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
  // After an exhortation's verb ("urged", "called for"), also what only
  // asks for more of something: "called for stepping up anti-terrorist
  // work", "calls for joint efforts". After "proposed" such words can open
  // a concrete proposal ("proposes to step up work ... for the withdrawal
  // of troops"), so they are vague only here.
  static constexpr absl::string_view kExhortationOnly[] = {
      "give", "step up", "stepping up", "strengthen",
      "strengthening", "intensify", "intensifying", "deepen", "deepening",
      "enhance", "enhancing", "expand", "expanding", "boost", "boosting",
      "consolidate", "consolidating", "maintain", "preserve", "respond",
      "work out", "joint efforts", "closer", "greater", "more", "and"};
  // A sentence about proposals still to come: "proposals are to be
  // prepared", "will be put forward for discussion".
  static constexpr absl::string_view kNotYet[] = {
      "to be prepared", "will be put forward", "will be submitted",
      "will be considered", "to be submitted", "to be worked out"};
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
    if (FindAnyWord(lists_, kNotYet, s.span) != kNpos) continue;
    // "initiated the cancellation": a procedural step, unless what was
    // initiated is the creation of something.
    if (which == "initiated") {
      absl::string_view next = absl::string_view(lower_).substr(
          cue_end, std::min<size_t>(30, s.span.end - cue_end));
      if (!absl::StrContains(next, "creation") &&
          !absl::StrContains(next, "establishment") &&
          !absl::StrContains(next, "formation") &&
          !absl::StrContains(next, "setting up"))
        continue;
    }
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
      const bool exhortation =
          which == "urged" || which == "called for" || which == "calls for" ||
          which == "called on" || which == "calls on" ||
          absl::StartsWith(which, "stressed") ||
          absl::StartsWith(which, "emphasi") ||
          absl::StartsWith(which, "underlined") ||
          absl::StartsWith(which, "spoke") || absl::StartsWith(which, "advocat");
      if (exhortation) {
        for (absl::string_view v : kExhortationOnly) {
          if (starts(object, v) &&
              (object + v.size() >= lower_.size() ||
               !text::IsAsciiAlnum(lower_[object + v.size()])))
            vague = true;
        }
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
    // "... put forward by Minsk are long-term": no proposal's words.
    {
      absl::string_view t = title.Of(lower_);
      if (absl::StartsWith(t, "by ") || absl::StartsWith(t, "and ") ||
          t.find(' ') == absl::string_view::npos)
        continue;
    }
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
  // Named initiatives: "Minsk has several initiatives: the peaceful
  // dialogue, the Helsinki 2 and the Digital Neighbourhood Belt" (one each),
  // "the CIS+ format, an initiative of Kazakhstan".
  auto state_of = [&](const Sentence& s, size_t before) {
    Referent who;
    for (int i = s.first_mention; i < s.end_mention; ++i) {
      const Mention& m = mentions_[i];
      if (m.span.begin >= before) break;
      int consumed = i;
      Referent r = ReferentAt(i, &consumed);
      if (r.valid()) who = r;
      // "Official Minsk": a capital stands for its state.
      if (const EntityRef* c = RefOfKind(m, EntityKind::kCity)) {
        const auto& city = g_.data().cities(c->index);
        for (const auto& st : g_.data().states())
          if (st.name() == city.country() && st.capital() == city.name()) {
            who = Referent();
            who.country = st.name();
          }
      }
      i = consumed;
    }
    return who;
  };
  for (const Sentence& s : sentences_) {
    if (!HasWord(words_, "initiatives", s.span) &&
        !HasWord(words_, "initiative", s.span))
      continue;
    if (Excluded(s.span)) continue;
    absl::string_view low = s.span.Of(lower_);
    for (absl::string_view intro : {" initiatives: ", " initiatives include ",
                                    " initiatives, such as ",
                                    " initiatives, including "}) {
      size_t f = low.find(intro);
      if (f == absl::string_view::npos) continue;
      size_t begin = s.span.begin + f + intro.size();
      size_t end = s.span.end;
      while (end > begin && (lower_[end - 1] == '.' || lower_[end - 1] == ' '))
        --end;
      Referent who = state_of(s, s.span.begin + f);
      if (!who.valid()) who = FocusBefore(s.span.begin);
      for (const Item& it : SplitList(lower_, begin, end)) {
        Span title = TrimSpan(text_, {it.begin, it.end});
        absl::string_view t = title.Of(lower_);
        for (absl::string_view lead : {"and the ", "the ", "and ", "a ", "an "})
          if (absl::StartsWith(t, lead)) {
            title.begin += lead.size();
            t.remove_prefix(lead.size());
          }
        if (title.size() < 3 || title.size() > 160) continue;
        Draft d;
        d.sentences.push_back(s.span);
        d.line = s.line;
        d.proposer = who;
        d.title = title;
        drafts.push_back(d);
      }
      break;
    }
    size_t f = low.find(", an initiative of ");
    if (f == absl::string_view::npos) f = low.find(", the initiative of ");
    if (f != absl::string_view::npos) {
      size_t at = s.span.begin + f;
      Span title = PrecedingTitle(text_, s.span, at);
      if (title.empty()) title = {s.span.begin, at};
      Referent who;
      for (int i = s.first_mention; i < s.end_mention; ++i) {
        if (mentions_[i].span.begin < at) continue;
        int consumed = i;
        who = ReferentAt(i, &consumed);
        if (who.valid()) break;
      }
      if (who.valid()) {
        Draft d;
        d.sentences.push_back(s.span);
        d.line = s.line;
        d.proposer = who;
        d.title = title;
        d.status = v1::INITIATIVE_STATUS_ADOPTED;
        drafts.push_back(d);
      }
    }
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


}  // namespace communique::extract::internal
