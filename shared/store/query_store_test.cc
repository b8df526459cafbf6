// Unit tests of the replica's read model: secondary indexes and filters,
// leapfrog joins that read only matching records, stable pagination while
// writes arrive, chairmanships, stats, summit history for watches, and
// batching-independent bytes.

#include "shared/store/query_store.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/status/testing/temp_dir.h"

namespace communique::store {
namespace {

using ::communique::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

using ::communique::testing::TempDir;

v1::Summit MakeSummit(const std::string& id, const std::string& org, int year,
                      int month, int day, const std::string& city) {
  v1::Summit s;
  s.set_name("summits/" + id);
  s.set_organization(org);
  s.set_body("Council of Heads of State");
  s.mutable_date()->set_year(year);
  s.mutable_date()->set_month(month);
  s.mutable_date()->set_day(day);
  s.mutable_location()->set_city(city);
  return s;
}

void AddParticipant(v1::Summit* s, const std::string& name,
                    const std::string& id, const std::string& country) {
  auto* p = s->add_participants();
  p->set_name(name);
  p->set_person_id(id);
  p->set_country(country);
}

std::vector<std::string> Names(const std::vector<v1::Summit>& summits) {
  std::vector<std::string> out;
  for (const auto& s : summits) out.push_back(s.name());
  return out;
}

template <typename T>
std::vector<std::string> ItemNames(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.name());
  return out;
}

class QueryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenQueryStore(dir_.path(), {});
    ASSERT_OK(store.status());
    store_ = std::move(*store);
  }

  v1::ChangeEvent Event(v1::ChangeType type, const std::string& name) {
    v1::ChangeEvent e;
    e.set_sequence(++sequence_);
    e.set_type(type);
    e.set_name(name);
    e.mutable_commit_time()->set_seconds(1700000000 + sequence_);
    return e;
  }
  v1::ChangeEvent Upsert(const v1::Summit& s) {
    v1::ChangeEvent e = Event(v1::CHANGE_TYPE_UPSERT, s.name());
    *e.mutable_summit() = s;
    return e;
  }
  v1::ChangeEvent Upsert(const v1::Declaration& d) {
    v1::ChangeEvent e = Event(v1::CHANGE_TYPE_UPSERT, d.name());
    *e.mutable_declaration() = d;
    return e;
  }
  v1::ChangeEvent Upsert(const v1::Initiative& i) {
    v1::ChangeEvent e = Event(v1::CHANGE_TYPE_UPSERT, i.name());
    *e.mutable_initiative() = i;
    return e;
  }
  v1::ChangeEvent Delete(const std::string& name) {
    return Event(v1::CHANGE_TYPE_DELETE, name);
  }
  void Apply(std::vector<v1::ChangeEvent> events) {
    ASSERT_OK(store_->ApplyChanges(events));
  }

  std::vector<v1::Summit> List(const v1::SummitFilter& filter,
                               bool ascending = false,
                               ReadStats* stats = nullptr) {
    std::vector<v1::Summit> out;
    SummitQuery query;
    query.filter = filter;
    query.ascending = ascending;
    query.page_size = 1000;
    query.stats = stats;
    auto page = store_->ListSummits(query);
    EXPECT_OK(page.status());
    if (!page.ok()) return out;
    EXPECT_TRUE(page->resume_after.empty());
    return page->items;
  }

  TempDir dir_;
  std::unique_ptr<QueryStore> store_;
  uint64_t sequence_ = 0;
};

