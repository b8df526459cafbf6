// Date expressions in English news text, for the extractor's date rules.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "shared/text/span.h"

namespace communique::extract::internal {

// A date as written; 0 for parts the text does not give.
struct TextDate {
  text::Span span;
  int year = 0;
  int month = 0;
  int day = 0;
};

// Finds "November 28, 2024", "Nov. 28", "28 November 2024", "January 1st",
// "December 2020" and "in 2021"-style bare years (only with `bare_years`)
// inside `range` of `text`, in order. Month-less numbers are never dates.
std::vector<TextDate> FindDates(absl::string_view text, text::Span range,
                                bool bare_years);

// A publication-date header such as "date 2024-11-28" or "Date: 2024-11-28"
// at the start of `text` (after spaces); its span covers the whole header.
std::optional<TextDate> FindDateHeader(absl::string_view text);

// Years that name events such as "Indestructible Brotherhood-2024" or
// "Skala-2024" (a capitalised word joined to a year by '-'), in `range`.
std::vector<TextDate> FindEventNameYears(absl::string_view text,
                                         text::Span range);

// Month number for an English month name or abbreviation ("Nov", "nov.",
// "November"); 0 when it is not one.
int MonthFromName(absl::string_view word);

}  // namespace communique::extract::internal
