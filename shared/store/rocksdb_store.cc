// RocksDB implementations of IngestStore and QueryStore.
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
#include "shared/store/record_store.h"

namespace communique::store {
namespace {

namespace sv1 = ::communique::storage::v1;
using ::google::protobuf::util::TimeUtil;

constexpr uint32_t kSchemaVersion = 1;
constexpr char kSchemaKey[] = "schema";
constexpr char kWatermarkKey[] = "applied_sequence";
constexpr int kMaxAliasHops = 8;

enum Family {
  kArticles = 0,
  kExtractions,
  kSummits,
  kDeclarations,
  kInitiatives,
  kIndex,
  kChangelog,
  kMeta,
  kFamilyCount,
};
const char* const kFamilyNames[kFamilyCount] = {
    "articles", "extractions", "summits",   "declarations",
    "initiatives", "index",    "changelog", "meta"};

// Our Abseil's string_view is its own type, not std::string_view.
rocksdb::Slice ToSlice(absl::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}
absl::string_view ToView(const rocksdb::Slice& s) {
  return absl::string_view(s.data(), s.size());
}

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsNoSpace()) {
    return absl::ResourceExhaustedError(message);
  }
  if (s.IsInvalidArgument() || s.IsNotSupported()) {
    return absl::FailedPreconditionError(message);
  }
  return absl::UnavailableError(message);
}

template <typename Message>
absl::StatusOr<Message> ParseValue(const std::string& bytes,
                                   absl::string_view what) {
  Message message;
  if (!message.ParseFromString(bytes)) {
    return absl::DataLossError(
        absl::StrCat("stored bytes of ", what, " do not parse"));
  }
  return message;
}

std::string Serialize(const google::protobuf::Message& message) {
  std::string out;
  message.SerializeToString(&out);
  return out;
}

// Content equality ignoring the store-stamped timestamps and aliases.
template <typename Record>
bool SameContent(Record a, Record b) {
  if constexpr (std::is_same_v<Record, v1::Summit>) {
    a.clear_create_time();
    a.clear_update_time();
    b.clear_create_time();
    b.clear_update_time();
    a.clear_aliases();
    b.clear_aliases();
  }
  return Serialize(a) == Serialize(b);
}

