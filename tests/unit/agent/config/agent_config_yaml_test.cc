#include "agent/config/agent_config_yaml.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "shared/fs/posix_file_system.h"

namespace silt::agent {
namespace {

// Every key set, none to its default.
constexpr std::string_view kEveryKey = R"(
positions:
  file: /var/lib/silt/agent/positions
  save_interval: 2s
log_level: debug
labels: {host: web-01, dc: eu}
read_from: tail
max_line_size: 1MiB
max_line_size_policy: skip
watches:
  - paths: [/var/log/app/*.log, /var/log/app/*/*.log]
    exclude: ["*.1", /var/log/app/debug.log]
    labels: {job: app}
    path_labels: ['/var/log/app/(?P<service>[^/.]+)']
    multiline: {start_pattern: '^\d{4}-', max_lines: 200, flush_timeout: 1500ms}
    encoding: UTF8
batch: {max_lines: 1000, max_bytes: 512KiB, linger: 50ms}
limits: {max_open_files: 100, max_open_rotated: 4, rotate_wait: 30s, forget_after: 2h}
discovery: {method: poll, rescan_interval: 20s, poll_interval: 500ms, inotify_max_directories: 64,
            ignored_suffixes: [.gz]}
read: {interval: 100ms, chunk_size: 128KiB}
status: {log_interval: 0s, metrics_listen: "127.0.0.1:9745"}
aggregator:
  address: "[::1]:7459"
  token: hunter2
  tls: {ca_file: /etc/silt/tls/ca.pem, cert_file: /etc/silt/tls/agent.pem,
        key_file: /etc/silt/tls/agent.key, server_name: agg.internal, min_version: "1.2"}
  batch_max_bytes: 2MiB
  linger: 200ms
  max_inflight_batches: 4
  max_buffered_bytes: 32MiB
  backoff_min: 250ms
  backoff_max: 1m
  connect_timeout: 5s
  shutdown_timeout: 10s
)";

constexpr std::string_view kEveryKeyPrinted = R"(positions:
  file: /var/lib/silt/agent/positions
  save_interval: 2s
log_level: debug
labels:
  dc: eu
  host: web-01
read_from: tail
max_line_size: 1MiB
max_line_size_policy: skip
watches:
  - paths:
      - /var/log/app/*.log
      - /var/log/app/*/*.log
    exclude:
      - "*.1"
      - /var/log/app/debug.log
    labels:
      job: app
    path_labels:
      - /var/log/app/(?P<service>[^/.]+)
    multiline:
      start_pattern: ^\d{4}-
      max_lines: 200
      flush_timeout: 1s500ms
    encoding: utf-8
batch:
  max_lines: 1000
  max_bytes: 512KiB
  linger: 50ms
limits:
  max_open_files: 100
  max_open_rotated: 4
  rotate_wait: 30s
  forget_after: 2h
discovery:
  method: poll
  rescan_interval: 20s
  poll_interval: 500ms
  inotify_max_directories: 64
  ignored_suffixes:
    - .gz
read:
  interval: 100ms
  chunk_size: 128KiB
status:
  log_interval: 0s
  metrics_listen: 127.0.0.1:9745
aggregator:
  address: "[::1]:7459"
  token: <redacted>
  tls:
    enabled: true
    ca_file: /etc/silt/tls/ca.pem
    cert_file: /etc/silt/tls/agent.pem
    key_file: /etc/silt/tls/agent.key
    server_name: agg.internal
    min_version: 1.2
  batch_max_bytes: 2MiB
  linger: 200ms
  max_inflight_batches: 4
  max_buffered_bytes: 32MiB
  backoff_min: 250ms
  backoff_max: 1m
  connect_timeout: 5s
  shutdown_timeout: 10s
)";

std::string Print(std::string_view text) {
  Result<AgentConfig> config = ParseAgentConfig(text, "agent.yaml");
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? EncodeAgentConfigYaml(*config) : "";
}

TEST(AgentConfigYamlTest, EveryKeyIsPrintedWithItsValue) {
  EXPECT_EQ(Print(kEveryKey), kEveryKeyPrinted);
}

TEST(AgentConfigYamlTest, ThePrintedConfigLoadsBackToTheSameConfig) {
  EXPECT_EQ(Print(kEveryKeyPrinted), kEveryKeyPrinted);
}

TEST(AgentConfigYamlTest, AMinimalConfigShowsEveryDefault) {
  const std::string printed = Print(R"(
watches:
  - paths: [/var/log/*.log]
    labels: {job: varlog}
)");
  for (std::string_view line :
       {"  file: silt-agent-data/positions\n", "  save_interval: 1s\n", "read_from: head\n",
        "max_line_size: 256KiB\n", "max_line_size_policy: truncate\n", "    encoding: utf-8\n",
        "  max_lines: 4096\n", "  max_bytes: 1MiB\n", "  forget_after: 1d\n", "  method: auto\n",
        "  interval: 250ms\n", "  chunk_size: 64KiB\n", "  log_interval: 1m\n"}) {
    EXPECT_NE(printed.find(line), std::string::npos) << line << "in:\n" << printed;
  }
  // Without an aggregator section the agent does not ship (jsonl:- unless --output says so),
  // so none is made up.
  EXPECT_EQ(printed.find("aggregator:"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("multiline:"), std::string::npos) << printed;
  EXPECT_EQ(Print(printed), printed);
}

TEST(AgentConfigYamlTest, AnEmptyAggregatorSectionShowsItsDefaults) {
  const std::string printed = Print(R"(
watches:
  - paths: [/var/log/*.log]
    labels: {job: varlog}
aggregator: {}
)");
  EXPECT_NE(printed.find("aggregator:\n  address: 127.0.0.1:7458\n  token: \"\"\n  tls:\n"
                         "    enabled: true\n"),
            std::string::npos)
      << printed;
  EXPECT_NE(printed.find("    min_version: 1.3\n"), std::string::npos) << printed;
}

TEST(AgentConfigYamlTest, TheTokenIsNeverPrinted) {
  const std::string printed = Print(kEveryKey);
  EXPECT_EQ(printed.find("hunter2"), std::string::npos);
  EXPECT_NE(printed.find("  token: <redacted>\n"), std::string::npos);
}

TEST(AgentConfigYamlTest, ThePackagedExampleRoundTrips) {
  fs::PosixFileSystem fs;
  Result<std::string> text = fs.ReadFileToString(SILT_AGENT_EXAMPLE_CONFIG);
  ASSERT_TRUE(text.ok()) << text.status();
  const std::string printed = Print(*text);
  ASSERT_FALSE(printed.empty());
  EXPECT_EQ(Print(printed), printed);
}

}  // namespace
}  // namespace silt::agent
