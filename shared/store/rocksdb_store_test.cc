#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/status/testing/temp_dir.h"
#include "shared/store/ingest_store.h"
#include "shared/store/internal/db.h"
#include "shared/store/query_store.h"

namespace communique::store {
namespace {

using ::communique::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

using ::communique::testing::TempDir;

v1::Summit MakeSummit(const std::string& id, int year, const std::string& city,
                      const std::string& country, const std::string& article) {
  v1::Summit s;
  s.set_name("summits/" + id);
  s.set_organization("CSTO");
  s.set_body("Collective Security Council");
  s.mutable_date()->set_year(year);
  s.mutable_date()->set_precision(v1::DATE_PRECISION_YEAR);
  s.mutable_location()->set_city(city);
  s.mutable_location()->set_country(country);
  auto* p = s.add_participants();
  p->set_name("Kassym-Jomart Tokayev");
  p->set_person_id("kassym-jomart-tokayev");
  p->set_country("Kazakhstan");
  s.add_source_articles(article);
  return s;
}

ArticleCommit MakeCommit(const std::string& article_id, const std::string& cluster,
                         std::vector<v1::Summit> summits) {
  ArticleCommit commit;
  commit.article.set_name("articles/" + article_id);
  commit.article.set_text("text of " + article_id);
  commit.extraction.set_article(commit.article.name());
  for (const auto& s : summits) *commit.extraction.add_summits() = s;
  commit.clusters = {cluster};
  ClusterRecords records;
  records.summits = std::move(summits);
  commit.cluster_records[cluster] = std::move(records);
  commit.now = absl::Now();
  return commit;
}

// The replica writes records and history as {field 1: resource} straight
// from the event; the bytes must equal the envelope's own serialization
// (replicas compare stores byte for byte), including sizes that need
// multi-byte length varints and an empty resource.
TEST(StoreEncodingTest, SerializeAsField1EqualsTheEnvelope) {
  for (int participants : {0, 1, 40, 4000}) {
    v1::Summit summit = MakeSummit("csto-2024-astana", 2024, "Astana",
                                   "Kazakhstan", "articles/a1");
    for (int i = 0; i < participants; ++i) *summit.add_participants() =
        summit.participants(0);
    storage::v1::SummitRecord record;
    *record.mutable_summit() = summit;
    EXPECT_EQ(internal::SerializeAsField1(summit), internal::Serialize(record))
        << participants;
    v1::ChangeEvent event;
    event.set_sequence(7);
    *event.mutable_summit() = summit;
    storage::v1::ChangeRecord change;
    *change.mutable_event() = event;
    EXPECT_EQ(internal::SerializeAsField1(event), internal::Serialize(change));
  }
  storage::v1::SummitRecord empty;
  empty.mutable_summit();
  EXPECT_EQ(internal::SerializeAsField1(v1::Summit()),
            internal::Serialize(empty));
}

TEST(IngestStoreTest, CommitWritesRecordsAndGapFreeChangeLog) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
  ASSERT_OK_AND_ASSIGN(
      CommitResult first,
      store->CommitArticle(MakeCommit(
          "a1", "csto|csc|2024",
          {MakeSummit("csto-2024-astana", 2024, "Astana", "Kazakhstan",
                      "articles/a1")})));
  EXPECT_EQ(first.sequence, 1u);
  EXPECT_THAT(first.changed_summits, ElementsAre("summits/csto-2024-astana"));

  // The same records again change nothing and emit no event.
  ASSERT_OK_AND_ASSIGN(
      CommitResult again,
      store->CommitArticle(MakeCommit(
          "a1", "csto|csc|2024",
          {MakeSummit("csto-2024-astana", 2024, "Astana", "Kazakhstan",
                      "articles/a1")})));
  EXPECT_EQ(again.sequence, 1u);
  EXPECT_TRUE(again.changed_summits.empty());

  ASSERT_OK_AND_ASSIGN(auto extractions,
                       store->ClusterExtractions("csto|csc|2024"));
  ASSERT_THAT(extractions, SizeIs(1));
  EXPECT_EQ(extractions[0].article(), "articles/a1");
  ASSERT_OK_AND_ASSIGN(auto article, store->GetArticle("articles/a1"));
  ASSERT_TRUE(article.has_value());
  EXPECT_EQ(article->text(), "text of a1");

