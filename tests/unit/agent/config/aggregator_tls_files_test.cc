// CheckTlsFiles of the agent's aggregator section, against a CA and certificates made with the
// real openssl (tests/support/test_certs.h).
#include <gtest/gtest.h>

#include <string>

#include "agent/config/aggregator_config.h"
#include "tests/support/test_certs.h"

namespace silt::agent {
namespace {

class AggregatorTlsFilesTest : public silt::testing::TestCertsSuite {};

TEST_F(AggregatorTlsFilesTest, FilesThatLoadPass) {
  AggregatorConfig config;
  config.tls.ca_file = certs_->ca();
  EXPECT_TRUE(CheckTlsFiles(config).ok());
  config.tls.cert_file = certs_->client_cert();
  config.tls.key_file = certs_->client_key();
  EXPECT_TRUE(CheckTlsFiles(config).ok()) << CheckTlsFiles(config);
}

TEST_F(AggregatorTlsFilesTest, AMissingCaIsNamedWithItsSection) {
  AggregatorConfig config;
  config.tls.ca_file = certs_->Path("missing-ca.pem");
  const Status status = CheckTlsFiles(config);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("aggregator.tls"), std::string::npos) << status;
  EXPECT_NE(status.message().find("ca_file \"" + certs_->Path("missing-ca.pem") + "\""),
            std::string::npos)
      << status;
}

TEST_F(AggregatorTlsFilesTest, AKeyThatIsNotTheCertificatesIsRefused) {
  AggregatorConfig config;
  config.tls.ca_file = certs_->ca();
  config.tls.cert_file = certs_->client_cert();
  config.tls.key_file = certs_->other_client_key();
  const Status status = CheckTlsFiles(config);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("aggregator.tls"), std::string::npos) << status;
}

TEST_F(AggregatorTlsFilesTest, PlainTcpHasNothingToLoad) {
  AggregatorConfig config;
  config.tls.enabled = false;
  config.tls.ca_file = certs_->Path("missing-ca.pem");  // never read
  EXPECT_TRUE(CheckTlsFiles(config).ok());
}

}  // namespace
}  // namespace silt::agent
