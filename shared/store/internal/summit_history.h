// Internal to shared/store: the query store's summit history (the recent
// summit changes WatchSummits replays), read from the stored ChangeRecord
// bytes at the top level and turned into SummitChange wire bytes without
// parsing the summit. Pure functions; thread-safe. Only query_store.cc
// includes this.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace communique::store::internal {

// The fields of a stored history entry (ChangeRecord { ChangeEvent event })
// that a SummitChange is made of, as views into the stored bytes.
struct HistoryEntry {
  uint64_t sequence = 0;
  uint64_t type = 0;
  absl::string_view name;
  // The encoded Timestamp, if present.
  std::optional<absl::string_view> commit_time;
  absl::string_view alias_of;
  // The encoded Summit, if present.
  std::optional<absl::string_view> summit;
};

// Reads a history entry at the top level of the record and of its event
// (protobuf's own rules: the last occurrence of a scalar wins). A
// repeated message field would need protobuf's merge, so such an entry
// (our writers never produce one) is parsed and re-serialised instead;
// `storage` then holds the bytes the views point into.
// DATA_LOSS when the bytes do not parse.
absl::StatusOr<HistoryEntry> ReadHistoryEntry(absl::string_view bytes,
                                              std::string* storage);

// The SummitChange of a history entry that holds a summit, encoded as
// protobuf serialises the message the typed path builds (fields in number
// order; proto3 omits zero scalars and empty strings; summit and
// commit_time are always present).
void AppendSummitChange(const HistoryEntry& entry, std::string* out);

}  // namespace communique::store::internal
