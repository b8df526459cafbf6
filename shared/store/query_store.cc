// RocksDB implementation of QueryStore (a replica's read model).
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
#include "shared/store/query_store.h"

#include "shared/store/internal/db.h"

namespace communique::store {
namespace {

namespace sv1 = ::communique::storage::v1;
using namespace ::communique::store::internal;  // NOLINT: our own internals

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

absl::StatusOr<std::unique_ptr<QueryStore>> OpenQueryStore(
    const std::string& dir, const StoreOptions& options) {
  return RocksDbQueryStore::Open(dir, options);
}

}  // namespace communique::store
