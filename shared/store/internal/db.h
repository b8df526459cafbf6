// Internal to shared/store: the RocksDB handle with its column families,
// status conversion and small helpers shared by the ingest and query
// stores. Nothing outside shared/store includes this.
#pragma once

#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
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
#include "absl/synchronization/mutex.h"
#include "communique/storage/v1/records.pb.h"
#include "communique/v1/summit.pb.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/listener.h"
#include "rocksdb/options.h"
#include "rocksdb/statistics.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "shared/wire/wire_format.h"
#include "shared/status/status_macros.h"
#include "shared/store/ingest_store.h"
#include "shared/store/query_store.h"
#include "shared/store/rocksdb_options.h"

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
    return absl::ResourceExhaustedError(
        absl::StrCat("disk full: ", message));
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

// The serialized envelope {field 1: `message`} (every storage record
// wraps its resource as field 1), without copying `message` into an
// envelope first: the same bytes Serialize(envelope) gives.
inline std::string SerializeAsField1(const google::protobuf::Message& message) {
  const size_t size = message.ByteSizeLong();
  std::string out;
  out.reserve(size + 6);
  wire::AppendTag(1, wire::kWireLen, &out);
  wire::AppendVarint(size, &out);
  const size_t header = out.size();
  out.resize(header + size);
  message.SerializeWithCachedSizesToArray(
      reinterpret_cast<uint8_t*>(out.data() + header));
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

// Test-only file system (StoreOptions::test_only_disk_full_file): while
// the trigger file exists, appends and preallocations of the store's files
// fail with NoSpace, as they do on a full disk. Files can still be created,
// read, renamed and deleted, as on a real full disk.
class DiskFullFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  DiskFullFileSystem(std::shared_ptr<rocksdb::FileSystem> base,
                     std::string trigger)
      : FileSystemWrapper(std::move(base)), trigger_(std::move(trigger)) {}

  const char* Name() const override { return "CommuniqueDiskFullFileSystem"; }

  rocksdb::IOStatus NewWritableFile(
      const std::string& fname, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s = target()->NewWritableFile(fname, options, &file, dbg);
    if (s.ok()) result->reset(new File(std::move(file), this));
    return s;
  }

  rocksdb::IOStatus ReopenWritableFile(
      const std::string& fname, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s =
        target()->ReopenWritableFile(fname, options, &file, dbg);
    if (s.ok()) result->reset(new File(std::move(file), this));
    return s;
  }

  // Whether the disk is "full" now.
  bool Full() const {
    rocksdb::IOOptions options;
    return target()->FileExists(trigger_, options, nullptr).ok();
  }

 private:
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file,
         const DiskFullFileSystem* fs)
        : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->Full()) return NoSpace();
      return FSWritableFileOwnerWrapper::Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->Full()) return NoSpace();
      return FSWritableFileOwnerWrapper::Append(data, options, info, dbg);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data,
                                       uint64_t offset,
                                       const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* dbg) override {
      if (fs_->Full()) return NoSpace();
      return FSWritableFileOwnerWrapper::PositionedAppend(data, offset,
                                                          options, dbg);
    }
    rocksdb::IOStatus PositionedAppend(
        const rocksdb::Slice& data, uint64_t offset,
        const rocksdb::IOOptions& options,
        const rocksdb::DataVerificationInfo& info,
        rocksdb::IODebugContext* dbg) override {
      if (fs_->Full()) return NoSpace();
      return FSWritableFileOwnerWrapper::PositionedAppend(data, offset,
                                                          options, info, dbg);
    }
    rocksdb::IOStatus Allocate(uint64_t offset, uint64_t len,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override {
      if (fs_->Full()) return NoSpace();
      return FSWritableFileOwnerWrapper::Allocate(offset, len, options, dbg);
    }

   private:
    static rocksdb::IOStatus NoSpace() {
      return rocksdb::IOStatus::NoSpace("injected: No space left on device");
    }
    const DiskFullFileSystem* fs_;
  };

  const std::string trigger_;
};

