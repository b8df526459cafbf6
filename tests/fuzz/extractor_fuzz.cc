// libFuzzer target for the extraction path every ingested article takes:
// NormalizeArticleText (any bytes; invalid UTF-8 must be a clean error),
// then Extractor::Extract over the normalised text with the embedded
// gazetteer. Any crash, sanitizer report or broken evidence span is a bug.
// Build: tests/fuzz/run.sh (clang, -DCOMMUNIQUE_FUZZ=ON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/text/normalize.h"

namespace {

const communique::extract::Extractor& GetExtractor() {
  static const communique::extract::Extractor* extractor = [] {
    auto g = communique::gazetteer::Gazetteer::LoadDefault();
    if (!g.ok()) std::abort();
    auto e = communique::extract::Extractor::Create(*g);
    if (!e.ok()) std::abort();
    return e->release();
  }();
  return *extractor;
}

void CheckEvidence(const communique::v1::Evidence& e, const std::string& text) {
  if (e.begin() > e.end() || e.end() > text.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view raw(reinterpret_cast<const char*>(data), size);
  auto text = communique::text::NormalizeArticleText(raw);
  if (!text.ok()) return 0;  // a clean error is a valid outcome
  communique::extract::ArticleContext ctx;
  ctx.article_name = "articles/fuzz";
  communique::v1::ArticleExtraction x = GetExtractor().Extract(*text, ctx);
  for (const auto& s : x.summits()) {
    for (const auto& e : s.evidence()) CheckEvidence(e, *text);
    for (const auto& p : s.participants())
      for (const auto& e : p.evidence()) CheckEvidence(e, *text);
  }
  for (const auto& d : x.declarations())
    for (const auto& e : d.evidence()) CheckEvidence(e, *text);
  for (const auto& i : x.initiatives())
    for (const auto& e : i.evidence()) CheckEvidence(e, *text);
  for (const auto& w : x.warnings())
    if (w.has_span()) CheckEvidence(w.span(), *text);
  return 0;
}
