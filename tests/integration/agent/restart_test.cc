// Agent restarts: killed with SIGKILL in the middle of a rotation, stopped while logrotate runs,
// restarted again and again. After SIGKILL, entries delivered after the last positions save are
// written again with the same (source, offset), which the aggregator drops; nothing is lost and
// no line appears under two identities. A graceful stop repeats nothing at all.

#include <gtest/gtest.h>
#include <stdio.h>

#include <string>

#include "tests/integration/agent/agent_harness.h"

namespace silt::agent::testing {
namespace {

class RestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness_.WriteConfig("  - paths: [" + harness_.LogPath("*.log") + "]\n    labels: {job: t}\n");
  }
  void Rename(const std::string& from, const std::string& to) {
    ASSERT_EQ(::rename(harness_.LogPath(from).c_str(), harness_.LogPath(to).c_str()), 0);
  }
  std::string Conf(const std::string& directives) const {
    return harness_.LogPath("app.log") + " {\n" + directives + "\n}\n";
  }

  AgentHarness harness_;
};

TEST_F(RestartTest, KilledInTheMiddleOfARotation) {
  harness_.WriteLines("app.log", "a", 0, 500);
  harness_.Start();
  ASSERT_TRUE(harness_.WaitForAll());
  harness_.WriteLines("app.log", "b", 0, 3000);
  Rename("app.log", "app.log.1");
  harness_.WriteLines("app.log", "c", 0, 2000);
  harness_.Kill();
  // While the agent is down: more lines, and a second rotation.
  harness_.WriteLines("app.log", "d", 0, 100);
  Rename("app.log.1", "app.log.2");
  Rename("app.log", "app.log.1");
  harness_.WriteLines("app.log", "e", 0, 100);
  harness_.Start();
  ASSERT_TRUE(harness_.WaitForAll()) << harness_.Report(AgentHarness::Check::kRedeliveryAllowed);
  EXPECT_EQ(harness_.Stop(), 0);
  EXPECT_TRUE(harness_.ExactlyOnce(AgentHarness::Check::kRedeliveryAllowed));
}

TEST_F(RestartTest, KilledRepeatedlyWhileRotating) {
  harness_.Start();
  for (int round = 0; round < 6; ++round) {
    const std::string tag = "r" + std::to_string(round);
    harness_.WriteLines("app.log", tag + "-a", 0, 1500);
    // The agent is tailing this round's file (and has saved it) before it rotates; it is killed
    // while it reads the rotated file and its successor.
    ASSERT_TRUE(harness_.WaitForAny(tag + "-a "));
    harness_.Logrotate(Conf("  rotate 10\n  create\n  missingok"));
    harness_.WriteLines("app.log", tag + "-b", 0, 500);
    harness_.Kill();
    harness_.Start();
  }
  ASSERT_TRUE(harness_.WaitForAll()) << harness_.Report(AgentHarness::Check::kRedeliveryAllowed);
  EXPECT_EQ(harness_.Stop(), 0);
  EXPECT_TRUE(harness_.ExactlyOnce(AgentHarness::Check::kRedeliveryAllowed));
}

TEST_F(RestartTest, GracefulRestartAcrossARotationRepeatsNothing) {
  harness_.WriteLines("app.log", "a", 0, 500);
  harness_.Start();
  ASSERT_TRUE(harness_.WaitForAll());
  EXPECT_EQ(harness_.Stop(), 0);
  harness_.WriteLines("app.log", "b", 0, 500);  // unread when the rotation happens
  harness_.Logrotate(Conf("  rotate 5\n  create\n  missingok"));
  harness_.WriteLines("app.log", "c", 0, 500);
  harness_.Start();
  ASSERT_TRUE(harness_.WaitForAll()) << harness_.Report();
  EXPECT_EQ(harness_.Stop(), 0);
  EXPECT_TRUE(harness_.ExactlyOnce());
}

TEST_F(RestartTest, CopytruncateWhileDownContinuesInTheCopy) {
  harness_.WriteLines("app.log", "a", 0, 500);
  harness_.Start();
  ASSERT_TRUE(harness_.WaitForAll());
  EXPECT_EQ(harness_.Stop(), 0);
  harness_.WriteLines("app.log", "b", 0, 500);
  harness_.Logrotate(Conf("  rotate 5\n  copytruncate\n  missingok"));
  harness_.WriteLines("app.log", "c", 0, 500);
  harness_.Start();
  ASSERT_TRUE(harness_.WaitForAll()) << harness_.Report();
  EXPECT_EQ(harness_.Stop(), 0);
  EXPECT_TRUE(harness_.ExactlyOnce());
}

}  // namespace
}  // namespace silt::agent::testing
