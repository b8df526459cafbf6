// TSan builds only (build-tsan, scripts/test.sh): makes absl::Mutex and
// absl::CondVar from Debian's uninstrumented libabsl_synchronization
// visible to ThreadSanitizer.
//
// Debian's Abseil is not built with -fsanitize=thread, so its Mutex (a
// futex-based lock, not pthread) carries no TSan annotations: every access
// our code (and gRPC's) protects with an absl::Mutex is reported as a data
// race, thousands of false positives. This library is LD_PRELOADed by
// scripts/test.sh into every process of the TSan run. It interposes the
// out-of-line Mutex, CondVar and Notification entry points, calls the real ones (found
// with dlsym(RTLD_NEXT)) and tells TSan about each lock, unlock and wait
// with the same __tsan_mutex_* annotations Abseil itself emits when it is
// built with TSan. Accesses made inside the real functions (condition
// callbacks evaluated by another thread while it releases the lock) are
// ignored, as in Abseil's own annotations.
//
// It is not instrumented itself, and the __tsan_* symbols are weak, so a
// process without TSan (bash, openssl, python in the tests) that inherits
// the LD_PRELOAD just calls the real functions.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/base/options.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

extern "C" {
void __tsan_mutex_destroy(void* addr, unsigned flags) __attribute__((weak));
void __tsan_mutex_pre_lock(void* addr, unsigned flags) __attribute__((weak));
void __tsan_mutex_post_lock(void* addr, unsigned flags, int recursion)
    __attribute__((weak));
int __tsan_mutex_pre_unlock(void* addr, unsigned flags) __attribute__((weak));
void __tsan_mutex_post_unlock(void* addr, unsigned flags)
    __attribute__((weak));
void __tsan_acquire(void* addr) __attribute__((weak));
void __tsan_release(void* addr) __attribute__((weak));
// Exported by the TSan runtime (unlike __tsan_ignore_thread_begin): both
// start (end) ignoring this thread's memory accesses.
void AnnotateIgnoreReadsBegin(const char* file, int line) __attribute__((weak));
void AnnotateIgnoreReadsEnd(const char* file, int line) __attribute__((weak));
void AnnotateIgnoreWritesBegin(const char* file, int line)
    __attribute__((weak));
void AnnotateIgnoreWritesEnd(const char* file, int line) __attribute__((weak));
}

