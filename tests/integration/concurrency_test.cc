// In-process concurrency tests, written for ThreadSanitizer (scripts/test.sh
// runs them in build-tsan, where every line of ours is instrumented and no
// gRPC thread hand-offs hide the interleavings) and run in the plain and
// ASan suites too. Real RocksDB stores in a temporary directory, real
// threads, no mocks:
//  * parallel ingest: writer threads call IngestPipeline::Ingest at once
//    (articles about shared summits, so their commits merge the same
//    clusters), with a deleter and a re-processor interleaving, while
//    readers read the ingest store, follow its change log and wait on its
//    notifier;
//  * replica apply during reads: one thread applies the change log to a
//    QueryStore in small batches while reader threads run every query;
//  * ChangeNotifier: publishers, waiters and cancellations racing.
// Each test also checks the outcome (gap-free change log, every
// acknowledged article stored, a consistent store, replicas byte-equal), so
// it fails on wrong results as well as on TSan reports.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/ingest_pipeline.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/store/change_notifier.h"
#include "shared/store/ingest_store.h"
#include "shared/store/query_store.h"
#include "shared/store/store_checker.h"
#include "tests/testing/process.h"

namespace communique {
namespace {

using ::testing::IsEmpty;

constexpr int kWriters = 4;
constexpr int kArticlesPerWriter = 12;
constexpr int kReaders = 3;

const char* const kCities[] = {"Minsk", "Moscow", "Yerevan", "Astana",
                               "Bishkek", "Dushanbe"};
const char* const kMonths[] = {"May", "June", "October", "November"};

// Article `n` of writer `writer`: writers cover the same few summits, so
// concurrent commits re-merge shared clusters.
v1::ArticleInput Article(int writer, int n, int generation = 0) {
  const int summit = (writer + n) % 6;
  v1::ArticleInput input;
  input.set_external_id(absl::StrCat("w", writer, "-", n));
  input.set_text(absl::StrCat(
      "The CSTO Collective Security Council held its session in ",
      kCities[summit], " on ", kMonths[summit % 4], " ", 1 + summit * 3,
      ", ", 2014 + summit, ". The heads of state adopted a declaration on "
      "collective security. Report ", writer, "-", n, " (revision ",
      generation, ") says the leaders discussed regional stability."));
  return input;
}

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(gazetteer_, gazetteer::Gazetteer::LoadDefault());
    ASSERT_OK_AND_ASSIGN(extractor_, extract::Extractor::Create(gazetteer_));
  }

  static store::StoreOptions Unsynced() {
    store::StoreOptions options;
    options.sync_writes = false;
    return options;
  }

  std::shared_ptr<const gazetteer::Gazetteer> gazetteer_;
  std::unique_ptr<extract::Extractor> extractor_;
  testing::TempDir dir_;
};

