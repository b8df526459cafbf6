// RocksDB implementation of QueryStore (a replica's read model).
//
// Column families (DESIGN.md "Storage"): summits, declarations, initiatives
// hold the records as the change feed delivers them; `index` holds the
// posting lists described in keys.h; `meta` the watermark, the posting-list
// counters and, per summit, the index keys that summit and its children own;
// `changelog` the recent summit changes that WatchSummits replays. Every
// apply is one WriteBatch with the WAL on, so records, indexes, counters,
// history and watermark move together.
//
// Index maintenance works per summit "group" (a summit and its
// declarations and initiatives), because a child's keys carry its parent's
// date and organisation and a summit's word list includes its children's
// titles: every event dirties its group, and each dirty group's keys are
// recomputed from the group's new state and diffed against the keys stored
// for it. Keys are a pure function of the records, so the result does not
// depend on how events were batched.
//
// This file is the store itself; its seams live in internal/: index_keys
// (a group's keys, the key lists and counters in `meta`, the chair index),
// query_plan (filters as plans, posting cursors and the leapfrog join),
// envelope (record envelopes read on the one wire reader) and
// summit_history (the history WatchSummits replays, as SummitChange bytes).

#include "shared/store/query_store.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "communique/storage/v1/records.pb.h"
#include "google/protobuf/util/time_util.h"  // internal/db.h uses it
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "shared/schema/names.h"
#include "shared/schema/search.h"
#include "shared/status/status_macros.h"
#include "shared/wire/wire_format.h"
#include "shared/store/internal/db.h"
#include "shared/store/internal/envelope.h"
#include "shared/store/internal/index_keys.h"
#include "shared/store/internal/query_plan.h"
#include "shared/store/internal/summit_history.h"
#include "shared/store/keys.h"

namespace communique::store {
namespace {

namespace sv1 = ::communique::storage::v1;
using namespace ::communique::store::internal;  // NOLINT: our own internals
namespace wire = ::communique::wire;

// ------------------------------------------------------------ the store --

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
    auto store = std::unique_ptr<RocksDbQueryStore>(
        new RocksDbQueryStore(std::move(db), applied));
    RETURN_IF_ERROR(store->ReindexIfNeeded());
    return std::unique_ptr<QueryStore>(std::move(store));
  }

  uint64_t AppliedSequence() const override {
    absl::MutexLock lock(&mu_);
    return applied_;
  }

