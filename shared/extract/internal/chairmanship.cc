// Chairmanship: the chairing state, the next chair and the presiding person.
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
        // "the OSCE Minsk Group co-chairs": another body's chairs.
        if (k >= 3 && absl::string_view(lower_).substr(k - 3, 3) == "co-")
          continue;
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
  ApplyDatedChairmanship(&chair);
  if (!dated_chair_.empty()) {
    chair_country_ = dated_chair_;
    return;
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

// Whether sentence `s` mentions `country` (its name, a demonym, or one of
// its office-holders).
bool Run::SentenceNamesCountry(const Sentence& s,
                               const std::string& country) const {
  for (int i = s.first_mention; i < s.end_mention; ++i) {
    int consumed = i;
    Referent r = ReferentAt(i, &consumed);
    if (CountryOfReferent(r) == country) return true;
    i = consumed;
  }
  return false;
}

// The dated chairmanship (gazetteer) for the session's date: the chair in
// office that day (on a handover day, the outgoing chair, who hosts the
// session) overrides what the text's chair phrases suggested, since those
// often name the incoming chair; and the next chair is taken from the
// gazetteer when a chairmanship sentence of the text names that state,
// with that sentence as evidence.
void Run::ApplyDatedChairmanship(std::string* text_chair) {
  if (date_.year() == 0) return;
  const std::string& org = g_.data().organizations(org_).acronym();
  std::optional<std::string> chair;
  std::optional<gazetteer::NextChair> next;
  if (date_.day() != 0) {
    absl::CivilDay day(date_.year(), date_.month(), date_.day());
    chair = g_.ChairOn(org, day);
    if (!chair) chair = g_.ChairOn(org, day - 1);
    next = g_.NextChairAfter(org, day);
  } else {
    DayRange range = date_.month() != 0
                         ? gazetteer::MonthRange(date_.year(), date_.month())
                         : gazetteer::YearRange(date_.year());
    chair = g_.ChairDuring(org, range);
    next = g_.NextChairAfter(org, range);
  }
  if (chair) dated_chair_ = *chair;
  static constexpr absl::string_view kChairWords[] = {
      "chairmanship", "presidency", "chair", "chairs", "chairing",
      "chairmanships", "presidencies", "chairman"};
  // A session known by its year only, in a year where the chairmanship
  // changed hands: the handover the text reports ("to be handed over to
  // the Kyrgyz Republic for 2018-2019") says which side the session was on
  // -- it was the session of the handover, chaired by the outgoing state.
  if (!chair && !next && date_.day() == 0) {
    DayRange range = date_.month() != 0
                         ? gazetteer::MonthRange(date_.year(), date_.month())
                         : gazetteer::YearRange(date_.year());
    std::vector<int> in_range;
    for (int c : g_.ChairmanshipsOf(org)) {
      const auto& ch = g_.data().chairmanships(c);
      std::optional<DayRange> start = gazetteer::PartialDateRange(ch.start());
      std::optional<DayRange> end = ch.end().empty()
                                        ? std::optional<DayRange>()
                                        : gazetteer::PartialDateRange(ch.end());
      DayRange span{start ? start->first : absl::CivilDay(1900, 1, 1),
                    end ? end->last : absl::CivilDay(2100, 12, 31)};
      if (span.Overlaps(range)) in_range.push_back(c);
    }
    if (in_range.size() == 2) {
      const auto& outgoing = g_.data().chairmanships(in_range[0]);
      const auto& incoming = g_.data().chairmanships(in_range[1]);
      for (const Sentence& s : sentences_) {
        if (FindAnyWord(lists_, kChairWords, s.span) == kNpos) continue;
        if (FindAnyWord(lists_, kFutureChairWords, s.span) == kNpos) continue;
        if (!SentenceNamesCountry(s, incoming.country())) continue;
        dated_chair_ = outgoing.country();
        next = gazetteer::NextChair{incoming.country(), incoming.start(), {},
                                    in_range[1]};
        break;
      }
    }
  }
  if (!next || next->country.empty()) return;
  for (const Sentence& s : sentences_) {
    if (FindAnyWord(lists_, kChairWords, s.span) == kNpos) continue;
    if (!SentenceNamesCountry(s, next->country)) continue;
    if (next_chair_country_ != next->country) {
      next_chair_country_ = next->country;
      next_chair_evidence_ = s.span;
      next_chair_from_.Clear();
      if (std::optional<DayRange> r = gazetteer::PartialDateRange(next->start)) {
        next_chair_from_.set_year(static_cast<int>(r->first.year()));
        if (next->start.size() >= 7) next_chair_from_.set_month(r->first.month());
        if (next->start.size() >= 10) next_chair_from_.set_day(r->first.day());
        next_chair_from_.set_precision(
            next->start.size() >= 10  ? v1::DATE_PRECISION_DAY
            : next->start.size() >= 7 ? v1::DATE_PRECISION_MONTH
                                      : v1::DATE_PRECISION_YEAR);
      }
    }
    if (*text_chair == next->country) text_chair->clear();
    return;
  }
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


}  // namespace communique::extract::internal
