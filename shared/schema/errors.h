// AIP-193 error details without gRPC: INVALID_ARGUMENT statuses that carry
// a google.rpc.BadRequest (field violations) as an absl::Status payload,
// and the google.rpc.Status message that a gRPC edge puts in
// grpc-status-details-bin. Used by the services' request validation.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace communique::schema {

// Type URL under which a BadRequest payload is attached to an absl::Status
// (and packed into google.rpc.Status.details).
inline constexpr char kBadRequestTypeUrl[] =
    "type.googleapis.com/google.rpc.BadRequest";

// INVALID_ARGUMENT with message "{field}: {description}" and a BadRequest
// payload holding that one violation.
absl::Status InvalidField(absl::string_view field,
                          absl::string_view description);

// Collects the violations of one request, so a client learns about every
// bad field at once. Not thread-safe.
class FieldViolations {
 public:
  void Add(absl::string_view field, absl::string_view description);
  // Adds the violations of a failed `status`: its BadRequest's, or one
  // parsed from a "{field}: {description}" message, or one with an empty
  // field. Does nothing for OK.
  void Merge(const absl::Status& status);
  bool empty() const { return violations_.empty(); }
  // OK when empty; otherwise INVALID_ARGUMENT whose message joins
  // "{field}: {description}" with "; " and whose BadRequest payload lists
  // every violation in the order added.
  absl::Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// The BadRequest payload of `status`, if it has one that parses.
bool GetBadRequest(const absl::Status& status, google::rpc::BadRequest* out);

// `status` unchanged unless it is INVALID_ARGUMENT without a BadRequest
// payload and its message reads "{field}: {description}" (the house form of
// validation messages, e.g. "name: must start with summits/"); then the
// same status with a one-violation BadRequest attached.
absl::Status WithBadRequest(absl::Status status);

// google.rpc.Status of `status`: code, message, and one Any per payload
// (type URL and bytes as attached). For grpc::Status's binary details.
google::rpc::Status ToRpcStatus(const absl::Status& status);

}  // namespace communique::schema
