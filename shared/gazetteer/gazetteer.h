// The gazetteer: organisations and their bodies, states, cities, people with
// dated terms of office, role titles and the topic vocabulary, loaded from a
// textproto (schema: proto/communique/gazetteer/v1/gazetteer.proto), plus
// fast alias matching over article text. Used by extract. Immutable after
// load and thread-safe: share one instance as
// std::shared_ptr<const Gazetteer>.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "communique/gazetteer/v1/gazetteer.pb.h"
#include "shared/gazetteer/internal/alias_matcher.h"
#include "shared/text/span.h"

namespace communique::gazetteer {

// What an alias names.
enum class EntityKind {
  kOrganization,  // index into data().organizations()
  kBody,          // index = organization, sub = body within it
  kState,         // a state by name or alias; index into data().states()
  kDemonym,       // a state by adjective ("Kazakh"); index into states()
  kCity,          // index into data().cities()
  kPerson,        // index into data().people()
  kRole,          // index into data().roles()
};

struct EntityRef {
  EntityKind kind;
  int index;
  int sub = -1;
};

// One alias occurrence in a text.
struct Mention {
  text::Span span;
  // What it may name (usually one entity; a shared alias names several).
  absl::Span<const EntityRef> refs;
};

// One topic phrase occurrence.
struct TopicMention {
  text::Span span;
  int topic;  // index into data().topics()
};

// An inclusive range of days; open ends use absl::CivilDay limits.
struct DayRange {
  absl::CivilDay first;
  absl::CivilDay last;
  bool Overlaps(const DayRange& other) const {
    return first <= other.last && other.first <= last;
  }
};

// DayRange for a whole year, month or day.
DayRange YearRange(int year);
DayRange DayRangeOf(absl::CivilDay day);

class Gazetteer {
 public:
  // Parses and checks a gazetteer textproto. INVALID_ARGUMENT on a parse
  // error or a broken reference (unknown country of a city, duplicate id,
  // malformed term date, ...), naming the offending entry.
  static absl::StatusOr<std::shared_ptr<const Gazetteer>> LoadFromTextproto(
      absl::string_view textproto);
  // Reads `path` and loads it. NOT_FOUND if the file does not exist,
  // UNAVAILABLE if it cannot be read, else as LoadFromTextproto.
  static absl::StatusOr<std::shared_ptr<const Gazetteer>> LoadFromFile(
      const std::string& path);
  // The gazetteer embedded into the library at build time from
  // shared/gazetteer/data/gazetteer.textproto. INVALID_ARGUMENT only if the
  // embedded data is broken (a build problem).
  static absl::StatusOr<std::shared_ptr<const Gazetteer>> LoadDefault();

  const v1::Gazetteer& data() const { return data_; }

  // Mentions of organisations, bodies, states (names and demonyms), cities,
  // people and role words (plus the shorthands "leader" = President and
  // "PM" = Prime Minister when the data defines no such alias) in `text`, leftmost-longest and non-overlapping,
  // in order. Spans index into `text`; `refs` point into this gazetteer.
  std::vector<Mention> FindMentions(absl::string_view text) const;
  // Topic phrase occurrences, leftmost-longest, in order. A phrase listed
  // under several topics gives one TopicMention per topic, on the same span.
  std::vector<TopicMention> FindTopics(absl::string_view text) const;

  // Lookups by exact record name / acronym / id; -1 when unknown.
  int OrganizationIndex(absl::string_view acronym_or_id) const;
  int StateIndex(absl::string_view name) const;
  int PersonIndex(absl::string_view id) const;
  // City by name or alias (case-insensitive); -1 when unknown.
  int CityIndex(absl::string_view name_or_alias) const;
  // The canonical role for a role word ("leader" -> "President"); empty when
  // the word is not a known role alias.
  std::string CanonicalRole(absl::string_view word) const;

  // People who held `role` (canonical; "" = any role) for `country` (or
  // `organization` acronym; pass "" for the other) during any day of
  // `range`, in data order.
  std::vector<int> OfficeHolders(absl::string_view role,
                                 absl::string_view country,
                                 absl::string_view organization,
                                 const DayRange& range) const;
  // Indices of the terms of person `person` that overlap `range`.
  std::vector<int> TermsDuring(int person, const DayRange& range) const;
  // The days covered by term `term` of person `person`.
  DayRange TermRange(int person, int term) const;

 private:
  Gazetteer() = default;
  absl::Status Index();

  v1::Gazetteer data_;
  internal::AliasMatcher entity_matcher_;
  internal::AliasMatcher topic_matcher_;
  // Per entity-matcher pattern: the entities it names.
  std::vector<std::vector<EntityRef>> pattern_refs_;
  // Per topic-matcher pattern: the topics it names (usually one).
  std::vector<std::vector<int>> topics_of_pattern_;
  absl::flat_hash_map<std::string, int> organization_by_key_;
  absl::flat_hash_map<std::string, int> state_by_name_;
  absl::flat_hash_map<std::string, int> person_by_id_;
  absl::flat_hash_map<std::string, int> city_by_alias_;  // lowercase
  absl::flat_hash_map<std::string, std::string> role_by_alias_;  // lowercase
  // term_ranges_[person][term]
  std::vector<std::vector<DayRange>> term_ranges_;
  // Every (person, term) by the term's role, in data order.
  struct TermRef {
    int person;
    int term;
  };
  absl::flat_hash_map<std::string, std::vector<TermRef>> terms_by_role_;
};

}  // namespace communique::gazetteer
