// The join policy of merge.h (which mentions are one session), rule by rule,
// and its order independence.
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

// ---------------------------------------------------------------------------
// The join policy (merge.h): what joins two mentions and what keeps them
// apart.

constexpr char kUndatedKey[] = "csto|collective-security-council|undated";
constexpr char k2019Key[] = "csto|collective-security-council|2019";

std::vector<std::vector<std::string>>
SourcesByRecord(const MergedCluster &merged) {
  std::vector<std::vector<std::string>> out;
  for (const v1::Summit &summit : merged.summits) {
    out.emplace_back(summit.source_articles().begin(),
                     summit.source_articles().end());
  }
  return out;
}

TEST(MergePolicyTest, UndatedMentionsOfOneCityStayApartWithoutAgreement) {
  const std::string a = "articles/a", b = "articles/b", c = "articles/c";
  // Three undated Minsk articles: organisation, body and city say nothing
  // about which year's session each one is.
  std::vector<v1::ArticleExtraction> input = {
      Extraction(a, {Mention(a, v1::PartialDate(), "Minsk")}),
      Extraction(b, {Mention(b, v1::PartialDate(), "Minsk")}),
      Extraction(c, {Mention(c, v1::PartialDate(), "")}),
  };
  MergedCluster merged = MergeCluster(input, kUndatedKey);
  // Two records would be csto-undated-minsk: each is told apart by its
  // article, so no later article can hand one's name to the other.
  EXPECT_THAT(Names(merged.summits),
              ElementsAre("summits/csto-undated",
                          "summits/csto-undated-minsk-a",
                          "summits/csto-undated-minsk-b"));
  EXPECT_THAT(SourcesByRecord(merged),
              ElementsAre(ElementsAre(c), ElementsAre(a), ElementsAre(b)));
  for (const v1::Summit &summit : merged.summits) {
    EXPECT_THAT(summit.aliases(), IsEmpty()) << summit.name();
  }
  // An article sorting first adds its own record; the names stay.
  const std::string first = "articles/0-first";
  std::vector<v1::ArticleExtraction> more = input;
  more.push_back(
      Extraction(first, {Mention(first, v1::PartialDate(), "Minsk")}));
  EXPECT_THAT(Names(MergeCluster(more, kUndatedKey).summits),
              ElementsAre("summits/csto-undated",
                          "summits/csto-undated-minsk-0-first",
                          "summits/csto-undated-minsk-a",
                          "summits/csto-undated-minsk-b"));

  // The same city and the same handover (next chair and its start date)
  // are agreement: a and b are one session; c still states no city.
  for (size_t i : {0, 1}) {
    v1::Summit *summit = input[i].mutable_summits(0);
    summit->mutable_next_chair()->set_country("Kazakhstan");
    *summit->mutable_next_chair()->mutable_from_date() = Date(2024, 1, 1);
  }
  *input[2].mutable_summits(0)->mutable_next_chair() =
      input[0].summits(0).next_chair();
  merged = MergeCluster(input, kUndatedKey);
  EXPECT_THAT(SourcesByRecord(merged),
              ElementsAre(ElementsAre(c), ElementsAre(a, b)));

  // A handover without its start date is no agreement (chairs rotate).
  input[1].mutable_summits(0)->mutable_next_chair()->clear_from_date();
  merged = MergeCluster(input, kUndatedKey);
  EXPECT_THAT(merged.summits, SizeIs(3));
}

