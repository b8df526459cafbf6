// Which session the article reports: body and boilerplate, sentences and mentions, the organisation and body.
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

bool Run::ChooseSummit() {
  // An article whose lead reports the session called off or postponed
  // reports no session (CONVENTIONS.md): a cancelled session is no record.
  static constexpr absl::string_view kCancelled[] = {
      "called off", "cancelled", "canceled", "postponed", "put off",
      "will not take place", "would not take place", "has been scrapped"};
  for (size_t si = 0; si < sentences_.size() && si < 2; ++si) {
    if (FindAnyWord(lists_, kCancelled, sentences_[si].span) != kNpos &&
        FindAnyWord(lists_, kSummitWords, sentences_[si].span) != kNpos) {
      AddWarning("cancelled_session",
                 "the article reports the session called off or postponed",
                 sentences_[si].span);
      return false;
    }
  }
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

}  // namespace communique::extract::internal
