#include "shared/store/internal/index_keys.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shared/schema/search.h"
#include "shared/store/keys.h"

namespace communique::store::internal {

// The summit group a record belongs to: the summit itself, or the parent
// summit of a declaration or initiative.
std::string GroupOf(absl::string_view name) {
  for (absl::string_view infix : {kDeclarationsInfix, kInitiativesInfix}) {
    const size_t at = name.find(infix);
    if (at != absl::string_view::npos) return std::string(name.substr(0, at));
  }
  return std::string(name);
}

std::string CounterKey(absl::string_view posting_prefix) {
  return absl::StrCat(kCounterPrefix, absl::string_view("\0", 1),
                      posting_prefix);
}

std::string GroupKeysKey(absl::string_view group) {
  return JoinKey({kGroupKeysPrefix, group});
}

std::string EncodeKeyList(const std::vector<std::string>& keys) {
  std::string out;
  for (const std::string& key : keys) {
    out += EncodeSequence(key.size());
    out += key;
  }
  return out;
}

std::optional<std::vector<std::string>> DecodeKeyList(absl::string_view in) {
  std::vector<std::string> keys;
  while (!in.empty()) {
    if (in.size() < 8) return std::nullopt;
    const uint64_t size = *DecodeSequence(in.substr(0, 8));
    in.remove_prefix(8);
    if (size > in.size()) return std::nullopt;
    keys.emplace_back(in.substr(0, size));
    in.remove_prefix(size);
  }
  return keys;
}

bool SameText(absl::string_view a, absl::string_view b) {
  return absl::EqualsIgnoreCase(a, b);
}

namespace {

// Adds posting keys {family, term, date, name}, skipping empty terms
// (except for the "all" lists, which pass `allow_empty`).
class KeySink {
 public:
  KeySink(std::vector<std::string>* keys, std::string date, std::string name)
      : keys_(keys), date_(std::move(date)), name_(std::move(name)) {}
  void Add(absl::string_view family, absl::string_view term,
           bool allow_empty = false) {
    if (term.empty() && !allow_empty) return;
    keys_->push_back(JoinKey({family, IndexTerm(term), date_, name_}));
  }
  void AddRaw(absl::string_view family, absl::string_view term) {
    keys_->push_back(JoinKey({family, term, date_, name_}));
  }
  void AddWords(absl::string_view family,
                const std::vector<std::string>& words) {
    for (const std::string& word : words) {
      keys_->push_back(JoinKey({family, word, date_, name_}));
    }
  }

