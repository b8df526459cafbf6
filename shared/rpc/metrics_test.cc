#include "shared/rpc/metrics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::rpc {
namespace {

using ::testing::HasSubstr;

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

TEST(MetricsTest, ServesOnAnEphemeralPort) {
  ASSERT_OK_AND_ASSIGN(auto metrics, Metrics::Create("127.0.0.1:0"));
  EXPECT_GT(metrics->port(), 0);
}

}  // namespace
}  // namespace communique::rpc
