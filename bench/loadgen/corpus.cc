#include "bench/loadgen/loadgen.h"

namespace communique::bench::loadgen {

const Tools& GetTools() {
  static const Tools* tools = [] {
    auto* t = new Tools;
    auto gazetteer = gazetteer::Gazetteer::LoadDefault();
    if (!gazetteer.ok()) Fail("gazetteer does not load");
    t->gazetteer = *gazetteer;
    auto extractor = extract::Extractor::Create(t->gazetteer);
    if (!extractor.ok()) Fail("extractor does not build");
    t->extractor = *std::move(extractor);
    Corpus& corpus = t->corpus;
    // Only bodies whose sessions the extractor dates from such text.
    for (const auto& organization : t->gazetteer->data().organizations()) {
      for (const auto& body : organization.bodies()) {
        const std::string probe = absl::StrFormat(
            "The %s of the %s met in Minsk on March 8, 2030.\n", body.name(),
            organization.name());
        extract::ArticleContext context;
        context.article_name = "articles/probe";
        api::ArticleExtraction found = t->extractor->Extract(probe, context);
        if (found.summits_size() == 1 &&
            found.summits(0).date().year() == 2030) {
          corpus.bodies.emplace_back(organization.name(), body.name());
        }
      }
    }
    for (const auto& city : t->gazetteer->data().cities()) {
      corpus.cities.push_back(city.name());
    }
    if (corpus.bodies.empty() || corpus.cities.empty()) Fail("empty corpus");
    return t;
  }();
  return *tools;
}

// Ingests articles [first, first + count) of the corpus on one
// IngestArticles stream; returns the last consistency token and sets
// *seconds to the wall time.
std::string IngestRange(api::IngestService::Stub* ingest, int first, int count,
                        double* seconds) {
  const Corpus& corpus = GetTools().corpus;
  grpc::ClientContext context;
  auto stream = ingest->IngestArticles(&context);
  const auto start = Clock::now();
  std::thread writer([&] {
    for (int i = first; i < first + count; ++i) {
      api::IngestArticleRequest request;
      request.mutable_article()->set_text(corpus.Article(i));
      request.mutable_article()->set_external_id(absl::StrCat("bench-", i));
      request.set_request_id(absl::StrCat(i));
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  api::IngestArticleResponse response;
  std::string token;
  int received = 0;
  while (stream->Read(&response)) {
    ++received;
    if (!response.consistency_token().empty()) {
      token = response.consistency_token();
    }
  }
  writer.join();
  grpc::Status status = stream->Finish();
  if (!status.ok() || received != count) {
    Fail(absl::StrCat("ingest: ", received, "/", count,
                      " acknowledged: ", status.error_message()));
  }
  *seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return token;
}

// Ingests `summits` summits' articles on one stream; returns the last
// consistency token.
std::string Generate(api::IngestService::Stub* ingest, int summits) {
  const int articles = 3 * summits;
  double seconds = 0;
  std::string token = IngestRange(ingest, 0, articles, &seconds);
  std::printf("corpus: %d summits, %d articles ingested in %.1f s (%.0f "
              "articles/s, one stream, end to end over gRPC)\n",
              summits, articles, seconds, articles / seconds);
  return token;
}

}  // namespace communique::bench::loadgen
