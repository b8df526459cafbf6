// IngestStore::ReadChangesRaw against the typed read path it replaced in
// the change feed: ReadChanges, then a SubscribeResponse cut by bytes.
// The raw bytes must parse back to exactly that response, and be its
// serialisation.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/status/testing/temp_dir.h"
#include "shared/store/ingest_store.h"
#include "shared/store/keys.h"

namespace communique::store {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

using ::communique::testing::TempDir;

// A summit whose size grows with `participants`.
v1::Summit MakeSummit(int i, int participants) {
  v1::Summit s;
  s.set_name(absl::StrCat("summits/csto-", 2000 + i, "-minsk"));
  s.set_organization("CSTO");
  s.mutable_date()->set_year(2000 + i);
  s.mutable_location()->set_city("Minsk");
  for (int p = 0; p < participants; ++p) {
    auto* participant = s.add_participants();
    participant->set_name(absl::StrCat("Participant ", p, " of summit ", i));
    participant->set_country("Belarus");
  }
  s.add_source_articles(absl::StrCat("articles/a", i));
  return s;
}

// Commits `count` articles, one summit each, of uneven sizes; returns the
// head.
uint64_t Populate(IngestStore* store, int count) {
  uint64_t head = 0;
  for (int i = 0; i < count; ++i) {
    ArticleCommit commit;
    commit.article.set_name(absl::StrCat("articles/a", i));
    commit.article.set_text(absl::StrCat("text ", i));
    commit.extraction.set_article(commit.article.name());
    const std::string cluster = absl::StrCat("csto|csc|", 2000 + i);
    commit.clusters = {cluster};
    commit.cluster_records[cluster].summits = {MakeSummit(i, (i * 7) % 40)};
    commit.now = absl::Now();
    auto result = store->CommitArticle(commit);
    EXPECT_OK(result.status());
    if (result.ok()) head = result->sequence;
  }
  return head;
}

// What the change-feed server sent before it served stored bytes: up to
// `batch` events from ReadChanges, cut before the event that would take
// the events' ByteSizeLong total over `max_bytes` (one always goes), and
// the head.
std::vector<v1::SubscribeResponse> TypedFeed(IngestStore* store, uint64_t after,
                                             size_t batch, size_t max_bytes) {
  std::vector<v1::SubscribeResponse> out;
  while (true) {
    auto events = store->ReadChanges(after, batch);
    EXPECT_OK(events.status());
    if (!events.ok() || events->empty()) return out;
    v1::SubscribeResponse& response = out.emplace_back();
    size_t bytes = 0;
    for (v1::ChangeEvent& event : *events) {
      const size_t size = event.ByteSizeLong();
      if (response.events_size() > 0 && bytes + size > max_bytes) break;
      bytes += size;
      after = event.sequence();
      *response.add_events() = std::move(event);
    }
    response.set_head_sequence(std::max(store->notifier().head(), after));
  }
}

// The same through ReadChangesRaw, head_sequence appended as the server
// does.
std::vector<std::string> RawFeed(IngestStore* store, uint64_t after,
                                 size_t batch, size_t max_bytes) {
  std::vector<std::string> out;
  while (true) {
    std::string message;
    auto read = store->ReadChangesRaw(after, batch, max_bytes, &message);
    EXPECT_OK(read.status());
    if (!read.ok() || read->count == 0) {
      EXPECT_TRUE(message.empty());
      return out;
    }
    EXPECT_EQ(read->last_sequence, after + read->count);
    after = read->last_sequence;
    v1::SubscribeResponse head;
    head.set_head_sequence(std::max(store->notifier().head(), after));
    out.push_back(message + head.SerializeAsString());
  }
}

void ExpectSameFeed(IngestStore* store, uint64_t after, size_t batch,
                    size_t max_bytes) {
  SCOPED_TRACE(absl::StrCat("after ", after, " batch ", batch, " max_bytes ",
                            max_bytes));
  std::vector<v1::SubscribeResponse> typed =
      TypedFeed(store, after, batch, max_bytes);
  std::vector<std::string> raw = RawFeed(store, after, batch, max_bytes);
  ASSERT_EQ(raw.size(), typed.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    v1::SubscribeResponse parsed;
    ASSERT_TRUE(parsed.ParseFromString(raw[i]));
    // Same events, same head: field for field, and byte for byte.
    EXPECT_EQ(parsed.DebugString(), typed[i].DebugString()) << "message " << i;
    EXPECT_EQ(raw[i], typed[i].SerializeAsString()) << "message " << i;
  }
}

TEST(ChangeFeedRawTest, RawBytesAreTheTypedResponses) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
  const uint64_t head = Populate(store.get(), 30);
  ASSERT_EQ(head, 30u);
  // Whole batches, count-capped batches, and byte caps that cut most
  // messages short (events here are ~100 B to ~2.5 KB), including a cap
  // below a single event (one event per message).
  for (size_t batch : {256, 7, 1}) {
    for (size_t max_bytes : {size_t{2} << 20, size_t{4000}, size_t{10}}) {
      ExpectSameFeed(store.get(), 0, batch, max_bytes);
      ExpectSameFeed(store.get(), 13, batch, max_bytes);
    }
  }
  // Caught up: nothing, and nothing appended.
  std::string message;
  ASSERT_OK_AND_ASSIGN(RawChanges none,
                       store->ReadChangesRaw(head, 256, 1 << 20, &message));
  EXPECT_EQ(none.count, 0u);
  EXPECT_EQ(none.last_sequence, head);
  EXPECT_TRUE(message.empty());
}

