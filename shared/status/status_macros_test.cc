#include "shared/status/status_macros.h"

#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique {
namespace {

using ::communique::testing::StatusIs;

absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return absl::InvalidArgumentError("x is odd");
  return x / 2;
}

absl::StatusOr<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int half, Half(x));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int x) {
  RETURN_IF_ERROR(Half(x).status());
  return absl::OkStatus();
}

TEST(StatusMacrosTest, AssignOrReturnPropagatesError) {
  EXPECT_THAT(Quarter(6), StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(int q, Quarter(8));
  EXPECT_EQ(q, 2);
}

TEST(StatusMacrosTest, ReturnIfErrorPropagatesError) {
  EXPECT_THAT(CheckEven(3), StatusIs(absl::StatusCode::kInvalidArgument,
                                     ::testing::HasSubstr("odd")));
  EXPECT_OK(CheckEven(4));
}

}  // namespace
}  // namespace communique
