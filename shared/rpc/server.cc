#include "shared/rpc/server.h"

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <thread>
#include <map>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "shared/rpc/access_log.h"
#include "shared/rpc/auth.h"
#include "shared/rpc/parse_errors.h"
#include "grpcpp/ext/channelz_service_plugin.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"

namespace communique::rpc {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(what, ": cannot read ", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsConfig& tls) {
  if (tls.insecure) return grpc::InsecureServerCredentials();
  if (tls.cert_file.empty() || tls.key_file.empty()) {
    return absl::InvalidArgumentError(
        "tls: give --tls_cert and --tls_key, or --insecure for plaintext");
  }
  // Fail fast on unreadable files: the watcher below would only log.
  for (const auto& [path, what] :
       {std::pair<std::string, const char*>{tls.cert_file, "tls_cert"},
        {tls.key_file, "tls_key"},
        {tls.ca_file, "tls_client_ca"}}) {
    if (path.empty()) continue;
    auto content = ReadFile(path, what);
    if (!content.ok()) return content.status();
  }
  // The file watcher re-reads the files every refresh interval, so
  // certificates rotated in place (Kubernetes Secrets) take effect for new
  // connections without a restart.
  auto provider =
      std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
          tls.key_file, tls.cert_file, tls.ca_file,
          std::max(1u, tls.refresh_interval_seconds));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (tls.ca_file.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

namespace {

// Attaches the current token of a token file to every call; re-reads the
// file when it changes so rotated Secrets take effect without a restart.
class TokenFilePlugin final : public grpc::MetadataCredentialsPlugin {
 public:
  explicit TokenFilePlugin(std::string path) : path_(std::move(path)) {}

  grpc::Status GetMetadata(
      grpc::string_ref service_url, grpc::string_ref method_name,
      const grpc::AuthContext& channel_auth_context,
      std::multimap<grpc::string, grpc::string>* metadata) override {
    absl::StatusOr<std::vector<std::string>> tokens = ReadTokenFile(path_);
    std::string token;
    {
      absl::MutexLock lock(&mu_);
      if (tokens.ok()) cached_ = tokens->front();
      token = cached_;
    }
    if (token.empty()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "bearer token file is unreadable");
    }
    metadata->emplace("authorization", "Bearer " + token);
    return grpc::Status::OK;
  }

 private:
  const std::string path_;
  absl::Mutex mu_;
  std::string cached_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
MakeChannelCredentials(const TlsConfig& tls) {
  if (tls.insecure) return grpc::InsecureChannelCredentials();
  if (!tls.bearer_token_file.empty()) {
    TlsConfig without_token = tls;
    without_token.bearer_token_file.clear();
    auto transport = MakeChannelCredentials(without_token);
    if (!transport.ok()) return transport.status();
    auto tokens = ReadTokenFile(tls.bearer_token_file);
    if (!tokens.ok()) return tokens.status();
    return grpc::CompositeChannelCredentials(
        *transport,
        grpc::MetadataCredentialsFromPlugin(
            std::make_unique<TokenFilePlugin>(tls.bearer_token_file)));
  }
  grpc::SslCredentialsOptions options;
  if (!tls.ca_file.empty()) {
    auto ca = ReadFile(tls.ca_file, "tls_ca");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
  }
  if (!tls.cert_file.empty() || !tls.key_file.empty()) {
    auto cert = ReadFile(tls.cert_file, "tls_cert");
    if (!cert.ok()) return cert.status();
    auto key = ReadFile(tls.key_file, "tls_key");
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *cert;
    options.pem_private_key = *key;
  }
  return grpc::SslCredentials(options);
}

namespace {

// Runs before every call's handler on a TLS server: refuses new calls with
// UNAVAILABLE once draining, then applies the authorization policy. It must
// not write per-call data into `context`: gRPC hands every call of a
// connection the same auth context, so properties added here would pile
// up for the connection's life and race with other calls reading them.
class GateProcessor final : public grpc::AuthMetadataProcessor {
 public:
  GateProcessor(std::shared_ptr<std::atomic<bool>> draining,
                std::shared_ptr<grpc::AuthMetadataProcessor> auth)
      : draining_(std::move(draining)), auth_(std::move(auth)) {}

  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override {
    if (draining_->load()) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "server is shutting down; retry another replica");
    }
    if (auth_ == nullptr) return grpc::Status::OK;
    return auth_->Process(auth_metadata, context, consumed_auth_metadata,
                          response_metadata);
  }

 private:
  const std::shared_ptr<std::atomic<bool>> draining_;
  const std::shared_ptr<grpc::AuthMetadataProcessor> auth_;
};

}  // namespace

void RunningServer::SetStatus(const std::string& service, bool serving) {
  for (grpc::Server* s : {server.get(), health_server.get()}) {
    if (s == nullptr) continue;
    if (auto* health = s->GetHealthCheckService()) {
      health->SetServingStatus(service, serving);
    }
  }
}

void RunningServer::SetReady(bool ready) {
  SetStatus("", ready);
  SetStatus("readiness", ready);
  for (const std::string& name : service_names) SetStatus(name, ready);
}

absl::StatusOr<RunningServer> StartServer(
    const ServerConfig& config, const std::vector<grpc::Service*>& services) {
  auto credentials = MakeServerCredentials(config.tls);
  if (!credentials.ok()) return credentials.status();
  RunningServer running;
  if (!config.tls.insecure) {
    (*credentials)->SetAuthMetadataProcessor(std::make_shared<GateProcessor>(
        running.draining, config.auth_processor));
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (config.enable_channelz) {
    grpc::channelz::experimental::InitChannelzService();
  }
  grpc::ServerBuilder builder;
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(NewParseErrorInterceptorFactory());
  interceptors.push_back(
      NewAccessLogInterceptorFactory(config.access_log ? 0.0 : 1.0));
  if (config.metrics != nullptr) {
    interceptors.push_back(config.metrics->NewInterceptorFactory());
  }
  interceptors.push_back(NewDeadlineInterceptorFactory(config.deadlines));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.AddListeningPort(config.listen_address, *credentials, &running.port);
  builder.SetMaxReceiveMessageSize(config.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(config.max_send_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             config.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             config.keepalive_time_seconds * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             config.keepalive_timeout_seconds * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
      config.min_client_ping_interval_seconds * 1000);
  grpc::ResourceQuota quota("communique-server");
  quota.Resize(static_cast<size_t>(config.memory_quota_bytes));
  quota.SetMaxThreads(config.max_threads);
  builder.SetResourceQuota(quota);
  for (grpc::Service* service : services) builder.RegisterService(service);
  running.server = builder.BuildAndStart();
  if (running.server == nullptr || running.port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config.listen_address));
  }
  running.service_names = config.service_names;
  if (!config.health_listen_address.empty()) {
    grpc::ServerBuilder health_builder;
    health_builder.AddListeningPort(config.health_listen_address,
                                    grpc::InsecureServerCredentials(),
                                    &running.health_port);
    running.health_server = health_builder.BuildAndStart();
    if (running.health_server == nullptr || running.health_port == 0) {
      return absl::UnavailableError(absl::StrCat(
          "cannot listen on ", config.health_listen_address, " (health)"));
    }
  }
  running.SetStatus("liveness", true);
  running.SetReady(false);
  return running;
}

bool CallExpired(grpc::ServerContextBase* context) {
  return context->IsCancelled() ||
         context->deadline() <= std::chrono::system_clock::now();
}

grpc::Status ExpiredCallStatus(const grpc::ServerContextBase* context) {
  if (context->deadline() <= std::chrono::system_clock::now()) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "deadline passed before the call was served");
  }
  return grpc::Status(grpc::StatusCode::CANCELLED,
                      "call cancelled before it was served");
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::string WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal = 0;
  sigwait(&set, &signal);
  return signal == SIGTERM ? "SIGTERM" : "SIGINT";
}

void DrainAndStop(RunningServer& server, std::chrono::milliseconds delay,
                  std::chrono::milliseconds grace) {
  server.SetReady(false);
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
  // Refuse new calls cleanly, give calls already past the gate a moment to
  // reach their handlers, then stop the transport.
  server.draining->store(true);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  server.SetStatus("liveness", false);
  server.server->Shutdown(std::chrono::system_clock::now() + grace);
  server.server->Wait();
  if (server.health_server != nullptr) {
    server.health_server->Shutdown(std::chrono::system_clock::now());
    server.health_server->Wait();
  }
}

}  // namespace communique::rpc