// Parallel ingest with readers of the ingest store during the writes. The
// store syncs its WAL (the service's setting), so concurrent Ingest calls
// contend for commit and sync.
TEST_F(ConcurrencyTest, ParallelIngestWithReadersDuringWrites) {
  const std::string path = dir_.path() + "/ingest";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::IngestStore> store,
                       store::OpenIngestStore(path, {}));
  std::atomic<int> observed{0};
  ingest::IngestPipeline::Options options;
  options.naming = ingest::NamingRulesFrom(*gazetteer_);
  options.on_ingest = [&](const auto&) { observed.fetch_add(1); };
  ingest::IngestPipeline pipeline(store.get(), extractor_.get(),
                                  std::move(options));

  std::atomic<bool> writing{true};
  absl::Mutex mu;
  // Guarded by mu.
  std::set<std::string> acknowledged;
  std::set<std::string> deleted;
  std::vector<std::string> errors;
  auto fail = [&](std::string what) {
    absl::MutexLock lock(&mu);
    errors.push_back(std::move(what));
  };

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int n = 0; n < kArticlesPerWriter; ++n) {
        auto response = pipeline.Ingest(Article(w, n));
        if (!response.ok()) {
          fail(absl::StrCat("ingest ", w, "-", n, ": ",
                            response.status().ToString()));
          continue;
        }
        {
          absl::MutexLock lock(&mu);
          acknowledged.insert(response->article());
        }
        // Every third article again, unchanged, then revised: UNCHANGED
        // and UPDATED racing other writers' commits.
        if (n % 3 == 0) {
          auto again = pipeline.Ingest(Article(w, n));
          if (!again.ok() || again->outcome() != v1::INGEST_OUTCOME_UNCHANGED) {
            fail(absl::StrCat("re-ingest ", w, "-", n));
          }
          auto revised = pipeline.Ingest(Article(w, n, 1));
          if (!revised.ok()) {
            fail(absl::StrCat("revise ", w, "-", n));
          } else {
            absl::MutexLock lock(&mu);
            acknowledged.erase(response->article());
            acknowledged.insert(revised->article());
          }
        }
      }
    });
  }
  // A deleter removing some acknowledged articles while writes go on.
  threads.emplace_back([&] {
    int removed = 0;
    while (writing.load() && removed < 4) {
      std::string victim;
      {
        absl::MutexLock lock(&mu);
        for (const std::string& name : acknowledged) {
          if (name.find("-5") != std::string::npos) victim = name;
        }
        if (!victim.empty()) acknowledged.erase(victim);
      }
      if (victim.empty()) {
        absl::SleepFor(absl::Milliseconds(5));
        continue;
      }
      auto response = pipeline.Delete(victim);
      if (!response.ok()) {
        fail(absl::StrCat("delete ", victim, ": ",
                          response.status().ToString()));
      } else {
        absl::MutexLock lock(&mu);
        deleted.insert(victim);
        ++removed;
      }
    }
  });
  // A re-processor paging through the stored articles (the writer lock is
  // released between articles, so ingests interleave).
  threads.emplace_back([&] {
    while (writing.load()) {
      ingest::ReprocessRequest request;
      request.page_size = 5;
      do {
        auto result = pipeline.Reprocess(request);
        if (!result.ok()) {
          fail(absl::StrCat("reprocess: ", result.status().ToString()));
          return;
        }
        request.resume_after = result->resume_after;
      } while (!request.resume_after.empty());
      absl::SleepFor(absl::Milliseconds(10));
    }
  });
  // Readers: the change log must read gap-free and in order at any moment;
  // articles, counts and engine figures are read concurrently.
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      uint64_t after = 0;
      while (true) {
        const bool last_round = !writing.load();
        // Published implies readable: the event at the notifier's head is
        // in the change log (the log may run ahead of the notifier, which
        // is told after the commit).
        const uint64_t published = store->notifier().head();
        if (published > 0) {
          auto at_head = store->ReadChanges(published - 1, 1);
          if (!at_head.ok() || at_head->size() != 1 ||
              (*at_head)[0].sequence() != published) {
            fail(absl::StrCat("published head ", published,
                              " not in the change log"));
          }
        }
        auto events = store->ReadChanges(after, 7);
        if (!events.ok()) {
          fail(absl::StrCat("read changes: ", events.status().ToString()));
          return;
        }
        for (const v1::ChangeEvent& event : *events) {
          if (event.sequence() != after + 1) {
            fail(absl::StrCat("reader ", r, " saw sequence ",
                              event.sequence(), " after ", after));
            return;
          }
          after = event.sequence();
        }
        auto page = store->ListArticles(4, "");
        if (!page.ok()) {
          fail(absl::StrCat("list articles: ", page.status().ToString()));
          return;
        }
        for (const v1::Article& article : page->items) {
          if (!store->GetArticle(article.name()).ok()) fail("get article");
          if (!store->ArticleClusters(article.name()).ok()) {
            fail("article clusters");
          }
        }
        store->Counts();
        store->Engine();
        store->ApproximateSizeBytes();
        if (!store->WriteStatus().ok()) fail("write status");
        if (last_round && events->empty()) return;
      }
    });
  }
  // A change-feed waiter: NotifyAfter / Cancel against Publish from the
  // committing threads, as the change-feed server does.
  threads.emplace_back([&] {
    while (writing.load()) {
      const uint64_t head = store->notifier().head();
      auto woken = std::make_shared<absl::Notification>();
      std::optional<uint64_t> handle =
          store->notifier().NotifyAfter(head, [woken] { woken->Notify(); });
      if (!handle.has_value()) continue;  // already moved on
      if (!woken->WaitForNotificationWithTimeout(absl::Milliseconds(20))) {
        store->notifier().Cancel(*handle);
      }
    }
  });

  for (int w = 0; w < kWriters; ++w) threads[w].join();
  writing.store(false);
  for (size_t i = kWriters; i < threads.size(); ++i) threads[i].join();

  absl::MutexLock lock(&mu);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_GT(observed.load(), kWriters * kArticlesPerWriter);
  for (const std::string& name : acknowledged) {
    ASSERT_OK_AND_ASSIGN(std::optional<v1::Article> article,
                         store->GetArticle(name));
    EXPECT_TRUE(article.has_value()) << name;
  }
  for (const std::string& name : deleted) {
    ASSERT_OK_AND_ASSIGN(std::optional<v1::Article> article,
                         store->GetArticle(name));
    EXPECT_FALSE(article.has_value()) << name;
  }
  const uint64_t head = store->notifier().head();
  ASSERT_OK_AND_ASSIGN(auto events, store->ReadChanges(0, 1 << 20));
  ASSERT_EQ(events.size(), head);
  for (size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].sequence(), i + 1);
  }
  store.reset();
  ASSERT_OK_AND_ASSIGN(store::StoreCheckReport report,
                       store::CheckIngestStore(path));
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_EQ(report.article_count, acknowledged.size());
  EXPECT_EQ(report.change_log_head, head);
}