TEST_F(QueryStoreTest, EverySummitFilterIsAnsweredFromItsIndex) {
  v1::Summit astana = MakeSummit("csto-2024-11-28-astana", "CSTO", 2024, 11,
                                 28, "Astana");
  astana.mutable_location()->set_country("Kazakhstan");
  astana.add_formats(v1::SUMMIT_FORMAT_NARROW);
  astana.add_formats(v1::SUMMIT_FORMAT_EXPANDED);
  astana.add_topics("terrorism");
  astana.set_presiding("Kassym-Jomart Tokayev");
  AddParticipant(&astana, "Kassym-Jomart Tokayev", "kassym-jomart-tokayev",
                 "Kazakhstan");
  AddParticipant(&astana, "Vladimir Putin", "vladimir-putin", "Russia");
  astana.add_evidence()->set_quote("The CSTO summit opened in Nur-Sultan");
  v1::Summit minsk =
      MakeSummit("csto-2023-11-23-minsk", "CSTO", 2023, 11, 23, "Minsk");
  minsk.mutable_location()->set_country("Belarus");
  minsk.add_formats(v1::SUMMIT_FORMAT_VIDEOCONFERENCE);
  minsk.add_topics("drug trafficking");
  minsk.set_presiding("Alexander Lukashenko");
  AddParticipant(&minsk, "Alexander Lukashenko", "alexander-lukashenko",
                 "Belarus");
  AddParticipant(&minsk, "Vladimir Putin", "vladimir-putin", "Russia");
  v1::Summit samarkand =
      MakeSummit("sco-2022-09-16-samarkand", "SCO", 2022, 9, 16, "Samarkand");
  samarkand.mutable_location()->set_country("Uzbekistan");
  samarkand.add_topics("terrorism");
  Apply({Upsert(astana), Upsert(minsk), Upsert(samarkand)});

  auto by = [&](auto set) {
    v1::SummitFilter f;
    set(f);
    return Names(List(f));
  };
  EXPECT_THAT(by([](auto& f) { f.set_organization("csto"); }),
              ElementsAre(astana.name(), minsk.name()));
  EXPECT_THAT(by([](auto& f) { f.set_city("MINSK"); }),
              ElementsAre(minsk.name()));
  EXPECT_THAT(by([](auto& f) { f.set_country("uzbekistan"); }),
              ElementsAre(samarkand.name()));
  EXPECT_THAT(by([](auto& f) { f.set_participant_country("Russia"); }),
              ElementsAre(astana.name(), minsk.name()));
  EXPECT_THAT(by([](auto& f) { f.set_person("vladimir-putin"); }),
              ElementsAre(astana.name(), minsk.name()));
  EXPECT_THAT(by([](auto& f) { f.set_person("Alexander Lukashenko"); }),
              ElementsAre(minsk.name()));
  EXPECT_THAT(by([](auto& f) { f.set_format(v1::SUMMIT_FORMAT_EXPANDED); }),
              ElementsAre(astana.name()));
  EXPECT_THAT(by([](auto& f) { f.set_topic("Terrorism"); }),
              ElementsAre(astana.name(), samarkand.name()));
  EXPECT_THAT(by([](auto& f) { f.set_presiding("kassym-jomart-tokayev"); }),
              ElementsAre(astana.name()));
  EXPECT_THAT(by([](auto& f) { f.set_presiding("alexander lukashenko"); }),
              ElementsAre(minsk.name()));
  EXPECT_THAT(by([](auto& f) { f.set_text("nur-sultan"); }),
              ElementsAre(astana.name()));
  EXPECT_THAT(by([](auto& f) { f.set_text("Putin Belarus"); }),
              ElementsAre(minsk.name()));
  EXPECT_THAT(by([](auto& f) { f.set_year(2023); }), ElementsAre(minsk.name()));
  EXPECT_THAT(by([](auto& f) {
                f.set_min_year(2022);
                f.set_max_year(2023);
              }),
              ElementsAre(minsk.name(), samarkand.name()));
  EXPECT_THAT(by([](auto& f) {
                f.mutable_start_date()->set_year(2023);
                f.mutable_start_date()->set_month(11);
                f.mutable_end_date()->set_year(2024);
                f.mutable_end_date()->set_month(11);
                f.mutable_end_date()->set_day(28);
              }),
              ElementsAre(astana.name(), minsk.name()));
  EXPECT_THAT(by([](auto& f) {
                f.mutable_end_date()->set_year(2024);
                f.mutable_end_date()->set_month(11);
                f.mutable_end_date()->set_day(27);
              }),
              ElementsAre(minsk.name(), samarkand.name()));
  // Several fields: AND.
  EXPECT_THAT(by([](auto& f) {
                f.set_topic("terrorism");
                f.set_participant_country("Russia");
                f.set_format(v1::SUMMIT_FORMAT_NARROW);
              }),
              ElementsAre(astana.name()));
  EXPECT_THAT(by([](auto& f) {
                f.set_organization("SCO");
                f.set_person("vladimir-putin");
              }),
              IsEmpty());
  // Oldest first.
  EXPECT_THAT(Names(List(v1::SummitFilter(), /*ascending=*/true)),
              ElementsAre(samarkand.name(), minsk.name(), astana.name()));
}

TEST_F(QueryStoreTest, UpdatesAndDeletesMoveIndexEntries) {
  v1::Summit s = MakeSummit("csto-2024-astana", "CSTO", 2024, 0, 0, "Astana");
  s.add_topics("terrorism");
  Apply({Upsert(s)});
  s.clear_topics();
  s.add_topics("migration");
  s.mutable_location()->set_city("Almaty");
  Apply({Upsert(s)});
  v1::SummitFilter old_topic;
  old_topic.set_topic("terrorism");
  EXPECT_THAT(List(old_topic), IsEmpty());
  v1::SummitFilter old_city;
  old_city.set_city("Astana");
  EXPECT_THAT(List(old_city), IsEmpty());
  v1::SummitFilter new_topic;
  new_topic.set_topic("migration");
  EXPECT_THAT(List(new_topic), SizeIs(1));
  Apply({Delete(s.name())});
  EXPECT_THAT(List(v1::SummitFilter()), IsEmpty());
  EXPECT_THAT(List(new_topic), IsEmpty());
  ASSERT_OK_AND_ASSIGN(v1::GetStatsResponse stats, store_->GetStats());
  EXPECT_EQ(stats.summit_count(), 0);
  EXPECT_THAT(stats.counts(), IsEmpty());
}

