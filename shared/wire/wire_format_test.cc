#include "shared/wire/wire_format.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace communique::wire {
namespace {

TEST(WireFormatTest, WrittenFieldsReadBack) {
  std::string bytes;
  AppendVarintField(1, 300, &bytes);
  AppendVarintField(2, 0, &bytes);  // proto3 omits zero
  AppendLenField(3, "summits/x", &bytes);
  absl::string_view in = bytes;
  WireField field;
  ASSERT_TRUE(ReadField(&in, &field));
  EXPECT_EQ(field.number, 1);
  EXPECT_EQ(field.wire_type, kWireVarint);
  EXPECT_EQ(field.varint, 300u);
  EXPECT_EQ(field.encoded, absl::string_view("\x08\xac\x02", 3));
  ASSERT_TRUE(ReadField(&in, &field));
  EXPECT_EQ(field.number, 3);
  EXPECT_EQ(field.wire_type, kWireLen);
  EXPECT_EQ(field.payload, "summits/x");
  EXPECT_TRUE(in.empty());
}

TEST(WireFormatTest, MalformedFieldsAreRejected) {
  WireField field;
  for (absl::string_view bad :
       {absl::string_view("\x00\x01", 2),  // field number 0
        absl::string_view("\x1a\x05" "ab"),  // length past the end
        absl::string_view("\x08"),           // varint missing
        absl::string_view("\x0b"),           // group (wire type 3)
        absl::string_view("\x09\x01\x02"),  // fixed64 cut short
        absl::string_view("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff"
                          "\xff\x01")}) {  // varint over 10 bytes
    absl::string_view in = bad;
    EXPECT_FALSE(ReadField(&in, &field)) << absl::CHexEscape(bad);
  }
}

}  // namespace
}  // namespace communique::wire
