// Rule tests for initiatives: a concrete proposal versus an exhortation or
// a procedural step, proposals still to come, and initiatives named in a
// list or in an apposition. Sentences are our own.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/extract/testing/extractor_fixture.h"

namespace communique::extract {
namespace {

using ::communique::extract::testing::ExtractorTest;

std::vector<std::string> Titles(const v1::ArticleExtraction& x) {
  std::vector<std::string> out;
  for (const auto& i : x.initiatives()) out.push_back(i.title());
  return out;
}

TEST_F(ExtractorTest, ExhortationsAreNotInitiatives) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "Vladimir Putin called for stepping up joint work against terrorism.\n"
      "Alexander Lukashenko urged the members to give each other support.");
  EXPECT_THAT(Titles(x), ::testing::IsEmpty());
}

TEST_F(ExtractorTest, AProposalToStepUpWorkForAConcreteEndIsOne) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "Vladimir Putin proposed to step up work on a joint air defence "
      "system for the allies.");
  EXPECT_EQ(x.initiatives_size(), 1);
}

TEST_F(ExtractorTest, ProceduralStepsAndProposalsToComeAreNot) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "Russia initiated the postponement of the vote.\n"
      "Concrete proposals on this are to be prepared by spring.");
  EXPECT_THAT(Titles(x), ::testing::IsEmpty());
}

TEST_F(ExtractorTest, InitiativesNamedInAListAreOneEach) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "Official Minsk has put on the table three initiatives: the Security "
      "Belt, the Open Skies 2 and the Water Compact.");
  EXPECT_THAT(Titles(x), ::testing::UnorderedElementsAre(
                             "Security Belt", "Open Skies 2", "Water Compact"));
  for (const auto& i : x.initiatives())
    EXPECT_EQ(i.proposer().country(), "Belarus");
}

TEST_F(ExtractorTest, AnInitiativeOfAStateInApposition) {
  auto x = Run(
      "The CIS Council of Heads of State met in Minsk on 15 October 2021.\n"
      "The summit launched the \"Eurasian Water Forum\", an initiative of "
      "Kazakhstan.");
  ASSERT_EQ(x.initiatives_size(), 1);
  EXPECT_EQ(x.initiatives(0).proposer().country(), "Kazakhstan");
  EXPECT_THAT(x.initiatives(0).title(), ::testing::HasSubstr("Eurasian Water Forum"));
}

}  // namespace
}  // namespace communique::extract
