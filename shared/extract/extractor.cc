#include "shared/extract/extractor.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/types/span.h"
#include "shared/extract/internal/dates.h"
#include "shared/extract/internal/lists.h"
#include "shared/schema/names.h"
#include "shared/text/boilerplate.h"
#include "shared/text/garbled.h"
#include "shared/text/sentences.h"
#include "shared/text/utf8.h"


#include "shared/extract/internal/run.h"

namespace communique::extract {

absl::StatusOr<std::unique_ptr<Extractor>> Extractor::Create(
    std::shared_ptr<const gazetteer::Gazetteer> gazetteer) {
  if (gazetteer == nullptr) {
    return absl::InvalidArgumentError("gazetteer must not be null");
  }
  return std::unique_ptr<Extractor>(new Extractor(std::move(gazetteer)));
}

v1::ArticleExtraction Extractor::Extract(absl::string_view normalized_text,
                                         const ArticleContext& context) const {
  internal::Run run(*gazetteer_, normalized_text, context);
  return run.Extract();
}

}  // namespace communique::extract