TEST(MergePolicyTest, YearOnlyJoinsTheOnlySessionThatCouldClaimIt) {
  const std::string a = "articles/a", b = "articles/b", c = "articles/c",
                    d = "articles/d";
  std::vector<v1::ArticleExtraction> input = {
      Extraction(a, {Mention(a, Date(2019, 11, 28), "Bishkek")}),
      Extraction(b, {Mention(b, Date(2019), "Bishkek")}),
      Extraction(c, {Mention(c, Date(2019), "")}),
  };
  // One session in 2019: both year-only mentions join it.
  MergedCluster merged = MergeCluster(input, k2019Key);
  EXPECT_THAT(Names(merged.summits),
              ElementsAre("summits/csto-2019-11-28-bishkek"));
  EXPECT_THAT(SourcesByRecord(merged), ElementsAre(ElementsAre(a, b, c)));
  EXPECT_THAT(merged.summits[0].aliases(),
              ElementsAre("summits/csto-2019", "summits/csto-2019-bishkek"));

  // A second 2019 session elsewhere: the Bishkek mention still has one
  // candidate, the mention without a city has two and joins neither.
  input.push_back(Extraction(d, {Mention(d, Date(2019, 12, 20), "Moscow")}));
  merged = MergeCluster(input, k2019Key);
  EXPECT_THAT(Names(merged.summits),
              ElementsAre("summits/csto-2019",
                          "summits/csto-2019-11-28-bishkek",
                          "summits/csto-2019-12-20-moscow"));
  EXPECT_THAT(SourcesByRecord(merged),
              ElementsAre(ElementsAre(c), ElementsAre(a, b), ElementsAre(d)));

  // A second session in Bishkek makes the Bishkek mention ambiguous too.
  input[3] = Extraction(d, {Mention(d, Date(2019, 5, 20), "Bishkek")});
  merged = MergeCluster(input, k2019Key);
  EXPECT_THAT(SourcesByRecord(merged),
              ElementsAre(ElementsAre(c), ElementsAre(d), ElementsAre(a),
                          ElementsAre(b)));
  EXPECT_EQ(merged.summits[3].name(), "summits/csto-2019-bishkek");
}

TEST(MergePolicyTest, YearOnlyMentionsJoinEachOtherOnlyOnTheSameCity) {
  const std::string a = "articles/a", b = "articles/b", c = "articles/c",
                    d = "articles/d";
  std::vector<v1::ArticleExtraction> input = {
      Extraction(a, {Mention(a, Date(2019), "Bishkek")}),
      Extraction(b, {Mention(b, Date(2019), "Bishkek")}),
      Extraction(c, {Mention(c, Date(2019), "")}),
      Extraction(d, {Mention(d, Date(2019), "")}),
  };
  MergedCluster merged = MergeCluster(input, k2019Key);
  EXPECT_THAT(SourcesByRecord(merged),
              ElementsAre(ElementsAre(a, b), ElementsAre(c), ElementsAre(d)));
  EXPECT_THAT(Names(merged.summits),
              ElementsAre("summits/csto-2019-bishkek", "summits/csto-2019-c",
                          "summits/csto-2019-d"));
}

TEST(MergePolicyTest, ContradictionsKeepSameDayMentionsApart) {
  const std::string a = "articles/a", b = "articles/b";
  auto merge = [&](const v1::Summit &x, const v1::Summit &y) {
    return SourcesByRecord(MergeCluster(
        {Extraction(a, {x}), Extraction(b, {y})}, kAstanaKey));
  };
  const v1::Summit base_a = Mention(a, Date(2024, 11, 28), "Astana");
  const v1::Summit base_b = Mention(b, Date(2024, 11, 28), "Astana");
  EXPECT_THAT(merge(base_a, base_b), ElementsAre(ElementsAre(a, b)));

  // Place: host countries stated and different.
  v1::Summit x = base_a, y = base_b;
  x.mutable_location()->set_country("Kazakhstan");
  y.mutable_location()->set_country("Kyrgyzstan");
  EXPECT_THAT(merge(x, y), SizeIs(2));
  y.mutable_location()->clear_country();
  EXPECT_THAT(merge(x, y), SizeIs(1));

  // Format: by video link against in person.
  x = base_a, y = base_b;
  x.add_formats(v1::SUMMIT_FORMAT_VIDEOCONFERENCE);
  y.add_formats(v1::SUMMIT_FORMAT_IN_PERSON);
  EXPECT_THAT(merge(x, y), SizeIs(2));
  y.clear_formats();
  y.add_formats(v1::SUMMIT_FORMAT_NARROW);
  EXPECT_THAT(merge(x, y), SizeIs(1));

  // Roster: one seat held by different people.
  x = base_a, y = base_b;
  *x.add_participants() = Person(a, 10, "Sooronbay Jeenbekov",
                                 "sooronbay-jeenbekov", "President",
                                 "Kyrgyzstan");
  *y.add_participants() = Person(b, 10, "Talant Mamytov", "talant-mamytov",
                                 "Acting President", "Kyrgyzstan");
  EXPECT_THAT(merge(x, y), SizeIs(2));
  // The same person for the seat, and seats only one side names: no
  // contradiction. Role-only participants name nobody.
  y.clear_participants();
  *y.add_participants() = Person(b, 10, "Sooronbay Jeenbekov", "",
                                 "President", "Kyrgyzstan");
  *y.add_participants() =
      Person(b, 40, "Vladimir Putin", "vladimir-putin", "President", "Russia");
  *x.add_participants() = Person(a, 40, "", "", "President", "Russia");
  EXPECT_THAT(merge(x, y), SizeIs(2)); // id against name only: two people
  y.mutable_participants(0)->set_person_id("sooronbay-jeenbekov");
  EXPECT_THAT(merge(x, y), SizeIs(1));
}