// Applies `mutate` to the changelog family of the closed store in `dir`.
template <typename Mutate>
void TamperChangelog(const std::string& dir, Mutate mutate) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies({}, dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open({}, dir, families, &handles, &db).ok());
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "changelog") mutate(db, handles[i]);
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  delete db;
}

TEST(ChangeFeedRawTest, GapIsDataLossFromTheKeys) {
  TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
    ASSERT_EQ(Populate(store.get(), 6), 6u);
  }
  TamperChangelog(dir.path(), [](rocksdb::DB* db, auto* family) {
    ASSERT_TRUE(db->Delete({}, family, EncodeSequence(3)).ok());
  });
  ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
  std::string message;
  // Events before the gap are served; reaching it is DATA_LOSS, as for the
  // typed read.
  ASSERT_OK_AND_ASSIGN(RawChanges before,
                       store->ReadChangesRaw(0, 2, 1 << 20, &message));
  EXPECT_EQ(before.count, 2u);
  EXPECT_THAT(store->ReadChangesRaw(0, 256, 1 << 20, &message).status(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("gap")));
  EXPECT_THAT(store->ReadChangesRaw(2, 256, 1 << 20, &message).status(),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("expected sequence 3, found 4")));
  EXPECT_THAT(store->ReadChanges(0, 256).status(),
              StatusIs(absl::StatusCode::kDataLoss));
  // Past the gap the log reads again.
  ASSERT_OK_AND_ASSIGN(RawChanges after,
                       store->ReadChangesRaw(3, 256, 1 << 20, &message));
  EXPECT_EQ(after.count, 3u);
  EXPECT_EQ(after.last_sequence, 6u);
}

TEST(ChangeFeedRawTest, ValueThatIsNotOneEventIsDataLoss) {
  TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
    ASSERT_EQ(Populate(store.get(), 3), 3u);
  }
  TamperChangelog(dir.path(), [](rocksdb::DB* db, auto* family) {
    ASSERT_TRUE(db->Put({}, family, EncodeSequence(2), "\x0a\x05oops").ok());
  });
  ASSERT_OK_AND_ASSIGN(auto store, OpenIngestStore(dir.path(), {}));
  std::string message;
  EXPECT_THAT(store->ReadChangesRaw(1, 256, 1 << 20, &message).status(),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("not one change event")));
}

}  // namespace
}  // namespace communique::store
