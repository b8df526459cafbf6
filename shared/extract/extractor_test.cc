// Rule-by-rule tests on small hand-written sentences, over the small test
// gazetteer (shared/gazetteer/testdata) so that data edits cannot break them.
#include "shared/extract/extractor.h"

#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/extract/testing/extractor_fixture.h"
#include "shared/text/normalize.h"

namespace communique::extract {
namespace {

using ::communique::testing::StatusIs;
using ::communique::extract::testing::ExtractorTest;


TEST(ExtractorCreateTest, RejectsNullGazetteer) {
  EXPECT_THAT(Extractor::Create(nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ExtractorTest, NoSummitBecomesWarning) {
  auto x = Run("The weather in Minsk was pleasant on Tuesday.");
  EXPECT_EQ(x.summits_size(), 0);
  ASSERT_GE(x.warnings_size(), 1);
  EXPECT_EQ(x.warnings(x.warnings_size() - 1).kind(), "no_summit");
  EXPECT_EQ(x.extractor_version(), kExtractorVersion);
}

TEST_F(ExtractorTest, DatelineAndDateHeaderGiveDayAndPlace) {
  auto x = Run(
      "date 2021-09-16 Headline\n\nDUSHANBE. KAZINFORM \xe2\x80\x93 A meeting "
      "of the CSTO Collective Security Council took place.");
  const auto& s = OnlySummit(x);
  EXPECT_EQ(s.organization(), "CSTO");
  EXPECT_EQ(s.body(), "Collective Security Council");
  EXPECT_EQ(s.date().year(), 2021);
  EXPECT_EQ(s.date().month(), 9);
  EXPECT_EQ(s.date().day(), 16);
  EXPECT_EQ(s.date().precision(), v1::DATE_PRECISION_DAY);
  EXPECT_EQ(s.location().city(), "Dushanbe");
  EXPECT_EQ(s.location().country(), "Tajikistan");
  EXPECT_EQ(s.name(), "summits/csto-2021-09-16-dushanbe");
}

TEST_F(ExtractorTest, YearFromHandoverIsThePreviousYear) {
  auto x = Run(
      "The CSTO summit was held in Minsk. Kazakhstan will take on the "
      "chairmanship of the CSTO starting from January 1, 2024.");
  const auto& s = OnlySummit(x);
  EXPECT_EQ(s.date().year(), 2023);
  EXPECT_EQ(s.date().precision(), v1::DATE_PRECISION_YEAR);
  EXPECT_EQ(s.next_chair().country(), "Kazakhstan");
  EXPECT_EQ(s.next_chair().from_date().year(), 2024);
  EXPECT_EQ(s.next_chair().from_date().day(), 1);
  EXPECT_EQ(s.location().city(), "Minsk");
}

TEST_F(ExtractorTest, YearFromEventName) {
  auto x = Run(
      "The CSTO Collective Security Council met. Forces held the "
      "\"Rubezh-2023\" exercise.");
  EXPECT_EQ(OnlySummit(x).date().year(), 2023);
}

TEST_F(ExtractorTest, RoleOnlyParticipantsResolveThroughDatedRoster) {
  auto x = Run(
      "date 2021-09-16 DUSHANBE \xe2\x80\x93 A session of the Collective "
      "Security Council was attended by the Presidents of Kazakhstan and "
      "Belarus, the Armenian PM, the CSTO Secretary-General as well as the "
      "Russian Leader who joined via videoconference.");
  const auto& s = OnlySummit(x);
  std::map<std::string, const v1::Participant*> by_country;
  for (const auto& p : s.participants())
    by_country[p.country().empty() ? p.organization() : p.country()] = &p;
  ASSERT_TRUE(by_country.count("Armenia"));
  EXPECT_EQ(by_country["Armenia"]->name(), "Nikol Pashinyan");
  EXPECT_EQ(by_country["Armenia"]->role(), "Prime Minister");
  ASSERT_TRUE(by_country.count("CSTO"));
  EXPECT_EQ(by_country["CSTO"]->name(), "Stanislav Zas");
  ASSERT_TRUE(by_country.count("Russia"));
  EXPECT_TRUE(by_country["Russia"]->remote());
  ASSERT_TRUE(by_country.count("Belarus"));
  EXPECT_EQ(by_country["Belarus"]->name(), "Alexander Lukashenko");
  EXPECT_TRUE(by_country.count("Kazakhstan"));
  // One participant joining by video does not make it a videoconference.
  for (int f : s.formats()) EXPECT_NE(f, v1::SUMMIT_FORMAT_VIDEOCONFERENCE);
}

TEST_F(ExtractorTest, TextualRoleWinsAndActingPresidentSetsYear) {
  auto x = Run(
      "The CSTO Collective Security Council session was held in a video "
      "conference format with acting President of Kyrgyzstan Talant Mamytov. "
      "Tajikistan will take over the presidency in the CSTO in 2021.");
  const auto& s = OnlySummit(x);
  EXPECT_EQ(s.date().year(), 2020);
  ASSERT_EQ(s.participants_size(), 1);
  EXPECT_EQ(s.participants(0).role(), "Acting President");
  EXPECT_EQ(s.participants(0).country(), "Kyrgyzstan");
  ASSERT_EQ(s.formats_size(), 1);
  EXPECT_EQ(s.formats(0), v1::SUMMIT_FORMAT_VIDEOCONFERENCE);
}

TEST_F(ExtractorTest, PresidingAndChairCountry) {
  auto x = Run(
      "The CSTO summit in Minsk, presided over by Belarusian President "
      "Alexander Lukashenko, was held in an expanded format.");
  const auto& s = OnlySummit(x);
  EXPECT_EQ(s.presiding(), "Alexander Lukashenko");
  EXPECT_EQ(s.chair_country(), "Belarus");
  ASSERT_EQ(s.formats_size(), 1);
  EXPECT_EQ(s.formats(0), v1::SUMMIT_FORMAT_EXPANDED);
}

TEST_F(ExtractorTest, DocumentsCount) {
  auto x = Run(
      "The CSTO summit ended. Following it, 15 documents were approved. "
      "A number of other documents were adopted.");
  EXPECT_EQ(OnlySummit(x).documents_adopted_count(), 15);
}

TEST_F(ExtractorTest, DeclarationsOneRecordPerDocument) {
  auto x = Run(
      "The CSTO Collective Security Council met. The leaders adopted a "
      "Declaration of the Collective Security Council and a political "
      "Statement on the Formation of a Just World Order. They also signed "
      "three agreements on A-things, B-things and C-things. The agreement "
      "reached earlier is historic.");
  std::vector<std::string> titles;
  for (const auto& d : x.declarations()) titles.push_back(d.title());
  EXPECT_THAT(titles, ::testing::UnorderedElementsAre(
                          "Declaration of the Collective Security Council",
                          "Statement on the Formation of a Just World Order",
                          "Agreement on A-things", "Agreement on B-things",
                          "Agreement on C-things"));
  for (const auto& d : x.declarations()) {
    EXPECT_EQ(d.summit(), x.summits(0).name());
    ASSERT_EQ(d.evidence_size(), 1);
    EXPECT_EQ(text_.substr(d.evidence(0).begin(),
                           d.evidence(0).end() - d.evidence(0).begin()),
              d.evidence(0).quote());
  }
}

TEST_F(ExtractorTest, InitiativesNeedAProposalNotEmphasis) {
  auto x = Run(
      "The CSTO summit was held in Dushanbe.\n"
      "Calling Tajikistan's initiative to form an operational monitoring "
      "group under the CSTO timely, Kassym-Jomart Tokayev spoke.\n"
      "Tokayev stressed the importance of unity.\n"
      "Tokayev thanked partners for supporting his initiative to create an "
      "International Biological Safety Agency under the aegis of the UN.");
  ASSERT_EQ(x.initiatives_size(), 2);
  EXPECT_EQ(x.initiatives(0).proposer().country(), "Tajikistan");
  EXPECT_EQ(x.initiatives(0).status(), v1::INITIATIVE_STATUS_SUPPORTED);
  EXPECT_THAT(x.initiatives(0).summary(),
              ::testing::HasSubstr("operational monitoring group"));
  EXPECT_EQ(x.initiatives(1).proposer().name(), "Kassym-Jomart Tokayev");
  EXPECT_EQ(x.initiatives(1).proposer().country(), "Kazakhstan");
}

TEST_F(ExtractorTest, AppendedInterviewCreatesNoFacts) {
  auto x = Run(
      "The CSTO Collective Security Council met in Astana.\n"
      "## Talk show\n"
      "**Interviewer:** Welcome, [Guest Name].\n"
      "**Guest:** The SCO summit in Minsk adopted a Declaration on Peace. "
      "Putin proposed forming a new group.\n");
  const auto& s = OnlySummit(x);
  EXPECT_EQ(s.location().city(), "Astana");
  EXPECT_EQ(s.participants_size(), 0);
  EXPECT_EQ(x.declarations_size(), 0);
  EXPECT_EQ(x.initiatives_size(), 0);
  std::set<std::string> kinds;
  for (const auto& w : x.warnings()) kinds.insert(w.kind());
  EXPECT_TRUE(kinds.count("appended_interview"));
  EXPECT_TRUE(kinds.count("placeholder"));
}

TEST_F(ExtractorTest, TopicsComeFromTheVocabulary) {
  auto x = Run(
      "The CSTO summit discussed terrorism, cybercrime and the coronavirus "
      "pandemic.\nSubscribe to our Telegram channel about drug trafficking");
  EXPECT_THAT(OnlySummit(x).topics(),
              ::testing::ElementsAre("terrorism", "cybersecurity",
                                     "pandemic"));
}

TEST_F(ExtractorTest, DatelineMonthDayTakesYearFromChairmanship) {
  auto x = Run(
      "YEREVAN, Nov 23 \xe2\x80\x93 The session of the CSTO Collective "
      "Security Council closed Armenia's 2022 chairmanship. The leaders met "
      "first in a narrow format before the expanded session.");
  const auto& s = OnlySummit(x);
  EXPECT_EQ(s.date().year(), 2022);
  EXPECT_EQ(s.date().month(), 11);
  EXPECT_EQ(s.date().day(), 23);
  EXPECT_EQ(s.location().city(), "Yerevan");
  EXPECT_THAT(s.formats(), ::testing::ElementsAre(v1::SUMMIT_FORMAT_NARROW,
                                                  v1::SUMMIT_FORMAT_EXPANDED));
}

TEST_F(ExtractorTest, PluralDocumentsWithRepeatedPrepositionAndDrafts) {
  auto x = Run(
      "The SCO summit was held in Samarkand. The leaders signed the Samarkand "
      "Declaration on Friday and adopted statements on food security, on "
      "energy security and on climate change. A draft decision on aid was "
      "discussed.");
  std::vector<std::string> titles;
  for (const auto& d : x.declarations()) titles.push_back(d.title());
  EXPECT_THAT(titles, ::testing::UnorderedElementsAre(
                          "Samarkand Declaration",
                          "Statement on food security",
                          "Statement on energy security",
                          "Statement on climate change", "Decision on aid"));
}

TEST_F(ExtractorTest, NegatedAttendanceIsNotParticipation) {
  auto x = Run(
      "The CSTO Collective Security Council met by video link. Kyrgyzstan was "
      "represented by its Prime Minister rather than by President Sadyr "
      "Japarov.");
  const auto& s = OnlySummit(x);
  for (const auto& p : s.participants()) EXPECT_NE(p.name(), "Sadyr Japarov");
}

TEST_F(ExtractorTest, NeverCrashesOnOddInput) {
  for (absl::string_view raw :
       {"", "\n\n\n", "CSTO", "CSTO summit. \xe2\x80\x93\xe2\x80\x93",
        "chairmanship chairmanship from January 1, 9999 of",
        "three agreements on , , and", "Declaration", "**Q:** a\n**A:** b",
        "the Presidents of", "initiative to"}) {
    auto x = Run(raw);
    for (const auto& s : x.summits())
      for (const auto& e : s.evidence()) EXPECT_LE(e.end(), text_.size());
  }
}

}  // namespace
}  // namespace communique::extract

namespace communique::extract {
namespace {

TEST_F(ExtractorTest, DatedSentenceBeatsYearlessDateline) {
  auto x = Run(
      "MINSK, Nov 23 – The Collective Security Council of the CSTO met in "
      "Minsk on November 23, 2023.");
  const v1::Summit& s = OnlySummit(x);
  EXPECT_EQ(s.date().year(), 2023);
  EXPECT_EQ(s.date().month(), 11);
  EXPECT_EQ(s.date().day(), 23);
  EXPECT_EQ(s.date().precision(), v1::DATE_PRECISION_DAY);
}

}  // namespace
}  // namespace communique::extract

namespace communique::extract {
namespace {

// Hand-written articles, one per rule added for unseen news.

TEST_F(ExtractorTest, YearlessDatelineCompletedByDatedSentence) {
  auto x = Run(
      "YEREVAN, Nov 23 \xe2\x80\x93 The leaders of the CSTO met in Yerevan on "
      "November 23, 2022 for a session of the Collective Security Council.");
  const v1::Summit& s = OnlySummit(x);
  EXPECT_EQ(s.date().year(), 2022);
  EXPECT_EQ(s.date().month(), 11);
  EXPECT_EQ(s.date().day(), 23);
  EXPECT_EQ(s.location().city(), "Yerevan");
}

TEST_F(ExtractorTest, LandmarkGivesCityAndPastPlacesDoNot) {
  auto x = Run(
      "The leaders of the CSTO met in the Kremlin on Monday, May 16, 2022, "
      "for a session of the Collective Security Council, thirty years after "
      "the Collective Security Treaty was signed in Tashkent on May 15, 1992.");
  const v1::Summit& s = OnlySummit(x);
  EXPECT_EQ(s.location().city(), "Moscow");
  EXPECT_EQ(s.location().country(), "Russia");
  // The treaty of 1992 was not adopted at this session.
  for (const auto& d : x.declarations())
    EXPECT_NE(d.kind(), v1::DECLARATION_KIND_TREATY) << d.title();
}

TEST_F(ExtractorTest, DemonymCapitalIsTheCity) {
  auto x = Run(
      "Heads of state met at a residence in the Kyrgyz capital for a session "
      "of the CSTO Collective Security Council on November 28, 2019.");
  EXPECT_EQ(OnlySummit(x).location().city(), "Bishkek");
}

TEST_F(ExtractorTest, DocumentsCountFromConsensusAndSigned) {
  auto a = Run(
      "The CSTO Collective Security Council met in Minsk on November 23, "
      "2023. Consensus was reached on 15 of 17 drafts.");
  EXPECT_EQ(OnlySummit(a).documents_adopted_count(), 15);
  auto b = Run(
      "The CSTO Collective Security Council met in Minsk on November 23, "
      "2023. The leaders signed 20 documents.");
  EXPECT_EQ(OnlySummit(b).documents_adopted_count(), 20);
}

TEST_F(ExtractorTest, LongDocumentTitlesKeepPeriodsListsAndParties) {
  auto x = Run(
      "The SCO Council of Heads of State met in Astana on July 4, 2024. The "
      "leaders approved the SCO Development Strategy until 2035, an "
      "anti-drug strategy for the next five years and a Programme of "
      "cooperation in countering terrorism, separatism and extremism for "
      "2025-2027. They also signed a free trade agreement between the "
      "Eurasian Economic Union and its member states, of the one part, and "
      "Kazakhstan, of the other part.");
  std::set<std::string> titles;
  for (const auto& d : x.declarations()) titles.insert(d.title());
  EXPECT_THAT(titles, ::testing::IsSupersetOf(
                          {"SCO Development Strategy until 2035",
                           "Anti-drug strategy for the next five years",
                           "Program of cooperation in countering terrorism, "
                           "separatism and extremism for 2025-2027",
                           "Free trade agreement between the Eurasian "
                           "Economic Union and its member states and "
                           "Kazakhstan"}));
}

std::map<std::string, const v1::Initiative*> BySlug(
    const v1::ArticleExtraction& x) {
  std::map<std::string, const v1::Initiative*> out;
  for (const auto& i : x.initiatives())
    out[i.name().substr(i.name().rfind('/') + 1)] = &i;
  return out;
}

TEST_F(ExtractorTest, InitiativeTitlesAreTheProposalsContent) {
  auto x = Run(
      "The CSTO Collective Security Council met in Dushanbe on September 16, "
      "2021.\n\nTokayev proposed to create an International Biological Safety "
      "Agency under the aegis of the UN.\n\nXi said China was ready to train "
      "2,000 law enforcement officers for member states. He urged the "
      "members to guard against attempts by outside forces to stage colour "
      "revolutions.");
  auto slugs = BySlug(x);
  ASSERT_TRUE(slugs.count("international-biological-safety-agency"))
      << x.DebugString();
  EXPECT_EQ(slugs["international-biological-safety-agency"]
                ->proposer()
                .country(),
            "Kazakhstan");
  ASSERT_TRUE(
      slugs.count("train-2-000-law-enforcement-officers-for-member-states"))
      << x.DebugString();
  for (const auto& [slug, in] : slugs)
    EXPECT_FALSE(absl::StrContains(slug, "guard")) << slug;
}

TEST_F(ExtractorTest, PassiveProposalsNameTheirProposer) {
  auto x = Run(
      "The CIS Council of Heads of State met in Astana on October 11, 2019. "
      "They agreed, on a proposal from Russia, to extend the term of the "
      "Executive Secretary.\n\nMember states endorsed the initiative \"On "
      "World Unity for a Just Peace\", put forward by Tokayev.\n\nPutin "
      "spoke in favour of resuming the work of the SCO-Afghanistan Contact "
      "Group.");
  auto slugs = BySlug(x);
  ASSERT_TRUE(slugs.count("extend-the-term-of-the-executive-secretary"))
      << x.DebugString();
  EXPECT_EQ(slugs["extend-the-term-of-the-executive-secretary"]
                ->proposer()
                .country(),
            "Russia");
  EXPECT_EQ(slugs["extend-the-term-of-the-executive-secretary"]->status(),
            v1::INITIATIVE_STATUS_ADOPTED);
  ASSERT_TRUE(slugs.count("on-world-unity-for-a-just-peace"))
      << x.DebugString();
  EXPECT_EQ(slugs["on-world-unity-for-a-just-peace"]->proposer().name(),
            "Kassym-Jomart Tokayev");
  EXPECT_EQ(slugs["on-world-unity-for-a-just-peace"]->status(),
            v1::INITIATIVE_STATUS_ADOPTED);
  ASSERT_TRUE(
      slugs.count("resuming-the-work-of-the-sco-afghanistan-contact-group"))
      << x.DebugString();
}

TEST_F(ExtractorTest, BorderBetweenStatesAndInstitutionNamesAsTopics) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on November 23, "
      "2023. Leaders discussed clashes on the Kyrgyz-Tajik border and the "
      "legal basis of the CSTO Crisis Response Center.");
  std::set<std::string> topics(OnlySummit(x).topics().begin(),
                               OnlySummit(x).topics().end());
  EXPECT_TRUE(topics.count("border security"));
  EXPECT_FALSE(topics.count("emergency response"));
}

TEST_F(ExtractorTest, PresentTenseChairIsTheChairCountry) {
  auto x = Run(
      "The CSTO Collective Security Council met in Moscow on May 16, 2022. "
      "Armenian Prime Minister Nikol Pashinyan, whose country chairs the "
      "CSTO this year, attended.");
  EXPECT_EQ(OnlySummit(x).chair_country(), "Armenia");
}

TEST_F(ExtractorTest, CooperationWithAnotherOrganisationIsInternational) {
  auto topics_of = [&](absl::string_view raw) {
    auto x = Run(raw);
    return std::set<std::string>(OnlySummit(x).topics().begin(),
                                 OnlySummit(x).topics().end());
  };
  // Another organisation after "interactions with", whatever the outlet's
  // wording or the organisations involved.
  EXPECT_TRUE(topics_of("The CSTO Collective Security Council met in Minsk on "
                        "November 23, 2023. The president suggested deepening "
                        "interactions with the United Nations and the SCO.")
                  .count("international cooperation"));
  EXPECT_TRUE(topics_of("The SCO Council of Heads of State met in Astana on "
                        "July 4, 2024. Leaders backed closer ties between "
                        "the SCO and the CIS.")
                  .count("international cooperation"));
  EXPECT_TRUE(topics_of("The EAEU Supreme Eurasian Economic Council met in "
                        "Minsk on December 6, 2019. Leaders called for "
                        "cooperation between the union and interested "
                        "countries and other organisations.")
                  .count("international cooperation"));
  // Cooperation inside the organisation itself is not.
  EXPECT_FALSE(topics_of("The CSTO Collective Security Council met in Minsk on "
                         "November 23, 2023. Leaders discussed cooperation "
                         "within the CSTO and ties between Kazakhstan and "
                         "Belarus.")
                   .count("international cooperation"));
  // Nor an organisation named far from any cooperation word.
  EXPECT_FALSE(topics_of("The CSTO Collective Security Council met in Minsk on "
                         "November 23, 2023. Military cooperation was "
                         "discussed, and the leaders later praised the work "
                         "of many people, including officers seconded to the "
                         "United Nations.")
                   .count("international cooperation"));
}

TEST_F(ExtractorTest, ChairmanshipWithAStartDateIsTheNextChair) {
  // Any month, any wording of the start: not only "from January".
  for (absl::string_view start :
       {"from July 1, 2024", "as of 1 July 2024", "effective July 1, 2024"}) {
    auto x = Run(absl::StrCat(
        "The SCO Council of Heads of State met in Astana on May 3, 2024. "
        "The leaders confirmed Kazakhstan's chairmanship of the SCO ",
        start, "."));
    const auto& s = OnlySummit(x);
    EXPECT_EQ(s.next_chair().country(), "Kazakhstan") << start;
    EXPECT_EQ(s.next_chair().from_date().month(), 7) << start;
  }
}

TEST_F(ExtractorTest, BareStateBesideItsNamedDelegationIsNotAnotherParticipant) {
  auto x = Run(
      "The SCO Council of Heads of State met in Astana on July 4, 2024. "
      "Leaders of the SCO gathered for the first time since Iran and India "
      "were admitted as members. The Indian Prime Minister and Russian "
      "President Vladimir Putin attended.");
  int india = 0;
  for (const auto& p : OnlySummit(x).participants()) {
    if (p.country() != "India") continue;
    ++india;
    EXPECT_EQ(p.role(), "Prime Minister");
  }
  EXPECT_EQ(india, 1) << x.DebugString();
}

TEST_F(ExtractorTest, WhatADocumentCallsForIsNotAnInitiative) {
  auto x = Run(
      "The SCO Council of Heads of State met in Astana on July 4, 2024. The "
      "leaders signed the Astana Declaration, which calls for joint efforts "
      "against terrorism. The statement urges the members to cooperate on "
      "energy.");
  EXPECT_EQ(x.initiatives_size(), 0) << x.DebugString();
}

TEST_F(ExtractorTest, AnnouncedPlanOfANamedSubjectStartsAtItsVerb) {
  auto x = Run(
      "The SCO Council of Heads of State met in Astana on July 4, 2024. Xi "
      "announced that China would set up a development bank within the "
      "SCO.");
  ASSERT_EQ(x.initiatives_size(), 1) << x.DebugString();
  EXPECT_EQ(x.initiatives(0).title(), "development bank");
  EXPECT_EQ(x.initiatives(0).proposer().name(), "Xi Jinping");
}

TEST_F(ExtractorTest, DemonymOfAnOfficeHolderIsNotATopic) {
  auto topics_of = [&](absl::string_view raw) {
    auto x = Run(raw);
    return std::set<std::string>(OnlySummit(x).topics().begin(),
                                 OnlySummit(x).topics().end());
  };
  EXPECT_FALSE(topics_of("The SCO Council of Heads of State met in Astana on "
                         "July 4, 2024. The Afghan President joined the "
                         "expanded session.")
                   .count("afghanistan"));
  EXPECT_TRUE(topics_of("The SCO Council of Heads of State met in Astana on "
                        "July 4, 2024. The leaders discussed the Afghan "
                        "settlement.")
                  .count("afghanistan"));
}

TEST_F(ExtractorTest, BareRoleAfterItsBelongsToTheStateBefore) {
  auto x = Run(
      "The CIS Council of Heads of State met in Ashgabat on October 11, "
      "2019. Russian President Vladimir Putin attended. Armenia was "
      "represented by its Prime Minister.");
  bool armenia = false;
  for (const auto& p : OnlySummit(x).participants()) {
    if (p.country() == "Armenia") {
      armenia = true;
      EXPECT_EQ(p.role(), "Prime Minister");
    }
  }
  EXPECT_TRUE(armenia) << x.DebugString();
}

}  // namespace
}  // namespace communique::extract

