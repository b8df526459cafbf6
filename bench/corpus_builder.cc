// communique-bench-corpus: builds a synthetic store of N summits for the
// scale runs of the benchmark suite (scripts/bench.sh --scale=...), in
// process, fast enough for 1,000,000 summits (ingesting them over gRPC runs
// at ~700 articles/s here).
//
//   communique-bench-corpus --summits=N --dir=DIR
//
// writes DIR/ingest (an ingest store), DIR/query (the query replica's store
// built from that store's change log), DIR/names.txt (a sample of summit
// names spread over the store) and DIR/corpus.txt (what was built; written
// last, so its presence means the corpus is complete).
//
// How, and why the stores are what the services would hold:
//  * One synthetic article per summit, shaped like news (the
//    merge_scaling_benchmark phrasings), run through the real IngestPipeline's
//    Parse: validation, normalisation and extraction as ingest does them.
//  * Clusters (organisation body and year) are filled one at a time. Each
//    cluster's records are merge::MergeCluster over every member's
//    extraction, exactly as the pipeline computes them when the cluster's
//    last article arrives (the merge is order-independent: issue 4). Every
//    article is committed through the real IngestStore::CommitArticle (the
//    article, its extraction and its membership); the cluster's last
//    article also carries its records. So the records, indexes and articles
//    are those that ingesting the articles one by one leaves behind; only
//    the change log is shorter (one UPSERT per record, not one per
//    intermediate state of a growing cluster).
//  * The query store is built by the replica's own apply path:
//    QueryStore::ApplyChanges over the ingest store's ReadChanges, so it is
//    byte for byte what a replica following that ingest store builds, and
//    its watermark is the ingest head, so a replica started on it resumes
//    there and is caught up at once.
// Neither store syncs its writes while building (a crash would just mean
// rebuilding); the services then open them with their usual options.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "ingest_service/ingest_pipeline.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/merge/merge.h"
#include "shared/store/ingest_store.h"
#include "shared/store/query_store.h"

ABSL_FLAG(int, summits, 1000, "Summits to generate (one article each).");
ABSL_FLAG(std::string, dir, "", "Output directory (must not exist yet).");
ABSL_FLAG(int, sample, 5000, "Summit names written to names.txt.");
ABSL_FLAG(int, threads, 2, "Extraction threads.");
ABSL_FLAG(bool, print_version, false,
          "Print the generator version (the cache key of built corpora) and "
          "exit.");

namespace communique::bench {
namespace {

// Bump when the corpus or the way it is built changes: scripts/bench.sh
// keys its cache of built corpora by it.
constexpr int kGeneratorVersion = 1;

constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kTopics[] = {
    "terrorism",         "drug trafficking", "cybersecurity",
    "illegal migration", "border security",  "peacekeeping",
    "Afghanistan",       "sanctions",        "information security"};

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "communique-bench-corpus: %s\n", what.c_str());
  std::exit(1);
}

struct Body {
  std::string organization;
  std::string body;
};

// Cluster c = (body c % bodies, year years[c / bodies]); its sessions get
// distinct days of the year, spread evenly (never January 1, which reads as
// a chairmanship handover).
struct Corpus {
  std::vector<Body> bodies;
  std::vector<int> years;
  std::vector<std::string> cities;
  int per_cluster = 1;

  int Clusters(int summits) const {
    return (summits + per_cluster - 1) / per_cluster;
  }

  std::string Article(int cluster, int nth, int serial) const {
    const Body& body = bodies[cluster % bodies.size()];
    const int year = years[(cluster / bodies.size()) % years.size()];
    const int step = std::max(1, 360 / per_cluster);
    const absl::CivilDay date =
        absl::CivilDay(year, 1, 2) + static_cast<absl::civil_diff_t>(nth) * step;
    const std::string& city = cities[(serial * 13 + cluster * 7) % cities.size()];
    const char* month = kMonths[date.month() - 1];
    const char* topic = kTopics[serial % std::size(kTopics)];
    const int documents = 3 + serial % 17;
    if (serial % 2 == 0) {
      return absl::StrFormat(
          "%s, %s %d - The %s of the %s met in %s on %s %d, %d. The leaders "
          "adopted %d documents and discussed %s.\n",
          city, month, date.day(), body.body, body.organization, city, month,
          date.day(), year, documents, topic);
    }
    return absl::StrFormat(
        "A session of the %s of the %s was held in %s on %d %s %d. "
        "Participants signed a joint statement on %s.\n",
        body.body, body.organization, city, date.day(), month, year, topic);
  }
};

