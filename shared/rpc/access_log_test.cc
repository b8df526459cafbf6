#include "shared/rpc/access_log.h"

#include "gtest/gtest.h"

namespace communique::rpc {
namespace {

TEST(TraceContextTest, ContinuesAValidTraceparent) {
  TraceContext t = ContinueTrace(
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(t.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(t.parent_span_id, "00f067aa0ba902b7");
  EXPECT_EQ(t.span_id.size(), 16u);
  EXPECT_NE(t.span_id, t.parent_span_id);
  EXPECT_EQ(t.Header().substr(0, 36), "00-4bf92f3577b34da6a3ce929d0e0e4736-");
}

TEST(TraceContextTest, MintsATraceForMalformedHeaders) {
  for (const char* bad :
       {"", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}) {
    TraceContext t = ContinueTrace(bad);
    EXPECT_EQ(t.trace_id.size(), 32u) << bad;
    EXPECT_TRUE(t.parent_span_id.empty()) << bad;
  }
  EXPECT_NE(ContinueTrace("").trace_id, ContinueTrace("").trace_id);
}

}  // namespace
}  // namespace communique::rpc
