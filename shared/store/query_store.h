// Read side of the record store, owned by a query replica. Thread-safe:
// share one instance per process.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "communique/v1/change_feed.pb.h"
#include "communique/v1/declaration.pb.h"
#include "communique/v1/initiative.pb.h"
#include "communique/v1/query_service.pb.h"
#include "communique/v1/summit.pb.h"
#include "shared/store/record_store.h"

namespace communique::store {

// What ListSummits asks of the store. Page size is already validated.
struct SummitQuery {
  v1::SummitFilter filter;
  bool ascending = false;
  int page_size = 50;
  std::string resume_after;
};

// Read side, owned by a query replica.
class QueryStore {
 public:
  virtual ~QueryStore() = default;

  // Sequence of the last change event applied (0 for a new store).
  virtual uint64_t AppliedSequence() const = 0;
  // Applies consecutive events (the first must be AppliedSequence() + 1)
  // and moves the watermark, in one atomic batch. FAILED_PRECONDITION on a
  // gap; UNAVAILABLE on I/O errors (then nothing was applied).
  virtual absl::Status ApplyChanges(
      const std::vector<v1::ChangeEvent>& events) = 0;

  // The summit `name`, following aliases left by merges. NOT_FOUND.
  virtual absl::StatusOr<v1::Summit> GetSummit(
      absl::string_view name) const = 0;
  // Summits matching the filter, by date, from the secondary indexes.
  virtual absl::StatusOr<Page<v1::Summit>> ListSummits(
      const SummitQuery& query) const = 0;
  // The declaration `name`. NOT_FOUND.
  virtual absl::StatusOr<v1::Declaration> GetDeclaration(
      absl::string_view name) const = 0;
  // Declarations under `summit_name` ("" for all) in name order.
  virtual absl::StatusOr<Page<v1::Declaration>> ListDeclarations(
      absl::string_view summit_name, v1::DeclarationKind kind, int page_size,
      absl::string_view resume_after) const = 0;
  // The initiative `name`. NOT_FOUND.
  virtual absl::StatusOr<v1::Initiative> GetInitiative(
      absl::string_view name) const = 0;
  // Initiatives under `summit_name` ("" for all) in name order.
  virtual absl::StatusOr<Page<v1::Initiative>> ListInitiatives(
      absl::string_view summit_name, absl::string_view proposer_country,
      int page_size, absl::string_view resume_after) const = 0;
};

// Opens (creating if needed) a query replica's store in `dir`.
absl::StatusOr<std::unique_ptr<QueryStore>> OpenQueryStore(
    const std::string& dir, const StoreOptions& options);

}  // namespace communique::store
