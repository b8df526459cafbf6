#include "shared/rpc/readiness.h"

#include <string>
#include <utility>

#include "shared/rpc/log.h"

namespace communique::rpc {

ReadinessMonitor::ReadinessMonitor(RunningServer* server,
                                   std::function<absl::Status()> check,
                                   absl::Duration interval)
    : thread_([this, server, check = std::move(check), interval] {
        Run(server, check, interval);
      }) {}

ReadinessMonitor::~ReadinessMonitor() { Stop(); }

void ReadinessMonitor::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void ReadinessMonitor::Run(RunningServer* server,
                           std::function<absl::Status()> check,
                           absl::Duration interval) {
  bool ready = true;  // the caller marked the server ready before starting us
  do {
    const absl::Status status = check();
    if (status.ok() != ready) {
      ready = status.ok();
      server->SetReady(ready);
      if (ready) {
        Log("info", "dependency recovered; readiness SERVING");
      } else {
        Log("error", "dependency failing; readiness NOT_SERVING",
            {{"error", status.ToString()}});
      }
    }
  } while (!stop_.WaitForNotificationWithTimeout(interval));
}

}  // namespace communique::rpc
