// The read side: summits (list, get, watch), declarations, initiatives,
// chairmanships, stats. One function per collection; the paging loop and
// the output formats are shared.

#include <signal.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/commands.h"
#include "cli/records.h"
#include "cli/requests.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "google/protobuf/util/time_util.h"

namespace communique::cli {
namespace {

using Stub = v1::QueryService::Stub;

const std::vector<Format> kListFormats = {Format::kTable, Format::kJson,
                                          Format::kJsonl, Format::kCsv};

absl::StatusOr<std::unique_ptr<Stub>> QueryStub(const Invocation& flags) {
  auto channel = Connect(flags, "query");
  if (!channel.ok()) return channel.status();
  return v1::QueryService::NewStub(*channel);
}

// Pages through one List RPC and prints every item in the chosen format:
// table (TableColumns), csv (ExportColumns), json / jsonl (whole records).
// `call` makes one call; `items` picks the page's items; `row` makes an
// item's full row.
template <typename Request, typename Response, typename Item>
int ListPages(
    const Invocation& flags, Request request, Collection collection,
    absl::string_view noun,
    const std::function<grpc::Status(grpc::ClientContext*, const Request&,
                                     Response*)>& call,
    const std::function<const google::protobuf::RepeatedPtrField<Item>&(
        const Response&)>& items,
    const std::function<Row(const Item&)>& row) {
  absl::StatusOr<Format> format = FormatOf(flags, kListFormats);
  if (!format.ok())
    return UsageError(format.status().message(), flags.command());
  RecordWriter records(*format, std::cout);
  std::unique_ptr<RowWriter> rows;
  if (*format == Format::kCsv) {
    rows = NewRowWriter(Format::kCsv, std::cout, ExportColumns(collection));
  } else if (*format == Format::kTable) {
    rows = NewRowWriter(Format::kTable, std::cout, TableColumns(collection));
  }
  int shown = 0;
  std::string token = request.page_token();
  do {
    grpc::ClientContext context;
    SetDeadline(flags, &context);
    request.set_page_token(token);
    Response response;
    grpc::Status status = call(&context, request, &response);
    if (!status.ok()) return FailCall(status, flags, "query");
    for (const Item& item : items(response)) {
      ++shown;
      switch (*format) {
        case Format::kJson:
        case Format::kJsonl:
          records.Write(item);
          break;
        case Format::kCsv:
          rows->Write(row(item));
          break;
        case Format::kTable:
          rows->Write(TableCells(collection, row(item)));
          break;
      }
    }
    token = response.next_page_token();
  } while (!token.empty() && flags.Bool("all_pages"));
  if (rows != nullptr) rows->Finish();
  if (*format == Format::kJson || *format == Format::kJsonl) records.Finish();
  if (*format == Format::kTable)
    std::cout << "(" << shown << " " << noun << ")\n";
  if (!token.empty()) std::cerr << "next page: --page_token=" << token << "\n";
  return kExitOk;
}

// Prints one record of a get: JSON, or "column: value" lines of its row.
void PrintRecord(const google::protobuf::Message& record, Format format,
                 Collection collection, const Row& row) {
  if (format != Format::kTable) {
    std::cout << ToJson(record) << "\n";
    return;
  }
  const std::vector<std::string> columns = ExportColumns(collection);
  for (size_t i = 0; i < columns.size() && i < row.size(); ++i) {
    const Cell& cell = row[i];
    const std::string text = cell.kind == Cell::Kind::kList
                                 ? absl::StrJoin(cell.list, ", ")
                                 : cell.text;
    if (!text.empty()) std::cout << columns[i] << ": " << text << "\n";
  }
}

// The one NAME argument of a get.
absl::StatusOr<std::string> NameArgument(const Invocation& flags) {
  if (flags.arguments().size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(flags.command(), ": give one NAME"));
  }
  return flags.arguments()[0];
}

int RejectArguments(const Invocation& flags) {
  return UsageError(absl::StrCat(flags.command(), ": unexpected argument ",
                                 flags.arguments()[0]),
                    flags.command());
}

// ------------------------------------------------------------ watch --

// Cancels `context` on SIGINT/SIGTERM (blocked in every thread by main
// for this command) until Stop.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(grpc::ClientContext* context)
      : thread_([this, context] {
          sigset_t set;
          sigemptyset(&set);
          sigaddset(&set, SIGINT);
          sigaddset(&set, SIGTERM);
          const timespec tick = {0, 100 * 1000 * 1000};
          while (!stop_.load()) {
            if (sigtimedwait(&set, nullptr, &tick) > 0) {
              interrupted_.store(true);
              context->TryCancel();
              return;
            }
          }
        }) {}
  ~InterruptWatcher() { Stop(); }
  void Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  bool interrupted() const { return interrupted_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> interrupted_{false};
  std::thread thread_;
};

int WatchSummits(const Invocation& flags, Stub& stub) {
  absl::StatusOr<Format> format =
      FormatOf(flags, {Format::kTable, Format::kJsonl});
  if (!format.ok())
    return UsageError(format.status().message(), flags.command());
  absl::StatusOr<v1::WatchSummitsRequest> request =
      WatchSummitsRequestFrom(flags);
  if (!request.ok())
    return UsageError(request.status().message(), flags.command());
  const int64_t max_changes = flags.Int("max_changes");
  grpc::ClientContext context;  // no deadline: a watch stays open
  InterruptWatcher interrupts(&context);
  auto reader = stub.WatchSummits(&context, *request);
  v1::WatchSummitsResponse response;
  uint64_t through = request->start_sequence();
  int64_t changes = 0;
  bool first = true;
  while (reader->Read(&response)) {
    through = std::max<uint64_t>(through, response.through_sequence());
    if (first) {
      std::cerr << "watching summits after sequence "
                << response.through_sequence() << " (Ctrl-C to stop)\n";
      first = false;
    }
    for (const v1::SummitChange& change : response.changes()) {
      // A replay sends many changes per message: stop at the limit.
      if (max_changes > 0 && changes >= max_changes) break;
      if (*format == Format::kJsonl) {
        std::cout << ToJson(change) << "\n";
      } else {
        const v1::Summit& s = change.summit();
        std::cout << change.sequence() << "  "
                  << EnumText(v1::ChangeType_Name(change.type()),
                              "CHANGE_TYPE_")
                  << "  " << change.name();
        if (!change.merged_into().empty()) {
          std::cout << "  merged into " << change.merged_into();
        }
        std::cout << "  " << DateText(s.date()) << " " << s.organization()
                  << " " << s.location().city() << "\n";
      }
      std::cout.flush();
      if (max_changes > 0 && ++changes >= max_changes) context.TryCancel();
    }
  }
  grpc::Status status = reader->Finish();
  interrupts.Stop();
  const bool done =
      interrupts.interrupted() || (max_changes > 0 && changes >= max_changes);
  if (done) return kExitOk;
  if (status.ok()) return kExitOk;
  const int code = FailCall(status, flags, "query");
  if (through > 0) {
    std::cerr << "  resume with: communique summits watch --start_sequence="
              << through << " ...\n";
  }
  return code;
}

}  // namespace