namespace {

// Flags of tsan_interface.h.
constexpr unsigned kReadLock = 1 << 3;
constexpr unsigned kTryLock = 1 << 4;
constexpr unsigned kTryLockFailed = 1 << 5;

// Non-zero while this thread runs a real Notification function: the
// Mutex calls it makes on its own internal mutex (some through these
// interposers, some bound inside Abseil and invisible) are not annotated,
// or TSan would see half of them and report double locks and destroys of
// locked mutexes. The Notification functions carry their own annotation.
thread_local int in_notification = 0;
struct InNotification {
  InNotification() { ++in_notification; }
  ~InNotification() { --in_notification; }
};

bool Tsan() {
  return __tsan_mutex_pre_lock != nullptr &&
         AnnotateIgnoreReadsBegin != nullptr && in_notification == 0;
}

#define COMMUNIQUE_STR2(x) #x
#define COMMUNIQUE_STR(x) COMMUNIQUE_STR2(x)

// The real function of `member` ("5Mutex4LockEv") in Abseil's inline
// namespace, e.g. _ZN4absl7debian35Mutex4LockEv (_ZNK... for a const
// member function).
template <typename Fn>
Fn Real(const char* member, bool is_const = false) {
  const std::string ns = COMMUNIQUE_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  const std::string name = std::string(is_const ? "_ZNK4absl" : "_ZN4absl") +
                           std::to_string(ns.size()) + ns + member;
  void* fn = dlsym(RTLD_NEXT, name.c_str());
  if (fn == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: %s not found\n", name.c_str());
    std::abort();
  }
  return reinterpret_cast<Fn>(fn);
}

// The mode in which this thread holds each absl::Mutex (Await and
// CondVar::Wait release and re-acquire in that mode). Few are held at
// once, so a small array.
struct Held {
  const void* mu;
  bool reader;
};
thread_local Held held[64];
thread_local int held_count = 0;

void Push(const void* mu, bool reader) {
  if (held_count < 64) held[held_count++] = {mu, reader};
}
void Pop(const void* mu) {
  for (int i = held_count - 1; i >= 0; --i) {
    if (held[i].mu == mu) {
      held[i] = held[--held_count];
      return;
    }
  }
}
// kReadLock or 0 for a mutex this thread holds through the functions
// below; -1 if it does not (taken through a path not interposed, e.g. a
// library bound to its own symbols).
int ModeOf(const void* mu) {
  for (int i = held_count - 1; i >= 0; --i) {
    if (held[i].mu == mu) return held[i].reader ? kReadLock : 0;
  }
  return -1;
}

// TSan's lock, unlock and destroy annotations also check the mutex word
// itself, as a read (lock, unlock) or write (destroy) racing with the
// mutex's construction or destruction. Those checks are skipped (the
// synchronisation is kept): gRPC keeps absl::Mutexes inside objects it
// creates on one thread and hands to another with atomics in its
// uninstrumented libraries, so every first lock there looked like a race.
// Races on the data a mutex guards are still reported.
struct IgnoreAccesses {
  IgnoreAccesses() {
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
  }
  ~IgnoreAccesses() {
    AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
  }
};

void PreLock(void* mu, unsigned flags) {
  if (Tsan()) __tsan_mutex_pre_lock(mu, flags);
}
void PostLock(void* mu, unsigned flags) {
  if (Tsan()) {
    IgnoreAccesses ignore;
    __tsan_mutex_post_lock(mu, flags, 0);
  }
  if (Tsan() && !(flags & kTryLockFailed)) Push(mu, flags & kReadLock);
}
void PreUnlock(void* mu, unsigned flags) {
  if (Tsan()) Pop(mu);
  if (Tsan()) {
    IgnoreAccesses ignore;
    __tsan_mutex_pre_unlock(mu, flags);
  }
}
void PostUnlock(void* mu, unsigned flags) {
  if (Tsan()) __tsan_mutex_post_unlock(mu, flags);
}

// Runs `wait`, which releases `mu` (held in its current mode) and holds it
// again on return. TSan sees the release before the wait and the acquire
// after it; the wait itself runs between pre- and post-unlock, where TSan
// ignores this thread's accesses: Await and LockWhen evaluate the caller's
// Condition (our instrumented code, reading state `mu` guards) inside the
// real function, with `mu` really held but not held as far as TSan knows.
template <typename Wait>
auto ReleasedWhile(void* mu, Wait wait) {
  const int held_mode = ModeOf(mu);
  if (held_mode < 0) return wait();  // TSan never saw it locked
  const unsigned mode = static_cast<unsigned>(held_mode);
  PreUnlock(mu, mode);
  auto result = wait();
  PostUnlock(mu, mode);
  PreLock(mu, mode);
  PostLock(mu, mode);
  return result;
}

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

using Cond = const Condition&;

Mutex::~Mutex() {
  static auto real = Real<void (*)(Mutex*)>("5MutexD2Ev");
  if (Tsan()) {
    IgnoreAccesses ignore;
    __tsan_mutex_destroy(this, 0);
  }
  real(this);
}

void Mutex::Lock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex4LockEv");
  PreLock(this, 0);
  real(this);
  PostLock(this, 0);
}

void Mutex::ReaderLock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex10ReaderLockEv");
  PreLock(this, kReadLock);
  real(this);
  PostLock(this, kReadLock);
}

bool Mutex::TryLock() {
  static auto real = Real<bool (*)(Mutex*)>("5Mutex7TryLockEv");
  PreLock(this, kTryLock);
  const bool locked = real(this);
  PostLock(this, kTryLock | (locked ? 0 : kTryLockFailed));
  return locked;
}

bool Mutex::ReaderTryLock() {
  static auto real = Real<bool (*)(Mutex*)>("5Mutex13ReaderTryLockEv");
  PreLock(this, kReadLock | kTryLock);
  const bool locked = real(this);
  PostLock(this, kReadLock | kTryLock | (locked ? 0 : kTryLockFailed));
  return locked;
}

void Mutex::Unlock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex6UnlockEv");
  PreUnlock(this, 0);
  real(this);
  PostUnlock(this, 0);
}

