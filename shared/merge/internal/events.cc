#include "shared/merge/internal/events.h"

#include <string>
#include <tuple>
#include <vector>

#include "shared/merge/internal/claims.h"
#include "shared/schema/names.h"

namespace communique::merge::internal {

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

} // namespace communique::merge::internal
