#include "shared/store/internal/summit_history.h"

#include "absl/status/status.h"
#include "communique/storage/v1/records.pb.h"
#include "communique/v1/change_feed.pb.h"
#include "communique/v1/query_service.pb.h"
#include "shared/wire/wire_format.h"

namespace communique::store::internal {

namespace sv1 = ::communique::storage::v1;
namespace wire = ::communique::wire;

absl::StatusOr<HistoryEntry> ReadHistoryEntry(absl::string_view bytes,
                                              std::string* storage) {
  auto malformed = [] {
    return absl::DataLossError("stored bytes of history do not parse");
  };
  auto normalised = [&]() -> absl::StatusOr<HistoryEntry> {
    sv1::ChangeRecord record;
    if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return malformed();
    }
    *storage = record.SerializeAsString();
    return ReadHistoryEntry(*storage, nullptr);
  };
  absl::string_view in = bytes;
  std::optional<absl::string_view> event;
  wire::WireField field;
  while (!in.empty()) {
    if (!wire::ReadField(&in, &field)) return malformed();
    if (field.number != sv1::ChangeRecord::kEventFieldNumber) continue;
    if (field.wire_type != wire::kWireLen) return malformed();
    if (event.has_value()) {
      if (storage == nullptr) return malformed();
      return normalised();
    }
    event = field.payload;
  }
  HistoryEntry entry;
  if (!event.has_value()) return entry;
  in = *event;
  while (!in.empty()) {
    if (!wire::ReadField(&in, &field)) return malformed();
    const bool varint = field.wire_type == wire::kWireVarint;
    const bool len = field.wire_type == wire::kWireLen;
    std::optional<absl::string_view>* message = nullptr;
    switch (field.number) {
      case v1::ChangeEvent::kSequenceFieldNumber:
        if (!varint) return malformed();
        entry.sequence = field.varint;
        break;
      case v1::ChangeEvent::kTypeFieldNumber:
        if (!varint) return malformed();
        entry.type = field.varint;
        break;
      case v1::ChangeEvent::kNameFieldNumber:
        if (!len) return malformed();
        entry.name = field.payload;
        break;
      case v1::ChangeEvent::kAliasOfFieldNumber:
        if (!len) return malformed();
        entry.alias_of = field.payload;
        break;
      case v1::ChangeEvent::kCommitTimeFieldNumber:
        message = &entry.commit_time;
        break;
      case v1::ChangeEvent::kSummitFieldNumber:
        message = &entry.summit;
        break;
      case v1::ChangeEvent::kDeclarationFieldNumber:
      case v1::ChangeEvent::kInitiativeFieldNumber:
        // The oneof's last member wins: another resource clears the summit.
        entry.summit.reset();
        break;
      default:
        break;  // unknown fields are not part of a SummitChange
    }
    if (message != nullptr) {
      if (!len) return malformed();
      if (message->has_value()) {
        if (storage == nullptr) return malformed();
        return normalised();
      }
      *message = field.payload;
    }
  }
  return entry;
}

void AppendSummitChange(const HistoryEntry& entry, std::string* out) {
  wire::AppendVarintField(v1::SummitChange::kSequenceFieldNumber,
                          entry.sequence, out);
  // A summit merged into another reads as its deletion.
  const uint64_t type =
      entry.alias_of.empty() ? entry.type
                             : static_cast<uint64_t>(v1::CHANGE_TYPE_DELETE);
  wire::AppendVarintField(v1::SummitChange::kTypeFieldNumber, type, out);
  if (!entry.name.empty()) {
    wire::AppendLenField(v1::SummitChange::kNameFieldNumber, entry.name, out);
  }
  wire::AppendLenField(v1::SummitChange::kSummitFieldNumber,
                       entry.summit.value_or(absl::string_view()), out);
  if (!entry.alias_of.empty()) {
    wire::AppendLenField(v1::SummitChange::kMergedIntoFieldNumber,
                         entry.alias_of, out);
  }
  wire::AppendLenField(v1::SummitChange::kCommitTimeFieldNumber,
                       entry.commit_time.value_or(absl::string_view()), out);
}

}  // namespace communique::store::internal
