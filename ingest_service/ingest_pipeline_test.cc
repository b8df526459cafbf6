#include "ingest_service/ingest_pipeline.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::ingest {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kYerevan[] =
    "YEREVAN, Nov 23 – The Collective Security Council of the Collective "
    "Security Treaty Organization (CSTO) met in Yerevan on November 23, 2022. "
    "Prime Minister of Armenia Nikol Pashinyan chaired the session, attended "
    "by President of Russia Vladimir Putin and President of Kazakhstan "
    "Kassym-Jomart Tokayev.\n";

constexpr char kYerevanAgain[] =
    "The CSTO Collective Security Council session in Yerevan on 23 November "
    "2022 brought together President of Belarus Alexander Lukashenko and "
    "President of Tajikistan Emomali Rahmon with their counterparts.\n";

class IngestPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/communique_pipeline_test_XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto gazetteer = gazetteer::Gazetteer::LoadDefault();
    ASSERT_OK(gazetteer.status());
    auto extractor = extract::Extractor::Create(*gazetteer);
    ASSERT_OK(extractor.status());
    extractor_ = *std::move(extractor);
    auto store = store::OpenIngestStore(dir_, {});
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    pipeline_ = std::make_unique<IngestPipeline>(store_.get(), extractor_.get());
  }
  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static v1::ArticleInput Input(std::string text, std::string id = "") {
    v1::ArticleInput input;
    input.set_text(std::move(text));
    input.set_external_id(std::move(id));
    return input;
  }

  std::string dir_;
  std::unique_ptr<extract::Extractor> extractor_;
  std::unique_ptr<store::IngestStore> store_;
  std::unique_ptr<IngestPipeline> pipeline_;
};

TEST_F(IngestPipelineTest, BadInputIsRejectedAndNothingIsStored) {
  EXPECT_THAT(pipeline_->Ingest(Input("")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("article.text")));
  EXPECT_THAT(pipeline_->Ingest(Input("Yerevan \xFF\xFE summit")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not valid UTF-8")));
  EXPECT_THAT(pipeline_->Ingest(Input(std::string((1 << 20) + 1, 'a'))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("exceeds the limit")));
  EXPECT_EQ(store_->notifier().head(), 0u);
  ASSERT_OK_AND_ASSIGN(auto page, store_->ListArticles(10, ""));
  EXPECT_THAT(page.items, IsEmpty());
}

TEST_F(IngestPipelineTest, IngestCreatesThenIsIdempotent) {
  ASSERT_OK_AND_ASSIGN(v1::IngestArticleResponse first,
                       pipeline_->Ingest(Input(kYerevan, "wire-1")));
  EXPECT_EQ(first.outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_EQ(first.article(), "articles/wire-1");
  EXPECT_THAT(first.affected_summits(), Not(IsEmpty()));
  EXPECT_NE(first.consistency_token(), "0");

  ASSERT_OK_AND_ASSIGN(v1::IngestArticleResponse again,
                       pipeline_->Ingest(Input(kYerevan, "wire-1")));
  EXPECT_EQ(again.outcome(), v1::INGEST_OUTCOME_UNCHANGED);
  EXPECT_EQ(again.consistency_token(), first.consistency_token());

  ASSERT_OK_AND_ASSIGN(auto stored, store_->GetArticle("articles/wire-1"));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->content_sha256().size(), 64u);
}

TEST_F(IngestPipelineTest, TwoArticlesAboutOneSessionMergeIntoOneSummit) {
  ASSERT_OK_AND_ASSIGN(v1::IngestArticleResponse a,
                       pipeline_->Ingest(Input(kYerevan)));
  ASSERT_OK_AND_ASSIGN(v1::IngestArticleResponse b,
                       pipeline_->Ingest(Input(kYerevanAgain)));
  ASSERT_THAT(a.affected_summits(), Not(IsEmpty()));
  EXPECT_EQ(b.affected_summits(0), a.affected_summits(0));
  ASSERT_OK_AND_ASSIGN(auto changes, store_->ReadChanges(0, 1000));
  const v1::Summit* last = nullptr;
  for (const auto& event : changes) {
    if (event.has_summit()) last = &event.summit();
  }
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->source_articles_size(), 2);
  EXPECT_GE(last->participants_size(), 5);
}

TEST_F(IngestPipelineTest, ParseStoresNothing) {
  ASSERT_OK_AND_ASSIGN(v1::ParseArticleResponse parsed,
                       pipeline_->Parse(Input(kYerevan)));
  EXPECT_THAT(parsed.extraction().summits(), Not(IsEmpty()));
  EXPECT_EQ(store_->notifier().head(), 0u);
}

// Ingests from several threads at once (the unary RPC's situation): each
// acknowledgement comes after its commit is durable and on the change
// feed, and the commits share write-ahead-log fsyncs.
TEST_F(IngestPipelineTest, ConcurrentIngestsAreDurableWhenAcknowledged) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int n = t * kPerThread + i;
        auto response = pipeline_->Ingest(Input(
            absl::StrCat("The CSTO Collective Security Council met in Minsk "
                         "on November 23, ",
                         1980 + n, "."),
            absl::StrCat("article-", n)));
        uint64_t token = 0;
        if (!response.ok() ||
            response->outcome() != v1::INGEST_OUTCOME_CREATED ||
            !absl::SimpleAtoi(response->consistency_token(), &token) ||
            token > store_->notifier().head()) {
          failures++;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const store::EngineStats stats = store_->Engine();
  EXPECT_EQ(stats.commits, uint64_t{kThreads * kPerThread});
  EXPECT_GE(stats.wal_syncs, 1u);
  EXPECT_LE(stats.wal_syncs, stats.commits);
  auto changes = store_->ReadChanges(0, 10000);
  ASSERT_OK(changes.status());
  EXPECT_EQ(changes->size(), store_->notifier().head());
  EXPECT_GE(changes->size(), size_t{kThreads * kPerThread});
}

}  // namespace
}  // namespace communique::ingest
