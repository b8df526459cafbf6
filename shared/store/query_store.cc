// RocksDB implementation of QueryStore (a replica's read model).
//
// Column families (DESIGN.md "Storage"): summits, declarations, initiatives
// hold the records as the change feed delivers them; `index` holds the
// posting lists described in keys.h; `meta` the watermark, the posting-list
// counters and, per summit, the index keys that summit and its children own;
// `changelog` the recent summit changes that WatchSummits replays. Every
// apply is one WriteBatch with the WAL on, so records, indexes, counters,
// history and watermark move together.
//
// Index maintenance works per summit "group" (a summit and its
// declarations and initiatives), because a child's keys carry its parent's
// date and organisation and a summit's word list includes its children's
// titles: every event dirties its group, and each dirty group's keys are
// recomputed from the group's new state and diffed against the keys stored
// for it. Keys are a pure function of the records, so the result does not
// depend on how events were batched.

#include "shared/store/query_store.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "communique/storage/v1/records.pb.h"
#include "google/protobuf/util/time_util.h"  // internal/db.h uses it
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "shared/schema/names.h"
#include "shared/schema/search.h"
#include "shared/status/status_macros.h"
#include "shared/schema/wire_format.h"
#include "shared/store/internal/db.h"
#include "shared/store/keys.h"

namespace communique::store {
namespace {

namespace sv1 = ::communique::storage::v1;
using namespace ::communique::store::internal;  // NOLINT: our own internals
namespace wire = ::communique::schema::wire;

constexpr char kUndated[] = "00000000";
constexpr absl::string_view kDeclarationsInfix = "/declarations/";
constexpr absl::string_view kInitiativesInfix = "/initiatives/";

// ------------------------------------------------------------ key layout --

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

// A summit with its current children: what one group's keys derive from.
struct Group {
  std::optional<v1::Summit> summit;  // absent, deleted or an alias: nullopt
  std::vector<v1::Declaration> declarations;
  std::vector<v1::Initiative> initiatives;
};

bool SameText(absl::string_view a, absl::string_view b) {
  return absl::EqualsIgnoreCase(a, b);
}

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

// ---------------------------------------------------------- query plans --

// A query as posting lists to intersect and a (date) suffix range.
struct Plan {
  std::vector<std::string> prefixes;
  // Inclusive bounds on the {date, name} suffix.
  std::string lo;
  std::string hi = "\xff";
  bool ranged = false;
};

void BoundYears(int year, int min_year, int max_year, Plan* plan) {
  auto raise = [&](std::string lo) {
    if (lo > plan->lo) plan->lo = std::move(lo);
    plan->ranged = true;
  };
  auto lower = [&](std::string hi) {
    if (hi < plan->hi) plan->hi = std::move(hi);
    plan->ranged = true;
  };
  v1::PartialDate date;
  for (int y : {year, min_year}) {
    if (y == 0) continue;
    date.set_year(y);
    raise(DateRangeStart(date));
  }
  for (int y : {year, max_year}) {
    if (y == 0) continue;
    date.set_year(y);
    lower(DateRangeEnd(date));
  }
}

void AddTerm(absl::string_view family, absl::string_view term, Plan* plan) {
  if (term.empty()) return;
  plan->prefixes.push_back(KeyPrefix({family, IndexTerm(term)}));
}

void AddWords(absl::string_view family, absl::string_view text, Plan* plan) {
  for (const std::string& word : schema::SearchWords(text)) {
    plan->prefixes.push_back(KeyPrefix({family, word}));
  }
}

void Finish(absl::string_view all_family, Plan* plan) {
  std::sort(plan->prefixes.begin(), plan->prefixes.end());
  plan->prefixes.erase(
      std::unique(plan->prefixes.begin(), plan->prefixes.end()),
      plan->prefixes.end());
  if (plan->prefixes.empty()) {
    plan->prefixes.push_back(KeyPrefix({all_family, ""}));
  }
}

Plan SummitPlan(const v1::SummitFilter& f) {
  Plan plan;
  AddTerm(kSummitByOrg, f.organization(), &plan);
  AddTerm(kSummitByCity, f.city(), &plan);
  AddTerm(kSummitByCountry, f.country(), &plan);
  AddTerm(kSummitByParticipantCountry, f.participant_country(), &plan);
  AddTerm(kSummitByPerson, f.person(), &plan);
  if (f.format() != v1::SUMMIT_FORMAT_UNSPECIFIED) {
    AddTerm(kSummitByFormat, absl::StrCat(f.format()), &plan);
  }
  AddTerm(kSummitByTopic, f.topic(), &plan);
  AddTerm(kSummitByPresiding, f.presiding(), &plan);
  AddWords(kSummitByWord, f.text(), &plan);
  BoundYears(f.year(), f.min_year(), f.max_year(), &plan);
  if (f.has_start_date() && f.start_date().year() != 0) {
    std::string lo = DateRangeStart(f.start_date());
    if (lo > plan.lo) plan.lo = std::move(lo);
    plan.ranged = true;
  }
  if (f.has_end_date() && f.end_date().year() != 0) {
    std::string hi = DateRangeEnd(f.end_date());
    if (hi < plan.hi) plan.hi = std::move(hi);
    plan.ranged = true;
  }
  Finish(kSummitAll, &plan);
  return plan;
}

Plan DeclarationPlan(const DeclarationQuery& q) {
  Plan plan;
  if (!q.summit.empty()) {
    plan.prefixes.push_back(KeyPrefix({kDeclarationBySummit, q.summit}));
  }
  if (q.kind != v1::DECLARATION_KIND_UNSPECIFIED) {
    AddTerm(kDeclarationByKind, absl::StrCat(q.kind), &plan);
  }
  if (q.status != v1::DECLARATION_STATUS_UNSPECIFIED) {
    AddTerm(kDeclarationByStatus, absl::StrCat(q.status), &plan);
  }
  AddTerm(kDeclarationByOrg, q.organization, &plan);
  AddWords(kDeclarationByWord, q.text, &plan);
  BoundYears(q.year, q.min_year, q.max_year, &plan);
  Finish(kDeclarationAll, &plan);
  return plan;
}

Plan InitiativePlan(const InitiativeQuery& q) {
  Plan plan;
  if (!q.summit.empty()) {
    plan.prefixes.push_back(KeyPrefix({kInitiativeBySummit, q.summit}));
  }
  AddTerm(kInitiativeByCountry, q.proposer_country, &plan);
  AddTerm(kInitiativeByPerson, q.proposer_person, &plan);
  if (q.status != v1::INITIATIVE_STATUS_UNSPECIFIED) {
    AddTerm(kInitiativeByStatus, absl::StrCat(q.status), &plan);
  }
  AddTerm(kInitiativeByTopic, q.topic, &plan);
  AddTerm(kInitiativeByOrg, q.organization, &plan);
  AddWords(kInitiativeByWord, q.text, &plan);
  BoundYears(q.year, q.min_year, q.max_year, &plan);
  Finish(kInitiativeAll, &plan);
  return plan;
}

// One posting list, positioned by suffix ({date, name}).
class PostingCursor {
 public:
  PostingCursor(std::unique_ptr<rocksdb::Iterator> it, std::string prefix,
                ReadStats* stats)
      : it_(std::move(it)), prefix_(std::move(prefix)), stats_(stats) {}