namespace communique::extract {
namespace {

using ::communique::extract::testing::ExtractorTest;

TEST_F(ExtractorTest, NeitherNorLeadersAreAbsent) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 23 November 2023.\n"
      "Vladimir Putin attended, but neither President Kassym-Jomart Tokayev "
      "nor any other Kazakh official took part in the session.");
  for (const auto& p : OnlySummit(x).participants())
    EXPECT_NE(p.country(), "Kazakhstan") << p.DebugString();
}

TEST_F(ExtractorTest, MinisterialCouncilListsNoHeadsOfState) {
  auto x = Run(
      "The CSTO Council of Foreign Ministers met in Minsk on 17 July 2017.\n"
      "President Alexander Lukashenko received the ministers, and the "
      "Russian Foreign Minister attended the session.");
  const auto& s = OnlySummit(x);
  EXPECT_EQ(s.body(), "Council of Foreign Ministers");
  EXPECT_EQ(s.participants_size(), 0) << s.DebugString();
}

TEST_F(ExtractorTest, StatesOfABackgroundSentenceAreNotParticipants) {
  auto x = Run(
      "The CSTO Collective Security Council met by videoconference on 2 "
      "December 2020.\n"
      "The treaty was signed in 1992; Belarus and Tajikistan joined it in "
      "1993, and the leaders of Belarus attended today's session.");
  int belarus = 0;
  for (const auto& p : OnlySummit(x).participants()) {
    EXPECT_NE(p.country(), "Tajikistan");
    belarus += p.country() == "Belarus";
  }
  EXPECT_LE(belarus, 1);
}

}  // namespace
}  // namespace communique::extract