TEST_F(QueryStoreTest, SelectiveFilterReadsOnlyTheMatchingRecords) {
  // 3000 summits over three organisations and 30 years; topics and
  // participants are common on their own, rare together.
  std::vector<v1::ChangeEvent> events;
  std::set<std::string> expected;
  for (int n = 0; n < 3000; ++n) {
    const std::string org = n % 3 == 0 ? "CSTO" : n % 3 == 1 ? "SCO" : "CIS";
    v1::Summit s = MakeSummit(absl::StrFormat("s-%05d", n), org,
                              1995 + n % 30, 1 + n % 12, 1 + n % 28,
                              absl::StrCat("City", n % 50));
    s.add_topics(n % 2 == 0 ? "terrorism" : "trade");
    if (n % 5 == 0) AddParticipant(&s, "Vladimir Putin", "vladimir-putin", "Russia");
    if (n % 7 == 0) s.add_formats(v1::SUMMIT_FORMAT_NARROW);
    events.push_back(Upsert(s));
    if (org == "CSTO" && n % 2 == 0 && n % 5 == 0 && n % 7 == 0) {
      expected.insert(s.name());
    }
  }
  Apply(std::move(events));
  ASSERT_THAT(expected, SizeIs(15));  // n % 210 == 0

  v1::SummitFilter filter;
  filter.set_organization("CSTO");           // 1000 summits
  filter.set_topic("terrorism");             // 1500 summits
  filter.set_person("vladimir-putin");       // 600 summits
  filter.set_format(v1::SUMMIT_FORMAT_NARROW);  // 429 summits
  ReadStats stats;
  std::vector<v1::Summit> found = List(filter, false, &stats);
  std::set<std::string> names;
  for (const auto& s : found) names.insert(s.name());
  EXPECT_EQ(names, expected);
  EXPECT_EQ(stats.records_read, 15);
  // The join skips through the lists instead of walking them: far fewer
  // index entries than the 3,500 the four lists hold.
  EXPECT_LT(stats.index_entries_read, 400) << stats.index_entries_read;

  // A single rare value: the records read are exactly the page.
  v1::SummitFilter city;
  city.set_city("City7");
  city.set_year(2002);
  ReadStats city_stats;
  std::vector<v1::Summit> in_city = List(city, false, &city_stats);
  EXPECT_EQ(city_stats.records_read, static_cast<int64_t>(in_city.size()));
  EXPECT_FALSE(in_city.empty());

  // Paging reads only the page, not what follows it.
  SummitQuery page_query;
  page_query.filter.set_organization("SCO");
  page_query.page_size = 10;
  ReadStats page_stats;
  page_query.stats = &page_stats;
  ASSERT_OK_AND_ASSIGN(auto page, store_->ListSummits(page_query));
  EXPECT_THAT(page.items, SizeIs(10));
  EXPECT_EQ(page_stats.records_read, 10);
  EXPECT_FALSE(page.resume_after.empty());
  EXPECT_EQ(page.total_size, 1000);
}

TEST_F(QueryStoreTest, PagesNeitherSkipNorRepeatWhileWritesArrive) {
  std::vector<v1::ChangeEvent> events;
  std::set<std::string> stable;
  for (int n = 0; n < 200; ++n) {
    v1::Summit s = MakeSummit(absl::StrFormat("csto-%03d", n), "CSTO",
                              2000 + n % 20, 1 + n % 12, 1 + n % 28, "Minsk");
    events.push_back(Upsert(s));
    if (n % 10 != 3) stable.insert(s.name());  // n % 10 == 3: deleted later
  }
  Apply(std::move(events));

  for (bool ascending : {false, true}) {
    std::multiset<std::string> seen;
    SummitQuery query;
    query.filter.set_organization("csto");
    query.ascending = ascending;
    query.page_size = 7;
    int round = 0;
    do {
      ASSERT_OK_AND_ASSIGN(auto page, store_->ListSummits(query));
      for (const auto& s : page.items) seen.insert(s.name());
      query.resume_after = page.resume_after;
      // Between pages: new summits on both sides of the cursor, updates
      // of existing ones, deletions of some not yet seen.
      std::vector<v1::ChangeEvent> writes;
      v1::Summit early = MakeSummit(absl::StrFormat("csto-new-%d-%d-a",
                                                    ascending, round),
                                    "CSTO", 1990, 1, 1, "Minsk");
      v1::Summit late = MakeSummit(absl::StrFormat("csto-new-%d-%d-b",
                                                   ascending, round),
                                   "CSTO", 2030, 1, 1, "Minsk");
      writes.push_back(Upsert(early));
      writes.push_back(Upsert(late));
      const int victim = (round * 10 + 3) % 200;
      v1::Summit updated = MakeSummit(
          absl::StrFormat("csto-%03d", (round * 7 + 1) % 200), "CSTO",
          2000 + ((round * 7 + 1) % 200) % 20,
          1 + ((round * 7 + 1) % 200) % 12, 1 + ((round * 7 + 1) % 200) % 28,
          "Minsk");
      updated.add_topics(absl::StrCat("round ", round));
      writes.push_back(Upsert(updated));
      if (victim % 10 == 3) {
        writes.push_back(Delete(absl::StrFormat("summits/csto-%03d", victim)));
      }
      Apply(std::move(writes));
      ++round;
    } while (!query.resume_after.empty());
    for (const std::string& name : stable) {
      EXPECT_EQ(seen.count(name), 1u) << name << " ascending=" << ascending;
    }
    for (const std::string& name : seen) {
      EXPECT_EQ(seen.count(name), 1u) << name << " repeated";
    }
  }
}

