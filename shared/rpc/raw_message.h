// Helpers of the raw (ByteBuffer) callback methods, whose handlers send
// stored wire bytes as they are instead of parsing them into messages that
// gRPC would serialise again. Used by the change feed (ingest) and the
// summit watches (query).
#pragma once

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/slice.h"

namespace communique::rpc {

// Moves `bytes` into `out` without copying them.
inline void SetBytes(std::string bytes, grpc::ByteBuffer* out) {
  auto* owned = new std::string(std::move(bytes));
  grpc::Slice slice(
      owned->data(), owned->size(),
      [](void* p) { delete static_cast<std::string*>(p); }, owned);
  grpc::ByteBuffer buffer(&slice, 1);
  out->Swap(&buffer);
}

// Parses a request message; INVALID_ARGUMENT when the bytes are not one
// (e.g. a string field holding invalid UTF-8).
template <typename Request>
absl::Status ParseRequest(const grpc::ByteBuffer& bytes, Request* request) {
  grpc::ByteBuffer copy(bytes);  // shares the slices
  if (copy.Valid()) {
    grpc::ProtoBufferReader reader(&copy);
    if (request->ParseFromZeroCopyStream(&reader)) return absl::OkStatus();
  } else if (request->ParseFromString("")) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "request is not a valid ", Request::descriptor()->full_name(),
      " (malformed bytes, or a string field that is not UTF-8)"));
}

}  // namespace communique::rpc
