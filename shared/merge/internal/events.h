// Events: which summit mentions of one cluster describe the same session.
// Internal to shared/merge; pure and thread-safe. merge.h states the rule
// for users; events.cc implements it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "communique/v1/article.pb.h"
#include "communique/v1/summit.pb.h"

namespace communique::merge::internal {

// One article's mention of a summit, with the keys resolution compares.
struct Mention {
  const v1::ArticleExtraction *extraction = nullptr;
  const v1::Summit *summit = nullptr;
  std::string article;
  v1::PartialDate date;    // normalised
  std::string city_key;    // TextKey of the city, "" when not stated
  std::string country_key; // TextKey of the host country, "" when not stated
  bool video = false;      // formats say it was held by video link
  bool in_person = false;  // formats say it was held in person
  // Who held which seat: "{party}|{role family}" -> person keys (person_id,
  // else "n:" + TextKey(name)). Only participants with a party, a role and
  // a person.
  std::map<std::string, std::set<std::string>> roster;
  // "{country}|{from date}" of a chairmanship handover when both are
  // stated, else "".
  std::string handover;
  std::string bytes; // deterministic serialization, last tie-break
};

// The mention of `summit` in `extraction`, with its keys filled in.
Mention MakeMention(const v1::ArticleExtraction &extraction,
                    const v1::Summit &summit);

// Mentions are resolved in this order: most precise date first, then those
// that state a city, then by date, city, article and bytes. The order is a
// function of the set of mentions, so the resolution is too.
bool MentionLess(const Mention &a, const Mention &b);

// Why two mentions cannot be one session, or "" when nothing keeps them
// apart: "same article", "date", "city", "country", "format", "roster".
std::string Contradiction(const Mention &a, const Mention &b);

// One session: the mentions resolved to it.
struct Event {
  std::vector<const Mention *> mentions;
  v1::PartialDate date; // most precise date of its mentions
  std::string city_key; // the city its mentions state, if any
  std::set<std::string> articles;
};

// Resolves mentions, sorted by MentionLess, into events (in order of
// creation); see events.cc and merge.h for the rule.
std::vector<Event> ResolveEvents(const std::vector<Mention> &mentions);

} // namespace communique::merge::internal