int RunSummits(const Invocation& flags) {
  auto stub = QueryStub(flags);
  if (!stub.ok()) return Fail(stub.status().message());
  Stub& query = **stub;
  if (flags.command() == "summits watch") {
    if (!flags.arguments().empty()) return RejectArguments(flags);
    return WatchSummits(flags, query);
  }
  if (flags.command() == "summits get") {
    absl::StatusOr<Format> format = FormatOf(flags, kListFormats);
    if (!format.ok())
      return UsageError(format.status().message(), flags.command());
    absl::StatusOr<std::string> name = NameArgument(flags);
    if (!name.ok()) return UsageError(name.status().message(), flags.command());
    grpc::ClientContext context;
    SetDeadline(flags, &context);
    v1::GetSummitRequest request;
    request.set_name(*name);
    request.set_consistency_token(flags.String("consistency_token"));
    v1::Summit summit;
    grpc::Status status = query.GetSummit(&context, request, &summit);
    if (!status.ok()) return FailCall(status, flags, "query");
    if (*format == Format::kTable) {
      PrintSummitDetail(summit, std::cout);
    } else if (*format == Format::kCsv) {
      auto rows = NewRowWriter(Format::kCsv, std::cout,
                               ExportColumns(Collection::kSummits));
      rows->Write(SummitRow(summit));
      rows->Finish();
    } else {
      std::cout << ToJson(summit) << "\n";
    }
    return kExitOk;
  }
  if (!flags.arguments().empty()) return RejectArguments(flags);
  absl::StatusOr<v1::ListSummitsRequest> request =
      ListSummitsRequestFrom(flags);
  if (!request.ok())
    return UsageError(request.status().message(), flags.command());
  return ListPages<v1::ListSummitsRequest, v1::ListSummitsResponse, v1::Summit>(
      flags, *request, Collection::kSummits, "summits",
      [&](grpc::ClientContext* c, const v1::ListSummitsRequest& r,
          v1::ListSummitsResponse* out) {
        return query.ListSummits(c, r, out);
      },
      [](const v1::ListSummitsResponse& r) -> const auto& {
        return r.summits();
      },
      SummitRow);
}

