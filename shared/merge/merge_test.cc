#include "shared/merge/merge.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/merge/testing/fixtures.h"
#include "shared/schema/names.h"

namespace communique::merge {
namespace {

using ::communique::merge::testing::Bytes;
using ::communique::merge::testing::ClaimValues;
using ::communique::merge::testing::Date;
using ::communique::merge::testing::Document;
using ::communique::merge::testing::Ev;
using ::communique::merge::testing::Extraction;
using ::communique::merge::testing::kAstanaKey;
using ::communique::merge::testing::kCsc;
using ::communique::merge::testing::Mention;
using ::communique::merge::testing::Names;
using ::communique::merge::testing::Person;
using ::communique::merge::testing::Proposal;
using ::communique::merge::testing::SourcesOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// The two seed articles about the Astana session of 2024-11-28.
constexpr char kArticleA[] = "articles/kazinform-astana";
constexpr char kArticleB[] = "articles/tass-csto-2024";

v1::ArticleExtraction AstanaArticleA() {
  v1::Summit summit = Mention(kArticleA, Date(2024, 11, 28), "Astana");
  summit.mutable_location()->set_country("Kazakhstan");
  summit.set_chair_country("Kazakhstan");
  summit.set_presiding("Kassym-Jomart Tokayev");
  summit.add_topics("terrorism");
  *summit.add_participants() =
      Person(kArticleA, 100, "Kassym-Jomart Tokayev", "kassym-jomart-tokayev",
             "President", "Kazakhstan");
  *summit.add_participants() =
      Person(kArticleA, 140, "Alexander Lukashenko", "alexander-lukashenko",
             "President", "Belarus");
  *summit.add_participants() = Person(kArticleA, 180, "Vladimir Putin",
                                      "vladimir-putin", "President", "Russia");
  // The extractor's own per-field evidence for the date.
  v1::FieldSources *date_sources = summit.add_field_sources();
  date_sources->set_field("date");
  v1::FieldClaim *claim = date_sources->add_claims();
  claim->set_value("2024-11-28");
  claim->add_articles(kArticleA);
  *claim->add_evidence() = Ev(kArticleA, 20, "on November 28");
  v1::ArticleExtraction extraction = Extraction(kArticleA, {summit});
  *extraction.add_declarations() = Document(
      kArticleA, summit, "Declaration of the Collective Security Council",
      v1::DECLARATION_KIND_DECLARATION, v1::DECLARATION_STATUS_ADOPTED, 300);
  return extraction;
}

v1::ArticleExtraction AstanaArticleB() {
  v1::Summit summit = Mention(kArticleB, Date(2024), "Astana");
  summit.add_formats(v1::SUMMIT_FORMAT_EXPANDED);
  summit.add_formats(v1::SUMMIT_FORMAT_NARROW);
  summit.add_topics("drug trafficking");
  summit.add_topics("terrorism");
  summit.mutable_next_chair()->set_country("Kyrgyzstan");
  *summit.mutable_next_chair()->mutable_from_date() = Date(2025, 1, 1);
  *summit.mutable_next_chair()->add_evidence() =
      Ev(kArticleB, 400, "chairmanship starting January 1, 2025");
  v1::Participant belarus =
      Person(kArticleB, 50, "", "", "President", "Belarus");
  belarus.set_remote(true);
  *summit.add_participants() = belarus;
  *summit.add_participants() =
      Person(kArticleB, 70, "", "", "Acting President", "Russia");
  *summit.add_participants() =
      Person(kArticleB, 90, "", "", "Prime Minister", "Armenia");
  v1::ArticleExtraction extraction =
      Extraction(kArticleB, {summit}, "extract-2");
  *extraction.add_declarations() = Document(
      kArticleB, summit,
      "the Declaration of the CSTO Collective Security Council",
      v1::DECLARATION_KIND_DECLARATION, v1::DECLARATION_STATUS_SIGNED, 500);
  *extraction.add_declarations() = Document(
      kArticleB, summit, "Statement on Afghanistan",
      v1::DECLARATION_KIND_STATEMENT, v1::DECLARATION_STATUS_ADOPTED, 600);
  return extraction;
}

// ---------------------------------------------------------------------------

TEST(ClusterKeyTest, JoinsOrganizationBodyAndYear) {
  EXPECT_EQ(ClusterKey(Mention("articles/a", Date(2024, 11, 28), "Astana")),
            kAstanaKey);
  EXPECT_EQ(ClusterKey(Mention("articles/a", Date(2024), "")), kAstanaKey);
  EXPECT_EQ(ClusterKey(Mention("articles/a", v1::PartialDate(), "")),
            "csto|collective-security-council|undated");
  EXPECT_EQ(ClusterKey(Mention("articles/a", Date(2024), "",
                               "Council of "
                               "Foreign Ministers")),
            "csto|council-of-foreign-ministers|2024");
}

TEST(MergeClusterTest, AstanaArticlesMergeIntoOneSummit) {
  std::vector<v1::ArticleExtraction> input = {AstanaArticleA(),
                                              AstanaArticleB()};
  MergedCluster merged = MergeCluster(input, kAstanaKey);

  ASSERT_THAT(merged.summits, SizeIs(1));
  const v1::Summit &summit = merged.summits[0];
  EXPECT_EQ(summit.name(), "summits/csto-2024-11-28-astana");
  EXPECT_EQ(summit.organization(), "CSTO");
  EXPECT_EQ(summit.body(), kCsc);
  EXPECT_EQ(summit.date().year(), 2024);
  EXPECT_EQ(summit.date().month(), 11);
  EXPECT_EQ(summit.date().day(), 28);
  EXPECT_EQ(summit.date().precision(), v1::DATE_PRECISION_DAY);
  EXPECT_EQ(summit.location().city(), "Astana");
  EXPECT_EQ(summit.location().country(), "Kazakhstan");
  EXPECT_EQ(summit.chair_country(), "Kazakhstan");
  EXPECT_EQ(summit.presiding(), "Kassym-Jomart Tokayev");
  EXPECT_THAT(summit.formats(), ElementsAre(v1::SUMMIT_FORMAT_NARROW,
                                            v1::SUMMIT_FORMAT_EXPANDED));
  EXPECT_THAT(summit.topics(), ElementsAre("drug trafficking", "terrorism"));
  EXPECT_EQ(summit.next_chair().country(), "Kyrgyzstan");
  EXPECT_EQ(schema::FormatPartialDate(summit.next_chair().from_date()),
            "2025-01-01");
  EXPECT_THAT(summit.next_chair().evidence(), SizeIs(1));
  EXPECT_THAT(summit.source_articles(), ElementsAre(kArticleA, kArticleB));
  EXPECT_EQ(summit.extractor_version(), "extract-2");
  EXPECT_THAT(summit.conflicts(), IsEmpty());
  EXPECT_THAT(summit.aliases(), ElementsAre("summits/csto-2024-astana"));
  EXPECT_FALSE(summit.has_create_time());
  EXPECT_FALSE(summit.has_update_time());
  // 0.5 + date + place + named participants + one further source.
  EXPECT_DOUBLE_EQ(summit.confidence(), 0.9);

  // Participants: role-only mentions merged into the named presidents,
  // remote from article B, Armenia's role-only participant kept; ordered by
  // country.
  ASSERT_THAT(summit.participants(), SizeIs(4));
  const auto &p = summit.participants();
  EXPECT_EQ(p[0].country(), "Armenia");
  EXPECT_EQ(p[0].name(), "");
  EXPECT_EQ(p[0].role(), "Prime Minister");
  EXPECT_EQ(p[1].country(), "Belarus");
  EXPECT_EQ(p[1].name(), "Alexander Lukashenko");
  EXPECT_TRUE(p[1].remote());
  ASSERT_THAT(p[1].evidence(), SizeIs(2));
  EXPECT_EQ(p[1].evidence(0).article(), kArticleA);
  EXPECT_EQ(p[1].evidence(1).article(), kArticleB);
  EXPECT_EQ(p[2].country(), "Kazakhstan");
  EXPECT_FALSE(p[2].remote());
  EXPECT_EQ(p[3].country(), "Russia");
  EXPECT_EQ(p[3].person_id(), "vladimir-putin");
  EXPECT_EQ(p[3].role(), "President");
  EXPECT_THAT(p[3].evidence(), SizeIs(2));

  // Provenance: compatible dates at different precisions are not a dispute.
  const v1::FieldSources *date = SourcesOf(summit, "date");
  ASSERT_NE(date, nullptr);
  EXPECT_FALSE(date->disputed());
  EXPECT_THAT(ClaimValues(*date), ElementsAre("2024-11-28", "2024"));
  EXPECT_THAT(date->claims(0).articles(), ElementsAre(kArticleA));
  ASSERT_THAT(date->claims(0).evidence(), SizeIs(1));
  EXPECT_EQ(date->claims(0).evidence(0).quote(), "on November 28");
  EXPECT_THAT(date->claims(1).articles(), ElementsAre(kArticleB));
  const v1::FieldSources *city = SourcesOf(summit, "location.city");
  ASSERT_NE(city, nullptr);
  EXPECT_THAT(ClaimValues(*city), ElementsAre("Astana"));
  EXPECT_THAT(city->claims(0).articles(), ElementsAre(kArticleA, kArticleB));
  ASSERT_NE(SourcesOf(summit, "next_chair.country"), nullptr);
  EXPECT_EQ(
      SourcesOf(summit, "next_chair.country")->claims(0).evidence(0).quote(),
      "chairmanship starting January 1, 2025");
  ASSERT_NE(SourcesOf(summit, "next_chair.from_date"), nullptr);
  EXPECT_EQ(SourcesOf(summit, "documents_adopted_count"), nullptr);

  // Declarations: the two wordings of the CSC declaration are one record.
  ASSERT_THAT(merged.declarations, SizeIs(2));
  const v1::Declaration &declaration = merged.declarations[0];
  EXPECT_EQ(declaration.name(),
            "summits/csto-2024-11-28-astana/declarations/"
            "declaration-of-the-csto-collective-security-council");
  EXPECT_EQ(declaration.summit(), summit.name());
  EXPECT_EQ(declaration.title(),
            "Declaration of the CSTO Collective Security Council");
  EXPECT_EQ(declaration.status(), v1::DECLARATION_STATUS_ADOPTED);
  EXPECT_THAT(declaration.source_articles(), ElementsAre(kArticleA, kArticleB));
  EXPECT_THAT(declaration.evidence(), SizeIs(2));
  EXPECT_DOUBLE_EQ(declaration.confidence(), 0.7);
  EXPECT_EQ(merged.declarations[1].name(),
            "summits/csto-2024-11-28-astana/declarations/"
            "statement-on-afghanistan");
  EXPECT_THAT(summit.declarations(),
              ElementsAre(merged.declarations[0].name(),
                          merged.declarations[1].name()));
}

TEST(MergeClusterTest, TwoSessionsInOneYearStayApart) {
  const std::string a = "articles/a", b = "articles/b", c = "articles/c",
                    d = "articles/d", e = "articles/e";
  std::vector<v1::ArticleExtraction> input = {
      Extraction(a, {Mention(a, Date(2022, 5, 16), "Moscow")}),
      Extraction(b, {Mention(b, Date(2022, 11, 23), "Yerevan")}),
      Extraction(c, {Mention(c, Date(2022, 11, 23), "Yerevan")}),
      // Month-level, no city: only compatible with the Yerevan session.
      Extraction(d, {Mention(d, Date(2022, 11), "")}),
      // Year only, no city: it could be either session, so it joins
      // neither and stays a record of its own.
      Extraction(e, {Mention(e, Date(2022), "")}),
  };
  MergedCluster merged =
      MergeCluster(input, "csto|collective-security-council|2022");
  ASSERT_THAT(merged.summits, SizeIs(3));
  EXPECT_THAT(Names(merged.summits),
              ElementsAre("summits/csto-2022", "summits/csto-2022-05-16-moscow",
                          "summits/csto-2022-11-23-yerevan"));
  EXPECT_THAT(merged.summits[0].source_articles(), ElementsAre(e));
  EXPECT_THAT(merged.summits[1].source_articles(), ElementsAre(a));
  EXPECT_THAT(merged.summits[2].source_articles(), ElementsAre(b, c, d));
  for (const v1::Summit &summit : merged.summits) {
    EXPECT_THAT(summit.conflicts(), IsEmpty()) << summit.name();
  }
}

TEST(MergeClusterTest, SameDayDifferentCitiesAreTwoEvents) {
  const std::string a = "articles/a", b = "articles/b";
  std::vector<v1::ArticleExtraction> input = {
      Extraction(a, {Mention(a, Date(2022, 5, 16), "Moscow")}),
      Extraction(b, {Mention(b, Date(2022, 5), "Yerevan")}),
  };
  MergedCluster merged =
      MergeCluster(input, "csto|collective-security-council|2022");
  EXPECT_THAT(Names(merged.summits),
              ElementsAre("summits/csto-2022-05-16-moscow",
                          "summits/csto-2022-05-yerevan"));
}

TEST(MergeClusterTest, DisputedDocumentCountPicksMostSupported) {
  const std::string a = "articles/a", b = "articles/b", c = "articles/c";
  std::vector<v1::ArticleExtraction> input;
  for (const auto &[article, count] :
       std::vector<std::pair<std::string, int>>{{a, 15}, {b, 22}, {c, 22}}) {
    v1::Summit summit = Mention(article, Date(2024, 11, 28), "Astana");
    summit.set_documents_adopted_count(count);
    input.push_back(Extraction(article, {summit}));
  }
  MergedCluster merged = MergeCluster(input, kAstanaKey);
  ASSERT_THAT(merged.summits, SizeIs(1));
  const v1::Summit &summit = merged.summits[0];
  EXPECT_EQ(summit.documents_adopted_count(), 22);
  EXPECT_THAT(summit.conflicts(), ElementsAre("documents_adopted_count"));
  const v1::FieldSources *documents =
      SourcesOf(summit, "documents_adopted_count");
  ASSERT_NE(documents, nullptr);
  EXPECT_TRUE(documents->disputed());
  EXPECT_THAT(ClaimValues(*documents), ElementsAre("22", "15"));
  EXPECT_THAT(documents->claims(0).articles(), ElementsAre(b, c));
  EXPECT_THAT(documents->claims(1).articles(), ElementsAre(a));
  EXPECT_FALSE(SourcesOf(summit, "date")->disputed());
}

TEST(MergeClusterTest, EvenlySupportedCountsPickTheSmallerNumber) {
  const std::string a = "articles/a", b = "articles/b";
  std::vector<v1::ArticleExtraction> input;
  for (const auto &[article, count] :
       std::vector<std::pair<std::string, int>>{{a, 9}, {b, 15}}) {
    v1::Summit summit = Mention(article, Date(2024, 11, 28), "Astana");
    summit.set_documents_adopted_count(count);
    input.push_back(Extraction(article, {summit}));
  }
  MergedCluster merged = MergeCluster(input, kAstanaKey);
  ASSERT_THAT(merged.summits, SizeIs(1));
  EXPECT_EQ(merged.summits[0].documents_adopted_count(), 9); // 9 < 15
  EXPECT_THAT(merged.summits[0].conflicts(),
              ElementsAre("documents_adopted_count"));
}

// Four extractions that exercise every merge path (two events, disputes,
// participants, declarations, initiatives) and a duplicate.
std::vector<v1::ArticleExtraction> OrderTestInput() {
  std::vector<v1::ArticleExtraction> input = {AstanaArticleA(),
                                              AstanaArticleB()};
  const std::string c = "articles/c", d = "articles/d";
  v1::Summit c_summit = Mention(c, Date(2024, 11), "Astana");
  c_summit.set_documents_adopted_count(15);
  c_summit.add_formats(v1::SUMMIT_FORMAT_IN_PERSON);
  *c_summit.add_participants() =
      Person(c, 10, "", "", "President", "Kyrgyzstan");
  v1::ArticleExtraction ce = Extraction(c, {c_summit}, "extract-1");
  *ce.add_initiatives() = Proposal(
      c, c_summit, "CSTO crisis response centre",
      "Russia proposed a crisis response centre under the CSTO", "Russia", 40);
  *ce.add_declarations() = Document(
      c, c_summit, "Declaration of the Collective Security Council",
      v1::DECLARATION_KIND_DECLARATION, v1::DECLARATION_STATUS_PROPOSED, 60);
  input.push_back(ce);
  v1::Summit d_summit = Mention(d, Date(2024, 5, 8), "Moscow");
  d_summit.set_documents_adopted_count(22);
  v1::Summit d_vague = Mention(d, Date(2024), "");
  d_vague.set_name("summits/csto-2024");
  d_vague.set_chair_country("Kazakhstan");
  v1::ArticleExtraction de = Extraction(d, {d_summit, d_vague}, "extract-3");
  *de.add_initiatives() =
      Proposal(d, d_vague, "crisis response centre",
               "a centre for crisis response within the CSTO", "Russia", 90);
  input.push_back(de);
  input.push_back(AstanaArticleB()); // duplicate
  return input;
}

TEST(MergeClusterTest, OutputIsIndependentOfOrderAndDuplicates) {
  std::vector<v1::ArticleExtraction> input = OrderTestInput();
  const std::string expected = Bytes(MergeCluster(input, kAstanaKey));
  MergedCluster reference = MergeCluster(input, kAstanaKey);
  ASSERT_THAT(reference.summits, SizeIs(2)); // Astana and Moscow
  ASSERT_THAT(reference.initiatives, SizeIs(1));

  std::vector<size_t> order(input.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  int permutations = 0;
  do {
    std::vector<v1::ArticleExtraction> permuted;
    for (size_t i : order)
      permuted.push_back(input[i]);
    ASSERT_EQ(Bytes(MergeCluster(permuted, kAstanaKey)), expected)
        << "permutation " << permutations;
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(permutations, 120);

  // Without the duplicate the result is the same too.
  input.pop_back();
  EXPECT_EQ(Bytes(MergeCluster(input, kAstanaKey)), expected);
}

TEST(MergeClusterTest, OrderTestInputMergesAsDocumented) {
  MergedCluster merged = MergeCluster(OrderTestInput(), kAstanaKey);
  ASSERT_THAT(Names(merged.summits),
              ElementsAre("summits/csto-2024-05-08-moscow",
                          "summits/csto-2024-11-28-astana"));
  const v1::Summit &moscow = merged.summits[0];
  const v1::Summit &astana = merged.summits[1];
  // The vague mention of article d (2024, no city) joins the better
  // supported Astana session, and brings its initiative along.
  EXPECT_THAT(astana.source_articles(),
              ElementsAre("articles/c", "articles/d", kArticleA, kArticleB));
  EXPECT_THAT(moscow.source_articles(), ElementsAre("articles/d"));
  EXPECT_EQ(astana.documents_adopted_count(), 15);
  EXPECT_THAT(astana.conflicts(), IsEmpty());
  EXPECT_THAT(astana.formats(),
              ElementsAre(v1::SUMMIT_FORMAT_NARROW, v1::SUMMIT_FORMAT_EXPANDED,
                          v1::SUMMIT_FORMAT_IN_PERSON));
  EXPECT_EQ(astana.extractor_version(), "extract-3");
  EXPECT_DOUBLE_EQ(astana.confidence(), 1.0);
  ASSERT_THAT(astana.initiatives(), SizeIs(1));
  const v1::Initiative &initiative = merged.initiatives[0];
  EXPECT_EQ(initiative.summit(), astana.name());
  EXPECT_EQ(initiative.name(), astana.initiatives(0));
  EXPECT_THAT(initiative.source_articles(),
              ElementsAre("articles/c", "articles/d"));
  EXPECT_EQ(initiative.proposer().country(), "Russia");
  EXPECT_DOUBLE_EQ(initiative.confidence(), 0.7);
  // Three articles state the CSC declaration; the strongest status wins.
  ASSERT_THAT(merged.declarations, SizeIs(2));
  EXPECT_EQ(merged.declarations[0].status(), v1::DECLARATION_STATUS_ADOPTED);
  EXPECT_THAT(merged.declarations[0].source_articles(), SizeIs(3));
}

TEST(MergeClusterTest, SlightlyDifferentDeclarationTitlesMerge) {
  const std::string a = "articles/a", b = "articles/b";
  v1::Summit sa = Mention(a, Date(2024, 11, 28), "Astana");
  v1::Summit sb = Mention(b, Date(2024, 11, 28), "Astana");
  v1::ArticleExtraction ea = Extraction(a, {sa});
  v1::ArticleExtraction eb = Extraction(b, {sb});
  *ea.add_declarations() = Document(
      a, sa, "Declaration of the Collective Security Council",
      v1::DECLARATION_KIND_DECLARATION, v1::DECLARATION_STATUS_PROPOSED, 10);
  *eb.add_declarations() = Document(
      b, sb, "the declarations of the Collective Security Council",
      v1::DECLARATION_KIND_DECLARATION, v1::DECLARATION_STATUS_SIGNED, 20);
  // Same kind, different subject: must stay apart.
  *ea.add_declarations() = Document(a, sa, "Decision on the CSTO budget",
                                    v1::DECLARATION_KIND_DECISION,
                                    v1::DECLARATION_STATUS_ADOPTED, 30);
  *eb.add_declarations() = Document(b, sb, "Decision on the CSTO Secretariat",
                                    v1::DECLARATION_KIND_DECISION,
                                    v1::DECLARATION_STATUS_ADOPTED, 40);
  MergedCluster merged = MergeCluster({ea, eb}, kAstanaKey);
  ASSERT_THAT(merged.declarations, SizeIs(3));
  const std::string prefix = "summits/csto-2024-11-28-astana/declarations/";
  EXPECT_EQ(merged.declarations[0].name(),
            prefix + "decision-on-the-csto-budget");
  EXPECT_EQ(merged.declarations[1].name(),
            prefix + "decision-on-the-csto-secretariat");
  const v1::Declaration &declaration = merged.declarations[2];
  EXPECT_EQ(declaration.name(),
            prefix + "declaration-of-the-collective-security-council");
  EXPECT_EQ(declaration.title(),
            "Declaration of the Collective Security Council");
  // Source b alone would have named it after its own title: that name
  // stays resolvable as an alias. The decisions had one source each.
  EXPECT_THAT(declaration.aliases(),
              ElementsAre(prefix +
                          "declarations-of-the-collective-security-council"));
  EXPECT_THAT(merged.declarations[0].aliases(), IsEmpty());
  EXPECT_EQ(declaration.status(), v1::DECLARATION_STATUS_SIGNED);
  EXPECT_THAT(declaration.source_articles(), ElementsAre(a, b));
  // Provenance of the status: the chosen (strongest) claim first.
  const v1::FieldSources *status = nullptr;
  for (const auto &sources : declaration.field_sources()) {
    if (sources.field() == "status")
      status = &sources;
  }
  ASSERT_NE(status, nullptr);
  EXPECT_THAT(ClaimValues(*status), ElementsAre("DECLARATION_STATUS_SIGNED",
                                                "DECLARATION_STATUS_PROPOSED"));
  EXPECT_FALSE(status->disputed());
}

TEST(MergeClusterTest, EqualStrengthStatusesPickTheMostSupported) {
  std::vector<v1::ArticleExtraction> input;
  for (const auto &[article, status] :
       std::vector<std::pair<std::string, v1::DeclarationStatus>>{
           {"articles/a", v1::DECLARATION_STATUS_ADOPTED},
           {"articles/b", v1::DECLARATION_STATUS_SIGNED},
           {"articles/c", v1::DECLARATION_STATUS_SIGNED},
           {"articles/d", v1::DECLARATION_STATUS_SUPPORTED}}) {
    v1::Summit summit = Mention(article, Date(2024, 11, 28), "Astana");
    v1::ArticleExtraction extraction = Extraction(article, {summit});
    *extraction.add_declarations() =
        Document(article, summit, "Declaration on Afghanistan",
                 v1::DECLARATION_KIND_DECLARATION, status, 10);
    input.push_back(extraction);
  }
  MergedCluster merged = MergeCluster(input, kAstanaKey);
  ASSERT_THAT(merged.declarations, SizeIs(1));
  EXPECT_EQ(merged.declarations[0].status(), v1::DECLARATION_STATUS_SIGNED);
  EXPECT_DOUBLE_EQ(merged.declarations[0].confidence(), 0.9);
}

TEST(MergeClusterTest, SlugCollisionsGetNumberedIds) {
  const std::string a = "articles/a";
  v1::Summit summit = Mention(a, Date(2024, 11, 28), "Astana");
  v1::ArticleExtraction extraction = Extraction(a, {summit});
  *extraction.add_declarations() =
      Document(a, summit, "Joint Statement", v1::DECLARATION_KIND_STATEMENT,
               v1::DECLARATION_STATUS_ADOPTED, 10);
  *extraction.add_declarations() =
      Document(a, summit, "Joint statement", v1::DECLARATION_KIND_DECLARATION,
               v1::DECLARATION_STATUS_ADOPTED, 20);
  MergedCluster merged = MergeCluster({extraction}, kAstanaKey);
  ASSERT_THAT(merged.declarations, SizeIs(2));
  const std::string prefix = "summits/csto-2024-11-28-astana/declarations/";
  EXPECT_EQ(merged.declarations[0].name(), prefix + "joint-statement");
  EXPECT_EQ(merged.declarations[1].name(), prefix + "joint-statement-2");
  // Deterministic: the lower kind keeps the plain id.
  EXPECT_EQ(merged.declarations[0].kind(), v1::DECLARATION_KIND_DECLARATION);
}

TEST(MergeClusterTest, BodiesOfOneOrganisationGetDistinctNames) {
  const std::string a = "articles/a", b = "articles/b";
  const std::string ministers = "Council of Foreign Ministers";
  v1::ArticleExtraction summit =
      Extraction(a, {Mention(a, Date(2024, 11, 28), "Astana")});
  v1::ArticleExtraction meeting =
      Extraction(b, {Mention(b, Date(2024, 11, 28), "Astana", ministers)});
  NamingRules rules;
  rules.qualify_bodies = true;
  rules.principal_bodies = {"csto|collective-security-council"};

  // Without the rules both bodies' sessions would be
  // summits/csto-2024-11-28-astana.
  EXPECT_EQ(MergeCluster({summit, meeting}, kAstanaKey).summits[0].name(),
            MergeCluster({summit, meeting},
                         "csto|council-of-foreign-ministers|2024")
                .summits[0]
                .name());

  MergedCluster principal = MergeCluster({summit, meeting}, kAstanaKey, rules);
  MergedCluster other = MergeCluster(
      {summit, meeting}, "csto|council-of-foreign-ministers|2024", rules);
  ASSERT_THAT(principal.summits, SizeIs(1));
  ASSERT_THAT(other.summits, SizeIs(1));
  EXPECT_EQ(principal.summits[0].name(), "summits/csto-2024-11-28-astana");
  EXPECT_EQ(other.summits[0].name(),
            "summits/csto-council-of-foreign-ministers-2024-11-28-astana");
  EXPECT_EQ(SummitBaseId(rules, "CSTO", ministers, v1::PartialDate(), ""),
            "csto-council-of-foreign-ministers-undated");
}

TEST(MergeClusterTest, AliasesAreSingleSourceNamesClaimedByOneEvent) {
  const std::string a = "articles/a", b = "articles/b", c = "articles/c",
                    d = "articles/d";
  std::vector<v1::ArticleExtraction> input = {
      Extraction(a, {Mention(a, Date(2022, 5, 16), "Moscow")}),
      Extraction(b, {Mention(b, Date(2022, 5), "Moscow")}),
      Extraction(c, {Mention(c, Date(2022, 11, 23), "Yerevan")}),
      Extraction(d, {Mention(d, Date(2022, 11), "")}),
  };
  MergedCluster merged =
      MergeCluster(input, "csto|collective-security-council|2022");
  ASSERT_THAT(merged.summits, SizeIs(2));
  EXPECT_THAT(merged.summits[0].aliases(),
              ElementsAre("summits/csto-2022-05-moscow"));
  EXPECT_THAT(merged.summits[1].aliases(),
              ElementsAre("summits/csto-2022-11"));
}

TEST(MergeClusterTest, InitiativesOfDifferentProposersStayApart) {
  const std::string a = "articles/a", b = "articles/b";
  v1::Summit sa = Mention(a, Date(2024, 11, 28), "Astana");
  v1::Summit sb = Mention(b, Date(2024, 11, 28), "Astana");
  v1::ArticleExtraction ea = Extraction(a, {sa});
  v1::ArticleExtraction eb = Extraction(b, {sb});
  *ea.add_initiatives() = Proposal(
      a, sa, "operational monitoring group",
      "Armenia proposed an operational monitoring group under the CSTO",
      "Armenia", 10);
  *eb.add_initiatives() =
      Proposal(b, sb, "operational monitoring group",
               "Armenia suggested creating a monitoring group of the CSTO",
               "Armenia", 20);
  *eb.add_initiatives() = Proposal(
      b, sb, "operational monitoring group",
      "Kazakhstan proposed an operational monitoring group", "Kazakhstan", 30);
  MergedCluster merged = MergeCluster({ea, eb}, kAstanaKey);
  ASSERT_THAT(merged.initiatives, SizeIs(2));
  // Same proposer and overlapping words: one record from both articles.
  // Different proposer: its own record, whose id gets a suffix.
  std::vector<std::string> names;
  for (const auto &i : merged.initiatives)
    names.push_back(i.name());
  const std::string prefix = "summits/csto-2024-11-28-astana/initiatives/";
  EXPECT_THAT(names, ElementsAre(prefix + "operational-monitoring-group",
                                 prefix + "operational-monitoring-group-2"));
  int from_both = 0;
  for (const auto &i : merged.initiatives) {
    if (i.source_articles_size() == 2) {
      ++from_both;
      EXPECT_EQ(i.proposer().country(), "Armenia");
    }
  }
  EXPECT_EQ(from_both, 1);
  EXPECT_EQ(merged.initiatives[0].proposer().country(), "Armenia");
  EXPECT_EQ(merged.initiatives[1].proposer().country(), "Kazakhstan");
  EXPECT_THAT(merged.summits[0].initiatives(), SizeIs(2));
}

TEST(MergeClusterTest, IgnoresMentionsOfOtherClusters) {
  const std::string a = "articles/a";
  v1::Summit csc = Mention(a, Date(2024, 11, 28), "Astana");
  v1::Summit ministers =
      Mention(a, Date(2024, 11, 27), "Astana", "Council of Foreign Ministers");
  ministers.set_name("summits/csto-2024-11-27-astana");
  v1::Summit sco = Mention(a, Date(2024, 7, 4), "Astana",
                           "Council of Heads of State", "SCO");
  v1::Summit older = Mention(a, Date(2023, 11, 23), "Minsk");
  v1::ArticleExtraction extraction =
      Extraction(a, {ministers, csc, sco, older});
  *extraction.add_declarations() = Document(
      a, ministers, "Statement of the foreign ministers",
      v1::DECLARATION_KIND_STATEMENT, v1::DECLARATION_STATUS_ADOPTED, 10);
  *extraction.add_declarations() = Document(
      a, csc, "Declaration of the Collective Security Council",
      v1::DECLARATION_KIND_DECLARATION, v1::DECLARATION_STATUS_ADOPTED, 20);
  *extraction.add_initiatives() = Proposal(
      a, sco, "SCO development bank", "an SCO development bank", "Russia", 30);

  MergedCluster merged = MergeCluster({extraction}, kAstanaKey);
  EXPECT_THAT(Names(merged.summits),
              ElementsAre("summits/csto-2024-11-28-astana"));
  ASSERT_THAT(merged.declarations, SizeIs(1));
  EXPECT_EQ(merged.declarations[0].title(),
            "Declaration of the Collective Security Council");
  EXPECT_THAT(merged.initiatives, IsEmpty());

  EXPECT_THAT(MergeCluster({extraction}, "brics|summit|2024").summits,
              IsEmpty());
}

TEST(MergeClusterTest, DuplicateArticleUsesNewestExtraction) {
  const std::string a = "articles/a";
  v1::Summit old_summit = Mention(a, Date(2024), "Astana");
  v1::Summit new_summit = Mention(a, Date(2024, 11, 28), "Astana");
  std::vector<v1::ArticleExtraction> input = {
      Extraction(a, {new_summit}, "extract-2"),
      Extraction(a, {old_summit}, "extract-1")};
  MergedCluster merged = MergeCluster(input, kAstanaKey);
  ASSERT_THAT(merged.summits, SizeIs(1));
  EXPECT_EQ(merged.summits[0].name(), "summits/csto-2024-11-28-astana");
  EXPECT_THAT(merged.summits[0].aliases(), IsEmpty());
  EXPECT_DOUBLE_EQ(merged.summits[0].confidence(), 0.7);
}

} // namespace
} // namespace communique::merge
