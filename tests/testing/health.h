// A grpc.health.v1 client for tests, without generated code (the health
// proto is not packaged): Health/Check over a generic stub; and the generic
// unary call it uses, for tests that send hand-made request bytes.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"

namespace communique::testing {

// Calls unary `method` ("/package.Service/Method") with request `bytes` as
// they are (what generated code would refuse to serialize), deadline
// `timeout`. Returns the call's status; the response bytes go to `response`
// when it is not null.
grpc::Status RawUnaryCall(std::shared_ptr<grpc::Channel> channel,
                          const std::string& method, const std::string& bytes,
                          std::chrono::milliseconds timeout,
                          std::string* response = nullptr);

// The serving status grpc.health.v1.Health/Check reports for `service`:
// 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN; or the call's error.
absl::StatusOr<int> CheckHealth(std::shared_ptr<grpc::Channel> channel,
                                const std::string& service);

}  // namespace communique::testing
