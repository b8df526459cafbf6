// communique-ingest: the write side. Owns the primary RocksDB store, serves
// IngestService and the ChangeFeedService that query replicas follow.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "prometheus/counter.h"
#include "ingest_service/change_feed_server.h"
#include "ingest_service/ingest_pipeline.h"
#include "ingest_service/ingest_server.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/rpc/auth.h"
#include "shared/rpc/config.h"
#include "shared/rpc/log.h"
#include "shared/rpc/metrics.h"
#include "shared/rpc/process_exit.h"
#include "shared/rpc/readiness.h"
#include "shared/rpc/server.h"
#include "shared/rpc/service_flags.h"
#include "shared/rpc/status.h"
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

namespace communique {
namespace {

int Main() {
  if (const std::string target = absl::GetFlag(FLAGS_checkpoint_to);
      !target.empty()) {
    const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
    absl::Status written = store::WriteCheckpoint(data_dir, target);
    if (!written.ok()) rpc::ExitOnStartupError("checkpoint failed", written);
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
  if (!gazetteer.ok()) {
    rpc::ExitOnStartupError("cannot load the gazetteer", gazetteer.status());
  }
  auto extractor = extract::Extractor::Create(*gazetteer);
  if (!extractor.ok()) {
    rpc::ExitOnStartupError("cannot build the extractor", extractor.status());
  }

  store::StoreOptions store_options;
  store_options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  auto store = store::OpenIngestStore(absl::GetFlag(FLAGS_data_dir),
                                      store_options);
  if (!store.ok()) {
    rpc::ExitOnStartupError("cannot open the store", store.status());
  }

  auto metrics = rpc::Metrics::Create(rpc::MetricsListenFromFlags());
  if (!metrics.ok()) {
    rpc::ExitOnStartupError("cannot serve metrics", metrics.status());
  }
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
  rpc::AddEngineGauges(**metrics, [raw_store] {
    const store::EngineStats s = raw_store->Engine();
    return rpc::EngineReadings{s.live_sst_bytes,     s.memtable_bytes,
                               s.pending_compaction_bytes,
                               s.block_cache_hits,   s.block_cache_misses,
                               s.write_stall_micros, s.commits,
                               s.wal_syncs};
  });
  rpc::AddRecordGauges(**metrics, [raw_store] {
    const store::RecordCounts c = raw_store->Counts();
    return rpc::RecordReadings{c.articles, c.summits, c.aliases,
                               c.declarations, c.initiatives};
  });
  (*metrics)->AddCallbackGauge(
      "communique_store_live_bytes",
      "Approximate live bytes of the RocksDB store (SST files + memtables).",
      [raw_store] {
        return static_cast<double>(raw_store->ApproximateSizeBytes());
      });

  auto server_config = rpc::ServerConfigFromFlags(
      absl::GetFlag(FLAGS_listen), metrics->get(),
      {"communique.v1.IngestService", "communique.v1.ChangeFeedService"},
      {{"/communique.v1.IngestService/ParseArticle", rpc::Role::kReader},
       {"/communique.v1.IngestService/GetArticle", rpc::Role::kReader},
       {"/communique.v1.IngestService/ListArticles", rpc::Role::kReader},
       // Every other IngestService method changes the store.
       {"/communique.v1.IngestService/", rpc::Role::kWriter},
       {"/communique.v1.ChangeFeedService/", rpc::Role::kReplica}},
      /*takes_writes=*/true);
  if (!server_config.ok()) {
    rpc::ExitOnStartupError("bad authentication configuration",
                            server_config.status());
  }
  const rpc::ServerConfig& config = server_config->config;
  std::vector<grpc::Service*> services = {&ingest_server, &feed_server};
  auto server = rpc::StartServer(config, services);
  if (!server.ok()) {
    rpc::ExitOnStartupError("cannot start the server", server.status());
  }
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
  rpc::ServeUntilShutdownSignal(*server, [&] {
    store_writable.Stop();
    // Feed streams never end on their own: end them now (UNAVAILABLE, so
    // replicas reconnect elsewhere) instead of holding the drain to its
    // deadline.
    feed_server.Shutdown();
  });
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
