#include "shared/merge/merge.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shared/merge/internal/children.h"
#include "shared/merge/internal/claims.h"
#include "shared/merge/internal/events.h"
#include "shared/merge/internal/participants.h"
#include "shared/schema/names.h"

namespace communique::merge {
namespace {

using internal::AppendAll;
using internal::AssignIds;
using internal::ChildMentions;
using internal::Claim;
using internal::DeterministicBytes;
using internal::Event;
using internal::Mention;
using internal::MergeField;
using internal::NormalizedDate;
using internal::ParseDateKey;
using internal::ParticipantItem;
using internal::Record;
using internal::SetEvidence;
using internal::Tenths;
using internal::TextKey;
using internal::ValueKind;

// Longest article slug appended to a summit id shared by several events
// (ids stay within the 128 characters names allow: org 16, body 40, date
// 10, city 32, this 20, and separators).
constexpr size_t kArticleSlugLength = 20;

// Evidence for one mention's statement of `field`: the spans of the
// mention's own field_sources entry for that field (extractors may fill it
// with one claim per stated field), else `fallback`.
std::vector<v1::Evidence> MentionFieldEvidence(
    const v1::Summit &mention, absl::string_view field, absl::string_view value,
    const google::protobuf::RepeatedPtrField<v1::Evidence> &fallback) {
  std::vector<v1::Evidence> evidence;
  for (const v1::FieldSources &sources : mention.field_sources()) {
    if (sources.field() != field)
      continue;
    for (const v1::FieldClaim &claim : sources.claims()) {
      if (claim.value() == value || sources.claims_size() == 1) {
        AppendAll(claim.evidence(), evidence);
      }
    }
  }
  if (evidence.empty())
    AppendAll(fallback, evidence);
  return evidence;
}

// ---------------------------------------------------------------------------
// Summits.

std::string VersionOf(const Mention &mention) {
  return std::max(mention.summit->extractor_version(),
                  mention.extraction->extractor_version());
}

// The canonical summit of one event, without name, declarations,
// initiatives and aliases (they need the whole cluster).
v1::Summit BuildSummit(const Event &event) {
  std::vector<Claim> organization, body, date, city, country, chair, presiding,
      documents, next_country, next_from;
  std::set<int> formats;
  std::set<std::string> topics, articles;
  std::vector<v1::Evidence> evidence, next_chair_evidence;
  std::vector<ParticipantItem> participants;
  std::string version;

  for (const Mention *mention : event.mentions) {
    const v1::Summit &m = *mention->summit;
    const std::string &article = mention->article;
    auto claim =
        [&](std::vector<Claim> &claims, absl::string_view field,
            std::string value,
            const google::protobuf::RepeatedPtrField<v1::Evidence> &fallback) {
          if (value.empty())
            return;
          std::vector<v1::Evidence> spans =
              MentionFieldEvidence(m, field, value, fallback);
          claims.push_back({article, std::move(value), std::move(spans)});
        };
    const auto &general = m.evidence();
    const auto &handover =
        m.next_chair().evidence().empty() ? general : m.next_chair().evidence();
    claim(organization, "organization", m.organization(), general);
    claim(body, "body", m.body(), general);
    claim(date, "date", schema::FormatPartialDate(mention->date), general);
    claim(city, "location.city", m.location().city(), general);
    claim(country, "location.country", m.location().country(), general);
    claim(chair, "chair_country", m.chair_country(), general);
    claim(presiding, "presiding", m.presiding(), general);
    if (m.documents_adopted_count() > 0) {
      claim(documents, "documents_adopted_count",
            absl::StrCat(m.documents_adopted_count()), general);
    }
    claim(next_country, "next_chair.country", m.next_chair().country(),
          handover);
    claim(next_from, "next_chair.from_date",
          schema::FormatPartialDate(NormalizedDate(m.next_chair().from_date())),
          handover);

    for (int format : m.formats()) {
      if (format != v1::SUMMIT_FORMAT_UNSPECIFIED)
        formats.insert(format);
    }
    for (const std::string &topic : m.topics()) {
      if (!topic.empty())
        topics.insert(topic);
    }
    for (const v1::Participant &p : m.participants()) {
      participants.push_back({article, &p});
    }
    AppendAll(m.evidence(), evidence);
    AppendAll(m.next_chair().evidence(), next_chair_evidence);
    articles.insert(article);
    version = std::max(version, VersionOf(*mention));
  }

  v1::Summit summit;
  std::vector<std::string> conflicts;
  auto *sources = summit.mutable_field_sources();
  summit.set_organization(
      Record(MergeField("organization", ValueKind::kText, organization),
             sources, &conflicts));
  summit.set_body(
      Record(MergeField("body", ValueKind::kText, body), sources, &conflicts));
  std::string date_value =
      Record(MergeField("date", ValueKind::kDate, date), sources, &conflicts);
  if (!date_value.empty())
    *summit.mutable_date() = ParseDateKey(date_value);
  std::string city_value = Record(
      MergeField("location.city", ValueKind::kText, city), sources, &conflicts);
  std::string country_value =
      Record(MergeField("location.country", ValueKind::kText, country), sources,
             &conflicts);
  if (!city_value.empty() || !country_value.empty()) {
    summit.mutable_location()->set_city(city_value);
    summit.mutable_location()->set_country(country_value);
  }
  summit.set_chair_country(
      Record(MergeField("chair_country", ValueKind::kText, chair), sources,
             &conflicts));
  summit.set_presiding(
      Record(MergeField("presiding", ValueKind::kText, presiding), sources,
             &conflicts));
  std::string documents_value = Record(
      MergeField("documents_adopted_count", ValueKind::kCount, documents),
      sources, &conflicts);
  int documents_count = 0;
  if (absl::SimpleAtoi(documents_value, &documents_count)) {
    summit.set_documents_adopted_count(documents_count);
  }
  std::string next_country_value =
      Record(MergeField("next_chair.country", ValueKind::kText, next_country),
             sources, &conflicts);
  std::string next_from_value =
      Record(MergeField("next_chair.from_date", ValueKind::kDate, next_from),
             sources, &conflicts);
  if (!next_country_value.empty() || !next_from_value.empty() ||
      !next_chair_evidence.empty()) {
    v1::NextChair *next = summit.mutable_next_chair();
    next->set_country(next_country_value);
    if (!next_from_value.empty()) {
      *next->mutable_from_date() = ParseDateKey(next_from_value);
    }
    SetEvidence(std::move(next_chair_evidence), next->mutable_evidence());
  }
  std::sort(conflicts.begin(), conflicts.end());
  for (std::string &path : conflicts)
    summit.add_conflicts(std::move(path));

  for (int format : formats) {
    summit.add_formats(static_cast<v1::SummitFormat>(format));
  }
  for (const std::string &topic : topics)
    summit.add_topics(topic);
  for (v1::Participant &p : internal::MergeParticipants(participants)) {
    *summit.add_participants() = std::move(p);
  }
  for (const std::string &article : articles) {
    summit.add_source_articles(article);
  }
  SetEvidence(std::move(evidence), summit.mutable_evidence());
  summit.set_extractor_version(version);

  bool named_participant =
      std::any_of(summit.participants().begin(), summit.participants().end(),
                  [](const v1::Participant &p) { return !p.name().empty(); });
  int tenths = 5 + (summit.date().year() != 0 ? 1 : 0) +
               (!city_value.empty() || !country_value.empty() ? 1 : 0) +
               (named_participant ? 1 : 0) + static_cast<int>(articles.size()) -
               1;
  summit.set_confidence(Tenths(tenths));
  return summit;
}

// One extraction per article: the greatest extractor_version, then the
// greatest deterministic serialization, so duplicates never depend on order.
std::vector<const v1::ArticleExtraction *>
UniqueExtractions(absl::Span<const v1::ArticleExtraction> extractions) {
  std::map<std::string, std::pair<std::string, const v1::ArticleExtraction *>>
      chosen;
  for (const v1::ArticleExtraction &extraction : extractions) {
    auto [it, inserted] = chosen.try_emplace(
        extraction.article(), DeterministicBytes(extraction), &extraction);
    if (inserted)
      continue;
    const v1::ArticleExtraction &held = *it->second.second;
    if (extraction.extractor_version() < held.extractor_version())
      continue;
    std::string bytes = DeterministicBytes(extraction);
    if (extraction.extractor_version() > held.extractor_version() ||
        bytes > it->second.first) {
      it->second = {std::move(bytes), &extraction};
    }
  }
  std::vector<const v1::ArticleExtraction *> out;
  for (const auto &[article, entry] : chosen)
    out.push_back(entry.second);
  return out;
}

// Readable, bounded slug of an article name for a summit id:
// "articles/101-azatutyun-minsk2017" -> "101-azatutyun-minsk2017".
std::string ArticleSlug(absl::string_view article) {
  absl::ConsumePrefix(&article, "articles/");
  std::string slug = schema::Slugify(article, kArticleSlugLength);
  return slug.empty() ? "article" : slug;
}

} // namespace

std::string SummitBaseId(const NamingRules &rules,
                         absl::string_view organization, absl::string_view body,
                         const v1::PartialDate &date, absl::string_view city) {
  std::string id = schema::SummitId(organization, date, city);
  if (!rules.qualify_bodies)
    return id;
  std::string org = schema::Slugify(organization);
  std::string body_slug = schema::Slugify(body, 40);
  if (body_slug.empty() || rules.principal_bodies.count(absl::StrCat(
                               org, "|", schema::Slugify(body))) > 0) {
    return id;
  }
  // SummitId starts with the organisation's slug (at most 16 characters, or
  // "unknown"); the body goes right after it.
  std::string org_part = schema::Slugify(organization, 16);
  if (org_part.empty())
    org_part = "unknown";
  return absl::StrCat(org_part, "-", body_slug, id.substr(org_part.size()));
}

std::string ClusterKey(const v1::Summit &mention) {
  int year = mention.date().year();
  return absl::StrCat(schema::Slugify(mention.organization()), "|",
                      schema::Slugify(mention.body()), "|",
                      year == 0 ? "undated" : absl::StrCat(year));
}

MergedCluster MergeCluster(absl::Span<const v1::ArticleExtraction> extractions,
                           absl::string_view cluster_key,
                           const NamingRules &rules) {
  MergedCluster result;
  std::vector<const v1::ArticleExtraction *> unique =
      UniqueExtractions(extractions);

  // Mentions of the cluster, in canonical order.
  std::vector<Mention> mentions;
  for (const v1::ArticleExtraction *extraction : unique) {
    for (const v1::Summit &summit : extraction->summits()) {
      if (ClusterKey(summit) != cluster_key)
        continue;
      mentions.push_back(internal::MakeMention(*extraction, summit));
    }
  }
  if (mentions.empty())
    return result;
  std::sort(mentions.begin(), mentions.end(), internal::MentionLess);
  std::vector<Event> events = internal::ResolveEvents(mentions);

  // Canonical summits and their names. Events whose values give the same
  // id (undated sessions in one city, year-only ones without a city, ...)
  // are told apart by their first source article's id, not by a number in
  // event order: a later article then never hands a name a client holds to
  // a different session (it can only retire the shared plain id, which the
  // store points at the record that kept its sources). AssignIds numbers
  // whatever still collides (one article's two sessions).
  std::vector<v1::Summit> summits;
  std::vector<std::pair<std::string, std::string>> summit_bases;
  std::map<std::string, int> base_count;
  for (size_t e = 0; e < events.size(); ++e) {
    summits.push_back(BuildSummit(events[e]));
    const v1::Summit &s = summits.back();
    summit_bases.emplace_back(SummitBaseId(rules, s.organization(), s.body(),
                                           s.date(), s.location().city()),
                              absl::StrFormat("%06d", e));
    ++base_count[summit_bases.back().first];
  }
  for (size_t e = 0; e < events.size(); ++e) {
    std::string &base = summit_bases[e].first;
    if (base_count[base] > 1)
      base = absl::StrCat(base, "-", ArticleSlug(*events[e].articles.begin()));
  }
  std::vector<std::string> summit_ids = AssignIds(summit_bases);
  std::set<std::string> canonical_names;
  for (size_t e = 0; e < events.size(); ++e) {
    summits[e].set_name(schema::SummitName(summit_ids[e]));
    canonical_names.insert(summits[e].name());
  }
  // Aliases: the names each source alone would have given the event (what a
  // store may have held before the other sources arrived). A name two events
  // would claim points at neither: it is ambiguous.
  std::vector<std::set<std::string>> aliases(events.size());
  std::map<std::string, int> claimants;
  for (size_t e = 0; e < events.size(); ++e) {
    for (const Mention *mention : events[e].mentions) {
      std::string alias = schema::SummitName(SummitBaseId(
          rules, mention->summit->organization(), mention->summit->body(),
          mention->date, mention->summit->location().city()));
      if (canonical_names.count(alias) == 0 &&
          aliases[e].insert(alias).second) {
        ++claimants[alias];
      }
    }
  }
  for (size_t e = 0; e < events.size(); ++e) {
    for (const std::string &alias : aliases[e]) {
      if (claimants[alias] == 1)
        summits[e].add_aliases(alias);
    }
  }

  // Which event each (article, provisional summit name) resolved to. A
  // child whose `summit` is empty or unknown belongs to the extraction's
  // only summit, when it has exactly one.
  std::map<const v1::Summit *, size_t> event_of;
  for (size_t e = 0; e < events.size(); ++e) {
    for (const Mention *mention : events[e].mentions) {
      event_of[mention->summit] = e;
    }
  }
  auto find_event = [&](const v1::ArticleExtraction &extraction,
                        absl::string_view summit_name) -> int {
    for (const v1::Summit &summit : extraction.summits()) {
      if (!summit_name.empty() && summit.name() == summit_name) {
        auto it = event_of.find(&summit);
        return it == event_of.end() ? -1 : static_cast<int>(it->second);
      }
    }
    if (extraction.summits_size() == 1) {
      auto it = event_of.find(&extraction.summits(0));
      return it == event_of.end() ? -1 : static_cast<int>(it->second);
    }
    return -1;
  };

  std::vector<ChildMentions> children(events.size());
  for (const v1::ArticleExtraction *extraction : unique) {
    for (const v1::Declaration &d : extraction->declarations()) {
      int e = find_event(*extraction, d.summit());
      if (e >= 0)
        children[e].declarations.push_back({extraction->article(), &d});
    }
    for (const v1::Initiative &i : extraction->initiatives()) {
      int e = find_event(*extraction, i.summit());
      if (e >= 0)
        children[e].initiatives.push_back({extraction->article(), &i});
    }
  }
  for (size_t e = 0; e < events.size(); ++e) {
    internal::MergeChildren(children[e], summits[e], result.declarations,
                            result.initiatives);
  }

  result.summits = std::move(summits);
  auto by_name = [](const auto &a, const auto &b) {
    return a.name() < b.name();
  };
  std::sort(result.summits.begin(), result.summits.end(), by_name);
  std::sort(result.declarations.begin(), result.declarations.end(), by_name);
  std::sort(result.initiatives.begin(), result.initiatives.end(), by_name);
  return result;
}

} // namespace communique::merge