// The RocksDB handle with its column families.
class Db {
 public:
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& dir,
                                                  const StoreOptions& options,
                                                  absl::string_view role) {
    rocksdb::Options db_options;
    db_options.create_if_missing = true;
    db_options.create_missing_column_families = true;
    db_options.max_background_jobs = 2;
    db_options.keep_log_file_num = 4;
    db_options.max_open_files = 512;
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    rocksdb::ColumnFamilyOptions cf_options;
    cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cf_options.compression = rocksdb::kLZ4Compression;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    families.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
    for (const char* name : kFamilyNames) families.emplace_back(name, cf_options);
    auto db = std::unique_ptr<Db>(new Db());
    db->sync_ = options.sync_writes;
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s =
        rocksdb::DB::Open(db_options, dir, families, &db->handles_, &raw);
    if (!s.ok()) {
      return absl::UnavailableError(absl::StrFormat(
          "cannot open store %s: %s", dir, s.ToString()));
    }
    db->db_.reset(raw);
    RETURN_IF_ERROR(db->CheckSchema(role));
    return db;
  }

  ~Db() {
    for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
    db_->Close().PermitUncheckedError();
  }

  rocksdb::ColumnFamilyHandle* cf(Family family) const {
    return handles_[family + 1];
  }

  // Reads `key`; nullopt if absent.
  absl::StatusOr<std::optional<std::string>> Get(Family family,
                                                 absl::string_view key) const {
    std::string value;
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), cf(family), ToSlice(key), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    RETURN_IF_ERROR(FromRocks(s, kFamilyNames[family]));
    return std::optional<std::string>(std::move(value));
  }

  absl::Status Write(rocksdb::WriteBatch* batch) {
    rocksdb::WriteOptions options;
    options.sync = sync_;
    return FromRocks(db_->Write(options, batch), "commit");
  }

  std::unique_ptr<rocksdb::Iterator> NewIterator(Family family) const {
    return std::unique_ptr<rocksdb::Iterator>(
        db_->NewIterator(rocksdb::ReadOptions(), cf(family)));
  }

  // Keys of `family` that start with `prefix`, with the prefix removed.
  absl::StatusOr<std::vector<std::string>> ScanSuffixes(
      Family family, absl::string_view prefix) const {
    std::vector<std::string> out;
    auto it = NewIterator(family);
    for (it->Seek(ToSlice(prefix));
         it->Valid() && absl::StartsWith(ToView(it->key()), prefix);
         it->Next()) {
      out.emplace_back(it->key().data() + prefix.size(),
                       it->key().size() - prefix.size());
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "scan"));
    return out;
  }

  uint64_t ApproximateSize() const {
    uint64_t total = 0;
    for (int f = 0; f < kFamilyCount; ++f) {
      uint64_t value = 0;
      if (db_->GetIntProperty(cf(static_cast<Family>(f)),
                              "rocksdb.live-sst-files-size", &value)) {
        total += value;
      }
      if (db_->GetIntProperty(cf(static_cast<Family>(f)),
                              "rocksdb.cur-size-all-mem-tables", &value)) {
        total += value;
      }
    }
    return total;
  }

 private:
  Db() = default;

  absl::Status CheckSchema(absl::string_view role) {
    ASSIGN_OR_RETURN(auto bytes, Get(kMeta, kSchemaKey));
    if (!bytes.has_value()) {
      sv1::SchemaInfo info;
      info.set_schema_version(kSchemaVersion);
      info.set_role(std::string(role));
      rocksdb::WriteBatch batch;
      batch.Put(cf(kMeta), kSchemaKey, Serialize(info));
      return Write(&batch);
    }
    ASSIGN_OR_RETURN(auto info, ParseValue<sv1::SchemaInfo>(*bytes, "schema"));
    if (info.role() != role) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "store holds a %s store, not a %s store", info.role(), role));
    }
    if (info.schema_version() > kSchemaVersion) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "store schema version %d is newer than this binary's %d",
          info.schema_version(), kSchemaVersion));
    }
    return absl::OkStatus();
  }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  bool sync_ = true;
};

enum class RecordType { kSummit, kDeclaration, kInitiative };

RecordType TypeOfName(absl::string_view name) {
  if (absl::StrContains(name, "/declarations/")) return RecordType::kDeclaration;
  if (absl::StrContains(name, "/initiatives/")) return RecordType::kInitiative;
  return RecordType::kSummit;
}

Family FamilyOf(RecordType type) {
  switch (type) {
    case RecordType::kSummit:
      return kSummits;
    case RecordType::kDeclaration:
      return kDeclarations;
    case RecordType::kInitiative:
      return kInitiatives;
  }
  return kSummits;
}

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

// ----------------------------------------------------------------- query --

