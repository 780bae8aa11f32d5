#include "tests/integration/aggregator/aggregator_process.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/integration/agent/agent_harness.h"
#include "tests/unit/shared/net/net_harness.h"

namespace silt::testing {

using agent::testing::ReadAll;
using agent::testing::RunProgram;
using agent::testing::WaitFor;

void AggregatorProcessTest::SetUp() {
  WriteConfig();
  ASSERT_EQ(uv_loop_init(&loop_), 0);
}

void AggregatorProcessTest::TearDown() {
  clients_.clear();
  EXPECT_EQ(net::testing::DrainAndCloseLoop(&loop_), 0);
}

void AggregatorProcessTest::WriteConfig(const std::string& extra_listener_keys,
                                        const std::string& syslog_keys) {
  std::ofstream(dir_.Path("aggregator.yaml"))
      << "data_dir: " << dir_.Path("data") << "\n"
      << "http:\n  listen: 127.0.0.1:0\n"
      << "agent_listener:\n  listen: 127.0.0.1:0\n  reconnect_after: 2s\n"
      << extra_listener_keys << "syslog:\n"
      << syslog_keys;
}

int AggregatorProcessTest::StartServer() {
  const std::string log = dir_.Path("aggregator.log");
  std::ofstream(log, std::ios::trunc).close();
  EXPECT_TRUE(server_.Start({SILT_AGGREGATOR_BINARY, "--config", dir_.Path("aggregator.yaml")},
                            log));
  const std::string ready = "msg=\"agent listener ready\" address=127.0.0.1:";
  std::string text;
  size_t at = std::string::npos;
  const bool up = WaitFor([&] {
    text = ReadAll(log);
    at = text.find(ready);
    return at != std::string::npos;
  });
  EXPECT_TRUE(up) << text;
  return up ? std::atoi(text.c_str() + at + ready.size()) : 0;
}

int AggregatorProcessTest::HttpPort() const {
  const std::string ready = "msg=\"http listener ready\" address=127.0.0.1:";
  const std::string text = ReadAll(dir_.Path("aggregator.log"));
  const size_t at = text.rfind(ready);
  return at == std::string::npos ? 0 : std::atoi(text.c_str() + at + ready.size());
}

server::testing::AgentTestClient& AggregatorProcessTest::Connect(int port) {
  clients_.push_back(std::make_unique<server::testing::AgentTestClient>(&loop_, port));
  EXPECT_TRUE(clients_.back()->ok());
  return *clients_.back();
}

std::vector<std::string> AggregatorProcessTest::DumpLines(int* exit_code, std::string* output) {
  std::string text;
  const int rc =
      RunProgram({SILT_AGGREGATOR_BINARY, "dump", "--data-dir", dir_.Path("data")}, &text);
  if (exit_code != nullptr) *exit_code = rc;
  if (output != nullptr) *output = text;
  std::vector<std::string> lines;
  const std::string field = "\"line\":\"";
  std::istringstream in(text);
  for (std::string row; std::getline(in, row);) {
    const size_t at = row.find(field);
    if (!row.starts_with("{\"tenant\":\"fake\"") || at == std::string::npos) continue;
    const size_t begin = at + field.size();
    lines.push_back(row.substr(begin, row.find('"', begin) - begin));
  }
  return lines;
}

std::string AggregatorProcessTest::ServerLog() const {
  return ReadAll(dir_.Path("aggregator.log"));
}

}  // namespace silt::testing