  // Moves to the first entry whose suffix is >= target (> if `exclusive`)
  // when `forward`, else to the last one <= target (< if `exclusive`).
  // Does not move when already there. False at the end of the list.
  bool Seek(absl::string_view target, bool exclusive, bool forward) {
    if (positioned_ && Valid()) {
      const absl::string_view now = suffix();
      const bool there = forward ? (exclusive ? now > target : now >= target)
                                 : (exclusive ? now < target : now <= target);
      if (there) return true;
      // Just past the entry we are on (the join's step after a match):
      // one step, not a fresh seek. A seek from the top costs a search of
      // every memtable and level; a descending one (SeekForPrev + Prev)
      // costs two.
      if (exclusive && now == target) {
        if (forward) {
          it_->Next();
        } else {
          it_->Prev();
        }
        Count();
        return Valid();
      }
    }
    positioned_ = true;
    const std::string key = prefix_ + std::string(target);
    if (forward) {
      it_->Seek(ToSlice(key));
      Count();
      if (exclusive && it_->Valid() && ToView(it_->key()) == key) {
        it_->Next();
        Count();
      }
    } else {
      it_->SeekForPrev(ToSlice(key));
      Count();
      if (exclusive && it_->Valid() && ToView(it_->key()) == key) {
        it_->Prev();
        Count();
      }
    }
    return Valid();
  }

  bool Valid() const {
    return it_->Valid() && absl::StartsWith(ToView(it_->key()), prefix_);
  }
  absl::string_view suffix() const {
    return ToView(it_->key()).substr(prefix_.size());
  }
  absl::Status status() const { return FromRocks(it_->status(), "index"); }

 private:
  void Count() {
    if (stats_ != nullptr && Valid()) ++stats_->index_entries_read;
  }

