// Merging through the real ingest pipeline and RocksDB store: order
// independence over the seed and sample articles (a property test), the
// Astana merge, the two-in-a-year split, a disputed field, deletion,
// re-processing and name stability as a replica sees it.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "ingest_service/ingest_pipeline.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/status/testing/status_matchers.h"
#include "shared/store/query_store.h"

namespace communique::ingest {
namespace {

namespace fs = std::filesystem;
using ::communique::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kAstana[] = "summits/csto-2024-11-28-astana";

std::string SourceDir() {
  const char* dir = std::getenv("COMMUNIQUE_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A seed or sample article: its file name and text.
struct CorpusFile {
  std::string name;
  std::string text;
};

std::vector<CorpusFile> ReadDir(const fs::path& dir) {
  std::vector<CorpusFile> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    out.push_back({entry.path().filename().string(), ReadFile(entry.path())});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

std::vector<CorpusFile> Seeds() {
  return ReadDir(fs::path(SourceDir()) / ".." / "shared" / "seeds");
}

std::vector<CorpusFile> Samples() {
  return ReadDir(fs::path(SourceDir()) / "data" / "samples");
}

std::optional<CorpusFile> Seed(absl::string_view prefix) {
  for (CorpusFile& file : Seeds()) {
    if (absl::StartsWith(file.name, prefix)) return file;
  }
  return std::nullopt;
}

v1::ArticleInput Input(std::string text, std::string id = "") {
  v1::ArticleInput input;
  input.set_text(std::move(text));
  input.set_external_id(std::move(id));
  return input;
}

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  return out;
}

// What a replica holds after applying the whole change feed: current
// records by name (store timestamps cleared) and aliases.
struct Replay {
  std::map<std::string, v1::ChangeEvent> records;
  std::map<std::string, std::string> aliases;  // alias -> current name
  std::set<std::string> issued_summits;  // every summit name ever upserted

  // Canonical records, byte for byte, without create/update times.
  std::map<std::string, std::string> Dump() const {
    std::map<std::string, std::string> out;
    for (const auto& [name, event] : records) {
      v1::ChangeEvent copy = event;
      copy.clear_sequence();
      copy.clear_commit_time();
      copy.mutable_summit()->clear_create_time();
      copy.mutable_summit()->clear_update_time();
      if (!event.has_summit()) copy.clear_summit();
      out[name] = DeterministicBytes(copy);
    }
    return out;
  }

  const v1::Summit* Summit(const std::string& name) const {
    auto it = records.find(name);
    if (it == records.end() || !it->second.has_summit()) return nullptr;
    return &it->second.summit();
  }

  // The current name `name` resolves to, or "" when it does not.
  std::string Resolve(const std::string& name) const {
    if (Summit(name) != nullptr) return name;
    auto it = aliases.find(name);
    if (it == aliases.end() || Summit(it->second) == nullptr) return "";
    return it->second;
  }

  std::vector<std::string> SummitNames() const {
    std::vector<std::string> out;
    for (const auto& [name, event] : records) {
      if (event.has_summit()) out.push_back(name);
    }
    return out;
  }
};

Replay ReplayFeed(const std::vector<v1::ChangeEvent>& events) {
  Replay replay;
  uint64_t expected = 1;
  for (const v1::ChangeEvent& event : events) {
    EXPECT_EQ(event.sequence(), expected++);
    if (event.type() == v1::CHANGE_TYPE_DELETE) {
      replay.records.erase(event.name());
      replay.aliases.erase(event.name());
    } else if (!event.alias_of().empty()) {
      replay.records.erase(event.name());
      replay.aliases[event.name()] = event.alias_of();
    } else {
      replay.aliases.erase(event.name());
      replay.records[event.name()] = event;
      if (event.has_summit()) replay.issued_summits.insert(event.name());
    }
  }
  return replay;
}

class IngestMergeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto gazetteer = gazetteer::Gazetteer::LoadDefault();
    ASSERT_OK(gazetteer.status());
    gazetteer_ = new std::shared_ptr<const gazetteer::Gazetteer>(*gazetteer);
    auto extractor = extract::Extractor::Create(*gazetteer);
    ASSERT_OK(extractor.status());
    extractor_ = extractor->release();
  }

  void SetUp() override { Open(); }

  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    for (const std::string& dir : dirs_) fs::remove_all(dir);
  }

  std::string TempDir() {
    char tmpl[] = "/tmp/communique_merge_test_XXXXXX";
    dirs_.push_back(mkdtemp(tmpl));
    return dirs_.back();
  }

