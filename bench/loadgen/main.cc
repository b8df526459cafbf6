// communique-loadgen: the load generator of the benchmark suite
// (scripts/bench.sh). Drives the REAL service binaries over gRPC (callback
// API, TLS, bearer tokens) and compares each RPC with the Echo floor that
// communique-bench-echo serves on the same server bootstrap and flags.
//
//   1. --generate=N: ingests a synthetic corpus of N summits (3 articles per
//      summit, one IngestArticles stream) and waits until the query replica
//      has applied it (read-your-writes token).
//   2. Collects the stored summit names and picks an indexed ListSummits
//      filter with at least one full page.
//   3. For each concurrency level, runs rounds of GetSummit, Echo (the bytes
//      GetSummit returned for a summit of average size), ListSummits (page
//      of --page_size) and Echo (the bytes that page returned), interleaved,
//      each for --run_ms, all through a byte-level client (no parsing).
//   4. Prints absolutes (QPS, p50/p99/p99.9, server CPU-us per call read from
//      /proc/<pid>/stat) and ours/floor ratios as the median of per-round
//      ratios with their spread, each with PASS/MISS against issue 9.
//
// The last line is "== end of table" when every row was measured; the
// smoke test (ctest -L bench) checks for it. Exit 1 on any failure.
//
// The pieces are described in loadgen.h.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "bench/loadgen/loadgen.h"
#include "shared/rpc/process_exit.h"

ABSL_FLAG(std::string, query, "", "Query service address, host:port.");
ABSL_FLAG(std::string, ingest, "",
          "Ingest service address (needed with --generate).");
ABSL_FLAG(bool, insecure, false, "Plaintext channels.");
ABSL_FLAG(std::string, ca_file, "", "PEM CA of the servers' certificates.");
ABSL_FLAG(std::string, writer_token_file, "",
          "Bearer token file for the ingest calls.");
ABSL_FLAG(std::string, reader_token_file, "",
          "Bearer token file for the query calls and Echo.");
ABSL_FLAG(int, generate, 0,
          "Ingest a synthetic corpus of this many summits first (0: none).");
ABSL_FLAG(std::string, concurrency, "1,4,16,64",
          "Closed-loop concurrency levels (calls in flight).");
ABSL_FLAG(int, rounds, 5, "Interleaved rounds per concurrency level.");
ABSL_FLAG(int, run_ms, 500, "Duration of one variant's run in a round.");
ABSL_FLAG(int, warmup_ms, 300, "Warm-up per variant before measuring.");
ABSL_FLAG(double, rate, 0,
          "Also run an open loop at this many calls/s (GetSummit vs Echo); "
          "0: skip; negative: 70% of the highest GetSummit QPS the closed "
          "loop measured in this run (issue 9's open-loop row).");
ABSL_FLAG(int, page_size, 50, "ListSummits page size.");
ABSL_FLAG(int, query_pid, 0, "Query server pid, for server CPU per call.");
ABSL_FLAG(std::string, echo, "",
          "Echo floor address (communique-bench-echo), host:port.");
ABSL_FLAG(int, echo_pid, 0,
          "Echo floor server pid, for its server CPU per call.");
ABSL_FLAG(int, min_calls, 20,
          "A run keeps going past --run_ms until this many calls completed.");
ABSL_FLAG(std::string, names_file, "",
          "Summit names to query (one per line, e.g. a built corpus's "
          "names.txt) instead of listing the whole store.");
ABSL_FLAG(std::string, replica_token_file, "",
          "Bearer token file for the change feed (Subscribe), with --streams.");
ABSL_FLAG(bool, streams, false,
          "Also measure WatchSummits and Subscribe replays against EchoStream "
          "(needs --generate).");
ABSL_FLAG(int, ingest_rounds, 0,
          "Also measure ingest against in-process extraction and raw "
          "WriteBatch floors in this many rounds (needs --ingest_dir).");
ABSL_FLAG(int, ingest_batch, 300, "Articles ingested per ingest round.");
ABSL_FLAG(std::string, ingest_dir, "",
          "The ingest service's data directory, opened read-only to size the "
          "raw WriteBatch floor (keys and bytes per stored article).");
ABSL_FLAG(std::string, lag_rate, "",
          "Also measure replication lag with an open loop of each of these "
          "many ingests/s, comma-separated (empty: skip). The issue-5 target "
          "(p99 < 50 ms) applies at 500/s; other rates are for information.");
