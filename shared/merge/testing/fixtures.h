// Builders of summit mentions and extractions for the merge's tests
// (merge_test.cc, merge_policy_test.cc). Test-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "communique/v1/article.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "shared/merge/merge.h"
#include "shared/schema/names.h"

namespace communique::merge::testing {

inline constexpr char kCsc[] = "Collective Security Council";
inline constexpr char kAstanaKey[] = "csto|collective-security-council|2024";

// ---------------------------------------------------------------------------
// Fixture builders.

inline v1::Evidence Ev(const std::string &article, uint32_t begin,
                       const std::string &quote) {
  v1::Evidence evidence;
  evidence.set_article(article);
  evidence.set_begin(begin);
  evidence.set_end(begin + static_cast<uint32_t>(quote.size()));
  evidence.set_quote(quote);
  return evidence;
}

inline v1::PartialDate Date(int year, int month = 0, int day = 0) {
  v1::PartialDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  date.set_precision(day != 0     ? v1::DATE_PRECISION_DAY
                     : month != 0 ? v1::DATE_PRECISION_MONTH
                                  : v1::DATE_PRECISION_YEAR);
  return date;
}

inline v1::Summit Mention(const std::string &article,
                          const v1::PartialDate &date, const std::string &city,
                          const std::string &body = kCsc,
                          const std::string &organization = "CSTO") {
  v1::Summit summit;
  summit.set_organization(organization);
  summit.set_body(body);
  *summit.mutable_date() = date;
  summit.set_name(
      schema::SummitName(schema::SummitId(organization, date, city)));
  if (!city.empty())
    summit.mutable_location()->set_city(city);
  *summit.add_evidence() = Ev(article, 0, "The session of the " + body);
  return summit;
}

inline v1::Participant Person(const std::string &article, uint32_t begin,
                              const std::string &name,
                              const std::string &person_id,
                              const std::string &role,
                              const std::string &country) {
  v1::Participant participant;
  participant.set_name(name);
  participant.set_person_id(person_id);
  participant.set_role(role);
  participant.set_country(country);
  *participant.add_evidence() =
      Ev(article, begin, name.empty() ? role + " of " + country : name);
  return participant;
}

inline v1::Declaration Document(const std::string &article,
                                const v1::Summit &summit,
                                const std::string &title,
                                v1::DeclarationKind kind,
                                v1::DeclarationStatus status, uint32_t begin) {
  v1::Declaration declaration;
  declaration.set_name(
      schema::DeclarationName(summit.name(), schema::Slugify(title)));
  declaration.set_summit(summit.name());
  declaration.set_title(title);
  declaration.set_kind(kind);
  declaration.set_status(status);
  *declaration.add_evidence() = Ev(article, begin, title);
  return declaration;
}

inline v1::Initiative Proposal(const std::string &article,
                               const v1::Summit &summit,
                               const std::string &title,
                               const std::string &summary,
                               const std::string &country, uint32_t begin) {
  v1::Initiative initiative;
  initiative.set_summit(summit.name());
  initiative.set_title(title);
  initiative.set_summary(summary);
  initiative.mutable_proposer()->set_country(country);
  initiative.set_status(v1::INITIATIVE_STATUS_PROPOSED);
  *initiative.add_evidence() = Ev(article, begin, summary);
  return initiative;
}

inline v1::ArticleExtraction
Extraction(const std::string &article, std::vector<v1::Summit> summits,
           const std::string &version = "extract-1") {
  v1::ArticleExtraction extraction;
  extraction.set_article(article);
  extraction.set_extractor_version(version);
  for (v1::Summit &summit : summits) {
    *extraction.add_summits() = std::move(summit);
  }
  return extraction;
}

inline std::string Bytes(const google::protobuf::MessageLite &message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

inline std::string Bytes(const MergedCluster &cluster) {
  std::string out;
  for (const auto &s : cluster.summits)
    out += "S" + Bytes(s);
  for (const auto &d : cluster.declarations)
    out += "D" + Bytes(d);
  for (const auto &i : cluster.initiatives)
    out += "I" + Bytes(i);
  return out;
}

inline const v1::FieldSources *SourcesOf(const v1::Summit &summit,
                                         const std::string &field) {
  for (const v1::FieldSources &sources : summit.field_sources()) {
    if (sources.field() == field)
      return &sources;
  }
  return nullptr;
}

inline std::vector<std::string> ClaimValues(const v1::FieldSources &sources) {
  std::vector<std::string> values;
  for (const v1::FieldClaim &claim : sources.claims()) {
    values.push_back(claim.value());
  }
  return values;
}

inline std::vector<std::string> Names(const std::vector<v1::Summit> &summits) {
  std::vector<std::string> names;
  for (const auto &s : summits)
    names.push_back(s.name());
  return names;
}

} // namespace communique::merge::testing
