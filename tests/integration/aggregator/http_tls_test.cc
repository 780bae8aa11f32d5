// The HTTP API of the real silt-aggregator binary with `http.tls` on (docs/tls.md, "The HTTP
// port"): certificates made by the `openssl` command line, the real `curl --cacert` pushing and
// querying (204, then the line read back), keep-alive across two URLs of one curl run, mutual TLS
// with `--cert/--key`, a plaintext client refused, a WebSocket tail over TLS, and SIGHUP loading a
// new certificate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/agent/agent_harness.h"
#include "tests/integration/aggregator/aggregator_process.h"
#include "tests/support/test_certs.h"
#include "tests/support/websocket_client.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt {
namespace {

using ::silt::http::testing::RunCurl;
using ::silt::testing::TestCerts;
using ::testing::HasSubstr;

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class HttpTlsTest : public silt::testing::AggregatorProcessTest {
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

  // Starts the binary with `tls_keys` (lines under http.tls:) after copying the server
  // certificate and key into the test dir (so SIGHUP tests can replace them).
  void StartWithTls(const std::string& tls_keys = "") {
    cert_ = dir_.Path("http.pem");
    key_ = dir_.Path("http.key");
    std::filesystem::copy_file(certs_->server_cert(), cert_);
    std::filesystem::copy_file(certs_->server_key(), key_);
    std::ofstream(dir_.Path("aggregator.yaml"))
        << "data_dir: " << dir_.Path("data") << "\n"
        << "http:\n  listen: 127.0.0.1:0\n  tls:\n    cert_file: " << cert_
        << "\n    key_file: " << key_ << "\n"
        << tls_keys << "agent_listener:\n  listen: 127.0.0.1:0\n"
        << "syslog:\n"
        << silt::testing::kSyslogOnFreePorts;
    ASSERT_NE(StartServer(), 0);
    http_port_ = HttpPort();
    ASSERT_NE(http_port_, 0) << ServerLog();
  }

  std::string Url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(http_port_) + path;
  }

  // Runs curl trusting the test CA; returns its output (stdout and stderr), *rc its exit code.
  std::string Curl(std::vector<std::string> args, int* rc, const std::string& ca = "") {
    args.insert(args.begin(), {"--cacert", ca.empty() ? certs_->ca() : ca});
    return RunCurl(args, rc);
  }

  // Pushes `line` to {job=`job`}; returns the HTTP status curl saw (0 when it failed).
  int Push(const std::string& job, const std::string& line, std::vector<std::string> extra = {}) {
    const std::string file = dir_.Path("push-" + job + ".json");
    std::ofstream(file) << "{\"streams\":[{\"stream\":{\"job\":\"" << job << "\"},\"values\":[[\""
                        << NowNanos() << "\",\"" << line << "\"]]}]}";
    std::vector<std::string> args = {"-o",
                                     "/dev/null",
                                     "-w",
                                     "%{http_code}",
                                     "-H",
                                     "Content-Type: application/json",
                                     "--data-binary",
                                     "@" + file};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(Url("/loki/api/v1/push"));
    int rc = 0;
    const std::string out = Curl(args, &rc);
    EXPECT_EQ(rc, 0) << out;
    return std::atoi(out.c_str());
  }

  std::string QueryRange(const std::string& selector, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"-G", "--data-urlencode", "query=" + selector,
                                     "--data-urlencode", "since=1h"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(Url("/loki/api/v1/query_range"));
    int rc = 0;
    const std::string out = Curl(args, &rc);
    EXPECT_EQ(rc, 0) << out;
    return out;
  }

  static TestCerts* certs_;
  std::string cert_;
  std::string key_;
  int http_port_ = 0;
};

TestCerts* HttpTlsTest::certs_ = nullptr;

TEST_F(HttpTlsTest, PushIsAnswered204AndQueryReadsItBack) {
  StartWithTls();
  EXPECT_EQ(Push("tls", "over https"), 204) << ServerLog();
  const std::string answer = QueryRange("{job=\"tls\"}");
  EXPECT_THAT(answer, HasSubstr("\"status\":\"success\""));
  EXPECT_THAT(answer, HasSubstr("\"over https\""));
}

