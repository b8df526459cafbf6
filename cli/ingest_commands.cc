// parse (offline), ingest, articles, reprocess.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/article_file.h"
#include "cli/commands.h"
#include "cli/records.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "shared/article/prepare.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"

namespace communique::cli {
namespace {

// ------------------------------------------------------------- files --

// Regular files named on the command line, and the *.txt, *.html and *.htm
// files of named directories (sorted).
std::vector<std::string> ExpandFiles(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::string> inside;
      for (const auto& entry : std::filesystem::directory_iterator(arg, ec)) {
        if (entry.is_regular_file() && IsArticleFileName(entry.path())) {
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

// The article in file `path`, as parse and ingest send it: its text, or
// for a page (.html / .htm, or bytes that start like HTML) the raw page as
// ArticleInput.html, and an external id from the file name. NOT_FOUND if it
// cannot be read.
absl::StatusOr<v1::ArticleInput> LoadArticle(const std::string& path) {
  return LoadArticleFile(path);
}

// ------------------------------------------------------------- parse --

void PrintExtraction(const std::string& file,
                     const v1::ArticleExtraction& extraction) {
  std::cout << "== " << file << " (" << extraction.article() << ")\n";
  for (const v1::Summit& s : extraction.summits()) {
    PrintSummitDetail(s, std::cout);
  }
  for (const v1::Declaration& d : extraction.declarations()) {
    std::cout << "  [" << v1::DeclarationKind_Name(d.kind()) << "] "
              << d.title() << "\n";
  }
  for (const v1::Initiative& i : extraction.initiatives()) {
    std::cout << "  initiative (" << i.proposer().country()
              << "): " << i.summary() << "\n";
  }
  for (const v1::Warning& w : extraction.warnings()) {
    std::cout << "  warning " << w.kind() << ": " << w.message() << "\n";
  }
}

}  // namespace

int RunParse(const Invocation& flags) {
  if (flags.arguments().empty()) {
    return UsageError("parse: give at least one FILE", "parse");
  }
  absl::StatusOr<Format> format =
      FormatOf(flags, {Format::kTable, Format::kJsonl});
  if (!format.ok()) return UsageError(format.status().message(), "parse");
  const bool jsonl = flags.Bool("jsonl") || *format == Format::kJsonl;
  auto gazetteer =
      flags.String("gazetteer").empty()
          ? gazetteer::Gazetteer::LoadDefault()
          : gazetteer::Gazetteer::LoadFromFile(flags.String("gazetteer"));
  if (!gazetteer.ok()) {
    return Fail(absl::StrCat("--gazetteer: ", gazetteer.status().message()));
  }
  auto extractor = extract::Extractor::Create(*gazetteer);
  if (!extractor.ok()) return Fail(extractor.status().message());
  int failures = 0;
  for (const std::string& path : ExpandFiles(flags.arguments())) {
    const std::string file = std::filesystem::path(path).filename().string();
    absl::StatusOr<v1::ArticleInput> input = LoadArticle(path);
    // The ingest path's own preparation: same name, text and extraction.
    absl::StatusOr<v1::ParseArticleResponse> parsed =
        input.ok() ? article::PrepareArticle(*input, **extractor)
                   : absl::StatusOr<v1::ParseArticleResponse>(input.status());
    if (!parsed.ok()) {
      std::cerr << "communique: " << file << ": " << parsed.status().message()
                << "\n";
      ++failures;
      continue;
    }
    if (jsonl) {
      const std::string json = ToJson(parsed->extraction());
      // {"file": ..., <the extraction's fields>}
      std::cout << "{\"file\":" << JsonString(file)
                << (json.size() > 2 ? "," : "") << json.substr(1) << "\n";
    } else {
      PrintExtraction(file, parsed->extraction());
    }
  }
  return failures == 0 ? kExitOk : kExitFailure;
}

int RunIngest(const Invocation& flags) {
  std::vector<std::string> files = ExpandFiles(flags.arguments());
  if (files.empty()) {
    return UsageError("ingest: give at least one FILE or DIR", "ingest");
  }
  absl::StatusOr<Format> format =
      FormatOf(flags, {Format::kTable, Format::kJsonl, Format::kJson});
  if (!format.ok()) return UsageError(format.status().message(), "ingest");
  const bool json = *format != Format::kTable;
  auto channel = Connect(flags, "ingest");
  if (!channel.ok()) return Fail(channel.status().message());
  auto stub = v1::IngestService::NewStub(*channel);
  grpc::ClientContext context;
  context.set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::seconds(flags.Int("timeout_seconds")) +
      std::chrono::milliseconds(200 * static_cast<int64_t>(files.size())));
  auto stream = stub->IngestArticles(&context);
  int failures = 0;
  std::string last_token;
  for (const std::string& path : files) {
    absl::StatusOr<v1::ArticleInput> input = LoadArticle(path);
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
    if (json) {
      std::cout << ToJson(response) << "\n";
    } else {
      std::cout << EnumText(v1::IngestOutcome_Name(response.outcome()),
                            "INGEST_OUTCOME_")
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
  if (!status.ok()) return FailCall(status, flags, "ingest");
  if (!json) std::cout << "consistency token: " << last_token << "\n";
  return failures == 0 ? kExitOk : kExitFailure;
}

int RunArticles(const Invocation& flags) {
  const std::string& command = flags.command();
  absl::StatusOr<Format> format =
      FormatOf(flags, {Format::kTable, Format::kJson, Format::kJsonl});
  if (!format.ok()) return UsageError(format.status().message(), command);
  const bool needs_name = command != "articles list";
  if (needs_name && flags.arguments().size() != 1) {
    return UsageError(absl::StrCat(command, ": give one NAME (articles/ID)"),
                      command);
  }
  if (!needs_name && !flags.arguments().empty()) {
    return UsageError(
        absl::StrCat(command, ": unexpected argument ", flags.arguments()[0]),
        command);
  }
  auto channel = Connect(flags, "ingest");
  if (!channel.ok()) return Fail(channel.status().message());
  auto stub = v1::IngestService::NewStub(*channel);
  if (command == "articles delete") {
    grpc::ClientContext context;
    SetDeadline(flags, &context);
    v1::DeleteArticleRequest request;
    request.set_name(flags.arguments()[0]);
    v1::DeleteArticleResponse response;
    grpc::Status status = stub->DeleteArticle(&context, request, &response);
    if (!status.ok()) return FailCall(status, flags, "ingest");
    if (*format != Format::kTable) {
      std::cout << ToJson(response) << "\n";
      return kExitOk;
    }
    std::cout << "deleted  " << response.article() << "\n";
    if (response.affected_summits_size() > 0) {
      std::cout << "    summits re-derived: "
                << absl::StrJoin(response.affected_summits(), ", ") << "\n";
    }
    std::cout << "consistency token: " << response.consistency_token() << "\n";
    return kExitOk;
  }
  if (command == "articles get") {
    grpc::ClientContext context;
    SetDeadline(flags, &context);
    v1::GetArticleRequest request;
    request.set_name(flags.arguments()[0]);
    v1::Article article;
    grpc::Status status = stub->GetArticle(&context, request, &article);
    if (!status.ok()) return FailCall(status, flags, "ingest");
    std::cout << ToJson(article) << "\n";
    return kExitOk;
  }
  RecordWriter records(*format, std::cout);
  std::string page_token = flags.String("page_token");
  do {
    grpc::ClientContext context;
    SetDeadline(flags, &context);
    v1::ListArticlesRequest request;
    request.set_page_size(static_cast<int32_t>(flags.Int("page_size")));
    request.set_page_token(page_token);
    v1::ListArticlesResponse response;
    grpc::Status status = stub->ListArticles(&context, request, &response);
    if (!status.ok()) return FailCall(status, flags, "ingest");
    for (const v1::Article& a : response.articles()) {
      if (*format == Format::kTable) {
        std::cout << a.name() << "  " << a.warnings_size() << " warning(s)\n";
      } else {
        records.Write(a);
      }
    }
    page_token = response.next_page_token();
  } while (!page_token.empty() && flags.Bool("all_pages"));
  if (*format != Format::kTable) records.Finish();
  if (!page_token.empty()) {
    std::cerr << "next page: --page_token=" << page_token << "\n";
  }
  return kExitOk;
}

// Re-runs the current extractor over stored articles, page by page.
int RunReprocess(const Invocation& flags) {
  absl::StatusOr<Format> format =
      FormatOf(flags, {Format::kTable, Format::kJsonl, Format::kJson});
  if (!format.ok()) return UsageError(format.status().message(), "reprocess");
  auto channel = Connect(flags, "ingest");
  if (!channel.ok()) return Fail(channel.status().message());
  auto stub = v1::IngestService::NewStub(*channel);
  std::string page_token;
  int64_t examined = 0, changed = 0;
  std::string token;
  do {
    grpc::ClientContext context;
    SetDeadline(flags, &context);
    v1::ReprocessRequest request;
    request.set_page_size(static_cast<int32_t>(flags.Int("page_size")));
    request.set_page_token(page_token);
    request.set_only_outdated(flags.Bool("only_outdated"));
    v1::ReprocessResponse response;
    grpc::Status status = stub->Reprocess(&context, request, &response);
    if (!status.ok()) return FailCall(status, flags, "ingest");
    if (*format != Format::kTable) std::cout << ToJson(response) << "\n";
    examined += response.articles_examined();
    changed += response.articles_changed();
    token = response.consistency_token();
    page_token = response.next_page_token();
  } while (!page_token.empty());
  if (*format == Format::kTable) {
    std::cout << "reprocessed " << examined << " article(s), " << changed
              << " changed\nconsistency token: " << token << "\n";
  }
  return kExitOk;
}

}  // namespace communique::cli
