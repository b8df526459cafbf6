// communique: the command line. Parses articles offline, ingests files
// through the ingest service, and queries summits, declarations and
// initiatives through the query service.
//
//   communique parse [--jsonl] FILE...
//   communique ingest FILE|DIR...
//   (FILE: plain text, or a page: .html / .htm or bytes that start like HTML)
//   communique summits list [--organization=CSTO] [--year=2024] ...
//   communique summits get NAME
//   communique declarations list [--summit=NAME] [--kind=statement]
//   communique declarations get NAME
//   communique initiatives list [--summit=NAME] [--proposer_country=...]
//   communique initiatives get NAME
//   communique articles list | articles get NAME | articles delete NAME
//   communique reprocess [--only_outdated]

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "communique/v1/query_service.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "cli/article_file.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/rpc/config.h"
#include "shared/rpc/server.h"
#include "shared/rpc/status.h"
#include "shared/schema/names.h"
#include "shared/schema/validation.h"
#include "shared/text/normalize.h"

ABSL_FLAG(bool, jsonl, false,
          "parse: print one JSON line per file (the evaluation contract).");
ABSL_FLAG(bool, json, false, "Print results as JSON (one object per line).");
ABSL_FLAG(std::string, ingest, "127.0.0.1:50051",
          "Address of the ingest service.");
ABSL_FLAG(std::string, query, "127.0.0.1:50052",
          "Address of the query service.");
ABSL_FLAG(bool, insecure, false, "Connect in plaintext.");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA that signs the services' certificates (empty: system "
          "roots).");
ABSL_FLAG(std::string, tls_cert, "", "PEM client certificate (mTLS).");
ABSL_FLAG(std::string, tls_key, "", "PEM client key (mTLS).");
ABSL_FLAG(std::string, token_file, "",
          "File whose first token is sent as \"authorization: Bearer\" "
          "(a writer token for ingest).");
ABSL_FLAG(std::string, authority, "",
          "Override of the TLS server name to verify.");
ABSL_FLAG(int, timeout_seconds, 30, "Deadline of each call.");
ABSL_FLAG(std::string, consistency_token, "",
          "Read-your-writes token from an ingest (query commands).");
ABSL_FLAG(std::string, gazetteer, "",
          "parse: gazetteer textproto instead of the built-in one.");
// Filters.
ABSL_FLAG(std::string, organization, "", "Filter: organisation acronym.");
ABSL_FLAG(int, year, 0, "Filter: year.");
ABSL_FLAG(int, min_year, 0, "Filter: first year.");
ABSL_FLAG(int, max_year, 0, "Filter: last year.");
ABSL_FLAG(std::string, city, "", "Filter: city.");
ABSL_FLAG(std::string, country, "", "Filter: host country.");
ABSL_FLAG(std::string, participant_country, "",
          "Filter: a country that took part.");
ABSL_FLAG(std::string, person, "", "Filter: a participant (id or name).");
ABSL_FLAG(bool, oldest_first, false, "summits list: oldest first.");
ABSL_FLAG(std::string, summit, "",
          "declarations/initiatives list: parent summit name (default all).");
ABSL_FLAG(std::string, kind, "",
          "declarations list: kind (declaration, statement, protocol, ...).");
ABSL_FLAG(std::string, proposer_country, "",
          "initiatives list: proposer country.");
ABSL_FLAG(int, page_size, 0, "Items per page (0 = server default).");
ABSL_FLAG(bool, all_pages, true, "Follow next_page_token to the end.");
ABSL_FLAG(bool, only_outdated, false,
          "reprocess: only articles extracted by another extractor version.");

