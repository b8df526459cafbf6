// Children: the declarations and initiatives of one merged summit, from
// every article's mentions of them. Internal to shared/merge; pure and
// thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "communique/v1/declaration.pb.h"
#include "communique/v1/initiative.pb.h"
#include "communique/v1/summit.pb.h"

namespace communique::merge::internal {

// One summit's declaration and initiative mentions, each with the article
// it comes from.
struct ChildMentions {
  std::vector<std::pair<std::string, const v1::Declaration *>> declarations;
  std::vector<std::pair<std::string, const v1::Initiative *>> initiatives;
};

// Merges `mentions` into the canonical children of `summit` (which must be
// named): appends them to `declarations` and `initiatives`, and their names,
// sorted, to the summit's `declarations` and `initiatives` fields.
//  * Declarations: one per kind and title content words (Jaccard >= 0.75);
//    the strongest status (adopted/signed/approved > supported > proposed).
//  * Initiatives: same proposer and content words of title+summary sharing
//    >= 2 words and >= half of the smaller set; the most advanced status.
//  * Ids are Slugify(title), "-2", "-3", ... on collisions within a summit;
//    aliases are the ids single sources would have given, when unambiguous.
// A function of the set of mentions.
void MergeChildren(const ChildMentions &mentions, v1::Summit &summit,
                   std::vector<v1::Declaration> &declarations,
                   std::vector<v1::Initiative> &initiatives);

} // namespace communique::merge::internal
