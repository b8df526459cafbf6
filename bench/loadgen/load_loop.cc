#include "bench/loadgen/loadgen.h"

namespace communique::bench::loadgen {

// A failed call's message; calls the server shed under overload
// (RESOURCE_EXHAUSTED) are marked so that runs count them apart.
std::string ErrorText(const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
    return absl::StrCat(kShed, status.error_message());
  }
  return status.error_message();
}

// Server CPU time (user + system) of `pid` in microseconds; 0 if unknown.
double ProcessCpuMicros(int pid) {
  if (pid <= 0) return 0;
  std::ifstream file(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(file)),
                   std::istreambuf_iterator<char>());
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::vector<std::string> fields =
      absl::StrSplit(stat.substr(paren + 2), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  if (fields.size() < 13) return 0;
  double utime = 0, stime = 0;
  if (!absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return 0;
  }
  return (utime + stime) * 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
}


// What every run shares: the results and when to stop.
struct RunState {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<double> latencies_us;
  int errors = 0;
  std::string first_error;
  int active = 0;
  Clock::time_point deadline;
  int min_calls = 0;

  int shed = 0;

  // Returns true when the server shed the call.
  bool Record(Clock::time_point start, bool ok, const std::string& error) {
    const double us =
        std::chrono::duration<double, std::micro>(Clock::now() - start)
            .count();
    std::lock_guard<std::mutex> lock(mu);
    if (ok) {
      latencies_us.push_back(us);
    } else if (absl::StartsWith(error, kShed)) {
      ++shed;
      return true;
    } else {
      if (errors++ == 0) first_error = error;
    }
    return false;
  }
  bool KeepGoing() {
    std::lock_guard<std::mutex> lock(mu);
    return errors < 100 && (Clock::now() < deadline ||
                            static_cast<int>(latencies_us.size()) < min_calls);
  }
  void Finished() {
    std::lock_guard<std::mutex> lock(mu);
    if (--active == 0) cv.notify_all();
  }
};

// Closed loop: `concurrency` calls in flight; each completion starts the
// next until the deadline.
RunResult RunClosedLoop(const IssueFn& issue, int concurrency,
                        std::chrono::milliseconds duration, int pid,
                        int min_calls) {
  auto state = std::make_shared<RunState>();
  state->deadline = Clock::now() + duration;
  state->min_calls = min_calls;
  state->active = concurrency;
  state->latencies_us.reserve(1 << 16);
  const double cpu_before = ProcessCpuMicros(pid);
  const auto start = Clock::now();
  // One loop per slot; a completion fires the slot's next call.
  std::function<void()> fire;
  fire = [&issue, state, &fire] {
    const auto call_start = Clock::now();
    issue([state, call_start, &fire](bool ok, const std::string& error) {
      // Shed: retry with backoff, as the server asks.
      if (state->Record(call_start, ok, error)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (state->KeepGoing()) {
        fire();
      } else {
        state->Finished();
      }
    });
  };
  for (int i = 0; i < concurrency; ++i) fire();
  {
    std::unique_lock<std::mutex> lock(state->mu);
    state->cv.wait(lock, [&] { return state->active == 0; });
  }
  RunResult result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.server_cpu_us = ProcessCpuMicros(pid) - cpu_before;
  std::lock_guard<std::mutex> lock(state->mu);
  result.latencies_us = std::move(state->latencies_us);
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  result.errors = state->errors;
  result.shed = state->shed;
  result.first_error = state->first_error;
  return result;
}

// Open loop: a call every 1/rate s whatever the completions; latency counts
// from the scheduled start, so queueing shows (no coordinated omission).
RunResult RunOpenLoop(const IssueFn& issue, double rate,
                      std::chrono::milliseconds duration, int pid) {
  auto state = std::make_shared<RunState>();
  state->active = 1;  // the issuing thread
  const double cpu_before = ProcessCpuMicros(pid);
  const auto start = Clock::now();
  const auto end = start + duration;
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / rate));
  for (auto next = start; next < end; next += interval) {
    std::this_thread::sleep_until(next);
    {
      std::lock_guard<std::mutex> lock(state->mu);
      if (state->active > 20000) break;  // hopelessly overloaded
      ++state->active;
    }
    issue([state, next](bool ok, const std::string& error) {
      state->Record(next, ok, error);
      state->Finished();
    });
  }
  state->Finished();
  {
    std::unique_lock<std::mutex> lock(state->mu);
    state->cv.wait(lock, [&] { return state->active == 0; });
  }
  RunResult result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.server_cpu_us = ProcessCpuMicros(pid) - cpu_before;
  std::lock_guard<std::mutex> lock(state->mu);
  result.latencies_us = std::move(state->latencies_us);
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  result.errors = state->errors;
  result.first_error = state->first_error;
  return result;
}

}  // namespace communique::bench::loadgen
