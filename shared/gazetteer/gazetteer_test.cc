#include "shared/gazetteer/gazetteer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
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

// A small organisation whose chairmanship changed hands at sessions until
// 2019, with an uncertain handover month and a gap, then by calendar year.
constexpr absl::string_view kChairData = R"pb(
  states { name: "Aland" }
  states { name: "Borduria" }
  states { name: "Carpania" }
  states { name: "Syldavia" }
  organizations {
    id: "org"
    acronym: "ORG"
    members: "Aland"
    members: "Borduria"
    members: "Carpania"
  }
  organizations { id: "other" acronym: "OTHER" members: "Aland" }
  chairmanships {
    organization: "ORG"
    country: "Aland"
    start: "2010-05-20"
    end: "2011-06-15"
  }
  chairmanships {
    organization: "ORG"
    country: "Borduria"
    start: "2011-06-15"
    end: "2012-12"
  }
  chairmanships {
    organization: "ORG"
    country: "Carpania"
    start: "2012-12"
    end: "2013-09-10"
  }
  # 2013-09-11 .. 2016-12-31 not curated.
  chairmanships {
    organization: "ORG"
    country: "Aland"
    start: "2017-01-01"
    end: "2017-12-31"
  }
  chairmanships {
    organization: "ORG"
    country: "Borduria"
    start: "2018-01-01"
    end: "2018-12-31"
  }
)pb";

class ChairmanshipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = Gazetteer::LoadFromTextproto(kChairData);
    ASSERT_TRUE(g.ok()) << g.status();
    g_ = *g;
  }
  std::optional<std::string> On(int y, int m, int d) const {
    return g_->ChairOn("ORG", absl::CivilDay(y, m, d));
  }
  std::shared_ptr<const Gazetteer> g_;
};

TEST_F(ChairmanshipTest, ChairOnADayLeavesHandoverDaysOpen) {
  // The first day may have been a handover from an uncurated chair.
  EXPECT_EQ(On(2010, 5, 20), std::nullopt);
  EXPECT_EQ(On(2010, 5, 21), "Aland");
  EXPECT_EQ(On(2011, 6, 14), "Aland");
  EXPECT_EQ(On(2011, 6, 15), std::nullopt);  // handover at the session
  EXPECT_EQ(On(2011, 6, 16), "Borduria");
  EXPECT_EQ(On(2010, 5, 19), std::nullopt);
  // Calendar years: 31 December and 1 January each have one chair.
  EXPECT_EQ(On(2017, 12, 31), "Aland");
  EXPECT_EQ(On(2018, 1, 1), "Borduria");
  // 31 December is a calendar boundary, not a handover; after it, unknown.
  EXPECT_EQ(On(2018, 12, 31), "Borduria");
  EXPECT_EQ(On(2019, 1, 1), std::nullopt);
  // Accepts the id too; unknown organisations have no chair.
  EXPECT_EQ(g_->ChairOn("org", absl::CivilDay(2017, 6, 1)), "Aland");
  EXPECT_EQ(g_->ChairOn("OTHER", absl::CivilDay(2017, 6, 1)), std::nullopt);
  EXPECT_EQ(g_->ChairOn("NOPE", absl::CivilDay(2017, 6, 1)), std::nullopt);
}

TEST_F(ChairmanshipTest, PartialHandoverDateLeavesItsPeriodOpen) {
  EXPECT_EQ(On(2012, 11, 30), "Borduria");
  EXPECT_EQ(On(2012, 12, 1), std::nullopt);
  EXPECT_EQ(On(2012, 12, 31), std::nullopt);
  EXPECT_EQ(On(2013, 1, 1), "Carpania");
  // The gap after Carpania is unknown, not "nobody".
  EXPECT_EQ(On(2013, 9, 9), "Carpania");
  EXPECT_EQ(On(2013, 9, 10), std::nullopt);
  EXPECT_EQ(On(2013, 9, 11), std::nullopt);
  EXPECT_EQ(On(2017, 1, 1), "Aland");  // a calendar boundary
  EXPECT_EQ(On(2015, 6, 1), std::nullopt);
}

