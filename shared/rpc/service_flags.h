// Flags shared by both service binaries (TLS, auth, metrics, shutdown),
// defined once here. Each binary defines its own --listen and --data_dir.
// Every flag also reads COMMUNIQUE_<FLAG> (see config.h).
#pragma once

#include <chrono>
#include <string>

#include "shared/rpc/auth.h"
#include "shared/rpc/server.h"

namespace communique::rpc {

// Process start-up common to both services: turns off Abseil's mutex
// deadlock graph (our lock order is fixed and tested; the graph costs about
// 2% of the query server's CPU), sets the --help text and parses the flags
// (with their COMMUNIQUE_* environment fallback).
void InitServiceProcess(int argc, char** argv, const char* usage);

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

// Writes the bound port to --port_file when it is set (for tests and
// supervisors that start the service on port 0).
void WritePortFile(int port);

// Logs the transport and auth posture loudly when it is weak (plaintext;
// for a server that takes writes, no writer credentials configured).
void LogSecurityPosture(const TlsConfig& tls, const AuthConfig& auth,
                        bool takes_writes);

}  // namespace communique::rpc