  ASSERT_OK_AND_ASSIGN(auto changes, store->ReadChanges(0, 100));
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].sequence(), 1u);
  EXPECT_EQ(changes[0].summit().location().city(), "Astana");
  EXPECT_TRUE(changes[0].summit().has_create_time());
}

// Group commit: commits written without awaiting durability are visible to
// later commits at once, but their events reach the change feed only when
// AwaitDurable has fsynced the log, once for all of them.
TEST(IngestStoreTest, GroupCommitPublishesOnlyDurableEventsAndSharesOneSync) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
  std::vector<uint64_t> writes;
  for (const char* id : {"a1", "a2", "a3"}) {
    ArticleCommit commit = MakeCommit(
        id, std::string("cluster-") + id,
        {MakeSummit(std::string("s-") + id, 2024, "Astana", "Kazakhstan",
                    std::string("articles/") + id)});
    commit.await_durable = false;
    ASSERT_OK_AND_ASSIGN(CommitResult result, store->CommitArticle(commit));
    writes.push_back(result.write);
  }
  EXPECT_THAT(writes, ElementsAre(1u, 2u, 3u));
  EXPECT_EQ(store->LastWrite(), 3u);
  // Written and readable by the writer...
  ASSERT_OK_AND_ASSIGN(auto article, store->GetArticle("articles/a3"));
  EXPECT_TRUE(article.has_value());
  // ...but nothing is published before the fsync.
  EXPECT_EQ(store->notifier().head(), 0u);
  ASSERT_OK_AND_ASSIGN(auto none, store->ReadChanges(0, 100));
  EXPECT_THAT(none, IsEmpty());
  EXPECT_EQ(store->Engine().wal_syncs, 0u);

  // Awaiting the second commit syncs all three with one fsync.
  ASSERT_OK(store->AwaitDurable(writes[1]));
  EXPECT_EQ(store->notifier().head(), 3u);
  ASSERT_OK_AND_ASSIGN(auto changes, store->ReadChanges(0, 100));
  EXPECT_THAT(changes, SizeIs(3));
  ASSERT_OK(store->AwaitDurable(writes[0]));
  ASSERT_OK(store->AwaitDurable(writes[2]));
  EXPECT_EQ(store->Engine().wal_syncs, 1u);
  EXPECT_EQ(store->Engine().commits, 3u);

  // The default commit is durable and published when it returns.
  ASSERT_OK_AND_ASSIGN(
      CommitResult fourth,
      store->CommitArticle(MakeCommit(
          "a4", "cluster-a4",
          {MakeSummit("s-a4", 2024, "Astana", "Kazakhstan", "articles/a4")})));
  EXPECT_EQ(store->notifier().head(), fourth.sequence);
  EXPECT_EQ(store->Engine().wal_syncs, 2u);
}

// Many writers committing and awaiting at once: every commit is published
// in a gap-free log, and they share fsyncs rather than each paying one.
TEST(IngestStoreTest, ConcurrentCommitsAllBecomeDurable) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
  absl::Mutex writer;  // the pipeline's writer lock, as the store requires
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = absl::StrCat("t", t, "-", i);
        ArticleCommit commit = MakeCommit(
            id, "cluster-" + id,
            {MakeSummit("s-" + id, 2024, "Astana", "Kazakhstan",
                        "articles/" + id)});
        commit.await_durable = false;
        absl::StatusOr<CommitResult> result;
        {
          absl::MutexLock lock(&writer);
          result = store->CommitArticle(commit);
        }
        if (!result.ok() || !store->AwaitDurable(result->write).ok() ||
            store->notifier().head() < result->sequence) {
          failures++;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  constexpr uint64_t kCommits = kThreads * kPerThread;
  EXPECT_EQ(store->notifier().head(), kCommits);
  ASSERT_OK_AND_ASSIGN(auto changes, store->ReadChanges(0, 1000));
  ASSERT_THAT(changes, SizeIs(kCommits));
  for (uint64_t i = 0; i < kCommits; ++i) EXPECT_EQ(changes[i].sequence(), i + 1);
  const EngineStats stats = store->Engine();
  EXPECT_EQ(stats.commits, kCommits);
  EXPECT_GE(stats.wal_syncs, 1u);
  EXPECT_LE(stats.wal_syncs, kCommits);
  std::printf("%llu commits, %llu fsyncs\n",
              static_cast<unsigned long long>(stats.commits),
              static_cast<unsigned long long>(stats.wal_syncs));
}

