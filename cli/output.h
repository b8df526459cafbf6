// Output of the command line: the --format values and writers for rows of
// cells (table, CSV, JSON Lines) and for whole records (JSON, JSON Lines).
// Used by cli/ commands; pure (writes to a std::ostream), unit-tested in
// output_test.cc. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace communique::cli {

enum class Format { kTable, kJson, kJsonl, kCsv };

// Parses a --format value ("table", "json", "jsonl", "csv"). `allowed`
// lists the values the command accepts. INVALID_ARGUMENT
// "--format: unknown value x (one of: ...)".
absl::StatusOr<Format> ParseFormat(absl::string_view text,
                                   const std::vector<Format>& allowed);
std::string FormatName(Format format);

// One value of a row.
struct Cell {
  enum class Kind { kText, kNumber, kBool, kList };
  Kind kind = Kind::kText;
  std::string text;               // kText; kNumber/kBool as printed
  std::vector<std::string> list;  // kList

  static Cell Text(std::string text);
  static Cell Number(int64_t value);
  static Cell Number(double value);  // up to 4 decimals, no trailing zeros
  static Cell Bool(bool value);
  static Cell List(std::vector<std::string> items);
};
using Row = std::vector<Cell>;

// Writes rows with fixed columns. Created by NewRowWriter.
class RowWriter {
 public:
  virtual ~RowWriter() = default;
  // `row` has one cell per column.
  virtual void Write(const Row& row) = 0;
  // Writes what is buffered (tables align their columns at the end).
  virtual void Finish() = 0;
};

// A writer of `columns` in `format`:
//  - kCsv: RFC 4180 (header line, fields quoted when they hold a comma,
//    quote, CR or LF; quotes doubled; CRLF-free "\n" line ends), lists
//    joined with ";", booleans true/false; streams.
//  - kJsonl (and kJson): one JSON object per row, keys = columns, lists as
//    arrays, numbers and booleans unquoted; streams.
//  - kTable: aligned columns under an upper-case header, lists joined with
//    ", ", cells but the first (the name) cut to 60 characters; buffered
//    until Finish.
std::unique_ptr<RowWriter> NewRowWriter(Format format, std::ostream& out,
                                        std::vector<std::string> columns);

// Writes whole records as proto3 JSON with the proto's field names: kJsonl
// one per line, kJson one array (closed by Finish).
class RecordWriter {
 public:
  RecordWriter(Format format, std::ostream& out) : format_(format), out_(out) {}
  void Write(const google::protobuf::Message& record);
  void Finish();

 private:
  Format format_;
  std::ostream& out_;
  int written_ = 0;
};

// proto3 JSON of `message`, field names as in the proto, on one line.
std::string ToJson(const google::protobuf::Message& message);
// A JSON string literal of UTF-8 `s`.
std::string JsonString(absl::string_view s);
// A CSV field: `s` quoted when needed.
std::string CsvField(absl::string_view s);

}  // namespace communique::cli
