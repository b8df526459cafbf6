// Golden test over the five seed articles in ../shared/seeds (next to the
// repository), with the embedded default gazetteer. Asserts the key facts a
// careful reader finds in each.
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/extract/extractor.h"
#include "shared/text/normalize.h"

namespace communique::extract {
namespace {

class SeedsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("COMMUNIQUE_SOURCE_DIR");
    seeds_ = std::string(dir ? dir : ".") + "/../shared/seeds";
    std::ifstream probe(seeds_ + "/000_21500c8e48709fde.txt");
    if (!probe) {
      GTEST_SKIP() << "seed articles not found under " << seeds_
                   << " (set COMMUNIQUE_SOURCE_DIR to the repository root)";
    }
    auto g = gazetteer::Gazetteer::LoadDefault();
    ASSERT_TRUE(g.ok()) << g.status();
    extractor_ = *Extractor::Create(*g);
  }

  v1::ArticleExtraction Extract(const std::string& file) {
    std::ifstream in(seeds_ + "/" + file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto text = text::NormalizeArticleText(ss.str());
    EXPECT_TRUE(text.ok()) << text.status();
    text_ = *text;
    ArticleContext ctx;
    ctx.article_name = "articles/" + file.substr(0, 3);
    return extractor_->Extract(text_, ctx);
  }

  static std::set<std::string> Names(const v1::Summit& s) {
    std::set<std::string> out;
    for (const auto& p : s.participants())
      if (!p.name().empty()) out.insert(p.name());
    return out;
  }

  std::string seeds_;
  std::string text_;
  std::unique_ptr<Extractor> extractor_;
};

TEST_F(SeedsTest, Astana2024Dateline) {
  auto x = Extract("000_21500c8e48709fde.txt");
  ASSERT_EQ(x.summits_size(), 1);
  const auto& s = x.summits(0);
  EXPECT_EQ(s.organization(), "CSTO");
  EXPECT_EQ(s.date().year(), 2024);
  EXPECT_EQ(s.date().month(), 11);
  EXPECT_EQ(s.date().day(), 28);
  EXPECT_EQ(s.location().city(), "Astana");
  EXPECT_EQ(s.location().country(), "Kazakhstan");
  EXPECT_EQ(s.chair_country(), "Kazakhstan");
  EXPECT_THAT(Names(s), ::testing::IsSupersetOf(
                            {"Kassym-Jomart Tokayev", "Alexander Lukashenko",
                             "Sadyr Japarov", "Vladimir Putin",
                             "Emomali Rahmon", "Imangali Tasmagambetov"}));
  ASSERT_GE(x.declarations_size(), 1);
  EXPECT_EQ(x.declarations(0).kind(), v1::DECLARATION_KIND_STATEMENT);
}

TEST_F(SeedsTest, Videoconference2020) {
  auto x = Extract("001_ee01846b84616306.txt");
  ASSERT_EQ(x.summits_size(), 1);
  const auto& s = x.summits(0);
  EXPECT_EQ(s.date().year(), 2020);
  EXPECT_EQ(s.date().precision(), v1::DATE_PRECISION_YEAR);
  EXPECT_TRUE(s.location().city().empty());
  EXPECT_THAT(s.formats(),
              ::testing::ElementsAre(v1::SUMMIT_FORMAT_VIDEOCONFERENCE));
  EXPECT_EQ(s.chair_country(), "Russia");
  EXPECT_EQ(s.next_chair().country(), "Tajikistan");
  EXPECT_EQ(s.documents_adopted_count(), 15);
  EXPECT_THAT(Names(s), ::testing::IsSupersetOf(
                            {"Nikol Pashinyan", "Talant Mamytov",
                             "Stanislav Zas", "Vladimir Putin"}));
  EXPECT_EQ(x.declarations_size(), 2);
  EXPECT_EQ(x.initiatives_size(), 1);
}

TEST_F(SeedsTest, Minsk2023) {
  auto x = Extract("002_fa7cfb1f08020d34.txt");
  ASSERT_EQ(x.summits_size(), 1);
  const auto& s = x.summits(0);
  EXPECT_EQ(s.date().year(), 2023);
  EXPECT_EQ(s.location().city(), "Minsk");
  EXPECT_EQ(s.location().country(), "Belarus");
  EXPECT_EQ(s.presiding(), "Alexander Lukashenko");
  EXPECT_EQ(s.chair_country(), "Belarus");
  EXPECT_EQ(s.next_chair().country(), "Kazakhstan");
  EXPECT_EQ(x.declarations_size(), 0);
  EXPECT_GE(x.initiatives_size(), 3);
}

TEST_F(SeedsTest, Astana2024WithInterviewAndGarbledWords) {
  auto x = Extract("003_2c396f09cc63f519.txt");
  ASSERT_EQ(x.summits_size(), 1);
  const auto& s = x.summits(0);
  EXPECT_EQ(s.date().year(), 2024);
  EXPECT_EQ(s.location().city(), "Astana");
  EXPECT_EQ(s.next_chair().country(), "Kyrgyzstan");
  EXPECT_THAT(Names(s), ::testing::IsSupersetOf({"Kassym-Jomart Tokayev",
                                                 "Sadyr Japarov",
                                                 "Imangali Tasmagambetov"}));
  std::set<std::string> kinds;
  for (const auto& w : x.warnings()) kinds.insert(w.kind());
  EXPECT_TRUE(kinds.count("garbled"));
  EXPECT_TRUE(kinds.count("appended_interview"));
  EXPECT_TRUE(kinds.count("placeholder"));
  int protocols = 0;
  for (const auto& d : x.declarations())
    protocols += d.kind() == v1::DECLARATION_KIND_PROTOCOL;
  EXPECT_EQ(protocols, 2);
}

TEST_F(SeedsTest, Dushanbe2021RoleOnly) {
  auto x = Extract("004_d738af04ead0e110.txt");
  ASSERT_EQ(x.summits_size(), 1);
  const auto& s = x.summits(0);
  EXPECT_EQ(s.date().year(), 2021);
  EXPECT_EQ(s.date().month(), 9);
  EXPECT_EQ(s.location().city(), "Dushanbe");
  EXPECT_EQ(s.location().country(), "Tajikistan");
  EXPECT_EQ(s.next_chair().country(), "Armenia");
  bool armenia = false, russia_remote = false;
  for (const auto& p : s.participants()) {
    if (p.country() == "Armenia" && p.role() == "Prime Minister") armenia = true;
    if (p.country() == "Russia" && p.remote()) russia_remote = true;
  }
  EXPECT_TRUE(armenia);
  EXPECT_TRUE(russia_remote);
  EXPECT_EQ(x.declarations_size(), 5);
  EXPECT_EQ(x.initiatives_size(), 2);
}

}  // namespace
}  // namespace communique::extract
