// The session date: explicit dates, datelines, the publication date and year votes.
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

}  // namespace communique::extract::internal
