#include "shared/rpc/auth.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::rpc {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

std::string WriteFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

// A server context with the given request metadata.
class FakeContext : public grpc::ServerContext {
 public:
  explicit FakeContext(const std::string& authorization) {
    if (!authorization.empty()) {
      storage_ = authorization;
      // client_metadata() is filled by the transport; tests inject it here.
      const_cast<std::multimap<grpc::string_ref, grpc::string_ref>&>(
          client_metadata())
          .emplace("authorization", storage_);
    }
  }

 private:
  std::string storage_;
};

TEST(SecretEqualsTest, ComparesContent) {
  EXPECT_TRUE(SecretEquals("abc", "abc"));
  EXPECT_FALSE(SecretEquals("abc", "abd"));
  EXPECT_FALSE(SecretEquals("abc", "abcd"));
}

TEST(ReadTokenFileTest, SkipsCommentsAndBlankLines) {
  std::string path = WriteFile("tokens1", "# writers\n\n  t1  \nt2\n");
  ASSERT_OK_AND_ASSIGN(auto tokens, ReadTokenFile(path));
  EXPECT_THAT(tokens, ::testing::ElementsAre("t1", "t2"));
  EXPECT_THAT(ReadTokenFile(WriteFile("tokens2", "# none\n")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadTokenFile("/nonexistent/tokens"),
              StatusIs(absl::StatusCode::kNotFound));
}

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AuthConfig config;
    config.writer_token_file = WriteFile("writer", "writer-secret\n");
    config.replica_token_file = WriteFile("replica", "replica-secret\n");
    auto auth = Authorizer::Create(config);
    ASSERT_OK(auth.status());
    auth_ = *std::move(auth);
  }
  std::unique_ptr<Authorizer> auth_;
};

TEST_F(AuthorizerTest, WritesNeedTheWriterToken) {
  EXPECT_THAT(auth_->Authorize(FakeContext(""), Role::kWriter),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("writer role")));
  EXPECT_THAT(auth_->Authorize(FakeContext("Bearer nope"), Role::kWriter),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       Not(HasSubstr("nope"))));
  EXPECT_THAT(auth_->Authorize(FakeContext("Basic x"), Role::kWriter),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(auth_->Authorize(FakeContext("Bearer replica-secret"),
                               Role::kWriter),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(auth_->Authorize(FakeContext("Bearer writer-secret"),
                             Role::kWriter));
}

TEST_F(AuthorizerTest, ReadsAreOpenByDefaultAndFeedNeedsReplica) {
  EXPECT_OK(auth_->Authorize(FakeContext(""), Role::kReader));
  EXPECT_THAT(auth_->Authorize(FakeContext("Bearer writer-secret"),
                               Role::kReplica),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(auth_->Authorize(FakeContext("Bearer replica-secret"),
                             Role::kReplica));
}

TEST(AuthorizerRotationTest, PicksUpRotatedTokens) {
  AuthConfig config;
  config.writer_token_file = WriteFile("rotating", "old\n");
  config.recheck_interval = absl::ZeroDuration();
  ASSERT_OK_AND_ASSIGN(auto auth, Authorizer::Create(config));
  EXPECT_OK(auth->Authorize(FakeContext("Bearer old"), Role::kWriter));
  // Rewrite with a different mtime, as a Secret update does.
  std::string path = config.writer_token_file;
  std::ofstream(path) << "new\n";
  struct timespec times[2] = {{0, UTIME_NOW}, {time(nullptr) + 5, 0}};
  utimensat(AT_FDCWD, path.c_str(), times, 0);
  EXPECT_OK(auth->Authorize(FakeContext("Bearer new"), Role::kWriter));
  EXPECT_THAT(auth->Authorize(FakeContext("Bearer old"), Role::kWriter),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

}  // namespace
}  // namespace communique::rpc
