// A test fixture for rule tests of the extractor: the small test gazetteer
// (shared/gazetteer/testdata, so that data edits cannot break rule tests)
// and Run(text), which normalises and extracts like the ingest path.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/text/normalize.h"

namespace communique::extract::testing {

class ExtractorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("COMMUNIQUE_SOURCE_DIR");
    std::string path = std::string(dir ? dir : ".") +
                       "/shared/gazetteer/testdata/test_gazetteer.textproto";
    auto g = gazetteer::Gazetteer::LoadFromFile(path);
    ASSERT_TRUE(g.ok()) << g.status();
    auto e = Extractor::Create(*g);
    ASSERT_TRUE(e.ok()) << e.status();
    extractor_ = std::move(*e);
  }

  v1::ArticleExtraction Run(absl::string_view raw) {
    auto text = text::NormalizeArticleText(raw);
    EXPECT_TRUE(text.ok());
    text_ = *text;
    ArticleContext ctx;
    ctx.article_name = "articles/test";
    return extractor_->Extract(text_, ctx);
  }

  const v1::Summit& OnlySummit(const v1::ArticleExtraction& x) {
    EXPECT_EQ(x.summits_size(), 1);
    return x.summits(0);
  }

  std::unique_ptr<Extractor> extractor_;
  std::string text_;
};

}  // namespace communique::extract::testing
