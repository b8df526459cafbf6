#include "shared/store/store_checker.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

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

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using ::communique::testing::TempDir;

ArticleCommit MakeCommit(const std::string& article_id,
                         const std::string& cluster,
                         const std::string& summit_id) {
  ArticleCommit commit;
  commit.article.set_name("articles/" + article_id);
  commit.article.set_text("text of " + article_id);
  commit.extraction.set_article(commit.article.name());
  commit.clusters = {cluster};
  v1::Summit summit;
  summit.set_name("summits/" + summit_id);
  summit.set_organization("CSTO");
  summit.mutable_date()->set_year(2024);
  summit.add_source_articles(commit.article.name());
  ClusterRecords records;
  records.summits = {summit};
  v1::Declaration declaration;
  declaration.set_name("summits/" + summit_id + "/declarations/d1");
  declaration.set_summit(summit.name());
  records.declarations = {declaration};
  commit.cluster_records[cluster] = std::move(records);
  commit.now = absl::Now();
  return commit;
}

void Populate(const std::string& dir) {
  auto store = OpenIngestStore(dir, {});
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->CommitArticle(MakeCommit("a1", "c1", "s1")).ok());
  ASSERT_TRUE((*store)->CommitArticle(MakeCommit("a2", "c2", "s2")).ok());
  ASSERT_TRUE((*store)->CommitArticle(MakeCommit("a3", "c1", "s1")).ok());
}

// Applies `mutate` to the raw RocksDB of `dir`, column family `family`.
template <typename Mutate>
void Tamper(const std::string& dir, const std::string& family,
            Mutate mutate) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies({}, dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open({}, dir, families, &handles, &db).ok());
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == family) mutate(db, handles[i]);
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  delete db;
}

TEST(StoreCheckerTest, FreshlyWrittenStoreIsConsistent) {
  TempDir dir;
  Populate(dir.path());
  ASSERT_OK_AND_ASSIGN(StoreCheckReport report, CheckIngestStore(dir.path()));
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_EQ(report.article_count, 3u);
  EXPECT_EQ(report.summit_count, 2u);
  EXPECT_EQ(report.declaration_count, 2u);
  EXPECT_GE(report.change_log_head, 4u);
}

TEST(StoreCheckerTest, FindsArticleWithoutExtraction) {
  TempDir dir;
  Populate(dir.path());
  Tamper(dir.path(), "extractions", [](rocksdb::DB* db, auto* cf) {
    ASSERT_TRUE(db->Delete({}, cf, "articles/a2").ok());
  });
  ASSERT_OK_AND_ASSIGN(StoreCheckReport report, CheckIngestStore(dir.path()));
  EXPECT_THAT(report.problems,
              Contains(HasSubstr("article articles/a2 has no extraction")));
}

TEST(StoreCheckerTest, FindsGapInChangeLog) {
  TempDir dir;
  Populate(dir.path());
  Tamper(dir.path(), "changelog", [](rocksdb::DB* db, auto* cf) {
    ASSERT_TRUE(db->Delete({}, cf, EncodeSequence(2)).ok());
  });
  ASSERT_OK_AND_ASSIGN(StoreCheckReport report, CheckIngestStore(dir.path()));
  EXPECT_THAT(report.problems,
              Contains(HasSubstr("change log jumps from 1 to 3")));
}

TEST(StoreCheckerTest, FindsHalfWrittenMembershipAndOrphanRecord) {
  TempDir dir;
  Populate(dir.path());
  Tamper(dir.path(), "index", [](rocksdb::DB* db, auto* cf) {
    ASSERT_TRUE(
        db->Delete({}, cf, JoinKey({kMembershipIndex, "c2", "articles/a2"}))
            .ok());
    ASSERT_TRUE(
        db->Delete({}, cf, JoinKey({kClusterRecords, "c2", "summits/s2"}))
            .ok());
  });
  ASSERT_OK_AND_ASSIGN(StoreCheckReport report, CheckIngestStore(dir.path()));
  EXPECT_THAT(report.problems, Contains(HasSubstr("not symmetric")));
  EXPECT_THAT(report.problems,
              Contains(HasSubstr("summit summits/s2 is owned by no cluster")));
}

TEST(StoreCheckerTest, DumpsIdenticalStoresIdentically) {
  TempDir a;
  Populate(a.path());
  ASSERT_OK_AND_ASSIGN(auto dump, DumpStore(a.path()));
  ASSERT_OK_AND_ASSIGN(auto again, DumpStore(a.path()));
  EXPECT_EQ(dump, again);
  EXPECT_THAT(dump, Not(IsEmpty()));
  ASSERT_OK_AND_ASSIGN(auto without_log, DumpStore(a.path(), {"changelog"}));
  EXPECT_LT(without_log.size(), dump.size());
}

TEST(StoreCheckerTest, MissingDirectoryIsUnavailable) {
  EXPECT_FALSE(CheckIngestStore("/nonexistent/communique-store").ok());
}

}  // namespace
}  // namespace communique::store