// A replica applying the change feed in small batches while readers run
// every query against it; it ends byte-identical to a replica that applied
// the same events in one batch.
TEST_F(ConcurrencyTest, ReplicaAppliesWhileReadersQuery) {
  std::vector<v1::ChangeEvent> feed;
  std::set<std::string> summit_names;
  {
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<store::IngestStore> ingest,
        store::OpenIngestStore(dir_.path() + "/ingest", Unsynced()));
    ingest::IngestPipeline::Options options;
    options.naming = ingest::NamingRulesFrom(*gazetteer_);
    ingest::IngestPipeline pipeline(ingest.get(), extractor_.get(),
                                    std::move(options));
    for (int n = 0; n < 24; ++n) {
      ASSERT_OK_AND_ASSIGN(auto response, pipeline.Ingest(Article(n % 3, n)));
      for (const std::string& name : response.affected_summits()) {
        summit_names.insert(name);
      }
    }
    ASSERT_OK_AND_ASSIGN(feed, ingest->ReadChanges(0, 1 << 20));
  }
  ASSERT_GT(feed.size(), 24u);
  const std::vector<std::string> names(summit_names.begin(),
                                       summit_names.end());

  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<store::QueryStore> replica,
      store::OpenQueryStore(dir_.path() + "/replica", Unsynced()));
  std::atomic<bool> applying{true};
  absl::Mutex mu;
  std::vector<std::string> errors;  // guarded by mu
  auto fail = [&](std::string what) {
    absl::MutexLock lock(&mu);
    errors.push_back(std::move(what));
  };

  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders + 1; ++r) {
    readers.emplace_back([&, r] {
      uint64_t last_applied = 0;
      int round = 0;
      while (true) {
        const bool last_round = !applying.load();
        const uint64_t applied = replica->AppliedSequence();
        if (applied < last_applied) fail("applied sequence went back");
        last_applied = applied;
        const std::string& name = names[(r + round) % names.size()];
        auto summit = replica->GetSummit(name);
        if (!summit.ok() && summit.status().code() != absl::StatusCode::kNotFound) {
          fail(absl::StrCat("get summit: ", summit.status().ToString()));
        }
        store::SummitQuery summits;
        summits.filter.set_organization("CSTO");
        summits.page_size = 3;
        summits.ascending = round % 2 == 0;
        do {
          auto page = replica->ListSummits(summits);
          if (!page.ok()) {
            fail(absl::StrCat("list summits: ", page.status().ToString()));
            break;
          }
          summits.resume_after = page->resume_after;
        } while (!summits.resume_after.empty());
        store::DeclarationQuery declarations;
        declarations.summit = name;
        if (!replica->ListDeclarations(declarations).ok()) {
          fail("list declarations");
        }
        store::InitiativeQuery initiatives;
        initiatives.organization = "CSTO";
        if (!replica->ListInitiatives(initiatives).ok()) {
          fail("list initiatives");
        }
        if (!replica->ListChairmanships({}).ok()) fail("list chairmanships");
        if (!replica->GetStats().ok()) fail("stats");
        auto changes =
            replica->ReadSummitChanges(0, v1::SummitFilter(), 50);
        if (!changes.ok()) {
          fail(absl::StrCat("summit changes: ", changes.status().ToString()));
        }
        replica->Engine();
        ++round;
        if (last_round) return;
      }
    });
  }
  // The applier: batches of 1..5 events, as the feed follower receives them.
  for (size_t i = 0; i < feed.size();) {
    const size_t n = std::min(feed.size() - i, 1 + i % 5);
    std::vector<v1::ChangeEvent> batch(feed.begin() + i, feed.begin() + i + n);
    ASSERT_OK(replica->ApplyChanges(batch));
    i += n;
  }
  applying.store(false);
  for (std::thread& reader : readers) reader.join();
  {
    absl::MutexLock lock(&mu);
    EXPECT_THAT(errors, IsEmpty());
  }
  EXPECT_EQ(replica->AppliedSequence(), feed.size());

  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<store::QueryStore> fresh,
      store::OpenQueryStore(dir_.path() + "/fresh", Unsynced()));
  ASSERT_OK(fresh->ApplyChanges(feed));
  ASSERT_OK_AND_ASSIGN(std::string got, replica->ExportContents());
  ASSERT_OK_AND_ASSIGN(std::string want, fresh->ExportContents());
  EXPECT_TRUE(got == want) << "replica applied in batches under reads "
                              "differs from one applied at once";
}

