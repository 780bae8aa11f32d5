// The `http:` section of aggregator.yaml and EncodeAggregatorConfigYaml (GET /config): every
// key read, defaults, bad values, and the encoded YAML loading back to the same values; the
// `pipeline:` lists of syslog and http.push read, reported at line:column and encoded.
#include "aggregator/config/aggregator_config_yaml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::aggregator {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Result<AggregatorConfig> Parse(std::string_view text) {
  return ParseAggregatorConfig(text, "aggregator.yaml");
}

TEST(HttpConfigTest, DefaultsListenOnLokisPort) {
  Result<AggregatorConfig> c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->http.enabled);
  EXPECT_EQ(c->http.server.host, "127.0.0.1");
  EXPECT_EQ(c->http.server.port, 3100);
  EXPECT_EQ(c->http.query_workers, 0u);
  EXPECT_EQ(c->http.query_timeout_ns, int64_t{60} * time::kSecond);
  EXPECT_EQ(c->http.max_query_memory_bytes, int64_t{512} << 20);
  EXPECT_EQ(c->http.max_entries_limit_per_query, 5000u);
}

TEST(HttpConfigTest, EveryKeyIsRead) {
  Result<AggregatorConfig> c = Parse(
      "http:\n  listen: 0.0.0.0:0\n  max_connections: 7\n  max_header_bytes: 8KiB\n"
      "  max_body_bytes: 1MiB\n  max_decoded_body_bytes: 2MiB\n  header_timeout: 5s\n"
      "  read_timeout: 6s\n  keep_alive_timeout: 7s\n  write_timeout: 8s\n"
      "  query_workers: 3\n  query_timeout: 2m\n  max_query_memory: 64MiB\n"
      "  max_entries_limit_per_query: 100\n");
  ASSERT_TRUE(c.ok()) << c.status();
  const HttpApiConfig& h = c->http;
  EXPECT_EQ(h.server.host, "0.0.0.0");
  EXPECT_EQ(h.server.port, 0);
  EXPECT_EQ(h.server.max_connections, 7u);
  EXPECT_EQ(h.server.max_header_bytes, 8u << 10);
  EXPECT_EQ(h.server.max_body_bytes, 1u << 20);
  EXPECT_EQ(h.server.max_decoded_body_bytes, 2u << 20);
  EXPECT_EQ(h.server.header_timeout, 5 * time::kSecond);
  EXPECT_EQ(h.server.read_timeout, 6 * time::kSecond);
  EXPECT_EQ(h.server.keep_alive_timeout, 7 * time::kSecond);
  EXPECT_EQ(h.server.write_timeout, 8 * time::kSecond);
  EXPECT_EQ(h.query_workers, 3u);
  EXPECT_EQ(h.query_timeout_ns, 120 * time::kSecond);
  EXPECT_EQ(h.max_query_memory_bytes, int64_t{64} << 20);
  EXPECT_EQ(h.max_entries_limit_per_query, 100u);
}

TEST(HttpConfigTest, TailDefaultsAreLokis) {
  Result<AggregatorConfig> c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->http.tail_max_connections, 100u);
  EXPECT_EQ(c->http.tail_default_limit, 100u);
  EXPECT_EQ(c->http.tail_max_limit, 0u);
  EXPECT_EQ(c->http.tail_max_delay_for_ns, 5 * time::kSecond);
  EXPECT_EQ(c->http.tail_send_buffer_bytes, size_t{4} << 20);
  EXPECT_EQ(c->http.tail_max_queued_entries, 10'000u);
}

