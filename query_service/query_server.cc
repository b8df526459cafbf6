#include "query_service/query_server.h"

#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "shared/rpc/status.h"
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
    return absl::InvalidArgumentError(absl::StrCat(
        "consistency_token: malformed token \"", token.substr(0, 40), "\""));
  }
  return sequence;
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

// Parent of a child list: "summits/-" means all summits ("").
absl::StatusOr<std::string> ParentSummit(const std::string& parent) {
  if (parent == "summits/-") return std::string();
  ASSIGN_OR_RETURN(schema::ParsedName parsed,
                   schema::ParseSummitName(parent, "parent"));
  return schema::SummitName(parsed.summit_id);
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
  if (!status.caught_up && *sequence == 0) {
    reactor->Finish(rpc::ToGrpcStatus(absl::UnavailableError(absl::StrCat(
        "replica is catching up with the change feed (applied ",
        status.applied_sequence, " of ", status.upstream_head, ")"))));
    return reactor;
  }
  absl::Time deadline = absl::Now() + kMaxConsistencyWait;
  const auto call_deadline = context->deadline();
  if (call_deadline != std::chrono::system_clock::time_point::max()) {
    deadline = std::min(deadline, absl::FromChrono(call_deadline));
  }
  follower_->WhenApplied(*sequence, deadline,
                         [reactor, read](absl::Status waited) mutable {
                           if (!waited.ok()) {
                             reactor->Finish(rpc::ToGrpcStatus(waited));
                             return;
                           }
                           reactor->Finish(rpc::ToGrpcStatus(read()));
                         });
  return reactor;
}

grpc::ServerUnaryReactor* QueryServer::GetSummit(
    grpc::CallbackServerContext* context, const v1::GetSummitRequest* request,
    v1::Summit* response) {
  return Serve(context, request->consistency_token(), [this, request,
                                                       response] {
    RETURN_IF_ERROR(schema::ParseSummitName(request->name(), "name").status());
    ASSIGN_OR_RETURN(*response, store_->GetSummit(request->name()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* QueryServer::ListSummits(
    grpc::CallbackServerContext* context,
    const v1::ListSummitsRequest* request, v1::ListSummitsResponse* response) {
  return Serve(context, request->consistency_token(), [this, request,
                                                       response] {
    store::SummitQuery query;
    ASSIGN_OR_RETURN(query.page_size,
                     schema::EffectivePageSize(request->page_size()));
    const v1::SummitFilter& f = request->filter();
    if (f.min_year() != 0 && f.max_year() != 0 && f.min_year() > f.max_year()) {
      return absl::InvalidArgumentError(
          "filter.min_year: must not be after filter.max_year");
    }
    if (!v1::SummitOrder_IsValid(request->order())) {
      return absl::InvalidArgumentError(
          absl::StrCat("order: unknown value ", request->order()));
    }
    query.filter = f;
    query.ascending = request->order() == v1::SUMMIT_ORDER_DATE_ASCENDING;
    const uint64_t fingerprint = schema::Fingerprint(
        absl::StrCat(f.SerializeAsString(), "|", query.ascending));
    ASSIGN_OR_RETURN(query.resume_after,
                     ResumeKey(request->page_token(), fingerprint));
    ASSIGN_OR_RETURN(store::Page<v1::Summit> page, store_->ListSummits(query));
    for (v1::Summit& summit : page.items) {
      *response->add_summits() = std::move(summit);
    }
    response->set_next_page_token(NextToken(page.resume_after, fingerprint));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* QueryServer::GetDeclaration(
    grpc::CallbackServerContext* context,
    const v1::GetDeclarationRequest* request, v1::Declaration* response) {
  return Serve(context, request->consistency_token(), [this, request,
                                                       response] {
    RETURN_IF_ERROR(
        schema::ParseDeclarationName(request->name(), "name").status());
    ASSIGN_OR_RETURN(*response, store_->GetDeclaration(request->name()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* QueryServer::ListDeclarations(
    grpc::CallbackServerContext* context,
    const v1::ListDeclarationsRequest* request,
    v1::ListDeclarationsResponse* response) {
  return Serve(context, request->consistency_token(), [this, request,
                                                       response] {
    ASSIGN_OR_RETURN(std::string parent, ParentSummit(request->parent()));
    ASSIGN_OR_RETURN(int page_size,
                     schema::EffectivePageSize(request->page_size()));
    if (!v1::DeclarationKind_IsValid(request->kind())) {
      return absl::InvalidArgumentError(
          absl::StrCat("kind: unknown value ", request->kind()));
    }
    const uint64_t fingerprint = schema::Fingerprint(
        absl::StrCat("declarations|", request->parent(), "|", request->kind()));
    ASSIGN_OR_RETURN(std::string resume,
                     ResumeKey(request->page_token(), fingerprint));
    ASSIGN_OR_RETURN(store::Page<v1::Declaration> page,
                     store_->ListDeclarations(parent, request->kind(),
                                              page_size, resume));
    for (v1::Declaration& item : page.items) {
      *response->add_declarations() = std::move(item);
    }
    response->set_next_page_token(NextToken(page.resume_after, fingerprint));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* QueryServer::GetInitiative(
    grpc::CallbackServerContext* context,
    const v1::GetInitiativeRequest* request, v1::Initiative* response) {
  return Serve(context, request->consistency_token(), [this, request,
                                                       response] {
    RETURN_IF_ERROR(
        schema::ParseInitiativeName(request->name(), "name").status());
    ASSIGN_OR_RETURN(*response, store_->GetInitiative(request->name()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* QueryServer::ListInitiatives(
    grpc::CallbackServerContext* context,
    const v1::ListInitiativesRequest* request,
    v1::ListInitiativesResponse* response) {
  return Serve(context, request->consistency_token(), [this, request,
                                                       response] {
    ASSIGN_OR_RETURN(std::string parent, ParentSummit(request->parent()));
    ASSIGN_OR_RETURN(int page_size,
                     schema::EffectivePageSize(request->page_size()));
    const uint64_t fingerprint = schema::Fingerprint(absl::StrCat(
        "initiatives|", request->parent(), "|", request->proposer_country()));
    ASSIGN_OR_RETURN(std::string resume,
                     ResumeKey(request->page_token(), fingerprint));
    ASSIGN_OR_RETURN(store::Page<v1::Initiative> page,
                     store_->ListInitiatives(parent,
                                             request->proposer_country(),
                                             page_size, resume));
    for (v1::Initiative& item : page.items) {
      *response->add_initiatives() = std::move(item);
    }
    response->set_next_page_token(NextToken(page.resume_after, fingerprint));
    return absl::OkStatus();
  });
}

}  // namespace communique::query