Corpus Probe(const gazetteer::Gazetteer& gazetteer,
             const extract::Extractor& extractor, int summits) {
  Corpus corpus;
  auto dated = [&](const std::string& org, const std::string& body, int year) {
    const std::string probe = absl::StrFormat(
        "The %s of the %s met in Minsk on March 8, %d.\n", body, org, year);
    extract::ArticleContext context;
    context.article_name = "articles/probe";
    v1::ArticleExtraction found = extractor.Extract(probe, context);
    return found.summits_size() == 1 && found.summits(0).date().year() == year;
  };
  for (const auto& organization : gazetteer.data().organizations()) {
    for (const auto& body : organization.bodies()) {
      if (dated(organization.name(), body.name(), 1990) &&
          dated(organization.name(), body.name(), 2090)) {
        corpus.bodies.push_back({organization.name(), body.name()});
      }
    }
  }
  if (corpus.bodies.empty()) Fail("no body the extractor dates");
  for (int year = 1901; year <= 2099; ++year) {
    if (dated(corpus.bodies[0].organization, corpus.bodies[0].body, year)) {
      corpus.years.push_back(year);
    }
  }
  for (const auto& city : gazetteer.data().cities()) {
    corpus.cities.push_back(city.name());
  }
  if (corpus.years.empty() || corpus.cities.empty()) Fail("empty corpus");
  const int64_t clusters =
      static_cast<int64_t>(corpus.bodies.size()) * corpus.years.size();
  corpus.per_cluster =
      static_cast<int>(std::max<int64_t>(1, (summits + clusters - 1) / clusters));
  if (corpus.per_cluster > 360) Fail("too many summits for distinct days");
  return corpus;
}

