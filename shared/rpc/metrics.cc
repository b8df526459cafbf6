#include "shared/rpc/metrics.h"

#include <chrono>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "prometheus/exposer.h"
#include "prometheus/text_serializer.h"
#include "shared/rpc/status.h"

namespace communique::rpc {

// Gauges read at scrape time.
class Metrics::Gauges : public prometheus::Collectable {
 public:
  void Add(std::string name, std::string help, std::function<double()> read) {
    absl::MutexLock lock(&mu_);
    entries_.push_back(
        {std::move(name), std::move(help), std::move(read), "", nullptr});
  }

  void AddLabelled(std::string name, std::string help, std::string label,
                   std::function<std::vector<std::pair<std::string, double>>()>
                       read) {
    absl::MutexLock lock(&mu_);
    entries_.push_back({std::move(name), std::move(help), nullptr,
                        std::move(label), std::move(read)});
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    absl::MutexLock lock(&mu_);
    std::vector<prometheus::MetricFamily> out;
    for (const Entry& e : entries_) {
      prometheus::MetricFamily family;
      family.name = e.name;
      family.help = e.help;
      family.type = prometheus::MetricType::Gauge;
      if (e.read_labelled != nullptr) {
        for (const auto& [value, reading] : e.read_labelled()) {
          prometheus::ClientMetric metric;
          metric.label.push_back({e.label, value});
          metric.gauge.value = reading;
          family.metric.push_back(std::move(metric));
        }
      } else {
        prometheus::ClientMetric metric;
        metric.gauge.value = e.read();
        family.metric.push_back(std::move(metric));
      }
      out.push_back(std::move(family));
    }
    return out;
  }

 private:
  struct Entry {
    std::string name;
    std::string help;
    std::function<double()> read;
    // Labelled gauges: one series per (label value, reading).
    std::string label;
    std::function<std::vector<std::pair<std::string, double>>()>
        read_labelled;
  };
  mutable absl::Mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
};

namespace {

using grpc::experimental::InterceptionHookPoints;

const char* TypeOf(grpc::experimental::ServerRpcInfo::Type type) {
  using Type = grpc::experimental::ServerRpcInfo::Type;
  switch (type) {
    case Type::UNARY:
      return "unary";
    case Type::CLIENT_STREAMING:
      return "client_stream";
    case Type::SERVER_STREAMING:
      return "server_stream";
    case Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unknown";
}

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(const Metrics::ServerFamilies& families,
                     grpc::experimental::ServerRpcInfo* info)
      : families_(families), start_(std::chrono::steady_clock::now()) {
    // "/communique.v1.QueryService/GetSummit"
    std::vector<std::string> parts =
        absl::StrSplit(info->method(), '/', absl::SkipEmpty());
    labels_["grpc_type"] = TypeOf(info->type());
    labels_["grpc_service"] = parts.size() > 0 ? parts[0] : "";
    labels_["grpc_method"] = parts.size() > 1 ? parts[1] : "";
    families_.started->Add(labels_).Increment();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      families_.received->Add(labels_).Increment();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      families_.sent->Add(labels_).Increment();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      auto handled = labels_;
      handled["grpc_code"] = GrpcCodeName(methods->GetSendStatus().error_code());
      families_.handled->Add(handled).Increment();
      const double seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start_)
                                 .count();
      families_.handling_seconds
          ->Add(labels_, prometheus::Histogram::BucketBoundaries{
                             0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                             0.1, 0.25, 0.5, 1, 2.5, 5, 10})
          .Observe(seconds);
    }
    methods->Proceed();
  }

 private:
  const Metrics::ServerFamilies& families_;
  std::map<std::string, std::string> labels_;
  std::chrono::steady_clock::time_point start_;
};

class MetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(const Metrics::ServerFamilies& families)
      : families_(families) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(families_, info);
  }

 private:
  const Metrics::ServerFamilies& families_;
};

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      gauges_(std::make_shared<Gauges>()) {
  families_.started = &prometheus::BuildCounter()
                           .Name("grpc_server_started_total")
                           .Help("Total number of RPCs started on the server.")
                           .Register(*registry_);
  families_.handled =
      &prometheus::BuildCounter()
           .Name("grpc_server_handled_total")
           .Help("Total number of RPCs completed on the server, by code.")
           .Register(*registry_);
  families_.handling_seconds =
      &prometheus::BuildHistogram()
           .Name("grpc_server_handling_seconds")
           .Help("Response latency (seconds) of RPCs handled by the server.")
           .Register(*registry_);
  families_.received =
      &prometheus::BuildCounter()
           .Name("grpc_server_msg_received_total")
           .Help("Total number of RPC stream messages received on the server.")
           .Register(*registry_);
  families_.sent =
      &prometheus::BuildCounter()
           .Name("grpc_server_msg_sent_total")
           .Help("Total number of gRPC stream messages sent by the server.")
           .Register(*registry_);
}

