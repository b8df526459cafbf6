// Write side of the record store, owned by the ingest service (the single
// writer). Thread-safe: share one instance per process.
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
#include "communique/v1/article.pb.h"
#include "communique/v1/change_feed.pb.h"
#include "communique/v1/ingest_service.pb.h"
#include "communique/v1/declaration.pb.h"
#include "communique/v1/initiative.pb.h"
#include "communique/v1/summit.pb.h"
#include "shared/store/change_notifier.h"
#include "shared/store/record_store.h"

namespace communique::store {

// The canonical records derived from one cluster of summit mentions.
struct ClusterRecords {
  std::vector<v1::Summit> summits;
  std::vector<v1::Declaration> declarations;
  std::vector<v1::Initiative> initiatives;
};

// What a commit does to its article.
enum class ArticleAction {
  // Stores (creates or replaces) the article and its extraction.
  kPut,
  // Removes the article, its extraction and its cluster memberships.
  kDelete,
};

// Everything one article's ingest, re-processing or deletion writes,
// committed atomically.
struct ArticleCommit {
  // Whether the article is stored or removed. Default: kPut.
  ArticleAction action = ArticleAction::kPut;
  // The article, as it will be stored (name, text, hash, metadata). For
  // kDelete only its name is read.
  v1::Article article;
  // What the extractor found in it. Ignored for kDelete.
  v1::ArticleExtraction extraction;
  // For an article that arrived as a page: the caller's input with the raw
  // page (`html` set), stored beside the article for re-conversion. Empty
  // `html`: a plain-text article (a page stored before is dropped).
  // Ignored for kDelete.
  v1::ArticleInput page;
  // Cluster keys the article belongs to now; empty for kDelete.
  std::vector<std::string> clusters;
  // For every cluster the article was or is in: its complete new set of
  // records. Records the cluster held before and not listed are deleted.
  std::map<std::string, ClusterRecords> cluster_records;
  // Commit time, stamped on created/updated records and change events.
  absl::Time now;
  // True: CommitArticle returns once the commit is durable and its events
  // are published. False (group commit): it returns once the batch is
  // written and visible; the caller then calls AwaitDurable(result.write)
  // outside its writer lock before acknowledging. Default: true.
  bool await_durable = true;
};

// What a commit changed.
struct CommitResult {
  // Sequence of the last change event written; the head when none were.
  uint64_t sequence = 0;
  // Summits created, updated, aliased or deleted, sorted.
  std::vector<std::string> changed_summits;
  // Ticket for AwaitDurable: the commit is acknowledged-safe once
  // AwaitDurable(write) returns OK.
  uint64_t write = 0;
};

// What IngestStore::ReadChangesRaw appended.
struct RawChanges {
  // Events appended (0 when caught up with the head).
  size_t count = 0;
  // Sequence of the last event appended; `after` when none were.
  uint64_t last_sequence = 0;
};

// Write side, owned by the ingest service (single writer).
class IngestStore {
 public:
  virtual ~IngestStore() = default;

  // The stored article `name`, or nullopt. DATA_LOSS if it does not parse.
  virtual absl::StatusOr<std::optional<v1::Article>> GetArticle(
      absl::string_view name) const = 0;
  // The page stored beside article `name` (see ArticleCommit::page), or
  // nullopt when the article is unknown or arrived as plain text.
  // DATA_LOSS if the record does not parse.
  virtual absl::StatusOr<std::optional<v1::ArticleInput>> GetArticlePage(
      absl::string_view name) const = 0;
  // Articles in name order after `resume_after`, text cleared.
  virtual absl::StatusOr<Page<v1::Article>> ListArticles(
      int page_size, absl::string_view resume_after) const = 0;
  // The stored extraction of article `name`, or nullopt. DATA_LOSS if it
  // does not parse.
  virtual absl::StatusOr<std::optional<v1::ArticleExtraction>> GetExtraction(
      absl::string_view name) const = 0;
  // The cluster keys article `name` belongs to (empty if unknown).
  virtual absl::StatusOr<std::vector<std::string>> ArticleClusters(
      absl::string_view name) const = 0;
  // The stored extractions of every article in cluster `cluster`.
  virtual absl::StatusOr<std::vector<v1::ArticleExtraction>>
  ClusterExtractions(absl::string_view cluster) const = 0;
  // Writes (or, for kDelete, removes) the article, its extraction and its
  // membership, and replaces the records of every cluster in
  // `cluster_records`, diffed against what is stored, with their change
  // events, in one atomic batch. Records are stored as given (the
  // merge output is the whole truth; the store adds only create_time and
  // update_time). Names stay resolvable:
  //  * a summit name that leaves the commit's clusters becomes an alias of
  //    the new summit sharing most of its source articles (then the
  //    smallest name), or is deleted when none shares any; aliases that
  //    pointed at it follow it (re-pointed or deleted), so alias chains
  //    never grow beyond one hop;
  //  * every name in a new summit's `aliases` that is not some summit's
  //    current name becomes an alias of that summit;
  //  * a name that becomes canonical again stops being an alias.
  // Events: UPSERT for each created or changed record, UPSERT with alias_of
  // for each new or re-pointed alias, DELETE for each removed record or
  // alias. Callers serialise commits (one writer). UNAVAILABLE on I/O
  // errors; then nothing was written.
  //
  // Group commit (commit.await_durable false): the batch is visible to
  // later commits and reads at once, but with sync_writes it is not yet
  // durable and its change events are not yet published: the caller calls
  // AwaitDurable(result.write) outside its writer lock before
  // acknowledging, so that concurrent commits share one write-ahead-log
  // fsync.
  virtual absl::StatusOr<CommitResult> CommitArticle(
      const ArticleCommit& commit) = 0;

