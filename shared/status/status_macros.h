// Propagation macros for absl::Status / absl::StatusOr, used everywhere.
// Our Abseil (20220623) has none of its own.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define COMMUNIQUE_STATUS_CONCAT_INNER(a, b) a##b
#define COMMUNIQUE_STATUS_CONCAT(a, b) COMMUNIQUE_STATUS_CONCAT_INNER(a, b)

// Returns from the current function if `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                         \
  do {                                                \
    ::absl::Status _communique_status = (expr);       \
    if (!_communique_status.ok()) return _communique_status; \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>);
// on error returns its status, else assigns the value to `lhs` (which may
// be a declaration such as `auto x`).
#define ASSIGN_OR_RETURN(lhs, expr)                                         \
  ASSIGN_OR_RETURN_IMPL(                                                    \
      COMMUNIQUE_STATUS_CONCAT(_communique_statusor_, __LINE__), lhs, expr)

#define ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                          \
  if (!statusor.ok()) return statusor.status();    \
  lhs = *std::move(statusor)
