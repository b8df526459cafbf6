// Text keys that decide when two mentions name the same thing: content words
// of titles, role families of participants. Internal to shared/merge; pure
// and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace communique::merge::internal {

// Content words of `text`: ASCII-folded lowercase words (schema::Slugify
// rules), without English stopwords and articles, each reduced to a crude
// singular ("measures" -> "measure", "countries" -> "country"). Sorted and
// unique. "the Declaration of the Collective Security Council" ->
// {"collective", "council", "declaration", "security"}. Text without any
// ASCII letters or digits (e.g. Cyrillic) yields its LowerText()
// whitespace-separated words instead, so it still has a key.
std::vector<std::string> ContentWords(absl::string_view text);

// Lowercases ASCII and basic Cyrillic letters (U+0400-U+042F); other bytes
// are copied unchanged. Enough for keys of names that Slugify drops.
std::string LowerText(absl::string_view text);

// Key of a content-word set: the words joined by single spaces.
std::string WordKey(const std::vector<std::string> &words);

// Family of a role, so that "Acting President" and "president" compare
// equal: the slug of the role without "acting", "interim", "the" and "of".
// "Prime Minister" -> "prime-minister", "Secretary-General" ->
// "secretary-general". "" for an empty role.
std::string RoleFamily(absl::string_view role);

// |a ∩ b| / |a ∪ b| of two sorted unique word lists; 1 when both are empty.
double Jaccard(const std::vector<std::string> &a,
               const std::vector<std::string> &b);

// Number of words in both sorted unique lists.
size_t SharedWords(const std::vector<std::string> &a,
                   const std::vector<std::string> &b);

} // namespace communique::merge::internal
