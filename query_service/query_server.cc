#include "query_service/query_server.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "query_service/wire.h"
#include "shared/rpc/server.h"
#include "shared/rpc/status.h"
#include "shared/schema/errors.h"
#include "shared/schema/names.h"
#include "shared/schema/validation.h"
#include "shared/status/status_macros.h"

namespace communique::query {
namespace {

// Longest a read waits for its consistency token when the call has no
// deadline of its own.
constexpr absl::Duration kMaxConsistencyWait = absl::Seconds(30);

absl::StatusOr<uint64_t> ParseConsistencyToken(const std::string& token) {
  uint64_t sequence = 0;
  if (!token.empty() && !absl::SimpleAtoi(token, &sequence)) {
    return schema::InvalidField(
        "consistency_token",
        absl::StrCat("malformed token \"", token.substr(0, 40),
                     "\", expected the decimal token of an ingest response"));
  }
  return sequence;
}

absl::Time WaitDeadline(const grpc::CallbackServerContext* context) {
  absl::Time deadline = absl::Now() + kMaxConsistencyWait;
  const auto call_deadline = context->deadline();
  if (call_deadline != std::chrono::system_clock::time_point::max()) {
    deadline = std::min(deadline, absl::FromChrono(call_deadline));
  }
  return deadline;
}

// Says how far the replica is and what the caller can do: the upstream head
// is 0 until the ingest service has first answered.
absl::Status NotCaughtUp(const FollowerStatus& status) {
  const std::string progress =
      status.upstream_head == 0
          ? absl::StrCat("applied sequence ", status.applied_sequence,
                         "; the ingest service has not answered yet")
          : absl::StrCat("applied ", status.applied_sequence, " of ",
                         status.upstream_head);
  return absl::UnavailableError(absl::StrCat(
      "replica is catching up with the change feed (", progress,
      "); retry shortly, or pass the consistency_token of an ingest to "
      "wait for that write"));
}

// Resume key from a page token bound to `fingerprint`.
absl::StatusOr<std::string> ResumeKey(const std::string& page_token,
                                      uint64_t fingerprint) {
  if (page_token.empty()) return std::string();
  ASSIGN_OR_RETURN(schema::PageToken token,
                   schema::DecodePageToken(page_token, fingerprint));
  return token.resume_after;
}

std::string NextToken(const std::string& resume_after, uint64_t fingerprint) {
  if (resume_after.empty()) return "";
  return schema::EncodePageToken({fingerprint, resume_after});
}

// Moves a store page into a List response: the items, the next page token
// and the total_size estimate (clamped to int32).
template <typename Item, typename Response>
void FillListResponse(store::ListPage<Item>& page, uint64_t fingerprint,
                      google::protobuf::RepeatedPtrField<Item>* items,
                      Response* response) {
  for (Item& item : page.items) *items->Add() = std::move(item);
  response->set_next_page_token(NextToken(page.resume_after, fingerprint));
  response->set_total_size(
      static_cast<int32_t>(std::min<int64_t>(page.total_size, INT32_MAX)));
}

// The wire bytes of a List response holding `page`.
template <typename Response>
std::string ListBytes(int items_field, const store::ListPage<std::string>& page,
                      uint64_t fingerprint) {
  return wire::ListResponse<Response>(
      items_field, page, NextToken(page.resume_after, fingerprint));
}

// Fingerprint of a list request: everything but the paging and
// consistency fields (page_size may change between pages, per AIP-158).
template <typename Request>
uint64_t RequestFingerprint(absl::string_view kind, Request request) {
  request.clear_page_size();
  request.clear_page_token();
  request.clear_consistency_token();
  return schema::Fingerprint(
      absl::StrCat(kind, "|", request.SerializeAsString()));
}

// Parent of a child list: "summits/-" means all summits ("").
absl::StatusOr<std::string> ParentSummit(const std::string& parent) {
  if (parent == "summits/-") return std::string();
  ASSIGN_OR_RETURN(schema::ParsedName parsed,
                   schema::ParseSummitName(parent, "parent"));
  return schema::SummitName(parsed.summit_id);
}

void CheckPageSize(int32_t page_size, schema::FieldViolations* violations) {
  violations->Merge(schema::EffectivePageSize(page_size).status());
}

template <typename Enum>
void CheckEnum(bool valid, Enum value, absl::string_view field,
               schema::FieldViolations* violations) {
  if (!valid) {
    violations->Add(
        field, absl::StrFormat("unknown value %d", static_cast<int>(value)));
  }
}

// Request checks that need no data: run before the replica's readiness
// and consistency waits, so a malformed request is INVALID_ARGUMENT
// whatever the replica's state.
absl::Status ValidateRequest(const v1::ListSummitsRequest& r) {
  schema::FieldViolations violations;
  CheckPageSize(r.page_size(), &violations);
  CheckEnum(v1::SummitOrder_IsValid(r.order()), r.order(), "order",
            &violations);
  schema::CheckSummitFilter(r.filter(), "filter.", &violations);
  return violations.ToStatus();
}

absl::Status ValidateRequest(const v1::ListDeclarationsRequest& r) {
  schema::FieldViolations violations;
  absl::StatusOr<std::string> parent = ParentSummit(r.parent());
  violations.Merge(parent.status());
  CheckPageSize(r.page_size(), &violations);
  CheckEnum(v1::DeclarationKind_IsValid(r.kind()), r.kind(), "kind",
            &violations);
  CheckEnum(v1::DeclarationStatus_IsValid(r.status()), r.status(), "status",
            &violations);
  CheckEnum(v1::SummitOrder_IsValid(r.order()), r.order(), "order",
            &violations);
  schema::CheckYearRange(r.year(), r.min_year(), r.max_year(), "", &violations);
  schema::CheckFilterString(r.organization(), "organization", &violations);
  schema::CheckSearchText(r.text(), "text", &violations);
  return violations.ToStatus();
}

absl::Status ValidateRequest(const v1::ListInitiativesRequest& r) {
  schema::FieldViolations violations;
  absl::StatusOr<std::string> parent = ParentSummit(r.parent());
  violations.Merge(parent.status());
  CheckPageSize(r.page_size(), &violations);
  CheckEnum(v1::InitiativeStatus_IsValid(r.status()), r.status(), "status",
            &violations);
  CheckEnum(v1::SummitOrder_IsValid(r.order()), r.order(), "order",
            &violations);
  schema::CheckYearRange(r.year(), r.min_year(), r.max_year(), "", &violations);
  schema::CheckFilterString(r.proposer_country(), "proposer_country",
                            &violations);
  schema::CheckFilterString(r.proposer_person(), "proposer_person",
                            &violations);
  schema::CheckFilterString(r.topic(), "topic", &violations);
  schema::CheckFilterString(r.organization(), "organization", &violations);
  schema::CheckSearchText(r.text(), "text", &violations);
  return violations.ToStatus();
}

absl::Status ValidateRequest(const v1::GetSummitRequest& r) {
  return schema::ParseSummitName(r.name(), "name").status();
}

absl::Status ValidateRequest(const v1::GetDeclarationRequest& r) {
  return schema::ParseDeclarationName(r.name(), "name").status();
}

absl::Status ValidateRequest(const v1::GetInitiativeRequest& r) {
  return schema::ParseInitiativeName(r.name(), "name").status();
}

// A page of a summit's children (declarations or initiatives): the
// fields both requests share go into the store query here; `fill` adds
// the type's own filters and `list` reads the page.
template <typename Response, typename Request, typename Query, typename Fill,
          typename List>
absl::StatusOr<std::string> ListChildren(const Request& r,
                                         absl::string_view kind,
                                         int items_field, Fill fill,
                                         List list) {
  Query query;
  ASSIGN_OR_RETURN(query.summit, ParentSummit(r.parent()));
  ASSIGN_OR_RETURN(query.page_size, schema::EffectivePageSize(r.page_size()));
  query.organization = r.organization();
  query.year = r.year();
  query.min_year = r.min_year();
  query.max_year = r.max_year();
  query.text = r.text();
  query.ascending = r.order() == v1::SUMMIT_ORDER_DATE_ASCENDING;
  fill(query);
  const uint64_t fingerprint = RequestFingerprint(kind, r);
  ASSIGN_OR_RETURN(query.resume_after, ResumeKey(r.page_token(), fingerprint));
  ASSIGN_OR_RETURN(store::ListPage<std::string> page, list(query));
  return ListBytes<Response>(items_field, page, fingerprint);
}

}  // namespace

template <typename Read>
grpc::ServerUnaryReactor* QueryServer::Serve(
    grpc::CallbackServerContext* context, const std::string& consistency_token,
    Read read) {
  auto* reactor = context->DefaultReactor();
  absl::StatusOr<uint64_t> sequence = ParseConsistencyToken(consistency_token);
  if (!sequence.ok()) {
    reactor->Finish(rpc::ToGrpcStatus(sequence.status()));
    return reactor;
  }
  FollowerStatus status = follower_->status();
  if (*sequence == 0) {
    // No token: nothing to wait for (WhenApplied(0) would run `read` at
    // once), so skip its callback and deadline.
    if (!status.caught_up) {
      reactor->Finish(rpc::ToGrpcStatus(NotCaughtUp(status)));
    } else if (rpc::CallExpired(context)) {
      reactor->Finish(rpc::ExpiredCallStatus(context));
    } else {
      reactor->Finish(rpc::ToGrpcStatus(read()));
    }
    return reactor;
  }
  follower_->WhenApplied(*sequence, WaitDeadline(context),
                         [context, reactor, read](absl::Status waited) mutable {
                           if (!waited.ok()) {
                             reactor->Finish(rpc::ToGrpcStatus(waited));
                             return;
                           }
                           // Shed calls nobody waits for any more.
                           if (rpc::CallExpired(context)) {
                             reactor->Finish(rpc::ExpiredCallStatus(context));
                             return;
                           }
                           reactor->Finish(rpc::ToGrpcStatus(read()));
                         });
  return reactor;
}

template <typename Request, typename Read>
grpc::ServerUnaryReactor* QueryServer::ServeRaw(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response, Read read) {
  auto parsed = std::make_shared<Request>();
  if (absl::Status status = wire::ParseRequest(*request, parsed.get());
      !status.ok()) {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(rpc::ToGrpcStatus(status));
    return reactor;
  }
  if (absl::Status status = ValidateRequest(*parsed); !status.ok()) {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(rpc::ToGrpcStatus(status));
    return reactor;
  }
  return Serve(context, parsed->consistency_token(),
               [parsed, response, read]() -> absl::Status {
                 ASSIGN_OR_RETURN(std::string bytes, read(*parsed));
                 wire::SetBytes(std::move(bytes), response);
                 return absl::OkStatus();
               });
}

grpc::ServerUnaryReactor* QueryServer::GetSummit(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeRaw<v1::GetSummitRequest>(
      context, request, response,
      [this](const v1::GetSummitRequest& r) -> absl::StatusOr<std::string> {
        return store_->GetSummitBytes(r.name());
      });
}

grpc::ServerUnaryReactor* QueryServer::ListSummits(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeRaw<v1::ListSummitsRequest>(
      context, request, response,
      [this](const v1::ListSummitsRequest& r) -> absl::StatusOr<std::string> {
        store::SummitQuery query;
        ASSIGN_OR_RETURN(query.page_size,
                         schema::EffectivePageSize(r.page_size()));
        const v1::SummitFilter& f = r.filter();
        query.filter = f;
        query.ascending = r.order() == v1::SUMMIT_ORDER_DATE_ASCENDING;
        const uint64_t fingerprint = schema::Fingerprint(
            absl::StrCat(f.SerializeAsString(), "|", query.ascending));
        ASSIGN_OR_RETURN(query.resume_after,
                         ResumeKey(r.page_token(), fingerprint));
        ASSIGN_OR_RETURN(store::ListPage<std::string> page,
                         store_->ListSummitBytes(query));
        return ListBytes<v1::ListSummitsResponse>(
            v1::ListSummitsResponse::kSummitsFieldNumber, page, fingerprint);
      });
}

grpc::ServerUnaryReactor* QueryServer::GetDeclaration(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeRaw<v1::GetDeclarationRequest>(
      context, request, response,
      [this](
          const v1::GetDeclarationRequest& r) -> absl::StatusOr<std::string> {
        return store_->GetDeclarationBytes(r.name());
      });
}

grpc::ServerUnaryReactor* QueryServer::ListDeclarations(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeRaw<v1::ListDeclarationsRequest>(
      context, request, response, [this](const v1::ListDeclarationsRequest& r) {
        return ListChildren<v1::ListDeclarationsResponse,
                            v1::ListDeclarationsRequest,
                            store::DeclarationQuery>(
            r, "declarations",
            v1::ListDeclarationsResponse::kDeclarationsFieldNumber,
            [&r](store::DeclarationQuery& query) {
              query.kind = r.kind();
              query.status = r.status();
            },
            [this](const store::DeclarationQuery& query) {
              return store_->ListDeclarationBytes(query);
            });
      });
}

grpc::ServerUnaryReactor* QueryServer::GetInitiative(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeRaw<v1::GetInitiativeRequest>(
      context, request, response,
      [this](const v1::GetInitiativeRequest& r) -> absl::StatusOr<std::string> {
        return store_->GetInitiativeBytes(r.name());
      });
}

grpc::ServerUnaryReactor* QueryServer::ListInitiatives(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeRaw<v1::ListInitiativesRequest>(
      context, request, response, [this](const v1::ListInitiativesRequest& r) {
        return ListChildren<v1::ListInitiativesResponse,
                            v1::ListInitiativesRequest, store::InitiativeQuery>(
            r, "initiatives",
            v1::ListInitiativesResponse::kInitiativesFieldNumber,
            [&r](store::InitiativeQuery& query) {
              query.proposer_country = r.proposer_country();
              query.proposer_person = r.proposer_person();
              query.status = r.status();
              query.topic = r.topic();
            },
            [this](const store::InitiativeQuery& query) {
              return store_->ListInitiativeBytes(query);
            });
      });
}

grpc::ServerUnaryReactor* QueryServer::ListChairmanships(
    grpc::CallbackServerContext* context,
    const v1::ListChairmanshipsRequest* request,
    v1::ListChairmanshipsResponse* response) {
  return Serve(
      context, request->consistency_token(), [this, request, response] {
        schema::FieldViolations violations;
        CheckPageSize(request->page_size(), &violations);
        schema::CheckFilterString(request->organization(), "organization",
                                  &violations);
        schema::CheckFilterString(request->country(), "country", &violations);
        RETURN_IF_ERROR(violations.ToStatus());
        store::ChairmanshipQuery query;
        ASSIGN_OR_RETURN(query.page_size,
                         schema::EffectivePageSize(request->page_size()));
        query.organization = request->organization();
        query.country = request->country();
        const uint64_t fingerprint =
            RequestFingerprint("chairmanships", *request);
        ASSIGN_OR_RETURN(query.resume_after,
                         ResumeKey(request->page_token(), fingerprint));
        ASSIGN_OR_RETURN(store::ListPage<v1::Chairmanship> page,
                         store_->ListChairmanships(query));
        FillListResponse(page, fingerprint, response->mutable_chairmanships(),
                         response);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* QueryServer::GetStats(
    grpc::CallbackServerContext* context, const v1::GetStatsRequest* request,
    v1::GetStatsResponse* response) {
  return Serve(context, request->consistency_token(), [this, response] {
    ASSIGN_OR_RETURN(*response, store_->GetStats());
    const FollowerStatus status = follower_->status();
    response->set_applied_sequence(
        std::max(response->applied_sequence(), status.applied_sequence));
    response->set_upstream_head(status.upstream_head);
    response->set_lag_events(status.upstream_head > response->applied_sequence()
                                 ? status.upstream_head -
                                       response->applied_sequence()
                                 : 0);
    response->set_upstream_connected(status.connected);
    response->set_caught_up(status.caught_up);
    if (status.last_commit_time != absl::InfinitePast()) {
      *response->mutable_last_commit_time() =
          google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
              absl::ToUnixNanos(status.last_commit_time));
    }
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* QueryServer::WatchSummits(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes) {
  v1::WatchSummitsRequest parsed;
  const v1::WatchSummitsRequest* request = &parsed;
  absl::Status malformed = wire::ParseRequest(*bytes, &parsed);
  std::shared_ptr<SummitWatcher> watcher = watches_->Create(request->filter());
  if (!malformed.ok()) {
    watcher->Fail(malformed);
    return watcher.get();
  }
  schema::FieldViolations violations;
  schema::CheckSummitFilter(request->filter(), "filter.", &violations);
  absl::StatusOr<uint64_t> token =
      ParseConsistencyToken(request->consistency_token());
  violations.Merge(token.status());
  if (!violations.empty()) {
    watcher->Fail(violations.ToStatus());
    return watcher.get();
  }
  const FollowerStatus status = follower_->status();
  if (!status.caught_up && *token == 0) {
    watcher->Fail(NotCaughtUp(status));
    return watcher.get();
  }
  const uint64_t start = request->start_sequence();
  const store::QueryStore* store = store_;
  follower_->WhenApplied(
      *token, WaitDeadline(context),
      [watcher, start, store](absl::Status waited) {
        if (!waited.ok()) {
          watcher->Fail(waited);
          return;
        }
        watcher->Begin(start != 0 ? start : store->AppliedSequence());
      });
  return watcher.get();
}

}  // namespace communique::query
