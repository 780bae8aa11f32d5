#include "agent/app/self_metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::agent {
namespace {

TEST(SelfMetricsTest, StatsAppearInTheExposition) {
  metrics::Registry registry;
  Result<std::unique_ptr<SelfMetrics>> self = SelfMetrics::Create(&registry);
  ASSERT_TRUE(self.ok()) << self.status();
  AgentStats stats;
  stats.tailer.bytes_read = 1234;
  stats.tailer.lines_read = 56;
  stats.tailer.rotations = 3;
  stats.tailer.truncations = 2;
  stats.tailer.bytes_dropped = 99;
  stats.tailer.lag_bytes = 77;
  stats.tailer.open_files = 4;
  stats.discovery.watched_paths = 5;
  stats.discovery.inotify_directories = 2;
  stats.discovery.polled_directories = 1;
  stats.discovery.fallbacks = 1;
  (*self)->Update(stats);
  const std::string text = registry.Expose();
  for (const char* sample :
       {"silt_agent_read_bytes_total 1234\n", "silt_agent_read_lines_total 56\n",
        "silt_agent_rotations_total 3\n", "silt_agent_truncations_total 2\n",
        "silt_agent_dropped_bytes_total 99\n", "silt_agent_lag_bytes 77\n",
        "silt_agent_open_files 4\n", "silt_agent_watched_paths 5\n",
        "silt_agent_watch_directories{method=\"inotify\"} 2\n",
        "silt_agent_watch_directories{method=\"poll\"} 1\n",
        "silt_agent_watch_fallbacks_total 1\n"}) {
    EXPECT_NE(text.find(sample), std::string::npos) << sample << "\n" << text;
  }
}

TEST(SelfMetricsTest, CountersAdvanceByTheDifferenceAndGaugesAreSet) {
  metrics::Registry registry;
  auto self = SelfMetrics::Create(&registry);
  ASSERT_TRUE(self.ok());
  AgentStats stats;
  stats.tailer.lines_read = 10;
  stats.tailer.lag_bytes = 100;
  (*self)->Update(stats);
  stats.tailer.lines_read = 15;
  stats.tailer.lag_bytes = 0;
  (*self)->Update(stats);
  (*self)->Update(stats);
  const std::string text = registry.Expose();
  EXPECT_NE(text.find("silt_agent_read_lines_total 15\n"), std::string::npos) << text;
  EXPECT_NE(text.find("silt_agent_lag_bytes 0\n"), std::string::npos) << text;
}

TEST(SelfMetricsTest, NameTakenByAnotherTypeIsAnError) {
  metrics::Registry registry;
  ASSERT_TRUE(registry.RegisterGauge("silt_agent_read_bytes_total", "a gauge").ok());
  EXPECT_EQ(SelfMetrics::Create(&registry).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace silt::agent