namespace communique::cli {
namespace {

int Fail(const std::string& message) {
  std::cerr << "communique: " << message << "\n";
  return 1;
}

int FailStatus(const grpc::Status& status) {
  absl::Status s = rpc::FromGrpcStatus(status);
  return Fail(std::string(absl::StatusCodeToString(s.code())) + ": " +
              std::string(s.message()));
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

// A JSON string literal of `s` (UTF-8 passes through).
std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Regular files named on the command line, and the *.txt, *.html and
// *.htm files of named directories (sorted).
std::vector<std::string> ExpandFiles(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::string> inside;
      for (const auto& entry : std::filesystem::directory_iterator(arg, ec)) {
        if (entry.is_regular_file() && cli::IsArticleFileName(entry.path())) {
          inside.push_back(entry.path().string());
        }
      }
      std::sort(inside.begin(), inside.end());
      files.insert(files.end(), inside.begin(), inside.end());
    } else {
      files.push_back(arg);
    }
  }
  return files;
}

// Stable external id of a file: its name without the extension.
std::string ExternalIdOf(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

std::string FormatDate(const v1::PartialDate& date) {
  std::string s = schema::FormatPartialDate(date);
  return s.empty() ? "undated" : s;
}

void PrintSummitLine(const v1::Summit& s) {
  std::string place = s.location().city();
  if (!s.location().country().empty()) {
    place = place.empty() ? s.location().country()
                          : absl::StrCat(place, ", ", s.location().country());
  }
  std::cout << s.name() << "\n    " << FormatDate(s.date()) << "  "
            << s.organization() << " " << s.body() << "  "
            << (place.empty() ? "(place unknown)" : place) << "  "
            << s.participants_size() << " participants, "
            << s.declarations_size() << " documents, "
            << s.source_articles_size() << " source article(s)\n";
}

void PrintSummitDetail(const v1::Summit& s) {
  PrintSummitLine(s);
  if (!s.chair_country().empty()) {
    std::cout << "  chair: " << s.chair_country();
    if (!s.presiding().empty()) std::cout << " (presiding: " << s.presiding() << ")";
    std::cout << "\n";
  }
  if (s.formats_size() > 0) {
    std::vector<std::string> formats;
    for (int f : s.formats()) {
      std::string name = v1::SummitFormat_Name(f);
      formats.push_back(absl::AsciiStrToLower(
          name.substr(std::string("SUMMIT_FORMAT_").size())));
    }
    std::cout << "  formats: " << absl::StrJoin(formats, ", ") << "\n";
  }
  for (const v1::Participant& p : s.participants()) {
    std::cout << "  - " << (p.name().empty() ? "(unnamed)" : p.name()) << ", "
              << p.role() << " of "
              << (p.country().empty() ? p.organization() : p.country())
              << (p.remote() ? " (remote)" : "") << "\n";
  }
  if (s.has_next_chair() && !s.next_chair().country().empty()) {
    std::cout << "  next chair: " << s.next_chair().country();
    std::string from = schema::FormatPartialDate(s.next_chair().from_date());
    if (!from.empty()) std::cout << " from " << from;
    std::cout << "\n";
  }
  if (s.documents_adopted_count() > 0) {
    std::cout << "  documents adopted: " << s.documents_adopted_count() << "\n";
  }
  if (s.topics_size() > 0) {
    std::cout << "  topics: " << absl::StrJoin(s.topics(), ", ") << "\n";
  }
  for (const std::string& d : s.declarations()) std::cout << "  document: " << d << "\n";
  for (const std::string& i : s.initiatives()) std::cout << "  initiative: " << i << "\n";
  if (s.conflicts_size() > 0) {
    std::cout << "  disputed: " << absl::StrJoin(s.conflicts(), ", ") << "\n";
  }
  std::cout << "  sources: " << absl::StrJoin(s.source_articles(), ", ") << "\n";
}

// ------------------------------------------------------------------ parse --

int Parse(const std::vector<std::string>& args) {
  if (args.empty()) return Fail("parse: give at least one FILE");
  auto gazetteer = absl::GetFlag(FLAGS_gazetteer).empty()
                       ? gazetteer::Gazetteer::LoadDefault()
                       : gazetteer::Gazetteer::LoadFromFile(
                             absl::GetFlag(FLAGS_gazetteer));
  if (!gazetteer.ok()) return Fail(std::string(gazetteer.status().message()));
  auto extractor = extract::Extractor::Create(*gazetteer);
  if (!extractor.ok()) return Fail(std::string(extractor.status().message()));
  int failures = 0;
  for (const std::string& path : ExpandFiles(args)) {
    const std::string file = std::filesystem::path(path).filename().string();
    // A page (.html, or bytes that start like HTML) is converted as the
    // ingest service would; its publication date dates the summit.
    absl::StatusOr<v1::ArticleInput> input = cli::LoadArticleFile(path);
    absl::StatusOr<cli::OfflineArticle> article =
        input.ok() ? cli::PrepareOffline(*input) : input.status();
    if (!article.ok()) {
      std::cerr << "communique: " << file << ": "
                << article.status().message() << "\n";
      ++failures;
      continue;
    }
    const std::string& text = article->text;
    extract::ArticleContext context;
    context.article_name = schema::ArticleName(
        schema::ArticleId(ExternalIdOf(path), schema::Sha256Hex(text)));
    context.published = article->published;
    v1::ArticleExtraction extraction = (*extractor)->Extract(text, context);
    if (absl::GetFlag(FLAGS_jsonl) || absl::GetFlag(FLAGS_json)) {
      std::string json = ToJson(extraction);
      std::string file_json = JsonString(file);
      // {"file": ..., <the extraction's fields>}
      std::cout << "{\"file\":" << file_json
                << (json.size() > 2 ? "," : "") << json.substr(1) << "\n";
    } else {
      std::cout << "== " << file << " (" << extraction.article() << ")\n";
      for (const v1::Summit& s : extraction.summits()) PrintSummitDetail(s);
      for (const v1::Declaration& d : extraction.declarations()) {
        std::cout << "  [" << v1::DeclarationKind_Name(d.kind()) << "] "
                  << d.title() << "\n";
      }
      for (const v1::Initiative& i : extraction.initiatives()) {
        std::cout << "  initiative (" << i.proposer().country() << "): "
                  << i.summary() << "\n";
      }
      for (const v1::Warning& w : extraction.warnings()) {
        std::cout << "  warning " << w.kind() << ": " << w.message() << "\n";
      }
    }
  }
  return failures == 0 ? 0 : 1;
}

// ---------------------------------------------------------------- clients --

std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  rpc::TlsConfig tls;
  tls.insecure = absl::GetFlag(FLAGS_insecure);
  tls.ca_file = absl::GetFlag(FLAGS_tls_ca);
  tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  tls.key_file = absl::GetFlag(FLAGS_tls_key);
  tls.bearer_token_file = absl::GetFlag(FLAGS_token_file);
  auto credentials = rpc::MakeChannelCredentials(tls);
  if (!credentials.ok()) {
    std::cerr << "communique: " << credentials.status().message() << "\n";
    std::exit(2);
  }
  grpc::ChannelArguments args;
  if (!absl::GetFlag(FLAGS_authority).empty()) {
    args.SetSslTargetNameOverride(absl::GetFlag(FLAGS_authority));
  }
  args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 << 20);
  return grpc::CreateCustomChannel(address, *credentials, args);
}

void SetDeadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)));
}

int Ingest(const std::vector<std::string>& args) {
  std::vector<std::string> files = ExpandFiles(args);
  if (files.empty()) return Fail("ingest: give at least one FILE or DIR");
  auto stub = v1::IngestService::NewStub(Connect(absl::GetFlag(FLAGS_ingest)));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)) +
                       std::chrono::milliseconds(200 * static_cast<int64_t>(files.size())));
  auto stream = stub->IngestArticles(&context);
  int failures = 0;
  std::string last_token;
  for (const std::string& path : files) {
    // Pages go as ArticleInput.html; the service converts them.
    absl::StatusOr<v1::ArticleInput> input = cli::LoadArticleFile(path);
    if (!input.ok()) {
      std::cerr << "communique: " << input.status().message() << "\n";
      ++failures;
      continue;
    }
    v1::IngestArticleRequest request;
    request.set_request_id(path);
    *request.mutable_article() = *std::move(input);
    v1::IngestArticleResponse response;
    if (!stream->Write(request) || !stream->Read(&response)) break;
    if (response.error_code() != 0) {
      ++failures;
      std::cerr << "communique: " << path << ": "
                << absl::StatusCodeToString(
                       static_cast<absl::StatusCode>(response.error_code()))
                << ": " << response.error_message() << "\n";
      continue;
    }
    last_token = response.consistency_token();
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << ToJson(response) << "\n";
    } else {
      std::string outcome = v1::IngestOutcome_Name(response.outcome());
      std::cout << absl::AsciiStrToLower(outcome.substr(
                       std::string("INGEST_OUTCOME_").size()))
                << "  " << response.article() << "  <- " << path;
      if (response.affected_summits_size() > 0) {
        std::cout << "\n    summits: "
                  << absl::StrJoin(response.affected_summits(), ", ");
      }
      std::cout << "\n";
    }
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) return FailStatus(status);
  if (!absl::GetFlag(FLAGS_json)) {
    std::cout << "consistency token: " << last_token << "\n";
  }
  return failures == 0 ? 0 : 1;
}

