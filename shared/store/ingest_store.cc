// RocksDB implementation of IngestStore (the single writer).
//
// Column families (DESIGN.md "Storage"): articles, extractions, summits,
// declarations, initiatives, index, changelog, meta. Values are serialized
// storage/v1 envelopes. Every write path builds one WriteBatch and commits
// it with the WAL on, so a commit is all-or-nothing across families.

#include <algorithm>
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

#include "shared/store/internal/db.h"

namespace communique::store {
namespace {

namespace sv1 = ::communique::storage::v1;
using namespace ::communique::store::internal;  // NOLINT: our own internals

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
    return std::unique_ptr<IngestStore>(
        new RocksDbIngestStore(std::move(db), head));
  }

  absl::StatusOr<std::optional<v1::Article>> GetArticle(
      absl::string_view name) const override {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(kArticles, name));
    if (!bytes.has_value()) return std::optional<v1::Article>();
    ASSIGN_OR_RETURN(auto record,
                     ParseValue<sv1::ArticleRecord>(*bytes, name));
    return std::optional<v1::Article>(std::move(*record.mutable_article()));
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

  absl::StatusOr<CommitResult> CommitArticle(
      const ArticleCommit& commit) override {
    absl::MutexLock lock(&write_mu_);
    rocksdb::WriteBatch batch;
    const std::string& article = commit.article.name();
    const auto now = TimeUtil::NanosecondsToTimestamp(
        absl::ToUnixNanos(commit.now));

    sv1::ArticleRecord article_record;
    *article_record.mutable_article() = commit.article;
    batch.Put(db_->cf(kArticles), article, Serialize(article_record));
    sv1::ExtractionRecord extraction_record;
    *extraction_record.mutable_extraction() = commit.extraction;
    extraction_record.set_extractor_version(
        commit.extraction.extractor_version());
    *extraction_record.mutable_extract_time() = now;
    batch.Put(db_->cf(kExtractions), article, Serialize(extraction_record));

    // Membership: replace the article's clusters.
    ASSIGN_OR_RETURN(auto old_clusters, ArticleClusters(article));
    for (const std::string& cluster : old_clusters) {
      batch.Delete(db_->cf(kIndex), JoinKey({kArticleClusters, article, cluster}));
      batch.Delete(db_->cf(kIndex), JoinKey({kMembershipIndex, cluster, article}));
    }
    for (const std::string& cluster : commit.clusters) {
      batch.Put(db_->cf(kIndex), JoinKey({kArticleClusters, article, cluster}), "");
      batch.Put(db_->cf(kIndex), JoinKey({kMembershipIndex, cluster, article}), "");
    }

    std::vector<v1::ChangeEvent> events;
    std::set<std::string> changed_summits;
    for (const auto& [cluster, records] : commit.cluster_records) {
      RETURN_IF_ERROR(CommitCluster(cluster, records, now, &batch, &events,
                                    &changed_summits));
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
    RETURN_IF_ERROR(db_->Write(&batch));
    head_ = sequence;
    notifier_.Publish(head_);
    CommitResult result;
    result.sequence = head_;
    result.changed_summits.assign(changed_summits.begin(),
                                  changed_summits.end());
    return result;
  }

  absl::StatusOr<std::vector<v1::ChangeEvent>> ReadChanges(
      uint64_t after, size_t max) const override {
    std::vector<v1::ChangeEvent> out;
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

  ChangeNotifier& notifier() override { return notifier_; }

  uint64_t ApproximateSizeBytes() const override {
    return db_->ApproximateSize();
  }

 private:
  RocksDbIngestStore(std::unique_ptr<Db> db, uint64_t head)
      : db_(std::move(db)), head_(head), notifier_(head) {}

  // Diffs one cluster's new records against what it holds and stages the
  // changes, their index entries and their events.
  absl::Status CommitCluster(absl::string_view cluster,
                             const ClusterRecords& records,
                             const google::protobuf::Timestamp& now,
                             rocksdb::WriteBatch* batch,
                             std::vector<v1::ChangeEvent>* events,
                             std::set<std::string>* changed_summits)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    const std::string prefix = KeyPrefix({kClusterRecords, cluster});
    ASSIGN_OR_RETURN(auto held, db_->ScanSuffixes(kIndex, prefix));
    std::set<std::string> held_names(held.begin(), held.end());
    std::set<std::string> new_names;
    for (const auto& s : records.summits) new_names.insert(s.name());
    for (const auto& d : records.declarations) new_names.insert(d.name());
    for (const auto& i : records.initiatives) new_names.insert(i.name());

    // Summits that vanish from a cluster that still has summits become
    // aliases of the surviving summit that shares most of their sources,
    // so names clients hold keep resolving.
    std::map<std::string, std::vector<std::string>> new_aliases;
    for (const std::string& name : held_names) {
      if (new_names.count(name) > 0) continue;
      if (TypeOfName(name) == RecordType::kSummit) {
        ASSIGN_OR_RETURN(auto old, ReadSummitRecord(name));
        const v1::Summit* target = BestAliasTarget(old, records.summits);
        v1::ChangeEvent event;
        event.set_name(name);
        if (target != nullptr) {
          sv1::SummitRecord alias;
          alias.set_alias_of(target->name());
          batch->Put(db_->cf(kSummits), name, Serialize(alias));
          new_aliases[target->name()].push_back(name);
          for (const std::string& a : old.summit().aliases()) {
            new_aliases[target->name()].push_back(a);
          }
          event.set_type(v1::CHANGE_TYPE_UPSERT);
          event.set_alias_of(target->name());
        } else {
          batch->Delete(db_->cf(kSummits), name);
          event.set_type(v1::CHANGE_TYPE_DELETE);
        }
        events->push_back(std::move(event));
        changed_summits->insert(name);
      } else {
        batch->Delete(db_->cf(FamilyOf(TypeOfName(name))), name);
        v1::ChangeEvent event;
        event.set_type(v1::CHANGE_TYPE_DELETE);
        event.set_name(name);
        events->push_back(std::move(event));
      }
      batch->Delete(db_->cf(kIndex), prefix + name);
    }

    for (v1::Summit summit : records.summits) {
      ASSIGN_OR_RETURN(auto old, ReadSummitRecord(summit.name()));
      bool existed = old.has_summit();
      for (const std::string& a : old.summit().aliases()) {
        summit.add_aliases(a);
      }
      for (const std::string& a : new_aliases[summit.name()]) {
        if (a != summit.name()) summit.add_aliases(a);
      }
      std::sort(summit.mutable_aliases()->begin(),
                summit.mutable_aliases()->end());
      summit.mutable_aliases()->erase(
          std::unique(summit.mutable_aliases()->begin(),
                      summit.mutable_aliases()->end()),
          summit.mutable_aliases()->end());
      bool same_aliases =
          std::equal(old.summit().aliases().begin(),
                     old.summit().aliases().end(), summit.aliases().begin(),
                     summit.aliases().end());
      if (existed && SameContent(old.summit(), summit) && same_aliases) {
        continue;
      }
      *summit.mutable_create_time() =
          existed ? old.summit().create_time() : now;
      *summit.mutable_update_time() = now;
      sv1::SummitRecord record;
      *record.mutable_summit() = summit;
      batch->Put(db_->cf(kSummits), summit.name(), Serialize(record));
      batch->Put(db_->cf(kIndex), prefix + summit.name(), "");
      v1::ChangeEvent event;
      event.set_type(v1::CHANGE_TYPE_UPSERT);
      event.set_name(summit.name());
      *event.mutable_summit() = std::move(summit);
      changed_summits->insert(event.name());
      events->push_back(std::move(event));
    }
    for (const v1::Declaration& declaration : records.declarations) {
      RETURN_IF_ERROR(StageChild<sv1::DeclarationRecord>(
          kDeclarations, declaration, prefix, batch, events,
          [](sv1::DeclarationRecord& r) { return r.mutable_declaration(); },
          [](v1::ChangeEvent& e) { return e.mutable_declaration(); }));
    }
    for (const v1::Initiative& initiative : records.initiatives) {
      RETURN_IF_ERROR(StageChild<sv1::InitiativeRecord>(
          kInitiatives, initiative, prefix, batch, events,
          [](sv1::InitiativeRecord& r) { return r.mutable_initiative(); },
          [](v1::ChangeEvent& e) { return e.mutable_initiative(); }));
    }
    return absl::OkStatus();
  }

  template <typename Record, typename Child, typename RecordField,
            typename EventField>
  absl::Status StageChild(Family family, const Child& child,
                          const std::string& prefix,
                          rocksdb::WriteBatch* batch,
                          std::vector<v1::ChangeEvent>* events,
                          RecordField record_field, EventField event_field)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(family, child.name()));
    if (bytes.has_value()) {
      ASSIGN_OR_RETURN(auto old, ParseValue<Record>(*bytes, child.name()));
      if (SameContent(*record_field(old), child)) return absl::OkStatus();
    }
    Record record;
    *record_field(record) = child;
    batch->Put(db_->cf(family), child.name(), Serialize(record));
    batch->Put(db_->cf(kIndex), prefix + child.name(), "");
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

  static const v1::Summit* BestAliasTarget(
      const sv1::SummitRecord& old, const std::vector<v1::Summit>& summits) {
    const v1::Summit* best = nullptr;
    size_t best_shared = 0;
    std::set<std::string> old_sources(old.summit().source_articles().begin(),
                                      old.summit().source_articles().end());
    for (const v1::Summit& summit : summits) {
      size_t shared = 0;
      for (const std::string& a : summit.source_articles()) {
        shared += old_sources.count(a);
      }
      if (shared > best_shared ||
          (shared == best_shared && shared > 0 && best != nullptr &&
           summit.name() < best->name())) {
        best = &summit;
        best_shared = shared;
      }
    }
    return best;
  }

  std::unique_ptr<Db> db_;
  absl::Mutex write_mu_;
  uint64_t head_ ABSL_GUARDED_BY(write_mu_);
  ChangeNotifier notifier_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<IngestStore>> OpenIngestStore(
    const std::string& dir, const StoreOptions& options) {
  return RocksDbIngestStore::Open(dir, options);
}

}  // namespace communique::store