// Index keys of a summit in the query store.
std::vector<std::string> SummitIndexKeys(const v1::Summit& summit) {
  const std::string date = EncodeDateKey(summit.date());
  const std::string& name = summit.name();
  std::vector<std::string> keys;
  keys.push_back(JoinKey({kSummitByDate, date, name}));
  auto add = [&](absl::string_view family, absl::string_view term) {
    if (term.empty()) return;
    keys.push_back(JoinKey({family, IndexTerm(term), date, name}));
  };
  add(kSummitByOrg, summit.organization());
  add(kSummitByYear, absl::StrFormat("%04d", summit.date().year()));
  add(kSummitByCountry, summit.location().country());
  add(kSummitByCity, summit.location().city());
  for (const v1::Participant& p : summit.participants()) {
    add(kSummitByParticipantCountry, p.country());
    add(kSummitByPerson, p.person_id());
    add(kSummitByPerson, p.name());
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

bool EqualsIgnoreCase(absl::string_view a, absl::string_view b) {
  return absl::EqualsIgnoreCase(a, b);  // NOLINT
}

bool MatchesFilter(const v1::Summit& summit, const v1::SummitFilter& f) {
  const int year = summit.date().year();
  if (f.year() != 0 && year != f.year()) return false;
  if (f.min_year() != 0 && year < f.min_year()) return false;
  if (f.max_year() != 0 && year > f.max_year()) return false;
  if (!f.organization().empty() &&
      !EqualsIgnoreCase(summit.organization(), f.organization())) {
    return false;
  }
  if (!f.city().empty() && !EqualsIgnoreCase(summit.location().city(), f.city())) {
    return false;
  }
  if (!f.country().empty() &&
      !EqualsIgnoreCase(summit.location().country(), f.country())) {
    return false;
  }
  if (!f.participant_country().empty() || !f.person().empty()) {
    bool country_ok = f.participant_country().empty();
    bool person_ok = f.person().empty();
    for (const v1::Participant& p : summit.participants()) {
      if (!country_ok && EqualsIgnoreCase(p.country(), f.participant_country())) {
        country_ok = true;
      }
      if (!person_ok && (EqualsIgnoreCase(p.person_id(), f.person()) ||
                         EqualsIgnoreCase(p.name(), f.person()))) {
        person_ok = true;
      }
    }
    if (!country_ok || !person_ok) return false;
  }
  return true;
}

class RocksDbQueryStore final : public QueryStore {
 public:
  static absl::StatusOr<std::unique_ptr<QueryStore>> Open(
      const std::string& dir, const StoreOptions& options) {
    ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(dir, options, "query"));
    ASSIGN_OR_RETURN(auto bytes, db->Get(kMeta, kWatermarkKey));
    uint64_t applied = 0;
    if (bytes.has_value()) {
      auto sequence = DecodeSequence(*bytes);
      if (!sequence.has_value()) {
        return absl::DataLossError("malformed applied-sequence watermark");
      }
      applied = *sequence;
    }
    return std::unique_ptr<QueryStore>(
        new RocksDbQueryStore(std::move(db), applied));
  }

  uint64_t AppliedSequence() const override {
    absl::MutexLock lock(&mu_);
    return applied_;
  }

  absl::Status ApplyChanges(
      const std::vector<v1::ChangeEvent>& events) override {
    absl::MutexLock lock(&mu_);
    if (events.empty()) return absl::OkStatus();
    rocksdb::WriteBatch batch;
    // Records staged earlier in this batch, so that several events about
    // one summit see each other.
    std::map<std::string, std::optional<sv1::SummitRecord>> staged;
    uint64_t expected = applied_ + 1;
    for (const v1::ChangeEvent& event : events) {
      if (event.sequence() != expected) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "change feed gap: expected sequence %d, got %d", expected,
            event.sequence()));
      }
      ++expected;
      const RecordType type = TypeOfName(event.name());
      if (type != RecordType::kSummit) {
        if (event.type() == v1::CHANGE_TYPE_DELETE) {
          batch.Delete(db_->cf(FamilyOf(type)), event.name());
        } else if (event.has_declaration()) {
          sv1::DeclarationRecord record;
          *record.mutable_declaration() = event.declaration();
          batch.Put(db_->cf(kDeclarations), event.name(), Serialize(record));
        } else if (event.has_initiative()) {
          sv1::InitiativeRecord record;
          *record.mutable_initiative() = event.initiative();
          batch.Put(db_->cf(kInitiatives), event.name(), Serialize(record));
        }
        continue;
      }
      std::optional<sv1::SummitRecord> old;
      auto it = staged.find(event.name());
      if (it != staged.end()) {
        old = it->second;
      } else {
        ASSIGN_OR_RETURN(auto bytes, db_->Get(kSummits, event.name()));
        if (bytes.has_value()) {
          ASSIGN_OR_RETURN(old, ParseValue<sv1::SummitRecord>(*bytes,
                                                              event.name()));
        }
      }
      if (old.has_value() && old->has_summit()) {
        for (const std::string& key : SummitIndexKeys(old->summit())) {
          batch.Delete(db_->cf(kIndex), key);
        }
      }
      std::optional<sv1::SummitRecord> next;
      if (event.type() == v1::CHANGE_TYPE_DELETE) {
        batch.Delete(db_->cf(kSummits), event.name());
      } else {
        next.emplace();
        if (!event.alias_of().empty()) {
          next->set_alias_of(event.alias_of());
        } else {
          *next->mutable_summit() = event.summit();
          for (const std::string& key : SummitIndexKeys(event.summit())) {
            batch.Put(db_->cf(kIndex), key, "");
          }
        }
        batch.Put(db_->cf(kSummits), event.name(), Serialize(*next));
      }
      staged[event.name()] = std::move(next);
    }
    const uint64_t last = events.back().sequence();
    batch.Put(db_->cf(kMeta), kWatermarkKey, EncodeSequence(last));
    RETURN_IF_ERROR(db_->Write(&batch));
    applied_ = last;
    return absl::OkStatus();
  }

  absl::StatusOr<v1::Summit> GetSummit(absl::string_view name) const override {
    std::string current(name);
    for (int hop = 0; hop < kMaxAliasHops; ++hop) {
      ASSIGN_OR_RETURN(auto bytes, db_->Get(kSummits, current));
      if (!bytes.has_value()) break;
      ASSIGN_OR_RETURN(auto record,
                       ParseValue<sv1::SummitRecord>(*bytes, current));
      if (record.alias_of().empty()) {
        return std::move(*record.mutable_summit());
      }
      current = record.alias_of();
    }
    return absl::NotFoundError(absl::StrCat("summit ", name, " not found"));
  }

  absl::StatusOr<Page<v1::Summit>> ListSummits(
      const SummitQuery& query) const override {
    const v1::SummitFilter& f = query.filter;
    // Pick the most selective index the filter allows.
    std::string prefix;
    if (!f.person().empty()) {
      prefix = KeyPrefix({kSummitByPerson, IndexTerm(f.person())});
    } else if (!f.participant_country().empty()) {
      prefix = KeyPrefix(
          {kSummitByParticipantCountry, IndexTerm(f.participant_country())});
    } else if (!f.city().empty()) {
      prefix = KeyPrefix({kSummitByCity, IndexTerm(f.city())});
    } else if (!f.country().empty()) {
      prefix = KeyPrefix({kSummitByCountry, IndexTerm(f.country())});
    } else if (!f.organization().empty()) {
      prefix = KeyPrefix({kSummitByOrg, IndexTerm(f.organization())});
    } else {
      prefix = KeyPrefix({kSummitByDate});
    }
    int min_year = f.min_year();
    int max_year = f.max_year();
    if (f.year() != 0) min_year = max_year = f.year();
    const std::string lo =
        prefix + (min_year > 0 ? absl::StrFormat("%04d0000", min_year) : "");
    const std::string hi =
        prefix + (max_year > 0 ? absl::StrFormat("%04d9999\xff", max_year)
                               : std::string("\xff"));

    Page<v1::Summit> page;
    auto it = db_->NewIterator(kIndex);
    if (query.ascending) {
      if (!query.resume_after.empty()) {
        it->Seek(ToSlice(query.resume_after));
        if (it->Valid() && ToView(it->key()) == query.resume_after) it->Next();
      } else {
        it->Seek(lo);
      }
    } else {
      if (!query.resume_after.empty()) {
        it->SeekForPrev(ToSlice(query.resume_after));
        if (it->Valid() && ToView(it->key()) == query.resume_after) it->Prev();
      } else {
        it->SeekForPrev(hi);
      }
    }
    std::string last_key;
    while (it->Valid()) {
      absl::string_view key = ToView(it->key());
      if (!absl::StartsWith(key, prefix) || key < lo || key > hi) break;
      if (static_cast<int>(page.items.size()) == query.page_size) {
        page.resume_after = last_key;
        break;
      }
      std::vector<std::string> parts = SplitKey(key);
      const std::string& name = parts.back();
      ASSIGN_OR_RETURN(auto bytes, db_->Get(kSummits, name));
      if (bytes.has_value()) {
        ASSIGN_OR_RETURN(auto record,
                         ParseValue<sv1::SummitRecord>(*bytes, name));
        if (record.has_summit() && MatchesFilter(record.summit(), f)) {
          page.items.push_back(std::move(*record.mutable_summit()));
          last_key = std::string(key);
        }
      }
      if (query.ascending) {
        it->Next();
      } else {
        it->Prev();
      }
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "index"));
    return page;
  }

  absl::StatusOr<v1::Declaration> GetDeclaration(
      absl::string_view name) const override {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(kDeclarations, name));
    if (!bytes.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("declaration ", name, " not found"));
    }
    ASSIGN_OR_RETURN(auto record,
                     ParseValue<sv1::DeclarationRecord>(*bytes, name));
    return std::move(*record.mutable_declaration());
  }

  absl::StatusOr<Page<v1::Declaration>> ListDeclarations(
      absl::string_view summit_name, v1::DeclarationKind kind, int page_size,
      absl::string_view resume_after) const override {
    return ListChildren<sv1::DeclarationRecord, v1::Declaration>(
        kDeclarations, summit_name, "/declarations/", page_size, resume_after,
        [&](sv1::DeclarationRecord& r) -> v1::Declaration* {
          if (kind != v1::DECLARATION_KIND_UNSPECIFIED &&
              r.declaration().kind() != kind) {
            return nullptr;
          }
          return r.mutable_declaration();
        });
  }

  absl::StatusOr<v1::Initiative> GetInitiative(
      absl::string_view name) const override {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(kInitiatives, name));
    if (!bytes.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("initiative ", name, " not found"));
    }
    ASSIGN_OR_RETURN(auto record,
                     ParseValue<sv1::InitiativeRecord>(*bytes, name));
    return std::move(*record.mutable_initiative());
  }

  absl::StatusOr<Page<v1::Initiative>> ListInitiatives(
      absl::string_view summit_name, absl::string_view proposer_country,
      int page_size, absl::string_view resume_after) const override {
    return ListChildren<sv1::InitiativeRecord, v1::Initiative>(
        kInitiatives, summit_name, "/initiatives/", page_size, resume_after,
        [&](sv1::InitiativeRecord& r) -> v1::Initiative* {
          if (!proposer_country.empty() &&
              !absl::EqualsIgnoreCase(absl::string_view(r.initiative().proposer().country()),
                                proposer_country)) {
            return nullptr;
          }
          return r.mutable_initiative();
        });
  }

 private:
  RocksDbQueryStore(std::unique_ptr<Db> db, uint64_t applied)
      : db_(std::move(db)), applied_(applied) {}

  template <typename Record, typename Item, typename Select>
  absl::StatusOr<Page<Item>> ListChildren(Family family,
                                          absl::string_view summit_name,
                                          absl::string_view collection,
                                          int page_size,
                                          absl::string_view resume_after,
                                          Select select) const {
    const std::string prefix =
        summit_name.empty() ? std::string("summits/")
                            : absl::StrCat(summit_name, collection);
    Page<Item> page;
    auto it = db_->NewIterator(family);
    if (resume_after.empty()) {
      it->Seek(ToSlice(prefix));
    } else {
      it->Seek(ToSlice(resume_after));
      if (it->Valid() && ToView(it->key()) == resume_after) it->Next();
    }
    for (; it->Valid() && absl::StartsWith(ToView(it->key()), prefix);
         it->Next()) {
      ASSIGN_OR_RETURN(auto record,
                       ParseValue<Record>(it->value().ToString(), "record"));
      Item* item = select(record);
      if (item == nullptr) continue;
      if (static_cast<int>(page.items.size()) == page_size) {
        page.resume_after = page.items.back().name();
        break;
      }
      page.items.push_back(std::move(*item));
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "list"));
    return page;
  }

  std::unique_ptr<Db> db_;
  mutable absl::Mutex mu_;
  uint64_t applied_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<IngestStore>> OpenIngestStore(
    const std::string& dir, const StoreOptions& options) {
  return RocksDbIngestStore::Open(dir, options);
}

absl::StatusOr<std::unique_ptr<QueryStore>> OpenQueryStore(
    const std::string& dir, const StoreOptions& options) {
  return RocksDbQueryStore::Open(dir, options);
}

}  // namespace communique::store
