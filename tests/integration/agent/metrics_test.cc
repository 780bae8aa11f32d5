// The optional metrics port: Prometheus text on /metrics with the agent's counters, /ready, and
// /config with the effective agent.yaml.

#include <gtest/gtest.h>

#include <string>

#include "tests/integration/agent/agent_harness.h"

namespace silt::agent::testing {
namespace {

TEST(MetricsTest, MetricsPortServesTheSelfMetrics) {
  AgentHarness harness;
  harness.WriteConfig("  - paths: [" + harness.LogPath("*.log") + "]\n    labels: {job: t}\n",
                      "status:\n  log_interval: 1s\n  metrics_listen: 127.0.0.1:0\n");
  harness.WriteLines("a.log", "a", 0, 300);
  harness.WriteLines("b.log", "b", 0, 200);
  harness.Start();
  ASSERT_TRUE(harness.WaitForAll());
  std::string address;
  ASSERT_TRUE(WaitFor([&] {
    const std::string log = harness.AgentLog();
    const std::string key = "msg=\"serving metrics\" address=";
    const size_t at = log.find(key);
    if (at == std::string::npos) return false;
    const size_t start = at + key.size();
    address = log.substr(start, log.find(' ', start) - start);
    return true;
  })) << harness.AgentLog();
  const std::string metrics = HttpGet(address, "/metrics");
  EXPECT_NE(metrics.find("HTTP/1.1 200"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("text/plain; version=0.0.4"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nsilt_agent_read_lines_total 500\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nsilt_agent_watched_paths 2\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nsilt_agent_output_entries_total 500\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("silt_agent_watch_directories{method=\"inotify\"} 1\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("# TYPE silt_agent_rotations_total counter"), std::string::npos);
  EXPECT_NE(HttpGet(address, "/ready").find("\r\n\r\nready\n"), std::string::npos);
  const std::string config = HttpGet(address, "/config");
  EXPECT_NE(config.find("HTTP/1.1 200"), std::string::npos) << config;
  EXPECT_NE(config.find("text/yaml"), std::string::npos) << config;
  // What the file said, and the defaults it left out.
  EXPECT_NE(config.find("  log_interval: 1s\n"), std::string::npos) << config;
  EXPECT_NE(config.find("      - " + harness.LogPath("*.log") + "\n"), std::string::npos) << config;
  EXPECT_NE(config.find("  max_open_rotated: 32\n"), std::string::npos) << config;
  EXPECT_NE(config.find("  forget_after: 1d\n"), std::string::npos) << config;
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
}

}  // namespace
}  // namespace silt::agent::testing