ABSL_FLAG(int, lag_ms, 5000, "Duration of the replication-lag run.");
ABSL_FLAG(std::string, export_dir, "",
          "Write the listed summits (summits.jsonl, proto3 JSON) and the "
          "ListSummits filter used (filter.txt) here, for the PostgreSQL "
          "comparison.");
ABSL_FLAG(std::string, profile_variant, "",
          "Profiling aid: after the set-up, run only this variant (get, "
          "echo_get, list or echo_list) at the first --concurrency level for "
          "--run_ms, print its QPS and server CPU per call, and exit (no "
          "table). Record the server meanwhile, e.g. perf record -p.");
ABSL_FLAG(std::string, summary_file, "",
          "Append key=value figures here (scripts/bench.sh's scale table).");

namespace communique::bench::loadgen {

void Fail(const std::string& what) {
  std::fprintf(stderr, "loadgen: %s\n", what.c_str());
  // Channels may be open: leave without exit()'s clean-up racing gRPC.
  rpc::ExitNow(1);
}

int Main() {
  const std::string query_address = absl::GetFlag(FLAGS_query);
  if (query_address.empty()) Fail("--query is required");
  std::vector<int> levels;
  for (absl::string_view level :
       absl::StrSplit(absl::GetFlag(FLAGS_concurrency), ',')) {
    int c = 0;
    if (!absl::SimpleAtoi(level, &c) || c <= 0) Fail("bad --concurrency");
    levels.push_back(c);
  }
  const int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  const std::chrono::milliseconds run_time(absl::GetFlag(FLAGS_run_ms));
  const std::chrono::milliseconds warmup(absl::GetFlag(FLAGS_warmup_ms));
  const std::string echo_address = absl::GetFlag(FLAGS_echo);
  if (echo_address.empty()) Fail("--echo is required");
  const int min_calls = absl::GetFlag(FLAGS_min_calls);

  auto query_channel =
      Channel(query_address, absl::GetFlag(FLAGS_reader_token_file));
  auto query = api::QueryService::NewStub(query_channel);
  auto echo_channel =
      Channel(echo_address, absl::GetFlag(FLAGS_reader_token_file));

  std::string token;
  if (absl::GetFlag(FLAGS_generate) > 0) {
    auto ingest = api::IngestService::NewStub(
        Channel(absl::GetFlag(FLAGS_ingest),
                absl::GetFlag(FLAGS_writer_token_file)));
    token = Generate(ingest.get(), absl::GetFlag(FLAGS_generate));
  }

  ReadSetup reads;
  reads.query_channel = query_channel;
  reads.echo_channel = echo_channel;
  reads.levels = levels;
  reads.rounds = rounds;
  reads.run_time = run_time;
  reads.warmup = warmup;
  reads.min_calls = min_calls;
  reads.query_pid = absl::GetFlag(FLAGS_query_pid);
  reads.echo_pid = absl::GetFlag(FLAGS_echo_pid);
  reads.token = token;
  int misses = MeasureReads(reads);
  if (misses < 0) return 0;  // --profile_variant: nothing else runs
  if (absl::GetFlag(FLAGS_streams)) {
    misses += MeasureStreams(query_channel, echo_channel, token, rounds);
  }
  if (absl::GetFlag(FLAGS_ingest_rounds) > 0) {
    misses += MeasureIngest(absl::GetFlag(FLAGS_generate));
  }
  int lag_run = 0;
  for (absl::string_view text :
       absl::StrSplit(absl::GetFlag(FLAGS_lag_rate), ',', absl::SkipEmpty())) {
    double rate = 0;
    if (!absl::SimpleAtod(text, &rate) || rate <= 0) Fail("bad --lag_rate");
    misses += MeasureLag(query.get(), absl::GetFlag(FLAGS_generate), rate,
                         lag_run++);
  }
  std::printf("\ntargets missed: %d\n== end of table\n", misses);
  const std::string summary_file = absl::GetFlag(FLAGS_summary_file);
  if (!summary_file.empty()) {
    std::ofstream out(summary_file, std::ios::app);
    for (const std::string& line : SummaryLines()) out << line << "\n";
  }
  return 0;
}

}  // namespace communique::bench::loadgen

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "load generator of the benchmark suite; run it through "
      "scripts/bench.sh");
  absl::ParseCommandLine(argc, argv);
  communique::rpc::HoldGrpcForProcess();
  communique::rpc::ExitProcess(communique::bench::loadgen::Main());
}
