// Internal to shared/store: the stored record envelopes (SummitRecord,
// DeclarationRecord, InitiativeRecord) read at the top level only, on the
// one protobuf wire reader (shared/wire/wire_format.h), so the query
// store serves a record's API message bytes without parsing them. Pure
// functions; thread-safe. Only query_store.cc includes this.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "shared/status/status_macros.h"
#include "shared/store/internal/db.h"

namespace communique::store::internal {

// A stored envelope read at the top level: field 1 is the API message,
// whose wire bytes are served as they are, and field 2 (summits) an alias
// target.
struct Envelope {
  // The API message's bytes; nullopt when field 1 is absent (an alias).
  std::optional<absl::string_view> payload;
  std::string alias_of;
  // Field 1 occurred more than once, which protobuf reads as a merge of
  // the parts: the caller must parse and re-serialise. Our writers never
  // produce it.
  bool split_payload = false;
};

// Reads the envelope in `bytes` (the views point into it). DATA_LOSS
// naming `what` when the bytes are not well-formed protobuf.
absl::StatusOr<Envelope> ReadEnvelope(absl::string_view bytes,
                                      absl::string_view what);

// The API message bytes of a stored envelope of type `Record` (nullopt for
// a summit alias, whose target goes to `alias_of` when given).
// Takes `bytes` and, in the usual case (the payload in one field), trims
// them in place to the payload: a move within the buffer the read filled,
// not a second allocation and copy per record read.
template <typename Record>
absl::StatusOr<std::optional<std::string>> EnvelopePayload(
    std::string bytes, absl::string_view what,
    std::string* alias_of = nullptr) {
  ASSIGN_OR_RETURN(Envelope envelope, ReadEnvelope(bytes, what));
  if (alias_of != nullptr) *alias_of = envelope.alias_of;
  if (!envelope.payload.has_value()) return std::nullopt;
  if (!envelope.split_payload) {
    const size_t offset =
        static_cast<size_t>(envelope.payload->data() - bytes.data());
    const size_t length = envelope.payload->size();
    bytes.erase(0, offset);
    bytes.resize(length);
    return std::optional<std::string>(std::move(bytes));
  }
  ASSIGN_OR_RETURN(Record record, ParseValue<Record>(bytes, what));
  std::string out;
  // Field 1 of every envelope is its API message.
  const google::protobuf::Message& payload = record.GetReflection()->GetMessage(
      record, record.GetDescriptor()->FindFieldByNumber(1));
  payload.SerializeToString(&out);
  return out;
}

}  // namespace communique::store::internal
