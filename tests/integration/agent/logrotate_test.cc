// silt-agent against the real logrotate: every rotation mode delivers every line exactly once.
// Lines are written, then logrotate runs, then more lines go to the new file, several times over,
// with lines written right before each rotation that the agent has not read yet.

#include <gtest/gtest.h>

#include <ctime>
#include <functional>
#include <string>

#include "tests/integration/agent/agent_harness.h"

namespace silt::agent::testing {
namespace {

class LogrotateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness_.WriteConfig("  - paths: [" + harness_.LogPath("*.log") + "]\n    labels: {job: t}\n");
    harness_.WriteLines("app.log", "before", 0, 200);
    harness_.Start();
    ASSERT_TRUE(harness_.WaitForAll()) << harness_.AgentLog();
  }

  std::string Conf(const std::string& directives) const {
    return harness_.LogPath("app.log") + " {\n" + directives + "\n}\n";
  }

  // Writes, rotates, writes again, `rounds` times; then waits and checks.
  void RotateRounds(const std::string& conf, int rounds,
                    const std::function<void()>& before_rotation = nullptr) {
    for (int round = 0; round < rounds; ++round) {
      const std::string tag = "round" + std::to_string(round);
      harness_.WriteLines("app.log", tag + "-old", 0, 300);
      if (before_rotation) before_rotation();
      harness_.Logrotate(conf);
      harness_.WriteLines("app.log", tag + "-new", 0, 100);
      ASSERT_TRUE(harness_.WaitForAll()) << harness_.Report();
    }
    EXPECT_EQ(harness_.Stop(), 0);
    EXPECT_TRUE(harness_.ExactlyOnce());
  }

  AgentHarness harness_;
};

TEST_F(LogrotateTest, CreateMode) {
  RotateRounds(Conf("  rotate 5\n  create\n  missingok"), 4);
  EXPECT_NE(harness_.AgentLog().find("event=rotated"), std::string::npos);
}

TEST_F(LogrotateTest, CopyTruncate) {
  // No writer runs while logrotate copies, so the copytruncate window loses nothing here.
  RotateRounds(Conf("  rotate 5\n  copytruncate\n  missingok"), 4);
  EXPECT_NE(harness_.AgentLog().find("event=truncated"), std::string::npos);
}

TEST_F(LogrotateTest, CompressWithDelaycompress) {
  RotateRounds(Conf("  rotate 5\n  create\n  compress\n  delaycompress\n  missingok"), 4);
  EXPECT_TRUE(harness_.ExactlyOnce());
}

TEST_F(LogrotateTest, CopyTruncateWithCompressAndDelaycompress) {
  RotateRounds(Conf("  rotate 5\n  copytruncate\n  compress\n  delaycompress\n  missingok"), 3);
}

TEST_F(LogrotateTest, Dateext) {
  // Names carry the second (%s); each rotation waits for a new one so that its name is free.
  std::time_t last = 0;
  RotateRounds(Conf("  rotate 5\n  create\n  dateext\n  dateformat -%Y%m%d-%s\n  missingok"), 3,
               [&] {
                 ASSERT_TRUE(WaitFor([&] { return std::time(nullptr) != last; }, 3000));
                 last = std::time(nullptr);
               });
  EXPECT_NE(harness_.AgentLog().find("event=rotated"), std::string::npos);
}

TEST_F(LogrotateTest, RotateZeroDeletesTheOldFile) {
  RotateRounds(Conf("  rotate 0\n  create\n  missingok"), 4);
}

}  // namespace
}  // namespace silt::agent::testing
