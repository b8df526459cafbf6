// Read side of the record store, owned by a query replica: applies the
// change feed into a RocksDB read model with secondary indexes, and answers
// typed, paged queries from those indexes. Thread-safe: share one instance
// per process (one thread applies changes; any number read).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "communique/v1/change_feed.pb.h"
#include "communique/v1/declaration.pb.h"
#include "communique/v1/initiative.pb.h"
#include "communique/v1/query_service.pb.h"
#include "communique/v1/summit.pb.h"
#include "shared/store/record_store.h"

namespace communique::store {

// What one read cost, for tests, metrics and the "never a full scan"
// guarantee. Counts accumulate (callers may pass one across calls).
struct ReadStats {
  // Records (summits, declarations, initiatives) fetched and parsed.
  int64_t records_read = 0;
  // Index entries visited (each seek or step that lands on an entry).
  int64_t index_entries_read = 0;
};

// A page of a list with the AIP-158 total_size estimate.
template <typename T>
struct ListPage : Page<T> {
  // Matches over all pages: exact when the query used one posting list
  // without a date range, or when the first page holds every match;
  // otherwise an upper bound (the smallest posting list of the query).
  int64_t total_size = 0;
};

// What ListSummits asks of the store. Fields are validated by the caller
// (years in range, known enum values, page_size 1-1000).
struct SummitQuery {
  v1::SummitFilter filter;
  bool ascending = false;
  int page_size = 50;
  // From the previous page (Page::resume_after); empty for the first.
  std::string resume_after;
  // Optional; receives the cost of the read.
  ReadStats* stats = nullptr;
};

// What ListDeclarations asks of the store (validated by the caller).
struct DeclarationQuery {
  // "summits/{summit}" or empty for all summits.
  std::string summit;
  v1::DeclarationKind kind = v1::DECLARATION_KIND_UNSPECIFIED;
  v1::DeclarationStatus status = v1::DECLARATION_STATUS_UNSPECIFIED;
  // Parent summit's organisation, case-insensitive; empty = any.
  std::string organization;
  // Parent summit's year bounds, 0 = open.
  int year = 0;
  int min_year = 0;
  int max_year = 0;
  // Free text (schema::SearchWords rules); every word must occur.
  std::string text;
  bool ascending = false;
  int page_size = 50;
  std::string resume_after;
  ReadStats* stats = nullptr;
};

// What ListInitiatives asks of the store (validated by the caller).
struct InitiativeQuery {
  std::string summit;
  std::string proposer_country;
  // Gazetteer person id or name of the proposer.
  std::string proposer_person;
  v1::InitiativeStatus status = v1::INITIATIVE_STATUS_UNSPECIFIED;
  std::string topic;
  std::string organization;
  int year = 0;
  int min_year = 0;
  int max_year = 0;
  std::string text;
  bool ascending = false;
  int page_size = 50;
  std::string resume_after;
  ReadStats* stats = nullptr;
};

// What ListChairmanships asks of the store.
struct ChairmanshipQuery {
  // Organisation acronym / chairing country, case-insensitive; empty = all.
  std::string organization;
  std::string country;
  int page_size = 50;
  std::string resume_after;
  ReadStats* stats = nullptr;
};

// Summit changes read from the replica's retained change history.
struct SummitChanges {
  // Matching changes in sequence order.
  std::vector<v1::SummitChange> changes;
  // Every change up to this sequence has been examined.
  uint64_t through_sequence = 0;
};

// What QueryStore::ReadSummitChangesRaw appended.
struct RawSummitChanges {
  // Matching changes appended.
  size_t count = 0;
  // Every change up to this sequence has been examined.
  uint64_t through_sequence = 0;
};

// How many change-feed sequences of summit history a replica keeps for
// WatchSummits replays.
inline constexpr uint64_t kWatchHistorySequences = 100000;

// Read side, owned by a query replica.
class QueryStore {
 public:
  virtual ~QueryStore() = default;

  // Sequence of the last change event applied (0 for a new store).
  virtual uint64_t AppliedSequence() const = 0;
  // Applies consecutive events (the first must be AppliedSequence() + 1):
  // records, their index entries and counters, the summit change history,
  // and the watermark, in one atomic batch. The result depends only on the
  // events, not on how they were split into calls, so replicas that
  // applied the same sequence hold the same bytes. FAILED_PRECONDITION on a
  // gap; DATA_LOSS if stored bytes do not parse; UNAVAILABLE on I/O errors
  // (then nothing was applied). One caller at a time.
  virtual absl::Status ApplyChanges(
      const std::vector<v1::ChangeEvent>& events) = 0;

