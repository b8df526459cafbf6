#include "shared/rpc/service_flags.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_split.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "shared/rpc/config.h"
#include "shared/rpc/log.h"
#include "shared/rpc/process_exit.h"

ABSL_FLAG(bool, insecure, false,
          "Plaintext gRPC (and, for a replica, to its upstream). Local "
          "development only; logged loudly.");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain of the server.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of the server.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA of client certificates; when set, mTLS is required.");
ABSL_FLAG(int, tls_refresh_seconds, 10,
          "How often certificate, key and CA files are re-read; rotated "
          "certificates apply to new connections without a restart.");
ABSL_FLAG(std::string, writer_token_file, "",
          "File of bearer tokens (one per line) that may write.");
ABSL_FLAG(std::string, reader_token_file, "",
          "File of bearer tokens that may read (only with --noopen_reads).");
ABSL_FLAG(std::string, replica_token_file, "",
          "File of bearer tokens that may follow the change feed.");
ABSL_FLAG(std::vector<std::string>, writer_identities, {},
          "mTLS client identities (certificate CN or SAN) that may write.");
ABSL_FLAG(std::vector<std::string>, reader_identities, {},
          "mTLS client identities that may read.");
ABSL_FLAG(std::vector<std::string>, replica_identities, {},
          "mTLS client identities that may follow the change feed.");
ABSL_FLAG(bool, open_reads, true, "Reads need no credentials.");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "Largest request message in bytes (RESOURCE_EXHAUSTED beyond).");
ABSL_FLAG(int, max_concurrent_streams, 256,
          "Concurrent calls per client connection.");
ABSL_FLAG(int, keepalive_seconds, 60,
          "Keepalive ping interval on idle connections.");
ABSL_FLAG(int, default_deadline_ms, 30000,
          "Deadline of unary calls that arrive without one; they end with "
          "DEADLINE_EXCEEDED after it. 0: none. Streams are exempt.");
ABSL_FLAG(int, max_deadline_ms, 300000,
          "Cap on the deadline of unary calls (longer ones are cut to it). "
          "0: no cap. Streams are exempt.");
ABSL_FLAG(int, memory_quota_mb, 512,
          "Memory gRPC may use for call buffers, in MiB.");
ABSL_FLAG(int, max_threads, 64, "Threads gRPC may use.");
ABSL_FLAG(bool, access_log, true,
          "Log every call; with --noaccess_log only errors and calls slower "
          "than 1 s.");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port of the Prometheus /metrics endpoint (empty: off).");
ABSL_FLAG(bool, channelz, false, "Serve grpc.channelz.v1 (debugging).");
ABSL_FLAG(std::string, health_listen, "",
          "host:port serving only grpc.health.v1 in plaintext, for probes "
          "that cannot speak TLS (Kubernetes gRPC probes). Empty: off.");
ABSL_FLAG(int, drain_seconds, 20,
          "On SIGTERM, how long calls in flight may take to finish (after "
          "--shutdown_delay_seconds; keep the sum under the pod's "
          "terminationGracePeriodSeconds).");
ABSL_FLAG(int, shutdown_delay_seconds, 2,
          "On SIGTERM, how long to report NOT_SERVING before refusing new "
          "calls, so load balancers drain first.");
ABSL_FLAG(std::string, port_file, "",
          "If set, write the bound port number to this file once serving.");