TEST(MergePolicyTest, ContradictingAnyMentionOfAnEventKeepsAMentionOut) {
  const std::string a = "articles/a", b = "articles/b", c = "articles/c";
  v1::Summit x = Mention(a, Date(2020, 12, 2), "");
  x.add_formats(v1::SUMMIT_FORMAT_VIDEOCONFERENCE);
  v1::Summit y = Mention(b, Date(2020, 12, 2), "Moscow");
  v1::Summit z = Mention(c, Date(2020), "");
  z.add_formats(v1::SUMMIT_FORMAT_IN_PERSON);
  MergedCluster merged =
      MergeCluster({Extraction(a, {x}), Extraction(b, {y}), Extraction(c, {z})},
                   "csto|collective-security-council|2020");
  // a and b are one session held by video; c says in person, which the
  // event's first mention contradicts.
  EXPECT_THAT(SourcesByRecord(merged),
              ElementsAre(ElementsAre(c), ElementsAre(a, b)));
}

TEST(MergePolicyTest, TwoSessionsOfOneArticleStayTwoRecords) {
  const std::string a = "articles/a", b = "articles/b";
  // Article a reports two sessions the extractor told apart (one dated,
  // one with only the year); b reports the dated one.
  v1::Summit first = Mention(a, Date(2024, 11, 28), "Astana");
  v1::Summit second = Mention(a, Date(2024), "Astana");
  second.set_name("summits/csto-2024-astana");
  MergedCluster merged = MergeCluster(
      {Extraction(a, {first, second}),
       Extraction(b, {Mention(b, Date(2024, 11, 28), "Astana")})},
      kAstanaKey);
  EXPECT_THAT(Names(merged.summits),
              ElementsAre("summits/csto-2024-11-28-astana",
                          "summits/csto-2024-astana"));
  EXPECT_THAT(SourcesByRecord(merged),
              ElementsAre(ElementsAre(a, b), ElementsAre(a)));
}

TEST(MergePolicyTest, OutputIsIndependentOfOrder) {
  const std::string a = "articles/a", b = "articles/b", c = "articles/c",
                    d = "articles/d", e = "articles/e", f = "articles/f";
  v1::Summit video = Mention(e, Date(2019, 11, 28), "Bishkek");
  video.add_formats(v1::SUMMIT_FORMAT_VIDEOCONFERENCE);
  v1::Summit in_person = Mention(a, Date(2019, 11, 28), "Bishkek");
  in_person.add_formats(v1::SUMMIT_FORMAT_IN_PERSON);
  *in_person.add_participants() =
      Person(a, 10, "Sooronbay Jeenbekov", "sooronbay-jeenbekov", "President",
             "Kyrgyzstan");
  v1::Summit roster = Mention(f, Date(2019), "");
  *roster.add_participants() = Person(f, 10, "Talant Mamytov",
                                      "talant-mamytov", "President",
                                      "Kyrgyzstan");
  std::vector<v1::ArticleExtraction> input = {
      Extraction(a, {in_person}),
      Extraction(b, {Mention(b, Date(2019), "Bishkek"),
                     Mention(b, Date(2019, 5, 1), "Moscow")}),
      Extraction(c, {Mention(c, Date(2019), "")}),
      Extraction(d, {Mention(d, Date(2019, 11), "Bishkek")}),
      Extraction(e, {video}),
      Extraction(f, {roster}),
  };
  const std::string expected = Bytes(MergeCluster(input, k2019Key));
  std::vector<size_t> order(input.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  int permutations = 0;
  do {
    std::vector<v1::ArticleExtraction> permuted;
    for (size_t i : order)
      permuted.push_back(input[i]);
    ASSERT_EQ(Bytes(MergeCluster(permuted, k2019Key)), expected)
        << "permutation " << permutations;
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(permutations, 720);
}

} // namespace
} // namespace communique::merge
