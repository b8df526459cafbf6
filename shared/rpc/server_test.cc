#include "shared/rpc/server.h"

#include <chrono>

#include "gtest/gtest.h"

namespace communique::rpc {
namespace {

constexpr int64_t kMs = 1000 * 1000;

TEST(LoadShedderTest, ShedsOnlyWhileCallsQueueTooLong) {
  LoadShedder shedder(std::chrono::milliseconds(100));
  ASSERT_TRUE(shedder.enabled());
  EXPECT_FALSE(shedder.Overloaded(0));
  // Calls reaching their handlers within the limit change nothing.
  shedder.Dispatched(1000 * kMs, 1099 * kMs);
  EXPECT_FALSE(shedder.Overloaded(1100 * kMs));
  // One that waited longer: new calls are shed for the next 100 ms.
  shedder.Dispatched(2000 * kMs, 2150 * kMs);
  EXPECT_TRUE(shedder.Overloaded(2150 * kMs));
  EXPECT_TRUE(shedder.Overloaded(2249 * kMs));
  EXPECT_FALSE(shedder.Overloaded(2250 * kMs));
  // Late calls keep the window open; an older report never shortens it.
  shedder.Dispatched(2100 * kMs, 2240 * kMs);
  shedder.Dispatched(2000 * kMs, 2200 * kMs);
  EXPECT_TRUE(shedder.Overloaded(2339 * kMs));
  EXPECT_FALSE(shedder.Overloaded(2340 * kMs));
}

TEST(LoadShedderTest, ZeroTurnsItOff) {
  LoadShedder shedder(std::chrono::milliseconds(0));
  EXPECT_FALSE(shedder.enabled());
  shedder.Dispatched(0, 3600 * 1000 * kMs);
  EXPECT_FALSE(shedder.Overloaded(1));
}

}  // namespace
}  // namespace communique::rpc
