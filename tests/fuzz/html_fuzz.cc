// libFuzzer target for the page converter (shared/html/page.h): any bytes,
// with a Content-Type picked by the first byte (none, UTF-8, windows-1251,
// UTF-16, a bogus charset), through ConvertPage, LooksLikeHtml and
// ParsePageDate. A crash, a sanitizer report, a hang, an error other than
// INVALID_ARGUMENT, or text that is not valid UTF-8 or over the limits is a
// bug. Build: tests/fuzz/run.sh (clang, -DCOMMUNIQUE_FUZZ=ON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "shared/html/page.h"
#include "shared/text/utf8.h"

namespace html = ::communique::html;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr absl::string_view kContentTypes[] = {
      "", "text/html; charset=utf-8", "text/html; charset=windows-1251",
      "text/html; charset=utf-16", "text/html; charset=x-no-such",
      "text/html;charset=\"koi8-r\""};
  const absl::string_view content_type =
      kContentTypes[data[0] % (sizeof(kContentTypes) / sizeof(kContentTypes[0]))];
  const absl::string_view bytes(reinterpret_cast<const char*>(data) + 1,
                                size - 1);
  html::LooksLikeHtml(bytes);
  html::ParsePageDate(bytes.substr(0, 64));
  html::PageLimits limits;
  // Small caps so the fuzzer reaches the limit paths.
  limits.max_nodes = 2000;
  limits.max_text_bytes = 2048;
  limits.max_json_ld_bytes = 4096;
  auto page = html::ConvertPage(bytes, content_type, limits);
  if (!page.ok()) {
    Check(page.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  Check(communique::text::FindInvalidUtf8(page->text) == page->text.size());
  Check(communique::text::FindInvalidUtf8(page->title) == page->title.size());
  Check(page->text.size() <= limits.max_text_bytes + page->title.size() + 3);
  Check(!page->text.empty());
  return 0;
}
