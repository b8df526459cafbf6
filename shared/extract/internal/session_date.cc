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
    bool about_session = AboutSession(s);
    if (!about_session) continue;
    // "the meeting to be held in St. Petersburg on December 6" is another,
    // later meeting; "the Committee of Secretaries ... met on June 6" another
    // body's.
    if (FindAnyWord(lists_, kPlannedWords, s.span) != kNpos) continue;
    if (NamesOtherBody(s)) continue;
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
  // The year of a yearless "November 23" from the weekday the text gives it
  // and the people it names in office.
  if (event_date && event_date->year == 0 && !hint) {
    if (int year = YearFromWeekdayAndRoster(*event_date); year != 0) {
      date_.set_year(year);
      date_.set_month(event_date->month);
      date_.set_day(event_date->day);
      date_.set_precision(v1::DATE_PRECISION_DAY);
      return;
    }
  }
  if (hint && RelativeToPublication(*hint)) return;
  if (hint) {
    // Reports appear on the day of the session, and nothing in the text
    // places it before: the date line's day is the session's.
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
      // The dash may be a hyphen or an en dash ("2022–2023").
      size_t dash = 0;
      if (end < s.span.end && text_[end] == '-') dash = 1;
      if (absl::string_view(text_).substr(end, 3) == "\xE2\x80\x93") dash = 3;
      if (dash != 0 && end + dash + 4 <= s.span.end &&
          text::IsAsciiDigit(text_[end + dash])) {
        int second = 0;
        if (absl::SimpleAtoi(text_.substr(end + dash, 4), &second) &&
            second >= year && second <= year + 1) {
          // "will pass ... for 2018-2019": a handover at this session
          // opens the range; "its 2021-2022 presidency" closes it.
          bool handing_over =
              FindAnyWord(lists_, kFutureChairWords, s.span) != kNpos;
          end += dash + 4;
          if (handing_over && second == year + 1) {
            votes[year] += 2;
            vote_evidence.emplace(year, s.span);
            continue;
          }
          year = second;
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

// Whether sentence `s` is about a meeting: a session word ("summit",
// "council") or a verb that reports one held ("met", "took place").
bool Run::AboutSession(const Sentence& s) const {
  return FindAnyWord(lists_, kSummitWords, s.span) != kNpos ||
         FindAnyWord(lists_, kSessionVerbs, s.span) != kNpos;
}

// Whether sentence `s` names a body of the session's organisation other than
// the session's own body.
bool Run::NamesOtherBody(const Sentence& s) const {
  for (int i = s.first_mention; i < s.end_mention; ++i) {
    const EntityRef* b = RefOfKind(mentions_[i], EntityKind::kBody);
    if (b != nullptr && b->index == org_ && b->sub != body_) return true;
  }
  return false;
}

// A session dated only relative to the publication day `published`:
// "today", "yesterday", "on Thursday" (the last Thursday on or before it),
// "this week" (its month). Sets the date and returns true when found.
bool Run::RelativeToPublication(absl::CivilDay published) {
  static constexpr absl::string_view kRelative[] = {"today", "yesterday",
                                                    "this week"};
  for (const Sentence& s : sentences_) {
    bool about_session = AboutSession(s);
    if (!about_session || NamesOtherBody(s)) continue;
    if (FindAnyWord(lists_, kPlannedWords, s.span) != kNpos) continue;
    absl::string_view which;
    size_t at = FindAnyWord(lists_, kRelative, s.span, &which);
    if (at != kNpos) {
      if (which == "this week") {
        // The week's Wednesday decides its month.
        int weekday = static_cast<int>(absl::GetWeekday(published));  // Mon=0
        absl::CivilDay mid = published - weekday + 2;
        date_.set_year(static_cast<int>(mid.year()));
        date_.set_month(mid.month());
        date_.set_precision(v1::DATE_PRECISION_MONTH);
      } else {
        absl::CivilDay d = which == "today" ? published : published - 1;
        date_.set_year(static_cast<int>(d.year()));
        date_.set_month(d.month());
        date_.set_day(d.day());
        date_.set_precision(v1::DATE_PRECISION_DAY);
      }
      date_evidence_ = s.span;
      return true;
    }
    size_t w = FindAnyWord(lists_, kWeekdays, s.span, &which);
    if (w == kNpos) continue;
    // "Earlier on Thursday, the foreign minister said ..." is about another
    // event only when the sentence has no session word; it has one here.
    int target = 0;
    while (kWeekdays[target] != which) ++target;
    int weekday = static_cast<int>(absl::GetWeekday(published));  // Mon=0
    int back = (weekday - target + 7) % 7;
    absl::CivilDay d = published - back;
    date_.set_year(static_cast<int>(d.year()));
    date_.set_month(d.month());
    date_.set_day(d.day());
    date_.set_precision(v1::DATE_PRECISION_DAY);
    date_evidence_ = s.span;
    return true;
  }
  return false;
}

// For a yearless `date` ("November 23"): the one year from 2000 to 2030 in
// which that day falls on the weekday a session sentence names and every
// person the article names held an office; 0 when none or several.
int Run::YearFromWeekdayAndRoster(const TextDate& date) const {
  int target = -1;
  for (const Sentence& s : sentences_) {
    bool about_session = AboutSession(s);
    if (!about_session) continue;
    absl::string_view which;
    if (FindAnyWord(lists_, kWeekdays, s.span, &which) == kNpos) continue;
    target = 0;
    while (kWeekdays[target] != which) ++target;
    break;
  }
  std::vector<int> people;
  for (const Mention& m : mentions_)
    if (const EntityRef* r = RefOfKind(m, EntityKind::kPerson))
      if (std::find(people.begin(), people.end(), r->index) == people.end())
        people.push_back(r->index);
  if (target < 0 && people.empty()) return 0;
  int found = 0;
  for (int year = 2000; year <= 2030; ++year) {
    absl::CivilDay day(year, date.month, date.day);
    if (day.month() != date.month) continue;  // February 29
    if (target >= 0 && static_cast<int>(absl::GetWeekday(day)) != target)
      continue;
    bool in_office = true;
    for (int person : people) {
      bool any = false;
      const auto& p = g_.data().people(person);
      for (int t = 0; t < p.terms_size() && !any; ++t)
        any = g_.TermRange(person, t).Overlaps(gazetteer::DayRangeOf(day));
      if (!any) in_office = false;
    }
    if (!in_office) continue;
    if (found != 0) return 0;
    found = year;
  }
  return found;
}

}  // namespace communique::extract::internal
