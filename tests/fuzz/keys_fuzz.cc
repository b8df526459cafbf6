// libFuzzer target for the store's byte-ordered key codecs
// (shared/store/keys.h): DecodeSequence on any bytes, sequence and JoinKey
// round trips, order preservation of EncodeSequence, PostingPrefix bounds,
// EncodeDateKey / DateRangeStart / DateRangeEnd on any PartialDate. Any
// crash, sanitizer report or broken round trip is a bug.
// Build: tests/fuzz/run.sh (clang, -DCOMMUNIQUE_FUZZ=ON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "communique/v1/common.pb.h"
#include "shared/store/keys.h"

namespace store = ::communique::store;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

uint64_t Load64(const uint8_t* data) {
  uint64_t value = 0;
  std::memcpy(&value, data, sizeof(value));
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);

  // Any bytes: decoding never crashes, and only 8 bytes decode.
  std::optional<uint64_t> decoded = store::DecodeSequence(bytes);
  Check(decoded.has_value() == (size == 8));
  if (decoded.has_value()) Check(store::EncodeSequence(*decoded) == bytes);

  if (size >= 16) {
    const uint64_t a = Load64(data);
    const uint64_t b = Load64(data + 8);
    const std::string ka = store::EncodeSequence(a);
    const std::string kb = store::EncodeSequence(b);
    Check(store::DecodeSequence(ka) == a);
    // Bytewise order is numeric order.
    Check((ka < kb) == (a < b));
  }

  // Split the input at '\x01' into parts; JoinKey must survive anything
  // (a '\0' inside a part is replaced), and SplitKey inverts it for parts
  // without '\0'.
  std::vector<std::string> owned;
  size_t start = 0;
  for (size_t i = 0; i <= size; ++i) {
    if (i == size || data[i] == 0x01) {
      owned.emplace_back(bytes.substr(start, i - start));
      start = i + 1;
    }
  }
  std::vector<absl::string_view> parts(owned.begin(), owned.end());
  const std::string key = store::JoinKey(parts);
  const std::vector<std::string> split = store::SplitKey(key);
  bool has_nul = false;
  for (const std::string& part : owned) {
    has_nul = has_nul || part.find('\0') != std::string::npos;
  }
  if (!has_nul) Check(split == owned);
  Check(split.size() == owned.size());
  const std::string prefix = store::KeyPrefix(parts);
  Check(prefix.size() == key.size() + 1 && prefix.back() == '\0');
  const absl::string_view posting = store::PostingPrefix(key);
  Check(posting.size() <= key.size());
  Check(absl::string_view(key).substr(0, posting.size()) == posting);
  (void)store::PostingPrefix(bytes);
  (void)store::IndexTerm(bytes);

  // Any partial date: the range bounds bracket the date's own key.
  if (size >= 12) {
    communique::v1::PartialDate date;
    date.set_year(static_cast<int32_t>(Load64(data) & 0xffffffff));
    date.set_month(static_cast<int32_t>(data[8]) - 8);
    date.set_day(static_cast<int32_t>(data[9]) - 8);
    date.set_precision(
        static_cast<communique::v1::DatePrecision>(data[10] % 8));
    const std::string date_key = store::EncodeDateKey(date);
    const std::string lower = store::DateRangeStart(date);
    const std::string upper = store::DateRangeEnd(date);
    if (date.year() >= 1 && date.year() <= 9999 && date.month() >= 0 &&
        date.month() <= 12 && date.day() >= 0 && date.day() <= 31) {
      Check(lower <= date_key);
      Check(date_key < upper);
    }
  }
  return 0;
}
