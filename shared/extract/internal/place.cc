// Where the session was held.
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
    // Another body's meeting, or a later meeting, is elsewhere.
    if (NamesOtherBody(s) || FindAnyWord(lists_, kPlannedWords, s.span) != kNpos)
      continue;
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
      // A place standing for an institution: "the Kremlin website",
      // "Moscow said", "Minsk officials".
      {
        static constexpr absl::string_view kInstitutional[] = {
            " website", " press", " spokes", " said", " says", " aide",
            " official", " source", " statement", " announced", " reported",
            " readout"};
        absl::string_view next = absl::string_view(lower_).substr(
            span.end, std::min<size_t>(12, lower_.size() - span.end));
        bool institution = false;
        for (absl::string_view w : kInstitutional)
          if (absl::StartsWith(next, w)) institution = true;
        if (institution) continue;
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

}  // namespace communique::extract::internal
