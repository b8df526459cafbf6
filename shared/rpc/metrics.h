// Prometheus metrics for both services: the grpc_server_* families that
// dashboards already know (from a server interceptor), a registry for
// domain metrics, gauges evaluated at scrape time, and the HTTP exposer on
// its own port. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/server_interceptor.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace communique::rpc {

class Metrics {
 public:
  // Starts serving /metrics on `listen_address` ("127.0.0.1:9090"); an
  // empty address collects without serving (tests). UNAVAILABLE if the
  // port cannot be bound.
  static absl::StatusOr<std::unique_ptr<Metrics>> Create(
      const std::string& listen_address);
  ~Metrics();

  // Registry for domain metrics (counters, histograms) of the service.
  prometheus::Registry& registry() { return *registry_; }

  // Adds a gauge whose value `read` returns at each scrape (store sizes,
  // sequences, lag). `read` must be cheap and thread-safe.
  void AddCallbackGauge(const std::string& name, const std::string& help,
                        std::function<double()> read);
  // Adds a gauge family with one label: `read` returns (label value,
  // reading) pairs at each scrape. Same constraints as AddCallbackGauge.
  void AddCallbackGauges(
      const std::string& name, const std::string& help,
      const std::string& label,
      std::function<std::vector<std::pair<std::string, double>>()> read);

  // Interceptor factory to install on the server builder; records
  // grpc_server_started_total, grpc_server_handled_total,
  // grpc_server_handling_seconds, grpc_server_msg_received_total and
  // grpc_server_msg_sent_total, labelled grpc_type/grpc_service/grpc_method
  // (and grpc_code for handled).
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  NewInterceptorFactory();

  // The current metrics in the Prometheus text format.
  std::string Scrape() const;

  // The bound port of the exposer (0 when not serving).
  int port() const { return port_; }

  // Internal to the interceptor.
  struct ServerFamilies {
    prometheus::Family<prometheus::Counter>* started;
    prometheus::Family<prometheus::Counter>* handled;
    prometheus::Family<prometheus::Histogram>* handling_seconds;
    prometheus::Family<prometheus::Counter>* received;
    prometheus::Family<prometheus::Counter>* sent;
  };

 private:
  class Gauges;
  Metrics();

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<Gauges> gauges_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  ServerFamilies families_;
  int port_ = 0;
};

// Storage-engine readings for AddEngineGauges. Plain values: shared/rpc
// knows no store types, so the service copies them from its store's
// statistics (store::EngineStats has the same fields) in the callback.
struct EngineReadings {
  uint64_t live_sst_bytes = 0;
  uint64_t memtable_bytes = 0;
  uint64_t pending_compaction_bytes = 0;
  uint64_t block_cache_hits = 0;
  uint64_t block_cache_misses = 0;
  uint64_t write_stall_micros = 0;
  uint64_t commits = 0;
  uint64_t wal_syncs = 0;
};

// Registers RocksDB gauges read at scrape time from `read`:
// communique_rocksdb_live_sst_bytes, _memtable_bytes,
// _pending_compaction_bytes, _block_cache_hits, _block_cache_misses,
// _block_cache_hit_ratio, _write_stall_seconds and _wal_syncs, and
// communique_store_commits (the cumulative ones count since the store was
// opened). `read` must be cheap and thread-safe; it runs once per gauge at
// each scrape.
void AddEngineGauges(Metrics& metrics, std::function<EngineReadings()> read);

// Record counts for AddRecordGauges; below zero means "not kept by this
// store" (store::RecordCounts has the same fields).
struct RecordReadings {
  int64_t articles = 0;
  int64_t summits = 0;
  int64_t aliases = 0;
  int64_t declarations = 0;
  int64_t initiatives = 0;
};

// Registers communique_store_records{type="article"|"summit"|"alias"|
// "declaration"|"initiative"}, read at scrape time from `read`. Counts
// below zero are left out (the query replica holds no articles and does not
// count aliases). `read` must be cheap and thread-safe.
void AddRecordGauges(Metrics& metrics, std::function<RecordReadings()> read);

}  // namespace communique::rpc
