// CheckTlsFiles of aggregator.yaml's listeners, against a CA and certificates made with the real
// openssl (tests/support/test_certs.h).
#include <gtest/gtest.h>

#include <string>

#include "aggregator/config/aggregator_config.h"
#include "tests/support/test_certs.h"

namespace silt::aggregator {
namespace {

class TlsFilesTest : public silt::testing::TestCertsSuite {
 protected:
  static net::TlsServerOptions ServerTls() {
    net::TlsServerOptions tls;
    tls.cert_file = certs_->server_cert();
    tls.key_file = certs_->server_key();
    return tls;
  }
};

TEST_F(TlsFilesTest, EveryListenerWithFilesThatLoadPasses) {
  AggregatorConfig config;
  EXPECT_TRUE(CheckTlsFiles(config).ok());  // no TLS anywhere
  config.agent_listener.listen.tls = ServerTls();
  config.agent_listener.listen.tls->client_auth = net::ClientAuth::kRequired;
  config.agent_listener.listen.tls->client_ca_file = certs_->ca();
  config.syslog.tcp.tls = ServerTls();
  config.http.server.tls = ServerTls();
  EXPECT_TRUE(CheckTlsFiles(config).ok()) << CheckTlsFiles(config);
}

TEST_F(TlsFilesTest, TheFailingListenerAndFileAreNamed) {
  struct Case {
    const char* section;
    void (*set)(AggregatorConfig*, const std::string& missing);
  };
  const Case cases[] = {
      {"agent_listener.tls",
       [](AggregatorConfig* c, const std::string& missing) {
         c->agent_listener.listen.tls = ServerTls();
         c->agent_listener.listen.tls->cert_file = missing;
       }},
      {"syslog.tls",
       [](AggregatorConfig* c, const std::string& missing) {
         c->syslog.tcp.tls = ServerTls();
         c->syslog.tcp.tls->key_file = missing;
       }},
      {"http.tls",
       [](AggregatorConfig* c, const std::string& missing) {
         c->http.server.tls = ServerTls();
         c->http.server.tls->client_auth = net::ClientAuth::kRequired;
         c->http.server.tls->client_ca_file = missing;
       }},
  };
  const std::string missing = certs_->Path("missing.pem");
  for (const Case& c : cases) {
    AggregatorConfig config;
    c.set(&config, missing);
    const Status status = CheckTlsFiles(config);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.section << ": " << status;
    EXPECT_NE(status.message().find(c.section), std::string::npos) << status;
    EXPECT_NE(status.message().find("\"" + missing + "\""), std::string::npos) << status;
  }
}

TEST_F(TlsFilesTest, ADisabledListenerIsNotChecked) {
  AggregatorConfig config;
  config.syslog.tcp_enabled = false;
  config.syslog.tcp.tls = ServerTls();
  config.syslog.tcp.tls->cert_file = certs_->Path("missing.pem");
  config.http.enabled = false;
  config.http.server.tls = ServerTls();
  config.http.server.tls->key_file = certs_->Path("missing.pem");
  EXPECT_TRUE(CheckTlsFiles(config).ok()) << CheckTlsFiles(config);
}

}  // namespace
}  // namespace silt::aggregator
