// The Echo floor service (bench/echo.proto), registered by both service
// binaries when --bench_echo is set. Thread-safe; one instance per server.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "bench/echo.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace communique::bench {

// Whether --bench_echo was given (default false).
bool BenchEchoFromFlags();

// Serves Echo and EchoStream from cached blobs, so a call costs only the
// server stack itself. Sizes above 16 MiB are INVALID_ARGUMENT.
class EchoServer final : public v1::EchoService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const v1::EchoRequest* request,
                                 v1::EchoResponse* response) override;
  grpc::ServerWriteReactor<v1::EchoResponse>* EchoStream(
      grpc::CallbackServerContext* context,
      const v1::EchoRequest* request) override;

 private:
  // The cached blob of `size` bytes; nullptr for a bad size.
  std::shared_ptr<const v1::EchoResponse> Blob(int size);

  absl::Mutex mu_;
  std::map<int, std::shared_ptr<const v1::EchoResponse>> blobs_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace communique::bench