// RocksDB's info log (the LOG file in the store directory), written with
// plain write(2) and errors ignored. RocksDB's own file logger cannot
// survive a full disk: once one of its writes fails, the next log line
// trips an assertion in RocksDB's WritableFileWriter (Debian's librocksdb
// keeps assertions on) and the process aborts, exactly when RocksDB is
// logging the background error it is about to recover from. Lines that do
// not fit on a full disk are lost; the log resumes when space returns.
class InfoLog final : public rocksdb::Logger {
 public:
  // Logs to `dir`/LOG; the previous LOG is kept as LOG.old.
  explicit InfoLog(const std::string& dir) {
    std::error_code ignored;
    std::filesystem::create_directories(dir, ignored);
    const std::string path = dir + "/LOG";
    std::filesystem::rename(path, path + ".old", ignored);
    fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  }
  ~InfoLog() override {
    if (fd_ >= 0) close(fd_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    if (fd_ < 0) return;
    timeval now;
    gettimeofday(&now, nullptr);
    tm t;
    localtime_r(&now.tv_sec, &t);
    char prefix[64];
    const int n = std::snprintf(
        prefix, sizeof(prefix), "%04d/%02d/%02d-%02d:%02d:%02d.%06ld ",
        t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min,
        t.tm_sec, static_cast<long>(now.tv_usec));
    std::string line(prefix, n > 0 ? n : 0);
    va_list copy;
    va_copy(copy, ap);
    const int size = std::vsnprintf(nullptr, 0, format, copy);
    va_end(copy);
    if (size > 0) {
      const size_t start = line.size();
      line.resize(start + size + 1);
      std::vsnprintf(&line[start], size + 1, format, ap);
      line.resize(start + size);
    }
    if (line.empty() || line.back() != '\n') line.push_back('\n');
    (void)!write(fd_, line.data(), line.size());
  }

 protected:
  rocksdb::Status CloseImpl() override { return rocksdb::Status::OK(); }

 private:
  int fd_ = -1;
};

// Whether the store can write, from the errors RocksDB reports: a failed
// foreground write (the write-ahead log could not be appended) or a
// background error (flush or compaction) severe enough to stop writes.
// RocksDB then refuses every write until DB::Resume() succeeds.
class WriteHealth final : public rocksdb::EventListener {
 public:
  const char* Name() const override { return "CommuniqueWriteHealth"; }

  void OnBackgroundError(rocksdb::BackgroundErrorReason reason,
                         rocksdb::Status* bg_error) override {
    if (bg_error == nullptr || bg_error->ok()) return;
    absl::MutexLock lock(&mu_);
    ++generation_;
    pending_resume_ = true;
    if (bg_error->severity() >= rocksdb::Status::kHardError ||
        bg_error->IsNoSpace()) {
      error_ = FromRocks(*bg_error, "store cannot write");
    }
  }

  // RocksDB's own recovery from NoSpace (its SstFileManager) waits until
  // the disk has a whole write buffer (64 MiB) free, and while it waits
  // DB::Resume() answers Busy: a disk freed by less would never recover.
  // Resume (below, every half second from the service) needs only room for
  // the memtables it flushes, so the service drives recovery instead.
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason reason,
                            rocksdb::Status bg_error,
                            bool* auto_recovery) override {
    if (auto_recovery != nullptr && bg_error.IsNoSpace()) {
      *auto_recovery = false;
    }
  }

  void OnErrorRecoveryEnd(
      const rocksdb::BackgroundErrorRecoveryInfo& info) override {
    if (!info.new_bg_error.ok()) return;
    absl::MutexLock lock(&mu_);
    error_ = absl::OkStatus();
    pending_resume_ = false;
  }

  // A foreground write failed with `status` (an I/O error).
  void WriteFailed(const absl::Status& status) {
    absl::MutexLock lock(&mu_);
    ++generation_;
    pending_resume_ = true;
    error_ = status;
  }

  // OK while the store can write; else the error that stopped writes.
  absl::Status Status() const {
    absl::MutexLock lock(&mu_);
    return error_;
  }

  // Whether a Resume is due, and the error generation it would clear.
  bool NeedsResume(uint64_t* generation) const {
    absl::MutexLock lock(&mu_);
    *generation = generation_;
    return pending_resume_;
  }

