#include "shared/extract/internal/dates.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::extract::internal {
namespace {

TEST(DatesTest, FindsWrittenDates) {
  std::string text =
      "On November 28, 2024 and 16 September 2021, then Nov. 28 and from "
      "January 1st, and December 2020.";
  auto dates = FindDates(text, {0, text.size()}, false);
  ASSERT_EQ(dates.size(), 5u);
  EXPECT_EQ(dates[0].year, 2024);
  EXPECT_EQ(dates[0].month, 11);
  EXPECT_EQ(dates[0].day, 28);
  EXPECT_EQ(dates[1].day, 16);
  EXPECT_EQ(dates[1].month, 9);
  EXPECT_EQ(dates[1].year, 2021);
  EXPECT_EQ(dates[2].span.Of(text), "Nov. 28");
  EXPECT_EQ(dates[2].year, 0);
  EXPECT_EQ(dates[3].month, 1);
  EXPECT_EQ(dates[3].day, 1);
  EXPECT_EQ(dates[4].month, 12);
  EXPECT_EQ(dates[4].day, 0);
  EXPECT_EQ(dates[4].year, 2020);
}

TEST(DatesTest, BareYearsOnlyWhenAsked) {
  std::string text = "the presidency in 2021, 15 documents, may 3";
  EXPECT_TRUE(FindDates(text, {0, text.size()}, false).empty());
  auto dates = FindDates(text, {0, text.size()}, true);
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_EQ(dates[0].year, 2021);
}

TEST(DatesTest, FindsDateHeader) {
  auto header = FindDateHeader(" date 2024-11-28 ASTANA \xe2\x80\x93 text");
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->year, 2024);
  EXPECT_EQ(header->month, 11);
  EXPECT_EQ(header->day, 28);
  EXPECT_FALSE(FindDateHeader("The date 2024-11-28 appears later").has_value());
  EXPECT_FALSE(FindDateHeader("date 2024-13-28").has_value());
}

TEST(DatesTest, FindsEventNameYears) {
  std::string text =
      "exercises \xe2\x80\x9cIndestructible Brotherhood-2024\xe2\x80\x9d and "
      "Skala-2024, not covid-19 or 2020-2021";
  auto years = FindEventNameYears(text, {0, text.size()});
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].year, 2024);
  EXPECT_EQ(years[1].span.Of(text), "Skala-2024");
}

}  // namespace
}  // namespace communique::extract::internal
