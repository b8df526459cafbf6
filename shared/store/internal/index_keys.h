// Internal to shared/store: the query store's index keys (keys.h is the
// layout). Index maintenance works per summit "group" (a summit and its
// declarations and initiatives): a group's keys are a pure function of its
// records (GroupIndexKeys), stored per group in `meta` as a key list so an
// apply can diff old against new, and counted per posting list. Pure
// functions; thread-safe. Only query_store.cc and its internals include this.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "communique/v1/declaration.pb.h"
#include "communique/v1/initiative.pb.h"
#include "communique/v1/query_service.pb.h"
#include "communique/v1/summit.pb.h"

namespace communique::store::internal {

// The date term of records whose summit has no date.
inline constexpr char kUndated[] = "00000000";
inline constexpr absl::string_view kDeclarationsInfix = "/declarations/";
inline constexpr absl::string_view kInitiativesInfix = "/initiatives/";

// The summit group a record belongs to: the summit itself, or the parent
// summit of a declaration or initiative.
std::string GroupOf(absl::string_view name);

// The `meta` key of the entry counter of the posting list `posting_prefix`.
std::string CounterKey(absl::string_view posting_prefix);

// The `meta` key of the index keys group `group` owns.
std::string GroupKeysKey(absl::string_view group);

// A group's key list as stored (each key after its 8-byte length), and
// back; nullopt when the stored bytes are malformed.
std::string EncodeKeyList(const std::vector<std::string>& keys);
std::optional<std::vector<std::string>> DecodeKeyList(absl::string_view in);

// A summit with its current children: what one group's keys derive from.
struct Group {
  std::optional<v1::Summit> summit;  // absent, deleted or an alias: nullopt
  std::vector<v1::Declaration> declarations;
  std::vector<v1::Initiative> initiatives;
};

// Case-insensitive equality of names (persons, countries) as the index
// compares them.
bool SameText(absl::string_view a, absl::string_view b);

// Every index key group `group_name` owns, sorted and unique.
std::vector<std::string> GroupIndexKeys(const std::string& group_name,
                                        const Group& group);

// Folds one chair-index entry (the key's parts: {ch, org term, date, name,
// org, chair, next, next from}, as AddSummitKeys writes them) into the
// organisation's chairmanship periods, read in date order.
void AddChairObservation(const std::vector<std::string>& parts,
                         std::vector<v1::Chairmanship>* periods);

}  // namespace communique::store::internal