v1::DeclarationKind ParseKind(const std::string& kind) {
  if (kind.empty()) return v1::DECLARATION_KIND_UNSPECIFIED;
  v1::DeclarationKind value;
  if (v1::DeclarationKind_Parse(
          absl::StrCat("DECLARATION_KIND_", absl::AsciiStrToUpper(kind)),
          &value)) {
    return value;
  }
  std::cerr << "communique: --kind: unknown kind " << kind << "\n";
  std::exit(2);
}

int Query(const std::string& collection, const std::string& verb,
          const std::vector<std::string>& rest) {
  auto stub = v1::QueryService::NewStub(Connect(absl::GetFlag(FLAGS_query)));
  const std::string token = absl::GetFlag(FLAGS_consistency_token);
  const bool json = absl::GetFlag(FLAGS_json);
  if (verb == "get") {
    if (rest.size() != 1) return Fail(collection + " get: give one NAME");
    grpc::ClientContext context;
    SetDeadline(&context);
    grpc::Status status;
    if (collection == "summits") {
      v1::GetSummitRequest request;
      request.set_name(rest[0]);
      request.set_consistency_token(token);
      v1::Summit summit;
      status = stub->GetSummit(&context, request, &summit);
      if (status.ok()) json ? void(std::cout << ToJson(summit) << "\n") : PrintSummitDetail(summit);
    } else if (collection == "declarations") {
      v1::GetDeclarationRequest request;
      request.set_name(rest[0]);
      request.set_consistency_token(token);
      v1::Declaration d;
      status = stub->GetDeclaration(&context, request, &d);
      if (status.ok()) std::cout << ToJson(d) << "\n";
    } else {
      v1::GetInitiativeRequest request;
      request.set_name(rest[0]);
      request.set_consistency_token(token);
      v1::Initiative i;
      status = stub->GetInitiative(&context, request, &i);
      if (status.ok()) std::cout << ToJson(i) << "\n";
    }
    return status.ok() ? 0 : FailStatus(status);
  }
  if (verb != "list") return Fail("unknown command " + collection + " " + verb);
  std::string page_token;
  int shown = 0;
  do {
    grpc::ClientContext context;
    SetDeadline(&context);
    grpc::Status status;
    std::string next;
    if (collection == "summits") {
      v1::ListSummitsRequest request;
      v1::SummitFilter* f = request.mutable_filter();
      f->set_organization(absl::GetFlag(FLAGS_organization));
      f->set_year(absl::GetFlag(FLAGS_year));
      f->set_min_year(absl::GetFlag(FLAGS_min_year));
      f->set_max_year(absl::GetFlag(FLAGS_max_year));
      f->set_city(absl::GetFlag(FLAGS_city));
      f->set_country(absl::GetFlag(FLAGS_country));
      f->set_participant_country(absl::GetFlag(FLAGS_participant_country));
      f->set_person(absl::GetFlag(FLAGS_person));
      if (absl::GetFlag(FLAGS_oldest_first)) {
        request.set_order(v1::SUMMIT_ORDER_DATE_ASCENDING);
      }
      request.set_page_size(absl::GetFlag(FLAGS_page_size));
      request.set_page_token(page_token);
      request.set_consistency_token(token);
      v1::ListSummitsResponse response;
      status = stub->ListSummits(&context, request, &response);
      for (const auto& s : response.summits()) {
        json ? void(std::cout << ToJson(s) << "\n") : PrintSummitLine(s);
        ++shown;
      }
      next = response.next_page_token();
    } else if (collection == "declarations") {
      v1::ListDeclarationsRequest request;
      request.set_parent(absl::GetFlag(FLAGS_summit).empty()
                             ? "summits/-"
                             : absl::GetFlag(FLAGS_summit));
      request.set_kind(ParseKind(absl::GetFlag(FLAGS_kind)));
      request.set_page_size(absl::GetFlag(FLAGS_page_size));
      request.set_page_token(page_token);
      request.set_consistency_token(token);
      v1::ListDeclarationsResponse response;
      status = stub->ListDeclarations(&context, request, &response);
      for (const auto& d : response.declarations()) {
        if (json) {
          std::cout << ToJson(d) << "\n";
        } else {
          std::string kind = v1::DeclarationKind_Name(d.kind());
          std::cout << d.name() << "\n    ["
                    << absl::AsciiStrToLower(kind.substr(17)) << "] "
                    << d.title() << "\n";
        }
        ++shown;
      }
      next = response.next_page_token();
    } else if (collection == "initiatives") {
      v1::ListInitiativesRequest request;
      request.set_parent(absl::GetFlag(FLAGS_summit).empty()
                             ? "summits/-"
                             : absl::GetFlag(FLAGS_summit));
      request.set_proposer_country(absl::GetFlag(FLAGS_proposer_country));
      request.set_page_size(absl::GetFlag(FLAGS_page_size));
      request.set_page_token(page_token);
      request.set_consistency_token(token);
      v1::ListInitiativesResponse response;
      status = stub->ListInitiatives(&context, request, &response);
      for (const auto& i : response.initiatives()) {
        if (json) {
          std::cout << ToJson(i) << "\n";
        } else {
          std::string who = i.proposer().name().empty()
                                ? i.proposer().country()
                                : absl::StrCat(i.proposer().name(), ", ",
                                               i.proposer().country());
          std::cout << i.name() << "\n    (" << who << ") " << i.summary()
                    << "\n";
        }
        ++shown;
      }
      next = response.next_page_token();
    } else {
      return Fail("unknown collection " + collection);
    }
    if (!status.ok()) return FailStatus(status);
    page_token = next;
  } while (!page_token.empty() && absl::GetFlag(FLAGS_all_pages));
  if (!json) std::cout << "(" << shown << " " << collection << ")\n";
  return 0;
}

