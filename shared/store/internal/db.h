// Internal to shared/store: the RocksDB handle with its column families,
// status conversion and small helpers shared by the ingest and query
// stores. Nothing outside shared/store includes this.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "communique/storage/v1/records.pb.h"
#include "communique/v1/summit.pb.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/statistics.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "shared/status/status_macros.h"
#include "shared/store/ingest_store.h"
#include "shared/store/query_store.h"

namespace communique::store::internal {

namespace sv1 = ::communique::storage::v1;



using ::google::protobuf::util::TimeUtil;

inline constexpr uint32_t kSchemaVersion = 1;
inline constexpr char kSchemaKey[] = "schema";
inline constexpr char kWatermarkKey[] = "applied_sequence";
inline constexpr int kMaxAliasHops = 8;

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
inline const char* const kFamilyNames[kFamilyCount] = {
    "articles", "extractions", "summits",   "declarations",
    "initiatives", "index",    "changelog", "meta"};

// Our Abseil's string_view is its own type, not std::string_view.
inline rocksdb::Slice ToSlice(absl::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}
inline absl::string_view ToView(const rocksdb::Slice& s) {
  return absl::string_view(s.data(), s.size());
}

inline absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
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

inline std::string Serialize(const google::protobuf::Message& message) {
  std::string out;
  message.SerializeToString(&out);
  return out;
}

// Content equality ignoring the store-stamped timestamps.
template <typename Record>
bool SameContent(Record a, Record b) {
  if constexpr (std::is_same_v<Record, v1::Summit>) {
    a.clear_create_time();
    a.clear_update_time();
    b.clear_create_time();
    b.clear_update_time();
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
    // Tickers for EngineStats (cache hit ratio, write stalls); the
    // default statistics level costs little.
    db_options.statistics = rocksdb::CreateDBStatistics();
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
    if (db_ == nullptr) return;  // DB::Open failed: nothing to close
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

  EngineStats Stats() const {
    EngineStats stats;
    for (int f = 0; f < kFamilyCount; ++f) {
      rocksdb::ColumnFamilyHandle* handle = cf(static_cast<Family>(f));
      uint64_t value = 0;
      if (db_->GetIntProperty(handle, "rocksdb.live-sst-files-size", &value)) {
        stats.live_sst_bytes += value;
      }
      if (db_->GetIntProperty(handle, "rocksdb.cur-size-all-mem-tables",
                              &value)) {
        stats.memtable_bytes += value;
      }
      if (db_->GetIntProperty(handle,
                              "rocksdb.estimate-pending-compaction-bytes",
                              &value)) {
        stats.pending_compaction_bytes += value;
      }
    }
    if (rocksdb::Statistics* s = db_->GetOptions().statistics.get()) {
      stats.block_cache_hits = s->getTickerCount(rocksdb::BLOCK_CACHE_HIT);
      stats.block_cache_misses = s->getTickerCount(rocksdb::BLOCK_CACHE_MISS);
      stats.write_stall_micros = s->getTickerCount(rocksdb::STALL_MICROS);
    }
    return stats;
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

inline RecordType TypeOfName(absl::string_view name) {
  if (absl::StrContains(name, "/declarations/")) return RecordType::kDeclaration;
  if (absl::StrContains(name, "/initiatives/")) return RecordType::kInitiative;
  return RecordType::kSummit;
}

inline Family FamilyOf(RecordType type) {
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


}  // namespace communique::store::internal
