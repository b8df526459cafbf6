#include "shared/rpc/auth.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "openssl/crypto.h"

namespace communique::rpc {
namespace {

absl::Time FileMtime(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return absl::InfinitePast();
  return absl::TimeFromTimespec(st.st_mtim);
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kReader:
      return "reader";
    case Role::kWriter:
      return "writer";
    case Role::kReplica:
      return "replica";
  }
  return "unknown";
}

bool Has(const std::vector<Role>& roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace

bool SecretEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

absl::StatusOr<std::vector<std::string>> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read token file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::vector<std::string> tokens;
  for (absl::string_view line : absl::StrSplit(buffer.str(), '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    tokens.emplace_back(line);
  }
  if (tokens.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("token file ", path, " holds no token"));
  }
  return tokens;
}

absl::StatusOr<std::unique_ptr<Authorizer>> Authorizer::Create(
    AuthConfig config) {
  auto auth = std::unique_ptr<Authorizer>(new Authorizer());
  const std::string* paths[3] = {&config.reader_token_file,
                                 &config.writer_token_file,
                                 &config.replica_token_file};
  absl::MutexLock lock(&auth->mu_);
  for (int i = 0; i < 3; ++i) {
    if (paths[i]->empty()) continue;
    auto tokens = ReadTokenFile(*paths[i]);
    if (!tokens.ok()) return tokens.status();
    auth->files_[i].path = *paths[i];
    auth->files_[i].tokens = *std::move(tokens);
    auth->files_[i].mtime = FileMtime(*paths[i]);
    auth->files_[i].checked = absl::Now();
  }
  auth->config_ = std::move(config);
  return auth;
}

std::unique_ptr<Authorizer> Authorizer::AllowAll() {
  auto auth = std::unique_ptr<Authorizer>(new Authorizer());
  auth->allow_all_ = true;
  return auth;
}

bool Authorizer::writes_configured() const {
  return allow_all_ || !config_.writer_token_file.empty() ||
         !config_.writer_identities.empty();
}

std::vector<Role> Authorizer::RolesOfToken(absl::string_view token) const {
  std::vector<Role> roles;
  absl::MutexLock lock(&mu_);
  const absl::Time now = absl::Now();
  for (int i = 0; i < 3; ++i) {
    TokenFile& file = files_[i];
    if (file.path.empty()) continue;
    if (now - file.checked >= config_.recheck_interval) {
      file.checked = now;
      absl::Time mtime = FileMtime(file.path);
      if (mtime != file.mtime) {
        // A rotation in progress may leave the file briefly empty or
        // missing: keep the old tokens until a readable one appears.
        auto tokens = ReadTokenFile(file.path);
        if (tokens.ok()) {
          file.tokens = *std::move(tokens);
          file.mtime = mtime;
        }
      }
    }
    // Compare against every token so timing does not reveal which matched.
    bool match = false;
    for (const std::string& candidate : file.tokens) {
      match |= SecretEquals(token, candidate);
    }
    if (match) roles.push_back(static_cast<Role>(i));
  }
  return roles;
}

std::vector<std::string> PeerNames(const grpc::AuthContext& auth_context) {
  std::vector<std::string> names;
  if (!auth_context.IsPeerAuthenticated()) return names;
  for (const char* property :
       {"x509_common_name", "x509_subject_alternative_name"}) {
    for (const grpc::string_ref& value :
         auth_context.FindPropertyValues(property)) {
      names.emplace_back(value.data(), value.size());
    }
  }
  return names;
}

std::vector<Role> Authorizer::RolesOfPeer(
    const std::vector<std::string>& names) const {
  std::vector<Role> roles;
  auto listed = [&](const std::vector<std::string>& allow) {
    for (const std::string& name : names) {
      if (std::find(allow.begin(), allow.end(), name) != allow.end()) {
        return true;
      }
    }
    return false;
  };
  if (listed(config_.reader_identities)) roles.push_back(Role::kReader);
  if (listed(config_.writer_identities)) roles.push_back(Role::kWriter);
  if (listed(config_.replica_identities)) roles.push_back(Role::kReplica);
  return roles;
}

absl::Status Authorizer::Authorize(const grpc::ServerContextBase& context,
                                   Role role) const {
  Credentials credentials;
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end()) {
    credentials.authorization.emplace(it->second.data(), it->second.size());
  }
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth != nullptr) credentials.peer_names = PeerNames(*auth);
  return Authorize(credentials, role);
}

absl::Status Authorizer::Authorize(const Credentials& credentials,
                                   Role role) const {
  if (allow_all_) return absl::OkStatus();
  if (role == Role::kReader && config_.open_reads) return absl::OkStatus();
  std::vector<Role> roles = RolesOfPeer(credentials.peer_names);
  bool presented = !roles.empty();
  if (credentials.authorization.has_value()) {
    absl::string_view value = *credentials.authorization;
    if (!absl::ConsumePrefix(&value, "Bearer ") &&
        !absl::ConsumePrefix(&value, "bearer ")) {
      return absl::UnauthenticatedError(
          "authorization: expected \"Bearer <token>\"");
    }
    std::vector<Role> token_roles = RolesOfToken(value);
    if (token_roles.empty()) {
      return absl::UnauthenticatedError("authorization: unknown token");
    }
    presented = true;
    roles.insert(roles.end(), token_roles.begin(), token_roles.end());
  }
  if (!presented) {
    return absl::UnauthenticatedError(absl::StrCat(
        "this call needs the ", RoleName(role),
        " role: send \"authorization: Bearer <token>\" or a client "
        "certificate"));
  }
  // Writers and replicas may also read.
  if (Has(roles, role) ||
      (role == Role::kReader &&
       (Has(roles, Role::kWriter) || Has(roles, Role::kReplica)))) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("this call needs the ", RoleName(role), " role"));
}

namespace {

class AuthProcessor final : public grpc::AuthMetadataProcessor {
 public:
  AuthProcessor(const Authorizer* authorizer,
                std::vector<std::pair<std::string, Role>> method_roles)
      : authorizer_(authorizer), method_roles_(std::move(method_roles)) {}

  // Token checks are in-memory compares (and a stat per interval at most).
  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override {
    std::string path;
    Authorizer::Credentials credentials;
    for (const auto& [key, value] : auth_metadata) {
      absl::string_view k(key.data(), key.size());
      if (k == ":path") path.assign(value.data(), value.size());
      if (k == "authorization") {
        credentials.authorization.emplace(value.data(), value.size());
        consumed_auth_metadata->emplace(
            std::string(k), std::string(value.data(), value.size()));
      }
    }
    const Role* role = nullptr;
    for (const auto& [prefix, needed] : method_roles_) {
      if (absl::StartsWith(path, prefix)) {
        role = &needed;
        break;
      }
    }
    if (role == nullptr) return grpc::Status::OK;
    if (context != nullptr) credentials.peer_names = PeerNames(*context);
    absl::Status status = authorizer_->Authorize(credentials, *role);
    if (status.ok()) return grpc::Status::OK;
    return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                        std::string(status.message()));
  }

 private:
  const Authorizer* authorizer_;
  const std::vector<std::pair<std::string, Role>> method_roles_;
};

}  // namespace

std::shared_ptr<grpc::AuthMetadataProcessor> NewAuthMetadataProcessor(
    const Authorizer* authorizer,
    std::vector<std::pair<std::string, Role>> method_roles) {
  return std::make_shared<AuthProcessor>(authorizer, std::move(method_roles));
}

}  // namespace communique::rpc