TEST_F(ChairmanshipTest, YearAndMonthPrecision) {
  EXPECT_EQ(g_->ChairInYear("ORG", 2017), "Aland");
  EXPECT_EQ(g_->ChairInYear("ORG", 2018), "Borduria");
  EXPECT_EQ(g_->ChairInYear("ORG", 2011), std::nullopt);  // two chairs
  EXPECT_EQ(g_->ChairInYear("ORG", 2013), std::nullopt);  // part a gap
  EXPECT_EQ(g_->ChairInYear("ORG", 2019), std::nullopt);
  EXPECT_EQ(g_->ChairDuring("ORG", MonthRange(2011, 7)), "Borduria");
  EXPECT_EQ(g_->ChairDuring("ORG", MonthRange(2011, 6)), std::nullopt);
  EXPECT_EQ(g_->ChairDuring("ORG", MonthRange(2012, 12)), std::nullopt);
}

TEST_F(ChairmanshipTest, NextChairAfterADay) {
  auto next = [&](int y, int m, int d) {
    return g_->NextChairAfter("ORG", absl::CivilDay(y, m, d));
  };
  // Mid-term: the successor, with its start as the data writes it.
  auto n = next(2010, 9, 1);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->country, "Borduria");
  EXPECT_EQ(n->start, "2011-06-15");
  EXPECT_EQ(n->start_days.first, absl::CivilDay(2011, 6, 15));
  EXPECT_EQ(n->start_days.last, absl::CivilDay(2011, 6, 15));
  EXPECT_EQ(g_->data().chairmanships(n->chairmanship).country(), "Borduria");
  // On the handover day: the incoming chair, from that day.
  n = next(2011, 6, 15);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->country, "Borduria");
  // A partial start comes back with its whole month.
  n = next(2012, 6, 1);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->country, "Carpania");
  EXPECT_EQ(n->start, "2012-12");
  EXPECT_EQ(n->start_days.first, absl::CivilDay(2012, 12, 1));
  EXPECT_EQ(n->start_days.last, absl::CivilDay(2012, 12, 31));
  // Inside the uncertain month the current chair is unknown.
  EXPECT_EQ(next(2012, 12, 15), std::nullopt);
  // A gap follows Carpania: its successor is unknown.
  EXPECT_EQ(next(2013, 5, 1), std::nullopt);
  // Calendar years: the next year's chair.
  n = next(2017, 11, 30);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->country, "Borduria");
  EXPECT_EQ(n->start, "2018-01-01");
  // The last curated chair has no known successor.
  EXPECT_EQ(next(2018, 11, 30), std::nullopt);
  EXPECT_EQ(next(2015, 1, 1), std::nullopt);
}

TEST_F(ChairmanshipTest, NextChairAfterAYearNeedsNoHandoverInside) {
  auto n = g_->NextChairAfter("ORG", YearRange(2017));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->country, "Borduria");
  // May 2010: Aland only took over on the 20th; before, uncurated.
  EXPECT_EQ(g_->NextChairAfter("ORG", MonthRange(2010, 5)), std::nullopt);
  n = g_->NextChairAfter("ORG", MonthRange(2010, 6));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->country, "Borduria");
  // 2011: the session may have been before or after the June handover.
  EXPECT_EQ(g_->NextChairAfter("ORG", YearRange(2011)), std::nullopt);
  // A month starting on the handover day: that handover is the session's.
  n = g_->NextChairAfter("ORG", DayRange{absl::CivilDay(2011, 6, 15),
                                         absl::CivilDay(2011, 6, 30)});
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->country, "Borduria");
}

