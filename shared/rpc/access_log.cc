#include "shared/rpc/access_log.h"

#include <chrono>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shared/rpc/log.h"
#include "shared/rpc/status.h"

namespace communique::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

std::string RandomHex(int digits) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::string out;
  while (static_cast<int>(out.size()) < digits) {
    absl::StrAppend(&out, absl::Hex(rng(), absl::kZeroPad16));
  }
  out.resize(digits);
  return out;
}

bool IsLowerHex(absl::string_view s, size_t n) {
  if (s.size() != n) return false;
  bool nonzero = false;
  for (char c : s) {
    if (!(absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'))) return false;
    nonzero |= c != '0';
  }
  return nonzero;
}

class AccessLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  AccessLogInterceptor(grpc::experimental::ServerRpcInfo* info, double slow)
      : info_(info), slow_(slow), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      absl::string_view header;
      if (auto* metadata = methods->GetRecvInitialMetadata()) {
        auto it = metadata->find("traceparent");
        if (it != metadata->end()) {
          header = absl::string_view(it->second.data(), it->second.size());
        }
      }
      trace_ = ContinueTrace(header);
      // Streams may stay open for hours: say when one starts, so its trace
      // can be followed before the completion line.
      if (info_->type() !=
              grpc::experimental::ServerRpcInfo::Type::UNARY &&
          slow_ <= 0) {
        Log("info", "stream started",
            {{"trace_id", trace_.trace_id},
             {"span_id", trace_.span_id},
             {"parent_span_id", trace_.parent_span_id},
             {"rpc.method", info_->method()},
             {"peer", info_->server_context()->peer()}});
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (trace_.trace_id.empty()) trace_ = ContinueTrace("");
      methods->GetSendInitialMetadata()->emplace("traceparent", trace_.Header());
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start_)
                                 .count();
      if (slow_ <= 0 || seconds >= slow_ || !status.ok()) {
        if (trace_.trace_id.empty()) trace_ = ContinueTrace("");
        Log(status.ok() ? "info" : "warning", "rpc",
            {{"trace_id", trace_.trace_id},
             {"span_id", trace_.span_id},
             {"rpc.method", info_->method()},
             {"grpc.code", GrpcCodeName(status.error_code())},
             {"duration_s", absl::StrFormat("%.6f", seconds)},
             {"peer", info_->server_context()->peer()}});
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  const double slow_;
  const std::chrono::steady_clock::time_point start_;
  TraceContext trace_;
};

class Factory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(double slow) : slow_(slow) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new AccessLogInterceptor(info, slow_);
  }

 private:
  const double slow_;
};

}  // namespace

std::string TraceContext::Header() const {
  return absl::StrCat("00-", trace_id, "-", span_id, "-01");
}

TraceContext ContinueTrace(absl::string_view traceparent) {
  TraceContext trace;
  // version "00" - trace-id - parent-id - flags
  if (traceparent.size() == 55 && traceparent.substr(0, 3) == "00-" &&
      traceparent[35] == '-' && traceparent[52] == '-' &&
      IsLowerHex(traceparent.substr(3, 32), 32) &&
      IsLowerHex(traceparent.substr(36, 16), 16)) {
    trace.trace_id = std::string(traceparent.substr(3, 32));
    trace.parent_span_id = std::string(traceparent.substr(36, 16));
  } else {
    trace.trace_id = RandomHex(32);
  }
  trace.span_id = RandomHex(16);
  return trace;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewAccessLogInterceptorFactory(double slow_only_seconds) {
  return std::make_unique<Factory>(slow_only_seconds);
}

}  // namespace communique::rpc
