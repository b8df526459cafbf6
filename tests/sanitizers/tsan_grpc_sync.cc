// TSan builds only (build-tsan, scripts/test.sh; part of the LD_PRELOAD
// library with tsan_absl_sync.cc): tells ThreadSanitizer that gRPC orders
// the start of an operation batch on a call before its completion.
//
// Debian's libgrpc is not instrumented. It hands a started batch to the
// thread that completes it through its call combiner, completion queues
// and executors, all built on atomics TSan cannot see. So state that our
// callback-API reactors carry from one callback to the next (a response
// filled in OnReadDone and cleared in OnWriteDone, which gRPC runs on
// another thread only after the write finished) looked like a race.
//
// Every batch of grpc++ (client or server, sync or callback API) goes
// through grpc_call_start_batch, with a reference on the call taken before
// it (grpc_call_ref); when the batch completes, grpc++'s
// CallOpSet::FinalizeResult drops that reference (grpc_call_unref) before
// it runs the callback or returns the tag. Those are exported C functions
// of libgrpc called through the PLT, so this library interposes them:
// start_batch releases on the call, unref acquires on it. That is the
// order gRPC guarantees; it adds no order between two threads that both
// only start batches, nor between reactors of different calls, so races
// among our own threads (a reactor against the store, a watch hub, a
// second reactor) are still seen.
//
// Not instrumented itself; in processes without TSan (bash, openssl,
// python in the tests) the __tsan_* symbols are null and it only forwards.
#include <dlfcn.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>

extern "C" {
void __tsan_acquire(void* addr) __attribute__((weak));
void __tsan_release(void* addr) __attribute__((weak));
}

namespace {

template <typename Fn>
Fn RealGrpc(const char* name) {
  void* fn = dlsym(RTLD_NEXT, name);
  if (fn == nullptr) {
    std::fprintf(stderr, "tsan_grpc_sync: %s not found\n", name);
    std::abort();
  }
  return reinterpret_cast<Fn>(fn);
}

}  // namespace

// Signatures of grpc/grpc.h, with the opaque types as void* (grpc_op is
// only passed through; grpc_call_error is an int-sized enum).
extern "C" int grpc_call_start_batch(void* call, const void* ops, size_t nops,
                                     void* tag, void* reserved) {
  static auto real =
      RealGrpc<int (*)(void*, const void*, size_t, void*, void*)>(
          "grpc_call_start_batch");
  if (__tsan_release != nullptr) __tsan_release(call);
  return real(call, ops, nops, tag, reserved);
}

extern "C" void grpc_call_unref(void* call) {
  static auto real = RealGrpc<void (*)(void*)>("grpc_call_unref");
  if (__tsan_acquire != nullptr) __tsan_acquire(call);
  real(call);
}
