// The TLS negative matrix against the real silt-aggregator (TLS 1.3 only, client certificates
// required) and the real silt-agent: one named test per failure. Bad clients are the real
// `openssl s_client` and a plaintext TCP client; each is rejected with its reason in the
// aggregator's log, and the good agent keeps shipping through it (its lines are stored once).
// Failures the agent detects (server certificate expired or signed by an unknown CA, wrong host
// name) are logged by the agent, which stores nothing until the setup is fixed, then everything.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/integration/agent/agent_harness.h"
#include "tests/integration/system/system_harness.h"

namespace silt::testing {
namespace {

// Runs `openssl s_client` against the aggregator with `args`, stdin empty; returns its output.
std::string SClient(const SystemHarness& harness, const std::string& args) {
  std::string output;
  agent::testing::RunProgram(
      {"/bin/sh", "-c",
       "exec /usr/bin/openssl s_client -connect 127.0.0.1:" +
           std::to_string(harness.agent_port()) + " -servername localhost " + args +
           " </dev/null"},
      &output);
  return output;
}

// Connects over plain TCP, sends `text`, and waits for the server to close.
void PlaintextClient(int port, const std::string& text) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  char buffer[256];
  while (::read(fd, buffer, sizeof(buffer)) > 0) {
  }
  ::close(fd);
}

// Starts both sides with the good setup and writes a first line (checked at the end with the
// rest).
// The bad client must meet a listening aggregator, hence the wait.
void StartServing(SystemHarness& harness) {
  harness.StartAggregator();
  ASSERT_TRUE(harness.WaitUntilServing()) << harness.LogTails();
  harness.StartAgent();
  harness.WriteLine("app.log", "before the bad client");
}

// The bad client was turned away with `reason`, and the agent's next line is stored too.
void ExpectRejectedAndStillServing(SystemHarness& harness, const std::string& reason) {
  EXPECT_TRUE(harness.WaitForLog("aggregator", "reason=" + reason)) << harness.LogTails();
  harness.WriteLine("app.log", "after the bad client");
  EXPECT_TRUE(harness.EveryLineStoredOnce(60000));
}

TEST(TlsMatrixTest, ExpiredClientCertificateIsRejected) {
  SystemHarness harness;
  StartServing(harness);
  SClient(harness, "-CAfile " + harness.certs().ca() + " -cert " +
                       harness.certs().expired_client_cert() + " -key " +
                       harness.certs().client_key());
  ExpectRejectedAndStillServing(harness, "certificate_expired");
}

TEST(TlsMatrixTest, ClientCertificateFromAnotherCaIsRejected) {
  SystemHarness harness;
  StartServing(harness);
  SClient(harness, "-CAfile " + harness.certs().ca() + " -cert " +
                       harness.certs().other_client_cert() + " -key " +
                       harness.certs().other_client_key());
  ExpectRejectedAndStillServing(harness, "unknown_ca");
}

TEST(TlsMatrixTest, MissingClientCertificateIsRejectedWhenRequired) {
  SystemHarness harness;
  StartServing(harness);
  SClient(harness, "-CAfile " + harness.certs().ca());
  ExpectRejectedAndStillServing(harness, "no_client_certificate");
}

TEST(TlsMatrixTest, Tls12ClientIsRejectedByATls13OnlyPort) {
  SystemHarness harness;
  StartServing(harness);
  const std::string output =
      SClient(harness, "-tls1_2 -CAfile " + harness.certs().ca() + " -cert " +
                           harness.certs().client_cert() + " -key " + harness.certs().client_key());
  // s_client names the protocol it tried even when refused; the alert is what says it failed.
  EXPECT_NE(output.find("alert protocol version"), std::string::npos) << output;
  EXPECT_NE(output.find("no peer certificate available"), std::string::npos) << output;
  ExpectRejectedAndStillServing(harness, "protocol_version");
}

TEST(TlsMatrixTest, PlaintextClientIsRejected) {
  SystemHarness harness;
  StartServing(harness);
  PlaintextClient(harness.agent_port(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  ExpectRejectedAndStillServing(harness, "plaintext_client");
}

// The agent refuses a server that fails verification, stores nothing meanwhile, and delivers
// everything exactly once after the operator fixes the setup.
void ExpectAgentRefusesThenRecovers(SystemHarness& harness, const TlsSetup& bad,
                                    const std::string& agent_says) {
  harness.SetTls(bad);
  harness.StartAggregator();
  harness.StartAgent();
  harness.WriteLine("app.log", "written while the setup is wrong");
  EXPECT_TRUE(harness.WaitForLog("agent", agent_says)) << harness.LogTails();
  EXPECT_EQ(harness.StopAgent(), 0) << harness.LogTails();
  EXPECT_EQ(harness.StopAggregator(), 0) << harness.LogTails();
  harness.SetTls(TlsSetup{});
  harness.StartAggregator();
  harness.StartAgent();
  harness.WriteLine("app.log", "written after the fix");
  EXPECT_TRUE(harness.EveryLineStoredOnce(60000));
}

TEST(TlsMatrixTest, ExpiredServerCertificateIsRejectedByTheAgent) {
  SystemHarness harness;
  TlsSetup bad;
  bad.server_cert = harness.certs().expired_server_cert();
  ExpectAgentRefusesThenRecovers(harness, bad, "expired");
}

TEST(TlsMatrixTest, ServerCertificateFromAnUnknownCaIsRejectedByTheAgent) {
  SystemHarness harness;
  TlsSetup bad;
  bad.agent_ca = harness.certs().other_ca();
  ExpectAgentRefusesThenRecovers(harness, bad, "unknown CA");
}

TEST(TlsMatrixTest, WrongHostnameIsRejectedByTheAgent) {
  SystemHarness harness;
  TlsSetup bad;
  bad.agent_server_name = "wrong.example";
  ExpectAgentRefusesThenRecovers(harness, bad, "hostname");
}

}  // namespace
}  // namespace silt::testing
