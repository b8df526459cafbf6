// merge_scaling_benchmark: shows that merging is incremental (issue 4).
// Ingests N synthetic articles through the real IngestPipeline (normalise,
// extract, re-merge the touched cluster, one RocksDB commit) into a
// temporary store and prints the per-article ingest cost (p50/p99 of the
// articles ingested just before each checkpoint) as the store grows, then
// the last checkpoint's p50 over the first's. scripts/bench.sh runs it
// (10,000 articles by default, --merge_articles=100000 for the full run).
//
//   merge_scaling_benchmark [--articles=10000] [--sync]
//
// The synthetic corpus is shaped like news: every session is reported by
// three articles (one of which misses the city), every cluster (organisation
// body and year, 1995..2094) holds a fixed number of sessions (two, or more
// when a large run needs more sessions than bodies x years), and new
// articles keep arriving about new sessions, so a cluster stops growing
// while the store keeps growing. Bodies, cities, dates, topics and document
// counts vary from article to article.
// Cost per article should then stay flat in the store size.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ingest_service/ingest_pipeline.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"

namespace communique {
namespace {

constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

struct Body {
  std::string organization;  // full name
  std::string body;          // body name
};

constexpr const char* kTopics[] = {
    "terrorism",         "drug trafficking", "cybersecurity",
    "illegal migration", "border security",  "peacekeeping",
    "Afghanistan",       "sanctions",        "information security"};

struct Corpus {
  std::vector<Body> bodies;
  std::vector<std::string> cities;
  // Sessions per cluster (organisation body and year). Two while bodies x
  // years give enough clusters; more only when the run needs more sessions
  // than that, so 100,000 articles fit in plausible years. Either way each
  // cluster fills up once and is never touched again.
  int sessions_per_cluster = 2;
  static constexpr int kFirstYear = 1995;
  static constexpr int kYears = 100;  // 1995..2094: all dated by the extractor

  // Chooses sessions_per_cluster for a run of `articles` articles.
  void SizeFor(int articles) {
    const int sessions = (articles + 2) / 3;
    const int clusters = static_cast<int>(bodies.size()) * kYears;
    sessions_per_cluster = std::max(2, (sessions + clusters - 1) / clusters);
    // Distinct months first, then distinct days within a month.
    sessions_per_cluster = std::min(sessions_per_cluster, 12 * 4);
  }

