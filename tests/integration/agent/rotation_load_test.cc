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

constexpr int kRotateEveryMs = 15;
constexpr int kWriterPauseUs = 500;  // every 200 lines

TEST(RotationLoadTest, RenameRotationEveryFewMillisecondsUnderLoad) {
  AgentHarness harness;
  harness.WriteConfig("  - paths: [" + harness.LogPath("*.log") + "]\n    labels: {job: t}\n",
                      // rotate_wait well above how long a busy machine (CI, sanitizers) may
                      // hold the writer between its last write to a rotated file and reopening.
                      "limits:\n  rotate_wait: 3s\n  max_open_rotated: 1024\n");
  const std::string path = harness.LogPath("app.log");
  // The agent must be tailing app.log before the rotations start: a file created and rotated
  // away before the agent's startup scan is, by design, an old rotation it does not read.
  AppendToFile(path, "ready\n");
  harness.Expect("ready");
  harness.Start();
  ASSERT_TRUE(harness.WaitForAny("ready")) << harness.AgentLog();
  constexpr int kLines = 60000;
  constexpr int kLinesPerRotation = 2000;  // so at least 29 rotations
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
      // Every kLinesPerRotation lines, let the rotator catch up, so a fast machine still sees
      // the writes spread over at least kLines / kLinesPerRotation rotations.
      if (i % kLinesPerRotation == 0) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (rotations.load() < i / kLinesPerRotation &&
               std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      }
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