int RunDeclarations(const Invocation& flags) {
  auto stub = QueryStub(flags);
  if (!stub.ok()) return Fail(stub.status().message());
  Stub& query = **stub;
  if (flags.command() == "declarations get") {
    absl::StatusOr<Format> format = FormatOf(flags, kListFormats);
    if (!format.ok())
      return UsageError(format.status().message(), flags.command());
    absl::StatusOr<std::string> name = NameArgument(flags);
    if (!name.ok()) return UsageError(name.status().message(), flags.command());
    grpc::ClientContext context;
    SetDeadline(flags, &context);
    v1::GetDeclarationRequest request;
    request.set_name(*name);
    request.set_consistency_token(flags.String("consistency_token"));
    v1::Declaration declaration;
    grpc::Status status = query.GetDeclaration(&context, request, &declaration);
    if (!status.ok()) return FailCall(status, flags, "query");
    PrintRecord(declaration, *format, Collection::kDeclarations,
                DeclarationRow(declaration));
    return kExitOk;
  }
  if (!flags.arguments().empty()) return RejectArguments(flags);
  absl::StatusOr<v1::ListDeclarationsRequest> request =
      ListDeclarationsRequestFrom(flags);
  if (!request.ok())
    return UsageError(request.status().message(), flags.command());
  return ListPages<v1::ListDeclarationsRequest, v1::ListDeclarationsResponse,
                   v1::Declaration>(
      flags, *request, Collection::kDeclarations, "declarations",
      [&](grpc::ClientContext* c, const v1::ListDeclarationsRequest& r,
          v1::ListDeclarationsResponse* out) {
        return query.ListDeclarations(c, r, out);
      },
      [](const v1::ListDeclarationsResponse& r) -> const auto& {
        return r.declarations();
      },
      DeclarationRow);
}

int RunInitiatives(const Invocation& flags) {
  auto stub = QueryStub(flags);
  if (!stub.ok()) return Fail(stub.status().message());
  Stub& query = **stub;
  if (flags.command() == "initiatives get") {
    absl::StatusOr<Format> format = FormatOf(flags, kListFormats);
    if (!format.ok())
      return UsageError(format.status().message(), flags.command());
    absl::StatusOr<std::string> name = NameArgument(flags);
    if (!name.ok()) return UsageError(name.status().message(), flags.command());
    grpc::ClientContext context;
    SetDeadline(flags, &context);
    v1::GetInitiativeRequest request;
    request.set_name(*name);
    request.set_consistency_token(flags.String("consistency_token"));
    v1::Initiative initiative;
    grpc::Status status = query.GetInitiative(&context, request, &initiative);
    if (!status.ok()) return FailCall(status, flags, "query");
    PrintRecord(initiative, *format, Collection::kInitiatives,
                InitiativeRow(initiative));
    return kExitOk;
  }
  if (!flags.arguments().empty()) return RejectArguments(flags);
  absl::StatusOr<v1::ListInitiativesRequest> request =
      ListInitiativesRequestFrom(flags);
  if (!request.ok())
    return UsageError(request.status().message(), flags.command());
  return ListPages<v1::ListInitiativesRequest, v1::ListInitiativesResponse,
                   v1::Initiative>(
      flags, *request, Collection::kInitiatives, "initiatives",
      [&](grpc::ClientContext* c, const v1::ListInitiativesRequest& r,
          v1::ListInitiativesResponse* out) {
        return query.ListInitiatives(c, r, out);
      },
      [](const v1::ListInitiativesResponse& r) -> const auto& {
        return r.initiatives();
      },
      InitiativeRow);
}

