// Extraction throughput on the seeds and samples (single thread), beside two
// floors measured on the same bytes in the same run:
//   - NormalizeArticleText alone (ICU NFC and clean-up: the first step of
//     every ingest),
//   - one pass of a compiled RE2::Set of every gazetteer alias and topic
//     phrase (the cheapest way to "find the entities" at all; issue 9).
// Each benchmark reports bytes_per_second (MB/s) and items_per_second
// (articles/s). Corpus: $COMMUNIQUE_SOURCE_DIR (default: the source tree
// this binary was built from)/data/samples/*.txt and ../shared/seeds/*.txt.
// Beside them, BM_HtmlToText: page -> text + metadata (html::ConvertPage)
// over the page fixtures (tests/pages/make_pages.py: the 26 news articles
// in six site templates), in MB/s of page bytes as served; the pages come
// from $COMMUNIQUE_PAGES_DIR, else are generated into a temporary folder;
// BM_LibxmlSaxFloor is libxml2's bare HTML tokenizer over the same bytes.
#include <benchmark/benchmark.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <dirent.h>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "shared/extract/extractor.h"
#include "shared/html/page.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/text/normalize.h"

namespace communique {
namespace {

std::vector<std::string> ReadDir(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (absl::EndsWith(name, ".txt") && name != "README.txt")
      names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

struct Corpus {
  std::vector<std::string> raw;
  std::vector<std::string> normalized;
  size_t bytes = 0;
  std::shared_ptr<const gazetteer::Gazetteer> gazetteer;
  std::unique_ptr<extract::Extractor> extractor;
  std::unique_ptr<RE2::Set> alias_set;
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    const char* env = std::getenv("COMMUNIQUE_SOURCE_DIR");
    std::string root = env ? env : COMMUNIQUE_SOURCE_DIR;
    for (const std::string& dir :
         {root + "/data/samples", root + "/../shared/seeds"}) {
      for (std::string& text : ReadDir(dir)) c->raw.push_back(std::move(text));
    }
    if (c->raw.empty()) {
      std::cerr << "no articles under " << root << "\n";
      std::exit(1);
    }
    for (const std::string& raw : c->raw) {
      auto text = text::NormalizeArticleText(raw);
      if (!text.ok()) {
        std::cerr << text.status() << "\n";
        std::exit(1);
      }
      c->bytes += text->size();
      c->normalized.push_back(*std::move(text));
    }
    auto g = gazetteer::Gazetteer::LoadDefault();
    if (!g.ok()) {
      std::cerr << g.status() << "\n";
      std::exit(1);
    }
    c->gazetteer = *g;
    c->extractor = *extract::Extractor::Create(c->gazetteer);
    // Every alias the extractor's matcher knows, as one RE2::Set.
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_max_mem(256 << 20);
    c->alias_set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
    const auto& data = c->gazetteer->data();
    auto add = [&](const std::string& alias) {
      if (alias.empty()) return;
      c->alias_set->Add("\\b" + RE2::QuoteMeta(alias) + "\\b", nullptr);
    };
    for (const auto& o : data.organizations()) {
      add(o.acronym());
      add(o.name());
      for (const auto& a : o.aliases()) add(a);
      for (const auto& b : o.bodies()) {
        add(b.name());
        for (const auto& a : b.aliases()) add(a);
      }
    }
    for (const auto& s : data.states()) {
      add(s.name());
      for (const auto& a : s.aliases()) add(a);
      for (const auto& a : s.demonyms()) add(a);
    }
    for (const auto& city : data.cities()) {
      add(city.name());
      for (const auto& a : city.aliases()) add(a);
    }
    for (const auto& p : data.people()) {
      add(p.name());
      for (const auto& a : p.aliases()) add(a);
    }
    for (const auto& r : data.roles())
      for (const auto& a : r.aliases()) add(a);
    for (const auto& t : data.topics())
      for (const auto& a : t.phrases()) add(a);
    if (!c->alias_set->Compile()) {
      std::cerr << "RE2::Set did not compile\n";
      std::exit(1);
    }
    return c;
  }();
  return *corpus;
}

void Report(benchmark::State& state, const Corpus& c) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(c.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(c.normalized.size()));
  state.counters["articles"] = static_cast<double>(c.normalized.size());
  state.counters["avg_bytes"] =
      static_cast<double>(c.bytes) / static_cast<double>(c.normalized.size());
}

// One extraction per article (text already normalised).
void BM_Extract(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  extract::ArticleContext ctx;
  ctx.article_name = "articles/bench";
  for (auto _ : state) {
    for (const std::string& text : c.normalized) {
      v1::ArticleExtraction x = c.extractor->Extract(text, ctx);
      benchmark::DoNotOptimize(x);
    }
  }
  Report(state, c);
}
BENCHMARK(BM_Extract);

// What ingest does per article: normalise, then extract.
void BM_NormalizeAndExtract(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  extract::ArticleContext ctx;
  ctx.article_name = "articles/bench";
  for (auto _ : state) {
    for (const std::string& raw : c.raw) {
      auto text = text::NormalizeArticleText(raw);
      v1::ArticleExtraction x = c.extractor->Extract(*text, ctx);
      benchmark::DoNotOptimize(x);
    }
  }
  Report(state, c);
}
BENCHMARK(BM_NormalizeAndExtract);

// Floor 1: the bare normalisation pass over the same bytes.
void BM_NormalizeOnly(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    for (const std::string& raw : c.raw) {
      auto text = text::NormalizeArticleText(raw);
      benchmark::DoNotOptimize(text);
    }
  }
  Report(state, c);
}
BENCHMARK(BM_NormalizeOnly);

