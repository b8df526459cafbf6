#include "cli/output.h"

#include <sstream>

#include "communique/v1/summit.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::cli {
namespace {

using ::communique::testing::StatusIs;

TEST(OutputTest, CsvQuotesWhatNeedsQuotingAndJoinsLists) {
  std::ostringstream out;
  auto rows = NewRowWriter(Format::kCsv, out, {"name", "title", "topics", "n"});
  rows->Write({Cell::Text("summits/a"), Cell::Text("On \"peace\", and\nmore"),
               Cell::List({"terrorism", "security"}),
               Cell::Number(int64_t{3})});
  rows->Finish();
  EXPECT_EQ(out.str(),
            "name,title,topics,n\n"
            "summits/a,\"On \"\"peace\"\", and\nmore\",terrorism;security,3\n");
}

TEST(OutputTest, JsonLinesKeepsTypes) {
  std::ostringstream out;
  auto rows = NewRowWriter(Format::kJsonl, out, {"name", "remote", "c", "l"});
  rows->Write({Cell::Text("Ты \"x\""), Cell::Bool(true), Cell::Number(0.5),
               Cell::List({"a", "b"})});
  EXPECT_EQ(out.str(),
            "{\"name\":\"Ты \\\"x\\\"\",\"remote\":true,\"c\":0.5,"
            "\"l\":[\"a\",\"b\"]}\n");
}

TEST(OutputTest, TableAlignsColumnsUnderAnUpperCaseHeader) {
  std::ostringstream out;
  auto rows = NewRowWriter(Format::kTable, out, {"name", "city"});
  rows->Write({Cell::Text("summits/long-name"), Cell::Text("Astana")});
  rows->Write({Cell::Text("s/b"), Cell::Text("Минск")});
  rows->Finish();
  EXPECT_EQ(out.str(),
            "NAME               CITY\n"
            "summits/long-name  Astana\n"
            "s/b                Минск\n");
}

TEST(OutputTest, TableCutsLongCellsButNeverTheName) {
  std::ostringstream out;
  auto rows = NewRowWriter(Format::kTable, out, {"name", "title", "note"});
  const std::string name = "summits/" + std::string(70, 'n');
  rows->Write({Cell::Text(name), Cell::Text(std::string(70, 't')),
               Cell::Text("")});
  rows->Finish();
  EXPECT_EQ(out.str(), "NAME" + std::string(name.size() - 4 + 2, ' ') +
                           "TITLE" + std::string(60 - 5 + 2, ' ') + "NOTE\n" +
                           name + "  " + std::string(59, 't') + "…\n");
}

TEST(OutputTest, NumbersPrintWithoutTrailingZeros) {
  EXPECT_EQ(Cell::Number(0.75).text, "0.75");
  EXPECT_EQ(Cell::Number(1.0).text, "1");
  EXPECT_EQ(Cell::Number(0.0).text, "0");
  EXPECT_EQ(Cell::Number(int64_t{42}).text, "42");
}

TEST(OutputTest, RecordsAsJsonArrayOrLines) {
  v1::Summit a, b;
  a.set_name("summits/a");
  b.set_name("summits/b");
  std::ostringstream array;
  RecordWriter json(Format::kJson, array);
  json.Write(a);
  json.Write(b);
  json.Finish();
  EXPECT_EQ(array.str(),
            "[\n{\"name\":\"summits/a\"},\n{\"name\":\"summits/b\"}\n]\n");
  std::ostringstream empty;
  RecordWriter none(Format::kJson, empty);
  none.Finish();
  EXPECT_EQ(empty.str(), "[]\n");
  std::ostringstream lines;
  RecordWriter jsonl(Format::kJsonl, lines);
  jsonl.Write(a);
  EXPECT_EQ(lines.str(), "{\"name\":\"summits/a\"}\n");
}

TEST(OutputTest, FormatMustBeOneTheCommandAccepts) {
  EXPECT_EQ(*ParseFormat("csv", {Format::kCsv, Format::kJsonl}), Format::kCsv);
  EXPECT_THAT(ParseFormat("table", {Format::kCsv, Format::kJsonl}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--format: unknown value table (here one of: csv, "
                       "jsonl)"));
}

}  // namespace
}  // namespace communique::cli