int RunChairmanships(const Invocation& flags) {
  if (!flags.arguments().empty()) return RejectArguments(flags);
  auto stub = QueryStub(flags);
  if (!stub.ok()) return Fail(stub.status().message());
  Stub& query = **stub;
  absl::StatusOr<v1::ListChairmanshipsRequest> request =
      ListChairmanshipsRequestFrom(flags);
  if (!request.ok())
    return UsageError(request.status().message(), flags.command());
  return ListPages<v1::ListChairmanshipsRequest, v1::ListChairmanshipsResponse,
                   v1::Chairmanship>(
      flags, *request, Collection::kChairmanships, "chairmanships",
      [&](grpc::ClientContext* c, const v1::ListChairmanshipsRequest& r,
          v1::ListChairmanshipsResponse* out) {
        return query.ListChairmanships(c, r, out);
      },
      [](const v1::ListChairmanshipsResponse& r) -> const auto& {
        return r.chairmanships();
      },
      ChairmanshipRow);
}

int RunStats(const Invocation& flags) {
  if (!flags.arguments().empty()) return RejectArguments(flags);
  absl::StatusOr<Format> format =
      FormatOf(flags, {Format::kTable, Format::kJson, Format::kJsonl});
  if (!format.ok())
    return UsageError(format.status().message(), flags.command());
  auto stub = QueryStub(flags);
  if (!stub.ok()) return Fail(stub.status().message());
  grpc::ClientContext context;
  SetDeadline(flags, &context);
  v1::GetStatsRequest request;
  request.set_consistency_token(flags.String("consistency_token"));
  v1::GetStatsResponse stats;
  grpc::Status status = (*stub)->GetStats(&context, request, &stats);
  if (!status.ok()) return FailCall(status, flags, "query");
  if (*format != Format::kTable) {
    std::cout << ToJson(stats) << "\n";
    return kExitOk;
  }
  std::cout << "summits:       " << stats.summit_count() << "\n"
            << "declarations:  " << stats.declaration_count() << "\n"
            << "initiatives:   " << stats.initiative_count() << "\n"
            << "store size:    " << stats.store_size_bytes() << " bytes\n"
            << "replication:   applied " << stats.applied_sequence()
            << " of upstream head " << stats.upstream_head() << " (lag "
            << stats.lag_events() << " events, "
            << (stats.upstream_connected() ? "connected" : "not connected")
            << ", " << (stats.caught_up() ? "caught up" : "catching up")
            << ")\n";
  if (stats.has_last_commit_time()) {
    std::cout << "last commit:   "
              << google::protobuf::util::TimeUtil::ToString(
                     stats.last_commit_time())
              << "\n";
  }
  if (stats.counts_size() > 0) {
    std::cout << "\n";
    auto rows = NewRowWriter(
        Format::kTable, std::cout,
        {"organization", "year", "summits", "declarations", "initiatives"});
    for (const v1::OrganizationYearCount& c : stats.counts()) {
      rows->Write(
          {Cell::Text(c.organization()),
           Cell::Text(c.year() == 0 ? "undated" : absl::StrCat(c.year())),
           Cell::Number(c.summit_count()), Cell::Number(c.declaration_count()),
           Cell::Number(c.initiative_count())});
    }
    rows->Finish();
  }
  return kExitOk;
}

}  // namespace communique::cli
