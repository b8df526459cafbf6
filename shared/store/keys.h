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

// Bounds of a date range over EncodeDateKey terms: the first key of
// `start` (unknown parts as 00) and a key just past every date of `end`
// (unknown parts as 99, then 0xFF). A zero year leaves the bound open:
// "" for the start, "\xff" for the end.
std::string DateRangeStart(const v1::PartialDate& start);
std::string DateRangeEnd(const v1::PartialDate& end);

// Prefix of the posting list of `family` and `term`: the key parts up to
// and including the second '\0'. Empty if `key` has fewer parts.
absl::string_view PostingPrefix(absl::string_view key);

// Ingest store index families (first key part in the `index` column
// family of the ingest store).
inline constexpr absl::string_view kMembershipIndex = "m";  // cluster, article
inline constexpr absl::string_view kArticleClusters = "a";  // article, cluster
inline constexpr absl::string_view kClusterRecords = "c";   // cluster, name

// Query store index layout (`index` column family of a replica). Every
// posting list is keyed {family, term, date, name}: `date` is the summit's
// EncodeDateKey (for declarations and initiatives, their parent summit's),
// so every list is in (date, name) order and lists of one resource type
// can be intersected by a leapfrog join on the (date, name) suffix. Terms
// are IndexTerm (ASCII-lowercased) values; the "all" lists use term "".
// Enum terms are decimal numbers.
inline constexpr absl::string_view kSummitAll = "s";
inline constexpr absl::string_view kSummitByOrg = "so";
inline constexpr absl::string_view kSummitByCountry = "sc";  // host
inline constexpr absl::string_view kSummitByCity = "sk";
inline constexpr absl::string_view kSummitByParticipantCountry = "spc";
inline constexpr absl::string_view kSummitByPerson = "spp";  // id and name
inline constexpr absl::string_view kSummitByFormat = "sf";
inline constexpr absl::string_view kSummitByTopic = "st";
inline constexpr absl::string_view kSummitByPresiding = "sp";  // name and id
inline constexpr absl::string_view kSummitByWord = "sw";
inline constexpr absl::string_view kDeclarationAll = "d";
inline constexpr absl::string_view kDeclarationBySummit = "dp";
inline constexpr absl::string_view kDeclarationByKind = "dk";
inline constexpr absl::string_view kDeclarationByStatus = "ds";
inline constexpr absl::string_view kDeclarationByOrg = "do";
inline constexpr absl::string_view kDeclarationByWord = "dw";
inline constexpr absl::string_view kInitiativeAll = "i";
inline constexpr absl::string_view kInitiativeBySummit = "ip";
inline constexpr absl::string_view kInitiativeByCountry = "ipc";  // proposer
inline constexpr absl::string_view kInitiativeByPerson = "ipp";   // proposer
inline constexpr absl::string_view kInitiativeByStatus = "is";
inline constexpr absl::string_view kInitiativeByTopic = "it";
inline constexpr absl::string_view kInitiativeByOrg = "io";
inline constexpr absl::string_view kInitiativeByWord = "iw";
// Counting lists (never joined; they exist for their counters): term
// "{organization as stored}|{yyyy}".
inline constexpr absl::string_view kSummitByOrgYear = "ys";
inline constexpr absl::string_view kDeclarationByOrgYear = "yd";
inline constexpr absl::string_view kInitiativeByOrgYear = "yi";
// Child aliases: {ca, alias name, date, current name}, one entry per name
// in a declaration's or initiative's `aliases`; looked up by prefix, never
// joined.
inline constexpr absl::string_view kChildAlias = "ca";
// Chair index: {ch, org term, date, summit name, organization as stored,
// chair country, next chair country, next chair from EncodeDateKey}; one
// entry per summit that states a chair or a handover.
inline constexpr absl::string_view kChairs = "ch";

// Query store `meta` keys besides the schema and the watermark.
// {count, family, term, ""} -> 8-byte count of that posting list.
inline constexpr absl::string_view kCounterPrefix = "count";
// {group, summit name} -> the index keys owned by that summit and its
// children (length-prefixed), so an update deletes exactly what it wrote.
inline constexpr absl::string_view kGroupKeysPrefix = "group";
// Version of the layout above; a store with another version is re-indexed
// on open.
inline constexpr char kIndexVersionKey[] = "index_version";
inline constexpr char kIndexVersion[] = "3";
// Summit change history (`changelog` family of a replica) holds sequences
// > this watermark.
inline constexpr char kHistoryFloorKey[] = "history_floor";

}  // namespace communique::store
