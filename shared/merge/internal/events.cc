#include "shared/merge/internal/events.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "shared/merge/internal/claims.h"
#include "shared/merge/internal/participants.h"
#include "shared/merge/internal/text_keys.h"
#include "shared/schema/names.h"

namespace communique::merge::internal {
namespace {

// Two stated values differ (an unstated value contradicts nothing).
bool StatedAndDifferent(const std::string &a, const std::string &b) {
  return !a.empty() && !b.empty() && a != b;
}

// Some seat is held by different people in the two rosters: both name
// someone for it and nobody in common. Listing several people for one seat
// (an extraction slip, or a deputy) is not a contradiction as long as one
// of them is in both.
bool RostersContradict(const Mention &a, const Mention &b) {
  for (const auto &[seat, people] : a.roster) {
    auto it = b.roster.find(seat);
    if (it == b.roster.end())
      continue;
    std::vector<std::string> shared;
    std::set_intersection(people.begin(), people.end(), it->second.begin(),
                          it->second.end(), std::back_inserter(shared));
    if (shared.empty())
      return true;
  }
  return false;
}

// Whether `mention` may join `event`, the only event it is compatible with,
// given that every mention of `event` is at least as precise as `mention`
// (resolution goes most precise first).
//  * A month or day date is its own agreement.
//  * A year-only mention joins an event with a month or day date; an event
//    of year-only mentions only when both state the same city.
//  * An undated mention joins an undated event only when both state the
//    same city and the same chairmanship handover (next chair and the date
//    it starts): organisation, body and city alone do not tell sessions
//    apart across years.
bool Agrees(const Mention &mention, const Event &event) {
  const int precision = Precision(mention.date);
  if (precision >= 2)
    return true;
  if (mention.city_key.empty() || event.city_key.empty())
    return precision == 1 && Precision(event.date) >= 2;
  if (precision == 1)
    return true;
  if (mention.handover.empty())
    return false;
  for (const Mention *other : event.mentions) {
    if (other->handover == mention.handover)
      return true;
  }
  return false;
}

} // namespace

Mention MakeMention(const v1::ArticleExtraction &extraction,
                    const v1::Summit &summit) {
  Mention mention;
  mention.extraction = &extraction;
  mention.summit = &summit;
  mention.article = extraction.article();
  mention.date = NormalizedDate(summit.date());
  const std::string &city = summit.location().city();
  mention.city_key = city.empty() ? "" : TextKey(city);
  const std::string &country = summit.location().country();
  mention.country_key = country.empty() ? "" : TextKey(country);
  for (int format : summit.formats()) {
    mention.video |= format == v1::SUMMIT_FORMAT_VIDEOCONFERENCE;
    mention.in_person |= format == v1::SUMMIT_FORMAT_IN_PERSON;
  }
  for (const v1::Participant &p : summit.participants()) {
    const std::string party = Party(p);
    const std::string family = RoleFamily(p.role());
    std::string person = p.person_id();
    if (person.empty() && !p.name().empty()) {
      person = absl::StrCat("n:", TextKey(p.name()));
    }
    if (party.empty() || family.empty() || person.empty())
      continue;
    mention.roster[absl::StrCat(party, "|", family)].insert(person);
  }
  const v1::PartialDate from = NormalizedDate(summit.next_chair().from_date());
  if (!summit.next_chair().country().empty() && from.year() != 0) {
    mention.handover = absl::StrCat(TextKey(summit.next_chair().country()), "|",
                                    schema::FormatPartialDate(from));
  }
  mention.bytes = DeterministicBytes(summit);
  return mention;
}

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

std::string Contradiction(const Mention &a, const Mention &b) {
  // One article's mentions are sessions the extractor told apart.
  if (a.article == b.article)
    return "same article";
  if (!DatesCompatible(a.date, b.date))
    return "date";
  if (StatedAndDifferent(a.city_key, b.city_key))
    return "city";
  if (StatedAndDifferent(a.country_key, b.country_key))
    return "country";
  if ((a.video && b.in_person) || (a.in_person && b.video))
    return "format";
  if (RostersContradict(a, b))
    return "roster";
  return "";
}

// Greedy resolution over the canonical mention order (most precise first).
// A mention is compatible with an event when it contradicts none of the
// event's mentions (Contradiction). It joins an event only when that event
// is the only compatible one and Agrees() holds; with no compatible event,
// or several (ambiguous: the mention could be either session), it starts a
// new one. A missed merge is a duplicate that a later article can join; a
// wrong one corrupts two sessions.
std::vector<Event> ResolveEvents(const std::vector<Mention> &mentions) {
  std::vector<Event> events;
  for (const Mention &mention : mentions) {
    Event *only = nullptr;
    int compatible = 0;
    // An undated mention without a city and a dated handover can join
    // nothing (Agrees): no need to scan, which keeps an organisation's
    // ever-growing undated cluster linear.
    const bool can_join =
        Precision(mention.date) > 0 ||
        (!mention.city_key.empty() && !mention.handover.empty());
    for (Event &event : events) {
      if (!can_join)
        break;
      bool contradicts =
          std::any_of(event.mentions.begin(), event.mentions.end(),
                      [&](const Mention *other) {
                        return !Contradiction(mention, *other).empty();
                      });
      if (contradicts)
        continue;
      only = &event;
      if (++compatible > 1)
        break; // ambiguous: it joins nothing
    }
    Event *target = nullptr;
    if (compatible == 1 && Agrees(mention, *only))
      target = only;
    if (target == nullptr) {
      events.emplace_back();
      target = &events.back();
    }
    target->mentions.push_back(&mention);
    target->articles.insert(mention.article);
    if (Precision(mention.date) > Precision(target->date)) {
      target->date = mention.date;
    }
    if (target->city_key.empty())
      target->city_key = mention.city_key;
  }
  return events;
}

} // namespace communique::merge::internal
