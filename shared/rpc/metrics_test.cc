#include "shared/rpc/metrics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::rpc {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CallbackGaugesAndDomainCountersAppearInTheScrape) {
  ASSERT_OK_AND_ASSIGN(auto metrics, Metrics::Create(""));
  double head = 41;
  metrics->AddCallbackGauge("communique_changelog_head_sequence",
                            "Last sequence in the change log.",
                            [&head] { return head; });
  auto& ingested = prometheus::BuildCounter()
                       .Name("communique_articles_ingested_total")
                       .Help("Articles ingested, by outcome.")
                       .Register(metrics->registry());
  ingested.Add({{"outcome", "created"}}).Increment(3);
  head = 42;
  std::string text = metrics->Scrape();
  EXPECT_THAT(text, HasSubstr("communique_changelog_head_sequence 42"));
  EXPECT_THAT(text, HasSubstr(
                        "communique_articles_ingested_total{outcome=\"created\"} 3"));
  EXPECT_EQ(metrics->port(), 0);
}

TEST(MetricsTest, EngineAndRecordGaugesReadPlainCallbacksAtScrape) {
  ASSERT_OK_AND_ASSIGN(auto metrics, Metrics::Create(""));
  EngineReadings engine;
  engine.live_sst_bytes = 4096;
  engine.block_cache_hits = 3;
  engine.block_cache_misses = 1;
  engine.write_stall_micros = 2500000;
  AddEngineGauges(*metrics, [&engine] { return engine; });
  RecordReadings records;
  records.articles = -1;  // not kept: left out
  records.summits = 7;
  AddRecordGauges(*metrics, [&records] { return records; });
  records.declarations = 12;
  std::string text = metrics->Scrape();
  EXPECT_THAT(text, HasSubstr("communique_rocksdb_live_sst_bytes 4096"));
  EXPECT_THAT(text, HasSubstr("communique_rocksdb_block_cache_hit_ratio 0.75"));
  EXPECT_THAT(text, HasSubstr("communique_rocksdb_write_stall_seconds 2.5"));
  EXPECT_THAT(text, HasSubstr("communique_store_records{type=\"summit\"} 7"));
  EXPECT_THAT(text,
              HasSubstr("communique_store_records{type=\"declaration\"} 12"));
  EXPECT_THAT(text, Not(HasSubstr("type=\"article\"")));
}

TEST(MetricsTest, ServesOnAnEphemeralPort) {
  ASSERT_OK_AND_ASSIGN(auto metrics, Metrics::Create("127.0.0.1:0"));
  EXPECT_GT(metrics->port(), 0);
}

}  // namespace
}  // namespace communique::rpc