  // A fresh store and a pipeline over it using `extractor`.
  void Open(const extract::Extractor* extractor = nullptr) {
    pipeline_.reset();
    store_.reset();
    store::StoreOptions options;
    options.sync_writes = false;
    auto store = store::OpenIngestStore(TempDir(), options);
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    UsePipeline(extractor == nullptr ? extractor_ : extractor);
  }

  void UsePipeline(const extract::Extractor* extractor) {
    IngestPipeline::Options options;
    options.naming = NamingRulesFrom(**gazetteer_);
    pipeline_ = std::make_unique<IngestPipeline>(store_.get(), extractor,
                                                 std::move(options));
  }

  v1::IngestArticleResponse MustIngest(const std::string& text,
                                       const std::string& id) {
    auto response = pipeline_->Ingest(Input(text, id));
    EXPECT_OK(response.status());
    return response.ok() ? *response : v1::IngestArticleResponse();
  }

  Replay Feed() {
    auto events = store_->ReadChanges(0, 1u << 20);
    EXPECT_OK(events.status());
    return ReplayFeed(events.ok() ? *events : std::vector<v1::ChangeEvent>());
  }

  // A replica (the real query store) that applied the whole feed.
  std::unique_ptr<store::QueryStore> Replica() {
    auto replica = store::OpenQueryStore(TempDir(), {});
    EXPECT_OK(replica.status());
    if (!replica.ok()) return nullptr;
    auto events = store_->ReadChanges(0, 1u << 20);
    EXPECT_OK(events.status());
    if (events.ok() && !events->empty()) {
      EXPECT_OK((*replica)->ApplyChanges(*events));
    }
    return *std::move(replica);
  }

