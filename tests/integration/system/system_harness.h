// SystemHarness: Silt as a system for end-to-end tests. In a temp root it makes a test CA and
// certificates (tests/support/test_certs.h), writes aggregator.yaml and agent.yaml, runs the real silt-aggregator and
// silt-agent (TLS with client certificates on a loopback port), drives a write load into logs/
// that the real logrotate rotates (rename + create every second, copytruncate every three), and
// checks with `silt-aggregator dump` that every written line is stored exactly once.
//
// Lines are unique ("<file> <n> <padding>") except one text written twice in every write (both
// copies must be stored: identical lines are still distinct lines), so exactly once is checked
// by counting each text. The load pauses
// its copytruncate file while logrotate copies and truncates it: bytes written in that window are
// in neither file (the one documented loss of copytruncate), and the test does not write any.
//
// SILT_TEST_KEEP_DIR=<dir> copies the temp root (logs, configs, data, both processes' logs) there
// when a test failed. Not thread-safe except the load's own threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/system/child_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"

namespace silt::testing {

// Which certificates each side uses; empty fields mean the good ones from TestCerts.
struct TlsSetup {
  std::string server_cert;
  std::string server_key;
  std::string agent_ca;  // what the agent trusts
  std::string agent_cert;
  std::string agent_key;
  std::string agent_server_name = "localhost";
};

class SystemHarness {
 public:
  SystemHarness();
  ~SystemHarness();

  const TestCerts& certs() const { return certs_; }
  // Rewrites both configs; takes effect at the next start of each process.
  void SetTls(const TlsSetup& tls);
  // Appends one line to logs/<file> and expects it stored.
  void WriteLine(const std::string& file, const std::string& line);
  std::string AggregatorLog() const;
  std::string AgentLog() const;
  // Polls the named log ("aggregator" or "agent") until it contains `needle`.
  bool WaitForLog(const std::string& which, const std::string& needle, int timeout_ms = 15000);

  std::string Path(const std::string& name) const { return dir_.Path(name); }
  int agent_port() const { return port_; }

  void StartAggregator();
  // Waits until the aggregator started last has logged "agent listener ready".
  bool WaitUntilServing(int timeout_ms = 15000);
  void KillAggregator() { aggregator_.Kill(); }
  // SIGTERM (drain) once it serves, and wait; the exit code.
  int StopAggregator() {
    WaitUntilServing();
    return aggregator_.Terminate();
  }
  void StartAgent();
  void KillAgent() { agent_.Kill(); }
  int StopAgent() { return agent_.Terminate(); }

  // Waits until the agent has written its positions file (after a startup scan found files).
  bool WaitForAgentPositions(int timeout_ms = 15000);

  // Starts the writer and the rotator threads; StopLoad joins them.
  void StartLoad();
  void StopLoad();
  size_t lines_written();

  // Waits until every written line is stored: stops the aggregator, dumps its data dir and
  // compares; restarts it and tries again until `timeout_ms`. Failure lists missing and repeated
  // lines and the tails of both processes' logs. Leaves the aggregator stopped.
  ::testing::AssertionResult EveryLineStoredOnce(int timeout_ms = 120000);
  // The last `bytes` of both logs, for failure messages.
  std::string LogTails(size_t bytes = 4000) const;

 private:
  void WriteConfigs(const TlsSetup& tls);
  void WriteLoop();
  void RotateLoop();
  void Append(const std::string& file, int count);
  // Runs `silt-aggregator dump`; the stored lines, or an error in *error.
  std::vector<std::string> Dump(std::string* error);

  TempDir dir_;
  TestCerts certs_;
  int port_ = 0;
  size_t ready_lines_before_start_ = 0;  // "agent listener ready" lines before the last start
  ChildProcess aggregator_;
  ChildProcess agent_;

  std::mutex mu_;  // guards expected_ and counters_; held across a copytruncate rotation
  std::vector<std::string> expected_;
  std::vector<int> counters_ = {0, 0};
  std::atomic<bool> stop_load_{false};
  std::thread writer_;
  std::thread rotator_;
};

}  // namespace silt::testing
