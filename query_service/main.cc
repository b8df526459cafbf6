// communique-query: the read side. Follows the ingest service's change feed
// into its own RocksDB read model and serves QueryService.

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/strings/str_join.h"
#include "bench/echo_service.h"
#include "grpcpp/grpcpp.h"
#include "query_service/feed_follower.h"
#include "query_service/query_server.h"
#include "query_service/summit_watch.h"
#include "shared/rpc/auth.h"
#include "shared/rpc/config.h"
#include "shared/rpc/log.h"
#include "shared/rpc/metrics.h"
#include "shared/rpc/process_exit.h"
#include "shared/rpc/server.h"
#include "shared/rpc/service_flags.h"
#include "shared/store/query_store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50052",
          "Address to serve on, host:port (port 0 picks a free one).");
ABSL_FLAG(std::string, data_dir, "var/query",
          "Directory of this replica's RocksDB read model (created if "
          "missing; it can always be rebuilt from the change feed).");
ABSL_FLAG(std::string, upstream, "127.0.0.1:50051",
          "Address of the ingest service whose change feed to follow.");
ABSL_FLAG(std::string, upstream_ca, "",
          "PEM CA that signs the ingest service's certificate (empty: system "
          "roots).");
ABSL_FLAG(std::string, upstream_cert, "",
          "PEM client certificate for mTLS to the ingest service.");
ABSL_FLAG(std::string, upstream_key, "",
          "PEM client key for mTLS to the ingest service.");
ABSL_FLAG(std::string, upstream_token_file, "",
          "File whose token is sent to the ingest service as the replica's "
          "bearer token (re-read when it changes).");
ABSL_FLAG(std::string, upstream_authority, "",
          "Override of the TLS authority (server name) of the upstream.");
ABSL_FLAG(bool, sync_writes, false,
          "fsync the replica's WAL on each apply (the replica can be "
          "rebuilt from the feed, so the default favours speed).");

namespace communique {
namespace {

[[noreturn]] void Die(const std::string& what, const absl::Status& status) {
  rpc::Log("fatal", what, {{"error", std::string(status.message())}});
  // gRPC may be running (a server half started): no exit() clean-up.
  rpc::ExitNow(1);
}

int Main() {
  rpc::BlockShutdownSignals();
  rpc::Log("info", "configuration",
           {{"flags", absl::StrJoin(rpc::EffectiveConfig(), " ")}});
  store::StoreOptions store_options;
  store_options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  auto store =
      store::OpenQueryStore(absl::GetFlag(FLAGS_data_dir), store_options);
  if (!store.ok()) Die("cannot open the store", store.status());

  rpc::TlsConfig upstream_tls;
  upstream_tls.insecure = rpc::ServerTlsFromFlags().insecure;
  upstream_tls.bearer_token_file = absl::GetFlag(FLAGS_upstream_token_file);
  upstream_tls.ca_file = absl::GetFlag(FLAGS_upstream_ca);
  upstream_tls.cert_file = absl::GetFlag(FLAGS_upstream_cert);
  upstream_tls.key_file = absl::GetFlag(FLAGS_upstream_key);
  auto channel_credentials = rpc::MakeChannelCredentials(upstream_tls);
  if (!channel_credentials.ok()) {
    Die("bad upstream TLS configuration", channel_credentials.status());
  }
  grpc::ChannelArguments channel_args;
  if (!absl::GetFlag(FLAGS_upstream_authority).empty()) {
    channel_args.SetSslTargetNameOverride(
        absl::GetFlag(FLAGS_upstream_authority));
  }
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 20000);
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  channel_args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 << 20);
  auto channel = grpc::CreateCustomChannel(absl::GetFlag(FLAGS_upstream),
                                           *channel_credentials, channel_args);

  query::FeedFollower follower(channel, store->get());
  query::WatchHub watches(store->get(), &follower.applied_notifier());
  query::QueryServer query_server(store->get(), &follower, &watches);

