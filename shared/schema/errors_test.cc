#include "shared/schema/errors.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/schema/names.h"
#include "shared/schema/validation.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::schema {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ErrorsTest, InvalidFieldCarriesOneViolation) {
  absl::Status status = InvalidField("filter.year", "must be in 1-9999");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               "filter.year: must be in 1-9999"));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetBadRequest(status, &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "filter.year");
  EXPECT_EQ(bad_request.field_violations(0).description(), "must be in 1-9999");
}

TEST(ErrorsTest, CollectsEveryViolationInOrder) {
  FieldViolations violations;
  EXPECT_OK(violations.ToStatus());
  violations.Add("page_size", "must not be negative, got -1");
  violations.Add("kind", "unknown value 99");
  absl::Status status = violations.ToStatus();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("page_size: must not be negative")));
  EXPECT_THAT(status.message(), HasSubstr("; kind: unknown value 99"));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetBadRequest(status, &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(1).field(), "kind");
}

TEST(ErrorsTest, RpcStatusPacksTheBadRequestAsAny) {
  google::rpc::Status rpc = ToRpcStatus(InvalidField("name", "required"));
  EXPECT_EQ(rpc.code(), 3);
  EXPECT_EQ(rpc.message(), "name: required");
  ASSERT_EQ(rpc.details_size(), 1);
  EXPECT_EQ(rpc.details(0).type_url(), kBadRequestTypeUrl);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "name");
  EXPECT_EQ(ToRpcStatus(absl::NotFoundError("x")).details_size(), 0);
}

TEST(ErrorsTest, WithBadRequestParsesTheHouseMessageForm) {
  google::rpc::BadRequest bad_request;
  absl::Status plain = absl::InvalidArgumentError("consistency_token: bad");
  ASSERT_TRUE(GetBadRequest(WithBadRequest(plain), &bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "consistency_token");
  EXPECT_EQ(bad_request.field_violations(0).description(), "bad");
  EXPECT_FALSE(GetBadRequest(
      WithBadRequest(absl::InvalidArgumentError("no field here")),
      &bad_request));
  EXPECT_FALSE(GetBadRequest(WithBadRequest(absl::NotFoundError("a: b")),
                             &bad_request));
}

TEST(ErrorsTest, NameAndPageValidationAttachViolations) {
  google::rpc::BadRequest bad_request;
  auto name = ParseSummitName("summit/x", "parent");
  ASSERT_TRUE(GetBadRequest(name.status(), &bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "parent");
  ASSERT_TRUE(
      GetBadRequest(EffectivePageSize(-3).status(), &bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "page_size");
  ASSERT_TRUE(
      GetBadRequest(DecodePageToken("AQ", 1).status(), &bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "page_token");
}

TEST(QueryValidationTest, YearRangesDatesAndText) {
  FieldViolations v;
  CheckYearRange(0, 2020, 2024, "filter.", &v);
  CheckDateBound(v1::PartialDate(), "filter.start_date", &v);
  EXPECT_TRUE(v.empty());
  CheckYearRange(0, 2025, 2024, "filter.", &v);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetBadRequest(v.ToStatus(), &bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "filter.min_year");

  FieldViolations dates;
  v1::PartialDate bad;
  bad.set_year(2024);
  bad.set_day(3);
  CheckDateBound(bad, "filter.end_date", &dates);
  bad.set_month(13);
  CheckDateBound(bad, "filter.start_date", &dates);
  ASSERT_TRUE(GetBadRequest(dates.ToStatus(), &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "filter.end_date.day");
  EXPECT_EQ(bad_request.field_violations(1).field(),
            "filter.start_date.month");

  FieldViolations text;
  EXPECT_EQ(CheckSearchText("Astana DECLARATION", "filter.text", &text),
            (std::vector<std::string>{"astana", "declaration"}));
  EXPECT_TRUE(text.empty());
  CheckSearchText("of the", "filter.text", &text);
  CheckSearchText(std::string(300, 'a'), "text", &text);
  ASSERT_TRUE(GetBadRequest(text.ToStatus(), &bad_request));
  EXPECT_EQ(bad_request.field_violations_size(), 2);
}

}  // namespace
}  // namespace communique::schema
