// Rule tests for documents adopted at a session: lists of documents,
// list frames ("decisions on A, B and C", "the key documents include ...",
// "Four of them deal with ..."), approvals of appointments, and what is not
// a document of the session. Sentences are our own.
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/extract/testing/extractor_fixture.h"

namespace communique::extract {
namespace {

using ::communique::extract::testing::ExtractorTest;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::Contains;

std::set<std::string> Titles(const v1::ArticleExtraction& x) {
  std::set<std::string> out;
  for (const auto& d : x.declarations()) out.insert(d.title());
  return out;
}

TEST_F(ExtractorTest, DecisionsOnACoordinatedListAreOneRecordEach) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "The presidents adopted several decisions on reforming the crisis "
      "response system, fighting illegal migration, building a common "
      "information policy, and the structure of the collective forces.");
  EXPECT_THAT(Titles(x),
              IsSupersetOf({"Decision on reforming the crisis response system",
                            "Decision on fighting illegal migration",
                            "Decision on building a common information policy",
                            "Decision on the structure of the collective forces"}));
}

TEST_F(ExtractorTest, AmongThemListTakesTheFrameNounForBareSubjects) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "The leaders also approved budgetary decisions, among them the "
      "Organization's budget for 2018, the report on spending in 2016, and "
      "the creation of a new analytical unit.");
  EXPECT_THAT(Titles(x), IsSupersetOf({"Decision on the Organization's budget for 2018",
                                       "Decision on the report on spending in 2016",
                                       "Decision on the creation of a new analytical unit"}));
}

TEST_F(ExtractorTest, KeyDocumentsIncludeNamedDocumentsAfterAnAdoption) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017, "
      "and the presidents signed 12 documents.\n"
      "The key documents include the Counter-Terrorism Strategy, the "
      "Programme of Border Cooperation for 2018-2020, and the Plan for "
      "Joint Exercises.");
  EXPECT_THAT(Titles(x),
              IsSupersetOf({"Counter-Terrorism Strategy",
                            "Programme of Border Cooperation for 2018-2020",
                            "Plan for Joint Exercises"}));
  // "12 documents" counts them; it is no document itself.
  for (const auto& d : x.declarations())
    EXPECT_FALSE(absl::StrContains(d.title(), "12")) << d.title();
}

TEST_F(ExtractorTest, AnaphoricListAfterDocumentsSigned) {
  auto x = Run(
      "The CIS Council of Heads of State met in Minsk on 15 October 2021.\n"
      "The presidents signed 9 documents. Three of them deal with water "
      "resources, the protection of cultural heritage, and road safety.");
  EXPECT_THAT(Titles(x), IsSupersetOf({"Document on water resources",
                                       "Document on the protection of cultural heritage",
                                       "Document on road safety"}));
}

TEST_F(ExtractorTest, LongLowercaseTitleBeforeAPassiveVerb) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "A memorandum of understanding between the Secretariat and the "
      "regional anti-drug centre on sharing data was also signed.");
  EXPECT_THAT(Titles(x), Contains(::testing::HasSubstr(
                             "Memorandum of understanding between the Secretariat")));
}

TEST_F(ExtractorTest, ApprovedAppointmentIsADecision) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "The council approved the appointment of a new deputy secretary "
      "general.");
  EXPECT_THAT(Titles(x), Contains("Decision approving the appointment of a new "
                                  "deputy secretary general"));
}

TEST_F(ExtractorTest, RefusedAndDraftDocumentsAreNotAdopted) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "Armenia refused to sign the declarations on regional security and on "
      "border cooperation. The draft statements on A and B were only "
      "considered.");
  EXPECT_EQ(x.declarations_size(), 0) << x.DebugString();
}

TEST_F(ExtractorTest, ListItemsWithoutADocumentWordJoinTheItemBefore) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "Two of the signed documents concern finance: an agreement on "
      "tracing criminal proceeds and the funding of terrorism, and an "
      "agreement on a forensic council.");
  EXPECT_THAT(Titles(x), Not(Contains(::testing::HasSubstr("Document on"))));
}

}  // namespace
}  // namespace communique::extract
