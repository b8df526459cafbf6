// A grpc.health.v1 client for tests, without generated code (the health
// proto is not packaged): Health/Check over a generic stub.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"

namespace communique::testing {

// The serving status grpc.health.v1.Health/Check reports for `service`:
// 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN; or the call's error.
absl::StatusOr<int> CheckHealth(std::shared_ptr<grpc::Channel> channel,
                                const std::string& service);

}  // namespace communique::testing
