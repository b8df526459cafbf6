// Protobuf wire-format reading and writing at the level of top-level
// fields, for the paths that serve stored bytes without parsing them into
// messages: the store's change feed and summit watches, its record
// envelopes, and the services' raw responses. A library of its own
// (communique::wire, header-only, no dependency but Abseil strings): the
// one varint and field reader of the project. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace communique::wire {

// Wire types of the protobuf encoding.
inline constexpr int kWireVarint = 0;
inline constexpr int kWireFixed64 = 1;
inline constexpr int kWireLen = 2;
inline constexpr int kWireFixed32 = 5;

// Reads a base-128 varint from the front of `in` and advances it. False
// (with `in` unspecified) when the bytes end first or it is over 10 bytes.
inline bool ReadVarint(absl::string_view* in, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 70 && !in->empty(); shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

// One top-level field of an encoded message.
struct WireField {
  int number = 0;
  int wire_type = 0;
  // The value of a varint field.
  uint64_t varint = 0;
  // The payload of a length-delimited field (without tag and length).
  absl::string_view payload;
  // The whole field as encoded: tag, length if any, value.
  absl::string_view encoded;
};

// Reads the field at the front of `in` and advances past it. False when the
// bytes are not a well-formed field (groups are not supported: no message
// here has any).
inline bool ReadField(absl::string_view* in, WireField* field) {
  const char* start = in->data();
  uint64_t tag = 0;
  if (!ReadVarint(in, &tag) || (tag >> 3) == 0 || (tag >> 3) > (1u << 29)) {
    return false;
  }
  field->number = static_cast<int>(tag >> 3);
  field->wire_type = static_cast<int>(tag & 7);
  field->varint = 0;
  field->payload = absl::string_view();
  switch (field->wire_type) {
    case kWireVarint:
      if (!ReadVarint(in, &field->varint)) return false;
      break;
    case kWireFixed64:
      if (in->size() < 8) return false;
      in->remove_prefix(8);
      break;
    case kWireFixed32:
      if (in->size() < 4) return false;
      in->remove_prefix(4);
      break;
    case kWireLen: {
      uint64_t length = 0;
      if (!ReadVarint(in, &length) || length > in->size()) return false;
      field->payload = in->substr(0, length);
      in->remove_prefix(length);
      break;
    }
    default:
      return false;
  }
  field->encoded = absl::string_view(start, in->data() - start);
  return true;
}

inline void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

inline void AppendTag(int number, int wire_type, std::string* out) {
  AppendVarint((static_cast<uint64_t>(number) << 3) | wire_type, out);
}

// Field `number` (wire type LEN) holding `payload`.
inline void AppendLenField(int number, absl::string_view payload,
                           std::string* out) {
  AppendTag(number, kWireLen, out);
  AppendVarint(payload.size(), out);
  out->append(payload.data(), payload.size());
}

// Varint field `number` holding `value`; proto3 omits zero, and so does
// this.
inline void AppendVarintField(int number, uint64_t value, std::string* out) {
  if (value == 0) return;
  AppendTag(number, kWireVarint, out);
  AppendVarint(value, out);
}

}  // namespace communique::wire
