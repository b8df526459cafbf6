#include "bench/echo_service.h"

#include <string>

#include "absl/flags/flag.h"

ABSL_FLAG(bool, bench_echo, false,
          "Also serve communique.bench.v1.EchoService, the floor the "
          "benchmark suite (scripts/bench.sh) measures our RPCs against.");

namespace communique::bench {

bool BenchEchoFromFlags() { return absl::GetFlag(FLAGS_bench_echo); }

std::shared_ptr<const v1::EchoResponse> EchoServer::Blob(int size) {
  if (size < 0 || size > (16 << 20)) return nullptr;
  absl::MutexLock lock(&mu_);
  auto& blob = blobs_[size];
  if (blob == nullptr) {
    auto built = std::make_shared<v1::EchoResponse>();
    built->set_payload(std::string(static_cast<size_t>(size), 'x'));
    blob = std::move(built);
  }
  return blob;
}

grpc::ServerUnaryReactor* EchoServer::Echo(grpc::CallbackServerContext* context,
                                           const v1::EchoRequest* request,
                                           v1::EchoResponse* response) {
  auto* reactor = context->DefaultReactor();
  std::shared_ptr<const v1::EchoResponse> blob =
      Blob(request->response_bytes());
  if (blob == nullptr) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "response_bytes out of range"));
    return reactor;
  }
  // A copy, as a handler copies its library's result into the response.
  *response = *blob;
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

namespace {

class EchoWriter final : public grpc::ServerWriteReactor<v1::EchoResponse> {
 public:
  EchoWriter(std::shared_ptr<const v1::EchoResponse> blob, int count)
      : blob_(std::move(blob)), remaining_(count) {
    Next();
  }
  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      return;
    }
    Next();
  }
  void OnDone() override { delete this; }

 private:
  void Next() {
    if (remaining_-- <= 0) {
      Finish(grpc::Status::OK);
      return;
    }
    StartWrite(blob_.get());
  }
  std::shared_ptr<const v1::EchoResponse> blob_;
  int remaining_;
};

}  // namespace

grpc::ServerWriteReactor<v1::EchoResponse>* EchoServer::EchoStream(
    grpc::CallbackServerContext* context, const v1::EchoRequest* request) {
  std::shared_ptr<const v1::EchoResponse> blob =
      Blob(request->response_bytes());
  if (blob == nullptr) blob = Blob(0);
  return new EchoWriter(std::move(blob), request->count());
}

}  // namespace communique::bench
