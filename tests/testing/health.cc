#include "tests/testing/health.h"

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace communique::testing {

absl::StatusOr<int> CheckHealth(std::shared_ptr<grpc::Channel> channel,
                                const std::string& service) {
  // HealthCheckRequest { string service = 1; }
  std::string request;
  request.push_back(0x0a);
  request.push_back(static_cast<char>(service.size()));
  request.append(service);
  grpc::Slice slice(request);
  grpc::ByteBuffer send(&slice, 1);
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check",
                                    send, &cq);
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
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  std::vector<grpc::Slice> slices;
  (void)receive.Dump(&slices);
  std::string bytes;
  for (const auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  // HealthCheckResponse { ServingStatus status = 1; } (absent = UNKNOWN 0)
  if (bytes.size() >= 2 && bytes[0] == 0x08) return static_cast<int>(bytes[1]);
  return 0;
}

}  // namespace communique::testing
