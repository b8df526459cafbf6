// communique-ingest: the write side. Owns the primary RocksDB store, serves
// IngestService and the ChangeFeedService that query replicas follow.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/str_join.h"
#include "ingest_service/ingest_pipeline.h"
#include "bench/echo_service.h"
#include "ingest_service/ingest_server.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/rpc/auth.h"
#include "shared/rpc/config.h"
#include "shared/rpc/log.h"
#include "shared/rpc/metrics.h"
#include "shared/rpc/process_exit.h"
#include "shared/rpc/readiness.h"
#include "shared/rpc/status.h"
#include "prometheus/counter.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/checkpoint.h"
#include "shared/rpc/server.h"
#include "shared/rpc/service_flags.h"
#include "shared/status/status_macros.h"
#include "shared/store/ingest_store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve on, host:port (port 0 picks a free one).");
ABSL_FLAG(std::string, data_dir, "var/ingest",
          "Directory of the primary RocksDB store (created if missing).");
ABSL_FLAG(std::string, gazetteer, "",
          "Gazetteer textproto to load instead of the built-in one.");
ABSL_FLAG(bool, sync_writes, true,
          "fsync the write-ahead log before acknowledging an ingest.");
ABSL_FLAG(std::string, checkpoint_to, "",
          "One-shot offline backup: write a RocksDB checkpoint of the store in "
          "--data_dir to this new directory (a complete store, usable as a "
          "--data_dir), then exit. The server must be stopped.");
ABSL_FLAG(std::string, test_only_disk_full_file, "",
          "Tests only: while this file exists, the store's file writes fail "
          "as on a full disk (ENOSPC).");

namespace communique {
namespace {

[[noreturn]] void Die(const std::string& what, const absl::Status& status) {
  rpc::Log("fatal", what, {{"error", std::string(status.message())}});
  // gRPC may be running (a server half started): no exit() clean-up.
  rpc::ExitNow(1);
}

// A raw RocksDB handle on every column family of the store in `dir`, for
// --checkpoint_to. Fails (UNAVAILABLE) while another process holds the
// store's lock.
class RawStore {
 public:
  ~RawStore() {
    if (db_ == nullptr) return;
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
    db_->Close().PermitUncheckedError();
  }
  absl::Status Open(const std::string& dir) {
    rocksdb::Options options;
    std::vector<std::string> names;
    rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, dir, &names);
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* raw = nullptr;
    if (s.ok()) s = rocksdb::DB::Open(options, dir, families, &handles_, &raw);
    if (!s.ok()) {
      return absl::UnavailableError(
          absl::StrCat("cannot open store ", dir, ": ", s.ToString()));
    }
    db_.reset(raw);
    return absl::OkStatus();
  }
  rocksdb::DB* db() { return db_.get(); }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// --checkpoint_to: a consistent copy of the store in `data_dir` (memtables
// flushed; files hard-linked when `target` is on the same file system,
// copied otherwise) in the new directory `target`. The store must not be
// open elsewhere: RocksDB's lock makes this fail (UNAVAILABLE) while the
// server runs. Kept here, beside the flag, rather than in shared/store: it
// is an operator's one-shot tool, not something the services call.
absl::Status WriteCheckpoint(const std::string& data_dir,
                             const std::string& target) {
  if (!std::filesystem::exists(std::filesystem::path(data_dir) / "CURRENT")) {
    return absl::NotFoundError(
        absl::StrCat("no store in ", data_dir, " (no CURRENT file)"));
  }
  {
    // The lock first: OpenIngestStore is not asked to fail on it.
    RawStore probe;
    RETURN_IF_ERROR(probe.Open(data_dir));
  }
  {
    // Refuses a query store or a newer schema.
    auto store = store::OpenIngestStore(data_dir, store::StoreOptions());
    if (!store.ok()) return store.status();
  }
  RawStore raw;
  RETURN_IF_ERROR(raw.Open(data_dir));
  rocksdb::Checkpoint* raw_checkpoint = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(raw.db(), &raw_checkpoint);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw_checkpoint);
  if (s.ok()) s = checkpoint->CreateCheckpoint(target);
  if (!s.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot write a checkpoint of ", data_dir, " to ", target, ": ",
        s.ToString()));
  }
  return absl::OkStatus();
}