Metrics::~Metrics() = default;

absl::StatusOr<std::unique_ptr<Metrics>> Metrics::Create(
    const std::string& listen_address) {
  auto metrics = std::unique_ptr<Metrics>(new Metrics());
  if (!listen_address.empty()) {
    try {
      metrics->exposer_ = std::make_unique<prometheus::Exposer>(listen_address);
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("metrics: cannot listen on ", listen_address, ": ",
                       e.what()));
    }
    metrics->exposer_->RegisterCollectable(metrics->registry_);
    metrics->exposer_->RegisterCollectable(metrics->gauges_);
    std::vector<int> ports = metrics->exposer_->GetListeningPorts();
    metrics->port_ = ports.empty() ? 0 : ports.front();
  }
  return metrics;
}

void Metrics::AddCallbackGauge(const std::string& name, const std::string& help,
                               std::function<double()> read) {
  gauges_->Add(name, help, std::move(read));
}

void Metrics::AddCallbackGauges(
    const std::string& name, const std::string& help, const std::string& label,
    std::function<std::vector<std::pair<std::string, double>>()> read) {
  gauges_->AddLabelled(name, help, label, std::move(read));
}

void AddRecordGauges(Metrics& metrics,
                     std::function<RecordReadings()> read) {
  metrics.AddCallbackGauges(
      "communique_store_records",
      "Records held in the store, by type (summit counts canonical summits; "
      "alias counts names of merged summits).",
      "type", [read = std::move(read)] {
        const RecordReadings c = read();
        std::vector<std::pair<std::string, double>> out;
        for (const auto& [type, count] :
             {std::pair<const char*, int64_t>{"article", c.articles},
              {"summit", c.summits},
              {"alias", c.aliases},
              {"declaration", c.declarations},
              {"initiative", c.initiatives}}) {
          if (count >= 0) out.emplace_back(type, double(count));
        }
        return out;
      });
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
Metrics::NewInterceptorFactory() {
  return std::make_unique<MetricsInterceptorFactory>(families_);
}

void AddEngineGauges(Metrics& metrics,
                     std::function<EngineReadings()> read) {
  auto add = [&](const char* name, const char* help,
                 double (*value)(const EngineReadings&)) {
    metrics.AddCallbackGauge(name, help, [read, value] { return value(read()); });
  };
  add("communique_rocksdb_live_sst_bytes", "Bytes of live SST files.",
      [](const EngineReadings& s) { return double(s.live_sst_bytes); });
  add("communique_rocksdb_memtable_bytes", "Bytes held in memtables.",
      [](const EngineReadings& s) { return double(s.memtable_bytes); });
  add("communique_rocksdb_pending_compaction_bytes",
      "Bytes compaction still has to rewrite (estimate).",
      [](const EngineReadings& s) {
        return double(s.pending_compaction_bytes);
      });
  add("communique_rocksdb_block_cache_hits",
      "Block-cache hits since the store was opened.",
      [](const EngineReadings& s) { return double(s.block_cache_hits); });
  add("communique_rocksdb_block_cache_misses",
      "Block-cache misses since the store was opened.",
      [](const EngineReadings& s) { return double(s.block_cache_misses); });
  add("communique_rocksdb_block_cache_hit_ratio",
      "Block-cache hit ratio since the store was opened (0 when unused).",
      [](const EngineReadings& s) {
        const double total = double(s.block_cache_hits + s.block_cache_misses);
        return total > 0 ? double(s.block_cache_hits) / total : 0.0;
      });
  add("communique_rocksdb_write_stall_seconds",
      "Seconds writes were stalled or slowed since the store was opened.",
      [](const EngineReadings& s) { return s.write_stall_micros / 1e6; });
  add("communique_store_commits",
      "Commits written since the store was opened (ingest store).",
      [](const EngineReadings& s) { return double(s.commits); });
  add("communique_rocksdb_wal_syncs",
      "Write-ahead-log fsyncs since the store was opened (ingest store; "
      "concurrent commits share one).",
      [](const EngineReadings& s) { return double(s.wal_syncs); });
}

std::string Metrics::Scrape() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  std::vector<prometheus::MetricFamily> gauges = gauges_->Collect();
  families.insert(families.end(), gauges.begin(), gauges.end());
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace communique::rpc
