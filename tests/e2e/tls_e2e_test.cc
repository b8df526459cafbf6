// Transport security of the real ingest binary: mTLS refuses clients
// without a trusted certificate, clients refuse an untrusted server, and a
// certificate rotated in place is served without a restart.

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "communique/v1/ingest_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"
#include "tests/testing/process.h"

namespace communique {
namespace {

using ::communique::testing::ChildProcess;
using ::communique::testing::TempDir;

std::string Read(const std::string& path) {
  auto content = testing::ReadFileToString(path);
  return content.ok() ? *content : "";
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(testing::MakeDevCerts(dir_.path() + "/a"));
    ASSERT_OK(testing::MakeDevCerts(dir_.path() + "/b"));
    // The server's files live apart so a rotation can replace them.
    std::filesystem::create_directories(dir_.path() + "/served");
    for (const char* f : {"server.pem", "server.key", "ca.pem"}) {
      std::filesystem::copy_file(dir_.path() + "/a/" + f,
                                 dir_.path() + "/served/" + f);
    }
    const std::string port_file = dir_.path() + "/port";
    auto child = ChildProcess::Start(
        {testing::BinaryDir() + "/ingest_service/communique-ingest",
         "--listen=127.0.0.1:0", "--port_file=" + port_file,
         "--data_dir=" + dir_.path() + "/data",
         "--tls_cert=" + dir_.path() + "/served/server.pem",
         "--tls_key=" + dir_.path() + "/served/server.key",
         "--tls_client_ca=" + dir_.path() + "/served/ca.pem",
         "--tls_refresh_seconds=1", "--drain_seconds=1", "--shutdown_delay_seconds=0"},
        dir_.path() + "/ingest.log");
    ASSERT_OK(child.status());
    process_ = std::make_unique<ChildProcess>(*std::move(child));
    auto port = testing::WaitForPortFile(port_file, absl::Seconds(20));
    ASSERT_OK(port.status());
    port_ = *port;
  }

  // ListArticles (a read) with the given trust root and client identity.
  grpc::StatusCode Call(const std::string& ca_dir,
                        const std::string& client_dir,
                        const std::string& client = "client") {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Read(ca_dir + "/ca.pem");
    if (!client_dir.empty()) {
      ssl.pem_cert_chain = Read(client_dir + "/" + client + ".pem");
      ssl.pem_private_key = Read(client_dir + "/" + client + ".key");
    }
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    // A fresh subchannel each time, so a rotated certificate is seen.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto stub = v1::IngestService::NewStub(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", port_), grpc::SslCredentials(ssl), args));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    v1::ListArticlesResponse response;
    return stub->ListArticles(&context, v1::ListArticlesRequest(), &response)
        .error_code();
  }

  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

TEST_F(TlsTest, MutualTlsNeedsATrustedClientCertificate) {
  const std::string a = dir_.path() + "/a";
  const std::string b = dir_.path() + "/b";
  EXPECT_EQ(Call(a, a), grpc::StatusCode::OK);
  EXPECT_EQ(Call(a, ""), grpc::StatusCode::UNAVAILABLE);   // no client cert
  EXPECT_EQ(Call(a, b), grpc::StatusCode::UNAVAILABLE);    // other CA's cert
  EXPECT_EQ(Call(b, a), grpc::StatusCode::UNAVAILABLE);    // untrusted server
  EXPECT_EQ(Call(a, a, "expired-client"), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, RotatedCertificatesAreServedWithoutARestart) {
  const std::string a = dir_.path() + "/a";
  const std::string b = dir_.path() + "/b";
  ASSERT_EQ(Call(a, a), grpc::StatusCode::OK);
  // Rotate everything to CA b, as a Secret update does (write, then rename).
  for (const char* f : {"server.pem", "server.key", "ca.pem"}) {
    const std::string tmp = dir_.path() + "/served/" + f + ".new";
    std::filesystem::copy_file(b + "/" + f, tmp);
    std::filesystem::rename(tmp, dir_.path() + "/served/" + f);
  }
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  for (int i = 0; i < 100 && code != grpc::StatusCode::OK; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    code = Call(b, b);
  }
  EXPECT_EQ(code, grpc::StatusCode::OK);
  EXPECT_EQ(Call(a, a), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace communique
