#include "shared/merge/merge.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "shared/merge/internal/text_keys.h"
#include "shared/schema/names.h"

namespace communique::merge {
namespace {

using internal::ContentWords;
using internal::Jaccard;
using internal::RoleFamily;
using internal::SharedWords;
using internal::WordKey;

// Two declaration titles of the same kind name one document when their
// content-word sets have a Jaccard similarity of at least this. 0.75 lets
// one extra or missing word through for titles of four or more content
// words ("Declaration of the [CSTO] Collective Security Council") but not
// two, and never merges two-word titles that differ.
constexpr double kDeclarationTitleSimilarity = 0.75;
// Two initiatives of the same proposer are one proposal when their content
// words (title + summary, without the proposer's own name words and
// proposal verbs) share at least kInitiativeMinSharedWords words and the
// shared words are at least this fraction of the smaller set.
constexpr double kInitiativeOverlap = 0.5;
constexpr size_t kInitiativeMinSharedWords = 2;

// ---------------------------------------------------------------------------
// Small helpers.

std::string DeterministicBytes(const google::protobuf::MessageLite &message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

// Key under which two spellings of a name compare equal: the slug
// ("Nur-Sultan" == "Nur Sultan" == "nur-sultan"); for text without any
// ASCII letters (e.g. Cyrillic) the lowercased text itself.
std::string TextKey(absl::string_view value) {
  std::string slug = schema::Slugify(value, value.size() + 1);
  if (!slug.empty())
    return slug;
  return internal::LowerText(absl::StripAsciiWhitespace(value));
}

// A date with consistent parts and precision: parts after an unknown part
// are dropped, out-of-range months/days count as unknown.
v1::PartialDate NormalizedDate(const v1::PartialDate &date) {
  v1::PartialDate out;
  if (date.year() == 0)
    return out;
  out.set_year(date.year());
  out.set_precision(v1::DATE_PRECISION_YEAR);
  if (date.month() < 1 || date.month() > 12)
    return out;
  out.set_month(date.month());
  out.set_precision(v1::DATE_PRECISION_MONTH);
  if (date.day() < 1 || date.day() > 31)
    return out;
  out.set_day(date.day());
  out.set_precision(v1::DATE_PRECISION_DAY);
  return out;
}

int Precision(const v1::PartialDate &date) {
  return date.year() == 0 ? 0 : date.month() == 0 ? 1 : date.day() == 0 ? 2 : 3;
}

// Two (normalised) dates can describe the same day: equal wherever both are
// known. An unknown date is compatible with every date.
bool DatesCompatible(const v1::PartialDate &a, const v1::PartialDate &b) {
  if (a.year() == 0 || b.year() == 0)
    return true;
  if (a.year() != b.year())
    return false;
  if (a.month() != 0 && b.month() != 0 && a.month() != b.month())
    return false;
  if (a.day() != 0 && b.day() != 0 && a.day() != b.day())
    return false;
  return true;
}

// Inverse of schema::FormatPartialDate for the values this file produces.
v1::PartialDate ParseDateKey(absl::string_view key) {
  v1::PartialDate date;
  std::vector<absl::string_view> parts = absl::StrSplit(key, '-');
  int value = 0;
  if (parts.size() >= 1 && absl::SimpleAtoi(parts[0], &value)) {
    date.set_year(value);
  }
  if (parts.size() >= 2 && absl::SimpleAtoi(parts[1], &value)) {
    date.set_month(value);
  }
  if (parts.size() >= 3 && absl::SimpleAtoi(parts[2], &value)) {
    date.set_day(value);
  }
  return NormalizedDate(date);
}

auto EvidenceKey(const v1::Evidence &e) {
  return std::make_tuple(absl::string_view(e.article()), e.begin(), e.end(),
                         absl::string_view(e.quote()));
}

bool EvidenceLess(const v1::Evidence &a, const v1::Evidence &b) {
  return EvidenceKey(a) < EvidenceKey(b);
}

bool EvidenceEqual(const v1::Evidence &a, const v1::Evidence &b) {
  return EvidenceKey(a) == EvidenceKey(b);
}

// Sorts by (article, begin, end, quote) and drops repeats.
void SortEvidence(std::vector<v1::Evidence> &evidence) {
  std::sort(evidence.begin(), evidence.end(), EvidenceLess);
  evidence.erase(std::unique(evidence.begin(), evidence.end(), EvidenceEqual),
                 evidence.end());
}

template <typename Repeated>
void AppendAll(const Repeated &from, std::vector<v1::Evidence> &to) {
  to.insert(to.end(), from.begin(), from.end());
}

template <typename Repeated>
void SetEvidence(std::vector<v1::Evidence> evidence, Repeated *to) {
  SortEvidence(evidence);
  to->Clear();
  for (v1::Evidence &e : evidence)
    *to->Add() = std::move(e);
}

// Confidence from integer tenths, so that no floating-point summation order
// can change the bytes.
double Tenths(int tenths) {
  return static_cast<double>(std::clamp(tenths, 0, 10)) / 10.0;
}

// A value stated by several articles: the value with the most distinct
// supporting articles wins, then the smallest value. Empty values are not
// statements and are skipped. Returns "" when nothing is stated.
std::string PickBySupport(
    const std::vector<std::pair<std::string, std::string>> &article_values) {
  std::map<std::string, std::set<std::string>> support;
  for (const auto &[article, value] : article_values) {
    if (!value.empty())
      support[value].insert(article);
  }
  std::string best;
  size_t best_support = 0;
  for (const auto &[value, articles] : support) { // ascending by value
    if (articles.size() > best_support) {
      best = value;
      best_support = articles.size();
    }
  }
  return best;
}

// Gives each record an id unique among `bases`: records are taken in order
// of (base, order_key); the first with a base keeps it, later ones get
// "{base}-2", "{base}-3", ... skipping ids that are taken.
std::vector<std::string> AssignIds(
    const std::vector<std::pair<std::string, std::string>> &base_and_order) {
  std::vector<size_t> order(base_and_order.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return base_and_order[a] < base_and_order[b];
  });
  std::vector<std::string> ids(base_and_order.size());
  std::set<std::string> used;
  std::vector<size_t> collided;
  for (size_t i : order) {
    if (used.insert(base_and_order[i].first).second) {
      ids[i] = base_and_order[i].first;
    } else {
      collided.push_back(i);
    }
  }
  for (size_t i : collided) {
    for (int n = 2;; ++n) {
      std::string candidate = absl::StrCat(base_and_order[i].first, "-", n);
      if (used.insert(candidate).second) {
        ids[i] = std::move(candidate);
        break;
      }
    }
  }
  return ids;
}

// ---------------------------------------------------------------------------
// Scalar fields and their provenance.

enum class ValueKind {
  kText,  // names; spellings with the same TextKey are one claim
  kCount, // decimal integers, compared numerically
  kDate,  // "YYYY[-MM[-DD]]"; more precise wins, prefixes are compatible
};

// One article's statement of one field.
struct Claim {
  std::string article;
  std::string value;
  std::vector<v1::Evidence> evidence;
};

struct FieldMerge {
  std::string value; // the chosen value; "" when no article states one
  v1::FieldSources sources;
};

struct ClaimGroup {
  std::string value; // display value: the most supported spelling
  std::map<std::string, std::set<std::string>> spellings;
  std::set<std::string> articles;
  std::vector<v1::Evidence> evidence;
  int precision = 0;
  int64_t number = 0;
};

bool ValueLess(ValueKind kind, const ClaimGroup &a, const ClaimGroup &b) {
  if (kind == ValueKind::kCount && a.number != b.number) {
    return a.number < b.number;
  }
  return a.value < b.value;
}

bool DateKeysCompatible(absl::string_view a, absl::string_view b) {
  return absl::StartsWith(a, b) || absl::StartsWith(b, a);
}

// Merges every article's claim on `field`: the chosen value is the most
// precise (dates only), then the one with most distinct articles, then the
// smallest. Claims are listed chosen first, then by support (descending) and
// value. The field is disputed when two claims are incompatible (different
// names or counts; dates that differ where both are known) and `disputable`.
FieldMerge MergeField(absl::string_view field, ValueKind kind,
                      const std::vector<Claim> &claims,
                      bool disputable = true) {
  std::map<std::string, ClaimGroup> groups;
  for (const Claim &claim : claims) {
    if (claim.value.empty())
      continue;
    std::string key =
        kind == ValueKind::kText ? TextKey(claim.value) : claim.value;
    ClaimGroup &group = groups[key];
    group.spellings[claim.value].insert(claim.article);
    group.articles.insert(claim.article);
    group.evidence.insert(group.evidence.end(), claim.evidence.begin(),
                          claim.evidence.end());
  }
  FieldMerge result;
  if (groups.empty())
    return result;
  std::vector<ClaimGroup *> order;
  for (auto &[key, group] : groups) {
    size_t best_support = 0;
    for (const auto &[spelling, articles] : group.spellings) {
      if (articles.size() > best_support) {
        group.value = spelling;
        best_support = articles.size();
      }
    }
    if (kind == ValueKind::kDate) {
      group.precision = Precision(ParseDateKey(group.value));
    }
    if (kind == ValueKind::kCount) {
      absl::SimpleAtoi(group.value, &group.number);
    }
    order.push_back(&group);
  }
  auto by_support = [&](const ClaimGroup *a, const ClaimGroup *b) {
    if (a->articles.size() != b->articles.size()) {
      return a->articles.size() > b->articles.size();
    }
    return ValueLess(kind, *a, *b);
  };
  std::sort(order.begin(), order.end(),
            [&](const ClaimGroup *a, const ClaimGroup *b) {
              if (a->precision != b->precision) {
                return a->precision > b->precision;
              }
              return by_support(a, b);
            });
  std::sort(order.begin() + 1, order.end(), by_support);

  bool disputed = false;
  for (size_t i = 0; i < order.size() && !disputed; ++i) {
    for (size_t j = i + 1; j < order.size(); ++j) {
      if (kind != ValueKind::kDate ||
          !DateKeysCompatible(order[i]->value, order[j]->value)) {
        disputed = true;
        break;
      }
    }
  }
  result.value = order.front()->value;
  result.sources.set_field(std::string(field));
  result.sources.set_disputed(disputed && disputable);
  for (ClaimGroup *group : order) {
    v1::FieldClaim *out = result.sources.add_claims();
    out->set_value(group->value);
    for (const std::string &article : group->articles) {
      out->add_articles(article);
    }
    SetEvidence(std::move(group->evidence), out->mutable_evidence());
  }
  return result;
}

// Adds a merged field's provenance to `sources` (and its path to
// `conflicts` when disputed). Returns the chosen value.
template <typename Repeated>
std::string Record(FieldMerge merged, Repeated *sources,
                   std::vector<std::string> *conflicts) {
  if (merged.value.empty())
    return "";
  if (merged.sources.disputed() && conflicts != nullptr) {
    conflicts->push_back(merged.sources.field());
  }
  *sources->Add() = std::move(merged.sources);
  return merged.value;
}

// ---------------------------------------------------------------------------
// Summit mentions and event resolution.

struct Mention {
  const v1::ArticleExtraction *extraction = nullptr;
  const v1::Summit *summit = nullptr;
  std::string article;
  v1::PartialDate date; // normalised
  std::string city_key; // TextKey of the city, "" when not stated
  std::string bytes;    // deterministic serialization, last tie-break
};

// Mentions are resolved in this order: most precise date first, then those
// that state a city, then by date, city, article and bytes. The order is a
// function of the set of mentions, so the resolution is too.
bool MentionLess(const Mention &a, const Mention &b) {
  int pa = Precision(a.date), pb = Precision(b.date);
  if (pa != pb)
    return pa > pb;
  if (a.city_key.empty() != b.city_key.empty())
    return !a.city_key.empty();
  std::string da = schema::FormatPartialDate(a.date);
  std::string db = schema::FormatPartialDate(b.date);
  return std::tie(da, a.city_key, a.article, a.bytes) <
         std::tie(db, b.city_key, b.article, b.bytes);
}

struct Event {
  std::vector<const Mention *> mentions;
  v1::PartialDate date; // most precise date of its mentions
  std::string city_key; // the city its mentions state, if any
  std::set<std::string> articles;
};

// Greedy resolution over the canonical mention order. A mention joins a
// compatible event (dates compatible, cities equal or one unstated); among
// several it joins the one with most distinct articles so far, then the
// most precise, then the one with a city, then the earliest created. With
// no compatible event it starts a new one. Because precise mentions come
// first, a mention with only a year and no city (compatible with every
// event of its cluster) joins the best-supported event, or starts the only
// event when the cluster has no more precise mention.
std::vector<Event> ResolveEvents(const std::vector<Mention> &mentions) {
  std::vector<Event> events;
  for (const Mention &mention : mentions) {
    Event *best = nullptr;
    for (Event &event : events) {
      if (!DatesCompatible(event.date, mention.date))
        continue;
      if (!event.city_key.empty() && !mention.city_key.empty() &&
          event.city_key != mention.city_key) {
        continue;
      }
      if (best == nullptr) {
        best = &event;
        continue;
      }
      auto rank = [](const Event &e) {
        return std::make_tuple(e.articles.size(), Precision(e.date),
                               !e.city_key.empty());
      };
      if (rank(event) > rank(*best))
        best = &event; // ties: earliest wins
    }
    if (best == nullptr) {
      events.emplace_back();
      best = &events.back();
    }
    best->mentions.push_back(&mention);
    best->articles.insert(mention.article);
    if (Precision(mention.date) > Precision(best->date)) {
      best->date = mention.date;
    }
    if (best->city_key.empty())
      best->city_key = mention.city_key;
  }
  return events;
}

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
// Participants.

struct ParticipantItem {
  std::string article;
  const v1::Participant *participant;
};

struct ParticipantGroup {
  std::string key;
  std::vector<ParticipantItem> items;
  std::set<std::string> articles;
  std::set<std::string> name_keys;
  std::set<std::pair<std::string, std::string>> party_roles;

