#include "shared/gazetteer/gazetteer.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "shared/gazetteer/internal/embedded_data.h"
#include "shared/status/status_macros.h"

namespace communique::gazetteer {
namespace {

constexpr absl::CivilDay kMinDay(1, 1, 1);
constexpr absl::CivilDay kMaxDay(9999, 12, 31);

// Collects textproto parse errors into one message.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!first_.empty()) return;
    first_ = absl::StrCat("line ", line + 1, " column ", column + 1, ": ",
                          message);
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" into the first (or, with
// `last`, the last) day it covers.
bool ParseTermDate(absl::string_view s, bool last, absl::CivilDay* out) {
  std::vector<absl::string_view> parts = absl::StrSplit(s, '-');
  if (parts.empty() || parts.size() > 3) return false;
  int values[3] = {0, 0, 0};
  for (size_t i = 0; i < parts.size(); ++i) {
    // Exactly "YYYY", "MM", "DD": "2021-1" is a typo, not January.
    if (parts[i].size() != (i == 0 ? 4u : 2u) ||
        !std::all_of(parts[i].begin(), parts[i].end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(parts[i], &values[i]))
      return false;
  }
  int year = values[0];
  if (year < 1000 || year > 9999) return false;
  if (parts.size() == 1) {
    *out = last ? absl::CivilDay(year, 12, 31) : absl::CivilDay(year, 1, 1);
    return true;
  }
  int month = values[1];
  if (month < 1 || month > 12) return false;
  if (parts.size() == 2) {
    if (!last) {
      *out = absl::CivilDay(year, month, 1);
    } else {
      *out = absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1;
    }
    return true;
  }
  int day = values[2];
  absl::CivilDay d(year, month, day);
  if (d.year() != year || d.month() != month || d.day() != day) return false;
  *out = d;
  return true;
}

bool IsAllUpper(absl::string_view s) {
  bool any = false;
  for (char c : s) {
    if (absl::ascii_islower(c)) return false;
    if (absl::ascii_isupper(c)) any = true;
  }
  return any;
}

std::string Lower(absl::string_view s) { return absl::AsciiStrToLower(s); }

}  // namespace

DayRange YearRange(int year) {
  return {absl::CivilDay(year, 1, 1), absl::CivilDay(year, 12, 31)};
}
DayRange MonthRange(int year, int month) {
  return {absl::CivilDay(year, month, 1),
          absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1};
}
DayRange DayRangeOf(absl::CivilDay day) { return {day, day}; }

std::optional<DayRange> PartialDateRange(absl::string_view date) {
  DayRange range;
  if (!ParseTermDate(date, false, &range.first) ||
      !ParseTermDate(date, true, &range.last))
    return std::nullopt;
  return range;
}

absl::StatusOr<std::shared_ptr<const Gazetteer>> Gazetteer::LoadFromTextproto(
    absl::string_view textproto) {
  std::shared_ptr<Gazetteer> g(new Gazetteer());
  google::protobuf::TextFormat::Parser parser;
  ErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(textproto), &g->data_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("gazetteer does not parse: ", errors.first()));
  }
  RETURN_IF_ERROR(g->Index());
  return std::shared_ptr<const Gazetteer>(std::move(g));
}

