// ThreadSanitizer canary (build-tsan only): two threads update one
// std::map in our namespace, one under an absl::Mutex and one without any
// lock: a data race in our code, of the kind TSan is there to find
// (containers shared between threads, a lock taken on one side only).
//
// scripts/test.sh runs it in the TSan step with the same TSAN_OPTIONS,
// suppressions and absl shim as the concurrency tests and fails the step
// unless TSan reports this race. That proves the step can fail: it catches
// a build without TSan, a missing runtime, a shim that makes every lock
// look like a barrier, or a suppression broad enough to hide our races
// (anything matching std::map, std::thread, absl::Mutex or communique::).
#include <map>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace communique::tsan_canary {

absl::Mutex mu;
std::map<int, std::string> shared_map;

void LockedWriter() {
  for (int i = 0; i < 1000; ++i) {
    absl::MutexLock lock(&mu);
    shared_map[i % 8] += 'a';
  }
}

void UnlockedWriter() {  // the bug: no lock
  for (int i = 0; i < 1000; ++i) shared_map[i % 8] += 'b';
}

}  // namespace communique::tsan_canary

int main() {
  std::thread locked(communique::tsan_canary::LockedWriter);
  std::thread unlocked(communique::tsan_canary::UnlockedWriter);
  locked.join();
  unlocked.join();
  return 0;
}
