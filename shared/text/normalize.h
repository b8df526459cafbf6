// Article text normalisation: the first step of extraction, used by the
// ingest service and the CLI before anything else sees an article. Evidence
// offsets index into the normalised text. Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace communique::text {

// Returns `raw` normalised: NFC (ICU), line ends unified to "\n", NUL and
// other control characters (except "\n" and "\t") and unusual spaces (NBSP,
// thin spaces, ideographic space...) replaced by ' ', zero-width characters
// and byte-order marks removed, U+2028/U+2029 turned into "\n", and
// trailing spaces and tabs trimmed on every line.
// INVALID_ARGUMENT "text is not valid UTF-8 at byte N" when `raw` is not
// well-formed UTF-8 (N is the offset of the first bad byte in `raw`).
absl::StatusOr<std::string> NormalizeArticleText(absl::string_view raw);

}  // namespace communique::text