  // Records are read as the wire bytes of their API message (Summit,
  // Declaration, Initiative) exactly as stored: no parse, no
  // re-serialisation. The gRPC handlers send these bytes as they are; the
  // typed wrappers below parse them for in-process callers.
  //
  // Every read below may run on any number of threads at once, and while
  // ApplyChanges runs: a read sees the store as of some applied batch,
  // never half of one (each List walks one RocksDB iterator per posting
  // list; pages of one listing may straddle batches, as AIP-158 allows).
  // Failures common to all of them: DATA_LOSS when stored bytes (a record
  // envelope, an index counter) do not parse; UNAVAILABLE on I/O errors,
  // which a retry may fix. Nothing is ever written by a read.

  // The summit `name`, following aliases left by merges. NOT_FOUND.
  virtual absl::StatusOr<std::string> GetSummitBytes(
      absl::string_view name) const = 0;
  // Summits matching the filter, by date then name (descending unless
  // query.ascending), from the secondary indexes: reads only the records it
  // returns. At most query.page_size items; resume_after is set when there
  // may be more (pass it back as query.resume_after; a resume key the store
  // never returned just positions the walk). An empty page is OK, not
  // NOT_FOUND. The query must be validated by the caller (validation.h):
  // the store does not re-check it.
  virtual absl::StatusOr<ListPage<std::string>> ListSummitBytes(
      const SummitQuery& query) const = 0;
  // The declaration `name`. NOT_FOUND.
  virtual absl::StatusOr<std::string> GetDeclarationBytes(
      absl::string_view name) const = 0;
  // Declarations matching the query, by their summit's date then name;
  // paging, order and codes as ListSummitBytes.
  virtual absl::StatusOr<ListPage<std::string>> ListDeclarationBytes(
      const DeclarationQuery& query) const = 0;
  // The initiative `name`. NOT_FOUND.
  virtual absl::StatusOr<std::string> GetInitiativeBytes(
      absl::string_view name) const = 0;
  // Initiatives matching the query, by their summit's date then name;
  // paging, order and codes as ListSummitBytes.
  virtual absl::StatusOr<ListPage<std::string>> ListInitiativeBytes(
      const InitiativeQuery& query) const = 0;

  // Typed forms of the reads above: the same results and codes, each item
  // parsed (DATA_LOSS if one does not).
  absl::StatusOr<v1::Summit> GetSummit(absl::string_view name) const;
  absl::StatusOr<ListPage<v1::Summit>> ListSummits(
      const SummitQuery& query) const;
  absl::StatusOr<v1::Declaration> GetDeclaration(absl::string_view name) const;
  absl::StatusOr<ListPage<v1::Declaration>> ListDeclarations(
      const DeclarationQuery& query) const;
  absl::StatusOr<v1::Initiative> GetInitiative(absl::string_view name) const;
  absl::StatusOr<ListPage<v1::Initiative>> ListInitiatives(
      const InitiativeQuery& query) const;

  // Chairmanships by organisation then start date, derived from the chair
  // index (one entry per summit stating a chair or a handover; no record
  // is read). Paging as ListSummitBytes; DATA_LOSS / UNAVAILABLE as above.
  virtual absl::StatusOr<ListPage<v1::Chairmanship>> ListChairmanships(
      const ChairmanshipQuery& query) const = 0;
  // Record counts (total and per organisation and year, from counters
  // kept with the index) and the store size. Leaves the replication fields
  // for the caller.
  virtual absl::StatusOr<v1::GetStatsResponse> GetStats() const = 0;
  // Summit changes with sequence > `after` that match `filter`, examining
  // at most `max_events` history entries. OUT_OF_RANGE if the history no
  // longer holds sequence `after` + 1 (see kWatchHistorySequences).
  virtual absl::StatusOr<SummitChanges> ReadSummitChanges(
      uint64_t after, const v1::SummitFilter& filter,
      size_t max_events) const = 0;
  // ReadSummitChanges as wire bytes (what WatchSummits sends): appends the
  // matching changes to `out` as WatchSummitsResponse `changes` fields,
  // each a SummitChange encoded as protobuf would, framed from the stored
  // history entries' fields without parsing the summits (an empty filter
  // parses nothing; a filter parses the summit to match it). Same codes.
  virtual absl::StatusOr<RawSummitChanges> ReadSummitChangesRaw(
      uint64_t after, const v1::SummitFilter& filter, size_t max_events,
      std::string* out) const = 0;

  // Every key and value of the read model (records, indexes, counters,
  // history, watermark) in a deterministic byte string, for comparing
  // replicas in tests. Reads the whole store.
  virtual absl::StatusOr<std::string> ExportContents() const = 0;

  // Storage-engine figures for monitoring. Thread-safe and cheap.
  virtual EngineStats Engine() const = 0;
};

// Opens (creating if needed) a query replica's store in `dir`. Rebuilds
// the secondary indexes from the stored records when they were written by
// an older index layout. UNAVAILABLE if the directory cannot be opened;
// FAILED_PRECONDITION if it holds an ingest store or a newer schema.
absl::StatusOr<std::unique_ptr<QueryStore>> OpenQueryStore(
    const std::string& dir, const StoreOptions& options);

}  // namespace communique::store