TEST(IngestStoreTest, RenamedSummitLeavesAnAliasEvent) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
  const std::string cluster = "csto|csc|2024";
  ASSERT_OK(store
                ->CommitArticle(MakeCommit(
                    "a1", cluster,
                    {MakeSummit("csto-2024-astana", 2024, "Astana",
                                "Kazakhstan", "articles/a1")}))
                .status());
  v1::Summit refined = MakeSummit("csto-2024-11-28-astana", 2024, "Astana",
                                  "Kazakhstan", "articles/a1");
  refined.add_source_articles("articles/a2");
  ASSERT_OK_AND_ASSIGN(CommitResult result,
                       store->CommitArticle(MakeCommit("a2", cluster, {refined})));
  EXPECT_THAT(result.changed_summits,
              ElementsAre("summits/csto-2024-11-28-astana",
                          "summits/csto-2024-astana"));
  ASSERT_OK_AND_ASSIGN(auto changes, store->ReadChanges(1, 100));
  // The new summit first, then the alias pointing at it; the record itself
  // is stored as the merge gave it.
  ASSERT_THAT(changes, SizeIs(2));
  EXPECT_EQ(changes[0].name(), "summits/csto-2024-11-28-astana");
  EXPECT_THAT(changes[0].summit().aliases(), IsEmpty());
  EXPECT_EQ(changes[1].name(), "summits/csto-2024-astana");
  EXPECT_EQ(changes[1].alias_of(), "summits/csto-2024-11-28-astana");
  EXPECT_FALSE(changes[1].has_summit());

  // A replica applying the feed resolves the old name.
  TempDir replica_dir;
  ASSERT_OK_AND_ASSIGN(auto replica, OpenQueryStore(replica_dir.path(), {}));
  ASSERT_OK_AND_ASSIGN(auto all, store->ReadChanges(0, 100));
  ASSERT_OK(replica->ApplyChanges(all));
  ASSERT_OK_AND_ASSIGN(v1::Summit resolved,
                       replica->GetSummit("summits/csto-2024-astana"));
  EXPECT_EQ(resolved.name(), "summits/csto-2024-11-28-astana");
}

TEST(IngestStoreTest, ReopenResumesTheSequence) {
  TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
    ASSERT_OK(store
                  ->CommitArticle(MakeCommit(
                      "a1", "k", {MakeSummit("csto-2021", 2021, "", "", "articles/a1")}))
                  .status());
  }
  ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
  EXPECT_EQ(store->notifier().head(), 1u);
  ASSERT_OK_AND_ASSIGN(
      CommitResult next,
      store->CommitArticle(MakeCommit(
          "a2", "k2", {MakeSummit("csto-2022", 2022, "", "", "articles/a2")})));
  EXPECT_EQ(next.sequence, 2u);
}

// Counts kept by commits (creations, renames leaving aliases, deletions)
// equal a fresh count when the store is reopened.
TEST(IngestStoreTest, CountsFollowCommitsAndMatchAReopen) {
  TempDir dir;
  RecordCounts live;
  {
    ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
    const std::string cluster = "csto|csc|2024";
    ASSERT_OK(store
                  ->CommitArticle(MakeCommit(
                      "a1", cluster,
                      {MakeSummit("csto-2024-astana", 2024, "Astana",
                                  "Kazakhstan", "articles/a1")}))
                  .status());
    EXPECT_EQ(store->Counts().articles, 1);
    EXPECT_EQ(store->Counts().summits, 1);
    v1::Summit refined = MakeSummit("csto-2024-11-28-astana", 2024, "Astana",
                                    "Kazakhstan", "articles/a1");
    refined.add_source_articles("articles/a2");
    ArticleCommit second = MakeCommit("a2", cluster, {refined});
    v1::Declaration declaration;
    declaration.set_name("summits/csto-2024-11-28-astana/declarations/astana");
    declaration.set_title("Astana Declaration");
    second.cluster_records[cluster].declarations.push_back(declaration);
    ASSERT_OK(store->CommitArticle(second).status());
    live = store->Counts();
    EXPECT_EQ(live.articles, 2);
    EXPECT_EQ(live.summits, 1);
    EXPECT_EQ(live.aliases, 1);
    EXPECT_EQ(live.declarations, 1);
    // The same article again changes nothing.
    ArticleCommit same = second;
    ASSERT_OK(store->CommitArticle(same).status());
    EXPECT_EQ(store->Counts().articles, 2);
    EXPECT_EQ(store->Counts().declarations, 1);
    // Deleting a2 leaves a1's summit without the declaration.
    ArticleCommit removal;
    removal.action = ArticleAction::kDelete;
    removal.article.set_name("articles/a2");
    ClusterRecords records;
    v1::Summit back = refined;
    back.clear_source_articles();
    back.add_source_articles("articles/a1");
    records.summits = {back};
    removal.cluster_records[cluster] = records;
    removal.now = absl::Now();
    ASSERT_OK(store->CommitArticle(removal).status());
    live = store->Counts();
    EXPECT_EQ(live.articles, 1);
    EXPECT_EQ(live.summits, 1);
    EXPECT_EQ(live.aliases, 1);
    EXPECT_EQ(live.declarations, 0);
  }
  ASSERT_OK_AND_ASSIGN(auto reopened, OpenIngestStore(dir.path(), {}));
  const RecordCounts counted = reopened->Counts();
  EXPECT_EQ(counted.articles, live.articles);
  EXPECT_EQ(counted.summits, live.summits);
  EXPECT_EQ(counted.aliases, live.aliases);
  EXPECT_EQ(counted.declarations, live.declarations);
  EXPECT_EQ(counted.initiatives, live.initiatives);
}

