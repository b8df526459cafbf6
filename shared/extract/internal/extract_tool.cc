// Development tool: prints one JSON line per file (ArticleExtraction with
// proto field names plus "file"), like `communique parse --jsonl`, and with
// --bench N the extraction throughput over N repetitions.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/schema/names.h"
#include "shared/text/normalize.h"

int main(int argc, char** argv) {
  using namespace communique;
  auto g = gazetteer::Gazetteer::LoadDefault();
  if (!g.ok()) {
    std::cerr << g.status() << "\n";
    return 1;
  }
  auto ex = extract::Extractor::Create(*g);
  int bench = 0;
  for (int a = 1; a < argc; ++a) {
    std::string path = argv[a];
    if (path == "--bench" && a + 1 < argc) {
      bench = std::atoi(argv[++a]);
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto text = text::NormalizeArticleText(ss.str());
    if (!text.ok()) {
      std::cerr << path << ": " << text.status() << "\n";
      continue;
    }
    std::string base = path.substr(path.find_last_of('/') + 1);
    extract::ArticleContext ctx;
    ctx.article_name = schema::ArticleName(schema::Slugify(base));
    if (bench > 0) {
      auto start = std::chrono::steady_clock::now();
      size_t bytes = 0;
      for (int i = 0; i < bench; ++i) {
        auto x = (*ex)->Extract(*text, ctx);
        bytes += text->size();
      }
      double s = std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - start)
                     .count();
      std::fprintf(stderr, "%s: %.1f MB/s\n", base.c_str(), bytes / s / 1e6);
      continue;
    }
    auto x = (*ex)->Extract(*text, ctx);
    std::string json;
    google::protobuf::util::JsonPrintOptions opts;
    opts.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(x, &json, opts);
    json.pop_back();
    std::cout << json << ",\"file\":\"" << base << "\"}\n";
  }
  return 0;
}
