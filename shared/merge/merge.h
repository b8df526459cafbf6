// Merging: turns what many articles say about one summit cluster into the
// canonical Summit, Declaration and Initiative records. Used by the ingest
// pipeline after extraction, before the store. Pure functions: no I/O, no
// clock, no globals; every function here is thread-safe.
//
// Pipeline: ClusterKey() buckets summit mentions; for each affected bucket
// the caller gathers the extractions that mention it and calls
// MergeCluster(). The result is a function of the *set* of extractions: any
// permutation, or a repeated extraction of the same article, gives
// byte-identical records (with deterministic serialization).
//
// Rules (merge.cc and internal/*.cc explain each at its definition):
//  * Events: which mentions are one session. A wrong merge corrupts two
//    sessions and every query over them; a missed one is a duplicate that
//    a later article can join, so the rule prefers to keep apart.
//    Two mentions can be one session only when they come from the same
//    cluster (same organisation, same body, same year or both undated)
//    and nothing contradicts it:
//      - they come from different articles (two mentions in one article
//        are sessions the extractor told apart);
//      - their dates agree wherever both are known (2024-11 and 2024-11-28
//        agree; 2019-11-28 and 2019-12-01 do not);
//      - the cities, and the host countries, are equal where both state
//        one;
//      - one does not say "by video link" where the other says "in person";
//      - no seat (a country's or organisation's role: President of
//        Kyrgyzstan, Secretary General of the CSTO) is held by different
//        people in the two, i.e. both name someone (by gazetteer id, else
//        by name) for it and nobody in common.
//    Mentions are taken most precise date first, then those stating a city,
//    then by date, city, article and bytes. A mention is compatible with an
//    event when none of the event's mentions contradicts it as above. It
//    joins an event only when that event is the ONLY compatible one in its
//    cluster (else it could be either session and starts its own record),
//    and when they agree on something beyond organisation and body:
//      - a mention with a month or day date: its date is the agreement;
//      - a year-only mention joins an event with a month or day date, or
//        an event of year-only mentions when both state the same city;
//      - an undated mention joins an undated event only when both state the
//        same city AND the same chairmanship handover (next chair and the
//        date it starts); organisation, body and city alone never join
//        undated mentions of different articles.
//    So a record's source_articles are articles whose statements of date,
//    place, format and roster all fit one session, and that no other
//    record of the same organisation, body and year could also claim.
//    A later article can therefore split a record (a year-only mention
//    that becomes ambiguous leaves its event) as well as join two; the
//    names a store issued keep resolving through aliases either way (the
//    merge's single-source aliases below, and the store's rule that a
//    vanished name follows the record sharing most of its sources).
//  * Summit name: schema::SummitName(schema::SummitId(org, date, city)) of
//    the merged values, e.g. "summits/csto-2024-11-28-astana". Sessions of a
//    body that is not its organisation's heads-of-state body (NamingRules)
//    also name the body after the organisation,
//    "summits/csto-council-of-foreign-ministers-2024-11-27-astana", so two
//    bodies of one organisation meeting the same day in the same city never
//    share a name. When several records of a cluster would get the same id
//    (undated sessions in one city, year-only ones without a city), each
//    appends the slug of its first source article (at most 20 characters):
//    "summits/csto-undated-minsk-101-azatutyun", so a later article
//    never hands a name a client holds to another session; the plain id
//    they would share is retired (the store then points it at the record
//    that kept its sources). An id still repeated (one article's two
//    sessions) gets "-2", "-3", ... in event order.
//  * Scalars (organization, body, date, location.city, location.country,
//    chair_country, presiding, documents_adopted_count, next_chair.country,
//    next_chair.from_date, in that order in field_sources): the most precise
//    value wins (dates: day > month > year), then the one stated by most
//    distinct articles, then the smallest (counts numerically). Names with
//    the same slug are one claim. Disputed: two claims that cannot both be
//    true (different names or counts; dates differing where both are known).
//    Claim evidence is the mention's own field_sources entry for the field
//    when the extractor filled one, else the handover span (next_chair.*),
//    else the mention's evidence.
//  * Lists: formats by enum value, topics sorted; participants by person_id,
//    then by name, then a role-only mention joins the person with the same
//    country/organisation and role family; remote if any source says so.
//    Aliases: the names each source alone would have produced (what a store
//    holding only that source issued), sorted; a name that is canonical in
//    the cluster, or that two events of the cluster would both claim, is
//    not an alias.
//  * Declarations: one per kind and title content words (Jaccard >= 0.75);
//    the strongest status (adopted/signed/approved > supported > proposed).
//    Initiatives: same proposer and content words of title+summary sharing
//    >= 2 words and >= half of the smaller set; the most advanced status.
//    Ids are Slugify(title), "-2", "-3", ... on collisions within a summit.
//  * Confidence: as documented on each message, from integer tenths.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "communique/v1/article.pb.h"
#include "communique/v1/declaration.pb.h"
#include "communique/v1/initiative.pb.h"
#include "communique/v1/summit.pb.h"

namespace communique::merge {

// Key of the cluster a summit mention belongs to. Mentions that could be the
// same event share a key: "{org-slug}|{body-slug}|{year}", e.g.
// "csto|collective-security-council|2024"; a year of 0 gives "undated"
// ("csto|collective-security-council|undated"). Slugs are schema::Slugify.
std::string ClusterKey(const v1::Summit &mention);

// How summits are named. Pure data: the ingest service fills it from the
// gazetteer (bodies with heads_of_state set); merge never reads the
// gazetteer itself.
struct NamingRules {
  // When true, sessions of bodies not in `principal_bodies` carry the body's
  // slug in their id ("csto-council-of-foreign-ministers-2024-..."). When
  // false (the default, for tools and tests without a gazetteer) no id names
  // its body, and two bodies of one organisation meeting the same day in the
  // same city would get the same id.
  bool qualify_bodies = false;
  // "{org-slug}|{body-slug}" (the first two parts of a ClusterKey) of the
  // bodies whose sessions are named without the body: the heads-of-state
  // bodies ("csto|collective-security-council").
  std::set<std::string> principal_bodies;
};

// Id (without "summits/") a session of `organization`'s `body` on `date` in
// `city` gets under `rules` before collision numbering.
std::string SummitBaseId(const NamingRules &rules,
                         absl::string_view organization,
                         absl::string_view body, const v1::PartialDate &date,
                         absl::string_view city);

// Canonical records of one cluster.
struct MergedCluster {
  std::vector<v1::Summit> summits;           // sorted by name
  std::vector<v1::Declaration> declarations; // sorted by name
  std::vector<v1::Initiative> initiatives;   // sorted by name
};

// Merges what a set of article extractions say about the summits in cluster
// `cluster_key` (a ClusterKey() value). Summit mentions of other clusters in
// those extractions are ignored, as are their declarations and initiatives.
// Returns empty vectors when no mention belongs to the cluster.
//
// Pure and order-independent: any permutation of the same set gives
// byte-identical output. Several extractions for the same article count as
// one; the one with the greatest extractor_version (then the greatest
// deterministic serialization) is used. create_time and update_time are
// left unset (the store sets them). Never fails: malformed input (e.g. a
// declaration pointing at an unknown summit) is skipped.
// `rules` decide the summit ids (see NamingRules).
MergedCluster MergeCluster(absl::Span<const v1::ArticleExtraction> extractions,
                           absl::string_view cluster_key,
                           const NamingRules &rules = NamingRules());

} // namespace communique::merge
