// Stat polling instead of inotify: forced by config, beyond a configured number of inotify
// directories, and for real when the kernel refuses inotify (the per-user instance limit is
// exhausted for a dedicated uid before the agent starts; the watch limit is lowered to one inside
// a user namespace of the agent's own). Rotations must still deliver every line exactly once.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "tests/integration/agent/agent_harness.h"

namespace silt::agent::testing {
namespace {

void RotateAndWrite(AgentHarness& harness, const std::string& file, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    const std::string tag = file + "-r" + std::to_string(round);
    harness.WriteLines(file, tag + "-old", 0, 300);
    harness.Logrotate(harness.LogPath(file) + " {\n  rotate 5\n  create\n  missingok\n}\n");
    harness.WriteLines(file, tag + "-new", 0, 100);
  }
}

TEST(InotifyFallbackTest, ForcedPollingFollowsRotations) {
  AgentHarness harness;
  harness.WriteConfig("  - paths: [" + harness.LogPath("*.log") + "]\n    labels: {job: t}\n",
                      "discovery:\n  method: poll\n  poll_interval: 50ms\n");
  harness.WriteLines("app.log", "first", 0, 100);
  harness.Start();
  ASSERT_TRUE(harness.WaitForAll());
  RotateAndWrite(harness, "app.log", 3);
  ASSERT_TRUE(harness.WaitForAll()) << harness.Report();
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
  EXPECT_NE(harness.AgentLog().find("inotify_dirs=0 polled_dirs=1"), std::string::npos)
      << harness.AgentLog();
}

TEST(InotifyFallbackTest, DirectoriesBeyondTheInotifyLimitArePolled) {
  AgentHarness harness;
  for (const char* d : {"a", "b", "c"}) ASSERT_EQ(::mkdir(harness.LogPath(d).c_str(), 0755), 0);
  harness.WriteConfig("  - paths: [" + harness.LogPath("*/*.log") + "]\n    labels: {job: t}\n",
                      "discovery:\n  inotify_max_directories: 1\n  poll_interval: 50ms\n");
  for (const char* d : {"a", "b", "c"}) harness.WriteLines(std::string(d) + "/app.log", d, 0, 10);
  harness.Start();
  ASSERT_TRUE(harness.WaitForAll());
  for (const char* d : {"a", "b", "c"}) RotateAndWrite(harness, std::string(d) + "/app.log", 2);
  ASSERT_TRUE(harness.WaitForAll()) << harness.Report();
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
  const std::string log = harness.AgentLog();
  EXPECT_NE(log.find("reason=inotify_max_directories"), std::string::npos) << log;
  EXPECT_NE(log.find("inotify_dirs=1 polled_dirs=3"), std::string::npos) << log;
}

// Takes every inotify instance the (fresh) uid may have, so the agent's own inotify_init fails
// with EMFILE. Runs in the child between fork and exec: system calls only.
void ExhaustInotifyInstances() {
  for (int i = 0; i < 100000; ++i) {
    if (::inotify_init1(0) < 0) return;
  }
}

TEST(InotifyFallbackTest, RealInotifyLimitFallsBackToPolling) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root to run the agent as a dedicated uid whose inotify instances "
                    "can be exhausted without affecting other processes";
  }
  const uid_t uid = 40000 + static_cast<uid_t>(::getpid() % 20000);
  AgentHarness harness;
  ASSERT_EQ(::chmod(harness.root().c_str(), 0755), 0);
  ASSERT_EQ(::chown(harness.StatePath("").c_str(), uid, uid), 0);
  harness.WriteConfig("  - paths: [" + harness.LogPath("*.log") + "]\n    labels: {job: t}\n",
                      "discovery:\n  poll_interval: 50ms\n");
  harness.WriteLines("app.log", "first", 0, 100);
  harness.Start(uid, &ExhaustInotifyInstances);
  ASSERT_TRUE(harness.WaitForAll()) << harness.AgentLog();
  RotateAndWrite(harness, "app.log", 3);
  ASSERT_TRUE(harness.WaitForAll()) << harness.Report();
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
  const std::string log = harness.AgentLog();
  EXPECT_NE(log.find("reason=inotify_limit"), std::string::npos) << log;
  EXPECT_NE(log.find("inotify instance limit"), std::string::npos) << log;
  EXPECT_NE(log.find("inotify_dirs=0 polled_dirs=1"), std::string::npos) << log;
}

// Writes `text` to `path`; false when that fails. System calls only (runs between fork and exec).
bool WriteProcFile(const char* path, const char* text) {
  const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const ssize_t n = ::write(fd, text, std::strlen(text));
  ::close(fd);
  return n == static_cast<ssize_t>(std::strlen(text));
}

// Moves the calling process into a new user namespace where it is root as before (uid and gid 0
// map to themselves), with an inotify watch limit of `limit`. User namespaces keep their own
// limits (/proc/sys/user/max_inotify_watches), so the host's limit is not touched.
bool EnterNamespaceWithWatchLimit(const char* limit) {
  if (::unshare(CLONE_NEWUSER) != 0) return false;
  return WriteProcFile("/proc/self/setgroups", "deny") &&
         WriteProcFile("/proc/self/uid_map", "0 0 1") &&
         WriteProcFile("/proc/self/gid_map", "0 0 1") &&
         WriteProcFile("/proc/sys/user/max_inotify_watches", limit);
}

// Runs in the agent's child between fork and exec.
void LimitInotifyWatchesToOne() {
  if (!EnterNamespaceWithWatchLimit("1")) ::_exit(90);
}

// Whether this machine lets a process make a user namespace with its own inotify limit.
bool CanLimitWatchesInAUserNamespace() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(EnterNamespaceWithWatchLimit("1") ? 0 : 1);
  int status = 0;
  return pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

TEST(InotifyFallbackTest, RealInotifyWatchLimitFallsBackToPolling) {
  if (::geteuid() != 0 || !CanLimitWatchesInAUserNamespace()) {
    GTEST_SKIP() << "needs root and unprivileged-safe user namespaces (unshare(CLONE_NEWUSER)) to "
                    "lower the inotify watch limit for the agent alone";
  }
  AgentHarness harness;
  for (const char* d : {"a", "b", "c"}) ASSERT_EQ(::mkdir(harness.LogPath(d).c_str(), 0755), 0);
  harness.WriteConfig("  - paths: [" + harness.LogPath("*/*.log") + "]\n    labels: {job: t}\n",
                      "discovery:\n  poll_interval: 50ms\n");
  for (const char* d : {"a", "b", "c"}) harness.WriteLines(std::string(d) + "/app.log", d, 0, 10);
  harness.Start(std::nullopt, &LimitInotifyWatchesToOne);
  ASSERT_TRUE(harness.WaitForAll()) << harness.AgentLog();
  for (const char* d : {"a", "b", "c"}) RotateAndWrite(harness, std::string(d) + "/app.log", 2);
  ASSERT_TRUE(harness.WaitForAll()) << harness.Report();
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
  const std::string log = harness.AgentLog();
  EXPECT_NE(log.find("reason=inotify_limit"), std::string::npos) << log;
  EXPECT_NE(log.find("max_user_watches"), std::string::npos) << log;
  EXPECT_NE(log.find("inotify_dirs=1 polled_dirs=3"), std::string::npos) << log;
}

}  // namespace
}  // namespace silt::agent::testing
