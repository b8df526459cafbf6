#include "shared/merge/internal/children.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shared/merge/internal/claims.h"
#include "shared/merge/internal/text_keys.h"
#include "shared/schema/names.h"

namespace communique::merge::internal {
namespace {

// Two declaration titles of the same kind name one document when their
// content-word sets have a Jaccard similarity of at least this. 0.75 lets
// one extra or missing word through for titles of four or more content
// words ("Declaration of the [CSTO] Collective Security Council") but not
// two, and never merges two-word titles that differ.
constexpr double kDeclarationTitleSimilarity = 0.75;
// Two initiatives of the same proposer are one proposal when their content
// words (title + summary, without the proposer's own name words and
// proposal verbs) share at least kInitiativeMinSharedWords words and the
// shared words are at least this fraction of the smaller set.
constexpr double kInitiativeOverlap = 0.5;
constexpr size_t kInitiativeMinSharedWords = 2;

// A declaration or initiative mention and the article it comes from.
template <typename Message> struct Item {
  std::string article;
  const Message *record;
};

// Minimal union-find over node indices.
class Components {
public:
  explicit Components(size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  size_t Find(size_t i) {
    while (parent_[i] != i)
      i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  // The smaller index becomes the root, so roots are the first node (in
  // key order) of their component.
  void Union(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b)
      return;
    if (b < a)
      std::swap(a, b);
    parent_[b] = a;
  }

private:
  std::vector<size_t> parent_;
};

// Groups items into nodes by `node_key` (a total, content-derived key) and
// nodes into components by the symmetric relation `same` (single linkage).
// Returns the components, each as the items of its nodes, ordered by their
// first node key. A function of the set of items.
template <typename T, typename Same>
std::vector<std::vector<T>>
Cluster(const std::vector<std::pair<std::string, T>> &keyed, Same same) {
  std::map<std::string, std::vector<T>> nodes;
  for (const auto &[key, item] : keyed)
    nodes[key].push_back(item);
  std::vector<const std::string *> keys;
  std::vector<const std::vector<T> *> members;
  for (const auto &[key, items] : nodes) {
    keys.push_back(&key);
    members.push_back(&items);
  }
  Components components(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    for (size_t j = i + 1; j < keys.size(); ++j) {
      if (same(*members[i], *members[j]))
        components.Union(i, j);
    }
  }
  std::map<size_t, std::vector<T>> by_root;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::vector<T> &out = by_root[components.Find(i)];
    out.insert(out.end(), members[i]->begin(), members[i]->end());
  }
  std::vector<std::vector<T>> result;
  for (auto &[root, items] : by_root)
    result.push_back(std::move(items));
  return result;
}

// Strength of a declaration status: what was done (adopted, signed,
// approved) beats support, which beats a proposal.
int DeclarationStrength(int status) {
  switch (status) {
  case v1::DECLARATION_STATUS_ADOPTED:
  case v1::DECLARATION_STATUS_SIGNED:
  case v1::DECLARATION_STATUS_APPROVED:
    return 3;
  case v1::DECLARATION_STATUS_SUPPORTED:
    return 2;
  case v1::DECLARATION_STATUS_PROPOSED:
    return 1;
  default:
    return 0;
  }
}

// One article's statement of a status (an enum value, 0 = not stated).
struct StatusClaim {
  std::string article;
  int status;
  std::vector<v1::Evidence> evidence;
};

// The strongest status stated; within a strength, the most supported, then
// the smallest enum value. Provenance lists every status claimed, chosen
// first; status claims are steps of one history, never a dispute. Returns 0
// when none is stated.
template <typename Strength, typename NameOf, typename Sources>
int MergeStatus(const std::vector<StatusClaim> &stated, Strength strength,
                NameOf name_of, Sources *sources) {
  std::map<int, std::set<std::string>> support;
  for (const StatusClaim &claim : stated) {
    if (claim.status != 0)
      support[claim.status].insert(claim.article);
  }
  if (support.empty())
    return 0;
  int best = support.begin()->first;
  for (const auto &[status, articles] : support) { // ties: smallest value
    if (std::make_pair(strength(status), articles.size()) >
        std::make_pair(strength(best), support[best].size())) {
      best = status;
    }
  }
  std::vector<Claim> claims;
  for (const StatusClaim &claim : stated) {
    if (claim.status != 0) {
      claims.push_back({claim.article, name_of(claim.status), claim.evidence});
    }
  }
  FieldMerge merged = MergeField("status", ValueKind::kText, claims,
                                 /*disputable=*/false);
  // MergeField orders by support and value; move the chosen status first.
  auto *claim_list = merged.sources.mutable_claims();
  std::string best_name = name_of(best);
  for (int i = 0; i < claim_list->size(); ++i) {
    if (claim_list->Get(i).value() == best_name) {
      for (int j = i; j > 0; --j)
        claim_list->SwapElements(j, j - 1);
      break;
    }
  }
  merged.value = best_name;
  Record(std::move(merged), sources, nullptr);
  return best;
}

// Evidence spans of a record mention, as claim evidence.
template <typename Message>
std::vector<v1::Evidence> EvidenceOf(const Message &message) {
  return std::vector<v1::Evidence>(message.evidence().begin(),
                                   message.evidence().end());
}

// Strips a leading English article from a title ("the Declaration ..." ->
// "Declaration ...").
std::string CleanTitle(absl::string_view title) {
  title = absl::StripAsciiWhitespace(title);
  for (absl::string_view article : {"the ", "The ", "THE "}) {
    if (absl::StartsWith(title, article)) {
      title.remove_prefix(article.size());
      break;
    }
  }
  return std::string(title);
}

v1::Declaration
BuildDeclaration(const std::vector<Item<v1::Declaration>> &items) {
  v1::Declaration declaration;
  std::vector<Claim> titles, subjects;
  std::vector<StatusClaim> statuses;
  std::vector<v1::Evidence> evidence;
  std::set<std::string> articles;
  for (const auto &item : items) {
    const v1::Declaration &d = *item.record;
    titles.push_back({item.article, CleanTitle(d.title()), EvidenceOf(d)});
    subjects.push_back({item.article, d.subject(), EvidenceOf(d)});
    statuses.push_back({item.article, d.status(), EvidenceOf(d)});
    AppendAll(d.evidence(), evidence);
    articles.insert(item.article);
  }
  declaration.set_kind(items.front().record->kind());
  auto *sources = declaration.mutable_field_sources();
  declaration.set_title(Record(
      MergeField("title", ValueKind::kText, titles, /*disputable=*/false),
      sources, nullptr));
  int status = MergeStatus(
      statuses, DeclarationStrength,
      [](int s) {
        return v1::DeclarationStatus_Name(
            static_cast<v1::DeclarationStatus>(s));
      },
      sources);
  declaration.set_status(static_cast<v1::DeclarationStatus>(status));
  declaration.set_subject(Record(
      MergeField("subject", ValueKind::kText, subjects), sources, nullptr));
  SetEvidence(std::move(evidence), declaration.mutable_evidence());
  for (const std::string &article : articles) {
    declaration.add_source_articles(article);
  }
  int base =
      !declaration.title().empty() && DeclarationStrength(status) == 3 ? 6 : 4;
  declaration.set_confidence(
      Tenths(base + static_cast<int>(articles.size()) - 1));
  return declaration;
}

// Who proposed an initiative, as a resolution key: the country, else the
// organisation, else the person; "" when unknown.
std::string ProposerKey(const v1::Proposer &proposer) {
  if (!proposer.country().empty()) {
    return absl::StrCat("c:", TextKey(proposer.country()));
  }
  if (!proposer.organization().empty()) {
    return absl::StrCat("o:", TextKey(proposer.organization()));
  }
  if (!proposer.person_id().empty()) {
    return absl::StrCat("p:", proposer.person_id());
  }
  if (!proposer.name().empty()) {
    return absl::StrCat("n:", TextKey(proposer.name()));
  }
  return "";
}

// Content words of an initiative's title and summary that can tell two
// proposals apart: without the proposer's own name words and proposal verbs.
std::vector<std::string> InitiativeWords(const v1::Initiative &initiative) {
  std::vector<std::string> words =
      ContentWords(absl::StrCat(initiative.title(), " ", initiative.summary()));
  std::vector<std::string> noise = ContentWords(absl::StrCat(
      initiative.proposer().country(), " ",
      initiative.proposer().organization(), " ", initiative.proposer().name(),
      " propose proposed proposal suggest suggested initiative "
      "call called put forward idea"));
  std::vector<std::string> kept;
  std::set_difference(words.begin(), words.end(), noise.begin(), noise.end(),
                      std::back_inserter(kept));
  return kept;
}

bool InitiativesSimilar(const std::vector<std::string> &a,
                        const std::vector<std::string> &b) {
  if (a == b)
    return true;
  size_t shared = SharedWords(a, b);
  size_t smaller = std::min(a.size(), b.size());
  return shared >= kInitiativeMinSharedWords &&
         static_cast<double>(shared) >=
             kInitiativeOverlap * static_cast<double>(smaller);
}

v1::Initiative BuildInitiative(const std::vector<Item<v1::Initiative>> &items) {
  v1::Initiative initiative;
  std::vector<Claim> titles, summaries, proposer_names, proposer_countries;
  std::vector<std::pair<std::string, std::string>> organizations, person_ids;
  std::vector<StatusClaim> statuses;
  std::set<std::string> topics, articles;
  std::vector<v1::Evidence> evidence;
  for (const auto &item : items) {
    const v1::Initiative &i = *item.record;
    titles.push_back({item.article, i.title(), EvidenceOf(i)});
    summaries.push_back({item.article, i.summary(), EvidenceOf(i)});
    proposer_names.push_back(
        {item.article, i.proposer().name(), EvidenceOf(i)});
    proposer_countries.push_back(
        {item.article, i.proposer().country(), EvidenceOf(i)});
    organizations.emplace_back(item.article, i.proposer().organization());
    person_ids.emplace_back(item.article, i.proposer().person_id());
    statuses.push_back({item.article, i.status(), EvidenceOf(i)});
    for (const std::string &topic : i.topics()) {
      if (!topic.empty())
        topics.insert(topic);
    }
    AppendAll(i.evidence(), evidence);
    articles.insert(item.article);
  }
  auto *sources = initiative.mutable_field_sources();
  initiative.set_title(Record(
      MergeField("title", ValueKind::kText, titles, /*disputable=*/false),
      sources, nullptr));
  initiative.set_summary(Record(
      MergeField("summary", ValueKind::kText, summaries, /*disputable=*/false),
      sources, nullptr));
  v1::Proposer *proposer = initiative.mutable_proposer();
  proposer->set_name(
      Record(MergeField("proposer.name", ValueKind::kText, proposer_names),
             sources, nullptr));
  proposer->set_country(Record(
      MergeField("proposer.country", ValueKind::kText, proposer_countries),
      sources, nullptr));
  proposer->set_organization(PickBySupport(organizations));
  proposer->set_person_id(PickBySupport(person_ids));
  if (proposer->ByteSizeLong() == 0)
    initiative.clear_proposer();
  // Initiative statuses are numbered in order of progress.
  initiative.set_status(static_cast<v1::InitiativeStatus>(MergeStatus(
      statuses, [](int s) { return s; },
      [](int s) {
        return v1::InitiativeStatus_Name(static_cast<v1::InitiativeStatus>(s));
      },
      sources)));
  for (const std::string &topic : topics)
    initiative.add_topics(topic);
  SetEvidence(std::move(evidence), initiative.mutable_evidence());
  for (const std::string &article : articles) {
    initiative.add_source_articles(article);
  }
  int base = initiative.has_proposer() ? 6 : 4;
  initiative.set_confidence(
      Tenths(base + static_cast<int>(articles.size()) - 1));
  return initiative;
}

// Slug of a title for a child id; `fallback` when the title has none.
std::string ChildSlug(absl::string_view title, absl::string_view fallback) {
  std::string slug = schema::Slugify(title);
  return slug.empty() ? std::string(fallback) : slug;
}

// Aliases of a summit's children: the ids each source alone would have
// given a merged child (what a store may have held before other sources
// refined its title), leaving out the summit's current child ids and any
// id two children would claim (ambiguous: it points at neither). Like the
// summits' aliases, a function of the set of sources, not of their order.
template <typename Message>
std::vector<std::vector<std::string>>
ChildAliasIds(const std::vector<std::vector<Item<Message>>> &groups,
              const std::vector<std::string> &ids, absl::string_view fallback) {
  const std::set<std::string> current(ids.begin(), ids.end());
  std::vector<std::set<std::string>> candidates(groups.size());
  std::map<std::string, int> claimants;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const Item<Message> &item : groups[g]) {
      std::string id;
      if constexpr (std::is_same_v<Message, v1::Declaration>) {
        id = ChildSlug(CleanTitle(item.record->title()), fallback);
      } else {
        id = ChildSlug(item.record->title(), fallback);
      }
      if (current.count(id) == 0 && candidates[g].insert(id).second) {
        ++claimants[id];
      }
    }
  }
  std::vector<std::vector<std::string>> aliases(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const std::string &id : candidates[g]) {
      if (claimants[id] == 1)
        aliases[g].push_back(id);
    }
  }
  return aliases;
}

} // namespace