int Main() {
  if (const std::string target = absl::GetFlag(FLAGS_checkpoint_to);
      !target.empty()) {
    const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
    absl::Status written = WriteCheckpoint(data_dir, target);
    if (!written.ok()) Die("checkpoint failed", written);
    rpc::Log("info", "checkpoint written",
             {{"data_dir", data_dir}, {"checkpoint", target}});
    return 0;
  }
  rpc::BlockShutdownSignals();
  rpc::Log("info", "configuration",
           {{"flags", absl::StrJoin(rpc::EffectiveConfig(), " ")}});
  auto gazetteer = absl::GetFlag(FLAGS_gazetteer).empty()
                       ? gazetteer::Gazetteer::LoadDefault()
                       : gazetteer::Gazetteer::LoadFromFile(
                             absl::GetFlag(FLAGS_gazetteer));
  if (!gazetteer.ok()) Die("cannot load the gazetteer", gazetteer.status());
  auto extractor = extract::Extractor::Create(*gazetteer);
  if (!extractor.ok()) Die("cannot build the extractor", extractor.status());

  store::StoreOptions store_options;
  store_options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  store_options.test_only_disk_full_file =
      absl::GetFlag(FLAGS_test_only_disk_full_file);
  auto store = store::OpenIngestStore(absl::GetFlag(FLAGS_data_dir),
                                      store_options);
  if (!store.ok()) Die("cannot open the store", store.status());

  auto metrics = rpc::Metrics::Create(rpc::MetricsListenFromFlags());
  if (!metrics.ok()) Die("cannot serve metrics", metrics.status());
  auto& ingested = prometheus::BuildCounter()
                       .Name("communique_articles_ingested_total")
                       .Help("Articles ingested, by outcome (created, updated, "
                             "unchanged, or the gRPC code that rejected it).")
                       .Register((*metrics)->registry());
  auto& warnings = prometheus::BuildCounter()
                       .Name("communique_extraction_warnings_total")
                       .Help("Extraction warnings of ingested articles, by kind.")
                       .Register((*metrics)->registry());

  ingest::IngestPipeline::Options pipeline_options;
  pipeline_options.on_ingest =
      [&ingested, &warnings](
          const absl::StatusOr<v1::IngestArticleResponse>& result) {
        if (!result.ok()) {
          ingested
              .Add({{"outcome", rpc::GrpcCodeName(static_cast<grpc::StatusCode>(
                                    result.status().code()))}})
              .Increment();
          return;
        }
        std::string outcome = v1::IngestOutcome_Name(result->outcome());
        ingested.Add({{"outcome", absl::AsciiStrToLower(outcome.substr(15))}})
            .Increment();
        if (result->outcome() == v1::INGEST_OUTCOME_UNCHANGED) return;
        for (const v1::Warning& w : result->warnings()) {
          warnings.Add({{"kind", w.kind()}}).Increment();
        }
      };
  pipeline_options.naming = ingest::NamingRulesFrom(**gazetteer);
  ingest::IngestPipeline pipeline(store->get(), extractor->get(),
                                  std::move(pipeline_options));
  ingest::IngestServer ingest_server(&pipeline, store->get());
  ingest::ChangeFeedServer feed_server(store->get());

  store::IngestStore* raw_store = store->get();
  (*metrics)->AddCallbackGauge(
      "communique_changelog_head_sequence",
      "Sequence of the last change event committed.",
      [raw_store] { return static_cast<double>(raw_store->notifier().head()); });
  rpc::AddEngineGauges(**metrics, [raw_store] { return raw_store->Engine(); });
  rpc::AddRecordGauges(**metrics, [raw_store] { return raw_store->Counts(); });
  (*metrics)->AddCallbackGauge(
      "communique_store_live_bytes",
      "Approximate live bytes of the RocksDB store (SST files + memtables).",
      [raw_store] {
        return static_cast<double>(raw_store->ApproximateSizeBytes());
      });

  rpc::ServerConfig config;
  config.listen_address = absl::GetFlag(FLAGS_listen);
  config.tls = rpc::ServerTlsFromFlags();
  rpc::ApplyLimitFlags(config);
  config.metrics = metrics->get();
  config.enable_channelz = rpc::ChannelzFromFlags();
  config.service_names = {"communique.v1.IngestService",
                          "communique.v1.ChangeFeedService"};
  const rpc::AuthConfig auth_config = rpc::AuthConfigFromFlags();
  rpc::LogSecurityPosture(config.tls, auth_config, /*takes_writes=*/true);
  auto authorizer = rpc::Authorizer::Create(auth_config);
  if (!authorizer.ok()) Die("bad authentication configuration", authorizer.status());
  config.auth_processor = rpc::NewAuthMetadataProcessor(
      authorizer->get(),
      {{"/communique.v1.IngestService/ParseArticle", rpc::Role::kReader},
       {"/communique.v1.IngestService/GetArticle", rpc::Role::kReader},
       {"/communique.v1.IngestService/ListArticles", rpc::Role::kReader},
       // Every other IngestService method changes the store.
       {"/communique.v1.IngestService/", rpc::Role::kWriter},
       {"/communique.v1.ChangeFeedService/", rpc::Role::kReplica},
       {"/communique.bench.v1.EchoService/", rpc::Role::kReader}});
  bench::EchoServer echo_server;
  std::vector<grpc::Service*> services = {&ingest_server, &feed_server};
  if (bench::BenchEchoFromFlags()) services.push_back(&echo_server);
  auto server = rpc::StartServer(config, services);
  if (!server.ok()) Die("cannot start the server", server.status());
  server->SetReady(true);
  // Ready only while the store can write: after a write error (disk full,
  // I/O error) readiness is NOT_SERVING and the store is resumed every
  // half second until it writes again.
  rpc::ReadinessMonitor store_writable(
      &*server, [raw_store] { return raw_store->Resume(); },
      absl::Milliseconds(500));
  rpc::Log("info", "communique-ingest serving",
           {{"port", absl::StrCat(server->port)},
            {"data_dir", absl::GetFlag(FLAGS_data_dir)},
            {"tls", config.tls.insecure ? "off" : "on"},
            {"health_port", absl::StrCat(server->health_port)},
            {"mtls", config.tls.ca_file.empty() ? "off" : "on"},
            {"metrics_port", absl::StrCat((*metrics)->port())},
            {"head_sequence", absl::StrCat((*store)->notifier().head())},
            {"extractor_version", extract::kExtractorVersion}});
  rpc::WritePortFile(server->port);
  std::string signal = rpc::WaitForShutdownSignal();
  rpc::Log("info", "draining", {{"signal", signal}});
  store_writable.Stop();
  // Feed streams never end on their own: end them now (UNAVAILABLE, so
  // replicas reconnect elsewhere) instead of holding the drain to its
  // deadline.
  feed_server.Shutdown();
  rpc::DrainAndStop(*server, rpc::ShutdownDelayFromFlags(),
                    rpc::DrainFromFlags());
  rpc::Log("info", "stopped");
  return 0;
}

}  // namespace
}  // namespace communique

int main(int argc, char** argv) {
  communique::rpc::InitServiceProcess(
      argc, argv,
      "ingest news articles into the Communiqué store.\n"
      "  communique-ingest --data_dir=var/ingest --listen=127.0.0.1:50051 "
      "--tls_cert=server.pem --tls_key=server.key");
  // After flag parsing, which may exit (--help, a bad value) and must not
  // race gRPC's threads. Main's servers, channels and stores are gone when
  // it returns; gRPC shuts down before exit() runs (see process_exit.h).
  communique::rpc::HoldGrpcForProcess();
  communique::rpc::ExitProcess(communique::Main());
}
