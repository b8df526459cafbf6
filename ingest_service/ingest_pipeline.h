// The ingest pipeline: validate -> normalise -> extract -> merge the
// affected clusters -> one atomic store commit. Policy for the write side,
// independent of gRPC so it is tested directly. Thread-safe: commits are
// serialised (the ingest service is the single writer).
#pragma once

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "communique/v1/ingest_service.pb.h"
#include "shared/extract/extractor.h"
#include "shared/store/ingest_store.h"

namespace communique::ingest {

class IngestPipeline {
 public:
  using Clock = std::function<absl::Time()>;

  // `store` and `extractor` are not owned and must outlive the pipeline.
  IngestPipeline(store::IngestStore* store, const extract::Extractor* extractor,
                 Clock clock = absl::Now)
      : store_(store), extractor_(extractor), clock_(std::move(clock)) {}

  // Stores the article and the records derived from it, atomically.
  // INVALID_ARGUMENT naming the field for bad input (nothing stored);
  // UNAVAILABLE / RESOURCE_EXHAUSTED for storage trouble (nothing stored).
  // Re-ingesting identical content is UNCHANGED and writes nothing.
  absl::StatusOr<v1::IngestArticleResponse> Ingest(
      const v1::ArticleInput& input) ABSL_LOCKS_EXCLUDED(mu_);

  // Normalises and extracts without storing anything.
  absl::StatusOr<v1::ParseArticleResponse> Parse(
      const v1::ArticleInput& input) const;

 private:
  // The article as it would be stored, and its extraction.
  absl::StatusOr<v1::ParseArticleResponse> Prepare(
      const v1::ArticleInput& input) const;

  store::IngestStore* store_;
  const extract::Extractor* extractor_;
  Clock clock_;
  absl::Mutex mu_;
};

}  // namespace communique::ingest
