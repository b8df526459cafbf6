#include "cli/requests.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "shared/status/status_macros.h"

namespace communique::cli {
namespace {

// The enum value of `descriptor` named prefix + upper(text); UNSPECIFIED
// (0) for an empty text. INVALID_ARGUMENT listing the accepted values.
absl::StatusOr<int> EnumFlag(const Invocation& flags, absl::string_view flag,
                             const google::protobuf::EnumDescriptor* descriptor,
                             absl::string_view prefix) {
  const std::string text = flags.String(flag);
  if (text.empty()) return 0;
  const std::string wanted = absl::StrCat(prefix, absl::AsciiStrToUpper(text));
  std::vector<std::string> accepted;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto* value = descriptor->value(i);
    if (value->number() == 0) continue;
    if (value->name() == wanted) return value->number();
    accepted.push_back(
        absl::AsciiStrToLower(value->name().substr(prefix.size())));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": unknown value ", text,
                   " (one of: ", absl::StrJoin(accepted, ", "), ")"));
}

absl::StatusOr<v1::SummitOrder> OrderFrom(const Invocation& flags) {
  if (!flags.IsSet("order")) {
    return flags.Bool("oldest_first") ? v1::SUMMIT_ORDER_DATE_ASCENDING
                                      : v1::SUMMIT_ORDER_UNSPECIFIED;
  }
  ASSIGN_OR_RETURN(
      int order,
      EnumFlag(flags, "order", v1::SummitOrder_descriptor(), "SUMMIT_ORDER_"));
  return static_cast<v1::SummitOrder>(order);
}

std::string ParentFrom(const Invocation& flags) {
  const std::string parent = flags.String("parent");
  return parent.empty() ? "summits/-" : parent;
}

int32_t IntFlag(const Invocation& flags, absl::string_view name) {
  return static_cast<int32_t>(flags.Int(name));
}

}  // namespace

absl::StatusOr<v1::PartialDate> ParseDateFlag(absl::string_view flag,
                                              absl::string_view text) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, ": not a date (YYYY, YYYY-MM or YYYY-MM-DD): ", text));
  };
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  if (parts.empty() || parts.size() > 3) return bad();
  int values[3] = {0, 0, 0};
  const int limits[3][2] = {{1, 9999}, {1, 12}, {1, 31}};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty() || !absl::SimpleAtoi(parts[i], &values[i]) ||
        values[i] < limits[i][0] || values[i] > limits[i][1]) {
      return bad();
    }
  }
  v1::PartialDate date;
  date.set_year(values[0]);
  date.set_month(values[1]);
  date.set_day(values[2]);
  date.set_precision(parts.size() == 1   ? v1::DATE_PRECISION_YEAR
                     : parts.size() == 2 ? v1::DATE_PRECISION_MONTH
                                         : v1::DATE_PRECISION_DAY);
  return date;
}

absl::StatusOr<v1::SummitFilter> SummitFilterFrom(const Invocation& flags) {
  v1::SummitFilter f;
  f.set_organization(flags.String("organization"));
  f.set_year(IntFlag(flags, "year"));
  f.set_min_year(IntFlag(flags, "min_year"));
  f.set_max_year(IntFlag(flags, "max_year"));
  f.set_city(flags.String("city"));
  f.set_country(flags.String("country"));
  f.set_participant_country(flags.String("participant_country"));
  f.set_person(flags.String("person"));
  ASSIGN_OR_RETURN(int format,
                   EnumFlag(flags, "summit_format",
                            v1::SummitFormat_descriptor(), "SUMMIT_FORMAT_"));
  f.set_format(static_cast<v1::SummitFormat>(format));
  f.set_topic(flags.String("topic"));
  f.set_presiding(flags.String("presiding"));
  f.set_text(flags.String("text"));
  if (!flags.String("start_date").empty()) {
    ASSIGN_OR_RETURN(*f.mutable_start_date(),
                     ParseDateFlag("start_date", flags.String("start_date")));
  }
  if (!flags.String("end_date").empty()) {
    ASSIGN_OR_RETURN(*f.mutable_end_date(),
                     ParseDateFlag("end_date", flags.String("end_date")));
  }
  return f;
}

