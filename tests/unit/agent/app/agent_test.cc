// The agent wired up in-process: it runs on its loop in a thread until SIGTERM.
#include "agent/app/agent.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "agent/config/agent_config.h"
#include "shared/fs/posix_file_system.h"
#include "shared/log/memory_sink.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/agent/discovery/discovery_test_util.h"

namespace silt::agent {
namespace {

class AgentTest : public ::testing::Test {
 protected:
  AgentTest() : logger_(log::LoggerOptions{log::Level::kInfo, &log_sink_, nullptr}) {}

  AgentConfig Config() {
    Result<AgentConfig> config = ParseAgentConfig(
        "positions: {file: " + dir_.Path("state/positions") + "}\n" + "watches:\n  - paths: [" +
            dir_.Path("logs/*.log") + "]\n    labels: {job: t}\n" +
            "batch: {linger: 0s}\nstatus: {log_interval: 50ms}\n",
        "test.yaml");
    EXPECT_TRUE(config.ok()) << config.status();
    return *config;
  }
  std::string Output() {
    Result<std::string> text = fs_.ReadFileToString(dir_.Path("out.jsonl"));
    return text.ok() ? *text : "";
  }
  // Polls `done` every 10 ms for up to 10 s.
  static bool WaitFor(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }

  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  log::MemorySink log_sink_;
  log::Logger logger_;
};

TEST_F(AgentTest, TailsUntilSigtermThenSavesPositions) {
  testing::MakeDir(dir_.Path("logs"));
  testing::WriteFile(dir_.Path("logs/a.log"), "first\n");
  Agent agent(Config(), OutputSpec{OutputSpec::Kind::kJsonl, dir_.Path("out.jsonl")}, &logger_);
  std::future<int> run = std::async(std::launch::async, [&] { return agent.Run(); });
  ASSERT_TRUE(WaitFor([&] { return Output().find("\"line\":\"first\"") != std::string::npos; }));
  testing::WriteFile(dir_.Path("logs/a.log"), "second\n");
  ASSERT_TRUE(WaitFor([&] { return Output().find("\"line\":\"second\"") != std::string::npos; }));
  ASSERT_TRUE(WaitFor([&] { return log_sink_.Text().find("msg=status") != std::string::npos; }));
  ::kill(::getpid(), SIGTERM);
  ASSERT_EQ(run.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(run.get(), 0);
  Result<std::string> positions = fs_.ReadFileToString(dir_.Path("state/positions"));
  ASSERT_TRUE(positions.ok());
  EXPECT_NE(positions->find(" 13 "), std::string::npos) << *positions;  // both lines confirmed
  const std::string log = log_sink_.Text();
  EXPECT_NE(log.find("msg=\"shutting down\" reason=SIGTERM exit_code=0"), std::string::npos) << log;
  EXPECT_NE(agent.registry().Expose().find("silt_agent_read_lines_total"), std::string::npos);
}

TEST_F(AgentTest, SecondAgentOnTheSamePositionsFails) {
  ASSERT_TRUE(fs_.CreateDirs(dir_.Path("state")).ok());
  Result<std::unique_ptr<fs::FileLock>> lock = fs_.LockFile(dir_.Path("state/positions.lock"));
  ASSERT_TRUE(lock.ok());
  Agent agent(Config(), OutputSpec{OutputSpec::Kind::kNull, ""}, &logger_);
  EXPECT_EQ(agent.Run(), 1);
  EXPECT_NE(log_sink_.Text().find("msg=\"cannot start\""), std::string::npos) << log_sink_.Text();
}

TEST_F(AgentTest, UnopenableOutputFails) {
  Agent agent(Config(), OutputSpec{OutputSpec::Kind::kJsonl, dir_.Path("no/such/dir/out")},
              &logger_);
  EXPECT_EQ(agent.Run(), 1);
  EXPECT_NE(log_sink_.Text().find(dir_.Path("no/such/dir/out")), std::string::npos);
}

}  // namespace
}  // namespace silt::agent
