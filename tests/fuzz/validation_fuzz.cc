// libFuzzer target for request validation (shared/schema/validation.h):
// ValidateArticleInput over ArticleInput messages parsed from the input
// and over the raw input as article text, FindInvalidUtf8 agreement with
// the validator, EffectivePageSize and CheckSummitFilter over parsed
// filters. Validation returns OK or INVALID_ARGUMENT naming a field, and
// never crashes. Build: tests/fuzz/run.sh (clang, -DCOMMUNIQUE_FUZZ=ON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "communique/v1/ingest_service.pb.h"
#include "communique/v1/query_service.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "shared/schema/validation.h"
#include "shared/text/utf8.h"

namespace schema = ::communique::schema;
namespace v1 = ::communique::v1;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckArticleStatus(const absl::Status& status) {
  if (status.ok()) return;
  Check(status.code() == absl::StatusCode::kInvalidArgument);
  Check(absl::StrContains(status.message(), "article."));
}

}  // namespace

// Protobuf logs every string field with invalid UTF-8 it parses; quiet.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);

  // The input as article text.
  v1::ArticleInput input;
  input.set_text(std::string(bytes));
  const absl::Status text_status = schema::ValidateArticleInput(input);
  CheckArticleStatus(text_status);
  const size_t invalid_at = ::communique::text::FindInvalidUtf8(bytes);
  Check(invalid_at <= size);
  // Invalid UTF-8 is always rejected.
  if (invalid_at < size) Check(!text_status.ok());

  // The input as a serialized ArticleInput (any fields, any lengths).
  v1::ArticleInput parsed;
  if (parsed.ParseFromArray(data, static_cast<int>(size))) {
    CheckArticleStatus(schema::ValidateArticleInput(parsed));
  }

  // The input as a ListSummits request: page size and filter.
  v1::ListSummitsRequest request;
  if (request.ParseFromArray(data, static_cast<int>(size))) {
    auto page_size = schema::EffectivePageSize(request.page_size());
    if (request.page_size() < 0) {
      Check(!page_size.ok() &&
            page_size.status().code() == absl::StatusCode::kInvalidArgument);
    } else {
      Check(page_size.ok() && *page_size >= 1 &&
            *page_size <= schema::kMaxPageSize);
    }
    schema::FieldViolations violations;
    schema::CheckSummitFilter(request.filter(), "filter.", &violations);
  }
  if (size >= 4) {
    int32_t page_size = 0;
    std::memcpy(&page_size, data, 4);
    auto effective = schema::EffectivePageSize(page_size);
    Check(effective.ok() == (page_size >= 0));
  }
  return 0;
}
