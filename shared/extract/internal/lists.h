// Splitting coordinated phrases ("A, B and C") for the extractor's
// declaration rules. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace communique::extract::internal {

// Splits `phrase` into `count` items: first at commas, semicolons and
// "as well as", then, while too few, at the last " and " of the item with
// the most of them. Leading "and"/"the" and trailing spaces are removed.
// Items that lack the head noun of the last item borrow its " of ..." tail
// ("financial and technical" + "provision of the forces"). Returns fewer
// items when the phrase cannot be split that far.
std::vector<std::string> SplitCoordinatedItems(absl::string_view phrase,
                                               int count);

// English number words "one".."twenty" and digits; 0 when not a number.
int ParseSmallNumber(absl::string_view word);

}  // namespace communique::extract::internal
