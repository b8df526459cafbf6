#include "bench/loadgen/loadgen.h"

namespace communique::bench::loadgen {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

// Calls of `method`, cycling through the pre-serialised `requests`.
IssueFn RawCalls(RawStub* stub, std::string method,
                 std::shared_ptr<const std::vector<grpc::ByteBuffer>> requests) {
  auto next = std::make_shared<std::atomic<size_t>>(0);
  return [stub, method, requests, next](DoneFn done) {
    auto* call = new Call<grpc::ByteBuffer, grpc::ByteBuffer>;
    call->request = (*requests)[next->fetch_add(1) % requests->size()];
    call->context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    stub->UnaryCall(&call->context, method, grpc::StubOptions(), &call->request,
                    &call->response, [call, done](grpc::Status status) {
                      // Free the call first: `done` may let Main finish and exit.
                      delete call;
                      done(status.ok(), ErrorText(status));
                    });
  };
}

// One call of `method` with `request`; the response's bytes.
std::string RawCallOnce(RawStub* stub, const std::string& method,
                        const std::string& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  const grpc::ByteBuffer in = ToBuffer(request);
  grpc::ByteBuffer out;
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  grpc::Status result;
  stub->UnaryCall(&context, method, grpc::StubOptions(), &in, &out,
                  [&](grpc::Status status) {
                    std::lock_guard<std::mutex> lock(mu);
                    result = std::move(status);
                    finished = true;
                    cv.notify_all();
                  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return finished; });
  if (!result.ok()) Fail(method + ": " + result.error_message());
  return FromBuffer(out);
}

// Stores `bytes` in the Echo server under `key`; returns the serialised
// Echo request that returns them verbatim.
std::string EchoOf(v1::EchoService::Stub* echo, const std::string& key,
                   const std::string& bytes) {
  v1::SetPayloadRequest request;
  request.set_key(key);
  request.set_payload(bytes);
  v1::SetPayloadResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  grpc::Status status = echo->SetPayload(&context, request, &response);
  if (!status.ok()) Fail("Echo SetPayload: " + status.error_message());
  v1::EchoRequest echo_request;
  echo_request.set_payload_key(key);
  return echo_request.SerializeAsString();
}

std::shared_ptr<grpc::Channel> Channel(const std::string& address,
                                       const std::string& token_file) {
  rpc::TlsConfig tls;
  tls.insecure = absl::GetFlag(FLAGS_insecure);
  tls.ca_file = absl::GetFlag(FLAGS_ca_file);
  tls.bearer_token_file = token_file;
  auto credentials = rpc::MakeChannelCredentials(tls);
  if (!credentials.ok()) {
    Fail(absl::StrCat("credentials: ", credentials.status().message()));
  }
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 << 20);
  return grpc::CreateCustomChannel(address, *credentials, args);
}

}  // namespace communique::bench::loadgen