  std::unique_ptr<rocksdb::Iterator> it_;
  std::string prefix_;
  ReadStats* stats_;
  bool positioned_ = false;
};

// The name at the end of a {date, name} suffix.
absl::string_view NameOfSuffix(absl::string_view suffix) {
  const size_t at = suffix.find('\0');
  return at == absl::string_view::npos ? suffix : suffix.substr(at + 1);
}

// Whether a record with these index keys (as posting prefixes) and this
// {date, name} suffix matches the plan: the in-memory twin of the join, so
// WatchSummits and ListSummits always agree.
bool PlanMatchesKeys(const Plan& plan, const std::string& date_name_suffix,
                     const std::set<std::string>& prefixes) {
  if (date_name_suffix < plan.lo || date_name_suffix > plan.hi) return false;
  for (const std::string& prefix : plan.prefixes) {
    if (prefixes.count(prefix) == 0) return false;
  }
  return true;
}

// ------------------------------------------------- stored envelopes --

// A stored envelope (SummitRecord, DeclarationRecord, InitiativeRecord)
// read at the top level only: field 1 is the API message, whose wire bytes
// are served as they are, and field 2 (summits) an alias target.
struct Envelope {
  // The API message's bytes; nullopt when field 1 is absent (an alias).
  std::optional<absl::string_view> payload;
  std::string alias_of;
  // Field 1 occurred more than once, which protobuf reads as a merge of
  // the parts: the caller must parse and re-serialise. Our writers never
  // produce it.
  bool split_payload = false;
};

bool ReadVarint(absl::string_view* in, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

absl::StatusOr<Envelope> ReadEnvelope(absl::string_view bytes,
                                      absl::string_view what) {
  auto malformed = [&] {
    return absl::DataLossError(
        absl::StrCat("stored bytes of ", what, " do not parse"));
  };
  Envelope envelope;
  absl::string_view in = bytes;
  while (!in.empty()) {
    uint64_t tag = 0;
    if (!ReadVarint(&in, &tag) || (tag >> 3) == 0) return malformed();
    const uint64_t field = tag >> 3;
    switch (tag & 7) {
      case 0: {  // varint
        uint64_t ignored = 0;
        if (!ReadVarint(&in, &ignored)) return malformed();
        break;
      }
      case 1:    // fixed64
      case 5: {  // fixed32
        const size_t width = (tag & 7) == 1 ? 8 : 4;
        if (in.size() < width) return malformed();
        in.remove_prefix(width);
        break;
      }
      case 2: {  // length-delimited
        uint64_t length = 0;
        if (!ReadVarint(&in, &length) || length > in.size()) {
          return malformed();
        }
        const absl::string_view value = in.substr(0, length);
        in.remove_prefix(length);
        if (field == 1) {
          if (envelope.payload.has_value()) envelope.split_payload = true;
          envelope.payload = value;
        } else if (field == 2) {
          envelope.alias_of = std::string(value);
        }
        break;
      }
      default:  // groups are not used by any of our messages
        return malformed();
    }
  }
  return envelope;
}

// The API message bytes of a stored envelope of type `Record` (nullopt for
// a summit alias, whose target goes to `alias_of` when given).
// Takes `bytes` and, in the usual case (the payload in one field), trims
// them in place to the payload: a move within the buffer the read filled,
// not a second allocation and copy per record read.
template <typename Record>
absl::StatusOr<std::optional<std::string>> EnvelopePayload(
    std::string bytes, absl::string_view what,
    std::string* alias_of = nullptr) {
  ASSIGN_OR_RETURN(Envelope envelope, ReadEnvelope(bytes, what));
  if (alias_of != nullptr) *alias_of = envelope.alias_of;
  if (!envelope.payload.has_value()) return std::nullopt;
  if (!envelope.split_payload) {
    const size_t offset =
        static_cast<size_t>(envelope.payload->data() - bytes.data());
    const size_t length = envelope.payload->size();
    bytes.erase(0, offset);
    bytes.resize(length);
    return std::optional<std::string>(std::move(bytes));
  }
  ASSIGN_OR_RETURN(Record record, ParseValue<Record>(bytes, what));
  std::string out;
  // Field 1 of every envelope is its API message.
  const google::protobuf::Message& payload = record.GetReflection()->GetMessage(
      record, record.GetDescriptor()->FindFieldByNumber(1));
  payload.SerializeToString(&out);
  return out;
}

// ------------------------------------------------------ summit history --

// The fields of a stored history entry (ChangeRecord { ChangeEvent event })
// that a SummitChange is made of, as views into the stored bytes.
struct HistoryEntry {
  uint64_t sequence = 0;
  uint64_t type = 0;
  absl::string_view name;
  // The encoded Timestamp, if present.
  std::optional<absl::string_view> commit_time;
  absl::string_view alias_of;
  // The encoded Summit, if present.
  std::optional<absl::string_view> summit;
};

// Reads a history entry at the top level of the record and of its event
// (protobuf's own rules: the last occurrence of a scalar wins). A
// repeated message field would need protobuf's merge, so such an entry
// (our writers never produce one) is parsed and re-serialised instead;
// `storage` then holds the bytes the views point into.
absl::StatusOr<HistoryEntry> ReadHistoryEntry(absl::string_view bytes,
                                              std::string* storage) {
  auto malformed = [] {
    return absl::DataLossError("stored bytes of history do not parse");
  };
  auto normalised = [&]() -> absl::StatusOr<HistoryEntry> {
    sv1::ChangeRecord record;
    if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return malformed();
    }
    *storage = record.SerializeAsString();
    return ReadHistoryEntry(*storage, nullptr);
  };
  absl::string_view in = bytes;
  std::optional<absl::string_view> event;
  wire::WireField field;
  while (!in.empty()) {
    if (!wire::ReadField(&in, &field)) return malformed();
    if (field.number != sv1::ChangeRecord::kEventFieldNumber) continue;
    if (field.wire_type != wire::kWireLen) return malformed();
    if (event.has_value()) {
      if (storage == nullptr) return malformed();
      return normalised();
    }
    event = field.payload;
  }
  HistoryEntry entry;
  if (!event.has_value()) return entry;
  in = *event;
  while (!in.empty()) {
    if (!wire::ReadField(&in, &field)) return malformed();
    const bool varint = field.wire_type == wire::kWireVarint;
    const bool len = field.wire_type == wire::kWireLen;
    std::optional<absl::string_view>* message = nullptr;
    switch (field.number) {
      case v1::ChangeEvent::kSequenceFieldNumber:
        if (!varint) return malformed();
        entry.sequence = field.varint;
        break;
      case v1::ChangeEvent::kTypeFieldNumber:
        if (!varint) return malformed();
        entry.type = field.varint;
        break;
      case v1::ChangeEvent::kNameFieldNumber:
        if (!len) return malformed();
        entry.name = field.payload;
        break;
      case v1::ChangeEvent::kAliasOfFieldNumber:
        if (!len) return malformed();
        entry.alias_of = field.payload;
        break;
      case v1::ChangeEvent::kCommitTimeFieldNumber:
        message = &entry.commit_time;
        break;
      case v1::ChangeEvent::kSummitFieldNumber:
        message = &entry.summit;
        break;
      case v1::ChangeEvent::kDeclarationFieldNumber:
      case v1::ChangeEvent::kInitiativeFieldNumber:
        // The oneof's last member wins: another resource clears the summit.
        entry.summit.reset();
        break;
      default:
        break;  // unknown fields are not part of a SummitChange
    }
    if (message != nullptr) {
      if (!len) return malformed();
      if (message->has_value()) {
        if (storage == nullptr) return malformed();
        return normalised();
      }
      *message = field.payload;
    }
  }
  return entry;
}

// The SummitChange of a history entry that holds a summit, encoded as
// protobuf serialises the message the typed path builds (fields in number
// order; proto3 omits zero scalars and empty strings; summit and
// commit_time are always present).
void AppendSummitChange(const HistoryEntry& entry, std::string* out) {
  wire::AppendVarintField(v1::SummitChange::kSequenceFieldNumber,
                          entry.sequence, out);
  // A summit merged into another reads as its deletion.
  const uint64_t type =
      entry.alias_of.empty() ? entry.type
                             : static_cast<uint64_t>(v1::CHANGE_TYPE_DELETE);
  wire::AppendVarintField(v1::SummitChange::kTypeFieldNumber, type, out);
  if (!entry.name.empty()) {
    wire::AppendLenField(v1::SummitChange::kNameFieldNumber, entry.name, out);
  }
  wire::AppendLenField(v1::SummitChange::kSummitFieldNumber,
                       entry.summit.value_or(absl::string_view()), out);
  if (!entry.alias_of.empty()) {
    wire::AppendLenField(v1::SummitChange::kMergedIntoFieldNumber,
                         entry.alias_of, out);
  }
  wire::AppendLenField(v1::SummitChange::kCommitTimeFieldNumber,
                       entry.commit_time.value_or(absl::string_view()), out);
}

// ------------------------------------------------------------ the store --

class RocksDbQueryStore final : public QueryStore {
 public:
  static absl::StatusOr<std::unique_ptr<QueryStore>> Open(
      const std::string& dir, const StoreOptions& options) {
    ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(dir, options, "query"));
    ASSIGN_OR_RETURN(auto bytes, db->Get(kMeta, kWatermarkKey));
    uint64_t applied = 0;
    if (bytes.has_value()) {
      auto sequence = DecodeSequence(*bytes);
      if (!sequence.has_value()) {
        return absl::DataLossError("malformed applied-sequence watermark");
      }
      applied = *sequence;
    }
    auto store = std::unique_ptr<RocksDbQueryStore>(
        new RocksDbQueryStore(std::move(db), applied));
    RETURN_IF_ERROR(store->ReindexIfNeeded());
    return std::unique_ptr<QueryStore>(std::move(store));
  }

  uint64_t AppliedSequence() const override {
    absl::MutexLock lock(&mu_);
    return applied_;
  }

