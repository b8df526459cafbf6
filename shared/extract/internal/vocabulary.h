// The extractor's fixed vocabulary: cue words for sessions, participation,
// adoption, handovers, months and video formats, and the document kinds
// with their head nouns. Lowercase; a trailing '*' matches any suffix.
#pragma once

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "communique/v1/declaration.pb.h"

namespace communique::extract::internal {

// ---------------------------------------------------------------------------
// Vocabulary. Lowercase; '*' = prefix.

inline constexpr absl::string_view kSummitWords[] = {
    "summit", "summits", "session", "sessions", "meeting", "council",
    "talks"};
inline constexpr absl::string_view kParticipationWords[] = {
    "attend*", "participat*", "took part", "take part", "taking part",
    "delegation*", "joined", "including those from", "leaders of",
    "heads of state", "present were", "gathered", "represented"};
inline constexpr absl::string_view kAdoptionWords[] = {
    "adopt*",  "approv*", "signed",   "signing",  "sign",
    "signs",   "endors*", "ratif*",   "finaliz*", "finalis*",
    "presented"};
inline constexpr absl::string_view kFutureChairWords[] = {
    "take on", "take over", "took over", "takes over", "taking over",
    "assume*", "assuming", "upcoming", "incoming", "next", "will",
    "starting", "handed over", "hand over", "hands over", "passed to",
    "pass to", "to chair", "is to", "passed", "passes", "handed", "hands",
    "transferred", "transfers"};
// Days of the week, Monday first (absl::Weekday order).
inline constexpr absl::string_view kWeekdays[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday"};
// Verbs that report a meeting held ("the leaders met in Minsk").
inline constexpr absl::string_view kSessionVerbs[] = {
    "met", "gathered", "convened", "was held", "took place", "were held"};
// Words that make a dated sentence about a later, planned meeting.
inline constexpr absl::string_view kPlannedWords[] = {
    "to be held", "will be held", "will meet", "will take place",
    "would meet", "would be held", "is expected", "expected to",
    "scheduled", "planned for", "next meeting", "next session",
    "next summit", "had been due", "was due", "is due"};
// A refusal to adopt: the documents of such a sentence were not adopted.
inline constexpr absl::string_view kRefusalWords[] = {
    "refus*", "declined to", "did not sign", "not to sign", "would not sign",
    "failed to", "did not adopt", "was not signed", "were not signed"};
// Every word internal::MonthFromName accepts, lowercase.
inline constexpr absl::string_view kMonthWords[] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"};
inline constexpr absl::string_view kVideoWords[] = {
    "videoconference", "video conference", "video-conference", "video link",
    "videolink", "video format", "online format", "virtual format"};

struct KindWord {
  absl::string_view singular;
  absl::string_view plural;
  v1::DeclarationKind kind;
};
inline constexpr KindWord kKinds[] = {
    {"declaration", "declarations", v1::DECLARATION_KIND_DECLARATION},
    {"statement", "statements", v1::DECLARATION_KIND_STATEMENT},
    {"protocol", "protocols", v1::DECLARATION_KIND_PROTOCOL},
    {"agreement", "agreements", v1::DECLARATION_KIND_AGREEMENT},
    {"treaty", "treaties", v1::DECLARATION_KIND_TREATY},
    {"program", "programs", v1::DECLARATION_KIND_PROGRAM},
    {"programme", "programmes", v1::DECLARATION_KIND_PROGRAM},
    {"strategy", "strategies", v1::DECLARATION_KIND_STRATEGY},
    {"concept", "concepts", v1::DECLARATION_KIND_CONCEPT},
    {"plan", "plans", v1::DECLARATION_KIND_PLAN},
    {"decision", "decisions", v1::DECLARATION_KIND_DECISION},
    {"resolution", "resolutions", v1::DECLARATION_KIND_RESOLUTION},
    {"memorandum", "memoranda", v1::DECLARATION_KIND_MEMORANDUM},
    {"communique", "communiques", v1::DECLARATION_KIND_OTHER},
    {"charter", "charters", v1::DECLARATION_KIND_OTHER},
    {"appeal", "appeals", v1::DECLARATION_KIND_OTHER},
};

// Every singular and plural of kKinds, for a quick "any document here?".
inline constexpr absl::string_view kKindWords[] = {
    "declaration", "declarations", "statement",  "statements", "protocol",
    "protocols",   "agreement",    "agreements", "treaty",     "treaties",
    "program",     "programs",     "programme",  "programmes", "strategy",
    "strategies",  "concept",      "concepts",   "plan",       "plans",
    "decision",    "decisions",    "resolution", "resolutions", "memorandum",
    "memoranda",   "communique",   "communiques", "charter",   "charters",
    "appeal",      "appeals"};

inline const char* KindTitle(v1::DeclarationKind kind) {
  switch (kind) {
    case v1::DECLARATION_KIND_DECLARATION: return "Declaration";
    case v1::DECLARATION_KIND_STATEMENT: return "Statement";
    case v1::DECLARATION_KIND_PROTOCOL: return "Protocol";
    case v1::DECLARATION_KIND_AGREEMENT: return "Agreement";
    case v1::DECLARATION_KIND_TREATY: return "Treaty";
    case v1::DECLARATION_KIND_PROGRAM: return "Program";
    case v1::DECLARATION_KIND_STRATEGY: return "Strategy";
    case v1::DECLARATION_KIND_CONCEPT: return "Concept";
    case v1::DECLARATION_KIND_PLAN: return "Plan";
    case v1::DECLARATION_KIND_DECISION: return "Decision";
    case v1::DECLARATION_KIND_RESOLUTION: return "Resolution";
    case v1::DECLARATION_KIND_MEMORANDUM: return "Memorandum";
    default: return "Document";
  }
}

// The title word for a document kind: "Declaration", or for kinds without
// an enum of their own the word itself ("Appeal", "Charter").
inline std::string KindHead(const KindWord& k) {
  if (k.kind != v1::DECLARATION_KIND_OTHER) return KindTitle(k.kind);
  std::string w(k.singular);
  w[0] = absl::ascii_toupper(w[0]);
  return w;
}

inline std::string RoleFamily(absl::string_view role) {
  std::string r = absl::AsciiStrToLower(role);
  if (absl::StrContains(r, "secretary")) return "secretary general";
  if (absl::StrContains(r, "prime minister") || absl::StrContains(r, "premier"))
    return "prime minister";
  if (absl::StrContains(r, "president") || absl::StrContains(r, "head of state"))
    return "president";
  return r;
}

// Whether lowercase `w` is a function word that may sit inside a title
// ("Treaty *on* the Non-Proliferation *of* ...").
inline bool IsConnector(absl::string_view w) {
  static constexpr absl::string_view kConnectors[] = {
      "of", "on", "the", "a", "an", "and", "for", "to", "in", "with",
      "between", "against", "at", "by", "de"};
  for (absl::string_view c : kConnectors)
    if (w == c) return true;
  return false;
}

}  // namespace communique::extract::internal