TEST_F(HttpTlsTest, TwoUrlsInOneCurlRunReuseTheTlsConnection) {
  StartWithTls();
  int rc = 0;
  const std::string out = Curl(
      {"-v", "-o", "/dev/null", Url("/ready"), "-o", "/dev/null", Url("/loki/api/v1/labels")}, &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("SSL connection using TLSv1."));
  EXPECT_THAT(out, HasSubstr("Re-using existing connection"));
}

TEST_F(HttpTlsTest, RequiredClientCertificateIsCheckedAgainstTheCa) {
  StartWithTls("    client_ca_file: " + certs_->ca() + "\n    client_auth: required\n");
  int rc = 0;
  const std::string refused = Curl({"-o", "/dev/null", Url("/loki/api/v1/labels")}, &rc);
  EXPECT_NE(rc, 0) << "a client without a certificate got in: " << refused;
  const std::vector<std::string> identity = {"--cert", certs_->client_cert(), "--key",
                                             certs_->client_key()};
  EXPECT_EQ(Push("mtls", "with a client certificate", identity), 204) << ServerLog();
  EXPECT_THAT(QueryRange("{job=\"mtls\"}", identity), HasSubstr("\"with a client certificate\""));
}

TEST_F(HttpTlsTest, PlaintextClientIsRefusedAndLogged) {
  StartWithTls();
  int rc = 0;
  const std::string out =
      RunCurl({"http://127.0.0.1:" + std::to_string(http_port_) + "/loki/api/v1/labels"}, &rc);
  EXPECT_NE(rc, 0) << out;
  EXPECT_TRUE(agent::testing::WaitFor([&] {
    return ServerLog().find("plaintext_client") != std::string::npos;
  })) << ServerLog();
  const std::string metrics = Curl({Url("/metrics")}, &rc);
  EXPECT_THAT(metrics, HasSubstr("silt_http_tls_handshake_failures_total 1"));
}

TEST_F(HttpTlsTest, WebSocketTailOverTlsReceivesAPushedLine) {
  StartWithTls();
  silt::testing::WebSocketClient client(http_port_);
  ASSERT_TRUE(client.connected());
  Status tls = client.StartTls(silt::testing::TlsSocketOptions{.ca_file = certs_->ca()});
  ASSERT_TRUE(tls.ok()) << tls;
  std::string head;
  std::string body;
  ASSERT_EQ(client.Handshake("/loki/api/v1/tail?query=%7Bjob%3D%22wss%22%7D", {}, &head, &body),
            101)
      << head << body;
  ASSERT_EQ(Push("wss", "pushed after the tail connected"), 204);
  std::optional<std::string> message = client.ReadText(20000);
  ASSERT_TRUE(message.has_value()) << ServerLog();
  EXPECT_THAT(*message, HasSubstr("\"pushed after the tail connected\""));
}

TEST_F(HttpTlsTest, SighupLoadsANewCertificateForNewConnections) {
  StartWithTls();
  const auto overwrite = std::filesystem::copy_options::overwrite_existing;
  std::filesystem::copy_file(certs_->other_server_cert(), cert_, overwrite);
  std::filesystem::copy_file(certs_->other_server_key(), key_, overwrite);
  server_.Signal(SIGHUP);
  ASSERT_TRUE(agent::testing::WaitFor([&] {
    return ServerLog().find("SIGHUP: TLS files reloaded") != std::string::npos;
  })) << ServerLog();
  int rc = 0;
  const std::string old_ca = Curl({"-o", "/dev/null", Url("/ready")}, &rc);
  EXPECT_NE(rc, 0) << "the old certificate is still served: " << old_ca;
  const std::string new_ca =
      Curl({"-o", "/dev/null", "-w", "%{http_code}", Url("/ready")}, &rc, certs_->other_ca());
  EXPECT_EQ(rc, 0) << new_ca;
}

}  // namespace
}  // namespace silt