  void Add(const ParticipantItem &item, absl::string_view party,
           absl::string_view family) {
    items.push_back(item);
    articles.insert(item.article);
    if (!item.participant->name().empty()) {
      name_keys.insert(TextKey(item.participant->name()));
    }
    if (!party.empty() && !family.empty()) {
      party_roles.emplace(std::string(party), std::string(family));
    }
  }
};

// Whom a participant represents: "c:{country}" or "o:{organization}".
std::string Party(const v1::Participant &p) {
  if (!p.country().empty())
    return absl::StrCat("c:", TextKey(p.country()));
  if (!p.organization().empty()) {
    return absl::StrCat("o:", TextKey(p.organization()));
  }
  return "";
}

// Among `groups`, the one with most distinct articles, then smallest key,
// that `accept` accepts; nullptr if none.
template <typename Accept>
ParticipantGroup *BestGroup(std::map<std::string, ParticipantGroup> &groups,
                            Accept accept) {
  ParticipantGroup *best = nullptr;
  for (auto &[key, group] : groups) { // ascending key: ties keep the first
    if (!accept(group))
      continue;
    if (best == nullptr || group.articles.size() > best->articles.size()) {
      best = &group;
    }
  }
  return best;
}

// Resolution in three phases, each reading only the result of the previous
// one so that the outcome is a function of the set:
//  1. participants with a person_id: one per person_id;
//  2. named, without person_id: join a phase-1 person with the same name,
//     else one with the same party and role family, else one per
//     (party, role family, name);
//  3. role-only (no name, no id): join a person with the same party and role
//     family ("President of Belarus" -> Lukashenko), else one per
//     (party, role family).
// Ties between candidate persons go to the most supported, then the
// smallest key.
std::vector<v1::Participant>
MergeParticipants(const std::vector<ParticipantItem> &items) {
  std::map<std::string, ParticipantGroup> groups;
  std::vector<const ParticipantItem *> named, role_only;
  for (const ParticipantItem &item : items) {
    const v1::Participant &p = *item.participant;
    if (!p.person_id().empty()) {
      std::string key = absl::StrCat("id:", p.person_id());
      groups[key].key = key;
      groups[key].Add(item, Party(p), RoleFamily(p.role()));
    } else if (!p.name().empty()) {
      named.push_back(&item);
    } else {
      role_only.push_back(&item);
    }
  }

  std::map<std::string, ParticipantGroup> phase2;
  for (const ParticipantItem *item : named) {
    const v1::Participant &p = *item->participant;
    std::string party = Party(p), family = RoleFamily(p.role());
    std::string name_key = TextKey(p.name());
    ParticipantGroup *target =
        BestGroup(groups, [&](const ParticipantGroup &g) {
          return g.name_keys.count(name_key) > 0;
        });
    if (target == nullptr && !party.empty() && !family.empty()) {
      target = BestGroup(groups, [&](const ParticipantGroup &g) {
        return g.party_roles.count({party, family}) > 0;
      });
    }
    if (target == nullptr) {
      std::string key =
          absl::StrCat("name:", party, "|", family, "|", name_key);
      target = &phase2[key];
      target->key = key;
    }
    // Joining a phase-1 group must not change what later phase-2 items see,
    // so their name and role keys are only recorded for phase-2 groups.
    if (target->key.rfind("id:", 0) == 0) {
      target->items.push_back(*item);
      target->articles.insert(item->article);
    } else {
      target->Add(*item, party, family);
    }
  }
  for (auto &[key, group] : phase2)
    groups[key] = std::move(group);

  std::map<std::string, ParticipantGroup> phase3;
  for (const ParticipantItem *item : role_only) {
    const v1::Participant &p = *item->participant;
    std::string party = Party(p), family = RoleFamily(p.role());
    ParticipantGroup *target = nullptr;
    if (!party.empty() && !family.empty()) {
      target = BestGroup(groups, [&](const ParticipantGroup &g) {
        return g.party_roles.count({party, family}) > 0;
      });
    }
    if (target == nullptr) {
      std::string key = absl::StrCat("role:", party, "|", family);
      target = &phase3[key];
      target->key = key;
    }
    target->items.push_back(*item);
    target->articles.insert(item->article);
  }
  for (auto &[key, group] : phase3)
    groups[key] = std::move(group);

  std::vector<v1::Participant> out;
  for (const auto &[key, group] : groups) {
    std::vector<std::pair<std::string, std::string>> names, ids, roles,
        named_roles, countries, organizations;
    std::vector<v1::Evidence> evidence;
    bool remote = false;
    for (const ParticipantItem &item : group.items) {
      const v1::Participant &p = *item.participant;
      names.emplace_back(item.article, p.name());
      ids.emplace_back(item.article, p.person_id());
      roles.emplace_back(item.article, p.role());
      if (!p.name().empty())
        named_roles.emplace_back(item.article, p.role());
      countries.emplace_back(item.article, p.country());
      organizations.emplace_back(item.article, p.organization());
      remote = remote || p.remote();
      AppendAll(p.evidence(), evidence);
    }
    v1::Participant merged;
    merged.set_name(PickBySupport(names));
    merged.set_person_id(PickBySupport(ids));
    // The role stated next to the name is the better one ("President"
    // rather than a role-only "Acting President").
    std::string role = PickBySupport(named_roles);
    merged.set_role(role.empty() ? PickBySupport(roles) : role);
    merged.set_country(PickBySupport(countries));
    merged.set_organization(PickBySupport(organizations));
    merged.set_remote(remote);
    SetEvidence(std::move(evidence), merged.mutable_evidence());
    out.push_back(std::move(merged));
  }
  std::sort(out.begin(), out.end(),
            [](const v1::Participant &a, const v1::Participant &b) {
              return std::tie(a.country(), a.organization(), a.name(),
                              a.person_id(), a.role()) <
                     std::tie(b.country(), b.organization(), b.name(),
                              b.person_id(), b.role());
            });
  return out;
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
  for (v1::Participant &p : MergeParticipants(participants)) {
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

// ---------------------------------------------------------------------------
// Declarations and initiatives.

// A declaration or initiative mention and the article it comes from.
template <typename Message> struct Item {
  std::string article;
  const Message *record;
};

// Minimal union-find over node indices.
class Components {
public:
  explicit Components(size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  size_t Find(size_t i) {
    while (parent_[i] != i)
      i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  // The smaller index becomes the root, so roots are the first node (in
  // key order) of their component.
  void Union(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b)
      return;
    if (b < a)
      std::swap(a, b);
    parent_[b] = a;
  }

private:
  std::vector<size_t> parent_;
};

// Groups items into nodes by `node_key` (a total, content-derived key) and
// nodes into components by the symmetric relation `same` (single linkage).
// Returns the components, each as the items of its nodes, ordered by their
// first node key. A function of the set of items.
template <typename T, typename Same>
std::vector<std::vector<T>>
Cluster(const std::vector<std::pair<std::string, T>> &keyed, Same same) {
  std::map<std::string, std::vector<T>> nodes;
  for (const auto &[key, item] : keyed)
    nodes[key].push_back(item);
  std::vector<const std::string *> keys;
  std::vector<const std::vector<T> *> members;
  for (const auto &[key, items] : nodes) {
    keys.push_back(&key);
    members.push_back(&items);
  }
  Components components(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    for (size_t j = i + 1; j < keys.size(); ++j) {
      if (same(*members[i], *members[j]))
        components.Union(i, j);
    }
  }
  std::map<size_t, std::vector<T>> by_root;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::vector<T> &out = by_root[components.Find(i)];
    out.insert(out.end(), members[i]->begin(), members[i]->end());
  }
  std::vector<std::vector<T>> result;
  for (auto &[root, items] : by_root)
    result.push_back(std::move(items));
  return result;
}

// Strength of a declaration status: what was done (adopted, signed,
// approved) beats support, which beats a proposal.
int DeclarationStrength(int status) {
  switch (status) {
  case v1::DECLARATION_STATUS_ADOPTED:
  case v1::DECLARATION_STATUS_SIGNED:
  case v1::DECLARATION_STATUS_APPROVED:
    return 3;
  case v1::DECLARATION_STATUS_SUPPORTED:
    return 2;
  case v1::DECLARATION_STATUS_PROPOSED:
    return 1;
  default:
    return 0;
  }
}

// One article's statement of a status (an enum value, 0 = not stated).
struct StatusClaim {
  std::string article;
  int status;
  std::vector<v1::Evidence> evidence;
};

// The strongest status stated; within a strength, the most supported, then
// the smallest enum value. Provenance lists every status claimed, chosen
// first; status claims are steps of one history, never a dispute. Returns 0
// when none is stated.
template <typename Strength, typename NameOf, typename Sources>
int MergeStatus(const std::vector<StatusClaim> &stated, Strength strength,
                NameOf name_of, Sources *sources) {
  std::map<int, std::set<std::string>> support;
  for (const StatusClaim &claim : stated) {
    if (claim.status != 0)
      support[claim.status].insert(claim.article);
  }
  if (support.empty())
    return 0;
  int best = support.begin()->first;
  for (const auto &[status, articles] : support) { // ties: smallest value
    if (std::make_pair(strength(status), articles.size()) >
        std::make_pair(strength(best), support[best].size())) {
      best = status;
    }
  }
  std::vector<Claim> claims;
  for (const StatusClaim &claim : stated) {
    if (claim.status != 0) {
      claims.push_back({claim.article, name_of(claim.status), claim.evidence});
    }
  }
  FieldMerge merged = MergeField("status", ValueKind::kText, claims,
                                 /*disputable=*/false);
  // MergeField orders by support and value; move the chosen status first.
  auto *claim_list = merged.sources.mutable_claims();
  std::string best_name = name_of(best);
  for (int i = 0; i < claim_list->size(); ++i) {
    if (claim_list->Get(i).value() == best_name) {
      for (int j = i; j > 0; --j)
        claim_list->SwapElements(j, j - 1);
      break;
    }
  }
  merged.value = best_name;
  Record(std::move(merged), sources, nullptr);
  return best;
}

// Evidence spans of a record mention, as claim evidence.
template <typename Message>
std::vector<v1::Evidence> EvidenceOf(const Message &message) {
  return std::vector<v1::Evidence>(message.evidence().begin(),
                                   message.evidence().end());
}

// Strips a leading English article from a title ("the Declaration ..." ->
// "Declaration ...").
std::string CleanTitle(absl::string_view title) {
  title = absl::StripAsciiWhitespace(title);
  for (absl::string_view article : {"the ", "The ", "THE "}) {
    if (absl::StartsWith(title, article)) {
      title.remove_prefix(article.size());
      break;
    }
  }
  return std::string(title);
}

v1::Declaration
BuildDeclaration(const std::vector<Item<v1::Declaration>> &items) {
  v1::Declaration declaration;
  std::vector<Claim> titles, subjects;
  std::vector<StatusClaim> statuses;
  std::vector<v1::Evidence> evidence;
  std::set<std::string> articles;
  for (const auto &item : items) {
    const v1::Declaration &d = *item.record;
    titles.push_back({item.article, CleanTitle(d.title()), EvidenceOf(d)});
    subjects.push_back({item.article, d.subject(), EvidenceOf(d)});
    statuses.push_back({item.article, d.status(), EvidenceOf(d)});
    AppendAll(d.evidence(), evidence);
    articles.insert(item.article);
  }
  declaration.set_kind(items.front().record->kind());
  auto *sources = declaration.mutable_field_sources();
  declaration.set_title(Record(
      MergeField("title", ValueKind::kText, titles, /*disputable=*/false),
      sources, nullptr));
  int status = MergeStatus(
      statuses, DeclarationStrength,
      [](int s) {
        return v1::DeclarationStatus_Name(
            static_cast<v1::DeclarationStatus>(s));
      },
      sources);
  declaration.set_status(static_cast<v1::DeclarationStatus>(status));
  declaration.set_subject(Record(
      MergeField("subject", ValueKind::kText, subjects), sources, nullptr));
  SetEvidence(std::move(evidence), declaration.mutable_evidence());
  for (const std::string &article : articles) {
    declaration.add_source_articles(article);
  }
  int base =
      !declaration.title().empty() && DeclarationStrength(status) == 3 ? 6 : 4;
  declaration.set_confidence(
      Tenths(base + static_cast<int>(articles.size()) - 1));
  return declaration;
}

// Who proposed an initiative, as a resolution key: the country, else the
// organisation, else the person; "" when unknown.
std::string ProposerKey(const v1::Proposer &proposer) {
  if (!proposer.country().empty()) {
    return absl::StrCat("c:", TextKey(proposer.country()));
  }
  if (!proposer.organization().empty()) {
    return absl::StrCat("o:", TextKey(proposer.organization()));
  }
  if (!proposer.person_id().empty()) {
    return absl::StrCat("p:", proposer.person_id());
  }
  if (!proposer.name().empty()) {
    return absl::StrCat("n:", TextKey(proposer.name()));
  }
  return "";
}

// Content words of an initiative's title and summary that can tell two
// proposals apart: without the proposer's own name words and proposal verbs.
std::vector<std::string> InitiativeWords(const v1::Initiative &initiative) {
  std::vector<std::string> words =
      ContentWords(absl::StrCat(initiative.title(), " ", initiative.summary()));
  std::vector<std::string> noise = ContentWords(absl::StrCat(
      initiative.proposer().country(), " ",
      initiative.proposer().organization(), " ", initiative.proposer().name(),
      " propose proposed proposal suggest suggested initiative "
      "call called put forward idea"));
  std::vector<std::string> kept;
  std::set_difference(words.begin(), words.end(), noise.begin(), noise.end(),
                      std::back_inserter(kept));
  return kept;
}

bool InitiativesSimilar(const std::vector<std::string> &a,
                        const std::vector<std::string> &b) {
  if (a == b)
    return true;
  size_t shared = SharedWords(a, b);
  size_t smaller = std::min(a.size(), b.size());
  return shared >= kInitiativeMinSharedWords &&
         static_cast<double>(shared) >=
             kInitiativeOverlap * static_cast<double>(smaller);
}

v1::Initiative BuildInitiative(const std::vector<Item<v1::Initiative>> &items) {
  v1::Initiative initiative;
  std::vector<Claim> titles, summaries, proposer_names, proposer_countries;
  std::vector<std::pair<std::string, std::string>> organizations, person_ids;
  std::vector<StatusClaim> statuses;
  std::set<std::string> topics, articles;
  std::vector<v1::Evidence> evidence;
  for (const auto &item : items) {
    const v1::Initiative &i = *item.record;
    titles.push_back({item.article, i.title(), EvidenceOf(i)});
    summaries.push_back({item.article, i.summary(), EvidenceOf(i)});
    proposer_names.push_back(
        {item.article, i.proposer().name(), EvidenceOf(i)});
    proposer_countries.push_back(
        {item.article, i.proposer().country(), EvidenceOf(i)});
    organizations.emplace_back(item.article, i.proposer().organization());
    person_ids.emplace_back(item.article, i.proposer().person_id());
    statuses.push_back({item.article, i.status(), EvidenceOf(i)});
    for (const std::string &topic : i.topics()) {
      if (!topic.empty())
        topics.insert(topic);
    }
    AppendAll(i.evidence(), evidence);
    articles.insert(item.article);
  }
  auto *sources = initiative.mutable_field_sources();
  initiative.set_title(Record(
      MergeField("title", ValueKind::kText, titles, /*disputable=*/false),
      sources, nullptr));
  initiative.set_summary(Record(
      MergeField("summary", ValueKind::kText, summaries, /*disputable=*/false),
      sources, nullptr));
  v1::Proposer *proposer = initiative.mutable_proposer();
  proposer->set_name(
      Record(MergeField("proposer.name", ValueKind::kText, proposer_names),
             sources, nullptr));
  proposer->set_country(Record(
      MergeField("proposer.country", ValueKind::kText, proposer_countries),
      sources, nullptr));
  proposer->set_organization(PickBySupport(organizations));
  proposer->set_person_id(PickBySupport(person_ids));
  if (proposer->ByteSizeLong() == 0)
    initiative.clear_proposer();
  // Initiative statuses are numbered in order of progress.
  initiative.set_status(static_cast<v1::InitiativeStatus>(MergeStatus(
      statuses, [](int s) { return s; },
      [](int s) {
        return v1::InitiativeStatus_Name(static_cast<v1::InitiativeStatus>(s));
      },
      sources)));
  for (const std::string &topic : topics)
    initiative.add_topics(topic);
  SetEvidence(std::move(evidence), initiative.mutable_evidence());
  for (const std::string &article : articles) {
    initiative.add_source_articles(article);
  }
  int base = initiative.has_proposer() ? 6 : 4;
  initiative.set_confidence(
      Tenths(base + static_cast<int>(articles.size()) - 1));
  return initiative;
}

// Slug of a title for a child id; `fallback` when the title has none.
std::string ChildSlug(absl::string_view title, absl::string_view fallback) {
  std::string slug = schema::Slugify(title);
  return slug.empty() ? std::string(fallback) : slug;
}

// Aliases of a summit's children: the ids each source alone would have
// given a merged child (what a store may have held before other sources
// refined its title), leaving out the summit's current child ids and any
// id two children would claim (ambiguous: it points at neither). Like the
// summits' aliases, a function of the set of sources, not of their order.
template <typename Message>
std::vector<std::vector<std::string>> ChildAliasIds(
    const std::vector<std::vector<Item<Message>>> &groups,
    const std::vector<std::string> &ids, absl::string_view fallback) {
  const std::set<std::string> current(ids.begin(), ids.end());
  std::vector<std::set<std::string>> candidates(groups.size());
  std::map<std::string, int> claimants;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const Item<Message> &item : groups[g]) {
      std::string id;
      if constexpr (std::is_same_v<Message, v1::Declaration>) {
        id = ChildSlug(CleanTitle(item.record->title()), fallback);
      } else {
        id = ChildSlug(item.record->title(), fallback);
      }
      if (current.count(id) == 0 && candidates[g].insert(id).second) {
        ++claimants[id];
      }
    }
  }
  std::vector<std::vector<std::string>> aliases(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const std::string &id : candidates[g]) {
      if (claimants[id] == 1) aliases[g].push_back(id);
    }
  }
  return aliases;
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

} // namespace

std::string SummitBaseId(const NamingRules &rules,
                         absl::string_view organization,
                         absl::string_view body, const v1::PartialDate &date,
                         absl::string_view city) {
  std::string id = schema::SummitId(organization, date, city);
  if (!rules.qualify_bodies)
    return id;
  std::string org = schema::Slugify(organization);
  std::string body_slug = schema::Slugify(body, 40);
  if (body_slug.empty() ||
      rules.principal_bodies.count(absl::StrCat(org, "|", schema::Slugify(body))) > 0) {
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
      Mention mention;
      mention.extraction = extraction;
      mention.summit = &summit;
      mention.article = extraction->article();
      mention.date = NormalizedDate(summit.date());
      const std::string &city = summit.location().city();
      mention.city_key = city.empty() ? "" : TextKey(city);
      mention.bytes = DeterministicBytes(summit);
      mentions.push_back(std::move(mention));
    }
  }
  if (mentions.empty())
    return result;
  std::sort(mentions.begin(), mentions.end(), MentionLess);
  std::vector<Event> events = ResolveEvents(mentions);

