// RocksDB implementation of IngestStore (the single writer).
//
// Column families (DESIGN.md "Storage"): articles, extractions, summits,
// declarations, initiatives, index, changelog, meta. Values are serialized
// storage/v1 envelopes. Every write path builds one WriteBatch and commits
// it with the WAL on, so a commit is all-or-nothing across families.
// Group commit: commits write their batch unsynced under the writer lock;
// AwaitDurable then fsyncs the log once for every commit written so far,
// outside that lock, and only then publishes their change events.

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "communique/storage/v1/records.pb.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_util.h"
#include "rocksdb/write_batch.h"
#include "shared/status/status_macros.h"
#include "shared/store/keys.h"
#include "shared/store/ingest_store.h"

#include "shared/wire/wire_format.h"
#include "shared/store/internal/db.h"

namespace communique::store {
namespace {

namespace sv1 = ::communique::storage::v1;
using namespace ::communique::store::internal;  // NOLINT: our own internals
namespace wire = ::communique::wire;

// Ingest-store index family of alias pointers, keyed {target, alias}: which
// aliases point at a summit, so they can follow it when it is renamed or
// deleted (alias chains stay one hop long).
constexpr absl::string_view kAliasTargets = "t";

// ---------------------------------------------------------------- ingest --

class RocksDbIngestStore final : public IngestStore {
 public:
  static absl::StatusOr<std::unique_ptr<IngestStore>> Open(
      const std::string& dir, const StoreOptions& options) {
    ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(dir, options, "ingest"));
    uint64_t head = 0;
    auto it = db->NewIterator(kChangelog);
    it->SeekToLast();
    if (it->Valid()) {
      auto sequence = DecodeSequence(ToView(it->key()));
      if (!sequence.has_value()) {
        return absl::DataLossError("change log holds a malformed key");
      }
      head = *sequence;
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "changelog"));
    it.reset();
    ASSIGN_OR_RETURN(RecordCounts counts, CountRecords(*db));
    return std::unique_ptr<IngestStore>(
        new RocksDbIngestStore(std::move(db), head, counts));
  }

  // store::WriteCheckpoint's copy of this open store into `target`.
  absl::Status WriteCheckpoint(const std::string& target) {
    return db_->WriteCheckpoint(target);
  }