// Publishers moving the head while waiters register and cancel: every
// callback runs at most once, and every waiter not cancelled is woken.
TEST(ChangeNotifierConcurrencyTest, PublishNotifyAndCancelRace) {
  store::ChangeNotifier notifier(0);
  constexpr int kPublishers = 2;
  constexpr int kWaiters = 4;
  constexpr uint64_t kHead = 5000;
  std::atomic<int> woken{0};
  std::atomic<int> cancelled{0};
  std::atomic<int> registered{0};
  std::atomic<bool> bad{false};
  std::vector<std::thread> threads;
  for (int p = 0; p < kPublishers; ++p) {
    threads.emplace_back([&, p] {
      for (uint64_t head = 1 + p; head <= kHead; head += kPublishers) {
        notifier.Publish(head);
      }
    });
  }
  for (int w = 0; w < kWaiters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < 1000; ++i) {
        struct State {
          absl::Mutex mu;
          int runs ABSL_GUARDED_BY(mu) = 0;
        };
        auto state = std::make_shared<State>();
        const uint64_t after = notifier.head() + (i % 3);
        std::optional<uint64_t> handle =
            notifier.NotifyAfter(after, [state, &woken] {
              absl::MutexLock lock(&state->mu);
              ++state->runs;
              woken.fetch_add(1);
            });
        if (!handle.has_value()) continue;
        registered.fetch_add(1);
        if ((i + w) % 2 == 0) {
          notifier.Cancel(*handle);
          cancelled.fetch_add(1);
        }
        absl::MutexLock lock(&state->mu);
        if (state->runs > 1) bad.store(true);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // Past every registered sequence: whatever was not cancelled runs now.
  notifier.Publish(kHead + 10);
  EXPECT_FALSE(bad.load());
  EXPECT_EQ(notifier.head(), kHead + 10);
  EXPECT_GE(woken.load(), registered.load() - cancelled.load());
  EXPECT_LE(woken.load(), registered.load());
}

}  // namespace
}  // namespace communique