  absl::Status ApplyChanges(
      const std::vector<v1::ChangeEvent>& events) override {
    // One apply at a time; readers only wait for the short publication at
    // the end, not for the batch to be built and written.
    absl::MutexLock apply_lock(&apply_mu_);
    if (events.empty()) return absl::OkStatus();
    uint64_t applied = 0;
    uint64_t history_floor = 0;
    {
      absl::MutexLock lock(&mu_);
      applied = applied_;
      history_floor = history_floor_;
    }
    rocksdb::WriteBatch batch;
    Overlay overlay;
    std::set<std::string> dirty;
    uint64_t expected = applied + 1;
    for (const v1::ChangeEvent& event : events) {
      if (event.sequence() != expected) {
        return absl::FailedPreconditionError(
            absl::StrFormat("change feed gap: expected sequence %d, got %d",
                            expected, event.sequence()));
      }
      ++expected;
      const RecordType type = TypeOfName(event.name());
      const Family family = FamilyOf(type);
      dirty.insert(GroupOf(event.name()));
      std::optional<std::string> value;
      if (type == RecordType::kSummit) {
        ASSIGN_OR_RETURN(std::optional<std::string> old_bytes,
                         overlay.Get(*db_, kSummits, event.name()));
        RETURN_IF_ERROR(AddHistory(event, old_bytes, &batch));
        if (event.type() != v1::CHANGE_TYPE_DELETE) {
          if (!event.alias_of().empty()) {
            sv1::SummitRecord record;
            record.set_alias_of(event.alias_of());
            value = Serialize(record);
          } else {
            value = SerializeAsField1(event.summit());  // a SummitRecord
          }
        }
      } else if (event.type() != v1::CHANGE_TYPE_DELETE) {
        // The records wrap their resource as field 1: no copy into one.
        if (event.has_declaration()) {
          value = SerializeAsField1(event.declaration());
        } else if (event.has_initiative()) {
          value = SerializeAsField1(event.initiative());
        } else {
          continue;  // an upsert without its resource: nothing to store
        }
      }
      if (value.has_value()) {
        batch.Put(db_->cf(family), event.name(), *value);
      } else {
        batch.Delete(db_->cf(family), event.name());
      }
      overlay.Set(family, event.name(), std::move(value));
    }

    std::map<std::string, int64_t> counter_deltas;
    for (const std::string& group_name : dirty) {
      RETURN_IF_ERROR(Reindex(group_name, overlay, &batch, &counter_deltas));
    }
    RETURN_IF_ERROR(ApplyCounterDeltas(counter_deltas, &batch));

    const uint64_t last = events.back().sequence();
    if (last > kWatchHistorySequences) {
      const uint64_t floor = last - kWatchHistorySequences;
      if (floor > history_floor) {
        batch.DeleteRange(db_->cf(kChangelog), EncodeSequence(0),
                          EncodeSequence(floor + 1));
        batch.Put(db_->cf(kMeta), kHistoryFloorKey, EncodeSequence(floor));
      }
    }
    batch.Put(db_->cf(kMeta), kWatermarkKey, EncodeSequence(last));
    RETURN_IF_ERROR(db_->Write(&batch));
    absl::MutexLock lock(&mu_);
    applied_ = last;
    if (last > kWatchHistorySequences) {
      history_floor_ = std::max(history_floor_, last - kWatchHistorySequences);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> GetSummitBytes(
      absl::string_view name) const override {
    ASSIGN_OR_RETURN(ResolvedSummit summit, ResolveSummit(name));
    if (summit.payload.has_value()) return *std::move(summit.payload);
    return absl::NotFoundError(absl::StrCat("summit ", name, " not found"));
  }

  absl::StatusOr<ListPage<std::string>> ListSummitBytes(
      const SummitQuery& query) const override {
    return ListJoined<sv1::SummitRecord>(SummitPlan(query.filter), kSummits,
                                         query.ascending, query.page_size,
                                         query.resume_after, query.stats);
  }

  absl::StatusOr<std::string> GetDeclarationBytes(
      absl::string_view name) const override {
    return GetChildPayload<sv1::DeclarationRecord>(
        kDeclarations, name, "declaration",
        schema::ParseDeclarationName(name, "name"), &schema::DeclarationName);
  }

  absl::StatusOr<ListPage<std::string>> ListDeclarationBytes(
      const DeclarationQuery& query) const override {
    return ListJoined<sv1::DeclarationRecord>(
        DeclarationPlan(query), kDeclarations, query.ascending, query.page_size,
        query.resume_after, query.stats);
  }

  absl::StatusOr<std::string> GetInitiativeBytes(
      absl::string_view name) const override {
    return GetChildPayload<sv1::InitiativeRecord>(
        kInitiatives, name, "initiative",
        schema::ParseInitiativeName(name, "name"), &schema::InitiativeName);
  }

  absl::StatusOr<ListPage<std::string>> ListInitiativeBytes(
      const InitiativeQuery& query) const override {
    return ListJoined<sv1::InitiativeRecord>(
        InitiativePlan(query), kInitiatives, query.ascending, query.page_size,
        query.resume_after, query.stats);
  }

  absl::StatusOr<ListPage<v1::Chairmanship>> ListChairmanships(
      const ChairmanshipQuery& query) const override {
    const std::string prefix =
        query.organization.empty()
            ? KeyPrefix({kChairs})
            : KeyPrefix({kChairs, IndexTerm(query.organization)});
    // Entries come by organisation, then summit date.
    std::vector<std::pair<std::string, v1::Chairmanship>> all;
    std::string current_org;
    std::vector<v1::Chairmanship> periods;
    auto flush = [&] {
      for (v1::Chairmanship& c : periods) {
        if (!query.country.empty() && !SameText(c.country(), query.country)) {
          continue;
        }
        std::string key =
            JoinKey({IndexTerm(c.organization()), EncodeDateKey(c.start_date()),
                     IndexTerm(c.country())});
        all.emplace_back(std::move(key), std::move(c));
      }
      periods.clear();
    };
    auto it = db_->NewIterator(kIndex);
    for (it->Seek(ToSlice(prefix));
         it->Valid() && absl::StartsWith(ToView(it->key()), prefix);
         it->Next()) {
      if (query.stats != nullptr) ++query.stats->index_entries_read;
      std::vector<std::string> parts = SplitKey(ToView(it->key()));
      if (parts.size() != 8) continue;
      const std::string& org_term = parts[1];
      if (org_term != current_org) {
        flush();
        current_org = org_term;
      }
      AddChairObservation(parts, &periods);
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "index"));
    flush();
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      return a.first < b.first;
    });
    ListPage<v1::Chairmanship> page;
    page.total_size = static_cast<int64_t>(all.size());
    for (auto& [key, chairmanship] : all) {
      if (!query.resume_after.empty() && key <= query.resume_after) continue;
      if (static_cast<int>(page.items.size()) == query.page_size) {
        page.resume_after =
            JoinKey({IndexTerm(page.items.back().organization()),
                     EncodeDateKey(page.items.back().start_date()),
                     IndexTerm(page.items.back().country())});
        break;
      }
      page.items.push_back(std::move(chairmanship));
    }
    return page;
  }

