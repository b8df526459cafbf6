#include "query_service/wire.h"

#include <climits>
#include <string>
#include <vector>

#include "communique/v1/query_service.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"

namespace communique::query::wire {
namespace {

using ::testing::HasSubstr;

v1::Summit MakeSummit(const std::string& id, int year) {
  v1::Summit summit;
  summit.set_name("summits/" + id);
  summit.set_organization("CSTO");
  summit.mutable_date()->set_year(year);
  summit.add_topics("terrorism");
  return summit;
}

// The hand-written response must be byte-identical to what protobuf
// itself serialises for the same content.
TEST(WireTest, ListResponseMatchesProtobufSerialisation) {
  v1::ListSummitsResponse expected;
  store::ListPage<std::string> page;
  for (int i = 0; i < 3; ++i) {
    v1::Summit summit =
        MakeSummit("csto-" + std::to_string(2020 + i), 2020 + i);
    *expected.add_summits() = summit;
    page.items.push_back(summit.SerializeAsString());
  }
  // An empty item (a default message) is still one element.
  expected.add_summits();
  page.items.emplace_back();
  expected.set_next_page_token("opaque-token");
  expected.set_total_size(1234567);
  page.total_size = 1234567;
  EXPECT_EQ(
      ListResponse<v1::ListSummitsResponse>(
          v1::ListSummitsResponse::kSummitsFieldNumber, page, "opaque-token"),
      expected.SerializeAsString());
}

TEST(WireTest, EmptyPageIsTheEmptyMessage) {
  store::ListPage<std::string> page;
  EXPECT_EQ(
      ListResponse<v1::ListDeclarationsResponse>(
          v1::ListDeclarationsResponse::kDeclarationsFieldNumber, page, ""),
      "");
}

TEST(WireTest, TotalSizeIsClampedToInt32) {
  store::ListPage<std::string> page;
  page.total_size = int64_t{1} << 40;
  v1::ListInitiativesResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(ListResponse<v1::ListInitiativesResponse>(
      v1::ListInitiativesResponse::kInitiativesFieldNumber, page, "")));
  EXPECT_EQ(parsed.total_size(), INT32_MAX);
}

TEST(WireTest, LargeItemsKeepTheirLengthPrefix) {
  v1::Summit big = MakeSummit("csto-2024-astana", 2024);
  big.set_chair_country(std::string(300000, 't'));  // 3-byte length
  store::ListPage<std::string> page;
  page.items.push_back(big.SerializeAsString());
  v1::ListSummitsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(ListResponse<v1::ListSummitsResponse>(
      v1::ListSummitsResponse::kSummitsFieldNumber, page, "")));
  ASSERT_EQ(parsed.summits_size(), 1);
  EXPECT_EQ(parsed.summits(0).chair_country().size(), 300000u);
}

TEST(WireTest, SetBytesHandsTheBytesToTheBuffer) {
  const std::string bytes =
      MakeSummit("csto-2022-yerevan", 2022).SerializeAsString();
  grpc::ByteBuffer buffer;
  SetBytes(bytes, &buffer);
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(buffer.Dump(&slices).ok());
  std::string joined;
  for (const grpc::Slice& s : slices) {
    joined.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  EXPECT_EQ(joined, bytes);
}

grpc::ByteBuffer BufferOf(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

TEST(WireTest, ParseRequestReadsAValidRequest) {
  v1::GetSummitRequest sent;
  sent.set_name("summits/csto-2024-astana");
  sent.set_consistency_token("42");
  v1::GetSummitRequest got;
  ASSERT_TRUE(ParseRequest(BufferOf(sent.SerializeAsString()), &got).ok());
  EXPECT_EQ(got.name(), "summits/csto-2024-astana");
  EXPECT_EQ(got.consistency_token(), "42");
}

TEST(WireTest, ParseRequestAcceptsTheEmptyMessage) {
  v1::ListSummitsRequest got;
  EXPECT_TRUE(ParseRequest(grpc::ByteBuffer(), &got).ok());
  EXPECT_TRUE(ParseRequest(BufferOf(""), &got).ok());
}

TEST(WireTest, ParseRequestRejectsInvalidUtf8AndJunk) {
  // Field 1 (name), length 3, bytes that are not UTF-8.
  const std::string invalid_utf8("\x0a\x03\xff\xfe\x41", 5);
  v1::GetSummitRequest got;
  absl::Status status = ParseRequest(BufferOf(invalid_utf8), &got);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("communique.v1.GetSummitRequest"));
  EXPECT_THAT(status.message(), HasSubstr("UTF-8"));
  // A length running past the end.
  EXPECT_EQ(ParseRequest(BufferOf(std::string("\x0a\x7f"
                                              "ab",
                                              4)),
                         &got)
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace communique::query::wire
