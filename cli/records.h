// Records as rows: the columns of `communique export` (and of lists in
// --format=csv) and the shorter columns of lists as tables. One row per
// summit, declaration, initiative or chairmanship; participants one row
// per person per summit. Lists are cells of kind kList (joined with ";" in
// CSV, arrays in JSON Lines). Provenance columns: source_articles and
// confidence. Pure; used by cli/ commands, unit-tested in records_test.cc.
#pragma once

#include <string>
#include <vector>

#include "cli/output.h"
#include "communique/v1/query_service.pb.h"

namespace communique::cli {

// What a set of columns describes.
enum class Collection {
  kSummits,
  kDeclarations,
  kInitiatives,
  kParticipants,
  kChairmanships,
};

// Column names, in order ("name", "organization", ...).
std::vector<std::string> ExportColumns(Collection collection);
// Help text: one line per column, "  name  what it holds".
std::string ExportColumnsHelp(Collection collection);

// Full rows (ExportColumns order).
Row SummitRow(const v1::Summit& summit);
Row DeclarationRow(const v1::Declaration& declaration);
Row InitiativeRow(const v1::Initiative& initiative);
// One row per participant of `summit` (none when it lists nobody).
std::vector<Row> ParticipantRows(const v1::Summit& summit);
Row ChairmanshipRow(const v1::Chairmanship& chairmanship);

// The columns a table shows (a subset of ExportColumns), and the matching
// cells of a full row.
std::vector<std::string> TableColumns(Collection collection);
Row TableCells(Collection collection, const Row& full_row);

// "2024-11-28", "2024-11", "2024" or "" for an unknown date.
std::string DateText(const v1::PartialDate& date);
// Lower-case enum value without its prefix: DECLARATION_KIND_STATEMENT ->
// "statement"; "" for UNSPECIFIED.
std::string EnumText(const std::string& full_name, absl::string_view prefix);

}  // namespace communique::cli
