// Claims: what one article states about one field, and how the statements
// of many articles become one value with its provenance (FieldSources).
// Also the small value helpers every part of the merge shares: name keys,
// partial dates, evidence lists, deterministic bytes, id numbering.
// Internal to shared/merge; pure and thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "communique/v1/common.pb.h"
#include "google/protobuf/message_lite.h"

namespace communique::merge::internal {

// Serialization with deterministic map order: a total, content-derived key.
std::string DeterministicBytes(const google::protobuf::MessageLite &message);

// Key under which two spellings of a name compare equal: the slug
// ("Nur-Sultan" == "Nur Sultan" == "nur-sultan"); for text without any
// ASCII letters (e.g. Cyrillic) the lowercased text itself.
std::string TextKey(absl::string_view value);

// A date with consistent parts and precision: parts after an unknown part
// are dropped, out-of-range months/days count as unknown.
v1::PartialDate NormalizedDate(const v1::PartialDate &date);

// 0 unknown, 1 year, 2 month, 3 day (of a normalised date).
int Precision(const v1::PartialDate &date);

// Two (normalised) dates can describe the same day: equal wherever both are
// known. An unknown date is compatible with every date.
bool DatesCompatible(const v1::PartialDate &a, const v1::PartialDate &b);

// Inverse of schema::FormatPartialDate for the values the merge produces.
v1::PartialDate ParseDateKey(absl::string_view key);

// Sorts by (article, begin, end, quote) and drops repeats.
void SortEvidence(std::vector<v1::Evidence> &evidence);

template <typename Repeated>
void AppendAll(const Repeated &from, std::vector<v1::Evidence> &to) {
  to.insert(to.end(), from.begin(), from.end());
}

// Replaces `to` with `evidence`, sorted and without repeats.
template <typename Repeated>
void SetEvidence(std::vector<v1::Evidence> evidence, Repeated *to) {
  SortEvidence(evidence);
  to->Clear();
  for (v1::Evidence &e : evidence)
    *to->Add() = std::move(e);
}

// Confidence from integer tenths, so that no floating-point summation order
// can change the bytes.
double Tenths(int tenths);

// A value stated by several articles: the value with the most distinct
// supporting articles wins, then the smallest value. Empty values are not
// statements and are skipped. Returns "" when nothing is stated.
std::string PickBySupport(
    const std::vector<std::pair<std::string, std::string>> &article_values);

// Gives each record an id unique among `bases`: records are taken in order
// of (base, order_key); the first with a base keeps it, later ones get
// "{base}-2", "{base}-3", ... skipping ids that are taken.
std::vector<std::string> AssignIds(
    const std::vector<std::pair<std::string, std::string>> &base_and_order);

enum class ValueKind {
  kText,  // names; spellings with the same TextKey are one claim
  kCount, // decimal integers, compared numerically
  kDate,  // "YYYY[-MM[-DD]]"; more precise wins, prefixes are compatible
};

// One article's statement of one field.
struct Claim {
  std::string article;
  std::string value;
  std::vector<v1::Evidence> evidence;
};

struct FieldMerge {
  std::string value; // the chosen value; "" when no article states one
  v1::FieldSources sources;
};

// Merges every article's claim on `field`: the chosen value is the most
// precise (dates only), then the one with most distinct articles, then the
// smallest. Claims are listed chosen first, then by support (descending) and
// value. The field is disputed when two claims are incompatible (different
// names or counts; dates that differ where both are known) and `disputable`.
FieldMerge MergeField(absl::string_view field, ValueKind kind,
                      const std::vector<Claim> &claims, bool disputable = true);

// Adds a merged field's provenance to `sources` (and its path to
// `conflicts` when disputed). Returns the chosen value.
template <typename Repeated>
std::string Record(FieldMerge merged, Repeated *sources,
                   std::vector<std::string> *conflicts) {
  if (merged.value.empty())
    return "";
  if (merged.sources.disputed() && conflicts != nullptr) {
    conflicts->push_back(merged.sources.field());
  }
  *sources->Add() = std::move(merged.sources);
  return merged.value;
}

} // namespace communique::merge::internal
