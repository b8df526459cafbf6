// Words for free-text search: how indexed text and query text are split,
// so that both sides agree. Used by the query store (to build its word
// index) and the query service (to validate `text` filters). Pure
// functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace communique::schema {

// Longest word kept, in bytes; longer runs are cut to this length.
inline constexpr size_t kMaxSearchWordBytes = 48;

// The searchable words of `text`, sorted and unique: maximal runs of ASCII
// letters and digits and of non-ASCII bytes (so UTF-8 letters stay inside
// words), ASCII-lowercased, without the stop words "a an and at by for
// from in of on or the to with" and without one-byte words.
// "Nur-Sultan, the capital" -> {"capital", "nur", "sultan"}.
std::vector<std::string> SearchWords(absl::string_view text);

// Adds the words of `text` to `words` (unsorted; callers sort/dedupe).
void AppendSearchWords(absl::string_view text,
                       std::vector<std::string>* words);

}  // namespace communique::schema