namespace communique::extract {
namespace {

using ::communique::extract::testing::ExtractorTest;

TEST_F(ExtractorTest, CoordinatedFormatsAndTalksContinuedWithDelegations) {
  auto x = Run(
      "The CIS Council of Heads of State met in Minsk on 15 October 2021.\n"
      "The presidents met in restricted and expanded formats.");
  const auto& f = OnlySummit(x).formats();
  EXPECT_THAT(f, ::testing::UnorderedElementsAre(v1::SUMMIT_FORMAT_NARROW,
                                                 v1::SUMMIT_FORMAT_EXPANDED));
  auto y = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "The talks then continued with the delegations of the member states.");
  EXPECT_THAT(OnlySummit(y).formats(),
              ::testing::Contains(v1::SUMMIT_FORMAT_EXPANDED));
}

TEST_F(ExtractorTest, CouncilThatMetByVideoIsAVideoconference) {
  auto x = Run(
      "The Supreme Eurasian Economic Council met today by videoconference.");
  EXPECT_THAT(OnlySummit(x).formats(),
              ::testing::Contains(v1::SUMMIT_FORMAT_VIDEOCONFERENCE));
  EXPECT_TRUE(OnlySummit(x).location().city().empty());
}

}  // namespace
}  // namespace communique::extract

