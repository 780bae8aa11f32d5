#include "agent/config/agent_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::agent {
namespace {

Result<AgentConfig> Parse(std::string_view text) { return ParseAgentConfig(text, "agent.yaml"); }

// The error text, for configs expected to be invalid.
std::string Error(std::string_view text) {
  Result<AgentConfig> config = Parse(text);
  EXPECT_FALSE(config.ok());
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  return std::string(config.status().message());
}

constexpr std::string_view kMinimal = R"(
watches:
  - paths: [/var/log/*.log]
    labels: {job: varlog}
)";

TEST(AgentConfigTest, MinimalConfigTakesEveryDefault) {
  Result<AgentConfig> config = Parse(kMinimal);
  ASSERT_TRUE(config.ok()) << config.status();
  const AgentConfig defaults;
  EXPECT_EQ(config->positions.file, "silt-agent-data/positions");
  EXPECT_EQ(config->positions.save_interval_ns, 1'000'000'000);
  EXPECT_EQ(config->read_from, ReadFrom::kHead);
  EXPECT_EQ(config->max_line_size, 256 * 1024);
  EXPECT_EQ(config->max_line_size_policy, OversizeLinePolicy::kTruncate);
  EXPECT_EQ(config->batch.max_lines, 4096u);
  EXPECT_EQ(config->batch.max_bytes, 1 << 20);
  EXPECT_EQ(config->batch.linger_ns, 100'000'000);
  EXPECT_EQ(config->limits.max_open_files, 4096u);
  EXPECT_EQ(config->limits.max_open_rotated, 32u);
  EXPECT_EQ(config->limits.rotate_wait_ns, 5'000'000'000);
  EXPECT_EQ(config->limits.forget_after_ns, 24 * 3'600'000'000'000);
  EXPECT_EQ(config->discovery.method, WatchMethod::kAuto);
  EXPECT_EQ(config->discovery.rescan_interval_ns, 10'000'000'000);
  EXPECT_EQ(config->discovery.poll_interval_ns, 1'000'000'000);
  EXPECT_EQ(config->discovery.ignored_suffixes, defaults.discovery.ignored_suffixes);
  EXPECT_EQ(config->read.interval_ns, 250'000'000);
  EXPECT_EQ(config->read.chunk_size, 64 * 1024);
  EXPECT_EQ(config->status.log_interval_ns, 60'000'000'000);
  EXPECT_TRUE(config->status.metrics_listen.empty());
  EXPECT_EQ(config->log_level, log::Level::kInfo);
  ASSERT_EQ(config->watches.size(), 1u);
  EXPECT_EQ(config->watches[0].paths, std::vector<std::string>{"/var/log/*.log"});
  EXPECT_FALSE(config->watches[0].multiline.has_value());
  EXPECT_EQ(config->watches[0].encoding, "utf-8");
  EXPECT_FALSE(config->aggregator.has_value());
}

TEST(AgentConfigTest, ExampleFileLoads) {
  Result<AgentConfig> config = LoadAgentConfig(SILT_AGENT_EXAMPLE_CONFIG);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->positions.file, "/var/lib/silt-agent/positions");
  EXPECT_EQ(config->labels.at("host"), "web-01");
  ASSERT_EQ(config->watches.size(), 2u);
  const WatchConfig& apps = config->watches[1];
  EXPECT_EQ(apps.exclude.size(), 2u);
  EXPECT_EQ(apps.path_labels.size(), 1u);
  ASSERT_TRUE(apps.multiline.has_value());
  EXPECT_EQ(apps.multiline->max_lines, 500u);
  EXPECT_EQ(apps.multiline->flush_timeout_ns, 3'000'000'000);
  ASSERT_TRUE(config->aggregator.has_value());
  EXPECT_EQ(config->aggregator->host, "aggregator.example.com");
  EXPECT_EQ(config->aggregator->port, 7458);
  EXPECT_TRUE(config->aggregator->tls.enabled);
  EXPECT_EQ(config->aggregator->tls.ca_file, "/etc/silt/ca.pem");
}

TEST(AgentConfigTest, EveryOptionIsRead) {
  Result<AgentConfig> config = Parse(R"(
positions: {file: /tmp/p, save_interval: 2s}
log_level: debug
labels: {host: h}
read_from: tail
max_line_size: 1KiB
max_line_size_policy: skip
watches:
  - paths: [/a/*.log]
    multiline: {start_pattern: '^\S', max_lines: 9, flush_timeout: 1s}
    encoding: UTF8
batch: {max_lines: 10, max_bytes: 2KiB, linger: 0s}
limits: {max_open_files: 5, max_open_rotated: 2, rotate_wait: 1s, forget_after: 1h}
discovery: {method: poll, rescan_interval: 3s, poll_interval: 50ms, inotify_max_directories: 7,
            ignored_suffixes: [.gz]}
read: {interval: 10ms, chunk_size: 8KiB}
status: {log_interval: 0s, metrics_listen: "127.0.0.1:0"}
)");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->positions.save_interval_ns, 2'000'000'000);
  EXPECT_EQ(config->log_level, log::Level::kDebug);
  EXPECT_EQ(config->read_from, ReadFrom::kTail);
  EXPECT_EQ(config->max_line_size, 1024);
  EXPECT_EQ(config->max_line_size_policy, OversizeLinePolicy::kSkip);
  EXPECT_EQ(config->watches[0].multiline->max_lines, 9u);
  EXPECT_EQ(config->batch.linger_ns, 0);
  EXPECT_EQ(config->limits.max_open_rotated, 2u);
  EXPECT_EQ(config->discovery.method, WatchMethod::kPoll);
  EXPECT_EQ(config->discovery.inotify_max_directories, 7u);
  EXPECT_EQ(config->discovery.ignored_suffixes, std::vector<std::string>{".gz"});
  EXPECT_EQ(config->read.chunk_size, 8192);
  EXPECT_EQ(config->status.log_interval_ns, 0);
  EXPECT_EQ(config->status.metrics_listen, "127.0.0.1:0");
}

TEST(AgentConfigTest, UnknownKeyIsReportedWithLineAndColumn) {
  const std::string error = Error(R"(watches:
  - paths: [/a/*.log]
    labels: {job: a}
    exclud: ["*.gz"]
)");
  EXPECT_NE(error.find("agent.yaml:4:5: watches[0]: unknown key \"exclud\"; did you mean "
                       "\"exclude\"?"),
            std::string::npos)
      << error;
}

TEST(AgentConfigTest, WrongTypeIsReportedWithLineAndColumn) {
  const std::string error = Error(R"(watches:
  - paths: [/a/*.log]
    labels: {job: a}
batch:
  max_lines: many
)");
  EXPECT_NE(error.find("agent.yaml:5:14: batch.max_lines: expected an integer"), std::string::npos)
      << error;
}

TEST(AgentConfigTest, EveryErrorIsReportedAtOnce) {
  const std::string error = Error(R"(read_from: middle
watches:
  - paths: [relative/*.log]
    labels: {job: a}
limits:
  rotate_wait: soon
)");
  EXPECT_NE(error.find("agent.yaml:1:12: read_from"), std::string::npos) << error;
  EXPECT_NE(error.find("agent.yaml:3:12: watches[0].paths"), std::string::npos) << error;
  EXPECT_NE(error.find("agent.yaml:6:16: limits.rotate_wait"), std::string::npos) << error;
}

TEST(AgentConfigTest, MissingWatchesIsAnError) {
  EXPECT_NE(Error("log_level: info\n").find("missing required key \"watches\""), std::string::npos);
  EXPECT_NE(Error("watches: []\n").find("the list is empty"), std::string::npos);
}

TEST(AgentConfigTest, WatchNeedsPaths) {
  EXPECT_NE(Error("watches:\n  - labels: {job: a}\n").find("missing required key \"paths\""),
            std::string::npos);
  EXPECT_NE(Error("watches:\n  - paths: []\n    labels: {job: a}\n").find("the list is empty"),
            std::string::npos);
}

TEST(AgentConfigTest, RelativeGlobIsRejected) {
  const std::string error = Error("watches:\n  - paths: [logs/*.log]\n    labels: {job: a}\n");
  EXPECT_NE(error.find("is not an absolute path"), std::string::npos) << error;
}

TEST(AgentConfigTest, BadExcludePatternIsRejected) {
  const std::string error =
      Error("watches:\n  - paths: [/a/*]\n    exclude: ['[ab']\n    labels: {job: a}\n");
  EXPECT_NE(error.find("agent.yaml:3:14: watches[0].exclude: pattern \"[ab\" has a '['"),
            std::string::npos)
      << error;
}

TEST(AgentConfigTest, WatchWithoutAnyLabelIsRejected) {
  const std::string error = Error("watches:\n  - paths: [/a/*.log]\n");
  EXPECT_NE(error.find("the watch has no labels"), std::string::npos) << error;
}

TEST(AgentConfigTest, GlobalLabelsAreEnoughForAWatch) {
  EXPECT_TRUE(Parse("labels: {host: h}\nwatches:\n  - paths: [/a/*.log]\n").ok());
}

TEST(AgentConfigTest, PathLabelsAloneAreEnoughForAWatch) {
  EXPECT_TRUE(Parse("watches:\n  - paths: [/a/*.log]\n    path_labels: ['/(?P<f>[^/]+)$']\n").ok());
}

TEST(AgentConfigTest, InvalidLabelNameIsRejected) {
  const std::string error = Error("watches:\n  - paths: [/a/*.log]\n    labels: {1job: a}\n");
  EXPECT_NE(error.find("agent.yaml:3:13: watches[0].labels"), std::string::npos) << error;
  EXPECT_NE(error.find("1job"), std::string::npos) << error;
}

TEST(AgentConfigTest, ReservedLabelNameIsRejected) {
  const std::string error = Error("labels: {__name__: x}\nwatches:\n  - paths: [/a/*.log]\n");
  EXPECT_NE(error.find("__name__"), std::string::npos) << error;
}

TEST(AgentConfigTest, InvalidPathLabelRegexIsRejected) {
  const std::string error =
      Error("watches:\n  - paths: [/a/*.log]\n    labels: {j: a}\n    path_labels: ['(?P<x>']\n");
  EXPECT_NE(error.find("agent.yaml:4:18: watches[0].path_labels"), std::string::npos) << error;
  EXPECT_NE(error.find("not a valid RE2 regex"), std::string::npos) << error;
}

TEST(AgentConfigTest, InvalidMultilinePatternIsRejected) {
  const std::string error = Error(
      "watches:\n  - paths: [/a/*.log]\n    labels: {j: a}\n    multiline: {start_pattern: "
      "'^(x'}\n");
  EXPECT_NE(error.find("watches[0].multiline.start_pattern"), std::string::npos) << error;
}

TEST(AgentConfigTest, MultilineNeedsAStartPattern) {
  const std::string error =
      Error("watches:\n  - paths: [/a/*.log]\n    labels: {j: a}\n    multiline: {max_lines: 5}\n");
  EXPECT_NE(error.find("missing required key \"start_pattern\""), std::string::npos) << error;
}

TEST(AgentConfigTest, MultilineZeroMaxLinesIsRejected) {
  const std::string error = Error(
      "watches:\n  - paths: [/a/*.log]\n    labels: {j: a}\n    multiline: {start_pattern: x, "
      "max_lines: 0}\n");
  EXPECT_NE(error.find("watches[0].multiline.max_lines"), std::string::npos) << error;
}

TEST(AgentConfigTest, UnsupportedEncodingIsAClearError) {
  const std::string error =
      Error("watches:\n  - paths: [/a/*.log]\n    labels: {j: a}\n    encoding: latin1\n");
  EXPECT_NE(error.find("agent.yaml:4:15: watches[0].encoding: encoding \"latin1\" is not "
                       "supported; only utf-8 is"),
            std::string::npos)
      << error;
}

TEST(AgentConfigTest, OutOfRangeValuesAreRejected) {
  auto with = [](const std::string& extra) {
    return "watches:\n  - paths: [/a/*.log]\n    labels: {j: a}\n" + extra;
  };
  EXPECT_NE(Error(with("max_line_size: 0\n")).find("max_line_size must be"), std::string::npos);
  EXPECT_NE(Error(with("max_line_size: 1GiB\n")).find("max_line_size must be"), std::string::npos);
  EXPECT_NE(Error(with("batch: {max_lines: 0}\n")).find("must be greater than 0"),
            std::string::npos);
  EXPECT_NE(Error(with("limits: {max_open_rotated: 0}\n")).find("must be greater than 0"),
            std::string::npos);
  EXPECT_NE(Error(with("discovery: {rescan_interval: 0s}\n")).find("must be greater than 0"),
            std::string::npos);
  EXPECT_NE(Error(with("read: {chunk_size: 1KiB}\n")).find("between 4KiB and 16MiB"),
            std::string::npos);
  EXPECT_NE(Error(with("limits: {rotate_wait: -1s}\n")).find("limits.rotate_wait"),
            std::string::npos);
}

TEST(AgentConfigTest, BadEnumValuesListTheChoices) {
  const std::string error =
      Error("watches:\n  - paths: [/a/*.log]\n    labels: {j: a}\ndiscovery: {method: inotify}\n");
  EXPECT_NE(error.find("discovery.method"), std::string::npos) << error;
  EXPECT_NE(error.find("auto"), std::string::npos) << error;
  EXPECT_NE(error.find("poll"), std::string::npos) << error;
}

TEST(AgentConfigTest, BadMetricsAddressIsRejected) {
  for (const char* address : {"9745", "localhost:", ":80", "host:99999", "host:http"}) {
    const std::string error = Error(std::string("watches:\n  - paths: [/a/*.log]\n    labels: "
                                                "{j: a}\nstatus: {metrics_listen: \"") +
                                    address + "\"}\n");
    EXPECT_NE(error.find("status.metrics_listen: expected host:port"), std::string::npos)
        << address << ": " << error;
  }
}

TEST(AgentConfigTest, MissingFileNamesThePath) {
  Result<AgentConfig> config = LoadAgentConfig("/nonexistent/agent.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kNotFound);
  EXPECT_NE(config.status().message().find("/nonexistent/agent.yaml"), std::string::npos);
}

TEST(AgentConfigTest, EnvironmentIsExpandedWhenAsked) {
  config::LoadOptions options;
  options.expand_env = true;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "LOG_DIR") return "/srv/logs";
    return std::nullopt;
  };
  Result<AgentConfig> config = ParseAgentConfig(
      "watches:\n  - paths: [\"${LOG_DIR}/*.log\"]\n    labels: {job: a}\n", "agent.yaml", options);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->watches[0].paths[0], "/srv/logs/*.log");
}

}  // namespace
}  // namespace silt::agent