  absl::StatusOr<v1::GetStatsResponse> GetStats() const override {
    v1::GetStatsResponse stats;
    ASSIGN_OR_RETURN(int64_t summits, ReadCounter(KeyPrefix({kSummitAll, ""})));
    ASSIGN_OR_RETURN(int64_t declarations,
                     ReadCounter(KeyPrefix({kDeclarationAll, ""})));
    ASSIGN_OR_RETURN(int64_t initiatives,
                     ReadCounter(KeyPrefix({kInitiativeAll, ""})));
    stats.set_summit_count(summits);
    stats.set_declaration_count(declarations);
    stats.set_initiative_count(initiatives);
    std::map<std::pair<std::string, int>, v1::OrganizationYearCount> counts;
    for (absl::string_view family :
         {kSummitByOrgYear, kDeclarationByOrgYear, kInitiativeByOrgYear}) {
      const std::string prefix = CounterKey(KeyPrefix({family}));
      auto it = db_->NewIterator(kMeta);
      for (it->Seek(ToSlice(prefix));
           it->Valid() && absl::StartsWith(ToView(it->key()), prefix);
           it->Next()) {
        // Key: count \0 family \0 "ORG|yyyy" \0.
        absl::string_view term = ToView(it->key()).substr(prefix.size());
        if (!term.empty() && term.back() == '\0') term.remove_suffix(1);
        const size_t bar = term.rfind('|');
        int year = 0;
        if (bar == absl::string_view::npos ||
            !absl::SimpleAtoi(term.substr(bar + 1), &year)) {
          continue;
        }
        const std::string org(term.substr(0, bar));
        auto count = DecodeSequence(ToView(it->value()));
        if (!count.has_value()) {
          return absl::DataLossError("malformed index counter");
        }
        v1::OrganizationYearCount& c = counts[{org, year}];
        c.set_organization(org);
        c.set_year(year);
        const auto n = static_cast<int64_t>(*count);
        if (family == kSummitByOrgYear) c.set_summit_count(n);
        if (family == kDeclarationByOrgYear) c.set_declaration_count(n);
        if (family == kInitiativeByOrgYear) c.set_initiative_count(n);
      }
      RETURN_IF_ERROR(FromRocks(it->status(), "meta"));
    }
    for (auto& [key, count] : counts) *stats.add_counts() = std::move(count);
    stats.set_store_size_bytes(static_cast<int64_t>(db_->ApproximateSize()));
    stats.set_applied_sequence(AppliedSequence());
    return stats;
  }

  absl::StatusOr<SummitChanges> ReadSummitChanges(
      uint64_t after, const v1::SummitFilter& filter,
      size_t max_events) const override {
    std::string bytes;
    ASSIGN_OR_RETURN(RawSummitChanges raw,
                     ReadSummitChangesRaw(after, filter, max_events, &bytes));
    v1::WatchSummitsResponse response;
    if (!response.ParseFromString(bytes)) {
      return absl::InternalError("summit changes framed wrongly");
    }
    SummitChanges out;
    out.through_sequence = raw.through_sequence;
    out.changes.assign(
        std::make_move_iterator(response.mutable_changes()->begin()),
        std::make_move_iterator(response.mutable_changes()->end()));
    return out;
  }