TEST_F(QueryStoreTest, ChildrenAreFilteredByTheirOwnAndTheirSummitsFields) {
  v1::Summit astana =
      MakeSummit("csto-2024-11-28-astana", "CSTO", 2024, 11, 28, "Astana");
  v1::Summit samarkand =
      MakeSummit("sco-2022-09-16-samarkand", "SCO", 2022, 9, 16, "Samarkand");
  v1::Declaration astana_decl;
  astana_decl.set_name(astana.name() + "/declarations/astana-declaration");
  astana_decl.set_summit(astana.name());
  astana_decl.set_title("Astana Declaration of the Collective Security Council");
  astana_decl.set_kind(v1::DECLARATION_KIND_DECLARATION);
  astana_decl.set_status(v1::DECLARATION_STATUS_ADOPTED);
  v1::Declaration astana_stmt;
  astana_stmt.set_name(astana.name() + "/declarations/statement-on-drones");
  astana_stmt.set_summit(astana.name());
  astana_stmt.set_title("Statement on unmanned aerial vehicles");
  astana_stmt.set_kind(v1::DECLARATION_KIND_STATEMENT);
  astana_stmt.set_status(v1::DECLARATION_STATUS_SIGNED);
  v1::Declaration samarkand_decl;
  samarkand_decl.set_name(samarkand.name() +
                          "/declarations/samarkand-declaration");
  samarkand_decl.set_summit(samarkand.name());
  samarkand_decl.set_title("Samarkand Declaration");
  samarkand_decl.set_kind(v1::DECLARATION_KIND_DECLARATION);
  samarkand_decl.set_status(v1::DECLARATION_STATUS_SIGNED);
  v1::Initiative monitoring;
  monitoring.set_name(astana.name() + "/initiatives/monitoring-group");
  monitoring.set_summit(astana.name());
  monitoring.set_title("operational monitoring group");
  monitoring.mutable_proposer()->set_name("Alexander Lukashenko");
  monitoring.mutable_proposer()->set_person_id("alexander-lukashenko");
  monitoring.mutable_proposer()->set_country("Belarus");
  monitoring.set_status(v1::INITIATIVE_STATUS_PROPOSED);
  monitoring.add_topics("terrorism");
  v1::Initiative energy;
  energy.set_name(samarkand.name() + "/initiatives/energy-club");
  energy.set_summit(samarkand.name());
  energy.set_title("energy club");
  energy.mutable_proposer()->set_country("Russia");
  energy.set_status(v1::INITIATIVE_STATUS_SUPPORTED);
  energy.add_topics("energy");
  // Children before their summits, in one batch: the group re-index sees
  // the summit once it arrives.
  Apply({Upsert(astana_decl), Upsert(monitoring), Upsert(astana),
         Upsert(astana_stmt), Upsert(samarkand), Upsert(samarkand_decl),
         Upsert(energy)});

  auto declarations = [&](DeclarationQuery q) {
    q.page_size = 100;
    auto page = store_->ListDeclarations(q);
    EXPECT_OK(page.status());
    return page.ok() ? ItemNames(page->items) : std::vector<std::string>{};
  };
  DeclarationQuery q;
  EXPECT_THAT(declarations(q), ElementsAre(astana_stmt.name(),
                                           astana_decl.name(),
                                           samarkand_decl.name()));
  q.kind = v1::DECLARATION_KIND_DECLARATION;
  EXPECT_THAT(declarations(q),
              ElementsAre(astana_decl.name(), samarkand_decl.name()));
  q.status = v1::DECLARATION_STATUS_SIGNED;
  EXPECT_THAT(declarations(q), ElementsAre(samarkand_decl.name()));
  q = DeclarationQuery();
  q.organization = "csto";
  EXPECT_THAT(declarations(q),
              ElementsAre(astana_stmt.name(), astana_decl.name()));
  q = DeclarationQuery();
  q.max_year = 2023;
  EXPECT_THAT(declarations(q), ElementsAre(samarkand_decl.name()));
  q = DeclarationQuery();
  q.text = "unmanned vehicles";
  EXPECT_THAT(declarations(q), ElementsAre(astana_stmt.name()));
  q = DeclarationQuery();
  q.summit = samarkand.name();
  EXPECT_THAT(declarations(q), ElementsAre(samarkand_decl.name()));
  q.ascending = true;
  q.summit = "";
  EXPECT_THAT(declarations(q), ElementsAre(samarkand_decl.name(),
                                           astana_decl.name(),
                                           astana_stmt.name()));

  auto initiatives = [&](InitiativeQuery q) {
    q.page_size = 100;
    auto page = store_->ListInitiatives(q);
    EXPECT_OK(page.status());
    return page.ok() ? ItemNames(page->items) : std::vector<std::string>{};
  };
  InitiativeQuery iq;
  iq.proposer_country = "belarus";
  EXPECT_THAT(initiatives(iq), ElementsAre(monitoring.name()));
  iq = InitiativeQuery();
  iq.proposer_person = "alexander-lukashenko";
  EXPECT_THAT(initiatives(iq), ElementsAre(monitoring.name()));
  iq.proposer_person = "Alexander Lukashenko";
  EXPECT_THAT(initiatives(iq), ElementsAre(monitoring.name()));
  iq = InitiativeQuery();
  iq.status = v1::INITIATIVE_STATUS_SUPPORTED;
  EXPECT_THAT(initiatives(iq), ElementsAre(energy.name()));
  iq = InitiativeQuery();
  iq.topic = "Terrorism";
  EXPECT_THAT(initiatives(iq), ElementsAre(monitoring.name()));
  iq = InitiativeQuery();
  iq.organization = "SCO";
  iq.year = 2022;
  EXPECT_THAT(initiatives(iq), ElementsAre(energy.name()));
  iq = InitiativeQuery();
  iq.text = "monitoring lukashenko";
  EXPECT_THAT(initiatives(iq), ElementsAre(monitoring.name()));

  // A summit's free text covers its children's titles.
  v1::SummitFilter by_title;
  by_title.set_text("unmanned");
  EXPECT_THAT(Names(List(by_title)), ElementsAre(astana.name()));
  by_title.set_text("energy club");
  EXPECT_THAT(Names(List(by_title)), ElementsAre(samarkand.name()));

  // When the parent summit changes organisation and year, its children's
  // entries move with it.
  astana.set_organization("EAEU");
  astana.mutable_date()->set_year(2019);
  Apply({Upsert(astana)});
  q = DeclarationQuery();
  q.organization = "csto";
  EXPECT_THAT(declarations(q), IsEmpty());
  q.organization = "eaeu";
  q.year = 2019;
  EXPECT_THAT(declarations(q),
              ElementsAre(astana_stmt.name(), astana_decl.name()));
  // And a deleted child leaves the summit's word list.
  Apply({Delete(astana_stmt.name())});
  by_title.set_text("unmanned");
  EXPECT_THAT(List(by_title), IsEmpty());

  ASSERT_OK_AND_ASSIGN(v1::GetStatsResponse stats, store_->GetStats());
  EXPECT_EQ(stats.summit_count(), 2);
  EXPECT_EQ(stats.declaration_count(), 2);
  EXPECT_EQ(stats.initiative_count(), 2);
  ASSERT_THAT(stats.counts(), SizeIs(2));
  EXPECT_EQ(stats.counts(0).organization(), "EAEU");
  EXPECT_EQ(stats.counts(0).year(), 2019);
  EXPECT_EQ(stats.counts(0).summit_count(), 1);
  EXPECT_EQ(stats.counts(0).declaration_count(), 1);
  EXPECT_EQ(stats.counts(0).initiative_count(), 1);
  EXPECT_EQ(stats.counts(1).organization(), "SCO");
  EXPECT_EQ(stats.applied_sequence(), sequence_);
  EXPECT_GT(stats.store_size_bytes(), 0);
}

