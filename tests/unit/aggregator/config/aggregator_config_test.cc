#include "aggregator/config/aggregator_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::aggregator {
namespace {

using ::testing::HasSubstr;

Result<AggregatorConfig> Parse(std::string_view text) {
  return ParseAggregatorConfig(text, "aggregator.yaml");
}

TEST(AggregatorConfigTest, EmptyFileGivesTheDocumentedDefaults) {
  Result<AggregatorConfig> c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->data_dir, "./silt-data");
  EXPECT_EQ(c->storage.data_dir, "./silt-data");
  EXPECT_EQ(c->log_level, log::Level::kInfo);
  EXPECT_EQ(c->agent_listener.listen.host, "127.0.0.1");
  EXPECT_EQ(c->agent_listener.listen.port, 7458);
  EXPECT_FALSE(c->agent_listener.listen.tls.has_value());
  EXPECT_EQ(c->agent_listener.auth.default_tenant, "fake");
  EXPECT_FALSE(c->agent_listener.auth.auth_enabled());
  EXPECT_EQ(c->agent_listener.session.max_inflight_batches, 8u);
  EXPECT_EQ(c->storage.wal_segment_bytes, uint64_t{64} << 20);
  EXPECT_TRUE(c->storage.wal_direct_io);
}

TEST(AggregatorConfigTest, WalDirectIoCanBeTurnedOff) {
  Result<AggregatorConfig> c = Parse("storage:\n  wal_direct_io: false\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->storage.wal_direct_io);
  Result<AggregatorConfig> bad = Parse("storage:\n  wal_direct_io: sometimes\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("wal_direct_io"));
}

TEST(AggregatorConfigTest, ExampleFileLoads) {
  Result<AggregatorConfig> c = LoadAggregatorConfig(SILT_AGGREGATOR_EXAMPLE_CONFIG);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->data_dir, "/var/lib/silt");
  EXPECT_EQ(c->agent_listener.listen.host, "0.0.0.0");
  ASSERT_TRUE(c->agent_listener.listen.tls.has_value());
  EXPECT_EQ(c->agent_listener.listen.tls->client_auth, net::ClientAuth::kRequired);
  EXPECT_EQ(c->agent_listener.listen.tls->min_version, net::TlsVersion::kTls13);
  EXPECT_EQ(c->agent_listener.auth.tokens.at("change-me-team-a"), "team-a");
  EXPECT_EQ(c->agent_listener.session.idle_timeout_ns, int64_t{120} * 1'000'000'000);
  EXPECT_EQ(c->agent_listener.reconnect_after_ms, 1000u);
  EXPECT_EQ(c->storage.source_mark_expiry_ns, int64_t{7} * 24 * 3600 * 1'000'000'000);
}

TEST(AggregatorConfigTest, ListenerAndStorageKeysAreRead) {
  Result<AggregatorConfig> c = Parse(
      "data_dir: /d\n"
      "agent_listener:\n  listen: '[::1]:0'\n  max_line_bytes: 1KiB\n  drain_timeout: 3s\n"
      "storage:\n  partition_length: 30m\n  chunk_codec: zstd\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->storage.data_dir, "/d");
  EXPECT_EQ(c->agent_listener.listen.host, "::1");
  EXPECT_EQ(c->agent_listener.listen.port, 0);
  EXPECT_EQ(c->agent_listener.session.max_line_bytes, 1024u);
  EXPECT_EQ(c->agent_listener.drain_timeout_ns, int64_t{3'000'000'000});
  EXPECT_EQ(c->storage.head.partition_ns, int64_t{1800} * 1'000'000'000);
  EXPECT_EQ(c->storage.chunk.codec, store::Codec::kZstd);
}

TEST(AggregatorConfigTest, BadListenAddressIsReportedWithPosition) {
  Result<AggregatorConfig> c = Parse("agent_listener:\n  listen: localhost\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("aggregator.yaml:2:"));
  EXPECT_THAT(c.status().message(), HasSubstr("expected host:port"));
}

TEST(AggregatorConfigTest, UnknownKeyIsAnError) {
  Result<AggregatorConfig> c = Parse("agent_listner:\n  listen: 127.0.0.1:1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("agent_listener"));  // the suggestion
}

TEST(AggregatorConfigTest, ClientAuthWithoutCaIsAnError) {
  Result<AggregatorConfig> c = Parse(
      "agent_listener:\n  tls:\n    cert_file: c\n    key_file: k\n    client_auth: required\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("client_ca_file"));
}

TEST(AggregatorConfigTest, BadTenantInTokensIsAnError) {
  Result<AggregatorConfig> c = Parse("auth:\n  tokens:\n    abc: 'no/slash'\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("auth.tokens"));
}

TEST(AggregatorConfigTest, IdleTimeoutMustExceedHeartbeat) {
  Result<AggregatorConfig> c =
      Parse("agent_listener:\n  heartbeat_interval: 30s\n  idle_timeout: 10s\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("idle_timeout must be longer"));
}

TEST(AggregatorConfigTest, EngineRangesAreChecked) {
  Result<AggregatorConfig> c = Parse("storage:\n  partition_length: 90s\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("whole number of minutes"));
}

TEST(AggregatorConfigTest, SyslogDefaults) {
  Result<AggregatorConfig> c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status();
  const ingest::SyslogOptions& s = c->syslog;
  EXPECT_TRUE(s.tcp_enabled);
  EXPECT_TRUE(s.udp_enabled);
  EXPECT_EQ(s.tcp.host, "127.0.0.1");
  EXPECT_EQ(s.tcp.port, 1514);
  EXPECT_EQ(s.udp_port, 1514);
  EXPECT_EQ(s.tenant, "fake");
  EXPECT_EQ(s.max_message_size, size_t{64} << 10);
  EXPECT_EQ(s.udp_receive_buffer, size_t{8} << 20);
  EXPECT_FALSE(s.tcp.tls.has_value());
}

TEST(AggregatorConfigTest, SyslogKeysAreRead) {
  Result<AggregatorConfig> c = Parse(
      "syslog:\n  tcp_listen: \"\"\n  udp_listen: '[::1]:5514'\n  tenant: ops\n"
      "  labels:\n    job: syslog\n  max_message_size: 8KiB\n  udp_receive_buffer: 1MiB\n"
      "  max_pending_bytes: 2MiB\n  tls:\n    cert_file: c.pem\n    key_file: k.pem\n");
  ASSERT_TRUE(c.ok()) << c.status();
  const ingest::SyslogOptions& s = c->syslog;
  EXPECT_FALSE(s.tcp_enabled);
  EXPECT_EQ(s.udp_host, "::1");
  EXPECT_EQ(s.udp_port, 5514);
  EXPECT_EQ(s.tenant, "ops");
  EXPECT_EQ(s.labels.at("job"), "syslog");
  EXPECT_EQ(s.max_message_size, 8192u);
  EXPECT_EQ(s.udp_receive_buffer, size_t{1} << 20);
  EXPECT_EQ(s.max_pending_bytes, size_t{2} << 20);
  ASSERT_TRUE(s.tcp.tls.has_value());
  EXPECT_EQ(s.tcp.tls->cert_file, "c.pem");
}

TEST(AggregatorConfigTest, SyslogBadValuesAreReported) {
  Result<AggregatorConfig> c = Parse(
      "syslog:\n  tcp_listen: nowhere\n  tenant: 'a/b'\n  labels:\n    bad-name: x\n"
      "  max_message_size: 100\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("syslog.tcp_listen"));
  EXPECT_THAT(c.status().message(), HasSubstr("syslog.tenant"));
  EXPECT_THAT(c.status().message(), HasSubstr("bad-name"));
  EXPECT_THAT(c.status().message(), HasSubstr("max_message_size must be between 480"));
}

TEST(AggregatorConfigTest, LimitsDefaultToLokis) {
  Result<AggregatorConfig> c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->limits.max_line_size, 256u * 1024);
  EXPECT_EQ(c->limits.reject_old_samples_max_age_ns, int64_t{7} * 24 * 3600 * 1'000'000'000);
  EXPECT_EQ(c->limits.creation_grace_period_ns, int64_t{600} * 1'000'000'000);
  EXPECT_EQ(c->limits.labels.max_labels, 15u);
  EXPECT_EQ(c->limits.labels.max_name_length, 1024u);
  EXPECT_EQ(c->limits.labels.max_value_length, 2048u);
}

TEST(AggregatorConfigTest, LimitsKeysAreRead) {
  Result<AggregatorConfig> c = Parse(
      "limits:\n  max_line_size: 1KiB\n  reject_old_samples_max_age: 1d\n"
      "  creation_grace_period: 1m\n  max_label_names_per_series: 30\n"
      "  max_label_name_length: 100\n  max_label_value_length: 200\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->limits.max_line_size, 1024u);
  EXPECT_EQ(c->limits.reject_old_samples_max_age_ns, int64_t{24} * 3600 * 1'000'000'000);
  EXPECT_EQ(c->limits.creation_grace_period_ns, int64_t{60} * 1'000'000'000);
  EXPECT_EQ(c->limits.labels.max_labels, 30u);
  EXPECT_EQ(c->limits.labels.max_name_length, 100u);
  EXPECT_EQ(c->limits.labels.max_value_length, 200u);
}

TEST(AggregatorConfigTest, RejectOldSamplesFalseTurnsTheAgeCheckOff) {
  Result<AggregatorConfig> c = Parse("limits:\n  reject_old_samples: false\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->limits.reject_old_samples_max_age_ns, 0);
}

TEST(AggregatorConfigTest, BadLimitsAreReportedWithPosition) {
  Result<AggregatorConfig> c = Parse("limits:\n  max_label_names_per_series: -1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("aggregator.yaml:2:"));
  c = Parse("limits:\n  max_line_size: lots\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("max_line_size"));
}

TEST(ParseListenAddressTest, AcceptsHostPortAndBracketedV6) {
  std::string host;
  int port = -1;
  ASSERT_TRUE(ParseListenAddress("10.0.0.1:7458", &host, &port).ok());
  EXPECT_EQ(host, "10.0.0.1");
  EXPECT_EQ(port, 7458);
  ASSERT_TRUE(ParseListenAddress("[::]:1", &host, &port).ok());
  EXPECT_EQ(host, "::");
  EXPECT_FALSE(ParseListenAddress("::1:7458", &host, &port).ok());
  EXPECT_FALSE(ParseListenAddress("host:70000", &host, &port).ok());
  EXPECT_FALSE(ParseListenAddress(":7458", &host, &port).ok());
}

}  // namespace
}  // namespace silt::aggregator