  absl::StatusOr<RawSummitChanges> ReadSummitChangesRaw(
      uint64_t after, const v1::SummitFilter& filter, size_t max_events,
      std::string* out) const override {
    uint64_t applied = 0;
    uint64_t floor = 0;
    {
      absl::MutexLock lock(&mu_);
      applied = applied_;
      floor = history_floor_;
    }
    if (after < floor) {
      return absl::OutOfRangeError(absl::StrFormat(
          "start_sequence: %d is older than this replica's summit history, "
          "which starts after sequence %d",
          after, floor));
    }
    // An empty filter matches every summit: no plan, no parse.
    const bool match_all = filter.ByteSizeLong() == 0;
    const Plan plan = match_all ? Plan() : SummitPlan(filter);
    const bool needs_children = !filter.text().empty();
    RawSummitChanges result;
    result.through_sequence = after;
    std::string change;
    std::string normalised;  // see ReadHistoryEntry
    auto it = db_->NewIterator(kChangelog);
    size_t examined = 0;
    for (it->Seek(ToSlice(EncodeSequence(after + 1))); it->Valid();
         it->Next()) {
      auto sequence = DecodeSequence(ToView(it->key()));
      if (!sequence.has_value() || *sequence > applied) break;
      if (examined == max_events) break;
      ++examined;
      result.through_sequence = *sequence;
      ASSIGN_OR_RETURN(HistoryEntry entry,
                       ReadHistoryEntry(ToView(it->value()), &normalised));
      if (!entry.summit.has_value()) continue;  // nothing to match a filter on
      if (!match_all) {
        Group group;
        v1::Summit& summit = group.summit.emplace();
        if (!summit.ParseFromArray(entry.summit->data(),
                                   static_cast<int>(entry.summit->size()))) {
          return absl::DataLossError(absl::StrFormat(
              "stored bytes of history %d do not parse", *sequence));
        }
        const std::string name(entry.name);
        if (needs_children) {
          RETURN_IF_ERROR(LoadChildren(name, Overlay(), &group));
        }
        std::set<std::string> prefixes;
        for (const std::string& key : GroupIndexKeys(name, group)) {
          prefixes.insert(std::string(PostingPrefix(key)));
        }
        const std::string suffix =
            JoinKey({EncodeDateKey(summit.date()), name});
        if (!PlanMatchesKeys(plan, suffix, prefixes)) continue;
      }
      change.clear();
      AppendSummitChange(entry, &change);
      wire::AppendLenField(v1::WatchSummitsResponse::kChangesFieldNumber,
                           change, out);
      ++result.count;
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "history"));
    if (examined < max_events) {
      result.through_sequence = std::max(after, applied);
    }
    return result;
  }

  absl::StatusOr<std::string> ExportContents() const override {
    std::string out;
    for (Family family :
         {kSummits, kDeclarations, kInitiatives, kIndex, kChangelog, kMeta}) {
      auto it = db_->NewIterator(family);
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        absl::StrAppend(&out, kFamilyNames[family], "\n",
                        EncodeSequence(it->key().size()), ToView(it->key()),
                        EncodeSequence(it->value().size()),
                        ToView(it->value()));
      }
      RETURN_IF_ERROR(FromRocks(it->status(), kFamilyNames[family]));
    }
    return out;
  }

  EngineStats Engine() const override { return db_->Stats(); }

 private:
  // Records written earlier in the current batch (nullopt = deleted), so
  // that later events and the re-indexing see them.
  class Overlay {
   public:
    void Set(Family family, const std::string& name,
             std::optional<std::string> value) {
      values_[{family, name}] = std::move(value);
    }
    absl::StatusOr<std::optional<std::string>> Get(
        const Db& db, Family family, const std::string& name) const {
      auto it = values_.find({family, name});
      if (it != values_.end()) return it->second;
      return db.Get(family, name);
    }
    // Entries of `family` whose name starts with `prefix`.
    std::vector<std::pair<std::string, std::optional<std::string>>> WithPrefix(
        Family family, const std::string& prefix) const {
      std::vector<std::pair<std::string, std::optional<std::string>>> out;
      for (auto it = values_.lower_bound({family, prefix});
           it != values_.end() && it->first.first == family &&
           absl::StartsWith(it->first.second, prefix);
           ++it) {
        out.emplace_back(it->first.second, it->second);
      }
      return out;
    }

   private:
    std::map<std::pair<Family, std::string>, std::optional<std::string>>
        values_;
  };

  RocksDbQueryStore(std::unique_ptr<Db> db, uint64_t applied)
      : db_(std::move(db)), applied_(applied) {}

  // Writes the history entry of a summit event: the event with the
  // summit's new state (upsert) or last state (delete, merge).
  absl::Status AddHistory(const v1::ChangeEvent& event,
                          const std::optional<std::string>& old_bytes,
                          rocksdb::WriteBatch* batch) {
    const bool replaces =
        event.type() == v1::CHANGE_TYPE_DELETE || !event.alias_of().empty();
    if (!replaces) {
      // A ChangeRecord holding the event, without copying it into one.
      batch->Put(db_->cf(kChangelog), EncodeSequence(event.sequence()),
                 SerializeAsField1(event));
      return absl::OkStatus();
    }
    sv1::ChangeRecord record;
    *record.mutable_event() = event;
    // Deleted or aliased: the history keeps the summit's last state.
    record.mutable_event()->clear_summit();
    if (old_bytes.has_value()) {
      ASSIGN_OR_RETURN(
          auto old, ParseValue<sv1::SummitRecord>(*old_bytes, event.name()));
      if (old.has_summit()) {
        *record.mutable_event()->mutable_summit() = old.summit();
      }
    }
    batch->Put(db_->cf(kChangelog), EncodeSequence(event.sequence()),
               Serialize(record));
    return absl::OkStatus();
  }

  // Reads the children of `group_name` (DB + overlay) into `group`.
  absl::Status LoadChildren(const std::string& group_name,
                            const Overlay& overlay, Group* group) const {
    for (Family family : {kDeclarations, kInitiatives}) {
      const std::string prefix =
          absl::StrCat(group_name, family == kDeclarations ? kDeclarationsInfix
                                                           : kInitiativesInfix);
      std::map<std::string, std::optional<std::string>> children;
      auto it = db_->NewIterator(family);
      for (it->Seek(ToSlice(prefix));
           it->Valid() && absl::StartsWith(ToView(it->key()), prefix);
           it->Next()) {
        children[it->key().ToString()] = it->value().ToString();
      }
      RETURN_IF_ERROR(FromRocks(it->status(), kFamilyNames[family]));
      for (auto& [name, value] : overlay.WithPrefix(family, prefix)) {
        children[name] = std::move(value);
      }
      for (const auto& [name, value] : children) {
        if (!value.has_value()) continue;
        if (family == kDeclarations) {
          ASSIGN_OR_RETURN(auto r,
                           ParseValue<sv1::DeclarationRecord>(*value, name));
          group->declarations.push_back(std::move(*r.mutable_declaration()));
        } else {
          ASSIGN_OR_RETURN(auto r,
                           ParseValue<sv1::InitiativeRecord>(*value, name));
          group->initiatives.push_back(std::move(*r.mutable_initiative()));
        }
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Group> LoadGroup(const std::string& group_name,
                                  const Overlay& overlay) const {
    Group group;
    ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                     overlay.Get(*db_, kSummits, group_name));
    if (bytes.has_value()) {
      ASSIGN_OR_RETURN(auto record,
                       ParseValue<sv1::SummitRecord>(*bytes, group_name));
      if (record.has_summit())
        group.summit = std::move(*record.mutable_summit());
    }
    RETURN_IF_ERROR(LoadChildren(group_name, overlay, &group));
    return group;
  }

  // Recomputes the keys of one group and stages the difference.
  absl::Status Reindex(const std::string& group_name, const Overlay& overlay,
                       rocksdb::WriteBatch* batch,
                       std::map<std::string, int64_t>* counter_deltas) {
    std::vector<std::string> old_keys;
    ASSIGN_OR_RETURN(auto stored, db_->Get(kMeta, GroupKeysKey(group_name)));
    if (stored.has_value()) {
      auto decoded = DecodeKeyList(*stored);
      if (!decoded.has_value()) {
        return absl::DataLossError(
            absl::StrCat("malformed index key list of ", group_name));
      }
      old_keys = std::move(*decoded);
    }
    ASSIGN_OR_RETURN(Group group, LoadGroup(group_name, overlay));
    const std::vector<std::string> new_keys = GroupIndexKeys(group_name, group);
    std::vector<std::string> removed;
    std::vector<std::string> added;
    std::set_difference(old_keys.begin(), old_keys.end(), new_keys.begin(),
                        new_keys.end(), std::back_inserter(removed));
    std::set_difference(new_keys.begin(), new_keys.end(), old_keys.begin(),
                        old_keys.end(), std::back_inserter(added));
    for (const std::string& key : removed) {
      batch->Delete(db_->cf(kIndex), key);
      --(*counter_deltas)[CounterKey(PostingPrefix(key))];
    }
    for (const std::string& key : added) {
      batch->Put(db_->cf(kIndex), key, "");
      ++(*counter_deltas)[CounterKey(PostingPrefix(key))];
    }
    if (removed.empty() && added.empty()) return absl::OkStatus();
    if (new_keys.empty()) {
      batch->Delete(db_->cf(kMeta), GroupKeysKey(group_name));
    } else {
      batch->Put(db_->cf(kMeta), GroupKeysKey(group_name),
                 EncodeKeyList(new_keys));
    }
    return absl::OkStatus();
  }

  absl::Status ApplyCounterDeltas(const std::map<std::string, int64_t>& deltas,
                                  rocksdb::WriteBatch* batch) {
    for (const auto& [key, delta] : deltas) {
      if (delta == 0) continue;
      ASSIGN_OR_RETURN(auto bytes, db_->Get(kMeta, key));
      int64_t count = 0;
      if (bytes.has_value()) {
        auto decoded = DecodeSequence(*bytes);
        if (!decoded.has_value()) {
          return absl::DataLossError("malformed index counter");
        }
        count = static_cast<int64_t>(*decoded);
      }
      count += delta;
      if (count <= 0) {
        batch->Delete(db_->cf(kMeta), key);
      } else {
        batch->Put(db_->cf(kMeta), key,
                   EncodeSequence(static_cast<uint64_t>(count)));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> ReadCounter(absl::string_view posting_prefix) const {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(kMeta, CounterKey(posting_prefix)));
    if (!bytes.has_value()) return 0;
    auto decoded = DecodeSequence(*bytes);
    if (!decoded.has_value()) {
      return absl::DataLossError("malformed index counter");
    }
    return static_cast<int64_t>(*decoded);
  }

  // Leapfrog join of the plan's posting lists over the {date, name}
  // suffix; fetches only the records of the matches it returns, then looks
  // ahead (index only) for one more match to decide whether there is a
  // next page.
  struct ResolvedSummit {
    // The summit's current name and bytes; nullopt when there is none.
    std::string name;
    std::optional<std::string> payload;
  };

  // Follows the aliases merges leave (one hop by construction; bounded by
  // kMaxAliasHops against a damaged store) to the current summit.
  absl::StatusOr<ResolvedSummit> ResolveSummit(absl::string_view name) const {
    ResolvedSummit resolved{std::string(name), std::nullopt};
    for (int hop = 0; hop < kMaxAliasHops; ++hop) {
      ASSIGN_OR_RETURN(auto bytes, db_->Get(kSummits, resolved.name));
      if (!bytes.has_value()) break;
      std::string alias_of;
      ASSIGN_OR_RETURN(resolved.payload,
                       EnvelopePayload<sv1::SummitRecord>(
                           *std::move(bytes), resolved.name, &alias_of));
      if (alias_of.empty()) return resolved;
      resolved.name = std::move(alias_of);
    }
    resolved.payload.reset();
    return resolved;
  }

  // The current name of the child that lists `alias` among its aliases.
  absl::StatusOr<std::optional<std::string>> ChildAliasTarget(
      absl::string_view alias) const {
    const std::string prefix = KeyPrefix({kChildAlias, alias});
    auto it = db_->NewIterator(kIndex);
    it->Seek(ToSlice(prefix));
    if (it->Valid() && absl::StartsWith(ToView(it->key()), prefix)) {
      return std::string(NameOfSuffix(ToView(it->key()).substr(prefix.size())));
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "index"));
    return std::nullopt;
  }

  // The stored bytes of the child `name`, or of the child listing it as
  // an alias.
  absl::StatusOr<std::optional<std::string>> GetChildRecord(
      Family family, absl::string_view name) const {
    ASSIGN_OR_RETURN(auto bytes, db_->Get(family, name));
    if (bytes.has_value()) return bytes;
    ASSIGN_OR_RETURN(std::optional<std::string> target, ChildAliasTarget(name));
    if (!target.has_value()) return std::nullopt;
    return db_->Get(family, *target);
  }

  // A declaration's or initiative's API message bytes. Names clients hold
  // keep working: a child's former names (its `aliases`, from sources that
  // titled it differently) resolve to it, and since children are named
  // under their summit, a name under a former summit name resolves under
  // the summit's current name. NOT_FOUND names `kind`.
  template <typename Record>
  absl::StatusOr<std::string> GetChildPayload(
      Family family, absl::string_view name, absl::string_view kind,
      const absl::StatusOr<schema::ParsedName>& parsed,
      std::string (*child_name)(absl::string_view, absl::string_view)) const {
    ASSIGN_OR_RETURN(auto bytes, GetChildRecord(family, name));
    if (!bytes.has_value() && parsed.ok()) {
      const std::string summit = schema::SummitName(parsed->summit_id);
      ASSIGN_OR_RETURN(ResolvedSummit current, ResolveSummit(summit));
      if (current.payload.has_value() && current.name != summit) {
        ASSIGN_OR_RETURN(
            bytes,
            GetChildRecord(family, child_name(current.name, parsed->child_id)));
      }
    }
    if (bytes.has_value()) {
      ASSIGN_OR_RETURN(std::optional<std::string> payload,
                       EnvelopePayload<Record>(*std::move(bytes), name));
      if (payload.has_value()) return *std::move(payload);
    }
    return absl::NotFoundError(absl::StrCat(kind, " ", name, " not found"));
  }

  template <typename Record>
  absl::StatusOr<ListPage<std::string>> ListJoined(
      const Plan& plan, Family family, bool ascending, int page_size,
      const std::string& resume_after, ReadStats* stats) const {
    ListPage<std::string> page;
    std::vector<PostingCursor> cursors;
    cursors.reserve(plan.prefixes.size());
    for (const std::string& prefix : plan.prefixes) {
      cursors.emplace_back(db_->NewIterator(kIndex), prefix, stats);
    }
    const size_t k = cursors.size();
    std::string target = resume_after;
    bool exclusive = !resume_after.empty();
    if (resume_after.empty()) target = ascending ? plan.lo : plan.hi;
    size_t agree = 0;
    size_t i = 0;
    std::string last_returned;
    bool more = false;
    while (true) {
      PostingCursor& cursor = cursors[i];
      if (!cursor.Seek(target, exclusive, ascending)) {
        RETURN_IF_ERROR(cursor.status());
        break;
      }
      const absl::string_view suffix = cursor.suffix();
      if (ascending ? suffix > plan.hi : suffix < plan.lo) break;
      if (!exclusive && suffix == target) {
        ++agree;
      } else {
        target = std::string(suffix);
        exclusive = false;
        agree = 1;
      }
      if (agree == k) {
        if (static_cast<int>(page.items.size()) == page_size) {
          more = true;
          break;
        }
        const std::string name(NameOfSuffix(target));
        ASSIGN_OR_RETURN(auto bytes, db_->Get(family, name));
        if (bytes.has_value()) {
          if (stats != nullptr) ++stats->records_read;
          ASSIGN_OR_RETURN(std::optional<std::string> payload,
                           EnvelopePayload<Record>(*std::move(bytes), name));
          if (payload.has_value()) {
            page.items.push_back(*std::move(payload));
            last_returned = target;
          }
        }
        exclusive = true;
        agree = 0;
      }
      i = (i + 1) % k;
    }
    if (more) page.resume_after = last_returned;
    // total_size (AIP-158 estimate).
    if (resume_after.empty() && !more) {
      page.total_size = static_cast<int64_t>(page.items.size());
    } else {
      int64_t smallest = -1;
      for (const std::string& prefix : plan.prefixes) {
        ASSIGN_OR_RETURN(int64_t count, ReadCounter(prefix));
        if (smallest < 0 || count < smallest) smallest = count;
      }
      page.total_size = std::max<int64_t>(smallest, 0);
    }
    return page;
  }

  // Folds one chair-index entry into the organisation's periods.
  static void AddChairObservation(const std::vector<std::string>& parts,
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

  static v1::PartialDate DecodeDateKey(absl::string_view key) {
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

  // Rebuilds every index key, counter and key list from the stored records
  // when the stored index layout is not the current one (new stores too:
  // then there is nothing to index).
  absl::Status ReindexIfNeeded() {
    absl::MutexLock lock(&mu_);
    ASSIGN_OR_RETURN(auto version, db_->Get(kMeta, kIndexVersionKey));
    ASSIGN_OR_RETURN(auto floor_bytes, db_->Get(kMeta, kHistoryFloorKey));
    if (floor_bytes.has_value()) {
      auto floor = DecodeSequence(*floor_bytes);
      if (!floor.has_value()) {
        return absl::DataLossError("malformed history floor");
      }
      history_floor_ = *floor;
    }
    if (version.has_value() && *version == kIndexVersion) {
      return absl::OkStatus();
    }
    {
      rocksdb::WriteBatch wipe;
      wipe.DeleteRange(db_->cf(kIndex), "", "\xff\xff\xff\xff");
      for (absl::string_view prefix : {kCounterPrefix, kGroupKeysPrefix}) {
        wipe.DeleteRange(db_->cf(kMeta), KeyPrefix({prefix}),
                         absl::StrCat(prefix, "\x01"));
      }
      RETURN_IF_ERROR(db_->Write(&wipe));
    }
    std::set<std::string> groups;
    for (Family family : {kSummits, kDeclarations, kInitiatives}) {
      auto it = db_->NewIterator(family);
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        groups.insert(GroupOf(ToView(it->key())));
      }
      RETURN_IF_ERROR(FromRocks(it->status(), kFamilyNames[family]));
    }
    std::map<std::string, int64_t> deltas;
    rocksdb::WriteBatch batch;
    for (const std::string& group_name : groups) {
      RETURN_IF_ERROR(Reindex(group_name, Overlay(), &batch, &deltas));
      if (batch.Count() > 10000) {
        RETURN_IF_ERROR(db_->Write(&batch));
        batch.Clear();
      }
    }
    RETURN_IF_ERROR(ApplyCounterDeltas(deltas, &batch));
    // History written before this layout is not kept: replays start here.
    batch.DeleteRange(db_->cf(kChangelog), EncodeSequence(0),
                      EncodeSequence(applied_ + 1));
    history_floor_ = applied_;
    batch.Put(db_->cf(kMeta), kHistoryFloorKey, EncodeSequence(applied_));
    batch.Put(db_->cf(kMeta), kIndexVersionKey, kIndexVersion);
    return db_->Write(&batch);
  }

  std::unique_ptr<Db> db_;
  // Serialises ApplyChanges (and the re-index at open).
  absl::Mutex apply_mu_;
  mutable absl::Mutex mu_;
  uint64_t applied_ ABSL_GUARDED_BY(mu_);
  uint64_t history_floor_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

namespace {

template <typename Message>
absl::StatusOr<Message> ParsePayload(absl::StatusOr<std::string> bytes) {
  if (!bytes.ok()) return std::move(bytes).status();
  Message message;
  if (!message.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat(
        "stored ", Message::descriptor()->name(), " bytes do not parse"));
  }
  return message;
}

template <typename Message>
absl::StatusOr<ListPage<Message>> ParsePage(
    absl::StatusOr<ListPage<std::string>> bytes) {
  if (!bytes.ok()) return std::move(bytes).status();
  ListPage<Message> page;
  page.items.reserve(bytes->items.size());
  for (std::string& item : bytes->items) {
    ASSIGN_OR_RETURN(page.items.emplace_back(),
                     ParsePayload<Message>(std::move(item)));
  }
  page.resume_after = std::move(bytes->resume_after);
  page.total_size = bytes->total_size;
  return page;
}

}  // namespace

absl::StatusOr<v1::Summit> QueryStore::GetSummit(absl::string_view name) const {
  return ParsePayload<v1::Summit>(GetSummitBytes(name));
}
absl::StatusOr<ListPage<v1::Summit>> QueryStore::ListSummits(
    const SummitQuery& query) const {
  return ParsePage<v1::Summit>(ListSummitBytes(query));
}
absl::StatusOr<v1::Declaration> QueryStore::GetDeclaration(
    absl::string_view name) const {
  return ParsePayload<v1::Declaration>(GetDeclarationBytes(name));
}
absl::StatusOr<ListPage<v1::Declaration>> QueryStore::ListDeclarations(
    const DeclarationQuery& query) const {
  return ParsePage<v1::Declaration>(ListDeclarationBytes(query));
}
absl::StatusOr<v1::Initiative> QueryStore::GetInitiative(
    absl::string_view name) const {
  return ParsePayload<v1::Initiative>(GetInitiativeBytes(name));
}
absl::StatusOr<ListPage<v1::Initiative>> QueryStore::ListInitiatives(
    const InitiativeQuery& query) const {
  return ParsePage<v1::Initiative>(ListInitiativeBytes(query));
}

absl::StatusOr<std::unique_ptr<QueryStore>> OpenQueryStore(
    const std::string& dir, const StoreOptions& options) {
  return RocksDbQueryStore::Open(dir, options);
}

}  // namespace communique::store