  absl::Status ApplyChanges(
      const std::vector<v1::ChangeEvent>& events) override {
    // One apply at a time; readers only wait for the short publication at
    // the end, not for the batch to be built and written.
    absl::MutexLock apply_lock(&apply_mu_);
    if (events.empty()) return absl::OkStatus();
    uint64_t applied = 0;
    uint64_t history_floor = 0;
    {
      absl::MutexLock lock(&mu_);
      applied = applied_;
      history_floor = history_floor_;
    }
    rocksdb::WriteBatch batch;
    Overlay overlay;
    std::set<std::string> dirty;
    uint64_t expected = applied + 1;
    for (const v1::ChangeEvent& event : events) {
      if (event.sequence() != expected) {
        return absl::FailedPreconditionError(
            absl::StrFormat("change feed gap: expected sequence %d, got %d",
                            expected, event.sequence()));
      }
      ++expected;
      const RecordType type = TypeOfName(event.name());
      const Family family = FamilyOf(type);
      dirty.insert(GroupOf(event.name()));
      std::optional<std::string> value;
      if (type == RecordType::kSummit) {
        ASSIGN_OR_RETURN(std::optional<std::string> old_bytes,
                         overlay.Get(*db_, kSummits, event.name()));
        RETURN_IF_ERROR(AddHistory(event, old_bytes, &batch));
        if (event.type() != v1::CHANGE_TYPE_DELETE) {
          if (!event.alias_of().empty()) {
            sv1::SummitRecord record;
            record.set_alias_of(event.alias_of());
            value = Serialize(record);
          } else {
            value = SerializeAsField1(event.summit());  // a SummitRecord
          }
        }
      } else if (event.type() != v1::CHANGE_TYPE_DELETE) {
        // The records wrap their resource as field 1: no copy into one.
        if (event.has_declaration()) {
          value = SerializeAsField1(event.declaration());
        } else if (event.has_initiative()) {
          value = SerializeAsField1(event.initiative());
        } else {
          continue;  // an upsert without its resource: nothing to store
        }
      }
      if (value.has_value()) {
        batch.Put(db_->cf(family), event.name(), *value);
      } else {
        batch.Delete(db_->cf(family), event.name());
      }
      overlay.Set(family, event.name(), std::move(value));
    }

    std::map<std::string, int64_t> counter_deltas;
    for (const std::string& group_name : dirty) {
      RETURN_IF_ERROR(Reindex(group_name, overlay, &batch, &counter_deltas));
    }
    RETURN_IF_ERROR(ApplyCounterDeltas(counter_deltas, &batch));

    const uint64_t last = events.back().sequence();
    if (last > kWatchHistorySequences) {
      const uint64_t floor = last - kWatchHistorySequences;
      if (floor > history_floor) {
        batch.DeleteRange(db_->cf(kChangelog), EncodeSequence(0),
                          EncodeSequence(floor + 1));
        batch.Put(db_->cf(kMeta), kHistoryFloorKey, EncodeSequence(floor));
      }
    }
    batch.Put(db_->cf(kMeta), kWatermarkKey, EncodeSequence(last));
    RETURN_IF_ERROR(db_->Write(&batch));
    absl::MutexLock lock(&mu_);
    applied_ = last;
    if (last > kWatchHistorySequences) {
      history_floor_ = std::max(history_floor_, last - kWatchHistorySequences);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> GetSummitBytes(
      absl::string_view name) const override {
    ASSIGN_OR_RETURN(ResolvedSummit summit, ResolveSummit(name));
    if (summit.payload.has_value()) return *std::move(summit.payload);
    return absl::NotFoundError(absl::StrCat("summit ", name, " not found"));
  }

  absl::StatusOr<ListPage<std::string>> ListSummitBytes(
      const SummitQuery& query) const override {
    return ListJoined<sv1::SummitRecord>(SummitPlan(query.filter), kSummits,
                                         query.ascending, query.page_size,
                                         query.resume_after, query.stats);
  }

  absl::StatusOr<std::string> GetDeclarationBytes(
      absl::string_view name) const override {
    return GetChildPayload<sv1::DeclarationRecord>(
        kDeclarations, name, "declaration",
        schema::ParseDeclarationName(name, "name"), &schema::DeclarationName);
  }

  absl::StatusOr<ListPage<std::string>> ListDeclarationBytes(
      const DeclarationQuery& query) const override {
    return ListJoined<sv1::DeclarationRecord>(
        DeclarationPlan(query), kDeclarations, query.ascending, query.page_size,
        query.resume_after, query.stats);
  }

  absl::StatusOr<std::string> GetInitiativeBytes(
      absl::string_view name) const override {
    return GetChildPayload<sv1::InitiativeRecord>(
        kInitiatives, name, "initiative",
        schema::ParseInitiativeName(name, "name"), &schema::InitiativeName);
  }

  absl::StatusOr<ListPage<std::string>> ListInitiativeBytes(
      const InitiativeQuery& query) const override {
    return ListJoined<sv1::InitiativeRecord>(
        InitiativePlan(query), kInitiatives, query.ascending, query.page_size,
        query.resume_after, query.stats);
  }

  absl::StatusOr<ListPage<v1::Chairmanship>> ListChairmanships(
      const ChairmanshipQuery& query) const override {
    const std::string prefix =
        query.organization.empty()
            ? KeyPrefix({kChairs})
            : KeyPrefix({kChairs, IndexTerm(query.organization)});
    // Entries come by organisation, then summit date.
    std::vector<std::pair<std::string, v1::Chairmanship>> all;
    std::string current_org;
    std::vector<v1::Chairmanship> periods;
    auto flush = [&] {
      for (v1::Chairmanship& c : periods) {
        if (!query.country.empty() && !SameText(c.country(), query.country)) {
          continue;
        }
        std::string key =
            JoinKey({IndexTerm(c.organization()), EncodeDateKey(c.start_date()),
                     IndexTerm(c.country())});
        all.emplace_back(std::move(key), std::move(c));
      }
      periods.clear();
    };
    auto it = db_->NewIterator(kIndex);
    for (it->Seek(ToSlice(prefix));
         it->Valid() && absl::StartsWith(ToView(it->key()), prefix);
         it->Next()) {
      if (query.stats != nullptr) ++query.stats->index_entries_read;
      std::vector<std::string> parts = SplitKey(ToView(it->key()));
      if (parts.size() != 8) continue;
      const std::string& org_term = parts[1];
      if (org_term != current_org) {
        flush();
        current_org = org_term;
      }
      AddChairObservation(parts, &periods);
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "index"));
    flush();
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      return a.first < b.first;
    });
    ListPage<v1::Chairmanship> page;
    page.total_size = static_cast<int64_t>(all.size());
    for (auto& [key, chairmanship] : all) {
      if (!query.resume_after.empty() && key <= query.resume_after) continue;
      if (static_cast<int>(page.items.size()) == query.page_size) {
        page.resume_after =
            JoinKey({IndexTerm(page.items.back().organization()),
                     EncodeDateKey(page.items.back().start_date()),
                     IndexTerm(page.items.back().country())});
        break;
      }
      page.items.push_back(std::move(chairmanship));
    }
    return page;
  }

  absl::StatusOr<v1::GetStatsResponse> GetStats() const override {
    v1::GetStatsResponse stats;
    ASSIGN_OR_RETURN(int64_t summits, ReadCounter(KeyPrefix({kSummitAll, ""})));
    ASSIGN_OR_RETURN(int64_t declarations,
                     ReadCounter(KeyPrefix({kDeclarationAll, ""})));
    ASSIGN_OR_RETURN(int64_t initiatives,
                     ReadCounter(KeyPrefix({kInitiativeAll, ""})));
    stats.set_summit_count(summits);
    stats.set_declaration_count(declarations);
    stats.set_initiative_count(initiatives);
    std::map<std::pair<std::string, int>, v1::OrganizationYearCount> counts;
    for (absl::string_view family :
         {kSummitByOrgYear, kDeclarationByOrgYear, kInitiativeByOrgYear}) {
      const std::string prefix = CounterKey(KeyPrefix({family}));
      auto it = db_->NewIterator(kMeta);
      for (it->Seek(ToSlice(prefix));
           it->Valid() && absl::StartsWith(ToView(it->key()), prefix);
           it->Next()) {
        // Key: count \0 family \0 "ORG|yyyy" \0.
        absl::string_view term = ToView(it->key()).substr(prefix.size());
        if (!term.empty() && term.back() == '\0') term.remove_suffix(1);
        const size_t bar = term.rfind('|');
        int year = 0;
        if (bar == absl::string_view::npos ||
            !absl::SimpleAtoi(term.substr(bar + 1), &year)) {
          continue;
        }
        const std::string org(term.substr(0, bar));
        auto count = DecodeSequence(ToView(it->value()));
        if (!count.has_value()) {
          return absl::DataLossError("malformed index counter");
        }
        v1::OrganizationYearCount& c = counts[{org, year}];
        c.set_organization(org);
        c.set_year(year);
        const auto n = static_cast<int64_t>(*count);
        if (family == kSummitByOrgYear) c.set_summit_count(n);
        if (family == kDeclarationByOrgYear) c.set_declaration_count(n);
        if (family == kInitiativeByOrgYear) c.set_initiative_count(n);
      }
      RETURN_IF_ERROR(FromRocks(it->status(), "meta"));
    }
    for (auto& [key, count] : counts) *stats.add_counts() = std::move(count);
    stats.set_store_size_bytes(static_cast<int64_t>(db_->ApproximateSize()));
    stats.set_applied_sequence(AppliedSequence());
    return stats;
  }

  absl::StatusOr<SummitChanges> ReadSummitChanges(
      uint64_t after, const v1::SummitFilter& filter,
      size_t max_events) const override {
    std::string bytes;
    ASSIGN_OR_RETURN(RawSummitChanges raw,
                     ReadSummitChangesRaw(after, filter, max_events, &bytes));
    v1::WatchSummitsResponse response;
    if (!response.ParseFromString(bytes)) {
      return absl::InternalError("summit changes framed wrongly");
    }
    SummitChanges out;
    out.through_sequence = raw.through_sequence;
    out.changes.assign(
        std::make_move_iterator(response.mutable_changes()->begin()),
        std::make_move_iterator(response.mutable_changes()->end()));
    return out;
  }

  absl::StatusOr<RawSummitChanges> ReadSummitChangesRaw(
      uint64_t after, const v1::SummitFilter& filter, size_t max_events,
      std::string* out) const override {
    uint64_t applied = 0;
    uint64_t floor = 0;
    {
      absl::MutexLock lock(&mu_);
      applied = applied_;
      floor = history_floor_;
    }
    if (after < floor) {
      return absl::OutOfRangeError(absl::StrFormat(
          "start_sequence: %d is older than this replica's summit history, "
          "which starts after sequence %d",
          after, floor));
    }
    // An empty filter matches every summit: no plan, no parse.
    const bool match_all = filter.ByteSizeLong() == 0;
    const Plan plan = match_all ? Plan() : SummitPlan(filter);
    const bool needs_children = !filter.text().empty();
    RawSummitChanges result;
    result.through_sequence = after;
    std::string change;
    std::string normalised;  // see ReadHistoryEntry
    auto it = db_->NewIterator(kChangelog);
    size_t examined = 0;
    for (it->Seek(ToSlice(EncodeSequence(after + 1))); it->Valid();
         it->Next()) {
      auto sequence = DecodeSequence(ToView(it->key()));
      if (!sequence.has_value() || *sequence > applied) break;
      if (examined == max_events) break;
      ++examined;
      result.through_sequence = *sequence;
      ASSIGN_OR_RETURN(HistoryEntry entry,
                       ReadHistoryEntry(ToView(it->value()), &normalised));
      if (!entry.summit.has_value()) continue;  // nothing to match a filter on
      if (!match_all) {
        Group group;
        v1::Summit& summit = group.summit.emplace();
        if (!summit.ParseFromArray(entry.summit->data(),
                                   static_cast<int>(entry.summit->size()))) {
          return absl::DataLossError(absl::StrFormat(
              "stored bytes of history %d do not parse", *sequence));
        }
        const std::string name(entry.name);
        if (needs_children) {
          RETURN_IF_ERROR(LoadChildren(name, Overlay(), &group));
        }
        std::set<std::string> prefixes;
        for (const std::string& key : GroupIndexKeys(name, group)) {
          prefixes.insert(std::string(PostingPrefix(key)));
        }
        const std::string suffix =
            JoinKey({EncodeDateKey(summit.date()), name});
        if (!PlanMatchesKeys(plan, suffix, prefixes)) continue;
      }
      change.clear();
      AppendSummitChange(entry, &change);
      wire::AppendLenField(v1::WatchSummitsResponse::kChangesFieldNumber,
                           change, out);
      ++result.count;
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "history"));
    if (examined < max_events) {
      result.through_sequence = std::max(after, applied);
    }
    return result;
  }

  absl::StatusOr<std::string> ExportContents() const override {
    std::string out;
    for (Family family :
         {kSummits, kDeclarations, kInitiatives, kIndex, kChangelog, kMeta}) {
      auto it = db_->NewIterator(family);
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        absl::StrAppend(&out, kFamilyNames[family], "\n",
                        EncodeSequence(it->key().size()), ToView(it->key()),
                        EncodeSequence(it->value().size()),
                        ToView(it->value()));
      }
      RETURN_IF_ERROR(FromRocks(it->status(), kFamilyNames[family]));
    }
    return out;
  }

  EngineStats Engine() const override { return db_->Stats(); }

 private:
  // Records written earlier in the current batch (nullopt = deleted), so
  // that later events and the re-indexing see them.
  class Overlay {
   public:
    void Set(Family family, const std::string& name,
             std::optional<std::string> value) {
      values_[{family, name}] = std::move(value);
    }
    absl::StatusOr<std::optional<std::string>> Get(
        const Db& db, Family family, const std::string& name) const {
      auto it = values_.find({family, name});
      if (it != values_.end()) return it->second;
      return db.Get(family, name);
    }
    // Entries of `family` whose name starts with `prefix`.
    std::vector<std::pair<std::string, std::optional<std::string>>> WithPrefix(
        Family family, const std::string& prefix) const {
      std::vector<std::pair<std::string, std::optional<std::string>>> out;
      for (auto it = values_.lower_bound({family, prefix});
           it != values_.end() && it->first.first == family &&
           absl::StartsWith(it->first.second, prefix);
           ++it) {
        out.emplace_back(it->first.second, it->second);
      }
      return out;
    }

   private:
    std::map<std::pair<Family, std::string>, std::optional<std::string>>
        values_;
  };

  RocksDbQueryStore(std::unique_ptr<Db> db, uint64_t applied)
      : db_(std::move(db)), applied_(applied) {}

  // Writes the history entry of a summit event: the event with the
  // summit's new state (upsert) or last state (delete, merge).
  absl::Status AddHistory(const v1::ChangeEvent& event,
                          const std::optional<std::string>& old_bytes,
                          rocksdb::WriteBatch* batch) {
    const bool replaces =
        event.type() == v1::CHANGE_TYPE_DELETE || !event.alias_of().empty();
    if (!replaces) {
      // A ChangeRecord holding the event, without copying it into one.
      batch->Put(db_->cf(kChangelog), EncodeSequence(event.sequence()),
                 SerializeAsField1(event));
      return absl::OkStatus();
    }
    sv1::ChangeRecord record;
    *record.mutable_event() = event;
    // Deleted or aliased: the history keeps the summit's last state.
    record.mutable_event()->clear_summit();
    if (old_bytes.has_value()) {
      ASSIGN_OR_RETURN(
          auto old, ParseValue<sv1::SummitRecord>(*old_bytes, event.name()));
      if (old.has_summit()) {
        *record.mutable_event()->mutable_summit() = old.summit();
      }
    }
    batch->Put(db_->cf(kChangelog), EncodeSequence(event.sequence()),
               Serialize(record));
    return absl::OkStatus();
  }

  // Reads the children of `group_name` (DB + overlay) into `group`.
  absl::Status LoadChildren(const std::string& group_name,
                            const Overlay& overlay, Group* group) const {
    for (Family family : {kDeclarations, kInitiatives}) {
      const std::string prefix =
          absl::StrCat(group_name, family == kDeclarations ? kDeclarationsInfix
                                                           : kInitiativesInfix);
      std::map<std::string, std::optional<std::string>> children;
      auto it = db_->NewIterator(family);
      for (it->Seek(ToSlice(prefix));
           it->Valid() && absl::StartsWith(ToView(it->key()), prefix);
           it->Next()) {
        children[it->key().ToString()] = it->value().ToString();
      }
      RETURN_IF_ERROR(FromRocks(it->status(), kFamilyNames[family]));
      for (auto& [name, value] : overlay.WithPrefix(family, prefix)) {
        children[name] = std::move(value);
      }
      for (const auto& [name, value] : children) {
        if (!value.has_value()) continue;
        if (family == kDeclarations) {
          ASSIGN_OR_RETURN(auto r,
                           ParseValue<sv1::DeclarationRecord>(*value, name));
          group->declarations.push_back(std::move(*r.mutable_declaration()));
        } else {
          ASSIGN_OR_RETURN(auto r,
                           ParseValue<sv1::InitiativeRecord>(*value, name));
          group->initiatives.push_back(std::move(*r.mutable_initiative()));
        }
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Group> LoadGroup(const std::string& group_name,
                                  const Overlay& overlay) const {
    Group group;
    ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                     overlay.Get(*db_, kSummits, group_name));
    if (bytes.has_value()) {
      ASSIGN_OR_RETURN(auto record,
                       ParseValue<sv1::SummitRecord>(*bytes, group_name));
      if (record.has_summit())
        group.summit = std::move(*record.mutable_summit());
    }
    RETURN_IF_ERROR(LoadChildren(group_name, overlay, &group));
    return group;
  }

  // Recomputes the keys of one group and stages the difference.
  absl::Status Reindex(const std::string& group_name, const Overlay& overlay,
                       rocksdb::WriteBatch* batch,
                       std::map<std::string, int64_t>* counter_deltas) {
    std::vector<std::string> old_keys;
    ASSIGN_OR_RETURN(auto stored, db_->Get(kMeta, GroupKeysKey(group_name)));
    if (stored.has_value()) {
      auto decoded = DecodeKeyList(*stored);
      if (!decoded.has_value()) {
        return absl::DataLossError(
            absl::StrCat("malformed index key list of ", group_name));
      }
      old_keys = std::move(*decoded);
    }
    ASSIGN_OR_RETURN(Group group, LoadGroup(group_name, overlay));
    const std::vector<std::string> new_keys = GroupIndexKeys(group_name, group);
    std::vector<std::string> removed;
    std::vector<std::string> added;
    std::set_difference(old_keys.begin(), old_keys.end(), new_keys.begin(),
                        new_keys.end(), std::back_inserter(removed));
    std::set_difference(new_keys.begin(), new_keys.end(), old_keys.begin(),
                        old_keys.end(), std::back_inserter(added));
    for (const std::string& key : removed) {
      batch->Delete(db_->cf(kIndex), key);
      --(*counter_deltas)[CounterKey(PostingPrefix(key))];
    }
    for (const std::string& key : added) {
      batch->Put(db_->cf(kIndex), key, "");
      ++(*counter_deltas)[CounterKey(PostingPrefix(key))];
    }
    if (removed.empty() && added.empty()) return absl::OkStatus();
    if (new_keys.empty()) {
      batch->Delete(db_->cf(kMeta), GroupKeysKey(group_name));
    } else {
      batch->Put(db_->cf(kMeta), GroupKeysKey(group_name),
                 EncodeKeyList(new_keys));
    }
    return absl::OkStatus();
  }

  absl::Status ApplyCounterDeltas(const std::map<std::string, int64_t>& deltas,
                                  rocksdb::WriteBatch* batch) {
    for (const auto& [key, delta] : deltas) {
      if (delta == 0) continue;
      ASSIGN_OR_RETURN(auto bytes, db_->Get(kMeta, key));
      int64_t count = 0;
      if (bytes.has_value()) {
        auto decoded = DecodeSequence(*bytes);
        if (!decoded.has_value()) {
          return absl::DataLossError("malformed index counter");
        }
        count = static_cast<int64_t>(*decoded);
      }
      count += delta;
      if (count <= 0) {
        batch->Delete(db_->cf(kMeta), key);
      } else {
        batch->Put(db_->cf(kMeta), key,
                   EncodeSequence(static_cast<uint64_t>(count)));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> ReadCounter(absl::string_view posting_prefix) const {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(kMeta, CounterKey(posting_prefix)));
    if (!bytes.has_value()) return 0;
    auto decoded = DecodeSequence(*bytes);
    if (!decoded.has_value()) {
      return absl::DataLossError("malformed index counter");
    }
    return static_cast<int64_t>(*decoded);
  }

  // Leapfrog join of the plan's posting lists over the {date, name}
  // suffix; fetches only the records of the matches it returns, then looks
  // ahead (index only) for one more match to decide whether there is a
  // next page.
  struct ResolvedSummit {
    // The summit's current name and bytes; nullopt when there is none.
    std::string name;
    std::optional<std::string> payload;
  };

  // Follows the aliases merges leave (one hop by construction; bounded by
  // kMaxAliasHops against a damaged store) to the current summit.
  absl::StatusOr<ResolvedSummit> ResolveSummit(absl::string_view name) const {
    ResolvedSummit resolved{std::string(name), std::nullopt};
    for (int hop = 0; hop < kMaxAliasHops; ++hop) {
      ASSIGN_OR_RETURN(auto bytes, db_->Get(kSummits, resolved.name));
      if (!bytes.has_value()) break;
      std::string alias_of;
      ASSIGN_OR_RETURN(resolved.payload,
                       EnvelopePayload<sv1::SummitRecord>(
                           *std::move(bytes), resolved.name, &alias_of));
      if (alias_of.empty()) return resolved;
      resolved.name = std::move(alias_of);
    }
    resolved.payload.reset();
    return resolved;
  }

  // The current name of the child that lists `alias` among its aliases.
  absl::StatusOr<std::optional<std::string>> ChildAliasTarget(
      absl::string_view alias) const {
    const std::string prefix = KeyPrefix({kChildAlias, alias});
    auto it = db_->NewIterator(kIndex);
    it->Seek(ToSlice(prefix));
    if (it->Valid() && absl::StartsWith(ToView(it->key()), prefix)) {
      return std::string(NameOfSuffix(ToView(it->key()).substr(prefix.size())));
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "index"));
    return std::nullopt;
  }

  // The stored bytes of the child `name`, or of the child listing it as
  // an alias.
  absl::StatusOr<std::optional<std::string>> GetChildRecord(
      Family family, absl::string_view name) const {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(family, name));
    if (bytes.has_value()) return bytes;
    ASSIGN_OR_RETURN(std::optional<std::string> target, ChildAliasTarget(name));
    if (!target.has_value()) return std::nullopt;
    return db_->Get(family, *target);
  }

  // A declaration's or initiative's API message bytes. Names clients hold
  // keep working: a child's former names (its `aliases`, from sources that
  // titled it differently) resolve to it, and since children are named
  // under their summit, a name under a former summit name resolves under
  // the summit's current name. NOT_FOUND names `kind`.
  template <typename Record>
  absl::StatusOr<std::string> GetChildPayload(
      Family family, absl::string_view name, absl::string_view kind,
      const absl::StatusOr<schema::ParsedName>& parsed,
      std::string (*child_name)(absl::string_view, absl::string_view)) const {
    ASSIGN_OR_RETURN(auto bytes, GetChildRecord(family, name));
    if (!bytes.has_value() && parsed.ok()) {
      const std::string summit = schema::SummitName(parsed->summit_id);
      ASSIGN_OR_RETURN(ResolvedSummit current, ResolveSummit(summit));
      if (current.payload.has_value() && current.name != summit) {
        ASSIGN_OR_RETURN(
            bytes,
            GetChildRecord(family, child_name(current.name, parsed->child_id)));
      }
    }
    if (bytes.has_value()) {
      ASSIGN_OR_RETURN(std::optional<std::string> payload,
                       EnvelopePayload<Record>(*std::move(bytes), name));
      if (payload.has_value()) return *std::move(payload);
    }
    return absl::NotFoundError(absl::StrCat(kind, " ", name, " not found"));
  }

  template <typename Record>
  absl::StatusOr<ListPage<std::string>> ListJoined(
      const Plan& plan, Family family, bool ascending, int page_size,
      const std::string& resume_after, ReadStats* stats) const {
    ListPage<std::string> page;
    std::vector<PostingCursor> cursors;
    cursors.reserve(plan.prefixes.size());
    for (const std::string& prefix : plan.prefixes) {
      cursors.emplace_back(db_->NewIterator(kIndex), prefix, stats);
    }
    std::string last_returned;
    auto visit = [&](const std::string& suffix) -> absl::StatusOr<bool> {
      if (static_cast<int>(page.items.size()) == page_size) return false;
      const std::string name(NameOfSuffix(suffix));
      ASSIGN_OR_RETURN(auto bytes, db_->Get(family, name));
      if (!bytes.has_value()) return true;
      if (stats != nullptr) ++stats->records_read;
      ASSIGN_OR_RETURN(std::optional<std::string> payload,
                       EnvelopePayload<Record>(*std::move(bytes), name));
      if (payload.has_value()) {
        page.items.push_back(*std::move(payload));
        last_returned = suffix;
      }
      return true;
    };
    ASSIGN_OR_RETURN(const bool more, LeapfrogJoin(plan, cursors, resume_after,
                                                   ascending, visit));
    if (more) page.resume_after = last_returned;
    // total_size (AIP-158 estimate).
    if (resume_after.empty() && !more) {
      page.total_size = static_cast<int64_t>(page.items.size());
    } else {
      int64_t smallest = -1;
      for (const std::string& prefix : plan.prefixes) {
        ASSIGN_OR_RETURN(int64_t count, ReadCounter(prefix));
        if (smallest < 0 || count < smallest) smallest = count;
      }
      page.total_size = std::max<int64_t>(smallest, 0);
    }
    return page;
  }

  // Rebuilds every index key, counter and key list from the stored records
  // when the stored index layout is not the current one (new stores too:
  // then there is nothing to index).
  absl::Status ReindexIfNeeded() {
    absl::MutexLock lock(&mu_);
    ASSIGN_OR_RETURN(auto version, db_->Get(kMeta, kIndexVersionKey));
    ASSIGN_OR_RETURN(auto floor_bytes, db_->Get(kMeta, kHistoryFloorKey));
    if (floor_bytes.has_value()) {
      auto floor = DecodeSequence(*floor_bytes);
      if (!floor.has_value()) {
        return absl::DataLossError("malformed history floor");
      }
      history_floor_ = *floor;
    }
    if (version.has_value() && *version == kIndexVersion) {
      return absl::OkStatus();
    }
    {
      rocksdb::WriteBatch wipe;
      wipe.DeleteRange(db_->cf(kIndex), "", "\xff\xff\xff\xff");
      for (absl::string_view prefix : {kCounterPrefix, kGroupKeysPrefix}) {
        wipe.DeleteRange(db_->cf(kMeta), KeyPrefix({prefix}),
                         absl::StrCat(prefix, "\x01"));
      }
      RETURN_IF_ERROR(db_->Write(&wipe));
    }
    std::set<std::string> groups;
    for (Family family : {kSummits, kDeclarations, kInitiatives}) {
      auto it = db_->NewIterator(family);
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        groups.insert(GroupOf(ToView(it->key())));
      }
      RETURN_IF_ERROR(FromRocks(it->status(), kFamilyNames[family]));
    }
    std::map<std::string, int64_t> deltas;
    rocksdb::WriteBatch batch;
    for (const std::string& group_name : groups) {
      RETURN_IF_ERROR(Reindex(group_name, Overlay(), &batch, &deltas));
      if (batch.Count() > 10000) {
        RETURN_IF_ERROR(db_->Write(&batch));
        batch.Clear();
      }
    }
    RETURN_IF_ERROR(ApplyCounterDeltas(deltas, &batch));
    // History written before this layout is not kept: replays start here.
    batch.DeleteRange(db_->cf(kChangelog), EncodeSequence(0),
                      EncodeSequence(applied_ + 1));
    history_floor_ = applied_;
    batch.Put(db_->cf(kMeta), kHistoryFloorKey, EncodeSequence(applied_));
    batch.Put(db_->cf(kMeta), kIndexVersionKey, kIndexVersion);
    return db_->Write(&batch);
  }

  std::unique_ptr<Db> db_;
  // Serialises ApplyChanges (and the re-index at open).
  absl::Mutex apply_mu_;
  mutable absl::Mutex mu_;
  uint64_t applied_ ABSL_GUARDED_BY(mu_);
  uint64_t history_floor_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

namespace {

template <typename Message>
absl::StatusOr<Message> ParsePayload(absl::StatusOr<std::string> bytes) {
  if (!bytes.ok()) return std::move(bytes).status();
  Message message;
  if (!message.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat(
        "stored ", Message::descriptor()->name(), " bytes do not parse"));
  }
  return message;
}

template <typename Message>
absl::StatusOr<ListPage<Message>> ParsePage(
    absl::StatusOr<ListPage<std::string>> bytes) {
  if (!bytes.ok()) return std::move(bytes).status();
  ListPage<Message> page;
  page.items.reserve(bytes->items.size());
  for (std::string& item : bytes->items) {
    ASSIGN_OR_RETURN(page.items.emplace_back(),
                     ParsePayload<Message>(std::move(item)));
  }
  page.resume_after = std::move(bytes->resume_after);
  page.total_size = bytes->total_size;
  return page;
}

}  // namespace

