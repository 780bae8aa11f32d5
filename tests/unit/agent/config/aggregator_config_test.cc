#include "agent/config/aggregator_config.h"

#include <gtest/gtest.h>

#include <string>

#include "agent/config/agent_config.h"

namespace silt::agent {
namespace {

constexpr std::string_view kWatch = R"(
watches:
  - paths: [/var/log/*.log]
    labels: {job: varlog}
)";

Result<AgentConfig> Parse(const std::string& aggregator) {
  return ParseAgentConfig(std::string(kWatch) + aggregator, "agent.yaml");
}

std::string Error(const std::string& aggregator) {
  Result<AgentConfig> config = Parse(aggregator);
  EXPECT_FALSE(config.ok());
  return config.ok() ? "" : std::string(config.status().message());
}

TEST(AggregatorConfigTest, EmptySectionTakesEveryDefault) {
  Result<AgentConfig> config = Parse("aggregator: {}\n");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->aggregator.has_value());
  const AggregatorConfig& a = *config->aggregator;
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 7458);
  EXPECT_TRUE(a.tls.enabled);
  EXPECT_TRUE(a.tls.ca_file.empty());
  EXPECT_EQ(a.tls.min_version, net::TlsVersion::kTls13);
  EXPECT_EQ(a.batch_max_bytes, 1 << 20);
  EXPECT_EQ(a.linger_ns, 100'000'000);
  EXPECT_EQ(a.max_inflight_batches, 8u);
  EXPECT_EQ(a.max_buffered_bytes, 16 << 20);
  EXPECT_EQ(a.backoff_min_ns, 100'000'000);
  EXPECT_EQ(a.backoff_max_ns, 30'000'000'000);
  EXPECT_EQ(a.connect_timeout_ns, 10'000'000'000);
  EXPECT_EQ(a.shutdown_timeout_ns, 5'000'000'000);
}

TEST(AggregatorConfigTest, EveryKeyIsRead) {
  Result<AgentConfig> config = Parse(R"(aggregator:
  address: "[::1]:9000"
  token: secret
  tls: {ca_file: /ca.pem, cert_file: /c.pem, key_file: /c.key, server_name: agg, min_version: "1.2"}
  batch_max_bytes: 64KiB
  linger: 20ms
  max_inflight_batches: 2
  max_buffered_bytes: 1MiB
  backoff_min: 50ms
  backoff_max: 2s
  connect_timeout: 3s
  shutdown_timeout: 1s
)");
  ASSERT_TRUE(config.ok()) << config.status();
  const AggregatorConfig& a = *config->aggregator;
  EXPECT_EQ(a.host, "::1");
  EXPECT_EQ(a.port, 9000);
  EXPECT_EQ(a.token, "secret");
  EXPECT_EQ(a.tls.ca_file, "/ca.pem");
  EXPECT_EQ(a.tls.cert_file, "/c.pem");
  EXPECT_EQ(a.tls.key_file, "/c.key");
  EXPECT_EQ(a.tls.server_name, "agg");
  EXPECT_EQ(a.tls.min_version, net::TlsVersion::kTls12);
  EXPECT_EQ(a.batch_max_bytes, 64 << 10);
  EXPECT_EQ(a.linger_ns, 20'000'000);
  EXPECT_EQ(a.max_inflight_batches, 2u);
  EXPECT_EQ(a.max_buffered_bytes, 1 << 20);
  EXPECT_EQ(a.backoff_min_ns, 50'000'000);
  EXPECT_EQ(a.backoff_max_ns, 2'000'000'000);
  EXPECT_EQ(a.connect_timeout_ns, 3'000'000'000);
  EXPECT_EQ(a.shutdown_timeout_ns, 1'000'000'000);
}

TEST(AggregatorConfigTest, PlaintextNeedsTlsDisabledExplicitly) {
  Result<AgentConfig> config = Parse("aggregator:\n  tls: {enabled: false}\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->aggregator->tls.enabled);
}

TEST(AggregatorConfigTest, BadAddressIsRejectedWithTheExpectedForm) {
  for (const char* address : {"agg", "agg:", ":7458", "agg:0", "agg:70000", "::1:7458", "agg:x"}) {
    const std::string error = Error(std::string("aggregator:\n  address: \"") + address + "\"\n");
    EXPECT_NE(error.find("aggregator.address"), std::string::npos) << error;
    EXPECT_NE(error.find("expected host:port"), std::string::npos) << error;
  }
}

TEST(AggregatorConfigTest, CertificateWithoutKeyIsRejected) {
  const std::string error = Error("aggregator:\n  tls: {cert_file: /c.pem}\n");
  EXPECT_NE(error.find("key_file"), std::string::npos) << error;
  EXPECT_NE(error.find("set both or neither"), std::string::npos) << error;
}

TEST(AggregatorConfigTest, TlsFilesWithTlsDisabledAreRejected) {
  const std::string error = Error("aggregator:\n  tls: {enabled: false, ca_file: /ca.pem}\n");
  EXPECT_NE(error.find("TLS is disabled"), std::string::npos) << error;
}

TEST(AggregatorConfigTest, OutOfRangeValuesAreRejected) {
  EXPECT_NE(Error("aggregator:\n  batch_max_bytes: 1KiB\n").find("between 4KiB and 32MiB"),
            std::string::npos);
  EXPECT_NE(Error("aggregator:\n  max_inflight_batches: 0\n").find("between 1 and 1024"),
            std::string::npos);
  EXPECT_NE(Error("aggregator:\n  backoff_min: 5s\n  backoff_max: 1s\n").find("must not exceed"),
            std::string::npos);
  EXPECT_NE(Error("aggregator:\n  max_buffered_bytes: 64KiB\n").find("at least batch_max_bytes"),
            std::string::npos);
  EXPECT_NE(Error("aggregator:\n  tls: {min_version: \"1.1\"}\n").find("1.2"), std::string::npos);
}

TEST(AggregatorConfigTest, UnknownKeyIsReported) {
  EXPECT_NE(Error("aggregator:\n  adress: x:1\n").find("unknown key"), std::string::npos);
}

}  // namespace
}  // namespace silt::agent
