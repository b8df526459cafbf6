// `communique export summits|declarations|initiatives|participants`:
// every page of a filtered list, streamed as CSV or JSON Lines with the
// columns of cli/records.h (one row per record; participants one row per
// person per summit).

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/records.h"
#include "cli/requests.h"
#include "communique/v1/query_service.grpc.pb.h"

namespace communique::cli {
namespace {

// Largest page the service serves; fewer round trips for a full export.
constexpr int kExportPageSize = 1000;

// Calls `page(context, token, &next)` until next is empty; each call
// writes its rows. Returns the first failed status.
template <typename PageFn>
grpc::Status EveryPage(const Invocation& flags, PageFn page) {
  std::string token;
  do {
    grpc::ClientContext context;
    SetDeadline(flags, &context);
    std::string next;
    grpc::Status status = page(&context, token, &next);
    if (!status.ok()) return status;
    token = next;
  } while (!token.empty());
  return grpc::Status::OK;
}

int32_t PageSize(const Invocation& flags) {
  return flags.Int("page_size") > 0
             ? static_cast<int32_t>(flags.Int("page_size"))
             : kExportPageSize;
}

}  // namespace

int RunExport(const Invocation& flags) {
  const std::string& command = flags.command();
  if (!flags.arguments().empty()) {
    return UsageError(
        absl::StrCat(command, ": unexpected argument ", flags.arguments()[0]),
        command);
  }
  absl::StatusOr<Format> format =
      FormatOf(flags, {Format::kCsv, Format::kJsonl});
  if (!format.ok()) return UsageError(format.status().message(), command);
  auto channel = Connect(flags, "query");
  if (!channel.ok()) return Fail(channel.status().message());
  auto query = v1::QueryService::NewStub(*channel);
  grpc::Status status;

  if (command == "export summits" || command == "export participants") {
    const bool participants = command == "export participants";
    absl::StatusOr<v1::ListSummitsRequest> request =
        ListSummitsRequestFrom(flags);
    if (!request.ok()) return UsageError(request.status().message(), command);
    request->set_page_size(PageSize(flags));
    auto rows =
        NewRowWriter(*format, std::cout,
                     ExportColumns(participants ? Collection::kParticipants
                                                : Collection::kSummits));
    status = EveryPage(flags, [&](grpc::ClientContext* context,
                                  const std::string& token, std::string* next) {
      request->set_page_token(token);
      v1::ListSummitsResponse response;
      grpc::Status s = query->ListSummits(context, *request, &response);
      for (const v1::Summit& summit : response.summits()) {
        if (!participants) {
          rows->Write(SummitRow(summit));
          continue;
        }
        for (const Row& row : ParticipantRows(summit)) rows->Write(row);
      }
      *next = response.next_page_token();
      return s;
    });
    rows->Finish();
  } else if (command == "export declarations") {
    absl::StatusOr<v1::ListDeclarationsRequest> request =
        ListDeclarationsRequestFrom(flags);
    if (!request.ok()) return UsageError(request.status().message(), command);
    request->set_page_size(PageSize(flags));
    auto rows = NewRowWriter(*format, std::cout,
                             ExportColumns(Collection::kDeclarations));
    status = EveryPage(flags, [&](grpc::ClientContext* context,
                                  const std::string& token, std::string* next) {
      request->set_page_token(token);
      v1::ListDeclarationsResponse response;
      grpc::Status s = query->ListDeclarations(context, *request, &response);
      for (const v1::Declaration& d : response.declarations()) {
        rows->Write(DeclarationRow(d));
      }
      *next = response.next_page_token();
      return s;
    });
    rows->Finish();
  } else if (command == "export initiatives") {
    absl::StatusOr<v1::ListInitiativesRequest> request =
        ListInitiativesRequestFrom(flags);
    if (!request.ok()) return UsageError(request.status().message(), command);
    request->set_page_size(PageSize(flags));
    auto rows = NewRowWriter(*format, std::cout,
                             ExportColumns(Collection::kInitiatives));
    status = EveryPage(flags, [&](grpc::ClientContext* context,
                                  const std::string& token, std::string* next) {
      request->set_page_token(token);
      v1::ListInitiativesResponse response;
      grpc::Status s = query->ListInitiatives(context, *request, &response);
      for (const v1::Initiative& i : response.initiatives()) {
        rows->Write(InitiativeRow(i));
      }
      *next = response.next_page_token();
      return s;
    });
    rows->Finish();
  } else {
    return UsageError(
        "export: say what to export: summits, declarations, "
        "initiatives or participants",
        "export");
  }
  if (!status.ok()) return FailCall(status, flags, "query");
  return kExitOk;
}

}  // namespace communique::cli
