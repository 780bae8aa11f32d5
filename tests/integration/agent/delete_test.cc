// Files deleted before the agent read them: the agent holds the file open and drains it.

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "tests/integration/agent/agent_harness.h"

namespace silt::agent::testing {
namespace {

TEST(DeleteTest, FileDeletedWhileUnreadIsDrained) {
  AgentHarness harness;
  harness.WriteConfig("  - paths: [" + harness.LogPath("*.log") + "]\n    labels: {job: t}\n");
  harness.WriteLines("app.log", "first", 0, 10);
  harness.Start();
  ASSERT_TRUE(harness.WaitForAll());
  harness.WriteLines("app.log", "unread", 0, 20000);
  ASSERT_EQ(::unlink(harness.LogPath("app.log").c_str()), 0);
  ASSERT_TRUE(harness.WaitForAll()) << harness.Report();
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
}

TEST(DeleteTest, DeletedAndRecreatedFileIsANewSource) {
  AgentHarness harness;
  harness.WriteConfig("  - paths: [" + harness.LogPath("*.log") + "]\n    labels: {job: t}\n");
  harness.WriteLines("app.log", "old", 0, 100);
  harness.Start();
  ASSERT_TRUE(harness.WaitForAll());
  harness.WriteLines("app.log", "old-unread", 0, 5000);
  ASSERT_EQ(::unlink(harness.LogPath("app.log").c_str()), 0);
  harness.WriteLines("app.log", "new", 0, 100);
  ASSERT_TRUE(harness.WaitForAll()) << harness.Report();
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
}

}  // namespace
}  // namespace silt::agent::testing
