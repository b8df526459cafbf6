// Who took part: named people, roles resolved through the dated roster, states.
#include "shared/extract/internal/run.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/types/span.h"
#include "shared/extract/internal/dates.h"
#include "shared/extract/internal/lists.h"
#include "shared/schema/names.h"
#include "shared/text/boilerplate.h"
#include "shared/text/garbled.h"
#include "shared/text/sentences.h"
#include "shared/text/utf8.h"

namespace communique::extract::internal {

std::string Run::CountryOfPerson(int person) const {
  const auto& p = g_.data().people(person);
  std::vector<int> terms = g_.TermsDuring(person, SummitRange());
  for (int t : terms)
    if (!p.terms(t).country().empty()) return p.terms(t).country();
  for (const auto& t : p.terms())
    if (!t.country().empty()) return t.country();
  return "";
}

std::string Run::RoleOfPerson(int person) const {
  const auto& p = g_.data().people(person);
  std::vector<int> terms = g_.TermsDuring(person, SummitRange());
  if (!terms.empty()) return p.terms(terms.back()).role();
  if (p.terms_size() > 0) return p.terms(p.terms_size() - 1).role();
  return "";
}

Referent Run::ResolveRole(const std::string& role, const std::string& country,
                          const std::string& organization) const {
  Referent r;
  r.role = role;
  r.country = country;
  r.organization = organization;
  if (date_.year() == 0 || role.empty()) return r;
  std::vector<int> holders =
      g_.OfficeHolders(role, country, organization, SummitRange());
  if (holders.size() == 1) r.person = holders[0];
  return r;
}

// Interprets mention `i` and the mentions glued to it:
//   person; role + person; demonym/state + role (+ person);
//   role + "of" + state/org (+ person); org + role (+ person).
Referent Run::ReferentAt(int i, int* consumed) const {
  *consumed = i;
  Referent r;
  const int n = static_cast<int>(mentions_.size());
  auto gap = [&](int a, int b) -> absl::string_view {
    return absl::string_view(lower_).substr(
        mentions_[a].span.end, mentions_[b].span.begin - mentions_[a].span.end);
  };
  auto glued = [&](int a, int b) {
    if (b >= n) return false;
    absl::string_view g = gap(a, b);
    return g == " " || g == ", " || g == "\xE2\x80\x99s " || g == "'s " ||
           g == "\xE2\x80\x99s, " || g == "'s, " || g == " the " ||
           g == " of the " || g == " of ";
  };
  const Mention& m = mentions_[i];
  // "Vladimir Putin, President of Russia, Nikol Pashinyan, Prime Minister
  // of Armenia": a role phrase right after a person and a comma is that
  // person's apposition, so the name after its comma is someone else.
  const bool apposition = i > 0 && gap(i - 1, i) == ", " &&
                          RefOfKind(mentions_[i - 1], EntityKind::kPerson);
  auto take_person = [&](int j) {
    // A person named right after a role phrase.
    if (j < n && glued(j - 1, j) && RefOfKind(mentions_[j], EntityKind::kPerson)) {
      absl::string_view g = gap(j - 1, j);
      if (g == " " || (g == ", " && !apposition)) {
        r.person = RefOfKind(mentions_[j], EntityKind::kPerson)->index;
        *consumed = j;
      }
    }
  };
  if (const EntityRef* p = RefOfKind(m, EntityKind::kPerson)) {
    r.person = p->index;
    return r;
  }
  const EntityRef* demonym = RefOfKind(m, EntityKind::kDemonym);
  const EntityRef* state = RefOfKind(m, EntityKind::kState);
  const EntityRef* org = RefOfKind(m, EntityKind::kOrganization);
  if ((demonym || state || org) && i + 1 < n && glued(i, i + 1) &&
      RefOfKind(mentions_[i + 1], EntityKind::kRole)) {
    absl::string_view g = gap(i, i + 1);
    if (g == " of " || g == " of the " || g == " the ") return r;
    const EntityRef* role = RefOfKind(mentions_[i + 1], EntityKind::kRole);
    r.role = g_.data().roles(role->index).role();
    if (org) {
      r.organization = g_.data().organizations(org->index).acronym();
    } else {
      r.country = g_.data().states((demonym ? demonym : state)->index).name();
    }
    *consumed = i + 1;
    take_person(i + 2);
    return r;
  }
  if (demonym && i + 1 < n && gap(i, i + 1) == " " &&
      RefOfKind(mentions_[i + 1], EntityKind::kPerson)) {
    // "Tajik Emomali Rahmon" is rare; treat as the person.
    r.person = RefOfKind(mentions_[i + 1], EntityKind::kPerson)->index;
    *consumed = i + 1;
    return r;
  }
  if (const EntityRef* role = RefOfKind(m, EntityKind::kRole)) {
    r.role = g_.data().roles(role->index).role();
    if (i + 1 < n && (gap(i, i + 1) == " of " || gap(i, i + 1) == " of the ")) {
      const Mention& next = mentions_[i + 1];
      if (const EntityRef* s = RefOfKind(next, EntityKind::kState)) {
        r.country = g_.data().states(s->index).name();
        *consumed = i + 1;
        take_person(i + 2);
        return r;
      }
      if (const EntityRef* o = RefOfKind(next, EntityKind::kOrganization)) {
        r.organization = g_.data().organizations(o->index).acronym();
        *consumed = i + 1;
        take_person(i + 2);
        return r;
      }
    }
    take_person(i + 1);
    return r;
  }
  if (state) {
    r.country = g_.data().states(state->index).name();
    return r;
  }
  if (demonym) {
    r.country = g_.data().states(demonym->index).name();
    return r;
  }
  return r;
}

void Run::AddParticipant(ParticipantDraft d) {
  Referent& w = d.who;
  if (w.person >= 0) {
    if (w.country.empty() && w.organization.empty()) {
      const auto& p = g_.data().people(w.person);
      std::vector<int> terms = g_.TermsDuring(w.person, SummitRange());
      const gazetteer::v1::Term* term = nullptr;
      for (int t : terms) {
        if (w.role.empty() || p.terms(t).role() == w.role) term = &p.terms(t);
      }
      if (!term && !terms.empty()) term = &p.terms(terms.back());
      if (!term && p.terms_size() > 0) term = &p.terms(p.terms_size() - 1);
      if (term) {
        w.country = term->country();
        w.organization = term->organization();
      }
    }
    if (w.role.empty()) w.role = RoleOfPerson(w.person);
  }
  for (ParticipantDraft& e : participants_) {
    bool same = false;
    if (w.person >= 0 && e.who.person == w.person) same = true;
    if (!same && (w.person < 0 || e.who.person < 0) &&
        RoleFamily(w.role) == RoleFamily(e.who.role) &&
        ((!w.country.empty() && w.country == e.who.country) ||
         (!w.organization.empty() && w.organization == e.who.organization))) {
      same = true;
    }
    if (same) {
      if (e.who.person < 0 && w.person >= 0) {
        e.who.person = w.person;
      }
      if (d.named_in_text && !e.named_in_text) {
        // A textual role ("acting President") wins over the roster's.
        e.who.role = w.role;
        e.named_in_text = true;
      }
      e.remote = e.remote || d.remote;
      e.bare_state = e.bare_state && d.bare_state;
      for (const Span& s : d.evidence) e.evidence.push_back(s);
      return;
    }
  }
  participants_.push_back(std::move(d));
}

void Run::FindParticipants() {
  const auto& org = g_.data().organizations(org_);
  absl::flat_hash_set<std::string> members(org.members().begin(),
                                           org.members().end());
  const int n = static_cast<int>(mentions_.size());
  for (const Sentence& s : sentences_) {
    bool participation =
        FindAnyWord(lists_, kParticipationWords, s.span) != kNpos;
    for (int i = s.first_mention; i < s.end_mention; ++i) {
      const Mention& m = mentions_[i];
      int consumed = i;
      Referent r = ReferentAt(i, &consumed);
      // "Armenia was represented by its Prime Minister", "the CIS by its
      // Secretary General": a bare role after "its" belongs to the nearest
      // state or organisation named before it in the sentence.
      if (r.person < 0 && !r.role.empty() && r.country.empty() &&
          r.organization.empty() && m.span.begin >= 4 &&
          absl::string_view(lower_).substr(m.span.begin - 4, 4) == "its ") {
        for (int j = i - 1; j >= s.first_mention; --j) {
          if (const EntityRef* st = RefOfKind(mentions_[j], EntityKind::kState)) {
            r.country = g_.data().states(st->index).name();
            break;
          }
          if (const EntityRef* o =
                  RefOfKind(mentions_[j], EntityKind::kOrganization)) {
            r.organization = g_.data().organizations(o->index).acronym();
            break;
          }
        }
      }
      bool is_role_phrase = !r.role.empty();
      bool is_state_only = r.person < 0 && r.role.empty();
      if (!r.valid()) {
        i = consumed;
        continue;
      }
      // Plural roles with a list: "the Presidents of Kazakhstan, Belarus and
      // Kyrgyzstan".
      std::vector<Referent> referents;
      if (is_role_phrase && r.person < 0 && !r.country.empty()) {
        referents.push_back(r);
        int j = consumed + 1;
        while (j < s.end_mention) {
          absl::string_view g = absl::string_view(lower_).substr(
              mentions_[j - 1].span.end,
              mentions_[j].span.begin - mentions_[j - 1].span.end);
          if (g != ", " && g != " and " && g != ", and " && g != " & ")
            break;
          const EntityRef* st = RefOfKind(mentions_[j], EntityKind::kState);
          if (!st) break;
          // "..., Armenian PM" is a new phrase, not a list item.
          if (j + 1 < n && RefOfKind(mentions_[j + 1], EntityKind::kRole) &&
              mentions_[j + 1].span.begin - mentions_[j].span.end <= 1)
            break;
          Referent item;
          item.role = r.role;
          item.country = g_.data().states(st->index).name();
          referents.push_back(item);
          consumed = j;
          ++j;
        }
      } else {
        referents.push_back(r);
      }
      Span phrase{m.span.begin, mentions_[consumed].span.end};
      for (Referent& ref : referents) {
        // "Armenia was represented by its Prime Minister".
        if (ref.person < 0 && !ref.role.empty() && ref.country.empty() &&
            ref.organization.empty() && m.span.begin >= 4 &&
            absl::string_view(lower_).substr(m.span.begin - 4, 4) == "its ") {
          for (int j = i - 1; j >= s.first_mention; --j) {
            if (const EntityRef* st = RefOfKind(mentions_[j], EntityKind::kState)) {
              ref.country = g_.data().states(st->index).name();
              break;
            }
          }
        }
        if (ref.person < 0 && !ref.role.empty()) {
          if (ref.country.empty() && ref.organization.empty()) continue;
          Referent resolved = ResolveRole(ref.role, ref.country, ref.organization);
          ref.person = resolved.person;
        }
        if (is_state_only) {
          // A bare state counts only in a sentence about who took part, and
          // not when it is the possessor of something else ("Kazakhstan's
          // chairmanship").
          if (!participation) continue;
          // Background: "A, B and C joined the treaty in 1993".
          bool earlier = false;
          if (date_.year() != 0)
            for (const TextDate& d : DatesIn(s, true))
              if (d.year != 0 && d.year < date_.year()) earlier = true;
          if (earlier) continue;
          absl::string_view after = absl::string_view(lower_).substr(
              m.span.end, std::min<size_t>(3, lower_.size() - m.span.end));
          if (absl::StartsWith(after, "\xE2\x80\x99") ||
              absl::StartsWith(after, "'"))
            continue;
          if (RefOfKind(m, EntityKind::kDemonym)) continue;
          // Only states listed as taking part: "those from A, B and C".
          bool listed = false;
          absl::string_view pre = absl::string_view(lower_).substr(
              m.span.begin >= 5 ? m.span.begin - 5 : 0,
              m.span.begin >= 5 ? 5 : m.span.begin);
          if (pre == "from ") listed = true;
          for (int j : {i - 1, i + 1}) {
            if (j < s.first_mention || j >= s.end_mention) continue;
            if (!RefOfKind(mentions_[j], EntityKind::kState)) continue;
            const Mention& a = mentions_[std::min(i, j)];
            const Mention& b2 = mentions_[std::max(i, j)];
            absl::string_view g = absl::string_view(lower_).substr(
                a.span.end, b2.span.begin - a.span.end);
            if (g == ", " || g == " and " || g == ", and ") listed = true;
          }
          if (!listed) continue;
          ref.role = "President";
        }
        // Eligibility: officials of organisations that are secretaries
        // general; states that are members (or take part explicitly).
        std::string country = CountryOfReferent(ref);
        if (ref.person >= 0 && ref.organization.empty() && country.empty()) {
          const auto& p = g_.data().people(ref.person);
          for (const auto& t : p.terms())
            if (!t.organization().empty()) ref.organization = t.organization();
        }
        if (!ref.organization.empty() && country.empty()) {
          std::string role = ref.role.empty() && ref.person >= 0
                                 ? RoleOfPerson(ref.person)
                                 : ref.role;
          if (RoleFamily(role) != "secretary general") continue;
        } else {
          if (country.empty()) continue;
          if (!members.empty() && !members.contains(country) && !participation)
            continue;
        }
        if (ref.person >= 0 && date_.year() != 0 &&
            g_.TermsDuring(ref.person, SummitRange()).empty() && !participation)
          continue;
        {
          // "rather than by President Sadyr Japarov", "did not attend".
          size_t b = phrase.begin;
          absl::string_view before = absl::string_view(lower_).substr(
              b >= 24 ? b - 24 : 0, b >= 24 ? 24 : b);
          // "neither Prime Minister X nor any other official took part".
          if (absl::StrContains(before, "neither") &&
              HasWord(words_, "nor", {phrase.end, s.span.end}))
            continue;
          if (absl::StrContains(before, "rather than") ||
              absl::StrContains(before, "instead of") ||
              absl::StrContains(before, "except") ||
              absl::StrContains(before, "absence of") ||
              absl::StrContains(before, "without"))
            continue;
          absl::string_view after = absl::string_view(lower_).substr(
              phrase.end, std::min<size_t>(40, s.span.end - phrase.end));
          if (absl::StrContains(after, "did not attend") ||
              absl::StrContains(after, "was absent") ||
              absl::StrContains(after, "skipped") ||
              absl::StrContains(after, "not attending"))
            continue;
        }
        ParticipantDraft d;
        d.who = ref;
        d.named_in_text = is_role_phrase && ref.person >= 0 &&
                          RefOfKind(mentions_[consumed], EntityKind::kPerson);
        d.evidence.push_back(phrase);
        d.bare_state = is_state_only;
        // Joined by video: "Russian Leader who joined the meeting via
        // videoconference".
        size_t limit = s.span.end;
        if (consumed + 1 < s.end_mention)
          limit = std::min(limit, mentions_[consumed + 1].span.begin);
        Span tail{phrase.end, std::min(limit, phrase.end + 80)};
        if (FindAnyWord(lists_, kVideoWords, tail) != kNpos ||
            HasWord(words_, "remotely", tail) || HasWord(words_, "online", tail)) {
          d.remote = true;
        }
        AddParticipant(std::move(d));
      }
      i = consumed;
    }
  }
  // At a ministerial council (a body that is not the heads of state') the
  // states' participants are ministers, whom CONVENTIONS.md does not list,
  // and a head of state there only received the ministers: keep only the
  // organisations' officials.
  if (body_ >= 0 &&
      !g_.data().organizations(org_).bodies(body_).heads_of_state()) {
    participants_.erase(
        std::remove_if(participants_.begin(), participants_.end(),
                       [](const ParticipantDraft& d) {
                         return !d.who.country.empty();
                       }),
        participants_.end());
  }
  // A bare state whose delegation the article also names otherwise
  // ("India and Pakistan were admitted ..." beside "Indian Prime Minister
  // Narendra Modi") is that delegation, not another participant with an
  // assumed role.
  absl::flat_hash_set<std::string> represented;
  for (const ParticipantDraft& d : participants_)
    if (!d.bare_state && !d.who.country.empty()) represented.insert(d.who.country);
  participants_.erase(
      std::remove_if(participants_.begin(), participants_.end(),
                     [&](const ParticipantDraft& d) {
                       return d.bare_state && represented.count(d.who.country);
                     }),
      participants_.end());
  // Order: countries, then organisations, then names.
  std::stable_sort(participants_.begin(), participants_.end(),
                   [](const ParticipantDraft& a, const ParticipantDraft& b) {
                     bool ao = a.who.country.empty();
                     bool bo = b.who.country.empty();
                     if (ao != bo) return !ao;
                     if (a.who.country != b.who.country)
                       return a.who.country < b.who.country;
                     return a.who.organization < b.who.organization;
                   });
}

Referent Run::FocusBefore(size_t pos) const {
  // The most recent person (named, or a role resolved to one) before `pos`.
  Referent focus;
  for (int i = 0; i < static_cast<int>(mentions_.size()); ++i) {
    if (mentions_[i].span.begin >= pos) break;
    int consumed = i;
    Referent r = ReferentAt(i, &consumed);
    if (r.person < 0 && !r.role.empty() &&
        (!r.country.empty() || !r.organization.empty())) {
      Referent resolved = ResolveRole(r.role, r.country, r.organization);
      if (resolved.person >= 0) r.person = resolved.person;
    }
    if (r.person >= 0) focus = r;
    i = consumed;
  }
  return focus;
}


}  // namespace communique::extract::internal
