#include "shared/rpc/parse_errors.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "shared/rpc/status.h"

namespace communique::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

class ParseErrorInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit ParseErrorInterceptor(grpc::experimental::ServerRpcInfo* info)
      : info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsable_ = true;
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        unparsable_ &&
        methods->GetSendStatus().error_code() ==
            grpc::StatusCode::UNIMPLEMENTED) {
      methods->ModifySendStatus(ToGrpcStatus(absl::InvalidArgumentError(
          absl::StrCat("the request does not parse as the request message of ",
                       info_->method(),
                       " (a string field holding invalid UTF-8 is the usual "
                       "cause: string fields must be valid UTF-8)"))));
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  bool unparsable_ = false;
};

class Factory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    // Only unary and server-streaming calls parse their one request before
    // the handler; streams from the client report bad messages as failed
    // reads to their handlers.
    using Type = grpc::experimental::ServerRpcInfo::Type;
    if (info->type() != Type::UNARY && info->type() != Type::SERVER_STREAMING) {
      return nullptr;
    }
    return new ParseErrorInterceptor(info);
  }
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewParseErrorInterceptorFactory() {
  return std::make_unique<Factory>();
}

}  // namespace communique::rpc
