// Byte-ordered key codecs for the RocksDB store: big-endian integers and
// '\0'-separated strings, so that RocksDB's bytewise order is the order we
// query in. Used only inside shared/store/ (and its tests).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "communique/v1/common.pb.h"

namespace communique::store {

// 8-byte big-endian encoding of a change-log sequence.
std::string EncodeSequence(uint64_t sequence);
// Inverse of EncodeSequence; nullopt unless `key` is exactly 8 bytes.
std::optional<uint64_t> DecodeSequence(absl::string_view key);

// Joins parts with '\0'. Parts must not contain '\0' (callers pass names
// and slugs, which never do; a '\0' is replaced by ' ' to stay safe).
std::string JoinKey(const std::vector<absl::string_view>& parts);
// Splits a key made by JoinKey.
std::vector<std::string> SplitKey(absl::string_view key);
// JoinKey(parts) followed by '\0': the prefix of every key that extends it.
std::string KeyPrefix(const std::vector<absl::string_view>& parts);

// Sortable date term "yyyymmdd" (unknown parts are 00, so a year-only
// date sorts before every day of that year).
std::string EncodeDateKey(const v1::PartialDate& date);

// Lowercases ASCII letters, for case-insensitive index terms.
std::string IndexTerm(absl::string_view value);

// Index families (first key part in the `index` column family).
inline constexpr absl::string_view kMembershipIndex = "m";   // cluster, article
inline constexpr absl::string_view kArticleClusters = "a";   // article, cluster
inline constexpr absl::string_view kClusterRecords = "c";    // cluster, name
inline constexpr absl::string_view kSummitByDate = "sd";     // date, name
inline constexpr absl::string_view kSummitByOrg = "so";      // org, date, name
inline constexpr absl::string_view kSummitByYear = "sy";     // year, date, name
inline constexpr absl::string_view kSummitByCountry = "sc";  // country, date, name
inline constexpr absl::string_view kSummitByCity = "sk";     // city, date, name
inline constexpr absl::string_view kSummitByParticipantCountry = "spc";
inline constexpr absl::string_view kSummitByPerson = "spp";  // person, date, name

}  // namespace communique::store
