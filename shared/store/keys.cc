#include "shared/store/keys.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace communique::store {

std::string EncodeSequence(uint64_t sequence) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(sequence & 0xFF);
    sequence >>= 8;
  }
  return out;
}

std::optional<uint64_t> DecodeSequence(absl::string_view key) {
  if (key.size() != 8) return std::nullopt;
  uint64_t value = 0;
  for (unsigned char c : key) value = (value << 8) | c;
  return value;
}

std::string JoinKey(const std::vector<absl::string_view>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.push_back('\0');
    for (char c : parts[i]) out.push_back(c == '\0' ? ' ' : c);
  }
  return out;
}

std::vector<std::string> SplitKey(absl::string_view key) {
  return absl::StrSplit(key, absl::ByChar('\0'));
}

std::string KeyPrefix(const std::vector<absl::string_view>& parts) {
  std::string out = JoinKey(parts);
  out.push_back('\0');
  return out;
}

std::string EncodeDateKey(const v1::PartialDate& date) {
  // Eight ASCII digits: sortable, and free of the '\0' key separator.
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02d",
                std::clamp(date.year(), 0, 9999),
                std::clamp(date.month(), 0, 12), std::clamp(date.day(), 0, 31));
  return std::string(buf, 8);
}

std::string DateRangeStart(const v1::PartialDate& start) {
  if (start.year() == 0) return "";
  return absl::StrFormat("%04d%02d%02d", std::clamp(start.year(), 0, 9999),
                         std::clamp(start.month(), 0, 12),
                         std::clamp(start.day(), 0, 31));
}

std::string DateRangeEnd(const v1::PartialDate& end) {
  if (end.year() == 0) return "\xff";
  return absl::StrFormat("%04d%02d%02d\xff", std::clamp(end.year(), 0, 9999),
                         end.month() == 0 ? 99 : std::clamp(end.month(), 1, 12),
                         end.day() == 0 ? 99 : std::clamp(end.day(), 1, 31));
}

absl::string_view PostingPrefix(absl::string_view key) {
  const size_t first = key.find('\0');
  if (first == absl::string_view::npos) return "";
  const size_t second = key.find('\0', first + 1);
  if (second == absl::string_view::npos) return "";
  return key.substr(0, second + 1);
}

std::string IndexTerm(absl::string_view value) {
  return absl::AsciiStrToLower(value);
}

}  // namespace communique::store