namespace communique::extract {
namespace {

using ::communique::extract::testing::ExtractorTest;

TEST_F(ExtractorTest, DatedChairmanshipGivesTheChairOnTheSessionDay) {
  // The text names only the incoming chair; on the day the outgoing one
  // chaired, and the incoming one is the next chair.
  auto x = Run(
      "The CSTO Collective Security Council met in Astana on 8 November 2018.\n"
      "The chairmanship passes to Kyrgyzstan.");
  const auto& s = OnlySummit(x);
  EXPECT_EQ(s.chair_country(), "Kazakhstan");
  EXPECT_EQ(s.next_chair().country(), "Kyrgyzstan");
}

TEST_F(ExtractorTest, YearOnlySessionOfAHandoverYear) {
  auto x = Run(
      "The CSTO Collective Security Council met in Astana.\n"
      "As the CSTO chairmanship is to be handed over to Kyrgyzstan for "
      "2018-2019, its president set out his priorities.");
  const auto& s = OnlySummit(x);
  EXPECT_EQ(s.date().year(), 2018);
  EXPECT_EQ(s.chair_country(), "Kazakhstan");
  EXPECT_EQ(s.next_chair().country(), "Kyrgyzstan");
}

}  // namespace
}  // namespace communique::extract

namespace communique::extract {
namespace {

using ::communique::extract::testing::ExtractorTest;

TEST_F(ExtractorTest, RoleInAppositionBelongsToThePersonBefore) {
  auto x = Run(
      "The CSTO Collective Security Council met in Minsk on 30 November 2017.\n"
      "Taking part were Vladimir Putin, President of Russia, Sadyr Japarov, "
      "President of Kyrgyzstan, and Kassym-Jomart Tokayev.");
  for (const auto& p : OnlySummit(x).participants()) {
    if (p.name() == "Sadyr Japarov") {
      EXPECT_EQ(p.country(), "Kyrgyzstan");
    }
    if (p.name() == "Vladimir Putin") {
      EXPECT_EQ(p.country(), "Russia");
    }
  }
}

}  // namespace
}  // namespace communique::extract
