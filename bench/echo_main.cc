// communique-bench-echo: the Echo floor of the benchmark suite
// (bench/echo.proto, scripts/bench.sh). Serves only
// communique.bench.v1.EchoService, on the same server bootstrap and the same
// flags as communique-ingest and communique-query (TLS, bearer-token auth
// with Echo in the reader role, transport limits, threads, access log,
// metrics interceptor, health, drain), so the load generator compares our
// RPCs with a server that differs only in its handlers. Bench code stays out
// of the production binaries: neither service registers Echo.

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bench/echo_service.h"
#include "shared/rpc/config.h"
#include "shared/rpc/log.h"
#include "shared/rpc/metrics.h"
#include "shared/rpc/process_exit.h"
#include "shared/rpc/server.h"
#include "shared/rpc/service_flags.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50059",
          "Address to serve on, host:port (port 0 picks a free one).");

namespace communique {
namespace {

int Main() {
  rpc::BlockShutdownSignals();
  rpc::Log("info", "configuration",
           {{"flags", absl::StrJoin(rpc::EffectiveConfig(), " ")}});
  // The services always collect metrics (the interceptor runs on every
  // call), so the floor does too.
  auto metrics = rpc::Metrics::Create(rpc::MetricsListenFromFlags());
  if (!metrics.ok()) {
    rpc::ExitOnStartupError("cannot serve metrics", metrics.status());
  }
  auto server_config = rpc::ServerConfigFromFlags(
      absl::GetFlag(FLAGS_listen), metrics->get(),
      {"communique.bench.v1.EchoService"},
      {{"/communique.bench.v1.EchoService/", rpc::Role::kReader}},
      /*takes_writes=*/false);
  if (!server_config.ok()) {
    rpc::ExitOnStartupError("bad authentication configuration",
                            server_config.status());
  }
  bench::EchoServer echo_server;
  std::vector<grpc::Service*> services = {&echo_server};
  auto server = rpc::StartServer(server_config->config, services);
  if (!server.ok()) {
    rpc::ExitOnStartupError("cannot start the server", server.status());
  }
  server->SetReady(true);
  rpc::Log("info", "communique-bench-echo serving",
           {{"port", absl::StrCat(server->port)},
            {"tls", server_config->config.tls.insecure ? "off" : "on"},
            {"metrics_port", absl::StrCat((*metrics)->port())}});
  rpc::ServeUntilShutdownSignal(*server, nullptr);
  return 0;
}

}  // namespace
}  // namespace communique

int main(int argc, char** argv) {
  communique::rpc::InitServiceProcess(
      argc, argv,
      "serve the Echo floor of the benchmark suite (scripts/bench.sh).\n"
      "  communique-bench-echo --listen=127.0.0.1:0 --port_file=echo.port "
      "--tls_cert=server.pem --tls_key=server.key");
  // As the services (see shared/rpc/process_exit.h).
  communique::rpc::HoldGrpcForProcess();
  communique::rpc::ExitProcess(communique::Main());
}