  // Resume succeeded: clears the errors unless a new one arrived since
  // `generation` was read.
  void Resumed(uint64_t generation) {
    absl::MutexLock lock(&mu_);
    if (generation != generation_) return;
    error_ = absl::OkStatus();
    pending_resume_ = false;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  bool pending_resume_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

// The RocksDB handle with its column families.
class Db {
 public:
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& dir,
                                                  const StoreOptions& options,
                                                  absl::string_view role) {
    rocksdb::Options db_options = StoreRocksDbOptions(options.block_cache_bytes);
    // Tickers for EngineStats (cache hit ratio, write stalls). Tickers
    // only: the default level also times every Get and iterator step into
    // histograms nobody reads (two clock reads per call on the read path).
    db_options.statistics = rocksdb::CreateDBStatistics();
    db_options.statistics->set_stats_level(
        rocksdb::StatsLevel::kExceptHistogramOrTimers);
    db_options.info_log = std::make_shared<InfoLog>(dir);
    auto health = std::make_shared<WriteHealth>();
    db_options.listeners.push_back(health);
    std::unique_ptr<rocksdb::Env> env;
    if (!options.test_only_disk_full_file.empty()) {
      env = rocksdb::NewCompositeEnv(std::make_shared<DiskFullFileSystem>(
          rocksdb::FileSystem::Default(), options.test_only_disk_full_file));
      db_options.env = env.get();
    }
    // Every family shares the table factory, so one block cache.
    const rocksdb::ColumnFamilyOptions cf_options(db_options);
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    families.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
    for (const char* name : kFamilyNames) families.emplace_back(name, cf_options);
    auto db = std::unique_ptr<Db>(new Db());
    db->sync_ = options.sync_writes;
    db->env_ = std::move(env);
    db->health_ = std::move(health);
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
    db_.reset();  // before env_
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

  // Commits `batch`. While the store cannot write (WriteStatus), fails
  // fast with that error: RESOURCE_EXHAUSTED when the disk is full,
  // UNAVAILABLE for other I/O errors.
  absl::Status Write(rocksdb::WriteBatch* batch) {
    return WriteWithSync(batch, sync_);
  }

  // Commits `batch` to the memtable and the write-ahead log without
  // fsyncing the log: the batch is visible at once and survives a process
  // crash, not a power loss, until a later SyncWal returns OK. How group
  // commit shares one fsync among concurrent commits.
  absl::Status WriteUnsynced(rocksdb::WriteBatch* batch) {
    return WriteWithSync(batch, false);
  }

  // Whether Write fsyncs (StoreOptions::sync_writes).
  bool sync_writes() const { return sync_; }

  // fsyncs the write-ahead log: every batch written before the call is
  // durable when it returns OK. An error stops writes (WriteStatus) until
  // Resume, as a failed Write does, since the log's tail is then unknown.
  absl::Status SyncWal() {
    rocksdb::Status s = db_->SyncWAL();
    absl::Status status = FromRocks(s, "sync write-ahead log");
    if (!s.ok()) health_->WriteFailed(status);
    return status;
  }

  // OK while the store can write; otherwise the error that stopped writes
  // (RESOURCE_EXHAUSTED: disk full; UNAVAILABLE: other I/O errors).
  absl::Status WriteStatus() const { return health_->Status(); }

  // After a write error, asks RocksDB to resume writing (DB::Resume(),
  // which flushes the memtables to new files and clears the error). OK
  // when writes work again (or never stopped); otherwise why not yet (e.g.
  // the disk is still full). Cheap when there is nothing to recover.
  absl::Status Resume() {
    uint64_t generation = 0;
    if (!health_->NeedsResume(&generation)) return absl::OkStatus();
    rocksdb::Status s = db_->Resume();
    // Busy: RocksDB is recovering on its own (its SstFileManager retries
    // after a NoSpace error once space returns); the original error is the
    // better answer meanwhile.
    if (s.IsBusy()) return health_->Status();
    if (!s.ok()) return FromRocks(s, "resume");
    // A failed fsync may have dropped log pages the kernel then considers
    // clean, so the log cannot be trusted to replay what the memtables
    // hold: flush them to SST files before writing again.
    rocksdb::FlushOptions flush;
    flush.wait = true;
    s = db_->Flush(flush, handles_);
    if (!s.ok()) return FromRocks(s, "resume: flush");
    health_->Resumed(generation);
    return health_->Status();
  }

  // A consistent copy of the open store (memtables flushed; files
  // hard-linked when `target` is on the same file system, copied otherwise)
  // in the new directory `target`. UNAVAILABLE with RocksDB's reason if
  // it cannot be written (e.g. `target` exists).
  absl::Status WriteCheckpoint(const std::string& target) {
    rocksdb::Checkpoint* raw_checkpoint = nullptr;
    rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw_checkpoint);
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw_checkpoint);
    if (s.ok()) s = checkpoint->CreateCheckpoint(target);
    if (!s.ok()) return absl::UnavailableError(s.ToString());
    return absl::OkStatus();
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

  absl::Status WriteWithSync(rocksdb::WriteBatch* batch, bool sync) {
    RETURN_IF_ERROR(health_->Status());
    rocksdb::WriteOptions options;
    options.sync = sync;
    rocksdb::Status s = db_->Write(options, batch);
    absl::Status status = FromRocks(s, "commit");
    if (s.IsIOError() || s.IsNoSpace() || s.IsCorruption()) {
      health_->WriteFailed(status);
    }
    return status;
  }

  std::unique_ptr<rocksdb::Env> env_;  // outlives db_
  std::shared_ptr<WriteHealth> health_;
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
