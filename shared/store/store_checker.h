// Offline consistency checker for an ingest store directory: opens the
// RocksDB read-only (the service must be stopped) and verifies that
// records, index entries and the change log agree. Used by the crash tests
// (tests/crash/) and available to operators. Also dumps any store's
// families canonically, so two replicas can be compared byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace communique::store {

// What CheckIngestStore found.
struct StoreCheckReport {
  // Stored articles, summits (current names, not aliases), aliases,
  // declarations and initiatives.
  uint64_t article_count = 0;
  uint64_t summit_count = 0;
  uint64_t alias_count = 0;
  uint64_t declaration_count = 0;
  uint64_t initiative_count = 0;
  // Highest change-log sequence (0 when empty).
  uint64_t change_log_head = 0;
  // One line per broken invariant; empty when the store is consistent.
  std::vector<std::string> problems;
};

// Checks the ingest store in `dir` (opened read-only):
//  * every article has an extraction and every extraction an article, and
//    every stored value parses;
//  * cluster memberships are symmetric ({a, article, cluster} exactly when
//    {m, cluster, article}) and only name stored articles;
//  * every {c, cluster, name} index entry names a stored record, and every
//    stored summit, declaration and initiative is owned by some cluster;
//  * aliases point at current summits and are listed under {t, target,
//    alias}, and every {t, ...} entry names a stored alias;
//  * the change log holds exactly sequences 1..head, each event carrying
//    its own key's sequence.
// Inconsistencies are reported in `problems`, not as an error. UNAVAILABLE
// if the directory cannot be opened (e.g. a running service holds it).
absl::StatusOr<StoreCheckReport> CheckIngestStore(const std::string& dir);

// Every key and value of every column family of the store in `dir`
// (ingest or query), opened read-only, as lines "family\tkey\tvalue" with
// keys and values hex-encoded, in family then key order. Families in
// `skip_families` (e.g. "meta") are left out. UNAVAILABLE if the directory
// cannot be opened.
absl::StatusOr<std::vector<std::string>> DumpStore(
    const std::string& dir, const std::vector<std::string>& skip_families = {});

}  // namespace communique::store