TEST_F(ChairmanshipTest, ListsAnOrganisationsChairmanshipsInOrder) {
  std::vector<std::string> countries;
  for (int i : g_->ChairmanshipsOf("ORG"))
    countries.push_back(g_->data().chairmanships(i).country());
  EXPECT_THAT(countries, ::testing::ElementsAre("Aland", "Borduria", "Carpania",
                                                "Aland", "Borduria"));
  EXPECT_TRUE(g_->ChairmanshipsOf("OTHER").empty());
}

TEST(ChairmanshipLoadTest, RejectsBadChairmanships) {
  std::string base = R"pb(
    states { name: "Aland" }
    states { name: "Borduria" }
    states { name: "Syldavia" }
    organizations {
      id: "org"
      acronym: "ORG"
      members: "Aland"
      members: "Borduria"
    }
  )pb";
  auto load = [&](absl::string_view entries) {
    return Gazetteer::LoadFromTextproto(absl::StrCat(base, entries)).status();
  };
  EXPECT_THAT(load(R"pb(chairmanships {
                          organization: "XYZ"
                          country: "Aland"
                          start: "2020"
                        })pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown organization acronym \"XYZ\"")));
  EXPECT_THAT(load(R"pb(chairmanships {
                          organization: "org"
                          country: "Aland"
                          start: "2020"
                        })pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown organization acronym \"org\"")));
  EXPECT_THAT(load(R"pb(chairmanships {
                          organization: "ORG"
                          country: "Atlantis"
                          start: "2020"
                        })pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown country \"Atlantis\"")));
  EXPECT_THAT(load(R"pb(chairmanships {
                          organization: "ORG"
                          country: "Syldavia"
                          start: "2020"
                        })pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("Syldavia is not a member of ORG")));
  EXPECT_THAT(load(R"pb(chairmanships {
                          organization: "ORG"
                          country: "Aland"
                          start: ""
                        })pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bad start")));
  EXPECT_THAT(load(R"pb(chairmanships {
                          organization: "ORG"
                          country: "Aland"
                          start: "2021-02-30"
                        })pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bad start \"2021-02-30\"")));
  EXPECT_THAT(
      load(R"pb(chairmanships {
                  organization: "ORG"
                  country: "Aland"
                  start: "2021"
                  end: "2021-1"
                })pb"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad end")));
  EXPECT_THAT(load(R"pb(chairmanships {
                          organization: "ORG"
                          country: "Aland"
                          start: "2021-05"
                          end: "2021-04-30"
                        })pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ends before it starts")));
  EXPECT_THAT(
      load(R"pb(chairmanships {
                  organization: "ORG"
                  country: "Aland"
                  start: "2020-01-01"
                  end: "2020-12-31"
                }
                chairmanships {
                  organization: "ORG"
                  country: "Borduria"
                  start: "2020-12-30"
                  end: "2021-12-31"
                })pb"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("overlapping ORG chairmanships: Aland "
                         "2020-01-01..2020-12-31 and Borduria 2020-12-30..")));
  // An open-ended chairmanship overlaps any later one.
  EXPECT_THAT(
      load(R"pb(chairmanships {
                  organization: "ORG"
                  country: "Aland"
                  start: "2020-01-01"
                }
                chairmanships {
                  organization: "ORG"
                  country: "Borduria"
                  start: "2024-01-01"
                  end: "2024-12-31"
                })pb"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("overlapping")));
  // A same-day handover and an uncertain month are not overlaps.
  EXPECT_TRUE(load(R"pb(chairmanships {
                          organization: "ORG"
                          country: "Aland"
                          start: "2020-01-01"
                          end: "2020-06-10"
                        }
                        chairmanships {
                          organization: "ORG"
                          country: "Borduria"
                          start: "2020-06-10"
                          end: "2021-03"
                        }
                        chairmanships {
                          organization: "ORG"
                          country: "Aland"
                          start: "2021-03"
                        })pb")
                  .ok());
}

