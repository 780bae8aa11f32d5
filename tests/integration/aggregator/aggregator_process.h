// AggregatorProcessTest: a gtest fixture that runs the real silt-aggregator binary in a temp dir
// on 127.0.0.1 port 0 (plain TCP), connects test agents to it (AgentTestClient, one shared libuv
// loop driven by the test thread) and reads back what is stored with `silt-aggregator dump`.
#pragma once

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/system/child_process.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/server/agent_test_client.h"

namespace silt::testing {

inline constexpr const char* kSyslogOnFreePorts =
    "  tcp_listen: 127.0.0.1:0\n  udp_listen: 127.0.0.1:0\n";

class AggregatorProcessTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Writes aggregator.yaml: the data dir, listen on port 0, then `extra_listener_keys` (lines
  // indented under agent_listener:, e.g. "  idle_timeout: 2s\n"), then `syslog_keys` under
  // syslog: (by default both syslog transports on port 0, so tests never meet on 1514).
  void WriteConfig(const std::string& extra_listener_keys = "",
                   const std::string& syslog_keys = kSyslogOnFreePorts);
  // Starts the server and returns the port it logged (0 on failure).
  int StartServer();
  // The HTTP API's port from the server's "http listener ready" log line (0 when absent).
  int HttpPort() const;
  // A test agent connected to `port` (owned by the fixture).
  server::testing::AgentTestClient& Connect(int port);
  // The "line" values `dump` prints, in order; the exit code and raw output when asked.
  std::vector<std::string> DumpLines(int* exit_code = nullptr, std::string* output = nullptr);
  std::string ServerLog() const;

  TempDir dir_;
  ChildProcess server_;
  uv_loop_t loop_;
  std::vector<std::unique_ptr<server::testing::AgentTestClient>> clients_;
};

}  // namespace silt::testing
