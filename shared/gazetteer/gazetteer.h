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
DayRange MonthRange(int year, int month);
DayRange DayRangeOf(absl::CivilDay day);
// The days a "YYYY", "YYYY-MM" or "YYYY-MM-DD" date covers (the whole year,
// the whole month, the day); nullopt when `date` is not such a date (bad
// shape, month 13, 30 February, year outside 1000..9999).
std::optional<DayRange> PartialDateRange(absl::string_view date);

// The chairmanship that follows another, from NextChairAfter.
struct NextChair {
  // The incoming chair (State.name).
  std::string country;
  // Its start as written in the data ("2025-01-01", "2014-12"), so its
  // precision is the data's.
  std::string start;
  // The days that start may fall on: one day, or the month / year of a
  // partial start.
  DayRange start_days;
  // Index into data().chairmanships().
  int chairmanship;
};

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

  // Dated chairmanships (data().chairmanships()). `organization` is an
  // acronym or id ("CSTO", "csto"); an unknown one has no chairmanships.
  // Lookups answer only what the data makes certain: a handover day (one
  // chairmanship ends the day the next starts, as at a session) belongs to
  // both; a partial start or end ("2014-12") leaves its whole period open;
  // a gap in the data is unknown, not "nobody"; and the first (last) day of
  // a chairmanship with no curated predecessor (successor) touching it is
  // left open too, as it may have been a handover, unless it is 1 January
  // (31 December), a calendar-year boundary.
  //
  // The state (State.name) that chaired `organization` on `day`; nullopt
  // when no curated chairmanship certainly covers the day, or the day is a
  // handover day or inside an uncertain period.
  std::optional<std::string> ChairOn(absl::string_view organization,
                                     absl::CivilDay day) const;
  // The state that chaired `organization` on every day of `range`, and no
  // other state possibly on any of them; nullopt otherwise. ChairOn is the
  // one-day case; a whole year or month gives the year- or month-precision
  // lookup (a session known only by its year).
  std::optional<std::string> ChairDuring(absl::string_view organization,
                                         const DayRange& range) const;
  // ChairDuring for the whole calendar year `year`: the chair when one
  // state chaired all of it.
  std::optional<std::string> ChairInYear(absl::string_view organization,
                                         int year) const;
  // The chairmanship that follows the one in office on `day` (the next
  // chair after a session held that day): on a handover day, the incoming
  // chair (starting that day); otherwise the successor of the day's chair
  // (e.g. the next calendar year's). nullopt when the day's chair is not
  // certain, it is the last one curated, or its successor is not curated
  // (a gap follows it).
  std::optional<NextChair> NextChairAfter(absl::string_view organization,
                                          absl::CivilDay day) const;
  // NextChairAfter for a session known only to lie in `range` (a month, a
  // year): the successor of the chair in office when the range begins,
  // provided that chair is curated from range.first on and no handover
  // falls after range.first and within the range (then which side of it
  // the session was on is unknown: nullopt).
  std::optional<NextChair> NextChairAfter(absl::string_view organization,
                                          const DayRange& range) const;
  // Indices into data().chairmanships() of `organization`'s chairmanships,
  // in chronological order; empty when none or unknown.
  std::vector<int> ChairmanshipsOf(absl::string_view organization) const;

 private:
  Gazetteer() = default;
  absl::Status Index();
  absl::Status IndexChairmanships();
  // The organisation's chairmanships by start, or nullptr when none.
  const std::vector<int>* ChairsOf(absl::string_view organization) const;

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
  // Per chairmanship: the days its start and end may fall on. A full date
  // gives one day; "YYYY-MM" the month; an empty end the far future.
  struct ChairDays {
    DayRange start;
    DayRange end;
    // Days it certainly covers: start.last .. end.first, less its first
    // (last) day when no curated chairmanship touches the day before
    // (after) and it is not 1 January (31 December): that day may have
    // been a handover from (to) an uncurated chair. Empty (last < first)
    // when none.
    DayRange certain;
    // Days it possibly covers: start.first .. end.last.
    DayRange Possible() const { return {start.first, end.last}; }
  };
  std::vector<ChairDays> chair_days_;
  // Organization index -> its chairmanship indices by start.first.
  absl::flat_hash_map<int, std::vector<int>> chairs_by_organization_;
};

}  // namespace communique::gazetteer