absl::StatusOr<v1::ListSummitsRequest> ListSummitsRequestFrom(
    const Invocation& flags) {
  v1::ListSummitsRequest request;
  ASSIGN_OR_RETURN(*request.mutable_filter(), SummitFilterFrom(flags));
  ASSIGN_OR_RETURN(v1::SummitOrder order, OrderFrom(flags));
  request.set_order(order);
  request.set_page_size(IntFlag(flags, "page_size"));
  request.set_page_token(flags.String("page_token"));
  request.set_consistency_token(flags.String("consistency_token"));
  return request;
}

absl::StatusOr<v1::ListDeclarationsRequest> ListDeclarationsRequestFrom(
    const Invocation& flags) {
  v1::ListDeclarationsRequest request;
  request.set_parent(ParentFrom(flags));
  ASSIGN_OR_RETURN(int kind,
                   EnumFlag(flags, "kind", v1::DeclarationKind_descriptor(),
                            "DECLARATION_KIND_"));
  request.set_kind(static_cast<v1::DeclarationKind>(kind));
  ASSIGN_OR_RETURN(int status,
                   EnumFlag(flags, "status", v1::DeclarationStatus_descriptor(),
                            "DECLARATION_STATUS_"));
  request.set_status(static_cast<v1::DeclarationStatus>(status));
  request.set_organization(flags.String("organization"));
  request.set_year(IntFlag(flags, "year"));
  request.set_min_year(IntFlag(flags, "min_year"));
  request.set_max_year(IntFlag(flags, "max_year"));
  request.set_text(flags.String("text"));
  ASSIGN_OR_RETURN(v1::SummitOrder order, OrderFrom(flags));
  request.set_order(order);
  request.set_page_size(IntFlag(flags, "page_size"));
  request.set_page_token(flags.String("page_token"));
  request.set_consistency_token(flags.String("consistency_token"));
  return request;
}

absl::StatusOr<v1::ListInitiativesRequest> ListInitiativesRequestFrom(
    const Invocation& flags) {
  v1::ListInitiativesRequest request;
  request.set_parent(ParentFrom(flags));
  request.set_proposer_country(flags.String("proposer_country"));
  request.set_proposer_person(flags.String("proposer_person"));
  ASSIGN_OR_RETURN(int status,
                   EnumFlag(flags, "status", v1::InitiativeStatus_descriptor(),
                            "INITIATIVE_STATUS_"));
  request.set_status(static_cast<v1::InitiativeStatus>(status));
  request.set_topic(flags.String("topic"));
  request.set_organization(flags.String("organization"));
  request.set_year(IntFlag(flags, "year"));
  request.set_min_year(IntFlag(flags, "min_year"));
  request.set_max_year(IntFlag(flags, "max_year"));
  request.set_text(flags.String("text"));
  ASSIGN_OR_RETURN(v1::SummitOrder order, OrderFrom(flags));
  request.set_order(order);
  request.set_page_size(IntFlag(flags, "page_size"));
  request.set_page_token(flags.String("page_token"));
  request.set_consistency_token(flags.String("consistency_token"));
  return request;
}

absl::StatusOr<v1::ListChairmanshipsRequest> ListChairmanshipsRequestFrom(
    const Invocation& flags) {
  v1::ListChairmanshipsRequest request;
  request.set_organization(flags.String("organization"));
  request.set_country(flags.String("country"));
  request.set_page_size(IntFlag(flags, "page_size"));
  request.set_page_token(flags.String("page_token"));
  request.set_consistency_token(flags.String("consistency_token"));
  return request;
}

absl::StatusOr<v1::WatchSummitsRequest> WatchSummitsRequestFrom(
    const Invocation& flags) {
  v1::WatchSummitsRequest request;
  ASSIGN_OR_RETURN(*request.mutable_filter(), SummitFilterFrom(flags));
  request.set_start_sequence(
      static_cast<uint64_t>(flags.Int("start_sequence")));
  request.set_consistency_token(flags.String("consistency_token"));
  return request;
}

}  // namespace communique::cli