absl::StatusOr<std::shared_ptr<const Gazetteer>> Gazetteer::LoadFromFile(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::ifstream probe(path);
    if (!probe.good()) {
      return absl::NotFoundError(absl::StrCat("gazetteer file ", path,
                                              " not found"));
    }
    return absl::UnavailableError(
        absl::StrCat("gazetteer file ", path, " cannot be read"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return absl::UnavailableError(
        absl::StrCat("gazetteer file ", path, " cannot be read"));
  }
  return LoadFromTextproto(buffer.str());
}

absl::StatusOr<std::shared_ptr<const Gazetteer>> Gazetteer::LoadDefault() {
  return LoadFromTextproto(internal::EmbeddedGazetteerTextproto());
}

absl::Status Gazetteer::Index() {
  auto invalid = [](auto&&... parts) {
    return absl::InvalidArgumentError(absl::StrCat("gazetteer: ", parts...));
  };
  // States first: everything else refers to them.
  for (int i = 0; i < data_.states_size(); ++i) {
    const auto& s = data_.states(i);
    if (s.name().empty()) return invalid("state ", i, " has no name");
    if (!state_by_name_.emplace(s.name(), i).second)
      return invalid("duplicate state \"", s.name(), "\"");
  }
  auto check_state = [&](absl::string_view name) {
    return state_by_name_.contains(name);
  };
  for (int i = 0; i < data_.organizations_size(); ++i) {
    const auto& o = data_.organizations(i);
    if (o.id().empty() || o.acronym().empty())
      return invalid("organization ", i, " needs an id and an acronym");
    if (!organization_by_key_.emplace(o.acronym(), i).second)
      return invalid("duplicate organization \"", o.acronym(), "\"");
    if (o.id() != o.acronym() && !organization_by_key_.emplace(o.id(), i).second)
      return invalid("duplicate organization id \"", o.id(), "\"");
    for (const auto& m : o.members())
      if (!check_state(m))
        return invalid("organization ", o.acronym(), ": unknown member \"", m,
                       "\"");
    for (const auto& m : o.observers())
      if (!check_state(m))
        return invalid("organization ", o.acronym(), ": unknown observer \"",
                       m, "\"");
    absl::flat_hash_set<std::string> body_ids;
    for (const auto& b : o.bodies()) {
      if (b.id().empty() || b.name().empty())
        return invalid("organization ", o.acronym(),
                       ": a body needs an id and a name");
      if (!body_ids.insert(b.id()).second)
        return invalid("organization ", o.acronym(), ": duplicate body \"",
                       b.id(), "\"");
    }
  }
  for (int i = 0; i < data_.cities_size(); ++i) {
    const auto& c = data_.cities(i);
    if (c.name().empty()) return invalid("city ", i, " has no name");
    if (!check_state(c.country()))
      return invalid("city \"", c.name(), "\": unknown country \"",
                     c.country(), "\"");
    city_by_alias_.emplace(Lower(c.name()), i);
    for (const auto& a : c.aliases()) city_by_alias_.emplace(Lower(a), i);
  }
  term_ranges_.resize(data_.people_size());
  for (int i = 0; i < data_.people_size(); ++i) {
    const auto& p = data_.people(i);
    if (p.id().empty() || p.name().empty())
      return invalid("person ", i, " needs an id and a name");
    if (!person_by_id_.emplace(p.id(), i).second)
      return invalid("duplicate person id \"", p.id(), "\"");
    for (int t = 0; t < p.terms_size(); ++t) {
      const auto& term = p.terms(t);
      if (term.role().empty())
        return invalid("person \"", p.id(), "\": term ", t + 1,
                       " has no role");
      if (!term.country().empty() && !check_state(term.country()))
        return invalid("person \"", p.id(), "\": term ", t + 1,
                       ": unknown country \"", term.country(), "\"");
      if (!term.organization().empty() &&
          !organization_by_key_.contains(term.organization()))
        return invalid("person \"", p.id(), "\": term ", t + 1,
                       ": unknown organization \"", term.organization(), "\"");
      DayRange range{kMinDay, kMaxDay};
      if (term.start().empty() ||
          !ParseTermDate(term.start(), false, &range.first))
        return invalid("person \"", p.id(), "\": term ", t + 1,
                       ": bad start \"", term.start(), "\"");
      if (!term.end().empty() && !ParseTermDate(term.end(), true, &range.last))
        return invalid("person \"", p.id(), "\": term ", t + 1,
                       ": bad end \"", term.end(), "\"");
      if (range.last < range.first)
        return invalid("person \"", p.id(), "\": term ", t + 1,
                       " ends before it starts");
      term_ranges_[i].push_back(range);
      terms_by_role_[term.role()].push_back({i, t});
    }
  }
  RETURN_IF_ERROR(IndexChairmanships());
  absl::flat_hash_set<std::string> topic_labels;
  for (int i = 0; i < data_.topics_size(); ++i) {
    const auto& t = data_.topics(i);
    if (t.label().empty()) return invalid("topic ", i, " has no label");
    if (!topic_labels.insert(t.label()).second)
      return invalid("duplicate topic \"", t.label(), "\"");
  }
  for (int i = 0; i < data_.roles_size(); ++i) {
    const auto& r = data_.roles(i);
    if (r.role().empty()) return invalid("role ", i, " has no title");
    role_by_alias_.emplace(Lower(r.role()), r.role());
    for (const auto& a : r.aliases()) role_by_alias_.emplace(Lower(a), r.role());
  }

  // Entity aliases. One pattern per distinct (alias, case mode).
  absl::flat_hash_map<std::string, int32_t> pattern_by_key;
  auto add = [&](absl::string_view alias, bool exact, EntityRef ref) {
    alias = absl::StripAsciiWhitespace(alias);
    if (alias.empty()) return;
    std::string key = exact ? absl::StrCat("=", alias)
                            : absl::StrCat("~", Lower(alias));
    for (char& c : key)
      if (c == '-') c = ' ';
    auto it = pattern_by_key.find(key);
    int32_t pattern;
    if (it == pattern_by_key.end()) {
      pattern = entity_matcher_.Add(alias, exact);
      pattern_by_key.emplace(key, pattern);
      pattern_refs_.emplace_back();
    } else {
      pattern = it->second;
    }
    auto& refs = pattern_refs_[pattern];
    for (const EntityRef& r : refs)
      if (r.kind == ref.kind && r.index == ref.index && r.sub == ref.sub)
        return;
    refs.push_back(ref);
  };
  // Names written in capitals ("CSTO", "UN") only match in capitals.
  auto add_name = [&](absl::string_view alias, EntityRef ref) {
    add(alias, IsAllUpper(alias), ref);
  };
  for (int i = 0; i < data_.organizations_size(); ++i) {
    const auto& o = data_.organizations(i);
    add_name(o.acronym(), {EntityKind::kOrganization, i});
    add_name(o.name(), {EntityKind::kOrganization, i});
    for (const auto& a : o.aliases()) add_name(a, {EntityKind::kOrganization, i});
    for (int b = 0; b < o.bodies_size(); ++b) {
      add_name(o.bodies(b).name(), {EntityKind::kBody, i, b});
      for (const auto& a : o.bodies(b).aliases())
        add_name(a, {EntityKind::kBody, i, b});
    }
  }
  for (int i = 0; i < data_.states_size(); ++i) {
    const auto& s = data_.states(i);
    add_name(s.name(), {EntityKind::kState, i});
    for (const auto& a : s.aliases()) add_name(a, {EntityKind::kState, i});
    for (const auto& d : s.demonyms()) add_name(d, {EntityKind::kDemonym, i});
  }
  for (int i = 0; i < data_.cities_size(); ++i) {
    const auto& c = data_.cities(i);
    add_name(c.name(), {EntityKind::kCity, i});
    for (const auto& a : c.aliases()) add_name(a, {EntityKind::kCity, i});
  }
  for (int i = 0; i < data_.people_size(); ++i) {
    const auto& p = data_.people(i);
    // People's names are capitalised in running text; matching them
    // case-sensitively keeps "Xi" or "Zas" from matching ordinary words.
    add(p.name(), true, {EntityKind::kPerson, i});
    absl::string_view last = p.name();
    size_t space = last.rfind(' ');
    if (space != absl::string_view::npos) last = last.substr(space + 1);
    add(last, true, {EntityKind::kPerson, i});
    for (const auto& a : p.aliases()) add(a, true, {EntityKind::kPerson, i});
  }
  // Common newsroom shorthands, when the data does not define them.
  for (const auto& [alias, role] :
       {std::pair<absl::string_view, absl::string_view>{"leader", "President"},
        {"PM", "Prime Minister"}}) {
    std::string key = Lower(alias);
    if (role_by_alias_.contains(key)) continue;
    for (int i = 0; i < data_.roles_size(); ++i) {
      if (data_.roles(i).role() != role) continue;
      role_by_alias_.emplace(key, data_.roles(i).role());
      add(alias, IsAllUpper(alias), {EntityKind::kRole, i});
    }
  }
  for (int i = 0; i < data_.roles_size(); ++i) {
    const auto& r = data_.roles(i);
    add(r.role(), false, {EntityKind::kRole, i});
    for (const auto& a : r.aliases()) {
      // Short role abbreviations ("pm") only as capitals ("PM").
      if (a.size() <= 3) {
        add(absl::AsciiStrToUpper(a), true, {EntityKind::kRole, i});
      } else {
        add(a, false, {EntityKind::kRole, i});
      }
    }
  }
  entity_matcher_.Build();

  absl::flat_hash_map<std::string, int32_t> topic_pattern_by_key;
  for (int i = 0; i < data_.topics_size(); ++i) {
    const auto& t = data_.topics(i);
    std::vector<std::string> phrases(t.phrases().begin(), t.phrases().end());
    phrases.push_back(t.label());
    for (const std::string& phrase : phrases) {
      std::string key = Lower(absl::StripAsciiWhitespace(phrase));
      if (key.empty()) continue;
      // One phrase may name several topics ("tajik-afghan border" is both
      // Afghanistan and border security).
      auto it = topic_pattern_by_key.find(key);
      if (it != topic_pattern_by_key.end()) {
        std::vector<int>& topics = topics_of_pattern_[it->second];
        if (std::find(topics.begin(), topics.end(), i) == topics.end())
          topics.push_back(i);
        continue;
      }
      int32_t p = topic_matcher_.Add(key, false);
      topic_pattern_by_key.emplace(key, p);
      topics_of_pattern_.push_back({i});
    }
  }
  topic_matcher_.Build();
  return absl::OkStatus();
}

std::vector<Mention> Gazetteer::FindMentions(absl::string_view text) const {
  std::vector<Mention> out;
  for (const internal::AliasMatch& m : entity_matcher_.FindLongest(text)) {
    const auto& refs = pattern_refs_[m.pattern];
    out.push_back({m.span, absl::MakeConstSpan(refs)});
  }
  return out;
}

absl::Status Gazetteer::IndexChairmanships() {
  chair_days_.reserve(data_.chairmanships_size());
  for (int i = 0; i < data_.chairmanships_size(); ++i) {
    const auto& c = data_.chairmanships(i);
    auto invalid = [&](auto&&... parts) {
      return absl::InvalidArgumentError(absl::StrCat(
          "gazetteer: chairmanship ", i + 1, " (", c.organization(), " ",
          c.country(), " ", c.start(), "): ", parts...));
    };
    int org = OrganizationIndex(c.organization());
    if (org < 0 || data_.organizations(org).acronym() != c.organization())
      return invalid("unknown organization acronym \"", c.organization(), "\"");
    if (!state_by_name_.contains(c.country()))
      return invalid("unknown country \"", c.country(), "\"");
    const auto& members = data_.organizations(org).members();
    if (std::find(members.begin(), members.end(), c.country()) == members.end())
      return invalid(c.country(), " is not a member of ", c.organization());
    std::optional<DayRange> start = PartialDateRange(c.start());
    if (!start) return invalid("bad start \"", c.start(), "\"");
    DayRange end{kMaxDay, kMaxDay};
    if (!c.end().empty()) {
      std::optional<DayRange> parsed = PartialDateRange(c.end());
      if (!parsed) return invalid("bad end \"", c.end(), "\"");
      end = *parsed;
    }
    if (end.last < start->first) return invalid("ends before it starts");
    chair_days_.push_back({*start, end, {start->last, end.first}});
    chairs_by_organization_[org].push_back(i);
  }
  for (auto& entry : chairs_by_organization_) {
    // A named reference, not a structured binding: C++17 lambdas cannot
    // capture bindings (clang rejects it).
    const int org = entry.first;
    std::vector<int>& chairs = entry.second;
    std::stable_sort(chairs.begin(), chairs.end(), [&](int a, int b) {
      return chair_days_[a].start.first < chair_days_[b].start.first;
    });
    auto touched_by_other = [&](int self, absl::CivilDay day) {
      for (int other : chairs) {
        if (other != self &&
            chair_days_[other].Possible().Overlaps(DayRangeOf(day)))
          return true;
      }
      return false;
    };
    // A boundary day with no curated neighbour may have been a handover to
    // or from an uncurated chair, unless it is a calendar-year boundary
    // (1 January, 31 December): no session hands over on those.
    for (int i : chairs) {
      ChairDays& d = chair_days_[i];
      if (d.certain.last < d.certain.first) continue;
      const absl::CivilDay first = d.certain.first, last = d.certain.last;
      if (!(first.month() == 1 && first.day() == 1) &&
          !touched_by_other(i, first - 1))
        d.certain.first += 1;
      if (last != kMaxDay && !(last.month() == 12 && last.day() == 31) &&
          !touched_by_other(i, last + 1))
        d.certain.last -= 1;
    }
    // Two chairmanships overlap when both certainly cover a common day
    // other than a handover day (one's last day == the other's first).
    for (size_t a = 0; a < chairs.size(); ++a) {
      for (size_t b = a + 1; b < chairs.size(); ++b) {
        const ChairDays& x = chair_days_[chairs[a]];
        const ChairDays& y = chair_days_[chairs[b]];
        if (std::max(x.start.last, y.start.last) <
            std::min(x.end.first, y.end.first)) {
          const auto& cx = data_.chairmanships(chairs[a]);
          const auto& cy = data_.chairmanships(chairs[b]);
          return absl::InvalidArgumentError(absl::StrCat(
              "gazetteer: overlapping ", data_.organizations(org).acronym(),
              " chairmanships: ", cx.country(), " ", cx.start(), "..", cx.end(),
              " and ", cy.country(), " ", cy.start(), "..", cy.end()));
        }
      }
    }
  }
  return absl::OkStatus();
}

const std::vector<int>* Gazetteer::ChairsOf(
    absl::string_view organization) const {
  int org = OrganizationIndex(organization);
  if (org < 0) return nullptr;
  auto it = chairs_by_organization_.find(org);
  return it == chairs_by_organization_.end() ? nullptr : &it->second;
}

std::vector<int> Gazetteer::ChairmanshipsOf(
    absl::string_view organization) const {
  const std::vector<int>* chairs = ChairsOf(organization);
  return chairs ? *chairs : std::vector<int>();
}

std::optional<std::string> Gazetteer::ChairOn(absl::string_view organization,
                                              absl::CivilDay day) const {
  return ChairDuring(organization, DayRangeOf(day));
}

std::optional<std::string> Gazetteer::ChairInYear(
    absl::string_view organization, int year) const {
  return ChairDuring(organization, YearRange(year));
}

std::optional<std::string> Gazetteer::ChairDuring(
    absl::string_view organization, const DayRange& range) const {
  const std::vector<int>* chairs = ChairsOf(organization);
  if (chairs == nullptr || range.last < range.first) return std::nullopt;
  int found = -1;
  for (int i : *chairs) {
    if (!chair_days_[i].Possible().Overlaps(range)) continue;
    // Two candidates: a handover or an uncertain period inside the range.
    if (found >= 0) return std::nullopt;
    found = i;
  }
  if (found < 0) return std::nullopt;
  const ChairDays& d = chair_days_[found];
  if (d.certain.first > range.first || range.last > d.certain.last)
    return std::nullopt;
  return data_.chairmanships(found).country();
}

std::optional<NextChair> Gazetteer::NextChairAfter(
    absl::string_view organization, absl::CivilDay day) const {
  return NextChairAfter(organization, DayRangeOf(day));
}

std::optional<NextChair> Gazetteer::NextChairAfter(
    absl::string_view organization, const DayRange& range) const {
  const std::vector<int>* chairs = ChairsOf(organization);
  if (chairs == nullptr || range.last < range.first) return std::nullopt;
  // The chair in office when the range begins: the earliest-starting one
  // that may overlap it (on a handover day, the outgoing chair). It must
  // not start after range.first (an uncurated chair would come first),
  // and must certainly be in office on the day / some day of the range.
  size_t pos = 0;
  while (pos < chairs->size() &&
         !chair_days_[(*chairs)[pos]].Possible().Overlaps(range))
    ++pos;
  if (pos + 1 >= chairs->size()) return std::nullopt;
  const ChairDays& current = chair_days_[(*chairs)[pos]];
  if (current.start.first > range.first ||
      current.certain.last < current.certain.first ||
      !current.certain.Overlaps(range) ||
      (range.first == range.last && current.certain.first > range.first))
    return std::nullopt;
  int next = (*chairs)[pos + 1];
  const ChairDays& following = chair_days_[next];
  // A gap between them: an uncurated chairmanship may lie in it.
  if (following.start.first > current.end.last + 1) return std::nullopt;
  // A handover strictly inside the range: the session may have been on
  // either side of it.
  if (following.start.first > range.first &&
      following.start.first <= range.last)
    return std::nullopt;
  const auto& c = data_.chairmanships(next);
  return NextChair{c.country(), c.start(), following.start, next};
}

std::vector<TopicMention> Gazetteer::FindTopics(absl::string_view text) const {
  std::vector<TopicMention> out;
  for (const internal::AliasMatch& m : topic_matcher_.FindLongest(text)) {
    for (int topic : topics_of_pattern_[m.pattern])
      out.push_back({m.span, topic});
  }
  return out;
}

int Gazetteer::OrganizationIndex(absl::string_view key) const {
  auto it = organization_by_key_.find(key);
  return it == organization_by_key_.end() ? -1 : it->second;
}

int Gazetteer::StateIndex(absl::string_view name) const {
  auto it = state_by_name_.find(name);
  return it == state_by_name_.end() ? -1 : it->second;
}

int Gazetteer::PersonIndex(absl::string_view id) const {
  auto it = person_by_id_.find(id);
  return it == person_by_id_.end() ? -1 : it->second;
}

int Gazetteer::CityIndex(absl::string_view name) const {
  auto it = city_by_alias_.find(Lower(name));
  return it == city_by_alias_.end() ? -1 : it->second;
}

std::string Gazetteer::CanonicalRole(absl::string_view word) const {
  std::string key = Lower(word);
  for (char& c : key)
    if (c == '-') c = ' ';
  auto it = role_by_alias_.find(key);
  if (it == role_by_alias_.end() && key.size() > 1 && key.back() == 's') {
    key.pop_back();
    it = role_by_alias_.find(key);
  }
  if (it == role_by_alias_.end()) {
    for (char& c : key)
      if (c == ' ') c = '-';
    it = role_by_alias_.find(key);
  }
  return it == role_by_alias_.end() ? std::string() : it->second;
}

std::vector<int> Gazetteer::OfficeHolders(absl::string_view role,
                                          absl::string_view country,
                                          absl::string_view organization,
                                          const DayRange& range) const {
  std::vector<int> out;
  if (country.empty() && organization.empty()) return out;
  auto holds = [&](int i, int t) {
    const auto& term = data_.people(i).terms(t);
    if (!country.empty() && term.country() != country) return false;
    if (!organization.empty() && term.organization() != organization)
      return false;
    return term_ranges_[i][t].Overlaps(range);
  };
  if (!role.empty()) {
    // Only the terms of that role (the common case, on every article).
    auto it = terms_by_role_.find(role);
    if (it == terms_by_role_.end()) return out;
    for (const TermRef& ref : it->second) {
      if (!out.empty() && out.back() == ref.person) continue;
      if (holds(ref.person, ref.term)) out.push_back(ref.person);
    }
    return out;
  }
  for (int i = 0; i < data_.people_size(); ++i) {
    for (int t = 0; t < data_.people(i).terms_size(); ++t) {
      if (holds(i, t)) {
        out.push_back(i);
        break;
      }
    }
  }
  return out;
}

std::vector<int> Gazetteer::TermsDuring(int person,
                                        const DayRange& range) const {
  std::vector<int> out;
  if (person < 0 || person >= static_cast<int>(term_ranges_.size()))
    return out;
  for (size_t t = 0; t < term_ranges_[person].size(); ++t) {
    if (term_ranges_[person][t].Overlaps(range))
      out.push_back(static_cast<int>(t));
  }
  return out;
}

DayRange Gazetteer::TermRange(int person, int term) const {
  return term_ranges_[person][term];
}

}  // namespace communique::gazetteer
