// Common server bootstrap for both services (and the bench Echo floor):
// listening port, TLS, health service, reflection, and a graceful shutdown
// on SIGTERM/SIGINT. service_flags.h builds a ServerConfig from the flags.
//
// Threads: StartServer, the signal functions and DrainAndStop belong to the
// process's main thread (start-up and shutdown); RunningServer's SetReady
// and SetStatus, CallExpired and ExpiredCallStatus may be called from any
// thread (handlers, readiness monitors, the feed follower).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "shared/rpc/deadline.h"
#include "shared/rpc/metrics.h"

namespace communique::rpc {

// Transport security of a server or a client.
struct TlsConfig {
  // Plaintext. Only with an explicit --insecure; logged loudly.
  bool insecure = false;
  // PEM files: the server's (or client's, for mTLS) certificate chain and
  // private key.
  std::string cert_file;
  std::string key_file;
  // PEM file of the CA that signs the peer's certificates: on a server it
  // turns on mTLS (client certificates required); on a client it is the
  // trust root for the server (empty = system roots).
  std::string ca_file;
  // Server only: how often the certificate, key and CA files are checked
  // for changes; a rotated certificate is served to new connections
  // without a restart. Default: 10 s.
  unsigned int refresh_interval_seconds = 10;
  // Client only: a file whose first token is sent on every call as
  // "authorization: Bearer <token>" (re-read when the file changes). Only
  // sent over TLS.
  std::string bearer_token_file;
};

// Builds server credentials (TLS, and mTLS with a CA; the files are
// re-read every refresh_interval_seconds). INVALID_ARGUMENT if neither
// insecure nor a certificate and key are given; NOT_FOUND if a file cannot
// be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsConfig& tls);

// Builds client credentials (TLS by default; mTLS when cert and key are
// given; plaintext with insecure), with the bearer token attached when a
// token file is given. NOT_FOUND / INVALID_ARGUMENT for unreadable files.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
MakeChannelCredentials(const TlsConfig& tls);

// How a server listens.
struct ServerConfig {
  // "host:port"; port 0 picks a free port (see RunningServer::port).
  std::string listen_address = "127.0.0.1:0";
  TlsConfig tls;
  // Largest request message in bytes; larger ones fail with
  // RESOURCE_EXHAUSTED before any handler runs. Default: 4 MiB (an article
  // is at most 1 MiB).
  int max_receive_message_bytes = 4 << 20;
  // Largest response message in bytes. Default: 64 MiB.
  int max_send_message_bytes = 64 << 20;
  // Concurrent streams (calls) per HTTP/2 connection. Default: 256.
  int max_concurrent_streams = 256;
  // Server keepalive pings on idle connections, and how long to wait for
  // the ack before closing. Default: 60 s / 20 s.
  int keepalive_time_seconds = 60;
  int keepalive_timeout_seconds = 20;
  // Shortest interval between client pings the server tolerates (abusive
  // pingers are disconnected). Default: 10 s.
  int min_client_ping_interval_seconds = 10;
  // Memory the gRPC transport may use for buffers across all calls; beyond
  // it new calls wait or fail with RESOURCE_EXHAUSTED. Default: 512 MiB.
  int64_t memory_quota_bytes = int64_t{512} << 20;
  // Threads gRPC may use for callbacks and polling. Default: 64.
  int max_threads = 64;
  // Default and maximum deadlines of unary calls (see deadline.h).
  DeadlinePolicy deadlines;
  // Fully-qualified service names registered, for health reporting.
  std::vector<std::string> service_names;
  // When set, every call is recorded in these metrics (not owned; must
  // outlive the server).
  Metrics* metrics = nullptr;
  // Log every call (one JSON line each); false logs only errors and calls
  // slower than 1 s. Default: true.
  bool access_log = true;
  // When set, grpc.health.v1 (only) is also served in plaintext on this
  // address, for probes that cannot speak TLS (Kubernetes gRPC probes).
  // It mirrors the main server's statuses. Default: none.
  std::string health_listen_address;
  // Serve grpc.channelz.v1 for debugging connections. Default: off.
  bool enable_channelz = false;
  // Checks every call's credentials before its handler runs (see
  // NewAuthMetadataProcessor). Only TLS servers run it: with --insecure
  // there is no authentication either, which is logged at start.
  std::shared_ptr<grpc::AuthMetadataProcessor> auth_processor;
};

// A started server.
struct RunningServer {
  std::unique_ptr<grpc::Server> server;
  int port = 0;
  // Marks every registered service (and "", "readiness") SERVING or
  // NOT_SERVING. "liveness" stays SERVING until shutdown.
  void SetReady(bool ready);
  std::vector<std::string> service_names;
  // The plaintext health-only server and its port, when configured.
  std::unique_ptr<grpc::Server> health_server;
  int health_port = 0;
  // Sets one health status on every server.
  void SetStatus(const std::string& service, bool serving);
  // Set when draining: new calls are refused with UNAVAILABLE before any
  // handler runs (TLS servers), so clients retry elsewhere instead of
  // racing the transport shutdown.
  std::shared_ptr<std::atomic<bool>> draining =
      std::make_shared<std::atomic<bool>>(false);
};

// Registers `services` (not owned; they must outlive the server) plus
// health and reflection, and starts listening. UNAVAILABLE if the address
// (or the health address) cannot be bound; INVALID_ARGUMENT or NOT_FOUND
// for TLS files as MakeServerCredentials. Starts NOT ready: the caller
// calls SetReady(true) once it can serve.
absl::StatusOr<RunningServer> StartServer(
    const ServerConfig& config, const std::vector<grpc::Service*>& services);

// Load shedding in handlers: whether nobody waits for the call's answer any
// more (cancelled, or its deadline has passed, which a server behind on its
// queue learns before the cancellation reaches it). Handlers check it
// before expensive work and answer ExpiredCallStatus (DEADLINE_EXCEEDED or
// CANCELLED), so a backlog drains quickly instead of every call being
// served late.
bool CallExpired(grpc::ServerContextBase* context);
grpc::Status ExpiredCallStatus(const grpc::ServerContextBase* context);

// Blocks SIGTERM and SIGINT in the calling thread (call before starting
// any threads, so all threads inherit the mask), for WaitForShutdownSignal.
void BlockShutdownSignals();
// Waits for SIGTERM or SIGINT; returns the signal's name.
std::string WaitForShutdownSignal();

// Marks the server NOT_SERVING, waits `delay` (so load balancers and
// Kubernetes endpoints stop sending new calls), then stops accepting calls
// and waits up to `grace` for calls in flight; streams still open at the
// end are cancelled. Returns once both servers have stopped; call once.
void DrainAndStop(RunningServer& server, std::chrono::milliseconds delay,
                  std::chrono::milliseconds grace);

}  // namespace communique::rpc