int Main() {
  if (absl::GetFlag(FLAGS_print_version)) {
    std::printf("%d\n", kGeneratorVersion);
    return 0;
  }
  const int summits = absl::GetFlag(FLAGS_summits);
  const std::string dir = absl::GetFlag(FLAGS_dir);
  if (summits <= 0 || dir.empty()) Fail("--summits > 0 and --dir are required");
  if (std::filesystem::exists(dir)) Fail(dir + " exists");
  std::filesystem::create_directories(dir);

  auto gazetteer = gazetteer::Gazetteer::LoadDefault();
  if (!gazetteer.ok()) Fail("gazetteer does not load");
  auto extractor = extract::Extractor::Create(*gazetteer);
  if (!extractor.ok()) Fail("extractor does not build");
  const Corpus corpus = Probe(**gazetteer, **extractor, summits);
  const merge::NamingRules naming = ingest::NamingRulesFrom(**gazetteer);

  store::StoreOptions options;
  options.sync_writes = false;
  auto ingest_store = store::OpenIngestStore(dir + "/ingest", options);
  if (!ingest_store.ok()) Fail(std::string(ingest_store.status().message()));
  ingest::IngestPipeline pipeline(ingest_store->get(), extractor->get());

  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  const int clusters = corpus.Clusters(summits);
  const int sample_every =
      std::max(1, summits / std::max(1, absl::GetFlag(FLAGS_sample)));
  std::vector<std::string> sample;
  int made = 0;  // articles generated
  int stored_summits = 0;
  int unexpected = 0;  // articles whose extraction is not the one summit
  const int threads = std::max(1, absl::GetFlag(FLAGS_threads));
  for (int cluster = 0; cluster < clusters && made < summits; ++cluster) {
    const int n = std::min(corpus.per_cluster, summits - made);
    // Parse (validate, normalise, extract) the cluster's articles.
    std::vector<v1::ParseArticleResponse> parsed(n);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (int k = t; k < n; k += threads) {
          v1::ArticleInput input;
          input.set_text(corpus.Article(cluster, k, made + k));
          input.set_external_id(absl::StrCat("scale-", made + k));
          auto result = pipeline.Parse(input);
          if (!result.ok()) Fail(std::string(result.status().message()));
          parsed[k] = *std::move(result);
        }
      });
    }
    for (std::thread& worker : workers) worker.join();
    made += n;

    // Group by cluster key, as the pipeline does (normally one key).
    std::map<std::string, std::vector<int>> members;
    for (int k = 0; k < n; ++k) {
      const auto& found = parsed[k].extraction().summits();
      if (found.size() != 1) ++unexpected;
      for (const v1::Summit& summit : found) {
        members[merge::ClusterKey(summit)].push_back(k);
      }
    }
    std::map<std::string, store::ClusterRecords> records;
    for (const auto& [key, ks] : members) {
      // Members stored earlier (none when clusters do not repeat).
      auto stored = (*ingest_store)->ClusterExtractions(key);
      if (!stored.ok()) Fail(std::string(stored.status().message()));
      std::vector<v1::ArticleExtraction> inputs = *std::move(stored);
      for (int k : ks) inputs.push_back(parsed[k].extraction());
      merge::MergedCluster merged = merge::MergeCluster(inputs, key, naming);
      store::ClusterRecords& out = records[key];
      for (const v1::Summit& summit : merged.summits) {
        if (stored_summits++ % sample_every == 0) {
          sample.push_back(summit.name());
        }
      }
      out.summits = std::move(merged.summits);
      out.declarations = std::move(merged.declarations);
      out.initiatives = std::move(merged.initiatives);
    }
    // Commit every article; the last one carries the clusters' records.
    for (int k = 0; k < n; ++k) {
      store::ArticleCommit commit;
      commit.now = absl::Now();
      commit.article = parsed[k].article();
      *commit.article.mutable_ingest_time() =
          google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
              absl::ToUnixNanos(commit.now));
      commit.extraction = parsed[k].extraction();
      for (const v1::Summit& summit : commit.extraction.summits()) {
        const std::string key = merge::ClusterKey(summit);
        if (std::find(commit.clusters.begin(), commit.clusters.end(), key) ==
            commit.clusters.end()) {
          commit.clusters.push_back(key);
        }
      }
      std::sort(commit.clusters.begin(), commit.clusters.end());
      if (k == n - 1) commit.cluster_records = std::move(records);
      auto result = (*ingest_store)->CommitArticle(commit);
      if (!result.ok()) Fail(std::string(result.status().message()));
    }
    if (made / 100000 != (made - n) / 100000) {
      std::fprintf(stderr, "%d/%d articles, %d summits, %.0f s\n", made,
                   summits, stored_summits, seconds());
    }
  }
  const double build_seconds = seconds();

  // The replica's store, through the replica's apply path.
  auto query_store = store::OpenQueryStore(dir + "/query", options);
  if (!query_store.ok()) Fail(std::string(query_store.status().message()));
  uint64_t head = 0;
  while (true) {
    auto events = (*ingest_store)->ReadChanges((*query_store)->AppliedSequence(),
                                               1000);
    if (!events.ok()) Fail(std::string(events.status().message()));
    if (events->empty()) break;
    head = events->back().sequence();
    absl::Status applied = (*query_store)->ApplyChanges(*events);
    if (!applied.ok()) Fail(std::string(applied.message()));
  }
  const double apply_seconds = seconds() - build_seconds;
  query_store->reset();
  ingest_store->reset();

  {
    std::ofstream names(dir + "/names.txt");
    for (const std::string& name : sample) names << name << "\n";
  }
  std::ofstream info(dir + "/corpus.txt");
  info << absl::StrFormat(
      "generator_version=%d\nsummits=%d\narticles=%d\nstored_summits=%d\n"
      "bodies=%d\nyears=%d\nper_cluster=%d\nunexpected_extractions=%d\n"
      "change_log_head=%d\ningest_seconds=%.1f\napply_seconds=%.1f\n",
      kGeneratorVersion, summits, made, stored_summits,
      static_cast<int>(corpus.bodies.size()),
      static_cast<int>(corpus.years.size()), corpus.per_cluster, unexpected,
      head, build_seconds, apply_seconds);
  std::printf(
      "corpus: %d summits (%d articles, %d per cluster) in %s: ingest store "
      "%.0f s, replica apply %.0f s\n",
      stored_summits, made, corpus.per_cluster, dir.c_str(), build_seconds,
      apply_seconds);
  return 0;
}

}  // namespace
}  // namespace communique::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "builds a synthetic store for scripts/bench.sh --scale (see "
      "bench/README.md)");
  absl::ParseCommandLine(argc, argv);
  return communique::bench::Main();
}