  // Canonical summits and their names. Distinct events of one cluster
  // differ in date or city, so ids rarely collide; AssignIds makes sure.
  std::vector<v1::Summit> summits;
  std::vector<std::pair<std::string, std::string>> summit_bases;
  for (size_t e = 0; e < events.size(); ++e) {
    summits.push_back(BuildSummit(events[e]));
    const v1::Summit &s = summits.back();
    summit_bases.emplace_back(SummitBaseId(rules, s.organization(), s.body(),
                                           s.date(), s.location().city()),
                              absl::StrFormat("%06d", e));
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

  std::vector<std::vector<std::pair<std::string, Item<v1::Declaration>>>>
      declarations(events.size());
  std::vector<std::vector<std::pair<std::string, Item<v1::Initiative>>>>
      initiatives(events.size());
  for (const v1::ArticleExtraction *extraction : unique) {
    for (const v1::Declaration &d : extraction->declarations()) {
      int e = find_event(*extraction, d.summit());
      if (e < 0)
        continue;
      std::string key = absl::StrFormat("%03d|%s", static_cast<int>(d.kind()),
                                        WordKey(ContentWords(d.title())));
      declarations[e].push_back({key, {extraction->article(), &d}});
    }
    for (const v1::Initiative &i : extraction->initiatives()) {
      int e = find_event(*extraction, i.summit());
      if (e < 0)
        continue;
      std::string key = absl::StrCat(ProposerKey(i.proposer()), "|",
                                     WordKey(InitiativeWords(i)));
      initiatives[e].push_back({key, {extraction->article(), &i}});
    }
  }

  for (size_t e = 0; e < events.size(); ++e) {
    v1::Summit &summit = summits[e];

    // Declarations: same kind and similar titles (kDeclarationTitleSimilarity).
    auto declaration_groups = Cluster(
        declarations[e], [](const std::vector<Item<v1::Declaration>> &a,
                            const std::vector<Item<v1::Declaration>> &b) {
          const v1::Declaration &x = *a.front().record;
          const v1::Declaration &y = *b.front().record;
          return x.kind() == y.kind() &&
                 Jaccard(ContentWords(x.title()), ContentWords(y.title())) >=
                     kDeclarationTitleSimilarity;
        });
    std::vector<v1::Declaration> merged_declarations;
    std::vector<std::pair<std::string, std::string>> declaration_bases;
    for (size_t g = 0; g < declaration_groups.size(); ++g) {
      merged_declarations.push_back(BuildDeclaration(declaration_groups[g]));
      declaration_bases.emplace_back(
          ChildSlug(merged_declarations.back().title(), "declaration"),
          absl::StrFormat("%06d", g));
    }
    std::vector<std::string> declaration_ids = AssignIds(declaration_bases);
    const std::vector<std::vector<std::string>> declaration_aliases =
        ChildAliasIds(declaration_groups, declaration_ids, "declaration");
    std::vector<std::string> declaration_names;
    for (size_t g = 0; g < merged_declarations.size(); ++g) {
      v1::Declaration &d = merged_declarations[g];
      d.set_name(schema::DeclarationName(summit.name(), declaration_ids[g]));
      d.set_summit(summit.name());
      for (const std::string &alias : declaration_aliases[g]) {
        d.add_aliases(schema::DeclarationName(summit.name(), alias));
      }
      declaration_names.push_back(d.name());
      result.declarations.push_back(std::move(d));
    }
    std::sort(declaration_names.begin(), declaration_names.end());
    for (std::string &name : declaration_names) {
      summit.add_declarations(std::move(name));
    }

    // Initiatives: same proposer and overlapping content words.
    auto initiative_groups =
        Cluster(initiatives[e], [](const std::vector<Item<v1::Initiative>> &a,
                                   const std::vector<Item<v1::Initiative>> &b) {
          const v1::Initiative &x = *a.front().record;
          const v1::Initiative &y = *b.front().record;
          return ProposerKey(x.proposer()) == ProposerKey(y.proposer()) &&
                 InitiativesSimilar(InitiativeWords(x), InitiativeWords(y));
        });
    std::vector<v1::Initiative> merged_initiatives;
    std::vector<std::pair<std::string, std::string>> initiative_bases;
    for (size_t g = 0; g < initiative_groups.size(); ++g) {
      merged_initiatives.push_back(BuildInitiative(initiative_groups[g]));
      initiative_bases.emplace_back(
          ChildSlug(merged_initiatives.back().title(), "initiative"),
          absl::StrFormat("%06d", g));
    }
    std::vector<std::string> initiative_ids = AssignIds(initiative_bases);
    const std::vector<std::vector<std::string>> initiative_aliases =
        ChildAliasIds(initiative_groups, initiative_ids, "initiative");
    std::vector<std::string> initiative_names;
    for (size_t g = 0; g < merged_initiatives.size(); ++g) {
      v1::Initiative &i = merged_initiatives[g];
      i.set_name(schema::InitiativeName(summit.name(), initiative_ids[g]));
      i.set_summit(summit.name());
      for (const std::string &alias : initiative_aliases[g]) {
        i.add_aliases(schema::InitiativeName(summit.name(), alias));
      }
      initiative_names.push_back(i.name());
      result.initiatives.push_back(std::move(i));
    }
    std::sort(initiative_names.begin(), initiative_names.end());
    for (std::string &name : initiative_names) {
      summit.add_initiatives(std::move(name));
    }
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
