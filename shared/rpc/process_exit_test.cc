#include "shared/rpc/process_exit.h"

#include <chrono>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/grpc.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "shared/rpc/server.h"

namespace communique::rpc {
namespace {

// A server and a connected channel in this process, then both gone.
void ConnectOnce() {
  ServerConfig config;
  config.tls.insecure = true;
  config.listen_address = "127.0.0.1:0";
  absl::StatusOr<RunningServer> server = StartServer(config, {});
  ASSERT_TRUE(server.ok()) << server.status();
  {
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server->port),
                                       grpc::InsecureChannelCredentials());
    ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() +
                                          std::chrono::seconds(10)));
  }
  server->server->Shutdown(std::chrono::system_clock::now());
}

TEST(ProcessExitTest, GrpcStopsOnlyOnceTheHeldReferenceIsReleased) {
  HoldGrpcForProcess();
  ConnectOnce();
  // Everything is destroyed, but main's reference keeps gRPC up.
  EXPECT_FALSE(GrpcStopped());
  grpc_shutdown_blocking();  // what ExitProcess does with it
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!GrpcStopped() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_TRUE(GrpcStopped());
}

TEST(ProcessExitDeathTest, ExitProcessKeepsTheCodeAndTheOutput) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        HoldGrpcForProcess();
        ConnectOnce();
        std::fprintf(stderr, "written before exit");
        ExitProcess(3);
      },
      ::testing::ExitedWithCode(3), "written before exit");
  EXPECT_EXIT({ ExitNow(4); }, ::testing::ExitedWithCode(4), "");
}

}  // namespace
}  // namespace communique::rpc
