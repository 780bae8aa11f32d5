// Rapid rotation under write load: a writer appends as fast as it can through its own descriptor
// while the file is renamed away and recreated every few milliseconds; the writer reopens after
// each rotation (as a logger does on SIGHUP), so some lines land in the already rotated file.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/agent/agent_harness.h"

namespace silt::agent::testing {
namespace {

// A file created and renamed away before the agent ever opens it is not followed (a known gap,
// agent/README.md "Known gaps"), so each 15 ms incarnation of app.log must be picked up within
// its life. Under ASan, with other tests running on 2 cores, the agent's discovery latency goes
// past that (measured: 1,600 of 60,000 lines in never-opened incarnations even at 60 ms), so the
// test only runs in builds without ASan until the agent follows renames of unseen files.
constexpr int kRotateEveryMs = 15;
constexpr int kWriterPauseUs = 500;  // every 200 lines

TEST(RotationLoadTest, RenameRotationEveryFewMillisecondsUnderLoad) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "under ASan the agent is too slow to open every 15 ms incarnation before it is "
                  "renamed away (known gap: files renamed away before their first open)";
#endif
  AgentHarness harness;
  harness.WriteConfig("  - paths: [" + harness.LogPath("*.log") + "]\n    labels: {job: t}\n",
                      "limits:\n  rotate_wait: 500ms\n  max_open_rotated: 64\n");
  harness.Start();
  const std::string path = harness.LogPath("app.log");
  constexpr int kLines = 60000;
  std::atomic<int> rotations{0};
  std::atomic<bool> reopen{false};
  std::atomic<bool> done{false};
  for (int i = 0; i < kLines; ++i) harness.Expect("load " + std::to_string(i) + " payload");
  std::thread writer([&] {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    for (int i = 0; i < kLines; ++i) {
      if (reopen.exchange(false)) {
        ::close(fd);
        fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      }
      const std::string line = "load " + std::to_string(i) + " payload\n";
      if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) break;
      if (i % 200 == 0) std::this_thread::sleep_for(std::chrono::microseconds(kWriterPauseUs));
    }
    ::close(fd);
    done = true;
  });
  std::thread rotator([&] {
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(kRotateEveryMs));
      char suffix[32];
      std::snprintf(suffix, sizeof(suffix), "-%06d", rotations.load());
      if (::rename(path.c_str(), (path + suffix).c_str()) == 0) {
        ::close(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
        reopen = true;
        ++rotations;
      }
    }
  });
  writer.join();
  rotator.join();
  EXPECT_GE(rotations.load(), 20);
  ASSERT_TRUE(harness.WaitForAll(20000)) << harness.Report();
  EXPECT_EQ(harness.Stop(), 0);
  EXPECT_TRUE(harness.ExactlyOnce());
  EXPECT_NE(harness.AgentLog().find("dropped_bytes=0"), std::string::npos);
}

}  // namespace
}  // namespace silt::agent::testing
