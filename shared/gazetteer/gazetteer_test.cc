#include "shared/gazetteer/gazetteer.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::gazetteer {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;

std::string TestDataPath() {
  const char* dir = std::getenv("COMMUNIQUE_SOURCE_DIR");
  return std::string(dir ? dir : ".") +
         "/shared/gazetteer/testdata/test_gazetteer.textproto";
}

class GazetteerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = Gazetteer::LoadFromFile(TestDataPath());
    ASSERT_TRUE(g.ok()) << g.status();
    g_ = *g;
  }
  std::shared_ptr<const Gazetteer> g_;
};

TEST_F(GazetteerTest, FindsOrganisationsBodiesStatesAndPeople) {
  std::string text =
      "Kazakh President Kassym-Jomart Tokayev attended the CSTO Collective "
      "Security Council session in Nur-Sultan with Putin.";
  std::vector<std::pair<std::string, EntityKind>> found;
  for (const Mention& m : g_->FindMentions(text)) {
    ASSERT_FALSE(m.refs.empty());
    found.emplace_back(std::string(m.span.Of(text)), m.refs[0].kind);
  }
  EXPECT_THAT(found,
              ::testing::ElementsAre(
                  std::make_pair(std::string("Kazakh"), EntityKind::kDemonym),
                  std::make_pair(std::string("President"), EntityKind::kRole),
                  std::make_pair(std::string("Kassym-Jomart Tokayev"),
                                 EntityKind::kPerson),
                  std::make_pair(std::string("CSTO"),
                                 EntityKind::kOrganization),
                  std::make_pair(std::string("Collective Security Council"),
                                 EntityKind::kBody),
                  std::make_pair(std::string("Nur-Sultan"), EntityKind::kCity),
                  std::make_pair(std::string("Putin"), EntityKind::kPerson)));
}

TEST_F(GazetteerTest, UppercaseAcronymsAreCaseSensitive) {
  std::string text = "The un-named cis officials";
  EXPECT_TRUE(g_->FindMentions(text).empty());
}

TEST_F(GazetteerTest, ResolvesOfficeHoldersOnADate) {
  auto name = [&](int i) { return g_->data().people(i).name(); };
  std::vector<int> kg =
      g_->OfficeHolders("Acting President", "Kyrgyzstan", "",
                        DayRangeOf(absl::CivilDay(2020, 12, 2)));
  ASSERT_EQ(kg.size(), 1u);
  EXPECT_EQ(name(kg[0]), "Talant Mamytov");
  std::vector<int> sg = g_->OfficeHolders(
      "Secretary General", "", "CSTO", DayRangeOf(absl::CivilDay(2021, 9, 16)));
  ASSERT_EQ(sg.size(), 1u);
  EXPECT_EQ(name(sg[0]), "Stanislav Zas");
  std::vector<int> sg2024 =
      g_->OfficeHolders("Secretary General", "", "CSTO", YearRange(2024));
  ASSERT_EQ(sg2024.size(), 1u);
  EXPECT_EQ(name(sg2024[0]), "Imangali Tasmagambetov");
  // Whole-year ranges overlap every term touching that year.
  EXPECT_EQ(g_->OfficeHolders("President", "Kyrgyzstan", "", YearRange(2020))
                .size(),
            1u);
  EXPECT_TRUE(
      g_->OfficeHolders("President", "Kyrgyzstan", "",
                        DayRangeOf(absl::CivilDay(2020, 12, 2)))
          .empty());
}

TEST_F(GazetteerTest, TermsDuringNarrowsYears) {
  int mamytov = g_->PersonIndex("talant-mamytov");
  ASSERT_GE(mamytov, 0);
  EXPECT_EQ(g_->TermsDuring(mamytov, YearRange(2020)).size(), 1u);
  EXPECT_EQ(g_->TermsDuring(mamytov, YearRange(2021)).size(), 1u);
  EXPECT_TRUE(g_->TermsDuring(mamytov, YearRange(2022)).empty());
}

TEST_F(GazetteerTest, CanonicalRolesAndLookups) {
  EXPECT_EQ(g_->CanonicalRole("Leader"), "President");
  EXPECT_EQ(g_->CanonicalRole("Presidents"), "President");
  EXPECT_EQ(g_->CanonicalRole("PM"), "Prime Minister");
  EXPECT_EQ(g_->CanonicalRole("Secretary-General"), "Secretary General");
  EXPECT_EQ(g_->CanonicalRole("gardener"), "");
  EXPECT_GE(g_->CityIndex("nur-sultan"), 0);
  EXPECT_EQ(g_->OrganizationIndex("CSTO"), g_->OrganizationIndex("csto"));
  EXPECT_EQ(g_->StateIndex("Atlantis"), -1);
}

TEST_F(GazetteerTest, FindsTopicsWithPlurals) {
  std::string text =
      "terrorism, illegal arms trade and organized transnational crimes";
  std::vector<std::string> labels;
  for (const TopicMention& t : g_->FindTopics(text))
    labels.push_back(g_->data().topics(t.topic).label());
  EXPECT_THAT(labels, ::testing::ElementsAre("terrorism", "arms trafficking",
                                             "transnational crime"));
}

TEST(GazetteerLoadTest, RejectsParseErrors) {
  EXPECT_THAT(Gazetteer::LoadFromTextproto("states { name: "),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not parse")));
}

TEST(GazetteerLoadTest, RejectsBrokenReferences) {
  EXPECT_THAT(
      Gazetteer::LoadFromTextproto(
          R"pb(cities { name: "Atlantis City" country: "Atlantis" })pb"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("unknown country \"Atlantis\"")));
  EXPECT_THAT(
      Gazetteer::LoadFromTextproto(
          R"pb(people {
                 id: "x"
                 name: "X Y"
                 terms { role: "President" start: "2020-13-01" }
               })pb"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad start")));
  EXPECT_THAT(Gazetteer::LoadFromTextproto(
                  R"pb(states { name: "A" } states { name: "A" })pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("duplicate state")));
}

TEST(GazetteerLoadTest, MissingFileIsNotFound) {
  EXPECT_THAT(Gazetteer::LoadFromFile("/nonexistent/gazetteer.textproto"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(GazetteerLoadTest, DefaultIsEmbeddedAndLoads) {
  auto g = Gazetteer::LoadDefault();
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_GE((*g)->OrganizationIndex("CSTO"), 0);
  EXPECT_GT((*g)->data().people_size(), 0);
}

}  // namespace
}  // namespace communique::gazetteer
