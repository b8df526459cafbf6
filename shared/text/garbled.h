// Garbled-span detection: words that mix writing systems ("andсвото",
// "knee光明"), the usual trace of broken encodings or machine-translation
// debris. Used by extract to warn and to keep such words out of facts.
// Pure functions; thread-safe.
#pragma once

#include <vector>

#include "absl/strings/string_view.h"
#include "shared/text/span.h"

namespace communique::text {

// Returns the words of `text` (maximal runs of letters, marks and digits)
// whose letters belong to more than one script (ICU UScriptCode; Han, Kana
// and Hangul count as compatible East Asian scripts), in order.
std::vector<Span> FindGarbledSpans(absl::string_view text);

}  // namespace communique::text