// A full disk (the test-only injection): commits fail with
// RESOURCE_EXHAUSTED and nothing is written, WriteStatus says why, reads
// keep working, Resume fails while the disk is full and succeeds once it is
// not; then commits work again and nothing acknowledged is lost.
TEST(IngestStoreTest, FullDiskStopsWritesUntilResumed) {
  TempDir dir;
  const std::string trigger = dir.path() + "/disk-full";
  StoreOptions options;
  options.test_only_disk_full_file = trigger;
  {
    ASSERT_OK_AND_ASSIGN(auto store,
                         OpenIngestStore(dir.path() + "/db", options));
    ASSERT_OK(store
                  ->CommitArticle(MakeCommit(
                      "a1", "k1", {MakeSummit("csto-2021", 2021, "", "",
                                              "articles/a1")}))
                  .status());
    EXPECT_OK(store->WriteStatus());
    std::ofstream(trigger) << "full";
    EXPECT_THAT(store
                    ->CommitArticle(MakeCommit(
                        "a2", "k2", {MakeSummit("csto-2022", 2022, "", "",
                                                "articles/a2")}))
                    .status(),
                StatusIs(absl::StatusCode::kResourceExhausted));
    EXPECT_THAT(store->WriteStatus(),
                StatusIs(absl::StatusCode::kResourceExhausted));
    EXPECT_THAT(store->Resume(), ::testing::Not(::communique::testing::IsOk()));
    // Fails fast with the same error while not resumed.
    EXPECT_THAT(store
                    ->CommitArticle(MakeCommit(
                        "a3", "k3", {MakeSummit("csto-2023", 2023, "", "",
                                                "articles/a3")}))
                    .status(),
                StatusIs(absl::StatusCode::kResourceExhausted));
    ASSERT_OK_AND_ASSIGN(auto a1, store->GetArticle("articles/a1"));
    EXPECT_TRUE(a1.has_value());
    EXPECT_EQ(store->notifier().head(), 1u);
    EXPECT_EQ(store->Counts().articles, 1);

    std::filesystem::remove(trigger);
    // RocksDB may be retrying on its own meanwhile (Resume then answers
    // busy): poll, as the ingest service does.
    absl::Status resumed = store->Resume();
    for (int i = 0; i < 300 && !resumed.ok(); ++i) {
      absl::SleepFor(absl::Milliseconds(100));
      resumed = store->Resume();
    }
    EXPECT_OK(resumed);
    EXPECT_OK(store->WriteStatus());
    ASSERT_OK_AND_ASSIGN(
        CommitResult after,
        store->CommitArticle(MakeCommit(
            "a4", "k4", {MakeSummit("csto-2024", 2024, "", "", "articles/a4")})));
    EXPECT_EQ(after.sequence, 2u);
  }
  ASSERT_OK_AND_ASSIGN(auto reopened, OpenIngestStore(dir.path() + "/db", {}));
  EXPECT_EQ(reopened->notifier().head(), 2u);
  EXPECT_EQ(reopened->Counts().articles, 2);
  ASSERT_OK_AND_ASSIGN(auto a1, reopened->GetArticle("articles/a1"));
  ASSERT_OK_AND_ASSIGN(auto a2, reopened->GetArticle("articles/a2"));
  ASSERT_OK_AND_ASSIGN(auto a4, reopened->GetArticle("articles/a4"));
  EXPECT_TRUE(a1.has_value());
  EXPECT_FALSE(a2.has_value());
  EXPECT_TRUE(a4.has_value());
}

