// `silt` against a silt-aggregator whose HTTP API requires mutual TLS (`http.tls`, client_auth
// required), with certificates made by the `openssl` command line: --ca-cert/--cert/--key (and
// their SILT_* variables) for a query and for the WebSocket tail, and the one-line errors when the
// CA or the client certificate is missing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/agent/agent_harness.h"
#include "tests/integration/aggregator/aggregator_process.h"
#include "tests/integration/cli/silt_runner.h"
#include "tests/support/test_certs.h"

namespace silt::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class CliTlsTest : public AggregatorProcessTest {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts();
    Status generated = certs_->Generate();
    ASSERT_TRUE(generated.ok()) << generated;
  }
  static void TearDownTestSuite() {
    delete certs_;
    certs_ = nullptr;
  }

  void SetUp() override {
    AggregatorProcessTest::SetUp();
    std::ofstream(dir_.Path("aggregator.yaml"))
        << "data_dir: " << dir_.Path("data") << "\n"
        << "http:\n  listen: 127.0.0.1:0\n  tls:\n    cert_file: " << certs_->server_cert()
        << "\n    key_file: " << certs_->server_key() << "\n    client_ca_file: " << certs_->ca()
        << "\n    client_auth: required\n"
        << "agent_listener:\n  listen: 127.0.0.1:0\n"
        << "syslog:\n"
        << kSyslogOnFreePorts;
    ASSERT_NE(StartServer(), 0);
    const int port = HttpPort();
    ASSERT_NE(port, 0) << ServerLog();
    addr_ = "https://127.0.0.1:" + std::to_string(port);
  }

  // Pushes `line` to {job="tls"} with curl over mutual TLS; expects 204.
  void Push(const std::string& line) {
    const std::string file = dir_.Path("push.json");
    std::ofstream(file) << R"({"streams":[{"stream":{"job":"tls"},"values":[[")" << NowNanos()
                        << R"(",")" << line << R"("]]}]})";
    std::string status;
    ASSERT_EQ(agent::testing::RunProgram(
                  {"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert",
                   certs_->ca(), "--cert", certs_->client_cert(), "--key", certs_->client_key(),
                   "-H", "Content-Type: application/json", "--data-binary", "@" + file,
                   addr_ + "/loki/api/v1/push"},
                  &status),
              0)
        << status;
    ASSERT_EQ(status, "204") << ServerLog();
  }

  // SILT_ADDR and the three TLS variables, as an operator's environment would hold them.
  std::map<std::string, std::string> TlsEnv() const {
    return {{"SILT_ADDR", addr_},
            {"SILT_CA_CERT", certs_->ca()},
            {"SILT_CERT", certs_->client_cert()},
            {"SILT_KEY", certs_->client_key()}};
  }

  static TestCerts* certs_;
  std::string addr_;
};

TestCerts* CliTlsTest::certs_ = nullptr;

TEST_F(CliTlsTest, QueryWithFlagsAndWithEnvironmentReadsTheLine) {
  Push("over mutual tls");
  SiltRun flags =
      RunSilt(dir_.path(),
              {"query", "{job=\"tls\"}", "--since", "1h", "-o", "raw", "--addr", addr_, "--ca-cert",
               certs_->ca(), "--cert", certs_->client_cert(), "--key", certs_->client_key()},
              {});
  EXPECT_EQ(flags.exit_code, 0) << flags.err;
  EXPECT_EQ(flags.out, "over mutual tls\n");
  SiltRun env =
      RunSilt(dir_.path(), {"query", "{job=\"tls\"}", "--since", "1h", "-o", "raw"}, TlsEnv());
  EXPECT_EQ(env.exit_code, 0) << env.err;
  EXPECT_EQ(env.out, "over mutual tls\n");
}

TEST_F(CliTlsTest, TailOverTlsReceivesALinePushedAfterItConnected) {
  Push("before the tail");
  SiltProcess tail;
  const std::string out = dir_.Path("tail.out");
  const std::string err = dir_.Path("tail.err");
  ASSERT_TRUE(tail.Start({"tail", "{job=\"tls\"}", "-o", "raw"}, TlsEnv(), out, err));
  ASSERT_TRUE(agent::testing::WaitFor([&] { return Slurp(out) == "before the tail\n"; }))
      << Slurp(out) << Slurp(err);
  Push("after the tail");
  EXPECT_TRUE(agent::testing::WaitFor(
      [&] { return Slurp(out) == "before the tail\nafter the tail\n"; }, 2000))
      << Slurp(out) << Slurp(err);
  tail.Signal(SIGINT);
  EXPECT_EQ(tail.Wait(10000), 0) << Slurp(err);
}

TEST_F(CliTlsTest, UntrustedServerAndMissingClientCertificateAreReported) {
  // Without the CA the server's certificate is not trusted: unreachable, exit 3.
  SiltRun untrusted = RunSilt(dir_.path(), {"labels", "--addr", addr_}, {});
  EXPECT_EQ(untrusted.exit_code, 3);
  EXPECT_THAT(untrusted.err, StartsWith("silt: cannot reach " + addr_));
  EXPECT_THAT(untrusted.err, HasSubstr("--ca-cert"));
  // Trusted server, but no client certificate for a server that requires one: not a success.
  SiltRun anonymous =
      RunSilt(dir_.path(), {"labels", "--addr", addr_, "--ca-cert", certs_->ca()}, {});
  EXPECT_NE(anonymous.exit_code, 0);
  EXPECT_THAT(anonymous.err, StartsWith("silt: ")) << anonymous.err;
  EXPECT_EQ(anonymous.out, "");
}

}  // namespace
}  // namespace silt::testing
