#include "shared/schema/errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace communique::schema {
namespace {

absl::Status WithPayload(absl::Status status,
                         const google::rpc::BadRequest& bad_request) {
  status.SetPayload(kBadRequestTypeUrl,
                    absl::Cord(bad_request.SerializeAsString()));
  return status;
}

// A field path as our messages write it: identifiers, dots, brackets.
bool LooksLikeFieldPath(absl::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                    c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::Status InvalidField(absl::string_view field,
                          absl::string_view description) {
  FieldViolations violations;
  violations.Add(field, description);
  return violations.ToStatus();
}

void FieldViolations::Add(absl::string_view field,
                          absl::string_view description) {
  violations_.emplace_back(std::string(field), std::string(description));
}

void FieldViolations::Merge(const absl::Status& status) {
  if (status.ok()) return;
  google::rpc::BadRequest bad_request;
  if (GetBadRequest(WithBadRequest(status), &bad_request)) {
    for (const auto& violation : bad_request.field_violations()) {
      Add(violation.field(), violation.description());
    }
    return;
  }
  Add("", status.message());
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const auto& [field, description] : violations_) {
    auto* violation = bad_request.add_field_violations();
    violation->set_field(field);
    violation->set_description(description);
    parts.push_back(absl::StrCat(field, ": ", description));
  }
  return WithPayload(absl::InvalidArgumentError(absl::StrJoin(parts, "; ")),
                     bad_request);
}

bool GetBadRequest(const absl::Status& status, google::rpc::BadRequest* out) {
  absl::optional<absl::Cord> payload = status.GetPayload(kBadRequestTypeUrl);
  if (!payload.has_value()) return false;
  return out->ParseFromString(std::string(*payload));
}

absl::Status WithBadRequest(absl::Status status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return status;
  if (status.GetPayload(kBadRequestTypeUrl).has_value()) return status;
  const absl::string_view message = status.message();
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos ||
      !LooksLikeFieldPath(message.substr(0, colon))) {
    return status;
  }
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field(std::string(message.substr(0, colon)));
  violation->set_description(std::string(message.substr(colon + 2)));
  return WithPayload(std::move(status), bad_request);
}

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status out;
  out.set_code(static_cast<int>(status.code()));
  out.set_message(std::string(status.message()));
  status.ForEachPayload(
      [&out](absl::string_view type_url, const absl::Cord& payload) {
        auto* any = out.add_details();
        any->set_type_url(std::string(type_url));
        any->set_value(std::string(payload));
      });
  return out;
}

}  // namespace communique::schema