  absl::StatusOr<std::optional<v1::Article>> GetArticle(
      absl::string_view name) const override {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(kArticles, name));
    if (!bytes.has_value()) return std::optional<v1::Article>();
    ASSIGN_OR_RETURN(auto record,
                     ParseValue<sv1::ArticleRecord>(*bytes, name));
    return std::optional<v1::Article>(std::move(*record.mutable_article()));
  }

  absl::StatusOr<std::optional<v1::ArticleInput>> GetArticlePage(
      absl::string_view name) const override {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(kArticles, name));
    if (!bytes.has_value()) return std::optional<v1::ArticleInput>();
    ASSIGN_OR_RETURN(auto record,
                     ParseValue<sv1::ArticleRecord>(*bytes, name));
    if (!record.has_page()) return std::optional<v1::ArticleInput>();
    return std::optional<v1::ArticleInput>(std::move(*record.mutable_page()));
  }

  absl::StatusOr<Page<v1::Article>> ListArticles(
      int page_size, absl::string_view resume_after) const override {
    Page<v1::Article> page;
    auto it = db_->NewIterator(kArticles);
    if (resume_after.empty()) {
      it->SeekToFirst();
    } else {
      it->Seek(ToSlice(resume_after));
      if (it->Valid() && ToView(it->key()) == resume_after) it->Next();
    }
    for (; it->Valid(); it->Next()) {
      if (static_cast<int>(page.items.size()) == page_size) {
        page.resume_after = page.items.back().name();
        break;
      }
      ASSIGN_OR_RETURN(auto record, ParseValue<sv1::ArticleRecord>(
                                        it->value().ToString(), "article"));
      record.mutable_article()->clear_text();
      page.items.push_back(std::move(*record.mutable_article()));
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "articles"));
    return page;
  }

  absl::StatusOr<std::vector<std::string>> ArticleClusters(
      absl::string_view name) const override {
    return db_->ScanSuffixes(kIndex, KeyPrefix({kArticleClusters, name}));
  }

  absl::StatusOr<std::vector<v1::ArticleExtraction>> ClusterExtractions(
      absl::string_view cluster) const override {
    ASSIGN_OR_RETURN(auto articles,
                     db_->ScanSuffixes(kIndex,
                                       KeyPrefix({kMembershipIndex, cluster})));
    std::vector<v1::ArticleExtraction> out;
    for (const std::string& article : articles) {
      ASSIGN_OR_RETURN(auto bytes, db_->Get(kExtractions, article));
      if (!bytes.has_value()) {
        return absl::DataLossError(absl::StrCat(
            "index lists ", article, " in a cluster but it has no extraction"));
      }
      ASSIGN_OR_RETURN(auto record,
                       ParseValue<sv1::ExtractionRecord>(*bytes, article));
      out.push_back(std::move(*record.mutable_extraction()));
    }
    return out;
  }

  absl::StatusOr<std::optional<v1::ArticleExtraction>> GetExtraction(
      absl::string_view name) const override {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(kExtractions, name));
    if (!bytes.has_value()) return std::optional<v1::ArticleExtraction>();
    ASSIGN_OR_RETURN(auto record,
                     ParseValue<sv1::ExtractionRecord>(*bytes, name));
    return std::optional<v1::ArticleExtraction>(
        std::move(*record.mutable_extraction()));
  }

  absl::StatusOr<CommitResult> CommitArticle(
      const ArticleCommit& commit) override {
    absl::StatusOr<CommitResult> result;
    {
      absl::MutexLock lock(&write_mu_);
      result = CommitLocked(commit);
    }
    if (result.ok() && commit.await_durable) {
      RETURN_IF_ERROR(AwaitDurable(result->write));
    }
    return result;
  }

  absl::Status AwaitDurable(uint64_t write) override {
    uint64_t target = 0;
    uint64_t target_head = 0;
    {
      absl::MutexLock lock(&sync_mu_);
      while (durable_ < write && syncing_) sync_cv_.Wait(&sync_mu_);
      if (durable_ >= write) return absl::OkStatus();
      // Lead: one fsync for every commit written so far.
      RETURN_IF_ERROR(db_->WriteStatus());
      syncing_ = true;
      target = written_;
      target_head = written_head_;
    }
    absl::Status status = absl::OkStatus();
    if (db_->sync_writes()) {
      status = db_->SyncWal();
      absl::MutexLock lock(&sync_mu_);
      ++wal_syncs_;
    }
    // Published before any waiter returns, so an acknowledged commit's
    // events are already on the change feed.
    if (status.ok()) notifier_.Publish(target_head);
    absl::MutexLock lock(&sync_mu_);
    syncing_ = false;
    if (status.ok()) durable_ = std::max(durable_, target);
    sync_cv_.SignalAll();
    return status;
  }

  uint64_t LastWrite() const override {
    absl::MutexLock lock(&sync_mu_);
    return written_;
  }

  absl::StatusOr<CommitResult> CommitLocked(const ArticleCommit& commit)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    rocksdb::WriteBatch batch;
    const std::string& article = commit.article.name();
    const auto now = TimeUtil::NanosecondsToTimestamp(
        absl::ToUnixNanos(commit.now));
    const bool keep = commit.action == ArticleAction::kPut;
    ASSIGN_OR_RETURN(auto stored_article, db_->Get(kArticles, article));
    Staged staged;
    if (keep && !stored_article.has_value()) staged.counts.articles++;
    if (!keep && stored_article.has_value()) staged.counts.articles--;

    if (keep) {
      sv1::ArticleRecord article_record;
      *article_record.mutable_article() = commit.article;
      if (!commit.page.html().empty()) {
        *article_record.mutable_page() = commit.page;
      }
      batch.Put(db_->cf(kArticles), article, Serialize(article_record));
      sv1::ExtractionRecord extraction_record;
      *extraction_record.mutable_extraction() = commit.extraction;
      extraction_record.set_extractor_version(
          commit.extraction.extractor_version());
      *extraction_record.mutable_extract_time() = now;
      batch.Put(db_->cf(kExtractions), article, Serialize(extraction_record));
    } else {
      batch.Delete(db_->cf(kArticles), article);
      batch.Delete(db_->cf(kExtractions), article);
    }

    // Membership: replace the article's clusters.
    ASSIGN_OR_RETURN(auto old_clusters, ArticleClusters(article));
    for (const std::string& cluster : old_clusters) {
      batch.Delete(db_->cf(kIndex), JoinKey({kArticleClusters, article, cluster}));
      batch.Delete(db_->cf(kIndex), JoinKey({kMembershipIndex, cluster, article}));
    }
    if (keep) {
      for (const std::string& cluster : commit.clusters) {
        batch.Put(db_->cf(kIndex), JoinKey({kArticleClusters, article, cluster}), "");
        batch.Put(db_->cf(kIndex), JoinKey({kMembershipIndex, cluster, article}), "");
      }
    }

    RETURN_IF_ERROR(StageClusters(commit.cluster_records, now, &batch, &staged));
    std::vector<v1::ChangeEvent> events;
    for (auto* part : {&staged.summit_upserts, &staged.alias_events,
                       &staged.child_upserts, &staged.child_deletes,
                       &staged.summit_deletes}) {
      for (v1::ChangeEvent& event : *part) events.push_back(std::move(event));
    }

    uint64_t sequence = head_;
    for (v1::ChangeEvent& event : events) {
      event.set_sequence(++sequence);
      *event.mutable_commit_time() = now;
      sv1::ChangeRecord change;
      *change.mutable_event() = std::move(event);
      batch.Put(db_->cf(kChangelog), EncodeSequence(sequence),
                Serialize(change));
    }
    // Unsynced: AwaitDurable fsyncs once for a group of commits.
    RETURN_IF_ERROR(db_->WriteUnsynced(&batch));
    head_ = sequence;
    uint64_t write = 0;
    {
      absl::MutexLock sync_lock(&sync_mu_);
      write = ++written_;
      written_head_ = head_;
    }
    {
      absl::MutexLock counts_lock(&counts_mu_);
      counts_.articles += staged.counts.articles;
      counts_.summits += staged.counts.summits;
      counts_.aliases += staged.counts.aliases;
      counts_.declarations += staged.counts.declarations;
      counts_.initiatives += staged.counts.initiatives;
    }
    CommitResult result;
    result.sequence = head_;
    result.write = write;
    result.changed_summits.assign(staged.changed_summits.begin(),
                                  staged.changed_summits.end());
    return result;
  }

  absl::StatusOr<std::vector<v1::ChangeEvent>> ReadChanges(
      uint64_t after, size_t max) const override {
    std::vector<v1::ChangeEvent> out;
    // Only what is durable and published: the log may already hold
    // events of commits whose fsync is still pending.
    const uint64_t head = notifier_.head();
    if (head <= after) return out;
    max = std::min<uint64_t>(max, head - after);
    auto it = db_->NewIterator(kChangelog);
    for (it->Seek(EncodeSequence(after + 1)); it->Valid() && out.size() < max;
         it->Next()) {
      ASSIGN_OR_RETURN(auto change, ParseValue<sv1::ChangeRecord>(
                                        it->value().ToString(), "change"));
      if (change.event().sequence() != after + 1 + out.size()) {
        return absl::DataLossError(absl::StrFormat(
            "change log gap: expected sequence %d, found %d",
            after + 1 + out.size(), change.event().sequence()));
      }
      out.push_back(std::move(*change.mutable_event()));
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "changelog"));
    return out;
  }

  absl::StatusOr<RawChanges> ReadChangesRaw(uint64_t after,
                                            size_t max_events,
                                            size_t max_bytes,
                                            std::string* out) const override {
    // Serving the stored values as they are relies on this equality.
    static_assert(static_cast<int>(sv1::ChangeRecord::kEventFieldNumber) ==
                  static_cast<int>(v1::SubscribeResponse::kEventsFieldNumber));
    RawChanges result;
    result.last_sequence = after;
    const uint64_t head = notifier_.head();
    if (after >= head || max_events == 0) return result;
    size_t bytes = 0;
    auto it = db_->NewIterator(kChangelog);
    for (it->Seek(ToSlice(EncodeSequence(after + 1)));
         it->Valid() && result.count < max_events; it->Next()) {
      const uint64_t expected = result.last_sequence + 1;
      if (expected > head) break;
      std::optional<uint64_t> sequence = DecodeSequence(ToView(it->key()));
      if (!sequence.has_value() || *sequence != expected) {
        return absl::DataLossError(absl::StrFormat(
            "change log gap: expected sequence %d, found %s", expected,
            sequence.has_value() ? absl::StrCat(*sequence) : "a bad key"));
      }
      absl::string_view value = ToView(it->value());
      absl::string_view rest = value;
      wire::WireField field;
      if (!wire::ReadField(&rest, &field) || !rest.empty() ||
          field.number != sv1::ChangeRecord::kEventFieldNumber ||
          field.wire_type != wire::kWireLen) {
        return absl::DataLossError(absl::StrFormat(
            "change %d: stored bytes are not one change event", expected));
      }
      if (result.count > 0 && bytes + field.payload.size() > max_bytes) break;
      bytes += field.payload.size();
      out->append(value.data(), value.size());
      ++result.count;
      result.last_sequence = expected;
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "changelog"));
    if (result.count == 0 && after < head) {
      // The head was published, so its events are stored.
      return absl::DataLossError(absl::StrFormat(
          "change log gap: sequence %d is missing", after + 1));
    }
    return result;
  }

  ChangeNotifier& notifier() override { return notifier_; }

  uint64_t ApproximateSizeBytes() const override {
    return db_->ApproximateSize();
  }


  EngineStats Engine() const override {
    EngineStats stats = db_->Stats();
    absl::MutexLock lock(&sync_mu_);
    stats.commits = written_;
    stats.wal_syncs = wal_syncs_;
    return stats;
  }

  RecordCounts Counts() const override {
    absl::MutexLock lock(&counts_mu_);
    return counts_;
  }

  absl::Status WriteStatus() const override { return db_->WriteStatus(); }

  absl::Status Resume() override { return db_->Resume(); }

 private:
  RocksDbIngestStore(std::unique_ptr<Db> db, uint64_t head,
                     RecordCounts counts)
      : db_(std::move(db)),
        head_(head),
        notifier_(head),
        written_head_(head),
        counts_(counts) {}

  // Counts the stored records (at open; commits keep the counts current).
  static absl::StatusOr<RecordCounts> CountRecords(const Db& db) {
    RecordCounts counts;
    auto count_keys = [&db](Family family) -> absl::StatusOr<int64_t> {
      int64_t n = 0;
      auto it = db.NewIterator(family);
      for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
      RETURN_IF_ERROR(FromRocks(it->status(), kFamilyNames[family]));
      return n;
    };
    ASSIGN_OR_RETURN(counts.articles, count_keys(kArticles));
    ASSIGN_OR_RETURN(counts.declarations, count_keys(kDeclarations));
    ASSIGN_OR_RETURN(counts.initiatives, count_keys(kInitiatives));
    auto it = db.NewIterator(kSummits);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ASSIGN_OR_RETURN(auto record, ParseValue<sv1::SummitRecord>(
                                        it->value().ToString(), "summit"));
      ++(record.alias_of().empty() ? counts.summits : counts.aliases);
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "summits"));
    return counts;
  }

  // Change events of one commit, by kind; emitted in the order
  // summits, aliases, children, child deletions, summit deletions, so a
  // replica applying a prefix never holds an alias whose target is missing.
  struct Staged {
    std::vector<v1::ChangeEvent> summit_upserts;
    std::vector<v1::ChangeEvent> alias_events;
    std::vector<v1::ChangeEvent> child_upserts;
    std::vector<v1::ChangeEvent> child_deletes;
    std::vector<v1::ChangeEvent> summit_deletes;
    std::set<std::string> changed_summits;
    // How the commit changes the record counts.
    RecordCounts counts;
  };

  static std::string AliasTargetKey(absl::string_view target,
                                    absl::string_view alias) {
    return JoinKey({kAliasTargets, target, alias});
  }

  // Diffs the new records of `clusters` against what those clusters hold
  // and stages the changes, their index entries and their events. Works on
  // all clusters of the commit at once, so a summit that moves between
  // clusters (its year changed) is an update, and a summit that vanishes
  // from one cluster can become an alias of its successor in another.
  absl::Status StageClusters(
      const std::map<std::string, ClusterRecords>& clusters,
      const google::protobuf::Timestamp& now, rocksdb::WriteBatch* batch,
      Staged* staged) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    // What the clusters hold now: name -> cluster.
    std::map<std::string, std::string> held_summits, held_children;
    for (const auto& [cluster, records] : clusters) {
      ASSIGN_OR_RETURN(
          auto held,
          db_->ScanSuffixes(kIndex, KeyPrefix({kClusterRecords, cluster})));
      for (std::string& name : held) {
        (TypeOfName(name) == RecordType::kSummit ? held_summits
                                                 : held_children)
            .emplace(std::move(name), cluster);
      }
    }
    // What they will hold.
    std::map<std::string, std::pair<const v1::Summit*, std::string>>
        new_summits;
    std::vector<const v1::Summit*> all_new;
    std::set<std::string> new_children;
    for (const auto& [cluster, records] : clusters) {
      for (const v1::Summit& s : records.summits) {
        new_summits[s.name()] = {&s, cluster};
        all_new.push_back(&s);
      }
      for (const auto& d : records.declarations) new_children.insert(d.name());
      for (const auto& i : records.initiatives) new_children.insert(i.name());
    }
    // Re-files `name` under `cluster` in the cluster-record index.
    auto index = [&](const std::string& name, const std::string& cluster,
                     const std::map<std::string, std::string>& held) {
      auto it = held.find(name);
      if (it != held.end() && it->second == cluster) return;
      if (it != held.end()) {
        batch->Delete(db_->cf(kIndex),
                      JoinKey({kClusterRecords, it->second, name}));
      }
      batch->Put(db_->cf(kIndex), JoinKey({kClusterRecords, cluster, name}),
                 "");
    };

    // Canonical summits.
    for (const auto& [name, entry] : new_summits) {
      v1::Summit summit = *entry.first;
      ASSIGN_OR_RETURN(auto old, ReadSummitRecord(name));
      if (!old.alias_of().empty()) {
        batch->Delete(db_->cf(kIndex), AliasTargetKey(old.alias_of(), name));
      }
      index(name, entry.second, held_summits);
      const bool existed = old.has_summit();
      if (!old.alias_of().empty()) staged->counts.aliases--;
      if (!existed) staged->counts.summits++;
      if (existed && SameContent(old.summit(), summit)) continue;
      *summit.mutable_create_time() =
          existed ? old.summit().create_time() : now;
      *summit.mutable_update_time() = now;
      sv1::SummitRecord record;
      *record.mutable_summit() = summit;
      batch->Put(db_->cf(kSummits), name, Serialize(record));
      v1::ChangeEvent event;
      event.set_type(v1::CHANGE_TYPE_UPSERT);
      event.set_name(name);
      *event.mutable_summit() = std::move(summit);
      staged->changed_summits.insert(name);
      staged->summit_upserts.push_back(std::move(event));
    }

    // Aliases: alias name -> target ("" = delete it). Vanished summits and
    // the aliases pointing at them follow the successor sharing most
    // sources; the merge's own aliases then take precedence.
    std::map<std::string, std::string> desired;
    for (const auto& [name, cluster] : held_summits) {
      if (new_summits.count(name) > 0) continue;
      batch->Delete(db_->cf(kIndex), JoinKey({kClusterRecords, cluster, name}));
      ASSIGN_OR_RETURN(auto old, ReadSummitRecord(name));
      const v1::Summit* target = BestAliasTarget(old, all_new);
      std::string to = target == nullptr ? "" : target->name();
      desired[name] = to;
      ASSIGN_OR_RETURN(auto pointing,
                       db_->ScanSuffixes(kIndex, KeyPrefix({kAliasTargets, name})));
      for (const std::string& alias : pointing) {
        if (new_summits.count(alias) == 0) desired[alias] = to;
      }
    }
    for (const v1::Summit* summit : all_new) {
      for (const std::string& alias : summit->aliases()) {
        if (new_summits.count(alias) > 0) continue;
        if (held_summits.count(alias) == 0) {
          // A current summit of a cluster outside this commit keeps its name.
          ASSIGN_OR_RETURN(auto current, ReadSummitRecord(alias));
          if (current.has_summit()) continue;
        }
        desired[alias] = summit->name();
      }
    }
    for (const auto& [alias, target] : desired) {
      ASSIGN_OR_RETURN(auto current, ReadSummitRecord(alias));
      if (current.alias_of() == target && !target.empty()) continue;
      if (!current.has_summit() && current.alias_of().empty() &&
          target.empty()) {
        continue;  // nothing to delete
      }
      if (!current.alias_of().empty()) {
        batch->Delete(db_->cf(kIndex),
                      AliasTargetKey(current.alias_of(), alias));
      }
      if (current.has_summit()) staged->counts.summits--;
      if (!current.alias_of().empty()) staged->counts.aliases--;
      if (!target.empty()) staged->counts.aliases++;
      v1::ChangeEvent event;
      event.set_name(alias);
      if (target.empty()) {
        batch->Delete(db_->cf(kSummits), alias);
        event.set_type(v1::CHANGE_TYPE_DELETE);
        staged->summit_deletes.push_back(std::move(event));
      } else {
        sv1::SummitRecord record;
        record.set_alias_of(target);
        batch->Put(db_->cf(kSummits), alias, Serialize(record));
        batch->Put(db_->cf(kIndex), AliasTargetKey(target, alias), "");
        event.set_type(v1::CHANGE_TYPE_UPSERT);
        event.set_alias_of(target);
        staged->alias_events.push_back(std::move(event));
      }
      staged->changed_summits.insert(alias);
    }

    // Declarations and initiatives: no aliases; they follow their summit.
    for (const auto& [name, cluster] : held_children) {
      if (new_children.count(name) > 0) continue;
      const RecordType type = TypeOfName(name);
      (type == RecordType::kDeclaration ? staged->counts.declarations
                                        : staged->counts.initiatives)--;
      batch->Delete(db_->cf(FamilyOf(type)), name);
      batch->Delete(db_->cf(kIndex), JoinKey({kClusterRecords, cluster, name}));
      v1::ChangeEvent event;
      event.set_type(v1::CHANGE_TYPE_DELETE);
      event.set_name(name);
      staged->child_deletes.push_back(std::move(event));
    }
    for (const auto& [cluster, records] : clusters) {
      for (const v1::Declaration& declaration : records.declarations) {
        index(declaration.name(), cluster, held_children);
        RETURN_IF_ERROR(StageChild<sv1::DeclarationRecord>(
            kDeclarations, declaration, batch, &staged->child_upserts,
            &staged->counts.declarations,
            [](sv1::DeclarationRecord& r) { return r.mutable_declaration(); },
            [](v1::ChangeEvent& e) { return e.mutable_declaration(); }));
      }
      for (const v1::Initiative& initiative : records.initiatives) {
        index(initiative.name(), cluster, held_children);
        RETURN_IF_ERROR(StageChild<sv1::InitiativeRecord>(
            kInitiatives, initiative, batch, &staged->child_upserts,
            &staged->counts.initiatives,
            [](sv1::InitiativeRecord& r) { return r.mutable_initiative(); },
            [](v1::ChangeEvent& e) { return e.mutable_initiative(); }));
      }
    }
    return absl::OkStatus();
  }

  template <typename Record, typename Child, typename RecordField,
            typename EventField>
  absl::Status StageChild(Family family, const Child& child,
                          rocksdb::WriteBatch* batch,
                          std::vector<v1::ChangeEvent>* events,
                          int64_t* count, RecordField record_field,
                          EventField event_field)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(family, child.name()));
    if (bytes.has_value()) {
      ASSIGN_OR_RETURN(auto old, ParseValue<Record>(*bytes, child.name()));
      if (SameContent(*record_field(old), child)) return absl::OkStatus();
    } else {
      ++*count;
    }
    Record record;
    *record_field(record) = child;
    batch->Put(db_->cf(family), child.name(), Serialize(record));
    v1::ChangeEvent event;
    event.set_type(v1::CHANGE_TYPE_UPSERT);
    event.set_name(child.name());
    *event_field(event) = child;
    events->push_back(std::move(event));
    return absl::OkStatus();
  }

  absl::StatusOr<sv1::SummitRecord> ReadSummitRecord(absl::string_view name)
      const {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(kSummits, name));
    if (!bytes.has_value()) return sv1::SummitRecord();
    return ParseValue<sv1::SummitRecord>(*bytes, name);
  }

  // The new summit sharing most source articles with `old`, then the
  // smallest name; nullptr when none shares any.
  static const v1::Summit* BestAliasTarget(
      const sv1::SummitRecord& old,
      const std::vector<const v1::Summit*>& summits) {
    const v1::Summit* best = nullptr;
    size_t best_shared = 0;
    std::set<std::string> old_sources(old.summit().source_articles().begin(),
                                      old.summit().source_articles().end());
    for (const v1::Summit* summit : summits) {
      size_t shared = 0;
      for (const std::string& a : summit->source_articles()) {
        shared += old_sources.count(a);
      }
      if (shared == 0) continue;
      if (shared > best_shared ||
          (shared == best_shared && summit->name() < best->name())) {
        best = summit;
        best_shared = shared;
      }
    }
    return best;
  }

  std::unique_ptr<Db> db_;
  absl::Mutex write_mu_;
  uint64_t head_ ABSL_GUARDED_BY(write_mu_);
  ChangeNotifier notifier_;
  // Group commit: commit tickets written and made durable, the head
  // sequence after the last one written, and whether a caller is
  // fsyncing. Lock order: write_mu_ before sync_mu_.
  mutable absl::Mutex sync_mu_;
  absl::CondVar sync_cv_;
  uint64_t written_ ABSL_GUARDED_BY(sync_mu_) = 0;
  uint64_t written_head_ ABSL_GUARDED_BY(sync_mu_);
  uint64_t durable_ ABSL_GUARDED_BY(sync_mu_) = 0;
  bool syncing_ ABSL_GUARDED_BY(sync_mu_) = false;
  uint64_t wal_syncs_ ABSL_GUARDED_BY(sync_mu_) = 0;
  mutable absl::Mutex counts_mu_;
  RecordCounts counts_ ABSL_GUARDED_BY(counts_mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<IngestStore>> OpenIngestStore(
    const std::string& dir, const StoreOptions& options) {
  return RocksDbIngestStore::Open(dir, options);
}

absl::Status WriteCheckpoint(const std::string& data_dir,
                             const std::string& target) {
  if (!std::filesystem::exists(std::filesystem::path(data_dir) / "CURRENT")) {
    return absl::NotFoundError(
        absl::StrCat("no store in ", data_dir, " (no CURRENT file)"));
  }
  // Opened as the server opens it: RocksDB's lock refuses a store in use,
  // and the schema check a query store or a newer schema.
  ASSIGN_OR_RETURN(std::unique_ptr<IngestStore> store,
                   RocksDbIngestStore::Open(data_dir, StoreOptions()));
  absl::Status written =
      static_cast<RocksDbIngestStore&>(*store).WriteCheckpoint(target);
  if (!written.ok()) {
    return absl::Status(
        written.code(), absl::StrCat("cannot write a checkpoint of ", data_dir,
                                     " to ", target, ": ", written.message()));
  }
  return absl::OkStatus();
}

}  // namespace communique::store
