// Participants: who took part in one session, merged from every article's
// list. Internal to shared/merge; pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "communique/v1/summit.pb.h"

namespace communique::merge::internal {

// One article's mention of a participant.
struct ParticipantItem {
  std::string article;
  const v1::Participant *participant;
};

// Whom a participant represents: "c:{country}" or "o:{organization}"
// (TextKeys); "" when neither is stated.
std::string Party(const v1::Participant &p);

// One participant per person (see participants.cc for the phases), sorted
// by country, organisation, name, person id and role. A function of the
// set of items.
std::vector<v1::Participant>
MergeParticipants(const std::vector<ParticipantItem> &items);

} // namespace communique::merge::internal