  // Returns once commit ticket `write` (CommitResult::write, or LastWrite)
  // and every commit before it are durable (write-ahead log fsynced when
  // sync_writes; at once otherwise), and their change events published to
  // the change feed. One caller fsyncs for every commit written so far;
  // concurrent callers wait for it instead of fsyncing again. UNAVAILABLE
  // (or RESOURCE_EXHAUSTED) when the fsync fails: the commit's outcome is
  // then unknown (it may survive), writes stop until Resume, and nothing
  // after the last durable commit is published.
  virtual absl::Status AwaitDurable(uint64_t write) = 0;
  // The ticket of the last commit written (0 before the first).
  virtual uint64_t LastWrite() const = 0;

  // Up to `max` change events with sequence > `after`, in order; only
  // published (durable) events, so a reader never sees an event that a
  // crash could take back.
  virtual absl::StatusOr<std::vector<v1::ChangeEvent>> ReadChanges(
      uint64_t after, size_t max) const = 0;
  // The change feed's read path without a parse: appends to `out` the
  // consecutive events after `after`, up to the head published on
  // notifier() (read once, at the start), as the wire bytes of
  // SubscribeResponse's `events` field (each stored ChangeRecord is
  // byte for byte one such field). Stops after `max_events` events, or
  // before the event whose size (ChangeEvent::ByteSizeLong) would take the
  // events' total over `max_bytes`; the first event is always taken. The
  // sequences are checked against the keys: DATA_LOSS on a gap, or on a
  // stored value that is not one framed event.
  virtual absl::StatusOr<RawChanges> ReadChangesRaw(uint64_t after,
                                                    size_t max_events,
                                                    size_t max_bytes,
                                                    std::string* out) const = 0;
  // Publishes the head sequence to change-feed readers.
  // Publishes the durable head sequence to change-feed readers.
  virtual ChangeNotifier& notifier() = 0;
  // Approximate on-disk size of the live data in bytes.
  virtual uint64_t ApproximateSizeBytes() const = 0;

  // Storage-engine figures for monitoring. Thread-safe and cheap.
  virtual EngineStats Engine() const = 0;
  // Records held, by type: counted when the store opens and kept up to
  // date by every commit. Thread-safe and cheap.
  virtual RecordCounts Counts() const = 0;

  // OK while the store can write. After an I/O error (disk full, failing
  // device) RocksDB refuses writes: this returns that error
  // (RESOURCE_EXHAUSTED for a full disk, UNAVAILABLE otherwise) and every
  // commit fails with it, until Resume succeeds. Reads keep working.
  virtual absl::Status WriteStatus() const = 0;
  // Tries to make the store writable again after a write error
  // (RocksDB's DB::Resume: flushes memtables to new files, clears the
  // error). OK when it can write; otherwise why not yet. Cheap when
  // nothing needs recovering; call it periodically while WriteStatus is
  // not OK.
  virtual absl::Status Resume() = 0;
};

// Opens (creating if needed) the ingest store in `dir`. UNAVAILABLE if the
// directory cannot be opened (e.g. locked by another process);
// FAILED_PRECONDITION if it holds a query store or a newer schema.
// Thread-safe: the returned store may be shared by every thread.
absl::StatusOr<std::unique_ptr<IngestStore>> OpenIngestStore(
    const std::string& dir, const StoreOptions& options);

// Writes a consistent copy of the ingest store in `data_dir` (memtables
// flushed; files hard-linked when `target` is on the same file system,
// copied otherwise) into the new directory `target`, a complete store
// usable as a --data_dir: the offline backup of `communique-ingest
// --checkpoint_to`. The store must not be open elsewhere. NOT_FOUND if
// `data_dir` holds no store; UNAVAILABLE while another process holds it
// open or when the copy cannot be written (e.g. `target` exists);
// FAILED_PRECONDITION for a query store or a newer schema. Nothing is left
// in `target` on the first two refusals.
absl::Status WriteCheckpoint(const std::string& data_dir,
                             const std::string& target);

}  // namespace communique::store
