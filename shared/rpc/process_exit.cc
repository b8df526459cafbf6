#include "shared/rpc/process_exit.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/time/clock.h"
#include "grpc/grpc.h"

namespace communique::rpc {
namespace {

void FlushOutput() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
}

// Whether a thread of this process is named `name` (/proc/self/task).
bool HasThreadNamed(const std::string& name) {
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) return false;
  bool found = false;
  while (dirent* entry = readdir(tasks)) {
    if (entry->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + entry->d_name +
                       "/comm");
    std::string thread_name;
    if (std::getline(comm, thread_name) && thread_name == name) {
      found = true;
      break;
    }
  }
  closedir(tasks);
  return found;
}

// Whether HoldGrpcForProcess took its reference (main's thread only).
bool held = false;

}  // namespace

void HoldGrpcForProcess() {
  if (held) return;
  grpc_init();
  held = true;
}

bool GrpcStopped() {
  // When the last reference goes on one of gRPC's own threads, the
  // library's clean-up runs on a detached thread named "grpc_shutdown"
  // (gRPC 1.51 src/core/lib/surface/init.cc); it joins every other gRPC
  // thread, then exits itself.
  return !grpc_is_initialized() && !HasThreadNamed("grpc_shutdown");
}

void ExitProcess(int code, absl::Duration timeout) {
  FlushOutput();
  if (!held) std::exit(code);  // gRPC was never started by main
  held = false;
  // Synchronous when ours is the last reference: every gRPC thread is
  // joined before it returns.
  grpc_shutdown_blocking();
  const absl::Time deadline = absl::Now() + timeout;
  while (!GrpcStopped()) {
    if (absl::Now() >= deadline) ExitNow(code);
    absl::SleepFor(absl::Milliseconds(1));
  }
  std::exit(code);
}

void ExitNow(int code) {
  FlushOutput();
  _exit(code);
}

}  // namespace communique::rpc
