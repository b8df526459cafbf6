// Byte spans into a text, shared by the text, gazetteer and extract
// libraries. A span is [begin, end) in bytes of the normalised text.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"

namespace communique::text {

struct Span {
  size_t begin = 0;  // first byte, inclusive
  size_t end = 0;    // one past the last byte
  size_t size() const { return end - begin; }
  bool empty() const { return end <= begin; }
  bool Contains(size_t pos) const { return pos >= begin && pos < end; }
  bool Contains(const Span& other) const {
    return other.begin >= begin && other.end <= end;
  }
  bool Overlaps(const Span& other) const {
    return begin < other.end && other.begin < end;
  }
  absl::string_view Of(absl::string_view text) const {
    return text.substr(begin, end - begin);
  }
  friend bool operator==(const Span& a, const Span& b) {
    return a.begin == b.begin && a.end == b.end;
  }
};

}  // namespace communique::text
