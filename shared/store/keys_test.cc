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

}  // namespace
}  // namespace communique::store
