#include "cli/records.h"

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::cli {
namespace {

v1::Summit Astana() {
  v1::Summit s;
  s.set_name("summits/csto-2024-11-28-astana");
  s.set_organization("CSTO");
  s.mutable_date()->set_year(2024);
  s.mutable_date()->set_month(11);
  s.mutable_date()->set_day(28);
  s.mutable_location()->set_city("Astana");
  s.mutable_location()->set_country("Kazakhstan");
  s.add_formats(v1::SUMMIT_FORMAT_NARROW);
  s.add_topics("terrorism");
  s.add_topics("security");
  s.add_source_articles("articles/a");
  s.add_source_articles("articles/b");
  s.set_confidence(0.9);
  v1::Participant* p = s.add_participants();
  p->set_name("Vladimir Putin");
  p->set_person_id("vladimir-putin");
  p->set_role("President");
  p->set_country("Russia");
  p->add_evidence()->set_article("articles/a");
  p->add_evidence()->set_article("articles/a");
  v1::Participant* q = s.add_participants();
  q->set_name("Nikol Pashinyan");
  q->set_country("Armenia");
  q->set_remote(true);
  return s;
}

std::string TextAt(Collection c, const Row& row, const std::string& column) {
  const auto columns = ExportColumns(c);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == column) {
      return row[i].kind == Cell::Kind::kList ? absl::StrJoin(row[i].list, ";")
                                              : row[i].text;
    }
  }
  return "<no column " + column + ">";
}

TEST(RecordsTest, EveryRowHasOneCellPerColumn) {
  EXPECT_EQ(SummitRow(Astana()).size(),
            ExportColumns(Collection::kSummits).size());
  EXPECT_EQ(DeclarationRow({}).size(),
            ExportColumns(Collection::kDeclarations).size());
  EXPECT_EQ(InitiativeRow({}).size(),
            ExportColumns(Collection::kInitiatives).size());
  EXPECT_EQ(ParticipantRows(Astana())[0].size(),
            ExportColumns(Collection::kParticipants).size());
  EXPECT_EQ(ChairmanshipRow({}).size(),
            ExportColumns(Collection::kChairmanships).size());
  for (Collection c : {Collection::kSummits, Collection::kDeclarations,
                       Collection::kInitiatives, Collection::kParticipants,
                       Collection::kChairmanships}) {
    EXPECT_EQ(TableCells(c, Row(ExportColumns(c).size())).size(),
              TableColumns(c).size());
  }
}

TEST(RecordsTest, SummitRowCarriesProvenanceAndLists) {
  Row row = SummitRow(Astana());
  EXPECT_EQ(TextAt(Collection::kSummits, row, "date"), "2024-11-28");
  EXPECT_EQ(TextAt(Collection::kSummits, row, "formats"), "narrow");
  EXPECT_EQ(TextAt(Collection::kSummits, row, "topics"), "terrorism;security");
  EXPECT_EQ(TextAt(Collection::kSummits, row, "source_articles"),
            "articles/a;articles/b");
  EXPECT_EQ(TextAt(Collection::kSummits, row, "confidence"), "0.9");
  EXPECT_EQ(TextAt(Collection::kSummits, row, "participant_countries"),
            "Russia;Armenia");
  EXPECT_EQ(TextAt(Collection::kSummits, row, "participant_count"), "2");
}

TEST(RecordsTest, OneParticipantRowPerPerson) {
  std::vector<Row> rows = ParticipantRows(Astana());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(TextAt(Collection::kParticipants, rows[0], "summit"),
            "summits/csto-2024-11-28-astana");
  EXPECT_EQ(TextAt(Collection::kParticipants, rows[0], "person_id"),
            "vladimir-putin");
  EXPECT_EQ(TextAt(Collection::kParticipants, rows[0], "source_articles"),
            "articles/a");
  EXPECT_EQ(TextAt(Collection::kParticipants, rows[1], "remote"), "true");
  EXPECT_EQ(TextAt(Collection::kParticipants, rows[1], "summit_confidence"),
            "0.9");
}

TEST(RecordsTest, EnumsPrintAsLowerCaseWithoutPrefix) {
  v1::Declaration d;
  d.set_kind(v1::DECLARATION_KIND_STATEMENT);
  Row row = DeclarationRow(d);
  EXPECT_EQ(TextAt(Collection::kDeclarations, row, "kind"), "statement");
  EXPECT_EQ(TextAt(Collection::kDeclarations, row, "status"), "");
}

}  // namespace
}  // namespace communique::cli
