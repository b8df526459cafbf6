#include "tests/testing/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace communique::testing {

absl::StatusOr<ChildProcess> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::string& log_path) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    // The child must not inherit a blocked signal mask from the test.
    sigset_t set;
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return ChildProcess(pid);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    pid_ = other.pid_;
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ChildProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

absl::StatusOr<int> ChildProcess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (pid_ > 0) {
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError("process did not exit in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::FailedPreconditionError("process not running");
}

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<int> WaitForPortFile(const std::string& path,
                                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    auto content = ReadFileToString(path);
    int port = 0;
    if (content.ok() &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(*content), &port) &&
        port > 0) {
      return port;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("no port in ", path));
}

std::string BinaryDir() {
  const char* dir = std::getenv("COMMUNIQUE_BINARY_DIR");
  return dir != nullptr ? dir : "build";
}

std::string SourceDir() {
  const char* dir = std::getenv("COMMUNIQUE_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

absl::Status MakeDevCerts(const std::string& dir) {
  std::string command = absl::StrCat("'", SourceDir(), "/scripts/dev-certs.sh' '",
                                     dir, "' 2");
  if (std::system(command.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("failed: ", command));
  }
  return absl::OkStatus();
}

Watchdog::Watchdog(absl::Duration budget, std::string what)
    : thread_([this, budget, what = std::move(what)] {
        if (done_.WaitForNotificationWithTimeout(budget)) return;
        std::fprintf(stderr, "watchdog: %s did not finish within %s; aborting\n",
                     what.c_str(), absl::FormatDuration(budget).c_str());
        std::fflush(stderr);
        std::abort();
      }) {}

Watchdog::~Watchdog() {
  done_.Notify();
  thread_.join();
}

}  // namespace communique::testing
