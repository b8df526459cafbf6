#include "shared/rpc/status.h"

#include "gtest/gtest.h"

namespace communique::rpc {
namespace {

TEST(StatusBridgeTest, CodesAndMessagesLineUp) {
  grpc::Status s = ToGrpcStatus(absl::NotFoundError("summit x not found"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "summit x not found");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  for (int code = 1; code <= 16; ++code) {
    absl::Status original(static_cast<absl::StatusCode>(code), "m");
    EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(original)), original) << code;
  }
}

}  // namespace
}  // namespace communique::rpc

#include "shared/rpc/config.h"

namespace communique::rpc {
namespace {

TEST(ConfigTest, EnvironmentVariableNamesFollowTheFlag) {
  EXPECT_EQ(EnvironmentVariableFor("data_dir"), "COMMUNIQUE_DATA_DIR");
  EXPECT_EQ(EnvironmentVariableFor("tls_cert"), "COMMUNIQUE_TLS_CERT");
}

}  // namespace
}  // namespace communique::rpc
