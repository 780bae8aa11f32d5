// A file the agent may not read: a clear error naming it, every other file goes on, and once
// the permission is fixed its lines arrive too. As root the agent runs as an unprivileged uid
// (root reads everything); otherwise the file's mode is 000.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "tests/integration/agent/agent_harness.h"

namespace silt::agent::testing {
namespace {

constexpr uid_t kNobody = 65534;

TEST(PermissionTest, UnreadableFileIsReportedAndOthersGoOn) {
  AgentHarness harness;
  std::optional<uid_t> uid;
  if (::geteuid() == 0) {
    uid = kNobody;
    ASSERT_EQ(::chmod(harness.root().c_str(), 0755), 0);
    ASSERT_EQ(::chown(harness.StatePath("").c_str(), kNobody, kNobody), 0);
  }
  harness.WriteConfig("  - paths: [" + harness.LogPath("*.log") + "]\n    labels: {job: t}\n");
  // secret.log's lines are expected too, but only after the permission is fixed.
  AppendToFile(harness.LogPath("secret.log"), "");
  ASSERT_EQ(::chmod(harness.LogPath("secret.log").c_str(), uid ? 0600 : 0), 0);
  harness.WriteLines("open.log", "open", 0, 500);
  harness.Start(uid);
  ASSERT_TRUE(harness.WaitForAll()) << harness.Report() << harness.AgentLog();
  ASSERT_TRUE(WaitFor([&] {
    const std::string log = harness.AgentLog();
    return log.find("level=error") != std::string::npos &&
           log.find(harness.LogPath("secret.log")) != std::string::npos &&
           log.find("Permission denied") != std::string::npos;
  })) << harness.AgentLog();
  harness.WriteLines("open.log", "open-later", 0, 500);
  harness.WriteLines("secret.log", "secret", 0, 500);
  ASSERT_EQ(::chmod(harness.LogPath("secret.log").c_str(), 0644), 0);
  ASSERT_TRUE(harness.WaitForAll()) << harness.Report();
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
}

}  // namespace
}  // namespace silt::agent::testing