// store::WriteCheckpoint (communique-ingest --checkpoint_to): refused while
// the store is open and for a directory without a store; the copy is a
// complete store that does not see later writes.
TEST(IngestStoreTest, WriteCheckpointCopiesAClosedStore) {
  TempDir dir;
  const std::string live = dir.path() + "/live";
  const std::string backup = dir.path() + "/backup";
  EXPECT_THAT(WriteCheckpoint(live, backup),
              StatusIs(absl::StatusCode::kNotFound));
  {
    ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(live, {}));
    ASSERT_OK(store
                  ->CommitArticle(MakeCommit(
                      "a1", "k1", {MakeSummit("csto-2021", 2021, "", "",
                                              "articles/a1")}))
                  .status());
    EXPECT_THAT(WriteCheckpoint(live, backup),
                StatusIs(absl::StatusCode::kUnavailable));
    EXPECT_FALSE(std::filesystem::exists(backup));
  }
  ASSERT_OK(WriteCheckpoint(live, backup));
  EXPECT_THAT(WriteCheckpoint(live, backup),
              StatusIs(absl::StatusCode::kUnavailable));
  {
    ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(live, {}));
    ASSERT_OK(store
                  ->CommitArticle(MakeCommit(
                      "a2", "k2", {MakeSummit("csto-2022", 2022, "", "",
                                              "articles/a2")}))
                  .status());
  }
  ASSERT_OK_AND_ASSIGN(auto restored, OpenIngestStore(backup, {}));
  EXPECT_EQ(restored->notifier().head(), 1u);
  ASSERT_OK_AND_ASSIGN(auto a1, restored->GetArticle("articles/a1"));
  ASSERT_OK_AND_ASSIGN(auto a2, restored->GetArticle("articles/a2"));
  EXPECT_TRUE(a1.has_value());
  EXPECT_FALSE(a2.has_value());
}

TEST(StoreTest, RolesCannotBeMixed) {
  TempDir dir;
  { ASSERT_OK(OpenIngestStore(dir.path(), {}).status()); }
  EXPECT_THAT(OpenQueryStore(dir.path(), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

// A store another process (or handle) holds is refused cleanly, with the
// directory named, instead of crashing while cleaning up.
TEST(StoreTest, AStoreInUseIsUnavailable) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto holder, OpenIngestStore(dir.path(), {}));
  auto second = OpenIngestStore(dir.path(), {});
  EXPECT_THAT(second, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(second.status().message()),
              ::testing::HasSubstr(dir.path()));
  EXPECT_THAT(OpenQueryStore(dir.path(), {}),
              StatusIs(absl::StatusCode::kUnavailable));
}

class QueryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenQueryStore(dir_.path(), {});
    ASSERT_OK(store.status());
    store_ = std::move(*store);
    const std::vector<v1::Summit> summits = {
        MakeSummit("csto-2021-dushanbe", 2021, "Dushanbe", "Tajikistan", "a"),
        MakeSummit("csto-2022-yerevan", 2022, "Yerevan", "Armenia", "a"),
        MakeSummit("csto-2023-minsk", 2023, "Minsk", "Belarus", "a"),
        MakeSummit("csto-2024-astana", 2024, "Astana", "Kazakhstan", "a")};
    std::vector<v1::ChangeEvent> events;
    for (const auto& s : summits) {
      v1::ChangeEvent e;
      e.set_sequence(events.size() + 1);
      e.set_type(v1::CHANGE_TYPE_UPSERT);
      e.set_name(s.name());
      *e.mutable_summit() = s;
      events.push_back(e);
    }
    ASSERT_OK(store_->ApplyChanges(events));
  }

  TempDir dir_;
  std::unique_ptr<QueryStore> store_;
};

