// The real silt-agent binary's config flags: --check-config and --print-config on a good and a
// bad agent.yaml (exit codes, what goes where), as an operator or a package script runs them.

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/integration/agent/agent_harness.h"
#include "tests/support/temp_dir.h"

namespace silt::agent::testing {
namespace {

class ConfigFlagsTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.Path(name);
    std::ofstream(path) << text;
    return path;
  }

  silt::testing::TempDir dir_;
};

TEST_F(ConfigFlagsTest, PrintConfigShowsTheEffectiveConfigThatLoadsBack) {
  const std::string config = Write("agent.yaml",
                                   "watches:\n"
                                   "  - paths: [/var/log/*.log]\n"
                                   "    labels: {job: varlog}\n"
                                   "aggregator:\n"
                                   "  address: agg.example.com:7458\n"
                                   "  token: s3cret\n");
  std::string printed;
  ASSERT_EQ(RunProgram({SILT_AGENT_BINARY, "--config", config, "--print-config"}, &printed), 0)
      << printed;
  EXPECT_NE(printed.find("  save_interval: 1s\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("  address: agg.example.com:7458\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("  connect_timeout: 10s\n"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("s3cret"), std::string::npos) << printed;
  // What it printed is a valid agent.yaml that means the same.
  const std::string again = Write("printed.yaml", printed);
  std::string reprinted;
  ASSERT_EQ(RunProgram({SILT_AGENT_BINARY, "--config", again, "--print-config"}, &reprinted), 0);
  EXPECT_EQ(reprinted, printed);
  std::string checked;
  EXPECT_EQ(RunProgram({SILT_AGENT_BINARY, "--config", again, "--check-config"}, &checked), 0);
  EXPECT_EQ(checked, again + ": OK (1 watches)\n");
}

TEST_F(ConfigFlagsTest, TheLogLevelFlagWinsInThePrintedConfig) {
  const std::string config = Write("agent.yaml",
                                   "log_level: warn\n"
                                   "watches:\n"
                                   "  - paths: [/var/log/*.log]\n"
                                   "    labels: {job: varlog}\n");
  std::string printed;
  ASSERT_EQ(RunProgram({SILT_AGENT_BINARY, "--config", config, "--print-config"}, &printed), 0);
  EXPECT_NE(printed.find("\nlog_level: warn\n"), std::string::npos) << printed;
  ASSERT_EQ(
      RunProgram({SILT_AGENT_BINARY, "--config", config, "--print-config", "--log-level", "debug"},
                 &printed),
      0);
  EXPECT_NE(printed.find("\nlog_level: debug\n"), std::string::npos) << printed;
  std::string refused;
  EXPECT_EQ(
      RunProgram({SILT_AGENT_BINARY, "--config", config, "--print-config", "--log-level", "loud"},
                 &refused),
      2);
  EXPECT_NE(refused.find("--log-level"), std::string::npos) << refused;
}

TEST_F(ConfigFlagsTest, ATlsFileThatCannotLoadFailsTheCheckAndTheStart) {
  const std::string missing = dir_.Path("tls/ca.pem");
  const std::string config =
      Write("agent.yaml", "positions: {file: " + dir_.Path("state/positions") +
                              "}\n"
                              "watches:\n"
                              "  - paths: [" +
                              dir_.Path("*.log") +
                              "]\n"
                              "    labels: {job: t}\n"
                              "aggregator:\n"
                              "  address: 127.0.0.1:1\n"
                              "  tls: {ca_file: " +
                              missing + "}\n");
  const std::string named = "aggregator.tls: TLS ca_file \"" + missing + "\": cannot read";
  std::string checked;
  EXPECT_EQ(RunProgram({SILT_AGENT_BINARY, "--config", config, "--check-config"}, &checked), 1);
  EXPECT_NE(checked.find(named), std::string::npos) << checked;
  // The agent stops at once, saying why, instead of retrying the connection forever.
  std::string started;
  EXPECT_EQ(RunProgram({SILT_AGENT_BINARY, "--config", config}, &started), 1);
  EXPECT_NE(started.find("msg=\"cannot start\""), std::string::npos) << started;
  EXPECT_NE(started.find(missing), std::string::npos) << started;
  // Writing jsonl instead, the aggregator section is not used and its files do not matter.
  EXPECT_EQ(RunProgram({SILT_AGENT_BINARY, "--config", config, "--check-config", "--output",
                        "jsonl:" + dir_.Path("out.jsonl")},
                       &checked),
            0)
      << checked;
}

TEST_F(ConfigFlagsTest, ABadConfigExitsOneWithEveryErrorAndPrintsNoConfig) {
  const std::string config = Write("agent.yaml",
                                   "positions: {save_interval: soon}\n"
                                   "watches:\n"
                                   "  - paths: [/var/log/*.log]\n"
                                   "    lables: {job: varlog}\n");
  for (const char* flag : {"--print-config", "--check-config"}) {
    std::string output;
    EXPECT_EQ(RunProgram({SILT_AGENT_BINARY, "--config", config, flag}, &output), 1) << flag;
    EXPECT_NE(output.find(config + ":1:"), std::string::npos) << flag << ": " << output;
    EXPECT_NE(output.find("save_interval"), std::string::npos) << flag << ": " << output;
    EXPECT_NE(output.find("unknown key \"lables\""), std::string::npos) << flag << ": " << output;
    EXPECT_EQ(output.find("batch:"), std::string::npos) << flag << ": " << output;
  }
}

}  // namespace
}  // namespace silt::agent::testing
