#include "bench/echo_service.h"

#include <string>
#include <utility>

#include "grpcpp/support/proto_buffer_reader.h"
#include "shared/rpc/raw_message.h"

namespace communique::bench {

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

std::shared_ptr<const std::string> EchoServer::SerializedBlob(int size) {
  std::shared_ptr<const v1::EchoResponse> blob = Blob(size);
  if (blob == nullptr) return nullptr;
  absl::MutexLock lock(&mu_);
  auto& bytes = serialized_[size];
  if (bytes == nullptr) {
    bytes = std::make_shared<const std::string>(blob->SerializeAsString());
  }
  return bytes;
}

std::shared_ptr<const std::string> EchoServer::Payload(const std::string& key) {
  absl::MutexLock lock(&mu_);
  auto it = payloads_.find(key);
  return it == payloads_.end() ? nullptr : it->second;
}


grpc::ServerUnaryReactor* EchoServer::Echo(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) {
  auto* reactor = context->DefaultReactor();
  v1::EchoRequest parsed;
  if (!rpc::ParseRequest(*request, &parsed).ok()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "request is not an EchoRequest"));
    return reactor;
  }
  std::shared_ptr<const std::string> bytes;
  if (!parsed.payload_key().empty()) {
    bytes = Payload(parsed.payload_key());
    if (bytes == nullptr) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "no payload " + parsed.payload_key()));
      return reactor;
    }
  } else {
    bytes = SerializedBlob(parsed.response_bytes());
    if (bytes == nullptr) {
      reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                   "response_bytes out of range"));
      return reactor;
    }
  }
  // One copy, as a handler copies the bytes its library read into the
  // response.
  rpc::SetBytes(*bytes, response);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* EchoServer::SetPayload(
    grpc::CallbackServerContext* context, const v1::SetPayloadRequest* request,
    v1::SetPayloadResponse* /*response*/) {
  auto* reactor = context->DefaultReactor();
  if (request->key().empty() || request->payload().size() > (16u << 20)) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "empty key or payload over 16 MiB"));
    return reactor;
  }
  absl::MutexLock lock(&mu_);
  if (payloads_.size() >= 64 && payloads_.count(request->key()) == 0) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "at most 64 payload keys"));
    return reactor;
  }
  payloads_[request->key()] =
      std::make_shared<const std::string>(request->payload());
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
