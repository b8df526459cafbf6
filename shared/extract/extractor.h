// Article text -> ArticleExtraction: summits, declarations (documents
// adopted) and initiatives (proposals), each fact with Evidence spans into
// the normalised text, plus warnings for what was noticed but not used.
// Deterministic, no I/O, no clock. Used by the ingest service and the CLI.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "communique/v1/article.pb.h"
#include "shared/gazetteer/gazetteer.h"

namespace communique::extract {

// Bump when the output for some input changes.
inline constexpr char kExtractorVersion[] = "0.1.0";

struct ArticleContext {
  // "articles/{id}", copied into every Evidence.article.
  std::string article_name;
  // Publication date hint; may be empty.
  std::optional<absl::CivilDay> published;
};

class Extractor {
 public:
  // Builds an extractor over `gazetteer` (shared, must not be null).
  // INVALID_ARGUMENT when `gazetteer` is null.
  static absl::StatusOr<std::unique_ptr<Extractor>> Create(
      std::shared_ptr<const gazetteer::Gazetteer> gazetteer);

  // Extracts what `normalized_text` (NormalizeArticleText output) says.
  // Never fails and never crashes: anything unusable becomes a Warning.
  // Thread-safe; the extractor is immutable.
  v1::ArticleExtraction Extract(absl::string_view normalized_text,
                                const ArticleContext& context) const;

 private:
  explicit Extractor(std::shared_ptr<const gazetteer::Gazetteer> gazetteer)
      : gazetteer_(std::move(gazetteer)) {}

  std::shared_ptr<const gazetteer::Gazetteer> gazetteer_;
};

}  // namespace communique::extract
