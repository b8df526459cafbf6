#include "shared/merge/internal/participants.h"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "shared/merge/internal/claims.h"
#include "shared/merge/internal/text_keys.h"

namespace communique::merge::internal {

std::string Party(const v1::Participant &p) {
  if (!p.country().empty())
    return absl::StrCat("c:", TextKey(p.country()));
  if (!p.organization().empty()) {
    return absl::StrCat("o:", TextKey(p.organization()));
  }
  return "";
}

namespace {

struct ParticipantGroup {
  std::string key;
  std::vector<ParticipantItem> items;
  std::set<std::string> articles;
  std::set<std::string> name_keys;
  std::set<std::pair<std::string, std::string>> party_roles;

  void Add(const ParticipantItem &item, absl::string_view party,
           absl::string_view family) {
    items.push_back(item);
    articles.insert(item.article);
    if (!item.participant->name().empty()) {
      name_keys.insert(TextKey(item.participant->name()));
    }
    if (!party.empty() && !family.empty()) {
      party_roles.emplace(std::string(party), std::string(family));
    }
  }
};

// Among `groups`, the one with most distinct articles, then smallest key,
// that `accept` accepts; nullptr if none.
template <typename Accept>
ParticipantGroup *BestGroup(std::map<std::string, ParticipantGroup> &groups,
                            Accept accept) {
  ParticipantGroup *best = nullptr;
  for (auto &[key, group] : groups) { // ascending key: ties keep the first
    if (!accept(group))
      continue;
    if (best == nullptr || group.articles.size() > best->articles.size()) {
      best = &group;
    }
  }
  return best;
}

} // namespace

// Resolution in three phases, each reading only the result of the previous
// one so that the outcome is a function of the set:
//  1. participants with a person_id: one per person_id;
//  2. named, without person_id: join a phase-1 person with the same name,
//     else one with the same party and role family, else one per
//     (party, role family, name);
//  3. role-only (no name, no id): join a person with the same party and role
//     family ("President of Belarus" -> Lukashenko), else one per
//     (party, role family).
// Ties between candidate persons go to the most supported, then the
// smallest key.
std::vector<v1::Participant>
MergeParticipants(const std::vector<ParticipantItem> &items) {
  std::map<std::string, ParticipantGroup> groups;
  std::vector<const ParticipantItem *> named, role_only;
  for (const ParticipantItem &item : items) {
    const v1::Participant &p = *item.participant;
    if (!p.person_id().empty()) {
      std::string key = absl::StrCat("id:", p.person_id());
      groups[key].key = key;
      groups[key].Add(item, Party(p), RoleFamily(p.role()));
    } else if (!p.name().empty()) {
      named.push_back(&item);
    } else {
      role_only.push_back(&item);
    }
  }

  std::map<std::string, ParticipantGroup> phase2;
  for (const ParticipantItem *item : named) {
    const v1::Participant &p = *item->participant;
    std::string party = Party(p), family = RoleFamily(p.role());
    std::string name_key = TextKey(p.name());
    ParticipantGroup *target =
        BestGroup(groups, [&](const ParticipantGroup &g) {
          return g.name_keys.count(name_key) > 0;
        });
    if (target == nullptr && !party.empty() && !family.empty()) {
      target = BestGroup(groups, [&](const ParticipantGroup &g) {
        return g.party_roles.count({party, family}) > 0;
      });
    }
    if (target == nullptr) {
      std::string key =
          absl::StrCat("name:", party, "|", family, "|", name_key);
      target = &phase2[key];
      target->key = key;
    }
    // Joining a phase-1 group must not change what later phase-2 items see,
    // so their name and role keys are only recorded for phase-2 groups.
    if (target->key.rfind("id:", 0) == 0) {
      target->items.push_back(*item);
      target->articles.insert(item->article);
    } else {
      target->Add(*item, party, family);
    }
  }
  for (auto &[key, group] : phase2)
    groups[key] = std::move(group);

  std::map<std::string, ParticipantGroup> phase3;
  for (const ParticipantItem *item : role_only) {
    const v1::Participant &p = *item->participant;
    std::string party = Party(p), family = RoleFamily(p.role());
    ParticipantGroup *target = nullptr;
    if (!party.empty() && !family.empty()) {
      target = BestGroup(groups, [&](const ParticipantGroup &g) {
        return g.party_roles.count({party, family}) > 0;
      });
    }
    if (target == nullptr) {
      std::string key = absl::StrCat("role:", party, "|", family);
      target = &phase3[key];
      target->key = key;
    }
    target->items.push_back(*item);
    target->articles.insert(item->article);
  }
  for (auto &[key, group] : phase3)
    groups[key] = std::move(group);

  std::vector<v1::Participant> out;
  for (const auto &[key, group] : groups) {
    std::vector<std::pair<std::string, std::string>> names, ids, roles,
        named_roles, countries, organizations;
    std::vector<v1::Evidence> evidence;
    bool remote = false;
    for (const ParticipantItem &item : group.items) {
      const v1::Participant &p = *item.participant;
      names.emplace_back(item.article, p.name());
      ids.emplace_back(item.article, p.person_id());
      roles.emplace_back(item.article, p.role());
      if (!p.name().empty())
        named_roles.emplace_back(item.article, p.role());
      countries.emplace_back(item.article, p.country());
      organizations.emplace_back(item.article, p.organization());
      remote = remote || p.remote();
      AppendAll(p.evidence(), evidence);
    }
    v1::Participant merged;
    merged.set_name(PickBySupport(names));
    merged.set_person_id(PickBySupport(ids));
    // The role stated next to the name is the better one ("President"
    // rather than a role-only "Acting President").
    std::string role = PickBySupport(named_roles);
    merged.set_role(role.empty() ? PickBySupport(roles) : role);
    merged.set_country(PickBySupport(countries));
    merged.set_organization(PickBySupport(organizations));
    merged.set_remote(remote);
    SetEvidence(std::move(evidence), merged.mutable_evidence());
    out.push_back(std::move(merged));
  }
  std::sort(out.begin(), out.end(),
            [](const v1::Participant &a, const v1::Participant &b) {
              return std::tie(a.country(), a.organization(), a.name(),
                              a.person_id(), a.role()) <
                     std::tie(b.country(), b.organization(), b.name(),
                              b.person_id(), b.role());
            });
  return out;
}

} // namespace communique::merge::internal