absl::StatusOr<v1::Summit> QueryStore::GetSummit(absl::string_view name) const {
  return ParsePayload<v1::Summit>(GetSummitBytes(name));
}
absl::StatusOr<ListPage<v1::Summit>> QueryStore::ListSummits(
    const SummitQuery& query) const {
  return ParsePage<v1::Summit>(ListSummitBytes(query));
}
absl::StatusOr<v1::Declaration> QueryStore::GetDeclaration(
    absl::string_view name) const {
  return ParsePayload<v1::Declaration>(GetDeclarationBytes(name));
}
absl::StatusOr<ListPage<v1::Declaration>> QueryStore::ListDeclarations(
    const DeclarationQuery& query) const {
  return ParsePage<v1::Declaration>(ListDeclarationBytes(query));
}
absl::StatusOr<v1::Initiative> QueryStore::GetInitiative(
    absl::string_view name) const {
  return ParsePayload<v1::Initiative>(GetInitiativeBytes(name));
}
absl::StatusOr<ListPage<v1::Initiative>> QueryStore::ListInitiatives(
    const InitiativeQuery& query) const {
  return ParsePage<v1::Initiative>(ListInitiativeBytes(query));
}

absl::StatusOr<std::unique_ptr<QueryStore>> OpenQueryStore(
    const std::string& dir, const StoreOptions& options) {
  return RocksDbQueryStore::Open(dir, options);
}

}  // namespace communique::store
