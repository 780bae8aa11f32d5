// Harness for silt-agent end-to-end tests: a temp root with logs/ and state/, an agent.yaml
// written from the test's options, the real build/bin/silt-agent started as a child process
// (optionally as another uid) with `--output jsonl:<root>/state/out.jsonl`, the output read back
// and checked line by line, and logrotate run with its own state file.
//
// Lines written by tests are unique, so "every line exactly once" is checked by text. Entries
// are identified by (source, offset) as the aggregator does: ExactlyOnce(kStrict) wants one entry
// per line and no torn output line; ExactlyOnce(kRedeliveryAllowed) (after SIGKILL, when entries
// written after the last positions save are written again) accepts repeats only with the same
// (source, offset), and output lines torn by the kill.
//
// Waiting is always polling with a deadline, never a fixed sleep. To look at a failure, run with
// SILT_TEST_KEEP_DIR=<dir>: the temp root (logs, state, out.jsonl, the agent's log) is copied
// there when the test failed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace silt::agent::testing {

struct OutputEntry {
  std::string line;
  std::string path;
  uint64_t offset = 0;
  std::string source;
  std::map<std::string, std::string> labels;
};

// Polls `done` every 20 ms until it holds or `timeout_ms` passes; returns done().
bool WaitFor(const std::function<bool()>& done, int timeout_ms = 15000);

// The whole file ("" when it cannot be read).
std::string ReadAll(const std::string& path);
// Replaces the file's content with `text`.
void WriteAll(const std::string& path, const std::string& text);

// Appends `text` to `path` (O_APPEND, created 0644), as a logger does.
void AppendToFile(const std::string& path, const std::string& text);

// GET http://<address><path> ("127.0.0.1:9745", "/metrics") with HTTP/1.0; returns the whole
// response (status line, headers, body), or "" when the connection fails.
std::string HttpGet(const std::string& address, const std::string& path);

// Runs a program to completion; returns its exit status (or -1 when it could not run).
int RunProgram(const std::vector<std::string>& argv, std::string* output = nullptr);

class AgentHarness {
 public:
  enum class Check { kStrict, kRedeliveryAllowed };

  AgentHarness();
  ~AgentHarness();

  const std::string& root() const { return dir_.path(); }
  std::string LogPath(const std::string& name) const { return root() + "/logs/" + name; }
  std::string StatePath(const std::string& name) const { return root() + "/state/" + name; }

  // Writes agent.yaml: `watches` is the YAML of the watches list items (indented by 2), `extra`
  // top-level YAML appended after the harness defaults (which it may not repeat).
  void WriteConfig(const std::string& watches, const std::string& extra = "");
  // Starts silt-agent. With `uid`, the child switches to it first (the test must run as root);
  // `before_exec` runs in the child right before exec (after the uid switch).
  void Start(std::optional<uid_t> uid = std::nullopt, void (*before_exec)() = nullptr);
  // SIGTERM and wait; returns the exit code (or -1 when it did not exit within the timeout).
  int Stop();
  // SIGKILL and reap.
  void Kill();
  bool running() const { return pid_ > 0; }

  // Appends lines "<tag> <i> <padding>" for i in [from, to) to logs/<file>; remembers them as
  // expected. Returns the bytes written.
  size_t WriteLines(const std::string& file, const std::string& tag, int from, int to,
                    size_t padding = 40);
  // Remembers a line as expected without writing it (for tests that write themselves).
  void Expect(const std::string& line) { expected_.push_back(line); }
  size_t expected_count() const { return expected_.size(); }

  // Reads what the agent wrote since the last call; returns every entry so far.
  const std::vector<OutputEntry>& ReadOutput();
  // Waits until every expected line was delivered at least once.
  bool WaitForAll(int timeout_ms = 15000);
  // Waits until some delivered line starts with `prefix`.
  bool WaitForAny(const std::string& prefix, int timeout_ms = 15000);
  ::testing::AssertionResult ExactlyOnce(Check check = Check::kStrict);
  // ExactlyOnce's message (missing, repeated and unexpected lines and the agent's log), for
  // failure messages of other assertions.
  std::string Report(Check check = Check::kStrict) { return ExactlyOnce(check).message(); }
  // The agent's stderr (its log) so far.
  std::string AgentLog() const;

  // Runs `logrotate -s state/logrotate.state -f <conf>` with `conf_body` as the config.
  void Logrotate(const std::string& conf_body);

 private:
  silt::testing::TempDir dir_;
  pid_t pid_ = -1;
  int restarts_ = 0;
  std::vector<std::string> expected_;
  std::vector<OutputEntry> entries_;
  size_t torn_lines_ = 0;
  uint64_t output_offset_ = 0;
  std::string partial_;
};

}  // namespace silt::agent::testing
