// QueryService requests from the command line's flags, one flag per proto
// field (same names; SummitFilter.format is --summit_format, --parent has
// the alias --summit). Values are checked here, so a bad one is an error
// naming its flag ("--kind: unknown value x (one of: ...)") before any
// call. Pure; used by cli/ commands, unit-tested in requests_test.cc.
#pragma once

#include "absl/status/statusor.h"
#include "cli/options.h"
#include "communique/v1/query_service.pb.h"

namespace communique::cli {

// INVALID_ARGUMENT naming the flag for a bad enum, date or order value.
absl::StatusOr<v1::SummitFilter> SummitFilterFrom(const Invocation& flags);
absl::StatusOr<v1::ListSummitsRequest> ListSummitsRequestFrom(
    const Invocation& flags);
absl::StatusOr<v1::ListDeclarationsRequest> ListDeclarationsRequestFrom(
    const Invocation& flags);
absl::StatusOr<v1::ListInitiativesRequest> ListInitiativesRequestFrom(
    const Invocation& flags);
absl::StatusOr<v1::ListChairmanshipsRequest> ListChairmanshipsRequestFrom(
    const Invocation& flags);
absl::StatusOr<v1::WatchSummitsRequest> WatchSummitsRequestFrom(
    const Invocation& flags);

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (the value of flag `flag`).
absl::StatusOr<v1::PartialDate> ParseDateFlag(absl::string_view flag,
                                              absl::string_view text);

}  // namespace communique::cli
