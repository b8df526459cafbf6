#include "shared/rpc/status.h"

#include "gtest/gtest.h"
#include "shared/schema/errors.h"

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

TEST(StatusBridgeTest, PayloadsTravelAsRpcStatusDetails) {
  grpc::Status s = ToGrpcStatus(schema::InvalidField("page_size", "must not be negative"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  ASSERT_EQ(details.details_size(), 2);
  google::rpc::BadRequest bad;
  google::rpc::ErrorInfo info;
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::BadRequest>()) ASSERT_TRUE(any.UnpackTo(&bad));
    if (any.Is<google::rpc::ErrorInfo>()) ASSERT_TRUE(any.UnpackTo(&info));
  }
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "page_size");
  EXPECT_EQ(info.reason(), "INVALID_ARGUMENT");
  EXPECT_EQ(info.domain(), kErrorDomain);
  google::rpc::Status not_found;
  ASSERT_TRUE(not_found.ParseFromString(
      ToGrpcStatus(absl::NotFoundError("x")).error_details()));
  EXPECT_EQ(not_found.code(), 5);
  ASSERT_EQ(not_found.details_size(), 1);
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