 private:
  std::vector<std::string>* keys_;
  std::string date_;
  std::string name_;
};

std::string OrgYearTerm(const std::string& organization, int year) {
  return absl::StrFormat("%s|%04d", organization, std::clamp(year, 0, 9999));
}

void AppendDeclarationText(const v1::Declaration& d,
                           std::vector<std::string>* words) {
  schema::AppendSearchWords(d.title(), words);
  schema::AppendSearchWords(d.subject(), words);
  for (const v1::Evidence& e : d.evidence()) {
    schema::AppendSearchWords(e.quote(), words);
  }
}

void AppendInitiativeText(const v1::Initiative& i,
                          std::vector<std::string>* words) {
  schema::AppendSearchWords(i.title(), words);
  schema::AppendSearchWords(i.summary(), words);
  schema::AppendSearchWords(i.proposer().name(), words);
  schema::AppendSearchWords(i.proposer().country(), words);
  schema::AppendSearchWords(i.proposer().organization(), words);
  for (const v1::Evidence& e : i.evidence()) {
    schema::AppendSearchWords(e.quote(), words);
  }
}

std::vector<std::string> Unique(std::vector<std::string> words) {
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

// Words of a summit: its own fields and evidence, and its children's text.
std::vector<std::string> SummitWords(const v1::Summit& s, const Group& group) {
  std::vector<std::string> words;
  for (absl::string_view text :
       {absl::string_view(s.organization()), absl::string_view(s.body()),
        absl::string_view(s.location().city()),
        absl::string_view(s.location().country()),
        absl::string_view(s.chair_country()), absl::string_view(s.presiding()),
        absl::string_view(s.next_chair().country())}) {
    schema::AppendSearchWords(text, &words);
  }
  for (const v1::Participant& p : s.participants()) {
    schema::AppendSearchWords(p.name(), &words);
    schema::AppendSearchWords(p.country(), &words);
  }
  for (const std::string& topic : s.topics()) {
    schema::AppendSearchWords(topic, &words);
  }
  for (const v1::Evidence& e : s.evidence()) {
    schema::AppendSearchWords(e.quote(), &words);
  }
  for (const v1::Declaration& d : group.declarations) {
    AppendDeclarationText(d, &words);
  }
  for (const v1::Initiative& i : group.initiatives) {
    AppendInitiativeText(i, &words);
  }
  return Unique(std::move(words));
}

void AddSummitKeys(const v1::Summit& s, const Group& group,
                   std::vector<std::string>* keys) {
  KeySink sink(keys, EncodeDateKey(s.date()), s.name());
  sink.Add(kSummitAll, "", /*allow_empty=*/true);
  sink.Add(kSummitByOrg, s.organization());
  sink.Add(kSummitByCountry, s.location().country());
  sink.Add(kSummitByCity, s.location().city());
  for (const v1::Participant& p : s.participants()) {
    sink.Add(kSummitByParticipantCountry, p.country());
    sink.Add(kSummitByPerson, p.person_id());
    sink.Add(kSummitByPerson, p.name());
    if (!s.presiding().empty() && SameText(p.name(), s.presiding())) {
      sink.Add(kSummitByPresiding, p.person_id());
    }
  }
  sink.Add(kSummitByPresiding, s.presiding());
  for (int format : s.formats()) {
    if (format != v1::SUMMIT_FORMAT_UNSPECIFIED) {
      sink.Add(kSummitByFormat, absl::StrCat(format));
    }
  }
  for (const std::string& topic : s.topics()) sink.Add(kSummitByTopic, topic);
  sink.AddWords(kSummitByWord, SummitWords(s, group));
  sink.AddRaw(kSummitByOrgYear, OrgYearTerm(s.organization(), s.date().year()));
  if (!s.chair_country().empty() || !s.next_chair().country().empty()) {
    keys->push_back(JoinKey(
        {kChairs, IndexTerm(s.organization()), EncodeDateKey(s.date()),
         s.name(), s.organization(), s.chair_country(),
         s.next_chair().country(), EncodeDateKey(s.next_chair().from_date())}));
  }
}

void AddDeclarationKeys(const v1::Declaration& d, const Group& group,
                        const std::string& group_name,
                        std::vector<std::string>* keys) {
  const v1::Summit* s = group.summit ? &*group.summit : nullptr;
  KeySink sink(keys, s ? EncodeDateKey(s->date()) : kUndated, d.name());
  sink.Add(kDeclarationAll, "", /*allow_empty=*/true);
  sink.AddRaw(kDeclarationBySummit, group_name);
  for (const std::string& alias : d.aliases()) sink.AddRaw(kChildAlias, alias);
  if (d.kind() != v1::DECLARATION_KIND_UNSPECIFIED) {
    sink.Add(kDeclarationByKind, absl::StrCat(d.kind()));
  }
  if (d.status() != v1::DECLARATION_STATUS_UNSPECIFIED) {
    sink.Add(kDeclarationByStatus, absl::StrCat(d.status()));
  }
  std::vector<std::string> words;
  AppendDeclarationText(d, &words);
  sink.AddWords(kDeclarationByWord, Unique(std::move(words)));
  if (s != nullptr) {
    sink.Add(kDeclarationByOrg, s->organization());
    sink.AddRaw(kDeclarationByOrgYear,
                OrgYearTerm(s->organization(), s->date().year()));
  }
}

void AddInitiativeKeys(const v1::Initiative& i, const Group& group,
                       const std::string& group_name,
                       std::vector<std::string>* keys) {
  const v1::Summit* s = group.summit ? &*group.summit : nullptr;
  KeySink sink(keys, s ? EncodeDateKey(s->date()) : kUndated, i.name());
  sink.Add(kInitiativeAll, "", /*allow_empty=*/true);
  sink.AddRaw(kInitiativeBySummit, group_name);
  for (const std::string& alias : i.aliases()) sink.AddRaw(kChildAlias, alias);
  sink.Add(kInitiativeByCountry, i.proposer().country());
  sink.Add(kInitiativeByPerson, i.proposer().person_id());
  sink.Add(kInitiativeByPerson, i.proposer().name());
  if (i.status() != v1::INITIATIVE_STATUS_UNSPECIFIED) {
    sink.Add(kInitiativeByStatus, absl::StrCat(i.status()));
  }
  for (const std::string& topic : i.topics()) {
    sink.Add(kInitiativeByTopic, topic);
  }
  std::vector<std::string> words;
  AppendInitiativeText(i, &words);
  sink.AddWords(kInitiativeByWord, Unique(std::move(words)));
  if (s != nullptr) {
    sink.Add(kInitiativeByOrg, s->organization());
    sink.AddRaw(kInitiativeByOrgYear,
                OrgYearTerm(s->organization(), s->date().year()));
  }
}

}  // namespace

// Every index key a group owns, sorted and unique.
std::vector<std::string> GroupIndexKeys(const std::string& group_name,
                                        const Group& group) {
  std::vector<std::string> keys;
  if (group.summit) AddSummitKeys(*group.summit, group, &keys);
  for (const v1::Declaration& d : group.declarations) {
    AddDeclarationKeys(d, group, group_name, &keys);
  }
  for (const v1::Initiative& i : group.initiatives) {
    AddInitiativeKeys(i, group, group_name, &keys);
  }
  return Unique(std::move(keys));
}

namespace {

// The date of an EncodeDateKey term; an empty date when it is not one.
v1::PartialDate DecodeDateKey(absl::string_view key) {
  v1::PartialDate date;
  int year = 0;
  int month = 0;
  int day = 0;
  if (key.size() != 8 || !absl::SimpleAtoi(key.substr(0, 4), &year) ||
      !absl::SimpleAtoi(key.substr(4, 2), &month) ||
      !absl::SimpleAtoi(key.substr(6, 2), &day) || year == 0) {
    return date;
  }
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  date.set_precision(day != 0     ? v1::DATE_PRECISION_DAY
                     : month != 0 ? v1::DATE_PRECISION_MONTH
                                  : v1::DATE_PRECISION_YEAR);
  return date;
}

}  // namespace
// Folds one chair-index entry into the organisation's periods.
void AddChairObservation(const std::vector<std::string>& parts,
                         std::vector<v1::Chairmanship>* periods) {
  // {ch, org term, date, name, org, chair, next, next from}
  const std::string& date = parts[2];
  const std::string& name = parts[3];
  const std::string& org = parts[4];
  const std::string& chair = parts[5];
  const std::string& next = parts[6];
  const std::string& next_from = parts[7];
  auto start_new = [&](const std::string& country,
                       const v1::PartialDate& start) {
    if (!periods->empty() && !periods->back().has_end_date()) {
      *periods->back().mutable_end_date() = start;
    }
    v1::Chairmanship& c = periods->emplace_back();
    c.set_organization(org);
    c.set_country(country);
    *c.mutable_start_date() = start;
  };
  const v1::PartialDate summit_date = DecodeDateKey(date);
  if (!chair.empty()) {
    if (periods->empty() || !SameText(periods->back().country(), chair)) {
      start_new(chair, summit_date);
    }
    periods->back().add_chaired_summits(name);
  }
  if (!next.empty()) {
    v1::PartialDate from = DecodeDateKey(next_from);
    if (from.year() == 0) from = summit_date;
    if (!periods->empty() && SameText(periods->back().country(), next)) {
      if (periods->back().handover_summit().empty()) {
        periods->back().set_handover_summit(name);
      }
    } else {
      start_new(next, from);
      periods->back().set_handover_summit(name);
    }
  }
}

}  // namespace communique::store::internal