TEST(PartialDateRangeTest, CoversTheWholePeriod) {
  auto year = PartialDateRange("2024");
  ASSERT_TRUE(year.has_value());
  EXPECT_EQ(year->first, absl::CivilDay(2024, 1, 1));
  EXPECT_EQ(year->last, absl::CivilDay(2024, 12, 31));
  auto month = PartialDateRange("2024-02");
  ASSERT_TRUE(month.has_value());
  EXPECT_EQ(month->last, absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(PartialDateRange("2024-02-29")->first, absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(PartialDateRange("2023-02-29"), std::nullopt);
  EXPECT_EQ(PartialDateRange("24"), std::nullopt);
  EXPECT_EQ(PartialDateRange("2024-13"), std::nullopt);
  EXPECT_EQ(PartialDateRange(""), std::nullopt);
}

class DefaultChairmanshipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = Gazetteer::LoadDefault();
    ASSERT_TRUE(g.ok()) << g.status();
    g_ = *g;
  }
  std::shared_ptr<const Gazetteer> g_;
};

TEST_F(DefaultChairmanshipTest, EveryOrganisationHasCuratedChairs) {
  for (absl::string_view org : {"CSTO", "SCO", "CIS", "EAEU", "BRICS"}) {
    EXPECT_FALSE(g_->ChairmanshipsOf(org).empty()) << org;
    // Every year 2020-2025 has days with a known chair.
    for (int year = 2020; year <= 2025; ++year) {
      bool any = false;
      for (int month = 1; month <= 12 && !any; ++month)
        any = g_->ChairOn(org, absl::CivilDay(year, month, 1)).has_value();
      EXPECT_TRUE(any) << org << " " << year;
    }
  }
}

TEST_F(DefaultChairmanshipTest, KnownChairs) {
  auto on = [&](absl::string_view org, int y, int m, int d) {
    return g_->ChairOn(org, absl::CivilDay(y, m, d));
  };
  // CSTO: at the session until 2018, then by calendar year.
  EXPECT_EQ(on("CSTO", 2017, 11, 29), "Belarus");
  EXPECT_EQ(on("CSTO", 2017, 11, 30), std::nullopt);
  EXPECT_EQ(on("CSTO", 2017, 12, 1), "Kazakhstan");
  EXPECT_EQ(on("CSTO", 2024, 11, 28), "Kazakhstan");
  EXPECT_EQ(g_->ChairInYear("CSTO", 2023), "Belarus");
  EXPECT_EQ(g_->ChairInYear("CSTO", 2018), std::nullopt);
  auto next = g_->NextChairAfter("CSTO", absl::CivilDay(2024, 11, 28));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->country, "Kyrgyzstan");
  EXPECT_EQ(next->start, "2025-01-01");
  next = g_->NextChairAfter("CSTO", absl::CivilDay(2025, 11, 27));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->country, "Russia");
  // SCO: passes to the next host at each summit.
  EXPECT_EQ(on("SCO", 2024, 7, 3), "Kazakhstan");
  EXPECT_EQ(on("SCO", 2024, 7, 4), std::nullopt);
  EXPECT_EQ(on("SCO", 2024, 7, 5), "China");
  next = g_->NextChairAfter("SCO", absl::CivilDay(2022, 9, 16));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->country, "India");
  // CIS, EAEU, BRICS: calendar years.
  // Kyrgyzstan chairs the SCO until the 2026 Bishkek summit, whose date
  // is not curated: 2026 stays open.
  EXPECT_EQ(on("SCO", 2025, 12, 31), "Kyrgyzstan");
  EXPECT_EQ(on("SCO", 2026, 3, 1), std::nullopt);
  EXPECT_EQ(g_->ChairInYear("CIS", 2025), "Tajikistan");
  EXPECT_EQ(g_->ChairInYear("CIS", 2026), "Turkmenistan");
  EXPECT_EQ(g_->ChairInYear("EAEU", 2020), "Belarus");
  EXPECT_EQ(g_->ChairInYear("BRICS", 2024), "Russia");
  EXPECT_EQ(g_->ChairInYear("BRICS", 2025), "Brazil");
  EXPECT_EQ(g_->ChairInYear("BRICS", 2026), "India");
}

