// Test helpers that start the real binaries as a user would: child
// processes on loopback ports chosen by the kernel (port 0, reported back
// through --port_file), throwaway TLS material, temp directories.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace communique::testing {

// A temporary directory removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

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

// Runs scripts/dev-certs.sh into `dir` (CA, server and client certs).
absl::Status MakeDevCerts(const std::string& dir);

// Reads a whole file.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

}  // namespace communique::testing
