#include "cli/records.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "shared/schema/names.h"

namespace communique::cli {
namespace {

struct Column {
  const char* name;
  const char* help;
};

const std::vector<Column>& Columns(Collection collection) {
  static const auto* summits = new std::vector<Column>{
      {"name", "resource name, summits/{id}"},
      {"organization", "organisation acronym (CSTO)"},
      {"body", "the body that met (Collective Security Council)"},
      {"date", "YYYY-MM-DD, YYYY-MM or YYYY as precise as the sources"},
      {"city", "city"},
      {"country", "host country"},
      {"formats", "narrow, expanded, videoconference, in_person"},
      {"chair_country", "country chairing the session"},
      {"presiding", "person presiding"},
      {"participant_count", "people named as taking part"},
      {"participant_countries", "countries they represent"},
      {"next_chair_country", "country taking over the chairmanship"},
      {"next_chair_from", "from when (date)"},
      {"documents_adopted_count", "documents adopted, as reported"},
      {"topics", "topics (gazetteer vocabulary)"},
      {"declarations", "names of its declarations"},
      {"initiatives", "names of its initiatives"},
      {"conflicts", "fields on which sources disagree"},
      {"source_articles", "articles the record is built from"},
      {"confidence", "0-1, how well the sources support the record"},
      {"update_time", "last change, RFC 3339 UTC"},
  };
  static const auto* declarations = new std::vector<Column>{
      {"name", "summits/{summit}/declarations/{id}"},
      {"summit", "the summit's name"},
      {"title", "title of the document"},
      {"kind", "declaration, statement, protocol, agreement, ..."},
      {"status", "adopted, signed, approved, supported, proposed"},
      {"subject", "what it is about"},
      {"source_articles", "articles the record is built from"},
      {"confidence", "0-1"},
  };
  static const auto* initiatives = new std::vector<Column>{
      {"name", "summits/{summit}/initiatives/{id}"},
      {"summit", "the summit's name"},
      {"title", "short title"},
      {"summary", "what was proposed"},
      {"proposer_name", "person proposing"},
      {"proposer_person_id", "gazetteer id of that person"},
      {"proposer_country", "country proposing"},
      {"proposer_organization", "organisation proposing"},
      {"status", "proposed, supported, adopted, implemented"},
      {"topics", "topics (gazetteer vocabulary)"},
      {"source_articles", "articles the record is built from"},
      {"confidence", "0-1"},
  };
  static const auto* participants = new std::vector<Column>{
      {"summit", "the summit's name"},
      {"summit_date", "the summit's date"},
      {"summit_organization", "the summit's organisation"},
      {"name", "the person's name as reported"},
      {"person_id", "gazetteer id (empty when unknown)"},
      {"role", "role at the time (President, Prime Minister, ...)"},
      {"country", "country represented"},
      {"organization", "organisation represented (its officials)"},
      {"remote", "took part remotely: true/false"},
      {"source_articles", "articles that name the person there"},
      {"summit_confidence", "0-1, the summit record's confidence"},
  };
  static const auto* chairmanships = new std::vector<Column>{
      {"organization", "organisation acronym"},
      {"country", "chairing country"},
      {"start_date", "start (date)"},
      {"end_date", "end (date; empty while current)"},
      {"chaired_summits", "summits it chaired"},
      {"handover_summit", "summit where it was handed over"},
  };
  switch (collection) {
    case Collection::kSummits:
      return *summits;
    case Collection::kDeclarations:
      return *declarations;
    case Collection::kInitiatives:
      return *initiatives;
    case Collection::kParticipants:
      return *participants;
    case Collection::kChairmanships:
      return *chairmanships;
  }
  return *summits;
}

std::vector<std::string> Strings(
    const google::protobuf::RepeatedPtrField<std::string>& items) {
  return {items.begin(), items.end()};
}

std::string TimeText(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "";
  return google::protobuf::util::TimeUtil::ToString(time);
}

}  // namespace

std::vector<std::string> ExportColumns(Collection collection) {
  std::vector<std::string> names;
  for (const Column& c : Columns(collection)) names.push_back(c.name);
  return names;
}

std::string ExportColumnsHelp(Collection collection) {
  std::string out;
  for (const Column& c : Columns(collection)) {
    std::string name = c.name;
    absl::StrAppend(&out, "  ", name,
                    std::string(name.size() < 24 ? 24 - name.size() : 1, ' '),
                    c.help, "\n");
  }
  return out;
}

std::string DateText(const v1::PartialDate& date) {
  return schema::FormatPartialDate(date);
}

std::string EnumText(const std::string& full_name, absl::string_view prefix) {
  if (!absl::StartsWith(full_name, prefix))
    return absl::AsciiStrToLower(full_name);
  std::string value = absl::AsciiStrToLower(full_name.substr(prefix.size()));
  return value == "unspecified" ? "" : value;
}

Row SummitRow(const v1::Summit& s) {
  std::vector<std::string> formats;
  for (int f : s.formats()) {
    formats.push_back(EnumText(v1::SummitFormat_Name(f), "SUMMIT_FORMAT_"));
  }
  std::vector<std::string> countries;
  std::set<std::string> seen;
  for (const v1::Participant& p : s.participants()) {
    if (!p.country().empty() && seen.insert(p.country()).second) {
      countries.push_back(p.country());
    }
  }
  return {
      Cell::Text(s.name()),
      Cell::Text(s.organization()),
      Cell::Text(s.body()),
      Cell::Text(DateText(s.date())),
      Cell::Text(s.location().city()),
      Cell::Text(s.location().country()),
      Cell::List(std::move(formats)),
      Cell::Text(s.chair_country()),
      Cell::Text(s.presiding()),
      Cell::Number(int64_t{s.participants_size()}),
      Cell::List(std::move(countries)),
      Cell::Text(s.next_chair().country()),
      Cell::Text(DateText(s.next_chair().from_date())),
      Cell::Number(int64_t{s.documents_adopted_count()}),
      Cell::List(Strings(s.topics())),
      Cell::List(Strings(s.declarations())),
      Cell::List(Strings(s.initiatives())),
      Cell::List(Strings(s.conflicts())),
      Cell::List(Strings(s.source_articles())),
      Cell::Number(s.confidence()),
      Cell::Text(TimeText(s.update_time())),
  };
}

Row DeclarationRow(const v1::Declaration& d) {
  return {
      Cell::Text(d.name()),
      Cell::Text(d.summit()),
      Cell::Text(d.title()),
      Cell::Text(
          EnumText(v1::DeclarationKind_Name(d.kind()), "DECLARATION_KIND_")),
      Cell::Text(EnumText(v1::DeclarationStatus_Name(d.status()),
                          "DECLARATION_STATUS_")),
      Cell::Text(d.subject()),
      Cell::List(Strings(d.source_articles())),
      Cell::Number(d.confidence()),
  };
}

Row InitiativeRow(const v1::Initiative& i) {
  return {
      Cell::Text(i.name()),
      Cell::Text(i.summit()),
      Cell::Text(i.title()),
      Cell::Text(i.summary()),
      Cell::Text(i.proposer().name()),
      Cell::Text(i.proposer().person_id()),
      Cell::Text(i.proposer().country()),
      Cell::Text(i.proposer().organization()),
      Cell::Text(EnumText(v1::InitiativeStatus_Name(i.status()),
                          "INITIATIVE_STATUS_")),
      Cell::List(Strings(i.topics())),
      Cell::List(Strings(i.source_articles())),
      Cell::Number(i.confidence()),
  };
}

std::vector<Row> ParticipantRows(const v1::Summit& s) {
  std::vector<Row> rows;
  for (const v1::Participant& p : s.participants()) {
    std::vector<std::string> articles;
    std::set<std::string> seen;
    for (const v1::Evidence& e : p.evidence()) {
      if (!e.article().empty() && seen.insert(e.article()).second) {
        articles.push_back(e.article());
      }
    }
    rows.push_back({
        Cell::Text(s.name()),
        Cell::Text(DateText(s.date())),
        Cell::Text(s.organization()),
        Cell::Text(p.name()),
        Cell::Text(p.person_id()),
        Cell::Text(p.role()),
        Cell::Text(p.country()),
        Cell::Text(p.organization()),
        Cell::Bool(p.remote()),
        Cell::List(std::move(articles)),
        Cell::Number(s.confidence()),
    });
  }
  return rows;
}

Row ChairmanshipRow(const v1::Chairmanship& c) {
  return {
      Cell::Text(c.organization()),
      Cell::Text(c.country()),
      Cell::Text(DateText(c.start_date())),
      Cell::Text(DateText(c.end_date())),
      Cell::List(Strings(c.chaired_summits())),
      Cell::Text(c.handover_summit()),
  };
}

std::vector<std::string> TableColumns(Collection collection) {
  switch (collection) {
    case Collection::kSummits:
      return {"name",
              "date",
              "organization",
              "city",
              "country",
              "participant_count",
              "documents_adopted_count"};
    case Collection::kDeclarations:
      return {"name", "kind", "status", "title"};
    case Collection::kInitiatives:
      return {"name", "proposer_country", "status", "title"};
    case Collection::kParticipants:
      return {"summit", "name", "role", "country"};
    case Collection::kChairmanships:
      return ExportColumns(collection);
  }
  return ExportColumns(collection);
}

Row TableCells(Collection collection, const Row& full_row) {
  const std::vector<std::string> all = ExportColumns(collection);
  Row out;
  for (const std::string& name : TableColumns(collection)) {
    for (size_t i = 0; i < all.size() && i < full_row.size(); ++i) {
      if (all[i] == name) out.push_back(full_row[i]);
    }
  }
  return out;
}

}  // namespace communique::cli
