// Topics of the fixed vocabulary that the session discussed.
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


}  // namespace communique::extract::internal
