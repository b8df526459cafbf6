// Authentication and authorisation of calls, shared by both services.
// A caller proves an identity with a bearer token ("authorization: Bearer
// <token>" metadata, compared in constant time against the lines of a
// token file) or with an mTLS client certificate whose subject common name
// or SAN is on an allow-list. Each identity has roles; each RPC needs one.
// Thread-safe; token files are re-read when they change (Kubernetes
// rotates Secrets in place), checked at most once per recheck_interval.
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/auth_metadata_processor.h"

namespace communique::rpc {

// What a call needs.
enum class Role {
  // Read records (QueryService, GetArticle, ListArticles, ParseArticle).
  kReader,
  // Change records (IngestArticle(s), DeleteArticle, Reprocess).
  kWriter,
  // Follow the change feed (ChangeFeedService.Subscribe).
  kReplica,
};

// Where identities come from. Empty fields disable that source.
struct AuthConfig {
  // Files with one token per line (blank lines and '#' comments ignored;
  // several lines allow rotation without downtime).
  std::string writer_token_file;
  std::string reader_token_file;
  std::string replica_token_file;
  // mTLS client identities (certificate CN or DNS/URI SAN) per role.
  std::vector<std::string> writer_identities;
  std::vector<std::string> replica_identities;
  std::vector<std::string> reader_identities;
  // Reads need no credentials at all. Default: true.
  bool open_reads = true;
  // How often token files are checked for changes. Default: 1 s.
  absl::Duration recheck_interval = absl::Seconds(1);
};

class Authorizer {
 public:
  // NOT_FOUND if a configured token file cannot be read; INVALID_ARGUMENT
  // if one holds no token.
  static absl::StatusOr<std::unique_ptr<Authorizer>> Create(AuthConfig config);

  // An authorizer that allows everything (tests, local demos with
  // --insecure_no_auth).
  static std::unique_ptr<Authorizer> AllowAll();

  // What a call presents.
  struct Credentials {
    // Value of the "authorization" metadata; nullopt when absent.
    std::optional<std::string> authorization;
    // Verified mTLS peer names (certificate CN and SANs).
    std::vector<std::string> peer_names;
  };

  // OK if a call presenting `credentials` may proceed with `role`.
  // UNAUTHENTICATED when it presents no valid credentials;
  // PERMISSION_DENIED when its identity lacks the role. Never puts a token
  // in a message.
  absl::Status Authorize(const Credentials& credentials, Role role) const;
  // The same for a server context (its metadata and auth context).
  absl::Status Authorize(const grpc::ServerContextBase& context,
                         Role role) const;

  // Whether any write credential is configured (else writes are refused).
  bool writes_configured() const;

 private:
  Authorizer() = default;

  struct TokenFile {
    std::string path;
    std::vector<std::string> tokens;
    absl::Time mtime = absl::InfinitePast();
    absl::Time checked = absl::InfinitePast();
  };

  // The roles a presented bearer token carries, re-reading changed files.
  std::vector<Role> RolesOfToken(absl::string_view token) const;
  std::vector<Role> RolesOfPeer(const std::vector<std::string>& names) const;

  AuthConfig config_;
  bool allow_all_ = false;
  mutable absl::Mutex mu_;
  mutable TokenFile files_[3] ABSL_GUARDED_BY(mu_);
};

// Verified peer names (x509 CN and SANs) of an authenticated connection.
std::vector<std::string> PeerNames(const grpc::AuthContext& auth_context);

// Enforces `authorizer` on every call of a TLS server before any handler
// runs: the role a method needs comes from `method_roles` (full method
// name "/package.Service/Method" or a service prefix "/package.Service/");
// methods not listed need nothing (health, reflection). The authorization
// metadata is consumed, so handlers and logs never see tokens. Install with
// grpc::ServerCredentials::SetAuthMetadataProcessor.
std::shared_ptr<grpc::AuthMetadataProcessor> NewAuthMetadataProcessor(
    const Authorizer* authorizer,
    std::vector<std::pair<std::string, Role>> method_roles);

// Loads a token file's tokens (for tests and the CLI). NOT_FOUND if
// unreadable; INVALID_ARGUMENT if it holds none.
absl::StatusOr<std::vector<std::string>> ReadTokenFile(const std::string& path);

// Constant-time equality of two secrets (length may leak, content not).
bool SecretEquals(absl::string_view a, absl::string_view b);

}  // namespace communique::rpc
