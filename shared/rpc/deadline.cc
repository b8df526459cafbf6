#include "shared/rpc/deadline.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpc/grpc.h"
#include "grpcpp/server_context.h"

namespace communique::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Cancels registered calls when their deadline passes. One per process,
// never destroyed (calls may still be registered at exit).
class Enforcer {
 public:
  static Enforcer& Get() {
    static Enforcer* enforcer = new Enforcer();
    return *enforcer;
  }

  // Cancels `call` with DEADLINE_EXCEEDED at `deadline` unless Remove(id)
  // comes first. Holds a reference to the call meanwhile.
  uint64_t Add(grpc_call* call, absl::Time deadline, std::string message) {
    grpc_call_ref(call);
    absl::MutexLock lock(&mu_);
    const uint64_t id = ++next_id_;
    by_deadline_.emplace(std::make_pair(deadline, id),
                         Entry{call, std::move(message)});
    ids_.emplace(id, deadline);
    return id;
  }

  void Remove(uint64_t id) {
    grpc_call* call = nullptr;
    {
      absl::MutexLock lock(&mu_);
      auto it = ids_.find(id);
      if (it == ids_.end()) return;
      auto entry = by_deadline_.find({it->second, id});
      call = entry->second.call;
      by_deadline_.erase(entry);
      ids_.erase(it);
    }
    // Outside the lock: the last reference may destroy the call.
    grpc_call_unref(call);
  }

 private:
  struct Entry {
    grpc_call* call;
    std::string message;
  };

  Enforcer() : thread_([this] { Run(); }) { thread_.detach(); }

  void Run() {
    while (true) {
      std::vector<Entry> expired;
      {
        absl::MutexLock lock(&mu_);
        const absl::Time next = by_deadline_.empty()
                                    ? absl::Now() + absl::Seconds(1)
                                    : by_deadline_.begin()->first.first;
        seen_id_ = next_id_;
        mu_.AwaitWithDeadline(absl::Condition(&Added, this), next);
        const absl::Time now = absl::Now();
        while (!by_deadline_.empty() &&
               by_deadline_.begin()->first.first <= now) {
          auto it = by_deadline_.begin();
          ids_.erase(it->first.second);
          expired.push_back(std::move(it->second));
          by_deadline_.erase(it);
        }
      }
      for (Entry& entry : expired) {
        grpc_call_cancel_with_status(entry.call, GRPC_STATUS_DEADLINE_EXCEEDED,
                                     entry.message.c_str(), nullptr);
        grpc_call_unref(entry.call);
      }
    }
  }

  // Whether a call was added since the timer thread last looked (its
  // deadline may be the earliest now).
  static bool Added(Enforcer* e) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return e->next_id_ != e->seen_id_;
  }

  absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t seen_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::pair<absl::Time, uint64_t>, Entry> by_deadline_
      ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, absl::Time> ids_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

class DeadlineInterceptor final : public grpc::experimental::Interceptor {
 public:
  DeadlineInterceptor(grpc::experimental::ServerRpcInfo* info,
                      const DeadlinePolicy& policy)
      : info_(info), policy_(policy) {}

  ~DeadlineInterceptor() override {
    if (id_ != 0) Enforcer::Get().Remove(id_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Register();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        id_ != 0) {
      Enforcer::Get().Remove(id_);
      id_ = 0;
    }
    methods->Proceed();
  }

 private:
  void Register() {
    grpc::ServerContextBase* context = info_->server_context();
    if (context == nullptr || context->c_call() == nullptr) return;
    const absl::Time now = absl::Now();
    const auto client = context->deadline();
    absl::Time effective;
    std::string message;
    if (client == std::chrono::system_clock::time_point::max()) {
      if (policy_.default_deadline <= absl::ZeroDuration()) return;
      effective = now + policy_.default_deadline;
      message = absl::StrCat(
          "deadline exceeded: the call set no deadline and took longer than "
          "the server's default of ",
          absl::FormatDuration(policy_.default_deadline),
          " (--default_deadline_ms)");
    } else {
      if (policy_.max_deadline <= absl::ZeroDuration()) return;
      if (absl::FromChrono(client) <= now + policy_.max_deadline) return;
      effective = now + policy_.max_deadline;
      message = absl::StrCat(
          "deadline exceeded: the call's deadline was capped at the server's "
          "maximum of ",
          absl::FormatDuration(policy_.max_deadline), " (--max_deadline_ms)");
    }
    id_ = Enforcer::Get().Add(context->c_call(), effective, std::move(message));
  }

  grpc::experimental::ServerRpcInfo* info_;
  const DeadlinePolicy policy_;
  uint64_t id_ = 0;
};

class Factory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(const DeadlinePolicy& policy) : policy_(policy) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (info->type() != grpc::experimental::ServerRpcInfo::Type::UNARY) {
      return nullptr;
    }
    return new DeadlineInterceptor(info, policy_);
  }

 private:
  const DeadlinePolicy policy_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewDeadlineInterceptorFactory(const DeadlinePolicy& policy) {
  return std::make_unique<Factory>(policy);
}

}  // namespace communique::rpc