  static std::shared_ptr<const gazetteer::Gazetteer>* gazetteer_;
  static extract::Extractor* extractor_;
  std::vector<std::string> dirs_;
  std::unique_ptr<store::IngestStore> store_;
  std::unique_ptr<IngestPipeline> pipeline_;
};

std::shared_ptr<const gazetteer::Gazetteer>* IngestMergeTest::gazetteer_ =
    nullptr;
extract::Extractor* IngestMergeTest::extractor_ = nullptr;

// ---------------------------------------------------------------------------
// Order independence.

TEST_F(IngestMergeTest, AnyIngestOrderGivesByteIdenticalRecords) {
  std::vector<CorpusFile> corpus = Seeds();
  if (corpus.empty()) {
    std::cout << "seed articles not found next to the repository; "
                 "using data/samples only\n";
  }
  for (CorpusFile& file : Samples()) corpus.push_back(std::move(file));
  ASSERT_GE(corpus.size(), 8u);

  // One ingest step: file index, and how it is sent.
  enum class Kind { kById, kByHash, kTruncated };
  struct Step {
    size_t file;
    Kind kind;
  };
  std::mt19937 random(20241128);
  std::optional<std::map<std::string, std::string>> reference;
  std::vector<std::string> reference_names;
  for (int order = 0; order < 20; ++order) {
    SCOPED_TRACE(absl::StrCat("order ", order));
    Open();
    std::vector<Step> steps;
    for (size_t i = 0; i < corpus.size(); ++i)
      steps.push_back({i, Kind::kById});
    // The same texts without an id are further articles (by content hash);
    // the same two in every order, so the set of articles never changes.
    steps.push_back({0, Kind::kByHash});
    steps.push_back({corpus.size() - 1, Kind::kByHash});
    // Repeats: no-ops wherever they land.
    for (int r = 0; r < 4; ++r) {
      steps.push_back({random() % corpus.size(), Kind::kById});
    }
    std::shuffle(steps.begin(), steps.end(), random);
    // One article first arrives truncated and is later replaced by its
    // full text under the same id.
    const size_t replaced = random() % corpus.size();
    size_t first_full = 0;
    while (steps[first_full].file != replaced ||
           steps[first_full].kind != Kind::kById) {
      ++first_full;
    }
    steps.insert(steps.begin() + random() % (first_full + 1),
                 {replaced, Kind::kTruncated});

    std::set<std::string> ingested;
    for (const Step& step : steps) {
      const CorpusFile& file = corpus[step.file];
      std::string text = file.text;
      std::string id = file.name;
      if (step.kind == Kind::kByHash) id.clear();
      if (step.kind == Kind::kTruncated) text.resize(text.size() / 2);
      auto response = pipeline_->Ingest(Input(text, id));
      ASSERT_OK(response.status());
      const bool again = step.kind != Kind::kTruncated &&
                         !ingested.insert(absl::StrCat(id, "|", text)).second;
      if (again) {
        EXPECT_EQ(response->outcome(), v1::INGEST_OUTCOME_UNCHANGED)
            << file.name;
      }
    }

    Replay replay = Feed();
    std::map<std::string, std::string> dump = replay.Dump();
    // Every summit's own aliases resolve to it; every name ever issued
    // still resolves to a current summit.
    for (const std::string& name : replay.SummitNames()) {
      for (const std::string& alias : replay.Summit(name)->aliases()) {
        EXPECT_EQ(replay.Resolve(alias), name) << alias;
      }
    }
    for (const std::string& name : replay.issued_summits) {
      EXPECT_NE(replay.Resolve(name), "") << name << " no longer resolves";
    }
    if (!reference.has_value()) {
      reference = dump;
      reference_names = replay.SummitNames();
      ASSERT_THAT(reference_names, Contains(kAstana));
      continue;
    }
    EXPECT_EQ(replay.SummitNames(), reference_names);
    for (const auto& [name, bytes] : dump) {
      EXPECT_TRUE(reference->count(name)) << "unexpected " << name;
    }
    for (const auto& [name, bytes] : *reference) {
      auto it = dump.find(name);
      if (it == dump.end()) {
        ADD_FAILURE() << "missing " << name;
        continue;
      }
      EXPECT_TRUE(it->second == bytes) << name << " differs";
    }
  }
}

// ---------------------------------------------------------------------------
// The Astana session: seed 000 has the exact date, seed 003 the formats,
// the handover and the documents.

TEST_F(IngestMergeTest, AstanaSeedsMergeIntoOneSummit) {
  std::optional<CorpusFile> exact = Seed("000_");
  std::optional<CorpusFile> rich = Seed("003_");
  if (!exact.has_value() || !rich.has_value()) {
    GTEST_SKIP() << "seeds 000 and 003 not found under ../shared/seeds";
  }
  // The richer article first: its summit is named from a year only, then
  // renamed when the exact date arrives; the old name stays an alias.
  v1::IngestArticleResponse first = MustIngest(rich->text, rich->name);
  ASSERT_THAT(first.affected_summits(),
              ElementsAre("summits/csto-2024-astana"));
  v1::IngestArticleResponse second = MustIngest(exact->text, exact->name);
  EXPECT_THAT(second.affected_summits(),
              ElementsAre(kAstana, "summits/csto-2024-astana"));

  Replay replay = Feed();
  ASSERT_THAT(replay.SummitNames(), ElementsAre(kAstana));
  const v1::Summit& summit = *replay.Summit(kAstana);
  EXPECT_EQ(summit.organization(), "CSTO");
  EXPECT_EQ(summit.body(), "Collective Security Council");
  EXPECT_EQ(summit.date().year(), 2024);
  EXPECT_EQ(summit.date().month(), 11);
  EXPECT_EQ(summit.date().day(), 28);
  EXPECT_EQ(summit.location().city(), "Astana");
  EXPECT_THAT(summit.source_articles(),
              ElementsAre("articles/000-21500c8e48709fde-txt",
                          "articles/003-2c396f09cc63f519-txt"));
  EXPECT_THAT(summit.formats(), Not(IsEmpty()));
  EXPECT_FALSE(summit.next_chair().country().empty());
  EXPECT_THAT(summit.aliases(), ElementsAre("summits/csto-2024-astana"));
  EXPECT_EQ(replay.Resolve("summits/csto-2024-astana"), kAstana);
  // The exact date comes from 000 alone.
  for (const v1::FieldSources& sources : summit.field_sources()) {
    if (sources.field() != "date") continue;
    ASSERT_THAT(sources.claims(), Not(IsEmpty()));
    EXPECT_EQ(sources.claims(0).value(), "2024-11-28");
    EXPECT_THAT(sources.claims(0).articles(),
                ElementsAre("articles/000-21500c8e48709fde-txt"));
    EXPECT_FALSE(sources.disputed());
  }
  // Documents from 003 hang under the merged summit.
  int from_rich = 0;
  for (const std::string& name : summit.declarations()) {
    ASSERT_TRUE(replay.records.count(name)) << name;
    const v1::Declaration& declaration = replay.records.at(name).declaration();
    EXPECT_EQ(declaration.summit(), kAstana);
    from_rich += std::count(declaration.source_articles().begin(),
                            declaration.source_articles().end(),
                            "articles/003-2c396f09cc63f519-txt");
  }
  EXPECT_GE(from_rich, 3);

  // The replica resolves the name a client got from the first ingest.
  auto replica = Replica();
  ASSERT_NE(replica, nullptr);
  ASSERT_OK_AND_ASSIGN(v1::Summit resolved,
                       replica->GetSummit("summits/csto-2024-astana"));
  EXPECT_EQ(resolved.name(), kAstana);

  if (std::getenv("COMMUNIQUE_PRINT_ASTANA") != nullptr) {
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.preserve_proto_field_names = true;
    ASSERT_TRUE(
        google::protobuf::util::MessageToJsonString(resolved, &json, options)
            .ok());
    std::cout << json << "\n";
  }
}

// ---------------------------------------------------------------------------
// Two CSTO sessions of 2022 (May and November) stay two summits.

TEST_F(IngestMergeTest, TwoSessionsInOneYearStayTwoSummits) {
  std::map<std::string, std::string> texts;
  for (const CorpusFile& file : Samples()) texts[file.name] = file.text;
  ASSERT_TRUE(texts.count("103_csto-moscow-2022-05.txt"));
  ASSERT_TRUE(texts.count("104_csto-yerevan-2022.txt"));
  MustIngest(texts["103_csto-moscow-2022-05.txt"], "may");
  MustIngest(texts["104_csto-yerevan-2022.txt"], "november");
  // Another wording of the November session joins it, not May's.
  MustIngest(
      "Leaders of the CSTO gathered in Yerevan on 23 November 2022 for a "
      "session of the Collective Security Council.",
      "november-short");

  Replay replay = Feed();
  std::vector<std::string> in_2022;
  for (const std::string& name : replay.SummitNames()) {
    if (absl::StartsWith(name, "summits/csto-2022-")) in_2022.push_back(name);
  }
  ASSERT_THAT(in_2022, SizeIs(2));
  const v1::Summit& may = *replay.Summit(in_2022[0]);
  const v1::Summit& november = *replay.Summit(in_2022[1]);
  EXPECT_EQ(may.date().month(), 5);
  EXPECT_EQ(november.date().month(), 11);
  EXPECT_EQ(november.location().city(), "Yerevan");
  EXPECT_THAT(may.source_articles(), ElementsAre("articles/may"));
  EXPECT_THAT(november.source_articles(),
              ElementsAre("articles/november", "articles/november-short"));
}

// ---------------------------------------------------------------------------
// Outlets disagree: 15 documents against 22.

const v1::FieldSources* SourcesOf(const v1::Summit& summit,
                                  absl::string_view field) {
  for (const v1::FieldSources& sources : summit.field_sources()) {
    if (sources.field() == field) return &sources;
  }
  return nullptr;
}

TEST_F(IngestMergeTest, DisputedDocumentCountKeepsEveryClaim) {
  const std::string minsk = "summits/csto-2023-11-23-minsk";
  MustIngest(
      "MINSK, Nov 23 - The CSTO Collective Security Council met in Minsk on "
      "November 23, 2023. The leaders adopted 15 documents.",
      "wire-15");
  MustIngest(
      "The Collective Security Council of the CSTO held its session in Minsk "
      "on 23 November 2023, where 22 documents were adopted.",
      "wire-22");
  Replay replay = Feed();
  ASSERT_NE(replay.Summit(minsk), nullptr);
  const v1::Summit& split = *replay.Summit(minsk);
  // Evenly supported: the documented tie-break picks the smaller count.
  EXPECT_EQ(split.documents_adopted_count(), 15);
  EXPECT_THAT(split.conflicts(), ElementsAre("documents_adopted_count"));
  const v1::FieldSources* documents =
      SourcesOf(split, "documents_adopted_count");
  ASSERT_NE(documents, nullptr);
  EXPECT_TRUE(documents->disputed());
  ASSERT_THAT(documents->claims(), SizeIs(2));
  EXPECT_EQ(documents->claims(0).value(), "15");
  EXPECT_THAT(documents->claims(0).articles(), ElementsAre("articles/wire-15"));
  EXPECT_THAT(documents->claims(0).evidence(), Not(IsEmpty()));
  EXPECT_EQ(documents->claims(1).value(), "22");
  EXPECT_THAT(documents->claims(1).articles(), ElementsAre("articles/wire-22"));

  // A second outlet saying 22 tips the balance; still disputed.
  MustIngest(
      "Leaders of the CSTO met in Minsk on November 23, 2023 for the "
      "Collective Security Council session and adopted 22 documents.",
      "wire-22b");
  replay = Feed();
  ASSERT_NE(replay.Summit(minsk), nullptr);
  EXPECT_EQ(replay.Summit(minsk)->documents_adopted_count(), 22);
  EXPECT_THAT(replay.Summit(minsk)->conflicts(),
              ElementsAre("documents_adopted_count"));
}

// ---------------------------------------------------------------------------
// Two bodies of one organisation meeting the same day in the same city.

TEST_F(IngestMergeTest, BodiesMeetingTheSameDayGetDistinctNames) {
  MustIngest(
      "ASTANA, Nov 28 - The CSTO Council of Foreign Ministers met in Astana "
      "on November 28, 2024, ahead of the summit.",
      "ministers");
  MustIngest(
      "ASTANA, Nov 28 - The CSTO Collective Security Council met in Astana "
      "on November 28, 2024.",
      "leaders");
  Replay replay = Feed();
  EXPECT_THAT(
      replay.SummitNames(),
      ElementsAre(
          kAstana,
          "summits/csto-council-of-foreign-ministers-2024-11-28-astana"));
  EXPECT_THAT(replay.Summit(kAstana)->source_articles(),
              ElementsAre("articles/leaders"));
}

// ---------------------------------------------------------------------------
// Deletion.

TEST_F(IngestMergeTest, DeleteArticleReDerivesWhatItTouched) {
  std::optional<CorpusFile> exact = Seed("000_");
  std::optional<CorpusFile> rich = Seed("003_");
  if (!exact.has_value() || !rich.has_value()) {
    GTEST_SKIP() << "seeds 000 and 003 not found under ../shared/seeds";
  }
  std::map<std::string, std::string> samples;
  for (const CorpusFile& file : Samples()) samples[file.name] = file.text;
  const std::string& samarkand = samples["105_sco-samarkand-2022.txt"];
  ASSERT_FALSE(samarkand.empty());

  EXPECT_THAT(pipeline_->Delete("articles/none"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(pipeline_->Delete("summits/x"),
              StatusIs(absl::StatusCode::kInvalidArgument));

  MustIngest(exact->text, "exact");
  MustIngest(rich->text, "rich");
  MustIngest(samarkand, "samarkand");
  Replay before = Feed();
  ASSERT_NE(before.Summit(kAstana), nullptr);
  const std::string sco = "summits/sco-2022-09-16-samarkand";
  ASSERT_NE(before.Summit(sco), nullptr);
  const std::vector<std::string> sco_children(
      before.Summit(sco)->declarations().begin(),
      before.Summit(sco)->declarations().end());
  ASSERT_THAT(sco_children, Not(IsEmpty()));

  // A summit only the article supported disappears, with its children.
  const uint64_t head = store_->notifier().head();
  ASSERT_OK_AND_ASSIGN(v1::DeleteArticleResponse deleted,
                       pipeline_->Delete("articles/samarkand"));
  EXPECT_THAT(deleted.affected_summits(), ElementsAre(sco));
  EXPECT_EQ(deleted.consistency_token(),
            absl::StrCat(store_->notifier().head()));
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadChanges(head, 1000));
  std::set<std::string> deleted_names;
  for (const v1::ChangeEvent& event : events) {
    EXPECT_EQ(event.type(), v1::CHANGE_TYPE_DELETE) << event.name();
    deleted_names.insert(event.name());
  }
  EXPECT_TRUE(deleted_names.count(sco));
  for (const std::string& child : sco_children) {
    EXPECT_TRUE(deleted_names.count(child)) << child;
  }
  ASSERT_OK_AND_ASSIGN(auto article, store_->GetArticle("articles/samarkand"));
  EXPECT_FALSE(article.has_value());
  EXPECT_THAT(pipeline_->Delete("articles/samarkand"),
              StatusIs(absl::StatusCode::kNotFound));

  // A shared summit loses that article's claims: UPSERT, and the records
  // are exactly those of a store that never saw the article.
  ASSERT_OK_AND_ASSIGN(deleted, pipeline_->Delete("articles/rich"));
  EXPECT_THAT(deleted.affected_summits(), ElementsAre(kAstana));
  Replay after = Feed();
  ASSERT_NE(after.Summit(kAstana), nullptr);
  EXPECT_THAT(after.Summit(kAstana)->source_articles(),
              ElementsAre("articles/exact"));
  std::map<std::string, std::string> dump = after.Dump();

  Open();
  MustIngest(exact->text, "exact");
  EXPECT_EQ(Feed().Dump(), dump);

  // Deleting the last article empties the store, then it can come back.
  ASSERT_OK(pipeline_->Delete("articles/exact").status());
  EXPECT_THAT(Feed().records, IsEmpty());
  EXPECT_EQ(MustIngest(exact->text, "exact").outcome(),
            v1::INGEST_OUTCOME_CREATED);
}

// ---------------------------------------------------------------------------
// Names clients hold keep resolving, through merges and deletions.

TEST_F(IngestMergeTest, NamesClientsHoldKeepResolving) {
  const std::string year_only = "summits/csto-2024-astana";
  MustIngest(
      "The CSTO Collective Security Council met in Astana. Kyrgyzstan takes "
      "over the chairmanship starting January 1, 2025. The leaders adopted "
      "a declaration on strengthening collective security.",
      "vague");
  ASSERT_THAT(Feed().SummitNames(), ElementsAre(year_only));
  // A declaration named under the year-only summit, as a client holds it.
  std::string held_declaration;
  {
    auto replica = Replica();
    store::DeclarationQuery query;
    ASSERT_OK_AND_ASSIGN(auto page, replica->ListDeclarations(query));
    ASSERT_EQ(page.items.size(), 1u);
    held_declaration = page.items[0].name();
    ASSERT_TRUE(absl::StartsWith(held_declaration, year_only + "/"));
  }

  // A better article refines the record; the held name becomes an alias.
  MustIngest(
      "ASTANA, Nov 28 - The CSTO Collective Security Council met in Astana "
      "on November 28, 2024.",
      "precise");
  Replay replay = Feed();
  EXPECT_THAT(replay.SummitNames(), ElementsAre(kAstana));
  EXPECT_EQ(replay.Resolve(year_only), kAstana);
  auto replica = Replica();
  ASSERT_OK_AND_ASSIGN(v1::Summit summit, replica->GetSummit(year_only));
  EXPECT_EQ(summit.name(), kAstana);
  // The declaration moved with its summit; the name the client holds
  // resolves to it under the summit's current name.
  ASSERT_EQ(summit.declarations_size(), 1);
  ASSERT_OK_AND_ASSIGN(v1::Declaration declaration,
                       replica->GetDeclaration(held_declaration));
  EXPECT_EQ(declaration.name(), summit.declarations(0));
  EXPECT_TRUE(absl::StartsWith(declaration.name(), absl::StrCat(kAstana, "/")));
  EXPECT_THAT(replica->GetDeclaration(
                  absl::StrCat(year_only, "/declarations/no-such-document")),
              StatusIs(absl::StatusCode::kNotFound));

  // Retracting the better article brings the old name back as the record;
  // the newer one becomes its alias: both still resolve, in one hop.
  ASSERT_OK(pipeline_->Delete("articles/precise").status());
  replay = Feed();
  EXPECT_THAT(replay.SummitNames(), ElementsAre(year_only));
  EXPECT_EQ(replay.Resolve(kAstana), year_only);
  replica = Replica();
  ASSERT_OK_AND_ASSIGN(summit, replica->GetSummit(kAstana));
  EXPECT_EQ(summit.name(), year_only);

  // Once nothing supports the session, its names are gone.
  ASSERT_OK(pipeline_->Delete("articles/vague").status());
  replay = Feed();
  EXPECT_THAT(replay.records, IsEmpty());
  EXPECT_THAT(replay.aliases, IsEmpty());
  replica = Replica();
  EXPECT_THAT(replica->GetSummit(kAstana),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(replica->GetSummit(year_only),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(replica->GetDeclaration(held_declaration),
              StatusIs(absl::StatusCode::kNotFound));
}

// ---------------------------------------------------------------------------
// A record splits when a later article makes one of its mentions ambiguous,
// and joins again when that article is retracted: every name a client held
// keeps resolving, to the record holding the article it named.

TEST_F(IngestMergeTest, NamesKeepResolvingWhenARecordSplitsAndJoins) {
  const std::string year_only = "summits/csto-2024-astana";
  const std::string spring = "summits/csto-2024-05-08-astana";
  MustIngest(
      "The CSTO Collective Security Council met in Astana. Kyrgyzstan takes "
      "over the chairmanship starting January 1, 2025. The leaders adopted "
      "a declaration on strengthening collective security.",
      "vague");
  MustIngest(
      "ASTANA, Nov 28 - The CSTO Collective Security Council met in Astana "
      "on November 28, 2024.",
      "precise");
  Replay replay = Feed();
  ASSERT_THAT(replay.SummitNames(), ElementsAre(kAstana));
  ASSERT_EQ(replay.Resolve(year_only), kAstana);
  std::string held_declaration = replay.Summit(kAstana)->declarations(0);

  // A second 2024 session in Astana: the year-only article could be either,
  // so it leaves the November record and is its own again.
  MustIngest(
      "ASTANA, May 8 - The CSTO Collective Security Council met in Astana "
      "on May 8, 2024.",
      "spring");
  replay = Feed();
  EXPECT_THAT(replay.SummitNames(), ElementsAre(spring, kAstana, year_only));
  EXPECT_THAT(replay.Summit(kAstana)->source_articles(),
              ElementsAre("articles/precise"));
  EXPECT_THAT(replay.Summit(year_only)->source_articles(),
              ElementsAre("articles/vague"));
  for (const std::string& name : replay.issued_summits) {
    EXPECT_NE(replay.Resolve(name), "") << name << " no longer resolves";
  }
  // The declaration went with its article. (A child name issued under the
  // joined record does not follow it: the store keeps aliases for summit
  // names only, and children follow their summit's aliases.)
  ASSERT_THAT(replay.Summit(year_only)->declarations(), SizeIs(1));
  const std::string split_declaration =
      replay.Summit(year_only)->declarations(0);
  auto replica = Replica();
  ASSERT_OK_AND_ASSIGN(v1::Declaration declaration,
                       replica->GetDeclaration(split_declaration));
  EXPECT_THAT(declaration.source_articles(), ElementsAre("articles/vague"));

  // Retracting the spring article joins them again.
  ASSERT_OK(pipeline_->Delete("articles/spring").status());
  replay = Feed();
  EXPECT_THAT(replay.SummitNames(), ElementsAre(kAstana));
  EXPECT_EQ(replay.Resolve(year_only), kAstana);
  EXPECT_THAT(replay.Summit(kAstana)->source_articles(),
              ElementsAre("articles/precise", "articles/vague"));
  replica = Replica();
  for (const std::string& name : {held_declaration, split_declaration}) {
    ASSERT_OK_AND_ASSIGN(declaration, replica->GetDeclaration(name));
    EXPECT_EQ(declaration.name(), held_declaration) << name;
  }
  // Only the retracted article's own session is gone.
  EXPECT_EQ(replay.Resolve(spring), "");
  EXPECT_THAT(replica->GetSummit(spring),
              StatusIs(absl::StatusCode::kNotFound));
}

// ---------------------------------------------------------------------------
// Undated sessions in one city stay apart, and a name a client saw keeps
// pointing at the session it named when another one arrives.

TEST_F(IngestMergeTest, UndatedSessionsOfOneCityKeepTheirNames) {
  MustIngest(
      "The CSTO Collective Security Council met in Minsk. The leaders "
      "discussed the situation in Afghanistan.",
      "minsk-b");
  Replay replay = Feed();
  ASSERT_THAT(replay.SummitNames(), ElementsAre("summits/csto-undated-minsk"));

  // Another undated Minsk session, from an article that sorts first.
  MustIngest(
      "The CSTO Collective Security Council met in Minsk. The leaders "
      "discussed migration.",
      "minsk-a");
  replay = Feed();
  EXPECT_THAT(replay.SummitNames(),
              ElementsAre("summits/csto-undated-minsk-minsk-a",
                          "summits/csto-undated-minsk-minsk-b"));
  const std::string held = replay.Resolve("summits/csto-undated-minsk");
  ASSERT_NE(held, "");
  EXPECT_THAT(replay.Summit(held)->source_articles(),
              ElementsAre("articles/minsk-b"));
  auto replica = Replica();
  ASSERT_OK_AND_ASSIGN(v1::Summit summit,
                       replica->GetSummit("summits/csto-undated-minsk"));
  EXPECT_THAT(summit.source_articles(), ElementsAre("articles/minsk-b"));
}

// ---------------------------------------------------------------------------
// Re-processing after an extractor (here: gazetteer) upgrade.

// The default gazetteer without the city of Astana: what an older
// extractor knew.
std::unique_ptr<extract::Extractor> ExtractorWithoutAstana(
    const gazetteer::Gazetteer& full) {
  auto data = full.data();
  auto* cities = data.mutable_cities();
  for (int i = 0; i < cities->size(); ++i) {
    if (cities->Get(i).name() == "Astana") {
      cities->DeleteSubrange(i, 1);
      break;
    }
  }
  for (auto& state : *data.mutable_states()) {
    if (state.capital() == "Astana") state.clear_capital();
  }
  std::string textproto;
  google::protobuf::TextFormat::PrintToString(data, &textproto);
  auto reduced = gazetteer::Gazetteer::LoadFromTextproto(textproto);
  EXPECT_OK(reduced.status());
  if (!reduced.ok()) return nullptr;
  auto extractor = extract::Extractor::Create(*reduced);
  EXPECT_OK(extractor.status());
  return extractor.ok() ? *std::move(extractor) : nullptr;
}

TEST_F(IngestMergeTest, ReprocessReDerivesWithStableNames) {
  std::unique_ptr<extract::Extractor> old_extractor =
      ExtractorWithoutAstana(**gazetteer_);
  ASSERT_NE(old_extractor, nullptr);
  const std::string astana_text =
      "The CSTO Collective Security Council met in Astana on November 28, "
      "2024. The leaders adopted 12 documents.";
  const std::string minsk_text =
      "The CSTO Collective Security Council met in Minsk on November 23, "
      "2023.";
  const std::string yerevan_text =
      "The CSTO Collective Security Council met in Yerevan on November 23, "
      "2022.";

  // What the fully upgraded store should hold.
  MustIngest(astana_text, "a");
  MustIngest(minsk_text, "b");
  MustIngest(yerevan_text, "c");
  const std::map<std::string, std::string> expected = Feed().Dump();

  Open(old_extractor.get());
  MustIngest(astana_text, "a");
  MustIngest(minsk_text, "b");
  MustIngest(yerevan_text, "c");
  Replay old_view = Feed();
  ASSERT_EQ(old_view.Summit(kAstana), nullptr);
  const std::vector<std::string> old_names = old_view.SummitNames();
  const std::string old_astana = "summits/csto-2024-11-28";
  ASSERT_NE(old_view.Summit(old_astana), nullptr);

  // Only outdated articles: all carry the running version, so none.
  UsePipeline(extractor_);
  ReprocessRequest outdated;
  outdated.only_outdated = true;
  ASSERT_OK_AND_ASSIGN(ReprocessResult skipped, pipeline_->Reprocess(outdated));
  EXPECT_EQ(skipped.response.articles_skipped(), 3);
  EXPECT_EQ(skipped.response.articles_changed(), 0);

  // Everything, two articles per call.
  ReprocessRequest page;
  page.page_size = 2;
  int calls = 0, changed = 0, unchanged = 0;
  std::set<std::string> affected;
  do {
    ASSERT_OK_AND_ASSIGN(ReprocessResult result, pipeline_->Reprocess(page));
    ++calls;
    changed += result.response.articles_changed();
    unchanged += result.response.articles_unchanged();
    affected.insert(result.response.affected_summits().begin(),
                    result.response.affected_summits().end());
    EXPECT_EQ(result.response.consistency_token(),
              absl::StrCat(store_->notifier().head()));
    page.resume_after = result.resume_after;
  } while (!page.resume_after.empty());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(changed, 1);  // only the Astana article reads differently
  EXPECT_EQ(unchanged, 2);
  EXPECT_THAT(affected, ElementsAre(old_astana, kAstana));

  Replay replay = Feed();
  EXPECT_EQ(replay.Dump(), expected);
  // Every name the old extraction issued still resolves.
  for (const std::string& name : old_names) {
    EXPECT_NE(replay.Resolve(name), "") << name;
  }
  EXPECT_EQ(replay.Resolve(old_astana), kAstana);
  auto replica = Replica();
  ASSERT_OK_AND_ASSIGN(v1::Summit summit, replica->GetSummit(old_astana));
  EXPECT_EQ(summit.name(), kAstana);

  // A second pass finds nothing to do.
  ASSERT_OK_AND_ASSIGN(ReprocessResult again,
                       pipeline_->Reprocess(ReprocessRequest()));
  EXPECT_EQ(again.response.articles_unchanged(), 3);
  EXPECT_THAT(again.response.affected_summits(), IsEmpty());
  EXPECT_THAT(pipeline_->Reprocess(ReprocessRequest{0, "", false}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace communique::ingest
