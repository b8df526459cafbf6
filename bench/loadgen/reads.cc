#include "bench/loadgen/loadgen.h"

namespace communique::bench::loadgen {

// The read rows: GetSummit and ListSummits against Echo returning the same
// bytes, closed loops at each concurrency level in interleaved rounds, the
// targets, then the open loop. Returns the misses, or -1 when
// --profile_variant ran one variant alone.
int MeasureReads(const ReadSetup& setup) {
  const std::vector<int>& levels = setup.levels;
  const int rounds = setup.rounds;
  const std::chrono::milliseconds run_time = setup.run_time;
  const std::chrono::milliseconds warmup = setup.warmup;
  const int min_calls = setup.min_calls;
  const int pid = setup.query_pid;
  const int echo_pid = setup.echo_pid;
  // Server CPU per call is reported only when both sides are known.
  const bool measure_cpu = pid > 0 && echo_pid > 0;
  const std::string& token = setup.token;
  const std::shared_ptr<grpc::Channel>& query_channel = setup.query_channel;
  const std::shared_ptr<grpc::Channel>& echo_channel = setup.echo_channel;
  auto query = api::QueryService::NewStub(query_channel);
  auto echo = v1::EchoService::NewStub(echo_channel);

  // The summits to query: every stored one (read-your-writes: waits for the
  // replica to apply the corpus), or a sample read from --names_file.
  std::vector<api::Summit> summits;
  const auto wait_start = Clock::now();
  const std::string names_file = absl::GetFlag(FLAGS_names_file);
  if (!names_file.empty()) {
    std::ifstream in(names_file);
    std::string name;
    while (std::getline(in, name)) {
      if (name.empty()) continue;
      api::GetSummitRequest request;
      request.set_name(name);
      api::Summit summit;
      while (true) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(30));
        grpc::Status status = query->GetSummit(&context, request, &summit);
        if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
            Clock::now() - wait_start < std::chrono::seconds(300)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          continue;
        }
        if (!status.ok()) Fail("GetSummit " + name + ": " + status.error_message());
        break;
      }
      summits.push_back(std::move(summit));
    }
    if (summits.empty()) Fail("no names in " + names_file);
    std::printf("read %zu summits named in %s in %.1f s\n", summits.size(),
                names_file.c_str(),
                std::chrono::duration<double>(Clock::now() - wait_start).count());
  } else {
    std::string page_token;
    while (true) {
      api::ListSummitsRequest request;
      request.set_page_size(1000);
      request.set_page_token(page_token);
      request.set_consistency_token(token);
      api::ListSummitsResponse response;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(300));
      grpc::Status status = query->ListSummits(&context, request, &response);
      // A replica refuses reads until it has caught up with the feed at start.
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
          Clock::now() - wait_start < std::chrono::seconds(120)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      if (!status.ok()) Fail("ListSummits: " + status.error_message());
      for (auto& summit : *response.mutable_summits()) {
        summits.push_back(std::move(summit));
      }
      page_token = response.next_page_token();
      if (page_token.empty()) break;
    }
    if (summits.empty()) Fail("the store holds no summits");
    std::printf("replica caught up and listed %zu summits in %.1f s\n",
                summits.size(),
                std::chrono::duration<double>(Clock::now() - wait_start).count());
  }

  auto names = std::make_shared<std::vector<std::string>>();
  size_t summit_bytes = 0;
  std::map<std::string, int> per_organization;
  std::map<int, int> per_year;
  for (const api::Summit& summit : summits) {
    names->push_back(summit.name());
    summit_bytes += summit.ByteSizeLong();
    ++per_organization[summit.organization()];
    ++per_year[summit.date().year()];
  }
  // Spread GetSummit over the store, not in key order.
  std::shuffle(names->begin(), names->end(), std::mt19937(42));
  // Echo's GetSummit floor returns the bytes of the summit closest to the
  // average size, as GetSummit returned them.
  const size_t mean_bytes = summit_bytes / summits.size();
  const api::Summit* typical = &summits.front();
  for (const api::Summit& summit : summits) {
    auto distance = [mean_bytes](size_t n) {
      return n > mean_bytes ? n - mean_bytes : mean_bytes - n;
    };
    if (distance(summit.ByteSizeLong()) < distance(typical->ByteSizeLong())) {
      typical = &summit;
    }
  }
  RawStub raw(query_channel);
  auto get_requests = std::make_shared<std::vector<grpc::ByteBuffer>>();
  for (const std::string& name : *names) {
    api::GetSummitRequest request;
    request.set_name(name);
    get_requests->push_back(ToBuffer(request.SerializeAsString()));
  }
  std::string get_response;
  {
    api::GetSummitRequest request;
    request.set_name(typical->name());
    get_response =
        RawCallOnce(&raw, kGetSummitMethod, request.SerializeAsString());
  }
  const int get_bytes = static_cast<int>(get_response.size());

  // The indexed filter with the most matches: an organisation or a year.
  api::ListSummitsRequest list_request;
  list_request.set_page_size(absl::GetFlag(FLAGS_page_size));
  auto best_org = std::max_element(
      per_organization.begin(), per_organization.end(),
      [](const auto& a, const auto& b) { return a.second < b.second; });
  auto best_year = std::max_element(
      per_year.begin(), per_year.end(),
      [](const auto& a, const auto& b) { return a.second < b.second; });
  std::string filter_text;
  if (best_org->second >= best_year->second || best_year->first == 0) {
    list_request.mutable_filter()->set_organization(best_org->first);
    filter_text = absl::StrCat("organization=", best_org->first, " (",
                               best_org->second, " matches)");
  } else {
    list_request.mutable_filter()->set_year(best_year->first);
    filter_text = absl::StrCat("year=", best_year->first, " (",
                               best_year->second, " matches)");
  }
  const std::string list_response = RawCallOnce(
      &raw, kListSummitsMethod, list_request.SerializeAsString());
  const int list_bytes = static_cast<int>(list_response.size());
  int page_items = 0;
  {
    api::ListSummitsResponse response;
    if (!response.ParseFromString(list_response)) Fail("ListSummits: bad bytes");
    page_items = response.summits_size();
  }
  const std::string export_dir = absl::GetFlag(FLAGS_export_dir);
  if (!export_dir.empty()) {
    std::ofstream jsonl(export_dir + "/summits.jsonl");
    google::protobuf::util::JsonPrintOptions json_options;
    for (const api::Summit& summit : summits) {
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(summit, &json,
                                                       json_options)
               .ok()) {
        Fail("summit does not print as JSON");
      }
      jsonl << json << "\n";
    }
    std::ofstream filter(export_dir + "/filter.txt");
    if (!list_request.filter().organization().empty()) {
      filter << "organization=" << list_request.filter().organization() << "\n";
    } else {
      filter << "year=" << list_request.filter().year() << "\n";
    }
    filter << "page_size=" << list_request.page_size() << "\n";
  }
  std::printf("GetSummit: %zu names, average %zu B; Echo returns %s's %d B "
              "as GetSummit did; ListSummits: filter %s, page of %d holds %d "
              "summits, %d B, Echo returns those bytes; byte-level client, "
              "no response parsed\n",
              names->size(), mean_bytes, typical->name().c_str(), get_bytes,
              filter_text.c_str(), list_request.page_size(), page_items,
              list_bytes);

  struct Variant {
    std::string label;
    IssueFn issue;
    // The process serving it, for server CPU per call (0: not measured).
    int pid;
  };
  auto one = [](const std::string& bytes) {
    return std::make_shared<const std::vector<grpc::ByteBuffer>>(
        std::vector<grpc::ByteBuffer>{ToBuffer(bytes)});
  };
  auto list_requests = one(list_request.SerializeAsString());
  auto echo_get = one(EchoOf(echo.get(), "get", get_response));
  auto echo_list = one(EchoOf(echo.get(), "list", list_response));
  RawStub echo_raw(echo_channel);
  const int query_cpu_pid = measure_cpu ? pid : 0;
  const int echo_cpu_pid = measure_cpu ? echo_pid : 0;
  const std::vector<Variant> variants = {
      {"GetSummit", RawCalls(&raw, kGetSummitMethod, get_requests),
       query_cpu_pid},
      {absl::StrCat("Echo ", get_bytes, " B"),
       RawCalls(&echo_raw, kEchoMethod, echo_get), echo_cpu_pid},
      {"ListSummits", RawCalls(&raw, kListSummitsMethod, list_requests),
       query_cpu_pid},
      {absl::StrCat("Echo ", list_bytes, " B"),
       RawCalls(&echo_raw, kEchoMethod, echo_list), echo_cpu_pid},
  };
  for (const Variant& variant : variants) {
    RunResult warm = RunClosedLoop(variant.issue, 4, warmup, 0, 10);
    if (warm.errors > 0 || warm.latencies_us.empty()) {
      Fail(absl::StrCat(variant.label, " fails: ", warm.first_error));
    }
  }

  if (const std::string only = absl::GetFlag(FLAGS_profile_variant);
      !only.empty()) {
    const char* keys[] = {"get", "echo_get", "list", "echo_list"};
    auto at = std::find(std::begin(keys), std::end(keys), only);
    if (at == std::end(keys)) Fail("bad --profile_variant");
    const Variant& variant = variants[at - std::begin(keys)];
    RunResult r =
        RunClosedLoop(variant.issue, levels[0], run_time, variant.pid,
                      min_calls);
    std::printf("profile: %s c=%d: %zu calls, %.0f QPS, p50 %.0f us, srv CPU "
                "%.1f us/call, %d errors\n",
                variant.label.c_str(), levels[0], r.latencies_us.size(),
                r.Qps(), r.Percentile(0.5), r.CpuPerCall(), r.errors);
    return -1;  // --profile_variant ran alone
  }

  // results[c][variant] = one RunResult per round.
  std::map<int, std::vector<std::vector<RunResult>>> results;
  for (int c : levels) {
    auto& per_variant = results[c];
    per_variant.resize(variants.size());
    for (int round = 0; round < rounds; ++round) {
      // Alternate the order so neither side always runs first.
      for (size_t k = 0; k < variants.size(); ++k) {
        const size_t v = round % 2 ? variants.size() - 1 - k : k;
        RunResult result = RunClosedLoop(variants[v].issue, c, run_time,
                                         variants[v].pid, min_calls);
        // A server shedding load (RESOURCE_EXHAUSTED once calls queue too
        // long) is reported, not fatal; a run without one success is.
        if (result.errors > 0) {
          if (result.latencies_us.empty()) {
            Fail(absl::StrCat(variants[v].label, " at c=", c, ": ",
                              result.errors, " errors, first: ",
                              result.first_error));
          }
          std::printf("note: %s at c=%d round %d: %d failed calls (first: "
                      "%s), latencies of the %zu that succeeded\n",
                      variants[v].label.c_str(), c, round, result.errors,
                      result.first_error.c_str(), result.latencies_us.size());
        }
        if (result.shed > 0) {
          std::printf("note: %s at c=%d round %d: the server shed %d calls "
                      "(RESOURCE_EXHAUSTED; retried after 10 ms)\n",
                      variants[v].label.c_str(), c, round, result.shed);
        }
        per_variant[v].push_back(std::move(result));
      }
    }
  }

  std::printf("\n== absolutes (median over %d rounds of %d ms each)\n", rounds,
              absl::GetFlag(FLAGS_run_ms));
  std::printf("%-18s %4s %9s %9s %9s %9s %12s %8s\n", "variant", "c", "QPS",
              "p50 us", "p99 us", "p99.9 us", "srv CPU us", "calls");
  for (int c : levels) {
    for (size_t v = 0; v < variants.size(); ++v) {
      std::vector<double> qps, p50, p99, p999, cpu, calls, mean;
      for (const RunResult& r : results[c][v]) {
        qps.push_back(r.Qps());
        p50.push_back(r.Percentile(0.5));
        p99.push_back(r.Percentile(0.99));
        p999.push_back(r.Percentile(0.999));
        mean.push_back(r.Mean());
        cpu.push_back(r.CpuPerCall());
        calls.push_back(r.latencies_us.size());
      }
      const char* keys[] = {"get", "echo_get", "list", "echo_list"};
      Summary(absl::StrCat("abs.", keys[v], ".c", c, ".p50_us"), MedianOf(p50));
      Summary(absl::StrCat("abs.", keys[v], ".c", c, ".p99_us"), MedianOf(p99));
      Summary(absl::StrCat("abs.", keys[v], ".c", c, ".qps"), MedianOf(qps));
      Summary(absl::StrCat("abs.", keys[v], ".c", c, ".mean_us"), MedianOf(mean));
      std::printf("%-18s %4d %9.0f %9.0f %9.0f %9.0f %12s %8.0f\n",
                  variants[v].label.c_str(), c, MedianOf(qps), MedianOf(p50),
                  MedianOf(p99), MedianOf(p999),
                  measure_cpu ? absl::StrFormat("%.0f", MedianOf(cpu)).c_str()
                          : "n/a",
                  MedianOf(calls));
    }
  }

  // Ratio rows: ours over floor, per round, then median and spread.
  struct Target {
    std::string path;
    int c;
    std::function<double(const RunResult&)> metric;
    size_t ours, floor;
    bool at_most;  // ratio <= bound passes; else ratio >= bound passes
    double bound;  // 0: informational
  };
  auto p50 = [](const RunResult& r) { return r.Percentile(0.5); };
  auto p99 = [](const RunResult& r) { return r.Percentile(0.99); };
  auto qps = [](const RunResult& r) { return r.Qps(); };
  auto mean = [](const RunResult& r) { return r.Mean(); };
  auto cpu = [](const RunResult& r) { return r.CpuPerCall(); };
  std::vector<Target> targets;
  for (int c : levels) {
    if (c == 1) {
      targets.push_back({"GetSummit p50 / Echo p50", c, p50, 0, 1, true, 1.25});
      targets.push_back({"GetSummit p99 / Echo p99", c, p99, 0, 1, true, 1.5});
    } else {
      targets.push_back({"GetSummit p50 / Echo p50", c, p50, 0, 1, true, 0});
    }
    targets.push_back({"GetSummit QPS / Echo QPS", c, qps, 0, 1, false,
                       c >= 16 ? 0.8 : 0});
    targets.push_back({"ListSummits p50 / Echo same-bytes p50", c, p50, 2, 3,
                       true, 1.3});
    targets.push_back({"GetSummit mean / Echo mean", c, mean, 0, 1, true, 0});
    targets.push_back({"ListSummits mean / Echo same-bytes mean", c, mean, 2,
                       3, true, 0});
    if (measure_cpu) {
      targets.push_back(
          {"GetSummit srv CPU / Echo srv CPU", c, cpu, 0, 1, true, 0});
      targets.push_back(
          {"ListSummits srv CPU / Echo srv CPU", c, cpu, 2, 3, true, 0});
    }
  }
  std::printf("\n== ratios ours/floor (median of per-round ratios [min..max])\n");
  std::printf("%-38s %4s %7s %17s %8s %s\n", "path", "c", "ratio", "spread",
              "target", "verdict");
  int misses = 0;
  for (const Target& t : targets) {
    std::vector<double> ratios;
    const auto& ours = results[t.c][t.ours];
    const auto& floor = results[t.c][t.floor];
    for (int round = 0; round < rounds; ++round) {
      const double f = t.metric(floor[round]);
      if (f > 0) ratios.push_back(t.metric(ours[round]) / f);
    }
    const Spread s = SpreadOf(ratios);
    Summary(absl::StrCat("ratio.", Slug(t.path), ".c", t.c), s.median);
    std::string target = "-", verdict = "info";
    if (t.bound > 0) {
      target = absl::StrFormat("%s%.2f", t.at_most ? "<=" : ">=", t.bound);
      const bool pass = t.at_most ? s.median <= t.bound : s.median >= t.bound;
      verdict = pass ? "PASS" : "MISS";
      if (!pass) ++misses;
    }
    std::printf("%-38s %4d %7.2f %17s %8s %s\n", t.path.c_str(), t.c, s.median,
                absl::StrFormat("[%.2f..%.2f]", s.min, s.max).c_str(),
                target.c_str(), verdict.c_str());
  }

  double rate = absl::GetFlag(FLAGS_rate);
  if (rate < 0) {
    // 70% of the closed-loop maximum: the best median GetSummit QPS over
    // the concurrency levels.
    double max_qps = 0;
    for (const auto& [c, per_variant] : results) {
      std::vector<double> qps;
      for (const RunResult& r : per_variant[0]) qps.push_back(r.Qps());
      max_qps = std::max(max_qps, MedianOf(qps));
    }
    rate = 0.7 * max_qps;
  }
  if (rate > 0) {
    std::printf("\n== open loop at %.0f calls/s (latency from scheduled start)\n",
                rate);
    std::vector<double> ratios;
    std::vector<double> ours_p99, floor_p99;
    for (int round = 0; round < rounds; ++round) {
      RunResult ours =
          RunOpenLoop(variants[0].issue, rate, run_time, variants[0].pid);
      RunResult floor =
          RunOpenLoop(variants[1].issue, rate, run_time, variants[1].pid);
      if (ours.errors > 0 || floor.errors > 0) Fail("open loop errors");
      ours_p99.push_back(ours.Percentile(0.99));
      floor_p99.push_back(floor.Percentile(0.99));
      if (floor.Percentile(0.99) > 0) {
        ratios.push_back(ours.Percentile(0.99) / floor.Percentile(0.99));
      }
    }
    const Spread s = SpreadOf(ratios);
    const bool pass = s.median <= 2.0;
    if (!pass) ++misses;
    std::printf("GetSummit p99 %.0f us, Echo p99 %.0f us; ratio %.2f "
                "[%.2f..%.2f] target <=2.00 %s\n",
                MedianOf(ours_p99), MedianOf(floor_p99), s.median, s.min,
                s.max, pass ? "PASS" : "MISS");
  }
  return misses;
}

}  // namespace communique::bench::loadgen
