#include "tests/testing/health.h"

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace communique::testing {

grpc::Status RawUnaryCall(std::shared_ptr<grpc::Channel> channel,
                          const std::string& method, const std::string& bytes,
                          std::chrono::milliseconds timeout,
                          std::string* response) {
  grpc::Slice slice(bytes);
  grpc::ByteBuffer send(&slice, 1);
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  auto call = stub.PrepareUnaryCall(&context, method, send, &cq);
  call->StartCall();
  grpc::ByteBuffer receive;
  grpc::Status status;
  call->Finish(&receive, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (status.ok() && response != nullptr) {
    response->clear();
    std::vector<grpc::Slice> slices;
    (void)receive.Dump(&slices);
    for (const auto& s : slices) {
      response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return status;
}

absl::StatusOr<int> CheckHealth(std::shared_ptr<grpc::Channel> channel,
                                const std::string& service) {
  // HealthCheckRequest { string service = 1; }
  std::string request;
  request.push_back(0x0a);
  request.push_back(static_cast<char>(service.size()));
  request.append(service);
  std::string bytes;
  grpc::Status status =
      RawUnaryCall(channel, "/grpc.health.v1.Health/Check", request,
                   std::chrono::seconds(5), &bytes);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  // HealthCheckResponse { ServingStatus status = 1; } (absent = UNKNOWN 0)
  if (bytes.size() >= 2 && bytes[0] == 0x08) return static_cast<int>(bytes[1]);
  return 0;
}

}  // namespace communique::testing