// The gold records of ../shared/eval (dev/ and news/) give chair_country and
// next_chair for real sessions; the curated data must agree with every one
// the lookups answer.
std::string EvalDir() {
  const char* dir = std::getenv("COMMUNIQUE_EVAL_DIR");
  if (dir != nullptr) return dir;
  const char* source = std::getenv("COMMUNIQUE_SOURCE_DIR");
  return std::string(source ? source : ".") + "/../shared/eval";
}

std::string StringField(const google::protobuf::Struct& s,
                        const std::string& key) {
  auto it = s.fields().find(key);
  if (it == s.fields().end() || !it->second.has_string_value()) return "";
  return it->second.string_value();
}

TEST_F(DefaultChairmanshipTest, AgreesWithEveryGoldChair) {
  namespace fs = std::filesystem;
  const fs::path eval = EvalDir();
  if (!fs::is_directory(eval)) GTEST_SKIP() << eval << " not present";
  int files = 0, chairs_checked = 0, next_checked = 0;
  for (const char* set : {"dev", "news"}) {
    if (!fs::is_directory(eval / set)) continue;
    for (const auto& entry : fs::directory_iterator(eval / set)) {
      if (entry.path().extension() != ".json") continue;
      ++files;
      std::ifstream in(entry.path());
      std::stringstream json;
      json << in.rdbuf();
      google::protobuf::Struct gold;
      ASSERT_TRUE(
          google::protobuf::util::JsonStringToMessage(json.str(), &gold).ok())
          << entry.path();
      auto summits = gold.fields().find("summits");
      if (summits == gold.fields().end()) continue;
      for (const auto& value : summits->second.list_value().values()) {
        const google::protobuf::Struct& summit = value.struct_value();
        std::string where = absl::StrCat(entry.path().filename().string(), " ",
                                         StringField(summit, "organization"),
                                         " ", StringField(summit, "date"));
        std::string organization = StringField(summit, "organization");
        // The date at its precision ("2020", "2019-11", "2021-09-16").
        std::optional<DayRange> when =
            PartialDateRange(StringField(summit, "date"));
        if (!when) continue;
        std::string chair = StringField(summit, "chair_country");
        if (!chair.empty()) {
          std::optional<std::string> ours =
              g_->ChairDuring(organization, *when);
          if (ours) {
            ++chairs_checked;
            EXPECT_EQ(*ours, chair) << where;
          } else {
            std::cout << "no chair answer: " << where << " (gold " << chair
                      << ")\n";
          }
        }
        auto next = summit.fields().find("next_chair");
        if (next == summit.fields().end() || !next->second.has_struct_value())
          continue;
        std::string country =
            StringField(next->second.struct_value(), "country");
        std::optional<NextChair> ours = g_->NextChairAfter(organization, *when);
        if (!country.empty() && !ours) {
          std::cout << "no next-chair answer: " << where << " (gold " << country
                    << ")\n";
        }
        if (country.empty() || !ours) continue;
        ++next_checked;
        EXPECT_EQ(ours->country, country) << where;
        // "from" at the gold's precision must contain our start.
        std::optional<DayRange> from =
            PartialDateRange(StringField(next->second.struct_value(), "from"));
        if (from) {
          EXPECT_TRUE(from->first <= ours->start_days.first &&
                      ours->start_days.last <= from->last)
              << where << ": gold from "
              << StringField(next->second.struct_value(), "from") << ", ours "
              << ours->start;
        }
      }
    }
  }
  std::cout << files << " gold files, " << chairs_checked << " chairs and "
            << next_checked << " next chairs compared\n";
  if (files > 0) {
    EXPECT_GT(chairs_checked, 0);
    EXPECT_GT(next_checked, 0);
  }
}

}  // namespace
}  // namespace communique::gazetteer
