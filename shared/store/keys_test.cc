#include "shared/store/keys.h"

#include "gtest/gtest.h"

namespace communique::store {
namespace {

TEST(KeysTest, SequencesSortNumerically) {
  EXPECT_LT(EncodeSequence(9), EncodeSequence(10));
  EXPECT_LT(EncodeSequence(255), EncodeSequence(256));
  EXPECT_EQ(DecodeSequence(EncodeSequence(123456789)), 123456789u);
  EXPECT_FALSE(DecodeSequence("short").has_value());
}

TEST(KeysTest, JoinAndSplitRoundTrip) {
  std::string key = JoinKey({"sc", "kazakhstan", "20241128", "summits/x"});
  EXPECT_EQ(SplitKey(key),
            (std::vector<std::string>{"sc", "kazakhstan", "20241128",
                                      "summits/x"}));
  EXPECT_TRUE(key.rfind(KeyPrefix({"sc", "kazakhstan"}), 0) == 0);
  EXPECT_FALSE(key.rfind(KeyPrefix({"sc", "kazakh"}), 0) == 0);
}

TEST(KeysTest, DatesSortByKnownParts) {
  v1::PartialDate year;
  year.set_year(2024);
  v1::PartialDate day;
  day.set_year(2024);
  day.set_month(11);
  day.set_day(28);
  v1::PartialDate next_year;
  next_year.set_year(2025);
  EXPECT_EQ(EncodeDateKey(day), "20241128");
  EXPECT_LT(EncodeDateKey(year), EncodeDateKey(day));
  EXPECT_LT(EncodeDateKey(day), EncodeDateKey(next_year));
}

TEST(KeysTest, DateRangesCoverWholePeriods) {
  v1::PartialDate november;
  november.set_year(2024);
  november.set_month(11);
  EXPECT_EQ(DateRangeStart(november), "20241100");
  const std::string end = DateRangeEnd(november);
  EXPECT_GT(end, "20241130" + std::string(1, '\0') + "summits/x");
  EXPECT_LT(end, "20241200");
  EXPECT_EQ(DateRangeStart(v1::PartialDate()), "");
  EXPECT_EQ(DateRangeEnd(v1::PartialDate()), "\xff");
}

TEST(KeysTest, PostingPrefixStopsAfterTheTerm) {
  const std::string key = JoinKey({"so", "csto", "20241128", "summits/x"});
  EXPECT_EQ(PostingPrefix(key), KeyPrefix({"so", "csto"}));
  EXPECT_EQ(PostingPrefix(JoinKey({"s", "", "2024"})), KeyPrefix({"s", ""}));
  EXPECT_EQ(PostingPrefix("nokey"), "");
}

}  // namespace
}  // namespace communique::store