int Articles(const std::string& verb, const std::vector<std::string>& rest) {
  auto stub = v1::IngestService::NewStub(Connect(absl::GetFlag(FLAGS_ingest)));
  if (verb == "delete" && rest.size() == 1) {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::DeleteArticleRequest request;
    request.set_name(rest[0]);
    v1::DeleteArticleResponse response;
    grpc::Status status = stub->DeleteArticle(&context, request, &response);
    if (!status.ok()) return FailStatus(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << ToJson(response) << "\n";
    } else {
      std::cout << "deleted  " << response.article() << "\n";
      if (response.affected_summits_size() > 0) {
        std::cout << "    summits re-derived: "
                  << absl::StrJoin(response.affected_summits(), ", ") << "\n";
      }
      std::cout << "consistency token: " << response.consistency_token()
                << "\n";
    }
    return 0;
  }
  if (verb == "get" && rest.size() == 1) {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::GetArticleRequest request;
    request.set_name(rest[0]);
    v1::Article article;
    grpc::Status status = stub->GetArticle(&context, request, &article);
    if (!status.ok()) return FailStatus(status);
    std::cout << ToJson(article) << "\n";
    return 0;
  }
  if (verb != "list") {
    return Fail("articles: use list, get NAME or delete NAME");
  }
  std::string page_token;
  do {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::ListArticlesRequest request;
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(page_token);
    v1::ListArticlesResponse response;
    grpc::Status status = stub->ListArticles(&context, request, &response);
    if (!status.ok()) return FailStatus(status);
    for (const auto& a : response.articles()) {
      if (absl::GetFlag(FLAGS_json)) {
        std::cout << ToJson(a) << "\n";
      } else {
        std::cout << a.name() << "  " << a.warnings_size() << " warning(s)\n";
      }
    }
    page_token = response.next_page_token();
  } while (!page_token.empty());
  return 0;
}

