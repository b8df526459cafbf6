#include "shared/store/internal/query_plan.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "shared/schema/search.h"
#include "shared/status/status_macros.h"
#include "shared/store/keys.h"

namespace communique::store::internal {
namespace {

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

}  // namespace

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

absl::StatusOr<bool> LeapfrogJoin(
    const Plan& plan, std::vector<PostingCursor>& cursors,
    const std::string& resume_after, bool ascending,
    const std::function<absl::StatusOr<bool>(const std::string& suffix)>&
        visit) {
  const size_t k = cursors.size();
  std::string target = resume_after;
  bool exclusive = !resume_after.empty();
  if (resume_after.empty()) target = ascending ? plan.lo : plan.hi;
  size_t agree = 0;
  size_t i = 0;
  while (true) {
    PostingCursor& cursor = cursors[i];
    if (!cursor.Seek(target, exclusive, ascending)) {
      RETURN_IF_ERROR(cursor.status());
      return false;
    }
    const absl::string_view suffix = cursor.suffix();
    if (ascending ? suffix > plan.hi : suffix < plan.lo) return false;
    if (!exclusive && suffix == target) {
      ++agree;
    } else {
      target = std::string(suffix);
      exclusive = false;
      agree = 1;
    }
    if (agree == k) {
      ASSIGN_OR_RETURN(const bool go_on, visit(target));
      if (!go_on) return true;
      exclusive = true;
      agree = 0;
    }
    i = (i + 1) % k;
  }
}

}  // namespace communique::store::internal
