#include "shared/schema/names.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::schema {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;

TEST(SlugifyTest, LowercasesAndJoinsWithDashes) {
  EXPECT_EQ(Slugify("Nur-Sultan"), "nur-sultan");
  EXPECT_EQ(Slugify("  Minsk 2023!! "), "minsk-2023");
  EXPECT_EQ(Slugify("Kazakhstan’s initiative"), "kazakhstans-initiative");
  EXPECT_EQ(Slugify("Bişkek Çholpon"), "biskek-cholpon");
  EXPECT_EQ(Slugify("Душанбе"), "");
}

TEST(SlugifyTest, CutsLongTextAtADash) {
  std::string slug = Slugify("declaration of the collective security council "
                             "on the formation of a just world order",
                             40);
  EXPECT_LE(slug.size(), 40u);
  EXPECT_NE(slug.back(), '-');
  EXPECT_EQ(slug.rfind("declaration-of-the-collective", 0), 0u);
}

TEST(SummitIdTest, UsesKnownDatePartsAndCity) {
  v1::PartialDate day;
  day.set_year(2024);
  day.set_month(11);
  day.set_day(28);
  EXPECT_EQ(SummitId("CSTO", day, "Astana"), "csto-2024-11-28-astana");
  v1::PartialDate year;
  year.set_year(2020);
  EXPECT_EQ(SummitId("CSTO", year, ""), "csto-2020");
  EXPECT_EQ(SummitId("SCO", v1::PartialDate(), "Samarkand"),
            "sco-undated-samarkand");
}

TEST(Sha256HexTest, MatchesKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ArticleId("", Sha256Hex("abc")), "ba7816bf8f01cfea");
  EXPECT_EQ(ArticleId("Feed/Item 42", Sha256Hex("abc")), "feed-item-42");
}

TEST(ParseNameTest, AcceptsWellFormedNames) {
  ASSERT_OK_AND_ASSIGN(ParsedName s,
                       ParseSummitName("summits/csto-2024", "name"));
  EXPECT_EQ(s.summit_id, "csto-2024");
  ASSERT_OK_AND_ASSIGN(
      ParsedName d,
      ParseDeclarationName("summits/csto-2024/declarations/decl-1", "name"));
  EXPECT_EQ(d.summit_id, "csto-2024");
  EXPECT_EQ(d.child_id, "decl-1");
  ASSERT_OK_AND_ASSIGN(ParsedName a,
                       ParseArticleName("articles/abc123", "name"));
  EXPECT_EQ(a.article_id, "abc123");
}

TEST(ParseNameTest, RejectsMalformedNamesNamingTheField) {
  EXPECT_THAT(ParseSummitName("", "name"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("name: required")));
  EXPECT_THAT(ParseSummitName("summit/x", "name"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("summits/{summit}")));
  EXPECT_THAT(ParseSummitName("summits/Upper", "name"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseSummitName("summits/a/b", "parent"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("parent")));
  EXPECT_THAT(ParseInitiativeName("summits/a/declarations/b", "name"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseSummitName(std::string(300, 'a'), "name"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace communique::schema