TEST_F(QueryStoreTest, RejectsGapsAndKeepsTheWatermark) {
  EXPECT_EQ(store_->AppliedSequence(), 4u);
  v1::ChangeEvent gap;
  gap.set_sequence(6);
  EXPECT_THAT(store_->ApplyChanges({gap}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(store_->AppliedSequence(), 4u);
}

TEST_F(QueryStoreTest, ListsNewestFirstAndPagesWithoutRepeats) {
  SummitQuery query;
  query.page_size = 3;
  ASSERT_OK_AND_ASSIGN(auto first, store_->ListSummits(query));
  ASSERT_THAT(first.items, SizeIs(3));
  EXPECT_EQ(first.items[0].name(), "summits/csto-2024-astana");
  EXPECT_EQ(first.items[2].name(), "summits/csto-2022-yerevan");
  ASSERT_FALSE(first.resume_after.empty());
  query.resume_after = first.resume_after;
  ASSERT_OK_AND_ASSIGN(auto second, store_->ListSummits(query));
  ASSERT_THAT(second.items, SizeIs(1));
  EXPECT_EQ(second.items[0].name(), "summits/csto-2021-dushanbe");
  EXPECT_TRUE(second.resume_after.empty());
}

TEST_F(QueryStoreTest, FiltersByYearRangeCountryAndPerson) {
  SummitQuery query;
  query.ascending = true;
  query.filter.set_min_year(2022);
  query.filter.set_max_year(2023);
  ASSERT_OK_AND_ASSIGN(auto range, store_->ListSummits(query));
  ASSERT_THAT(range.items, SizeIs(2));
  EXPECT_EQ(range.items[0].name(), "summits/csto-2022-yerevan");

  SummitQuery by_country;
  by_country.filter.set_country("belarus");
  ASSERT_OK_AND_ASSIGN(auto belarus, store_->ListSummits(by_country));
  ASSERT_THAT(belarus.items, SizeIs(1));
  EXPECT_EQ(belarus.items[0].location().city(), "Minsk");

  SummitQuery by_person;
  by_person.filter.set_person("kassym-jomart-tokayev");
  by_person.filter.set_organization("csto");
  by_person.filter.set_year(2021);
  ASSERT_OK_AND_ASSIGN(auto person, store_->ListSummits(by_person));
  ASSERT_THAT(person.items, SizeIs(1));
  EXPECT_EQ(person.items[0].name(), "summits/csto-2021-dushanbe");
}

TEST_F(QueryStoreTest, DeleteRemovesRecordAndIndexEntries) {
  v1::ChangeEvent del;
  del.set_sequence(5);
  del.set_type(v1::CHANGE_TYPE_DELETE);
  del.set_name("summits/csto-2023-minsk");
  ASSERT_OK(store_->ApplyChanges({del}));
  EXPECT_THAT(store_->GetSummit("summits/csto-2023-minsk"),
              StatusIs(absl::StatusCode::kNotFound));
  SummitQuery by_city;
  by_city.filter.set_city("Minsk");
  ASSERT_OK_AND_ASSIGN(auto page, store_->ListSummits(by_city));
  EXPECT_THAT(page.items, SizeIs(0));
}

TEST_F(QueryStoreTest, WatermarkSurvivesReopen) {
  store_.reset();
  ASSERT_OK_AND_ASSIGN(auto reopened, OpenQueryStore(dir_.path(), {}));
  EXPECT_EQ(reopened->AppliedSequence(), 4u);
}

}  // namespace
}  // namespace communique::store

namespace communique::store {
namespace {

TEST(EngineStatsTest, ReportsMemtableAndCacheFigures) {
  char tmpl[] = "/tmp/communique_engine_test_XXXXXX";
  std::string dir = mkdtemp(tmpl);
  {
    auto store = OpenIngestStore(dir, {});
    ASSERT_TRUE(store.ok()) << store.status();
    ArticleCommit commit;
    commit.article.set_name("articles/a");
    commit.article.set_text("text");
    commit.now = absl::Now();
    ASSERT_TRUE((*store)->CommitArticle(commit).ok());
    ASSERT_TRUE((*store)->GetArticle("articles/a").ok());
    EngineStats stats = (*store)->Engine();
    EXPECT_GT(stats.memtable_bytes, 0u);
    EXPECT_EQ(stats.write_stall_micros, 0u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace communique::store