TEST(HttpConfigTest, TailKeysAreRead) {
  Result<AggregatorConfig> c = Parse(
      "http:\n  tail_max_connections: 3\n  tail_default_limit: 10\n  tail_max_limit: 20\n"
      "  tail_max_delay_for: 1m\n  tail_send_buffer: 64KiB\n  tail_max_queued_entries: 50\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->http.tail_max_connections, 3u);
  EXPECT_EQ(c->http.tail_default_limit, 10u);
  EXPECT_EQ(c->http.tail_max_limit, 20u);
  EXPECT_EQ(c->http.tail_max_delay_for_ns, 60 * time::kSecond);
  EXPECT_EQ(c->http.tail_send_buffer_bytes, 64u << 10);
  EXPECT_EQ(c->http.tail_max_queued_entries, 50u);
}

TEST(HttpConfigTest, BadTailValuesAreReported) {
  Result<AggregatorConfig> c = Parse(
      "http:\n  tail_max_connections: 0\n  tail_max_delay_for: 1500ms\n"
      "  tail_send_buffer: 10\n  tail_max_queued_entries: 0\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("aggregator.yaml:2:"));
  EXPECT_THAT(c.status().message(), HasSubstr("tail_max_connections must be at least 1"));
  EXPECT_THAT(c.status().message(), HasSubstr("tail_max_delay_for must be a whole number"));
  EXPECT_THAT(c.status().message(), HasSubstr("tail_send_buffer must be between"));
  EXPECT_THAT(c.status().message(), HasSubstr("tail_max_queued_entries must be at least 1"));
}

TEST(HttpConfigTest, TailDefaultLimitOverTheMaximumIsAnError) {
  Result<AggregatorConfig> c =
      Parse("http:\n  max_entries_limit_per_query: 50\n  tail_default_limit: 60\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("tail_default_limit (60) must not exceed"));
  EXPECT_TRUE(Parse("http:\n  tail_max_limit: 80\n  tail_default_limit: 60\n").ok());
}

TEST(HttpConfigTest, EmptyListenDisablesTheApi) {
  Result<AggregatorConfig> c = Parse("http:\n  listen: ''\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->http.enabled);
}

TEST(HttpConfigTest, BadListenIsReportedWithPosition) {
  Result<AggregatorConfig> c = Parse("http:\n  listen: localhost\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("aggregator.yaml:2:"));
  EXPECT_THAT(c.status().message(), HasSubstr("expected host:port"));
}

TEST(HttpConfigTest, HeaderLimitOverTheParsersCeilingIsAnError) {
  Result<AggregatorConfig> c = Parse("http:\n  max_header_bytes: 1MiB\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("max_header_bytes"));
}

TEST(HttpConfigTest, UnknownHttpKeyIsAnError) {
  Result<AggregatorConfig> c = Parse("http:\n  query_worker: 2\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("query_worker"));
}

TEST(HttpConfigTest, TlsBlockIsReadWithTls12AsTheDefaultMinimum) {
  Result<AggregatorConfig> plain = Parse("");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->http.server.tls.has_value());
  Result<AggregatorConfig> c = Parse(
      "http:\n  tls:\n    cert_file: /etc/silt/http.pem\n    key_file: /etc/silt/http.key\n"
      "    client_ca_file: /etc/silt/ca.pem\n    client_auth: required\n");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE(c->http.server.tls.has_value());
  const net::TlsServerOptions& tls = *c->http.server.tls;
  EXPECT_EQ(tls.cert_file, "/etc/silt/http.pem");
  EXPECT_EQ(tls.key_file, "/etc/silt/http.key");
  EXPECT_EQ(tls.client_ca_file, "/etc/silt/ca.pem");
  EXPECT_EQ(tls.client_auth, net::ClientAuth::kRequired);
  EXPECT_EQ(tls.min_version, net::TlsVersion::kTls12);
  Result<AggregatorConfig> strict =
      Parse("http:\n  tls:\n    cert_file: c\n    key_file: k\n    min_version: '1.3'\n");
  ASSERT_TRUE(strict.ok()) << strict.status();
  EXPECT_EQ(strict->http.server.tls->min_version, net::TlsVersion::kTls13);
}

TEST(HttpConfigTest, TlsClientAuthWithoutCaIsReportedWithPosition) {
  Result<AggregatorConfig> c =
      Parse("http:\n  tls:\n    cert_file: c\n    key_file: k\n    client_auth: optional\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("aggregator.yaml:"));
  EXPECT_THAT(c.status().message(), HasSubstr("client_ca_file"));
  EXPECT_THAT(c.status().message(), HasSubstr("HTTP clients"));
}

TEST(HttpConfigTest, TlsWithoutKeyFileIsAnError) {
  Result<AggregatorConfig> c = Parse("http:\n  tls:\n    cert_file: c\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("key_file"));
}

TEST(AggregatorConfigYamlTest, EncodedConfigLoadsBackTheSame) {
  Result<AggregatorConfig> c = Parse(
      "data_dir: /srv/silt\nlog_level: debug\n"
      "agent_listener:\n  listen: '[::1]:7000'\n  idle_timeout: 3m\n"
      "  tls:\n    cert_file: /c.pem\n    key_file: /k.pem\n    min_version: '1.2'\n"
      "auth:\n  tokens:\n    s3cret-token: team-a\n"
      "storage:\n  chunk_codec: zstd\n  partition_length: 30m\n"
      "http:\n  listen: 127.0.0.1:0\n  query_timeout: 90s\n  max_query_memory: 1GiB\n"
      "  tls:\n    cert_file: /h.pem\n    key_file: /h.key\n    client_ca_file: /ca.pem\n"
      "    client_auth: optional\n"
      "  tail_max_delay_for: 10s\n  tail_send_buffer: 1MiB\n");
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string yaml = EncodeAggregatorConfigYaml(*c);
  EXPECT_THAT(yaml, Not(HasSubstr("s3cret-token")));
  EXPECT_THAT(yaml, HasSubstr("key_file: /k.pem"));
  Result<AggregatorConfig> back = Parse(yaml);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << yaml;
  EXPECT_EQ(back->data_dir, "/srv/silt");
  EXPECT_EQ(back->log_level, log::Level::kDebug);
  EXPECT_EQ(back->agent_listener.listen.host, "::1");
  EXPECT_EQ(back->agent_listener.listen.port, 7000);
  EXPECT_EQ(back->agent_listener.session.idle_timeout_ns, 180 * time::kSecond);
  ASSERT_TRUE(back->agent_listener.listen.tls.has_value());
  EXPECT_EQ(back->agent_listener.listen.tls->min_version, net::TlsVersion::kTls12);
  EXPECT_EQ(back->agent_listener.auth.tokens.size(), 1u);
  EXPECT_EQ(back->agent_listener.auth.tokens.begin()->second, "team-a");
  EXPECT_EQ(back->storage.chunk.codec, store::Codec::kZstd);
  EXPECT_EQ(back->storage.head.partition_ns, 1800 * time::kSecond);
  EXPECT_EQ(back->http.server.port, 0);
  EXPECT_EQ(back->http.query_timeout_ns, 90 * time::kSecond);
  EXPECT_EQ(back->http.max_query_memory_bytes, int64_t{1} << 30);
  ASSERT_TRUE(back->http.server.tls.has_value());
  EXPECT_EQ(back->http.server.tls->cert_file, "/h.pem");
  EXPECT_EQ(back->http.server.tls->client_auth, net::ClientAuth::kOptional);
  EXPECT_EQ(back->http.server.tls->min_version, net::TlsVersion::kTls12);
  EXPECT_EQ(back->http.tail_max_delay_for_ns, 10 * time::kSecond);
  EXPECT_EQ(back->http.tail_send_buffer_bytes, 1u << 20);
  EXPECT_THAT(yaml, HasSubstr("tail_max_connections: 100"));
  EXPECT_EQ(EncodeAggregatorConfigYaml(*back), yaml);
}

TEST(AggregatorConfigYamlTest, DisabledHttpEncodesAsEmptyListen) {
  Result<AggregatorConfig> c = Parse("http:\n  listen: ''\n");
  ASSERT_TRUE(c.ok()) << c.status();
  Result<AggregatorConfig> back = Parse(EncodeAggregatorConfigYaml(*c));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->http.enabled);
}

TEST(PipelineConfigTest, SyslogAndPushPipelinesAreRead) {
  Result<AggregatorConfig> c = Parse(
      "syslog:\n  pipeline:\n    - logfmt: {}\n    - labels: {names: [level]}\n"
      "http:\n  push:\n    pipeline:\n      - json: {}\n"
      "      - timestamp: {source: ts, format: RFC3339}\n      - drop: {expression: x}\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->syslog.pipeline.stages.size(), 2u);
  EXPECT_EQ(c->http.push_pipeline.stages.size(), 3u);
}

TEST(PipelineConfigTest, NoPipelineByDefault) {
  Result<AggregatorConfig> c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->syslog.pipeline.stages.empty());
  EXPECT_TRUE(c->http.push_pipeline.stages.empty());
}

TEST(PipelineConfigTest, StageErrorsAreReportedAtLineAndColumn) {
  Result<AggregatorConfig> c = Parse(
      "syslog:\n  pipeline:\n    - jsn: {}\n"
      "http:\n  push:\n    pipeline:\n      - regex: {expression: '(?P<a>x'}\n");
  ASSERT_FALSE(c.ok());
  const std::string message(c.status().message());
  EXPECT_THAT(message, HasSubstr("aggregator.yaml:3:7: syslog.pipeline[0]: unknown key \"jsn\""));
  EXPECT_THAT(message, HasSubstr("did you mean \"json\""));
  EXPECT_THAT(message, HasSubstr("aggregator.yaml:7:29: http.push.pipeline[0].regex.expression: "
                                 "invalid regular expression"));
}

TEST(PipelineConfigTest, UnknownPushKeyIsAnError) {
  Result<AggregatorConfig> c = Parse("http:\n  push:\n    pipelines: []\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("http.push"));
  EXPECT_THAT(c.status().message(), HasSubstr("pipelines"));
}

TEST(PipelineConfigTest, EncodedConfigShowsBothPipelinesAndLoadsBack) {
  Result<AggregatorConfig> c = Parse(
      "syslog:\n  labels: {job: syslog}\n  pipeline:\n    - logfmt: {}\n"
      "    - labels: {names: [level], max_values_per_label: 9}\n"
      "http:\n  push:\n    pipeline:\n      - json: {fields: {ts: time}}\n"
      "      - timestamp: {source: ts, format: UnixMs}\n");
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string yaml = EncodeAggregatorConfigYaml(*c);
  EXPECT_THAT(yaml, HasSubstr("syslog:"));
  EXPECT_THAT(yaml, HasSubstr("max_values_per_label: 9"));
  EXPECT_THAT(yaml, HasSubstr("format: UnixMs"));
  Result<AggregatorConfig> back = Parse(yaml);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << yaml;
  EXPECT_EQ(back->syslog.pipeline.stages.size(), 2u);
  EXPECT_EQ(back->syslog.labels.at("job"), "syslog");
  EXPECT_EQ(back->http.push_pipeline.stages.size(), 2u);
  EXPECT_EQ(EncodeAggregatorConfigYaml(*back), yaml);
}

}  // namespace
}  // namespace silt::aggregator