  // Article `i`: session i / 3, cluster session / sessions_per_cluster.
  // Clusters walk bodies first and then years, so consecutive sessions land
  // in different bodies' clusters and no (body, year) pair ever comes back.
  std::string Article(int i) const {
    const int session = i / 3;
    const int cluster = session / sessions_per_cluster;
    const int nth = session % sessions_per_cluster;  // within its cluster
    const int body_count = static_cast<int>(bodies.size());
    const Body& body = bodies[cluster % body_count];
    const int year = kFirstYear + (cluster / body_count) % kYears;
    // Sessions of one cluster get distinct dates: months spread over the
    // year, then one of four weeks (days 2..28; never January 1, which
    // reads as a chairmanship handover).
    const int month = 1 + (nth * 5 + cluster) % 12;
    const int day = 2 + 7 * ((nth / 12) % 4) + (cluster + session) % 6;
    const std::string& city =
        cities[(session * 13 + cluster * 7) % cities.size()];
    const char* topic = kTopics[(session + i) % std::size(kTopics)];
    const int documents = 3 + session % 17;
    switch (i % 3) {
      case 0:
        return absl::StrFormat(
            "%s, %s %d - The %s of the %s met in %s on %s %d, %d. The "
            "leaders adopted %d documents and discussed %s.\n",
            city, kMonths[month - 1], day, body.body, body.organization, city,
            kMonths[month - 1], day, year, documents, topic);
      case 1:
        return absl::StrFormat(
            "A session of the %s of the %s was held in %s on %d %s %d. "
            "Participants signed a joint statement on %s.\n",
            body.body, body.organization, city, day, kMonths[month - 1], year,
            topic);
      default:
        return absl::StrFormat(
            "The %s of the %s convened on %s %d, %d, and adopted %d "
            "documents on %s and regional security.\n",
            body.body, body.organization, kMonths[month - 1], day, year,
            documents + 1 + session % 3, topic);
    }
  }
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * (values.size() - 1) + 0.5);
  return values[index];
}

int Main(int argc, char** argv) {
  int articles = 10000;
  bool sync = false;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--articles=")) {
      if (!absl::SimpleAtoi(arg, &articles) || articles <= 0) {
        std::fprintf(stderr, "bad --articles\n");
        return 2;
      }
    } else if (arg == "--sync") {
      sync = true;
    } else {
      std::fprintf(stderr, "usage: %s [--articles=N] [--sync]\n", argv[0]);
      return 2;
    }
  }

  auto gazetteer = gazetteer::Gazetteer::LoadDefault();
  if (!gazetteer.ok()) {
    std::fprintf(stderr, "gazetteer: %s\n",
                 std::string(gazetteer.status().message()).c_str());
    return 1;
  }
  auto extractor = extract::Extractor::Create(*gazetteer);
  if (!extractor.ok()) return 1;
  Corpus corpus;
  // Only bodies whose sessions the extractor dates from such text: an
  // undated mention lands in an "undated" cluster that would grow forever.
  int dropped = 0;
  for (const auto& organization : (*gazetteer)->data().organizations()) {
    for (const auto& body : organization.bodies()) {
      // Probe both ends of the year range the corpus uses.
      bool dated = true;
      for (int year : {Corpus::kFirstYear, Corpus::kFirstYear + Corpus::kYears - 1}) {
        const std::string probe = absl::StrFormat(
            "The %s of the %s met in Minsk on March 8, %d.\n", body.name(),
            organization.name(), year);
        extract::ArticleContext context;
        context.article_name = "articles/probe";
        v1::ArticleExtraction found = (*extractor)->Extract(probe, context);
        dated = dated && found.summits_size() == 1 &&
                found.summits(0).date().year() == year;
      }
      if (dated) {
        corpus.bodies.push_back({organization.name(), body.name()});
      } else {
        ++dropped;
      }
    }
  }
  for (const auto& city : (*gazetteer)->data().cities()) {
    corpus.cities.push_back(city.name());
  }
  corpus.SizeFor(articles);

  char tmpl[] = "/tmp/communique_merge_scaling_XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  store::StoreOptions options;
  options.sync_writes = sync;
  auto store = store::OpenIngestStore(dir, options);
  if (!store.ok()) {
    std::fprintf(stderr, "store: %s\n",
                 std::string(store.status().message()).c_str());
    return 1;
  }
  ingest::IngestPipeline::Options pipeline_options;
  pipeline_options.naming = ingest::NamingRulesFrom(**gazetteer);
  ingest::IngestPipeline pipeline(store->get(), extractor->get(),
                                  std::move(pipeline_options));

  std::printf(
      "%d synthetic articles, %zu bodies (%d the extractor cannot date "
      "dropped), %zu cities, %d sessions per cluster, sync_writes=%s, store "
      "%s\n",
      articles, corpus.bodies.size(), dropped, corpus.cities.size(),
      corpus.sessions_per_cluster, sync ? "true" : "false",
      dir.c_str());
  std::printf("%-18s %10s %10s %10s %12s\n", "articles stored", "mean us",
              "p50 us", "p99 us", "store MiB");
  // Cost of the articles before each checkpoint (the last 100, or 1,000
  // from 10,000 on).
  const std::vector<int> checkpoints = {100,   300,    1000,  3000,
                                        10000, 30000, 100000};
  double first_p50 = 0, last_p50 = 0;
  int first_at = 0, last_at = 0;
  std::vector<double> latencies;
  latencies.reserve(articles);
  int without_summit = 0;
  int undated = 0;
  for (int i = 0; i < articles; ++i) {
    v1::ArticleInput input;
    input.set_text(corpus.Article(i));
    input.set_external_id(absl::StrCat("synthetic-", i));
    const auto start = std::chrono::steady_clock::now();
    auto response = pipeline.Ingest(input);
    const auto end = std::chrono::steady_clock::now();
    if (!response.ok()) {
      std::fprintf(stderr, "article %d: %s\n", i,
                   std::string(response.status().message()).c_str());
      return 1;
    }
    if (response->affected_summits().empty()) ++without_summit;
    for (const std::string& name : response->affected_summits()) {
      if (absl::StrContains(name, "undated")) {
        ++undated;
        break;
      }
    }
    latencies.push_back(
        std::chrono::duration<double, std::micro>(end - start).count());
    const int stored = i + 1;
    if (std::find(checkpoints.begin(), checkpoints.end(), stored) ==
            checkpoints.end() &&
        stored != articles) {
      continue;
    }
    const size_t window = stored >= 10000 ? 1000 : 100;
    std::vector<double> last(
        latencies.end() - std::min<size_t>(window, latencies.size()),
        latencies.end());
    double sum = 0;
    for (double v : last) sum += v;
    if (first_at == 0) {
      first_at = stored;
      first_p50 = Percentile(last, 0.5);
    }
    last_at = stored;
    last_p50 = Percentile(last, 0.5);
    std::printf("%-18d %10.0f %10.0f %10.0f %12.1f\n", stored,
                sum / last.size(), Percentile(last, 0.5),
                Percentile(last, 0.99),
                (*store)->ApproximateSizeBytes() / 1048576.0);
    std::fflush(stdout);
  }
  // "Flat" read as at most 1.5x, the bound issue 9 sets for query latency
  // from 1k to 1M summits.
  const double growth = first_p50 > 0 ? last_p50 / first_p50 : 0;
  std::printf("merge scaling: p50 per article at %d / at %d stored = %.2f "
              "(flat: <=1.50 %s)\n",
              last_at, first_at, growth, growth <= 1.5 ? "PASS" : "MISS");
  std::printf("articles whose ingest changed no summit: %d\n", without_summit);
  std::printf("articles filed under an undated summit: %d\n", undated);
  store->reset();
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace communique

int main(int argc, char** argv) { return communique::Main(argc, argv); }
