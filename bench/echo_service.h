// The Echo floor service (bench/echo.proto), served by its own binary,
// communique-bench-echo (bench/echo_main.cc), on the services' server
// bootstrap and flags. Thread-safe; one instance per server.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "bench/echo.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace communique::bench {

// Echo is served raw, like the query service's Get and List methods
// (query_service/query_server.h): the request is parsed from its bytes
// and the response is pre-serialised bytes, copied once per call into the
// response as a handler copies the bytes it read (the query handlers copy
// a record's bytes out of RocksDB). So Echo returns exactly the bytes of
// an earlier response stored with SetPayload, and costs only the server
// stack plus that copy.
using EchoServiceBase =
    v1::EchoService::WithRawCallbackMethod_Echo<v1::EchoService::CallbackService>;

// Serves Echo and EchoStream from cached blobs, so a call costs only the
// server stack itself. Sizes above 16 MiB are INVALID_ARGUMENT.
class EchoServer final : public EchoServiceBase {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const grpc::ByteBuffer* request,
                                 grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<v1::EchoResponse>* EchoStream(
      grpc::CallbackServerContext* context,
      const v1::EchoRequest* request) override;
  // INVALID_ARGUMENT for an empty key or more than 16 MiB;
  // RESOURCE_EXHAUSTED past 64 keys.
  grpc::ServerUnaryReactor* SetPayload(grpc::CallbackServerContext* context,
                                       const v1::SetPayloadRequest* request,
                                       v1::SetPayloadResponse* response) override;

 private:
  // The cached blob of `size` bytes; nullptr for a bad size.
  std::shared_ptr<const v1::EchoResponse> Blob(int size);
  // The serialised EchoResponse of Blob(size); nullptr for a bad size.
  std::shared_ptr<const std::string> SerializedBlob(int size);
  // The bytes stored under `key`; nullptr when there are none.
  std::shared_ptr<const std::string> Payload(const std::string& key);

  absl::Mutex mu_;
  std::map<int, std::shared_ptr<const v1::EchoResponse>> blobs_
      ABSL_GUARDED_BY(mu_);
  std::map<int, std::shared_ptr<const std::string>> serialized_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<const std::string>> payloads_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace communique::bench