namespace communique::rpc {

void InitServiceProcess(int argc, char** argv, const char* usage) {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(usage);
  ParseFlagsWithEnvironment(argc, argv);
}

void ExitOnStartupError(const std::string& what, const absl::Status& status) {
  Log("fatal", what, {{"error", std::string(status.message())}});
  // gRPC may be running (a server half started): no exit() clean-up.
  ExitNow(1);
}

TlsConfig ServerTlsFromFlags() {
  TlsConfig tls;
  tls.insecure = absl::GetFlag(FLAGS_insecure);
  tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  tls.key_file = absl::GetFlag(FLAGS_tls_key);
  tls.ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  tls.refresh_interval_seconds =
      static_cast<unsigned int>(std::max(1, absl::GetFlag(FLAGS_tls_refresh_seconds)));
  return tls;
}

void ApplyLimitFlags(ServerConfig& config) {
  config.max_receive_message_bytes =
      std::max(1 << 16, absl::GetFlag(FLAGS_max_message_bytes));
  config.max_concurrent_streams =
      std::max(1, absl::GetFlag(FLAGS_max_concurrent_streams));
  config.keepalive_time_seconds =
      std::max(10, absl::GetFlag(FLAGS_keepalive_seconds));
  config.memory_quota_bytes =
      int64_t{std::max(16, absl::GetFlag(FLAGS_memory_quota_mb))} << 20;
  config.max_threads = std::max(4, absl::GetFlag(FLAGS_max_threads));
  config.access_log = absl::GetFlag(FLAGS_access_log);
  config.health_listen_address = absl::GetFlag(FLAGS_health_listen);
  config.deadlines.default_deadline =
      absl::Milliseconds(absl::GetFlag(FLAGS_default_deadline_ms));
  config.deadlines.max_deadline =
      absl::Milliseconds(absl::GetFlag(FLAGS_max_deadline_ms));
}

AuthConfig AuthConfigFromFlags() {
  AuthConfig auth;
  auth.writer_token_file = absl::GetFlag(FLAGS_writer_token_file);
  auth.reader_token_file = absl::GetFlag(FLAGS_reader_token_file);
  auth.replica_token_file = absl::GetFlag(FLAGS_replica_token_file);
  auth.writer_identities = absl::GetFlag(FLAGS_writer_identities);
  auth.reader_identities = absl::GetFlag(FLAGS_reader_identities);
  auth.replica_identities = absl::GetFlag(FLAGS_replica_identities);
  auth.open_reads = absl::GetFlag(FLAGS_open_reads);
  return auth;
}

std::string MetricsListenFromFlags() {
  return absl::GetFlag(FLAGS_metrics_listen);
}

bool ChannelzFromFlags() { return absl::GetFlag(FLAGS_channelz); }

std::chrono::milliseconds ShutdownDelayFromFlags() {
  return std::chrono::seconds(std::max(0, absl::GetFlag(FLAGS_shutdown_delay_seconds)));
}

std::chrono::milliseconds DrainFromFlags() {
  return std::chrono::seconds(absl::GetFlag(FLAGS_drain_seconds));
}

void WritePortFile(int port) {
  const std::string path = absl::GetFlag(FLAGS_port_file);
  if (path.empty()) return;
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return;
  std::fprintf(f, "%d\n", port);
  std::fclose(f);
  std::rename(tmp.c_str(), path.c_str());  // readers never see a partial file
}

absl::StatusOr<FlagServerConfig> ServerConfigFromFlags(
    const std::string& listen_address, Metrics* metrics,
    std::vector<std::string> service_names,
    std::vector<std::pair<std::string, Role>> method_roles,
    bool takes_writes) {
  FlagServerConfig result;
  ServerConfig& config = result.config;
  config.listen_address = listen_address;
  config.tls = ServerTlsFromFlags();
  ApplyLimitFlags(config);
  config.metrics = metrics;
  config.enable_channelz = ChannelzFromFlags();
  config.service_names = std::move(service_names);
  const AuthConfig auth_config = AuthConfigFromFlags();
  LogSecurityPosture(config.tls, auth_config, takes_writes);
  auto authorizer = Authorizer::Create(auth_config);
  if (!authorizer.ok()) return authorizer.status();
  result.authorizer = *std::move(authorizer);
  config.auth_processor = NewAuthMetadataProcessor(result.authorizer.get(),
                                                   std::move(method_roles));
  return result;
}

void ServeUntilShutdownSignal(RunningServer& server,
                              const std::function<void()>& before_drain) {
  WritePortFile(server.port);
  const std::string signal = WaitForShutdownSignal();
  Log("info", "draining", {{"signal", signal}});
  if (before_drain) before_drain();
  DrainAndStop(server, ShutdownDelayFromFlags(), DrainFromFlags());
  Log("info", "stopped");
}

void LogSecurityPosture(const TlsConfig& tls, const AuthConfig& auth,
                        bool takes_writes) {
  if (tls.insecure) {
    Log("warning",
        "serving PLAINTEXT (--insecure): no transport security and no "
        "authentication; for local development only");
    return;
  }
  if (takes_writes && auth.writer_token_file.empty() &&
      auth.writer_identities.empty()) {
    Log("warning",
        "no writer credentials configured (--writer_token_file or "
        "--writer_identities): write RPCs are refused");
  }
}

}  // namespace communique::rpc