void Mutex::ReaderUnlock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex12ReaderUnlockEv");
  PreUnlock(this, kReadLock);
  real(this);
  PostUnlock(this, kReadLock);
}

void Mutex::LockWhen(Cond cond) {
  static auto real =
      Real<void (*)(Mutex*, Cond)>("5Mutex8LockWhenERKNS0_9ConditionE");
  PreLock(this, 0);
  real(this, cond);
  PostLock(this, 0);
}

void Mutex::ReaderLockWhen(Cond cond) {
  static auto real = Real<void (*)(Mutex*, Cond)>(
      "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  PreLock(this, kReadLock);
  real(this, cond);
  PostLock(this, kReadLock);
}

bool Mutex::LockWhenWithTimeout(Cond cond, Duration timeout) {
  static auto real = Real<bool (*)(Mutex*, Cond, Duration)>(
      "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  PreLock(this, 0);
  const bool met = real(this, cond, timeout);
  PostLock(this, 0);
  return met;
}

bool Mutex::LockWhenWithDeadline(Cond cond, Time deadline) {
  static auto real = Real<bool (*)(Mutex*, Cond, Time)>(
      "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  PreLock(this, 0);
  const bool met = real(this, cond, deadline);
  PostLock(this, 0);
  return met;
}

bool Mutex::ReaderLockWhenWithTimeout(Cond cond, Duration timeout) {
  static auto real = Real<bool (*)(Mutex*, Cond, Duration)>(
      "5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  PreLock(this, kReadLock);
  const bool met = real(this, cond, timeout);
  PostLock(this, kReadLock);
  return met;
}

bool Mutex::ReaderLockWhenWithDeadline(Cond cond, Time deadline) {
  static auto real = Real<bool (*)(Mutex*, Cond, Time)>(
      "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  PreLock(this, kReadLock);
  const bool met = real(this, cond, deadline);
  PostLock(this, kReadLock);
  return met;
}

void Mutex::Await(Cond cond) {
  static auto real =
      Real<void (*)(Mutex*, Cond)>("5Mutex5AwaitERKNS0_9ConditionE");
  ReleasedWhile(this, [&] {
    real(this, cond);
    return 0;
  });
}

bool Mutex::AwaitWithTimeout(Cond cond, Duration timeout) {
  static auto real = Real<bool (*)(Mutex*, Cond, Duration)>(
      "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return ReleasedWhile(this, [&] { return real(this, cond, timeout); });
}

bool Mutex::AwaitWithDeadline(Cond cond, Time deadline) {
  static auto real = Real<bool (*)(Mutex*, Cond, Time)>(
      "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return ReleasedWhile(this, [&] { return real(this, cond, deadline); });
}

void CondVar::Wait(Mutex* mu) {
  static auto real =
      Real<void (*)(CondVar*, Mutex*)>("7CondVar4WaitEPNS0_5MutexE");
  ReleasedWhile(mu, [&] {
    real(this, mu);
    return 0;
  });
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  static auto real = Real<bool (*)(CondVar*, Mutex*, Duration)>(
      "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  return ReleasedWhile(mu, [&] { return real(this, mu, timeout); });
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  static auto real = Real<bool (*)(CondVar*, Mutex*, Time)>(
      "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  return ReleasedWhile(mu, [&] { return real(this, mu, deadline); });
}

// Notification's fast path is an atomic flag in uninstrumented code: the
// notifier releases and every waiter that returns acquires.
void Notification::Notify() {
  static auto real = Real<void (*)(Notification*)>("12Notification6NotifyEv");
  if (Tsan()) __tsan_release(this);
  InNotification inside;
  real(this);
}

void Notification::WaitForNotification() const {
  static auto real = Real<void (*)(const Notification*)>(
      "12Notification19WaitForNotificationEv", /*is_const=*/true);
  {
    InNotification inside;
    real(this);
  }
  if (Tsan()) __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  static auto real = Real<bool (*)(const Notification*, Duration)>(
      "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE",
      /*is_const=*/true);
  const bool notified = [&] {
    InNotification inside;
    return real(this, timeout);
  }();
  if (notified && Tsan()) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  static auto real = Real<bool (*)(const Notification*, Time)>(
      "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE",
      /*is_const=*/true);
  const bool notified = [&] {
    InNotification inside;
    return real(this, deadline);
  }();
  if (notified && Tsan()) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
