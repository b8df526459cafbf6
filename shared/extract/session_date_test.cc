// Rule tests for the session date: the date line is the publication date,
// and "on Thursday", "this week", a later meeting's date, another body's
// meeting and en-dash year ranges are read relative to it. Our own words.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/extract/testing/extractor_fixture.h"

namespace communique::extract {
namespace {

using ::communique::extract::testing::ExtractorTest;

TEST_F(ExtractorTest, WeekdayIsTheLastSuchDayOnOrBeforePublication) {
  // 2023-11-24 was a Friday: "on Thursday" is the 23rd.
  auto x = Run(
      " date 2023-11-24 Leaders meet in Minsk\n"
      "Leaders of the CSTO gathered in Minsk on Thursday for a summit of "
      "the Collective Security Council.");
  const auto& d = OnlySummit(x).date();
  EXPECT_EQ(d.year(), 2023);
  EXPECT_EQ(d.month(), 11);
  EXPECT_EQ(d.day(), 23);
}

TEST_F(ExtractorTest, ThisWeekGivesTheMonthOfThatWeek) {
  // Sunday 2019-12-01 closes a week that lay mostly in November.
  auto x = Run(
      " date 2019-12-01 Weekly review\n"
      "This week the CSTO summit was held in Minsk, where the Collective "
      "Security Council discussed regional security.");
  const auto& d = OnlySummit(x).date();
  EXPECT_EQ(d.year(), 2019);
  EXPECT_EQ(d.month(), 11);
  EXPECT_EQ(d.day(), 0);
}

TEST_F(ExtractorTest, APlannedMeetingsDateIsNotTheSessions) {
  auto x = Run(
      "The CSTO Collective Security Council met in Astana.\n"
      "The leaders will meet again at the session to be held in Minsk on "
      "December 6, 2018.\n"
      "The chairmanship for 2018-2019 will be handed over to Kyrgyzstan.");
  const auto& d = OnlySummit(x).date();
  EXPECT_EQ(d.year(), 2018);
  EXPECT_EQ(d.day(), 0);
}

TEST_F(ExtractorTest, EnDashRangeOfAHandoverOpensWithTheSessionYear) {
  auto x = Run(
      "CSTO leaders met in Yerevan on November 23 for the Collective "
      "Security Council.\n"
      "The CSTO presidency in 2022\xE2\x80\x93" "2023 will pass from Armenia to "
      "Belarus.");
  EXPECT_EQ(OnlySummit(x).date().year(), 2022);
}

TEST_F(ExtractorTest, AnotherBodysMeetingDoesNotDateTheSession) {
  auto x = Run(
      " date 2022-05-16 Leaders meet in Moscow\n"
      "On June 6, 2024, the CSTO Council of Foreign Ministers met in Almaty.\n"
      "On May 16, in Moscow, the Collective Security Council of the CSTO "
      "met to mark an anniversary.");
  const auto& d = OnlySummit(x).date();
  EXPECT_EQ(d.year(), 2022);
  EXPECT_EQ(d.month(), 5);
  EXPECT_EQ(d.day(), 16);
}

}  // namespace
}  // namespace communique::extract
