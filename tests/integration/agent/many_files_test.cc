// 1,000 watched files in 10 directories: all found, all followed, every line exactly once.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "tests/integration/agent/agent_harness.h"

namespace silt::agent::testing {
namespace {

TEST(ManyFilesTest, ThousandFilesEveryLineExactlyOnce) {
  AgentHarness harness;
  for (int d = 0; d < 10; ++d) {
    ASSERT_EQ(::mkdir(harness.LogPath("d" + std::to_string(d)).c_str(), 0755), 0);
  }
  auto file = [](int i) {
    return "d" + std::to_string(i % 10) + "/f" + std::to_string(i) + ".log";
  };
  for (int i = 0; i < 1000; ++i) harness.WriteLines(file(i), "f" + std::to_string(i), 0, 10, 20);
  harness.WriteConfig("  - paths: [" + harness.LogPath("*/*.log") + "]\n    labels: {job: t}\n");
  harness.Start();
  ASSERT_TRUE(harness.WaitForAll(30000)) << harness.Report();
  for (int i = 0; i < 1000; ++i) harness.WriteLines(file(i), "f" + std::to_string(i), 10, 15, 20);
  ASSERT_TRUE(harness.WaitForAll(30000)) << harness.Report();
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
  EXPECT_NE(harness.AgentLog().find("watched_paths=1000"), std::string::npos);
}

}  // namespace
}  // namespace silt::agent::testing
