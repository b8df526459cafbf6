// Test helpers that start the real binaries as a user would: child
// processes on loopback ports chosen by the kernel (port 0, reported back
// through --port_file), throwaway TLS material. TempDir comes from
// shared/status/testing/temp_dir.h.
#pragma once

#include <sys/types.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "shared/status/testing/temp_dir.h"  // TempDir, for the e2e tests

namespace communique::testing {

// A child process. Killed (SIGKILL) on destruction if still running.
class ChildProcess {
 public:
  // Starts `argv[0]` with `argv`, stdout and stderr appended to `log_path`.
  static absl::StatusOr<ChildProcess> Start(const std::vector<std::string>& argv,
                                            const std::string& log_path);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Sends `signal`.
  void Signal(int signal);
  // Waits up to `timeout` for exit; returns the exit code (128 + signal if
  // killed by one), or DEADLINE_EXCEEDED.
  absl::StatusOr<int> Wait(absl::Duration timeout);

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
};

// Waits up to `timeout` for `path` to hold a port number (written by the
// services' --port_file) and returns it.
absl::StatusOr<int> WaitForPortFile(const std::string& path,
                                    absl::Duration timeout);

// Directory of the build tree ($COMMUNIQUE_BINARY_DIR) and of the sources
// ($COMMUNIQUE_SOURCE_DIR), set by ctest.
std::string BinaryDir();
std::string SourceDir();

// Bounds a long test by its own workload instead of ctest's TIMEOUT, so an
// opt-in long run (COMMUNIQUE_CRASH_CYCLES=300, COMMUNIQUE_SOAK_SECONDS=1200)
// finishes as documented while a hang still fails quickly: unless destroyed
// within `budget`, prints `what` and the budget to stderr and aborts the
// process (ctest reports the test failed). The tests whose ctest TIMEOUT is
// generous rely on it.
class Watchdog {
 public:
  Watchdog(absl::Duration budget, std::string what);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  absl::Notification done_;
  std::thread thread_;
};

// Runs scripts/dev-certs.sh into `dir` (CA, server and client certs).
absl::Status MakeDevCerts(const std::string& dir);

// Reads a whole file.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

}  // namespace communique::testing