// Re-runs the current extractor over stored articles, page by page.
int Reprocess() {
  auto stub = v1::IngestService::NewStub(Connect(absl::GetFlag(FLAGS_ingest)));
  std::string page_token;
  int examined = 0, changed = 0;
  std::string token;
  do {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::ReprocessRequest request;
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(page_token);
    request.set_only_outdated(absl::GetFlag(FLAGS_only_outdated));
    v1::ReprocessResponse response;
    grpc::Status status = stub->Reprocess(&context, request, &response);
    if (!status.ok()) return FailStatus(status);
    if (absl::GetFlag(FLAGS_json)) std::cout << ToJson(response) << "\n";
    examined += response.articles_examined();
    changed += response.articles_changed();
    token = response.consistency_token();
    page_token = response.next_page_token();
  } while (!page_token.empty());
  if (!absl::GetFlag(FLAGS_json)) {
    std::cout << "reprocessed " << examined << " article(s), " << changed
              << " changed\nconsistency token: " << token << "\n";
  }
  return 0;
}

constexpr char kUsage[] =
    "communique: turn summit news into typed records.\n\n"
    "  communique parse [--jsonl] FILE...      extract offline, no server\n"
    "  communique ingest FILE|DIR...           ingest through the ingest service\n"
    "    (FILE: .txt text, or a page: .html/.htm or any file starting like HTML)\n"
    "  communique summits list [filters]       --organization --year --min_year\n"
    "                                          --max_year --city --country\n"
    "                                          --participant_country --person\n"
    "                                          --oldest_first\n"
    "  communique summits get NAME\n"
    "  communique declarations list [--summit=NAME] [--kind=statement]\n"
    "  communique declarations get NAME\n"
    "  communique initiatives list [--summit=NAME] [--proposer_country=X]\n"
    "  communique initiatives get NAME\n"
    "  communique articles list | get NAME | delete NAME\n"
    "  communique reprocess [--only_outdated]   re-run the extractor\n\n"
    "Connection: --ingest --query (host:port), --tls_ca --tls_cert --tls_key\n"
    "--authority, --token_file, or --insecure. --json prints JSON.";

}  // namespace

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> positional = rpc::ParseFlagsWithEnvironment(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (args.empty()) return Fail(std::string("no command\n\n") + kUsage);
  const std::string command = args[0];
  if (command == "parse") return Parse({args.begin() + 1, args.end()});
  if (command == "ingest") return Ingest({args.begin() + 1, args.end()});
  if (command == "reprocess") return Reprocess();
  if (args.size() < 2) return Fail(std::string("unknown command\n\n") + kUsage);
  std::vector<std::string> rest(args.begin() + 2, args.end());
  if (command == "summits" || command == "declarations" ||
      command == "initiatives") {
    return Query(command, args[1], rest);
  }
  if (command == "articles") return Articles(args[1], rest);
  return Fail("unknown command " + command + "\n\n" + kUsage);
}

}  // namespace communique::cli

int main(int argc, char** argv) { return communique::cli::Main(argc, argv); }
