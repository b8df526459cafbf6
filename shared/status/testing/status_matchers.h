// GoogleTest matchers for absl::Status and absl::StatusOr, for tests only.
//   EXPECT_THAT(s, StatusIs(absl::StatusCode::kNotFound));
//   EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
//                           HasSubstr("text")));
//   ASSERT_OK(s); ASSERT_OK_AND_ASSIGN(auto v, StatusOrExpr);
#pragma once

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/status_macros.h"

namespace communique::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P(StatusIs, code,
          std::string("has status code ") +
              absl::StatusCodeToString(static_cast<absl::StatusCode>(code))) {
  const absl::Status& s = ::communique::testing::GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& s = ::communique::testing::GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code &&
         ::testing::Matches(message_matcher)(std::string(s.message()));
}

MATCHER(IsOk, "is OK") {
  const absl::Status& s = ::communique::testing::GetStatus(arg);
  *result_listener << "status is " << s;
  return s.ok();
}

}  // namespace communique::testing

#define ASSERT_OK(expr) \
  ASSERT_THAT((expr), ::communique::testing::IsOk())
#define EXPECT_OK(expr) \
  EXPECT_THAT((expr), ::communique::testing::IsOk())
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                                   \
  ASSERT_OK_AND_ASSIGN_IMPL(                                              \
      COMMUNIQUE_STATUS_CONCAT(_communique_assert_statusor_, __LINE__), lhs, \
      expr)
#define ASSERT_OK_AND_ASSIGN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  ASSERT_TRUE(statusor.ok()) << statusor.status();     \
  lhs = *std::move(statusor)
