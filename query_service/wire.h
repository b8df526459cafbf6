// Responses written as wire bytes: the query store keeps every record as
// its API message's serialised bytes, so the read RPCs send those bytes as
// they are instead of parsing them into messages that gRPC would serialise
// again (that round trip was most of a read's server CPU). Clients see the
// same bytes protobuf would have produced.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "shared/rpc/raw_message.h"
#include "shared/wire/wire_format.h"
#include "shared/store/query_store.h"

namespace communique::query::wire {

using ::communique::wire::AppendLenField;
using ::communique::wire::AppendVarintField;

// An AIP-158 List response (`repeated Item items = ...; string
// next_page_token; int32 total_size`) from the items' wire bytes. Field
// numbers come from the generated Response class, so this cannot drift
// from the proto. Proto3 omits empty strings and zero integers.
template <typename Response>
std::string ListResponse(int items_field,
                         const store::ListPage<std::string>& page,
                         const std::string& next_page_token) {
  size_t size = next_page_token.size() + 16;
  for (const std::string& item : page.items) size += item.size() + 6;
  std::string out;
  out.reserve(size);
  for (const std::string& item : page.items) {
    AppendLenField(items_field, item, &out);
  }
  if (!next_page_token.empty()) {
    AppendLenField(Response::kNextPageTokenFieldNumber, next_page_token,
                   &out);
  }
  const int64_t total =
      std::min<int64_t>(std::max<int64_t>(page.total_size, 0), INT32_MAX);
  AppendVarintField(Response::kTotalSizeFieldNumber,
                    static_cast<uint64_t>(total), &out);  // omitted when 0
  return out;
}

// The raw-method helpers shared with the ingest side's change feed.
using ::communique::rpc::ParseRequest;
using ::communique::rpc::SetBytes;

}  // namespace communique::query::wire
