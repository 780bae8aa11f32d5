// The real silt-aggregator binary on 127.0.0.1 port 0 in a temp dir: a test agent (plain TCP,
// protocol::BatchBuilder) gets Acks, a redelivered batch is stored once, `dump` refuses a live
// data directory, SIGTERM sends Goodbye and exits 0, and a restart keeps the data.
#include <signal.h>

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/integration/agent/agent_harness.h"
#include "tests/integration/aggregator/aggregator_process.h"

namespace silt {
namespace {

using agent::testing::RunProgram;
using protocol::FrameType;
using server::testing::AgentTestClient;
using ::testing::HasSubstr;

constexpr int64_t kTs = 1'700'000'000'000'000'000;

using AggregatorBinaryTest = silt::testing::AggregatorProcessTest;

TEST_F(AggregatorBinaryTest, AcksStoresOnceDrainsAndKeepsDataAcrossRestart) {
  const int port = StartServer();
  ASSERT_NE(port, 0);
  AgentTestClient& agent = Connect(port);
  agent.SendHello("agent-e2e");
  ASSERT_GE(agent.WaitFor(FrameType::kWelcome), 0);
  agent.SendBatch(1, 4242, 0, {"one", "two"}, kTs);
  const int ack = agent.WaitFor(FrameType::kAck);
  ASSERT_GE(ack, 0);
  EXPECT_EQ(agent.received()[ack].ack_batch_id, 1u);

  // The agent "crashed" before persisting its position: it reconnects and resends from offset 0
  // with one more line.
  agent.Close();
  AgentTestClient& again = Connect(port);
  again.SendHello("agent-e2e");
  ASSERT_GE(again.WaitFor(FrameType::kWelcome), 0);
  again.SendBatch(1, 4242, 0, {"one", "two", "three"}, kTs);
  ASSERT_GE(again.WaitFor(FrameType::kAck), 0);

  int rc = 0;
  std::string output;
  EXPECT_TRUE(DumpLines(&rc, &output).empty());
  EXPECT_EQ(rc, 1) << output;
  EXPECT_THAT(output, HasSubstr(dir_.Path("data")));
  EXPECT_THAT(output, HasSubstr("already held by process " + std::to_string(server_.pid())));

  server_.Signal(SIGTERM);
  const int goodbye = again.WaitFor(FrameType::kGoodbye);
  ASSERT_GE(goodbye, 0);
  EXPECT_EQ(again.received()[goodbye].goodbye.reconnect_after_ms, 2000u);
  EXPECT_TRUE(again.WaitClosed());
  EXPECT_EQ(server_.Terminate(), 0) << ServerLog();

  EXPECT_THAT(DumpLines(&rc, &output), ::testing::ElementsAre("one", "two", "three")) << output;
  EXPECT_EQ(rc, 0);

  // Restart: the data is still there, and the marks still drop a redelivery.
  const int port2 = StartServer();
  ASSERT_NE(port2, 0);
  AgentTestClient& after = Connect(port2);
  after.SendHello("agent-e2e");
  ASSERT_GE(after.WaitFor(FrameType::kWelcome), 0);
  after.SendBatch(7, 4242, 0, {"one", "two", "three", "four"}, kTs);
  ASSERT_GE(after.WaitFor(FrameType::kAck), 0);
  EXPECT_EQ(server_.Terminate(), 0) << ServerLog();
  EXPECT_THAT(DumpLines(&rc, &output), ::testing::ElementsAre("one", "two", "three", "four"))
      << output;
}

TEST_F(AggregatorBinaryTest, BadConfigExitsWithUsageCode) {
  std::ofstream(dir_.Path("bad.yaml")) << "agent_listener:\n  listen: nowhere\n";
  std::string output;
  EXPECT_EQ(RunProgram({SILT_AGGREGATOR_BINARY, "--config", dir_.Path("bad.yaml")}, &output), 2);
  EXPECT_THAT(output, HasSubstr("bad.yaml:2:"));
  EXPECT_EQ(RunProgram({SILT_AGGREGATOR_BINARY, "--check-config", "--config",
                        dir_.Path("aggregator.yaml")},
                       &output),
            0)
      << output;
}

TEST_F(AggregatorBinaryTest, CheckConfigLoadsTheListenersTlsFiles) {
  const std::string missing = dir_.Path("tls/server.pem");
  std::ofstream(dir_.Path("tls.yaml"))
      << "agent_listener:\n"
         "  listen: 127.0.0.1:0\n"
         "  tls: {cert_file: "
      << missing << ", key_file: " << dir_.Path("tls/server.key") << "}\n";
  std::string output;
  EXPECT_EQ(
      RunProgram({SILT_AGGREGATOR_BINARY, "--check-config", "--config", dir_.Path("tls.yaml")},
                 &output),
      2);
  EXPECT_THAT(output, HasSubstr("agent_listener.tls: TLS cert_file \"" + missing + "\""));
}

}  // namespace
}  // namespace silt
