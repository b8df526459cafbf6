// Documents adopted at the session: the count and the declarations.
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
    if (FindAnyWord(lists_, kRefusalWords, s.span) != kNpos) continue;
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
      bool near_verb =
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
        // "a program for strengthening the Tajik-Afghan border".
        if (u < tokens.size()) {
          std::string lx = absl::AsciiStrToLower(tok(u));
          if (lx == "of" || lx == "on" || lx == "to" || lx == "for" ||
              lx == "regarding" || lx == "concerning" || lx == "between" ||
              lx == "until") {
            extend_tail(u);
          }
        }
        // Passive voice after a long title: "a memorandum of understanding
        // between A and B on C was also signed".
        if (!near_verb && verb != kNpos && verb >= abs_end(end_tok) &&
            verb - abs_end(end_tok) < 24) {
          absl::string_view between = absl::string_view(lower_).substr(
              abs_end(end_tok), verb - abs_end(end_tok));
          if (absl::StrContains(between, "was") ||
              absl::StrContains(between, "were") ||
              absl::StrContains(between, "been"))
            near_verb = true;
        }
        if (!near_verb && !draft) continue;
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
  FindDocumentLists(&drafts, &consumed_titles);
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


}  // namespace communique::extract::internal
