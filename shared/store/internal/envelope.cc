#include "shared/store/internal/envelope.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "shared/wire/wire_format.h"

namespace communique::store::internal {

absl::StatusOr<Envelope> ReadEnvelope(absl::string_view bytes,
                                      absl::string_view what) {
  Envelope envelope;
  absl::string_view in = bytes;
  wire::WireField field;
  while (!in.empty()) {
    if (!wire::ReadField(&in, &field)) {
      return absl::DataLossError(
          absl::StrCat("stored bytes of ", what, " do not parse"));
    }
    if (field.wire_type != wire::kWireLen) continue;
    if (field.number == 1) {
      if (envelope.payload.has_value()) envelope.split_payload = true;
      envelope.payload = field.payload;
    } else if (field.number == 2) {
      envelope.alias_of = std::string(field.payload);
    }
  }
  return envelope;
}

}  // namespace communique::store::internal
