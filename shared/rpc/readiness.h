// Readiness tied to a dependency: a thread that polls a check and marks the
// server SERVING while it passes and NOT_SERVING while it fails (e.g. the
// ingest store cannot write because the disk is full), logging each
// transition.
#pragma once

#include <functional>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "shared/rpc/server.h"

namespace communique::rpc {

class ReadinessMonitor {
 public:
  // Starts polling `check` every `interval` (first at once) and sets
  // `server`'s readiness from it; `server` must outlive the monitor.
  // `check` may also repair (e.g. resume the store); it runs on the
  // monitor's thread only.
  ReadinessMonitor(RunningServer* server,
                   std::function<absl::Status()> check,
                   absl::Duration interval);
  // Stops (see Stop).
  ~ReadinessMonitor();

  // Stops polling and leaves readiness as it is; call before DrainAndStop
  // so the monitor cannot mark a draining server SERVING. Idempotent.
  void Stop();

 private:
  void Run(RunningServer* server, std::function<absl::Status()> check,
           absl::Duration interval);

  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace communique::rpc