TEST_F(QueryStoreTest, FormerChildNamesResolveToTheCurrentRecord) {
  v1::Summit astana =
      MakeSummit("csto-2024-11-28-astana", "CSTO", 2024, 11, 28, "Astana");
  v1::Declaration declaration;
  declaration.set_name(astana.name() +
                       "/declarations/declaration-of-the-council");
  declaration.set_summit(astana.name());
  declaration.set_title("Declaration of the Council");
  // What one source alone called it before another refined the title.
  declaration.add_aliases(astana.name() + "/declarations/council-declaration");
  v1::Initiative initiative;
  initiative.set_name(astana.name() + "/initiatives/monitoring-group");
  initiative.set_summit(astana.name());
  initiative.set_title("monitoring group");
  initiative.add_aliases(astana.name() + "/initiatives/a-monitoring-group");
  std::vector<v1::ChangeEvent> events;  // sequences follow creation order
  events.push_back(Upsert(astana));
  // The summit's former, year-only name is an alias of the current one.
  events.push_back(Event(v1::CHANGE_TYPE_UPSERT, "summits/csto-2024-astana"));
  events.back().set_alias_of(astana.name());
  events.push_back(Upsert(declaration));
  events.push_back(Upsert(initiative));
  Apply(std::move(events));

  for (const std::string& held :
       {declaration.name(), astana.name() + "/declarations/council-declaration",
        std::string("summits/csto-2024-astana/declarations/"
                    "declaration-of-the-council"),
        std::string("summits/csto-2024-astana/declarations/"
                    "council-declaration")}) {
    SCOPED_TRACE(held);
    ASSERT_OK_AND_ASSIGN(v1::Declaration got, store_->GetDeclaration(held));
    EXPECT_EQ(got.name(), declaration.name());
  }
  ASSERT_OK_AND_ASSIGN(
      v1::Initiative got_initiative,
      store_->GetInitiative(
          "summits/csto-2024-astana/initiatives/a-monitoring-group"));
  EXPECT_EQ(got_initiative.name(), initiative.name());
  // An alias is a name, not a record: lists show each record once.
  DeclarationQuery all;
  ASSERT_OK_AND_ASSIGN(auto page, store_->ListDeclarations(all));
  EXPECT_EQ(page.items.size(), 1u);
  // A child of another type never answers for the name.
  EXPECT_THAT(store_->GetInitiative(astana.name() +
                                    "/initiatives/council-declaration"),
              StatusIs(absl::StatusCode::kNotFound));

  // When the refined record goes, so do its former names.
  Apply({Delete(declaration.name())});
  EXPECT_THAT(store_->GetDeclaration(astana.name() +
                                     "/declarations/council-declaration"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(QueryStoreTest, ChairmanshipsFollowChairsAndHandovers) {
  v1::Summit moscow = MakeSummit("csto-2022-moscow", "CSTO", 2022, 5, 16,
                                 "Moscow");
  moscow.set_chair_country("Armenia");
  v1::Summit yerevan = MakeSummit("csto-2022-yerevan", "CSTO", 2022, 11, 23,
                                  "Yerevan");
  yerevan.set_chair_country("Armenia");
  yerevan.mutable_next_chair()->set_country("Belarus");
  yerevan.mutable_next_chair()->mutable_from_date()->set_year(2023);
  yerevan.mutable_next_chair()->mutable_from_date()->set_month(1);
  yerevan.mutable_next_chair()->mutable_from_date()->set_day(1);
  v1::Summit minsk = MakeSummit("csto-2023-minsk", "CSTO", 2023, 11, 23,
                                "Minsk");
  minsk.set_chair_country("Belarus");
  minsk.mutable_next_chair()->set_country("Kazakhstan");
  v1::Summit samarkand =
      MakeSummit("sco-2022-samarkand", "SCO", 2022, 9, 16, "Samarkand");
  samarkand.set_chair_country("Uzbekistan");
  Apply({Upsert(minsk), Upsert(samarkand), Upsert(yerevan), Upsert(moscow)});

  ChairmanshipQuery query;
  query.organization = "csto";
  ReadStats stats;
  query.stats = &stats;
  ASSERT_OK_AND_ASSIGN(auto page, store_->ListChairmanships(query));
  EXPECT_EQ(stats.records_read, 0);
  ASSERT_THAT(page.items, SizeIs(3));
  EXPECT_EQ(page.items[0].country(), "Armenia");
  EXPECT_EQ(page.items[0].start_date().month(), 5);
  EXPECT_EQ(page.items[0].end_date().year(), 2023);
  EXPECT_EQ(page.items[0].end_date().month(), 1);
  EXPECT_THAT(page.items[0].chaired_summits(),
              ElementsAre(moscow.name(), yerevan.name()));
  EXPECT_EQ(page.items[1].country(), "Belarus");
  EXPECT_EQ(page.items[1].handover_summit(), yerevan.name());
  EXPECT_THAT(page.items[1].chaired_summits(), ElementsAre(minsk.name()));
  EXPECT_EQ(page.items[1].end_date().year(), 2023);  // the Minsk summit
  EXPECT_EQ(page.items[2].country(), "Kazakhstan");
  EXPECT_EQ(page.items[2].handover_summit(), minsk.name());
  EXPECT_FALSE(page.items[2].has_end_date());

  ChairmanshipQuery all;
  all.page_size = 2;
  ASSERT_OK_AND_ASSIGN(auto first, store_->ListChairmanships(all));
  EXPECT_EQ(first.total_size, 4);
  ASSERT_THAT(first.items, SizeIs(2));
  all.resume_after = first.resume_after;
  ASSERT_OK_AND_ASSIGN(auto second, store_->ListChairmanships(all));
  ASSERT_THAT(second.items, SizeIs(2));
  EXPECT_EQ(second.items[1].organization(), "SCO");
  EXPECT_TRUE(second.resume_after.empty());

  ChairmanshipQuery belarus;
  belarus.country = "BELARUS";
  ASSERT_OK_AND_ASSIGN(auto only, store_->ListChairmanships(belarus));
  ASSERT_THAT(only.items, SizeIs(1));
  EXPECT_EQ(only.items[0].organization(), "CSTO");
}

TEST_F(QueryStoreTest, SummitHistoryReplaysMatchingChanges) {
  v1::Summit a = MakeSummit("csto-2024-a", "CSTO", 2024, 1, 1, "Astana");
  v1::Summit b = MakeSummit("sco-2024-b", "SCO", 2024, 2, 2, "Astana");
  v1::Summit c = MakeSummit("csto-2024-c", "CSTO", 2024, 3, 3, "Minsk");
  Apply({Upsert(a), Upsert(b)});  // 1, 2
  Apply({Upsert(c)});             // 3
  v1::ChangeEvent merge = Event(v1::CHANGE_TYPE_UPSERT, a.name());  // 4
  merge.set_alias_of(c.name());
  Apply({merge, Delete(b.name())});  // 4, 5

  v1::SummitFilter csto;
  csto.set_organization("CSTO");
  ASSERT_OK_AND_ASSIGN(SummitChanges all,
                       store_->ReadSummitChanges(0, csto, 100));
  EXPECT_EQ(all.through_sequence, 5u);
  ASSERT_THAT(all.changes, SizeIs(3));
  EXPECT_EQ(all.changes[0].sequence(), 1u);
  EXPECT_EQ(all.changes[1].name(), c.name());
  EXPECT_EQ(all.changes[2].type(), v1::CHANGE_TYPE_DELETE);
  EXPECT_EQ(all.changes[2].merged_into(), c.name());
  EXPECT_EQ(all.changes[2].summit().location().city(), "Astana");

  // A deletion matches on the summit's last state.
  v1::SummitFilter sco;
  sco.set_organization("sco");
  ASSERT_OK_AND_ASSIGN(SummitChanges deleted,
                       store_->ReadSummitChanges(2, sco, 100));
  ASSERT_THAT(deleted.changes, SizeIs(1));
  EXPECT_EQ(deleted.changes[0].sequence(), 5u);
  EXPECT_EQ(deleted.changes[0].type(), v1::CHANGE_TYPE_DELETE);

  // Bounded reads report how far they got.
  ASSERT_OK_AND_ASSIGN(SummitChanges two,
                       store_->ReadSummitChanges(0, v1::SummitFilter(), 2));
  EXPECT_THAT(two.changes, SizeIs(2));
  EXPECT_EQ(two.through_sequence, 2u);
  ASSERT_OK_AND_ASSIGN(SummitChanges none,
                       store_->ReadSummitChanges(5, v1::SummitFilter(), 2));
  EXPECT_THAT(none.changes, IsEmpty());
  EXPECT_EQ(none.through_sequence, 5u);
}

// The raw history read (what WatchSummits sends) is byte for byte the
// serialisation of the SummitChange messages the typed path built from
// each history entry: upserts with the new state, deletions and merges
// with the last state, merges as DELETE with merged_into, other resources
// skipped.
TEST_F(QueryStoreTest, RawSummitChangesAreTheTypedChangesBytes) {
  v1::Summit a = MakeSummit("csto-2024-a", "CSTO", 2024, 1, 1, "Astana");
  AddParticipant(&a, "Kassym-Jomart Tokayev", "kassym-jomart-tokayev",
                 "Kazakhstan");
  v1::Summit b = MakeSummit("sco-2024-b", "SCO", 2024, 2, 2, "Astana");
  v1::Summit c = MakeSummit("csto-2024-c", "CSTO", 2024, 3, 3, "Minsk");
  v1::Declaration d;
  d.set_name(c.name() + "/declarations/minsk-declaration");
  d.set_title("Minsk Declaration");
  std::vector<v1::ChangeEvent> events = {Upsert(a), Upsert(b)};  // 1, 2
  events.push_back(Upsert(c));                                    // 3
  events.push_back(Upsert(d));                                    // 4
  v1::ChangeEvent merge = Event(v1::CHANGE_TYPE_UPSERT, a.name());  // 5
  merge.set_alias_of(c.name());
  events.push_back(merge);
  events.push_back(Delete(b.name()));  // 6
  v1::ChangeEvent no_commit_time = Upsert(b);  // 7: b again, no time
  no_commit_time.clear_commit_time();
  events.push_back(no_commit_time);
  Apply(events);

  auto typed = [&](const v1::ChangeEvent& event, const v1::Summit& state) {
    v1::SummitChange change;
    change.set_sequence(event.sequence());
    change.set_name(event.name());
    *change.mutable_commit_time() = event.commit_time();
    *change.mutable_summit() = state;
    if (!event.alias_of().empty()) {
      change.set_type(v1::CHANGE_TYPE_DELETE);
      change.set_merged_into(event.alias_of());
    } else {
      change.set_type(event.type());
    }
    return change;
  };
  v1::WatchSummitsResponse all;
  *all.add_changes() = typed(events[0], a);
  *all.add_changes() = typed(events[1], b);
  *all.add_changes() = typed(events[2], c);
  *all.add_changes() = typed(events[4], a);  // the merged summit's last state
  *all.add_changes() = typed(events[5], b);
  *all.add_changes() = typed(events[6], b);
  v1::WatchSummitsResponse csto;
  for (int i : {0, 2, 3}) *csto.add_changes() = all.changes(i);

  std::string bytes;
  ASSERT_OK_AND_ASSIGN(RawSummitChanges raw, store_->ReadSummitChangesRaw(
                                                 0, v1::SummitFilter(), 100,
                                                 &bytes));
  EXPECT_EQ(raw.count, 6u);
  EXPECT_EQ(raw.through_sequence, 7u);
  v1::WatchSummitsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.DebugString(), all.DebugString());
  EXPECT_EQ(bytes, all.SerializeAsString());

  v1::SummitFilter filter;
  filter.set_organization("csto");
  bytes.clear();
  ASSERT_OK_AND_ASSIGN(raw,
                       store_->ReadSummitChangesRaw(0, filter, 100, &bytes));
  EXPECT_EQ(raw.count, 3u);
  EXPECT_EQ(bytes, csto.SerializeAsString());

  // A bounded read stops where it stopped examining (the history holds
  // summit events only: 3 and 5).
  bytes.clear();
  ASSERT_OK_AND_ASSIGN(raw, store_->ReadSummitChangesRaw(
                                2, v1::SummitFilter(), 2, &bytes));
  EXPECT_EQ(raw.count, 2u);
  EXPECT_EQ(raw.through_sequence, 5u);
  v1::WatchSummitsResponse bounded;
  *bounded.add_changes() = all.changes(2);
  *bounded.add_changes() = all.changes(3);
  EXPECT_EQ(bytes, bounded.SerializeAsString());
}

TEST_F(QueryStoreTest, TotalSizeIsExactForOneListAndBoundedOtherwise) {
  std::vector<v1::ChangeEvent> events;
  for (int n = 0; n < 30; ++n) {
    v1::Summit s = MakeSummit(absl::StrFormat("s-%02d", n), n < 20 ? "CSTO" : "SCO",
                              2000 + n, 1, 1, "Minsk");
    events.push_back(Upsert(s));
  }
  Apply(std::move(events));
  SummitQuery query;
  query.filter.set_organization("csto");
  query.page_size = 5;
  ASSERT_OK_AND_ASSIGN(auto page, store_->ListSummits(query));
  EXPECT_EQ(page.total_size, 20);
  query.page_size = 50;
  query.filter.set_min_year(2015);
  ASSERT_OK_AND_ASSIGN(auto all, store_->ListSummits(query));
  EXPECT_EQ(all.total_size, 5);  // one page holds every match: exact
  query.page_size = 2;
  ASSERT_OK_AND_ASSIGN(auto bounded, store_->ListSummits(query));
  EXPECT_GE(bounded.total_size, 5);
  EXPECT_LE(bounded.total_size, 20);
}

// Manual scale check (not run by ctest): an indexed filter's page costs the
// same at 1,000 and at 50,000 summits. Run with
// --gtest_also_run_disabled_tests --gtest_filter=*Scale*.
TEST(QueryStoreScaleTest, DISABLED_IndexedPageLatencyIsFlat) {
  for (int total : {1000, 50000}) {
    TempDir dir;
    ASSERT_OK_AND_ASSIGN(auto store, OpenQueryStore(dir.path(), {false}));
    uint64_t sequence = 0;
    const absl::Time apply_start = absl::Now();
    for (int base = 0; base < total; base += 500) {
      std::vector<v1::ChangeEvent> batch;
      for (int n = base; n < base + 500 && n < total; ++n) {
        v1::Summit s = MakeSummit(absl::StrFormat("s-%06d", n),
                                  n % 7 == 0 ? "CSTO" : "SCO", 1950 + n % 70,
                                  1 + n % 12, 1 + n % 28,
                                  absl::StrCat("City", n % 300));
        s.add_topics(n % 3 == 0 ? "terrorism" : "trade");
        AddParticipant(&s, "Vladimir Putin", "vladimir-putin", "Russia");
        v1::ChangeEvent e;
        e.set_sequence(++sequence);
        e.set_type(v1::CHANGE_TYPE_UPSERT);
        e.set_name(s.name());
        *e.mutable_summit() = s;
        batch.push_back(std::move(e));
      }
      ASSERT_OK(store->ApplyChanges(batch));
    }
    const absl::Duration apply = absl::Now() - apply_start;
    SummitQuery query;
    query.filter.set_organization("CSTO");
    query.filter.set_topic("terrorism");
    query.page_size = 50;
    constexpr int kRounds = 200;
    ReadStats stats;
    query.stats = &stats;
    const absl::Time start = absl::Now();
    for (int i = 0; i < kRounds; ++i) {
      ASSERT_OK_AND_ASSIGN(auto page, store->ListSummits(query));
      ASSERT_FALSE(page.items.empty());
    }
    const absl::Duration per_page = (absl::Now() - start) / kRounds;
    std::printf("%d summits: apply %.0f summits/s; page of 50 (org+topic) "
                "%.3f ms, %lld records and %lld index entries read per page\n",
                total, total / absl::ToDoubleSeconds(apply),
                absl::ToDoubleMilliseconds(per_page),
                static_cast<long long>(stats.records_read / kRounds),
                static_cast<long long>(stats.index_entries_read / kRounds));
  }
}

// Replicas that apply the same events end with the same bytes, however the
// events were batched.
TEST(QueryStoreReplicaTest, BatchingDoesNotChangeTheBytes) {
  std::vector<v1::ChangeEvent> events;
  uint64_t sequence = 0;
  auto add = [&](v1::ChangeEvent e) {
    e.set_sequence(++sequence);
    e.mutable_commit_time()->set_seconds(1700000000 + sequence);
    events.push_back(std::move(e));
  };
  for (int round = 0; round < 3; ++round) {
    for (int n = 0; n < 20; ++n) {
      v1::Summit s = MakeSummit(absl::StrFormat("csto-%02d", n), "CSTO",
                                2000 + n, 1 + round, 1, "Minsk");
      s.set_chair_country(n % 2 ? "Armenia" : "Belarus");
      s.add_topics(absl::StrCat("topic ", round));
      v1::ChangeEvent e;
      e.set_type(v1::CHANGE_TYPE_UPSERT);
      e.set_name(s.name());
      *e.mutable_summit() = s;
      add(e);
      v1::Declaration d;
      d.set_name(s.name() + "/declarations/d");
      d.set_summit(s.name());
      d.set_title(absl::StrCat("Declaration round ", round));
      v1::ChangeEvent de;
      de.set_type(v1::CHANGE_TYPE_UPSERT);
      de.set_name(d.name());
      *de.mutable_declaration() = d;
      add(de);
      if (n % 6 == round) {
        v1::ChangeEvent del;
        del.set_type(v1::CHANGE_TYPE_DELETE);
        del.set_name(n % 2 ? s.name() : d.name());
        add(del);
      }
    }
  }
  TempDir one_dir;
  TempDir many_dir;
  ASSERT_OK_AND_ASSIGN(auto one, OpenQueryStore(one_dir.path(), {}));
  ASSERT_OK_AND_ASSIGN(auto many, OpenQueryStore(many_dir.path(), {}));
  ASSERT_OK(one->ApplyChanges(events));
  for (size_t i = 0; i < events.size(); i += 7) {
    std::vector<v1::ChangeEvent> batch(
        events.begin() + i,
        events.begin() + std::min(events.size(), i + 7));
    ASSERT_OK(many->ApplyChanges(batch));
  }
  ASSERT_OK_AND_ASSIGN(std::string one_bytes, one->ExportContents());
  ASSERT_OK_AND_ASSIGN(std::string many_bytes, many->ExportContents());
  EXPECT_EQ(one_bytes.size(), many_bytes.size());
  EXPECT_TRUE(one_bytes == many_bytes);
  // Reopening keeps the same bytes (no re-index of a current layout).
  one.reset();
  ASSERT_OK_AND_ASSIGN(auto reopened, OpenQueryStore(one_dir.path(), {}));
  ASSERT_OK_AND_ASSIGN(std::string reopened_bytes, reopened->ExportContents());
  EXPECT_TRUE(reopened_bytes == one_bytes);
}

}  // namespace
}  // namespace communique::store
