// Flags shared by both service binaries (TLS, auth, metrics, shutdown),
// defined once here. Each binary defines its own --listen and --data_dir.
// Every flag also reads COMMUNIQUE_<FLAG> (see config.h).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

#include "shared/rpc/auth.h"
#include "shared/rpc/metrics.h"
#include "shared/rpc/server.h"

namespace communique::rpc {

// Process start-up common to both services: turns off Abseil's mutex
// deadlock graph (our lock order is fixed and tested; the graph costs about
// 2% of the query server's CPU), sets the --help text and parses the flags
// (with their COMMUNIQUE_* environment fallback).
void InitServiceProcess(int argc, char** argv, const char* usage);

// Start-up failure of a service binary (bad configuration, a store that
// does not open): logs `what` with the status's message at "fatal" and
// leaves with status 1 through ExitNow (process_exit.h: gRPC may be
// running, so no exit() clean-up).
[[noreturn]] void ExitOnStartupError(const std::string& what,
                                     const absl::Status& status);

// TLS of the server from --insecure, --tls_cert, --tls_key, --tls_client_ca.
TlsConfig ServerTlsFromFlags();

// Transport limits into `config`: --max_message_bytes,
// --max_concurrent_streams, --keepalive_seconds, --memory_quota_mb,
// --max_threads, --access_log, --health_listen, --default_deadline_ms,
// --max_deadline_ms.
void ApplyLimitFlags(ServerConfig& config);

// Identities and roles from --writer_token_file, --reader_token_file,
// --replica_token_file, --writer_identities, --reader_identities,
// --replica_identities, --open_reads.
AuthConfig AuthConfigFromFlags();

// --metrics_listen ("" = no metrics endpoint).
std::string MetricsListenFromFlags();

// --channelz.
bool ChannelzFromFlags();

// --drain_seconds: the grace period for calls in flight after SIGTERM.
std::chrono::milliseconds DrainFromFlags();
// --shutdown_delay_seconds: how long to report NOT_SERVING before the
// server stops accepting calls.
std::chrono::milliseconds ShutdownDelayFromFlags();

// A service binary's server configuration from the shared flags, and the
// authorizer its auth processor checks credentials with.
struct FlagServerConfig {
  ServerConfig config;
  // Used by config.auth_processor; must outlive the server.
  std::unique_ptr<Authorizer> authorizer;
};

// The one server set-up of every binary that serves (both services and the
// bench Echo floor, so the floor runs on the same stack): `listen_address`,
// TLS from ServerTlsFromFlags, the limits of ApplyLimitFlags, channelz,
// `metrics` (not owned; may be null) and `service_names` (for health);
// credentials from AuthConfigFromFlags checked per method by
// NewAuthMetadataProcessor with `method_roles`. Logs the security posture
// (LogSecurityPosture with `takes_writes`). NOT_FOUND or INVALID_ARGUMENT
// for an unreadable or empty token file (Authorizer::Create).
absl::StatusOr<FlagServerConfig> ServerConfigFromFlags(
    const std::string& listen_address, Metrics* metrics,
    std::vector<std::string> service_names,
    std::vector<std::pair<std::string, Role>> method_roles,
    bool takes_writes);

// Writes the bound port to --port_file when it is set (for tests and
// supervisors that start the service on port 0).
void WritePortFile(int port);

// The shutdown sequence every service binary ends with, once its server is
// started, ready and its "serving" line logged: writes --port_file, waits
// for SIGTERM or SIGINT (blocked by BlockShutdownSignals at the start of
// main), logs "draining" with the signal, runs `before_drain` (end the
// streams that never end on their own, stop background work), then
// DrainAndStop with --shutdown_delay_seconds and --drain_seconds, and logs
// "stopped". Returns once the server has stopped. Call from main's thread.
void ServeUntilShutdownSignal(RunningServer& server,
                              const std::function<void()>& before_drain);

// Logs the transport and auth posture loudly when it is weak (plaintext;
// for a server that takes writes, no writer credentials configured).
void LogSecurityPosture(const TlsConfig& tls, const AuthConfig& auth,
                        bool takes_writes);

}  // namespace communique::rpc
