#include "cli/output.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"

namespace communique::cli {
namespace {

constexpr size_t kMaxTableCell = 60;

std::string JoinedText(const Cell& cell, absl::string_view separator) {
  if (cell.kind == Cell::Kind::kList) {
    return absl::StrJoin(cell.list, separator);
  }
  return cell.text;
}

// Number of UTF-8 code points (display width, roughly).
size_t Width(absl::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// `s` cut to `max` code points, with "…" when cut.
std::string Cut(const std::string& s, size_t max) {
  if (Width(s) <= max) return s;
  size_t points = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (points == max - 1) return s.substr(0, i) + "…";
      ++points;
    }
  }
  return s;
}

class CsvWriter final : public RowWriter {
 public:
  CsvWriter(std::ostream& out, const std::vector<std::string>& columns)
      : out_(out) {
    std::vector<std::string> header;
    for (const std::string& c : columns) header.push_back(CsvField(c));
    out_ << absl::StrJoin(header, ",") << "\n";
  }
  void Write(const Row& row) override {
    std::vector<std::string> fields;
    for (const Cell& cell : row)
      fields.push_back(CsvField(JoinedText(cell, ";")));
    out_ << absl::StrJoin(fields, ",") << "\n";
  }
  void Finish() override { out_.flush(); }

 private:
  std::ostream& out_;
};

class JsonlRowWriter final : public RowWriter {
 public:
  JsonlRowWriter(std::ostream& out, std::vector<std::string> columns)
      : out_(out), columns_(std::move(columns)) {}
  void Write(const Row& row) override {
    std::string line = "{";
    for (size_t i = 0; i < row.size() && i < columns_.size(); ++i) {
      if (i > 0) line.push_back(',');
      absl::StrAppend(&line, JsonString(columns_[i]), ":");
      const Cell& cell = row[i];
      switch (cell.kind) {
        case Cell::Kind::kText:
          absl::StrAppend(&line, JsonString(cell.text));
          break;
        case Cell::Kind::kNumber:
        case Cell::Kind::kBool:
          absl::StrAppend(&line, cell.text);
          break;
        case Cell::Kind::kList: {
          std::vector<std::string> items;
          for (const std::string& item : cell.list) {
            items.push_back(JsonString(item));
          }
          absl::StrAppend(&line, "[", absl::StrJoin(items, ","), "]");
          break;
        }
      }
    }
    out_ << line << "}\n";
  }
  void Finish() override { out_.flush(); }

 private:
  std::ostream& out_;
  std::vector<std::string> columns_;
};

class TableWriter final : public RowWriter {
 public:
  TableWriter(std::ostream& out, std::vector<std::string> columns)
      : out_(out), columns_(std::move(columns)) {}
  void Write(const Row& row) override {
    std::vector<std::string> texts;
    for (const Cell& cell : row) {
      std::string text = JoinedText(cell, ", ");
      std::replace(text.begin(), text.end(), '\n', ' ');
      // The first column is the record's name: whole, so it can be copied.
      texts.push_back(texts.empty() ? text : Cut(text, kMaxTableCell));
    }
    rows_.push_back(std::move(texts));
  }
  void Finish() override {
    std::vector<size_t> widths;
    for (const std::string& c : columns_) widths.push_back(Width(c));
    for (const auto& row : rows_) {
      for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
        widths[i] = std::max(widths[i], Width(row[i]));
      }
    }
    std::vector<std::string> header;
    for (const std::string& c : columns_) {
      header.push_back(absl::AsciiStrToUpper(c));
    }
    PrintLine(header, widths);
    for (const auto& row : rows_) PrintLine(row, widths);
    out_.flush();
  }

 private:
  void PrintLine(const std::vector<std::string>& cells,
                 const std::vector<size_t>& widths) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line += "  ";
      line += cells[i];
      if (i + 1 < cells.size() && i < widths.size()) {
        line += std::string(widths[i] - Width(cells[i]), ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out_ << line << "\n";
  }

  std::ostream& out_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace

absl::StatusOr<Format> ParseFormat(absl::string_view text,
                                   const std::vector<Format>& allowed) {
  std::vector<std::string> names;
  for (Format f : allowed) {
    if (FormatName(f) == text) return f;
    names.push_back(FormatName(f));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--format: unknown value ", text,
                   " (here one of: ", absl::StrJoin(names, ", "), ")"));
}

std::string FormatName(Format format) {
  switch (format) {
    case Format::kTable:
      return "table";
    case Format::kJson:
      return "json";
    case Format::kJsonl:
      return "jsonl";
    case Format::kCsv:
      return "csv";
  }
  return "table";
}

Cell Cell::Text(std::string text) {
  Cell c;
  c.text = std::move(text);
  return c;
}

Cell Cell::Number(int64_t value) {
  Cell c;
  c.kind = Kind::kNumber;
  c.text = absl::StrCat(value);
  return c;
}

Cell Cell::Number(double value) {
  Cell c;
  c.kind = Kind::kNumber;
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4f", value);
  std::string text = buffer;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (text.empty() || text == "-0") text = "0";
  c.text = text;
  return c;
}

Cell Cell::Bool(bool value) {
  Cell c;
  c.kind = Kind::kBool;
  c.text = value ? "true" : "false";
  return c;
}

Cell Cell::List(std::vector<std::string> items) {
  Cell c;
  c.kind = Kind::kList;
  c.list = std::move(items);
  return c;
}

std::unique_ptr<RowWriter> NewRowWriter(Format format, std::ostream& out,
                                        std::vector<std::string> columns) {
  switch (format) {
    case Format::kCsv:
      return std::make_unique<CsvWriter>(out, columns);
    case Format::kJson:
    case Format::kJsonl:
      return std::make_unique<JsonlRowWriter>(out, std::move(columns));
    case Format::kTable:
      break;
  }
  return std::make_unique<TableWriter>(out, std::move(columns));
}

void RecordWriter::Write(const google::protobuf::Message& record) {
  if (format_ == Format::kJson) {
    out_ << (written_ == 0 ? "[\n" : ",\n") << ToJson(record);
  } else {
    out_ << ToJson(record) << "\n";
  }
  ++written_;
}

void RecordWriter::Finish() {
  if (format_ == Format::kJson) out_ << (written_ == 0 ? "[]\n" : "\n]\n");
  out_.flush();
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string CsvField(absl::string_view s) {
  if (s.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(s);
  }
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace communique::cli