// Floor 2: one pass of the compiled RE2::Set of all gazetteer aliases.
void BM_Re2SetAliasPass(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  std::vector<int> hits;
  for (auto _ : state) {
    for (const std::string& text : c.normalized) {
      hits.clear();
      c.alias_set->Match(text, &hits);
      benchmark::DoNotOptimize(hits);
    }
  }
  Report(state, c);
}
BENCHMARK(BM_Re2SetAliasPass);

// The gazetteer's own Aho-Corasick mention pass (part of extraction).
void BM_GazetteerMentions(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    for (const std::string& text : c.normalized) {
      auto mentions = c.gazetteer->FindMentions(text);
      benchmark::DoNotOptimize(mentions);
    }
  }
  Report(state, c);
}
BENCHMARK(BM_GazetteerMentions);

struct Pages {
  std::vector<std::string> pages;
  size_t bytes = 0;
};

const Pages& GetPages() {
  static const Pages* pages = [] {
    auto* p = new Pages;
    const char* env = std::getenv("COMMUNIQUE_SOURCE_DIR");
    std::string root = env ? env : COMMUNIQUE_SOURCE_DIR;
    const char* pages_env = std::getenv("COMMUNIQUE_PAGES_DIR");
    std::string dir = pages_env ? pages_env : "";
    if (dir.empty()) {
      char tmpl[] = "/tmp/communique_bench_pages_XXXXXX";
      dir = mkdtemp(tmpl);
      std::string command = "python3 '" + root +
                            "/tests/pages/make_pages.py' '" + root +
                            "/../shared/eval/news' '" + dir + "' >/dev/null";
      if (std::system(command.c_str()) != 0) {
        std::cerr << "could not generate page fixtures: " << command << "\n";
        std::exit(1);
      }
    }
    std::vector<std::string> files;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(dir)) {
      if (entry.path().extension() == ".html") {
        files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      p->bytes += ss.str().size();
      p->pages.push_back(ss.str());
    }
    if (!pages_env) std::filesystem::remove_all(dir);
    if (p->pages.empty()) {
      std::cerr << "no page fixtures in " << dir << "\n";
      std::exit(1);
    }
    return p;
  }();
  return *pages;
}

// Page -> text and metadata (charset, parse, clutter removal, metadata):
// what ingest does before normalising a page.
void BM_HtmlToText(benchmark::State& state) {
  const Pages& p = GetPages();
  for (auto _ : state) {
    for (const std::string& page : p.pages) {
      auto converted = html::ConvertPage(page, "");
      benchmark::DoNotOptimize(converted);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(p.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(p.pages.size()));
  state.counters["pages"] = static_cast<double>(p.pages.size());
  state.counters["avg_bytes"] =
      static_cast<double>(p.bytes) / static_cast<double>(p.pages.size());
}
BENCHMARK(BM_HtmlToText);

// Floor 3: libxml2's HTML tokenizer alone over the same pages (SAX, every
// callback empty): what no converter built on it can beat.
void IgnoreElement(void*, const xmlChar*, const xmlChar**) {}
void IgnoreEnd(void*, const xmlChar*) {}
void IgnoreText(void*, const xmlChar*, int) {}
void IgnoreError(void*, xmlErrorPtr) {}
void BM_LibxmlSaxFloor(benchmark::State& state) {
  const Pages& p = GetPages();
  xmlInitParser();
  xmlSetStructuredErrorFunc(nullptr, IgnoreError);
  for (auto _ : state) {
    for (const std::string& page : p.pages) {
      htmlParserCtxtPtr context = htmlCreateMemoryParserCtxt(
          page.data(), static_cast<int>(page.size()));
      htmlSAXHandler* sax = context->sax;
      memset(sax, 0, sizeof(*sax));
      sax->startElement = IgnoreElement;
      sax->endElement = IgnoreEnd;
      sax->characters = IgnoreText;
      sax->cdataBlock = IgnoreText;
      sax->initialized = 1;
      htmlCtxtUseOptions(context, HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                      HTML_PARSE_NOERROR |
                                      HTML_PARSE_NOWARNING);
      htmlParseDocument(context);
      htmlFreeParserCtxt(context);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(p.bytes));
  state.counters["pages"] = static_cast<double>(p.pages.size());
}
BENCHMARK(BM_LibxmlSaxFloor);

}  // namespace
}  // namespace communique

BENCHMARK_MAIN();