void MergeChildren(const ChildMentions &mentions, v1::Summit &summit,
                   std::vector<v1::Declaration> &declarations,
                   std::vector<v1::Initiative> &initiatives) {
  std::vector<std::pair<std::string, Item<v1::Declaration>>>
      declaration_mentions;
  for (const auto &[article, d] : mentions.declarations) {
    std::string key = absl::StrFormat("%03d|%s", static_cast<int>(d->kind()),
                                      WordKey(ContentWords(d->title())));
    declaration_mentions.push_back({key, {article, d}});
  }
  std::vector<std::pair<std::string, Item<v1::Initiative>>> initiative_mentions;
  for (const auto &[article, i] : mentions.initiatives) {
    std::string key = absl::StrCat(ProposerKey(i->proposer()), "|",
                                   WordKey(InitiativeWords(*i)));
    initiative_mentions.push_back({key, {article, i}});
  }

  // Declarations: same kind and similar titles (kDeclarationTitleSimilarity).
  auto declaration_groups = Cluster(
      declaration_mentions, [](const std::vector<Item<v1::Declaration>> &a,
                               const std::vector<Item<v1::Declaration>> &b) {
        const v1::Declaration &x = *a.front().record;
        const v1::Declaration &y = *b.front().record;
        return x.kind() == y.kind() &&
               Jaccard(ContentWords(x.title()), ContentWords(y.title())) >=
                   kDeclarationTitleSimilarity;
      });
  std::vector<v1::Declaration> merged_declarations;
  std::vector<std::pair<std::string, std::string>> declaration_bases;
  for (size_t g = 0; g < declaration_groups.size(); ++g) {
    merged_declarations.push_back(BuildDeclaration(declaration_groups[g]));
    declaration_bases.emplace_back(
        ChildSlug(merged_declarations.back().title(), "declaration"),
        absl::StrFormat("%06d", g));
  }
  std::vector<std::string> declaration_ids = AssignIds(declaration_bases);
  const std::vector<std::vector<std::string>> declaration_aliases =
      ChildAliasIds(declaration_groups, declaration_ids, "declaration");
  std::vector<std::string> declaration_names;
  for (size_t g = 0; g < merged_declarations.size(); ++g) {
    v1::Declaration &d = merged_declarations[g];
    d.set_name(schema::DeclarationName(summit.name(), declaration_ids[g]));
    d.set_summit(summit.name());
    for (const std::string &alias : declaration_aliases[g]) {
      d.add_aliases(schema::DeclarationName(summit.name(), alias));
    }
    declaration_names.push_back(d.name());
    declarations.push_back(std::move(d));
  }
  std::sort(declaration_names.begin(), declaration_names.end());
  for (std::string &name : declaration_names) {
    summit.add_declarations(std::move(name));
  }

  // Initiatives: same proposer and overlapping content words.
  auto initiative_groups = Cluster(
      initiative_mentions, [](const std::vector<Item<v1::Initiative>> &a,
                              const std::vector<Item<v1::Initiative>> &b) {
        const v1::Initiative &x = *a.front().record;
        const v1::Initiative &y = *b.front().record;
        return ProposerKey(x.proposer()) == ProposerKey(y.proposer()) &&
               InitiativesSimilar(InitiativeWords(x), InitiativeWords(y));
      });
  std::vector<v1::Initiative> merged_initiatives;
  std::vector<std::pair<std::string, std::string>> initiative_bases;
  for (size_t g = 0; g < initiative_groups.size(); ++g) {
    merged_initiatives.push_back(BuildInitiative(initiative_groups[g]));
    initiative_bases.emplace_back(
        ChildSlug(merged_initiatives.back().title(), "initiative"),
        absl::StrFormat("%06d", g));
  }
  std::vector<std::string> initiative_ids = AssignIds(initiative_bases);
  const std::vector<std::vector<std::string>> initiative_aliases =
      ChildAliasIds(initiative_groups, initiative_ids, "initiative");
  std::vector<std::string> initiative_names;
  for (size_t g = 0; g < merged_initiatives.size(); ++g) {
    v1::Initiative &i = merged_initiatives[g];
    i.set_name(schema::InitiativeName(summit.name(), initiative_ids[g]));
    i.set_summit(summit.name());
    for (const std::string &alias : initiative_aliases[g]) {
      i.add_aliases(schema::InitiativeName(summit.name(), alias));
    }
    initiative_names.push_back(i.name());
    initiatives.push_back(std::move(i));
  }
  std::sort(initiative_names.begin(), initiative_names.end());
  for (std::string &name : initiative_names) {
    summit.add_initiatives(std::move(name));
  }
}

} // namespace communique::merge::internal