  auto metrics = rpc::Metrics::Create(rpc::MetricsListenFromFlags());
  if (!metrics.ok()) Die("cannot serve metrics", metrics.status());
  query::FeedFollower* raw_follower = &follower;
  store::QueryStore* raw_store = store->get();
  rpc::AddEngineGauges(**metrics, [raw_store] { return raw_store->Engine(); });
  // From the counters GetStats keeps with the index; the replica holds no
  // articles and does not count aliases (the ingest service reports both).
  rpc::AddRecordGauges(**metrics, [raw_store] {
    store::RecordCounts counts;
    counts.articles = counts.aliases = -1;
    auto stats = raw_store->GetStats();
    if (!stats.ok()) {
      counts.summits = counts.declarations = counts.initiatives = -1;
      return counts;
    }
    counts.summits = stats->summit_count();
    counts.declarations = stats->declaration_count();
    counts.initiatives = stats->initiative_count();
    return counts;
  });
  (*metrics)->AddCallbackGauge(
      "communique_replica_applied_sequence",
      "Sequence of the last change event this replica applied.",
      [raw_follower] {
        return static_cast<double>(raw_follower->status().applied_sequence);
      });
  (*metrics)->AddCallbackGauge(
      "communique_replica_lag_seconds",
      "While behind the upstream: seconds since the commit of the last "
      "change applied (an upper bound on staleness); 0 when caught up.",
      [raw_follower] {
        query::FollowerStatus s = raw_follower->status();
        if (s.upstream_head <= s.applied_sequence ||
            s.last_commit_time == absl::InfinitePast()) {
          return 0.0;
        }
        return absl::ToDoubleSeconds(absl::Now() - s.last_commit_time);
      });
  (*metrics)->AddCallbackGauge(
      "communique_replica_lag_events",
      "Change events the upstream has and this replica has not applied.",
      [raw_follower] {
        query::FollowerStatus s = raw_follower->status();
        return s.upstream_head > s.applied_sequence
                   ? static_cast<double>(s.upstream_head - s.applied_sequence)
                   : 0.0;
      });

  rpc::ServerConfig config;
  config.listen_address = absl::GetFlag(FLAGS_listen);
  config.tls = rpc::ServerTlsFromFlags();
  rpc::ApplyLimitFlags(config);
  config.metrics = metrics->get();
  config.enable_channelz = rpc::ChannelzFromFlags();
  config.service_names = {"communique.v1.QueryService"};
  const rpc::AuthConfig auth_config = rpc::AuthConfigFromFlags();
  rpc::LogSecurityPosture(config.tls, auth_config, /*takes_writes=*/false);
  auto authorizer = rpc::Authorizer::Create(auth_config);
  if (!authorizer.ok()) Die("bad authentication configuration", authorizer.status());
  config.auth_processor = rpc::NewAuthMetadataProcessor(
      authorizer->get(),
      {{"/communique.v1.QueryService/", rpc::Role::kReader},
       {"/communique.bench.v1.EchoService/", rpc::Role::kReader}});
  bench::EchoServer echo_server;
  std::vector<grpc::Service*> services = {&query_server};
  if (bench::BenchEchoFromFlags()) services.push_back(&echo_server);
  auto server = rpc::StartServer(config, services);
  if (!server.ok()) Die("cannot start the server", server.status());
  rpc::RunningServer* running = &*server;
  follower.OnCaughtUp([running, &follower] {
    running->SetReady(true);
    rpc::Log("info", "caught up with the change feed; ready",
             {{"applied_sequence",
               absl::StrCat(follower.status().applied_sequence)}});
  });
  follower.Start();
  rpc::Log("info", "communique-query serving",
           {{"port", absl::StrCat(server->port)},
            {"data_dir", absl::GetFlag(FLAGS_data_dir)},
            {"upstream", absl::GetFlag(FLAGS_upstream)},
            {"applied_sequence", absl::StrCat((*store)->AppliedSequence())},
            {"tls", config.tls.insecure ? "off" : "on"},
            {"health_port", absl::StrCat(server->health_port)},
            {"metrics_port", absl::StrCat((*metrics)->port())}});
  rpc::WritePortFile(server->port);
  std::string signal = rpc::WaitForShutdownSignal();
  rpc::Log("info", "draining", {{"signal", signal}});
  server->SetReady(false);
  follower.Stop();
  // Watch streams never end on their own: end them now (UNAVAILABLE, so
  // clients resume elsewhere) instead of holding the drain to its deadline.
  watches.Shutdown();
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
      "serve summits, declarations and initiatives from a "
      "replica that follows the ingest service.\n"
      "  communique-query --upstream=127.0.0.1:50051 --data_dir=var/query");
  // After flag parsing, which may exit (--help, a bad value) and must not
  // race gRPC's threads. Main's servers, channels and stores are gone when
  // it returns; gRPC shuts down before exit() runs (see process_exit.h).
  communique::rpc::HoldGrpcForProcess();
  communique::rpc::ExitProcess(communique::Main());
}
