// The session formats: narrow, expanded, videoconference, in person.
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

void Run::FindFormats() {
  bool narrow = false, expanded = false, video = false, in_person = false;
  // Phrase checks are article-wide (each phrase is looked up once, then its
  // hits are checked against the sentences), not per sentence: a per-
  // sentence loop over ~150 phrases dominated the extractor's profile.
  auto in_sentence = [&](size_t pos) { return SentenceOf(pos) >= 0; };
  auto phrase_in_body = [&](absl::string_view phrase) {
    // Cheap pre-check: the phrase's first word must occur at all.
    absl::string_view head = phrase.substr(0, phrase.find_first_of(" -"));
    if (FindWord(words_, head, 0, body_end_) == kNpos) return false;
    // memmem over the body (and a phrase straddling its end).
    const size_t limit = std::min(lower_.size(), body_end_ + phrase.size());
    for (size_t from = 0; from < limit;) {
      const void* hit = memmem(lower_.data() + from, limit - from,
                               phrase.data(), phrase.size());
      if (hit == nullptr) return false;
      size_t k = static_cast<const char*>(hit) - lower_.data();
      if (k >= body_end_) return false;
      if (in_sentence(k) && !Excluded({k, k + phrase.size()})) return true;
      from = k + 1;
    }
    return false;
  };
  auto word_in_body = [&](absl::string_view word) {
    for (size_t from = 0;;) {
      size_t k = FindWord(words_, word, from, body_end_);
      if (k == kNpos) return false;
      if (in_sentence(k)) return true;
      from = k + 1;
    }
  };
  for (absl::string_view w : {"narrow format", "narrow-format",
                              "restricted format", "restricted-format",
                              "limited format", "narrow composition",
                              "one-on-one format", "tete-a-tete"})
    if (!narrow && phrase_in_body(w)) narrow = true;
  for (absl::string_view w :
       {"expanded format", "expanded-format", "extended format",
        "extended-format", "enlarged format", "enlarged-format",
        "expanded composition", "extended composition", "broad format",
        "wider format"})
    if (!expanded && phrase_in_body(w)) expanded = true;
  // "<adjective> <format noun>": "limited-attendance format", "expanded
  // talks", "restricted session".
  static constexpr absl::string_view kNarrow[] = {
      "narrow", "restricted", "limited", "limited-attendance",
      "limited attendance", "closed-door", "closed", "small"};
  static constexpr absl::string_view kExpanded[] = {
      "expanded", "extended", "enlarged", "broader", "wider", "broad", "full"};
  static constexpr absl::string_view kNouns[] = {
      " format", "-format", " session", " meeting", " talks", " composition",
      " sitting"};
  for (absl::string_view a : kNarrow) {
    if (narrow) break;
    if (FindWord(words_, a.substr(0, a.find_first_of(" -")), 0, body_end_) ==
        kNpos)
      continue;
    for (absl::string_view n : kNouns)
      if (!narrow && word_in_body(absl::StrCat(a, n))) narrow = true;
  }
  for (absl::string_view a : kExpanded) {
    if (expanded) break;
    if (FindWord(words_, a, 0, body_end_) == kNpos) continue;
    for (absl::string_view n : kNouns)
      if (!expanded && word_in_body(absl::StrCat(a, n))) expanded = true;
  }
  const bool any_video_word =
      FindAnyWord(lists_, kVideoWords, Span{0, body_end_}) != kNpos;
  const bool any_in_person = phrase_in_body("in person") ||
                             phrase_in_body("face-to-face") ||
                             phrase_in_body("in-person") ||
                             phrase_in_body("face to face") ||
                             phrase_in_body("offline format");
  const bool any_delegations = HasWord(words_, "delegations", {0, body_end_});
  for (const Sentence& s : sentences_) {
    absl::string_view l = s.span.Of(lower_);
    if (any_delegations && !expanded &&
        (absl::StrContains(l, "joined by") ||
         absl::StrContains(l, "with the participation of") ||
         absl::StrContains(l, "continued with")) &&
        absl::StrContains(l, "delegations")) {
      expanded = true;
    }
    // "met in restricted and expanded formats": both sittings.
    for (absl::string_view both :
         {"restricted and expanded", "narrow and expanded",
          "narrow and extended", "restricted and extended",
          "narrow and enlarged", "limited and expanded"}) {
      if (absl::StrContains(l, both)) narrow = expanded = true;
    }
    if (any_in_person && !in_person) {
      for (absl::string_view w : {"in person", "face-to-face", "in-person",
                                  "face to face", "offline format"}) {
        if (absl::StrContains(l, w) &&
            FindAnyWord(lists_, kSummitWords, s.span) != kNpos)
          in_person = true;
      }
    }
    if (video) continue;
    // The session as a whole by video, not one participant joining by video.
    size_t v = any_video_word ? FindAnyWord(lists_, kVideoWords, s.span) : kNpos;
    if (v == kNpos) {
      for (absl::string_view w : {"held online", "held virtually",
                                  "virtual summit", "online summit",
                                  "video summit", "virtual session"}) {
        if (absl::StrContains(l, w)) video = true;
      }
      continue;
    }
    Span before{v > s.span.begin + 120 ? v - 120 : s.span.begin, v};
    absl::string_view b = before.Of(lower_);
    bool person_joined = absl::StrContains(b, "joined") ||
                         absl::StrContains(b, "connected") ||
                         absl::StrContains(b, "who ") ||
                         absl::StrContains(b, "addressed");
    bool held = absl::StrContains(b, "held") || absl::StrContains(b, "format") ||
                absl::StrContains(b, "conducted") ||
                absl::StrContains(b, "took place") ||
                absl::StrContains(l, "format") ||
                absl::StrContains(b, "session via") ||
                absl::StrContains(b, "summit via") ||
                absl::StrContains(b, "presided over") ||
                absl::StrContains(b, "chaired") ||
                absl::StrContains(b, "during the") ||
                absl::StrContains(b, " met ") || absl::StartsWith(b, "met ");
    if (held && !person_joined) video = true;
  }
  if (narrow) formats_.push_back(v1::SUMMIT_FORMAT_NARROW);
  if (expanded) formats_.push_back(v1::SUMMIT_FORMAT_EXPANDED);
  if (video) formats_.push_back(v1::SUMMIT_FORMAT_VIDEOCONFERENCE);
  if (in_person && !video) formats_.push_back(v1::SUMMIT_FORMAT_IN_PERSON);
}

}  // namespace communique::extract::internal
