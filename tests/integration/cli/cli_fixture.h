// CliTest: a real silt-aggregator (AggregatorProcessTest: temp dir, port 0) that accepts old
// timestamps (so tests push fixed ones), and helpers to push Loki JSON with the real curl and to
// run `silt` against it.
#pragma once

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/agent/agent_harness.h"
#include "tests/integration/aggregator/aggregator_process.h"
#include "tests/integration/cli/silt_runner.h"

namespace silt::testing {

class CliTest : public AggregatorProcessTest {
 protected:
  void SetUp() override {
    AggregatorProcessTest::SetUp();
    WriteConfig("", std::string(kSyslogOnFreePorts) + "limits:\n  reject_old_samples: false\n");
    ASSERT_NE(StartServer(), 0);
    http_port_ = HttpPort();
    ASSERT_NE(http_port_, 0) << ServerLog();
    addr_ = "http://127.0.0.1:" + std::to_string(http_port_);
  }

  // POSTs `body` (Loki push JSON) to /loki/api/v1/push with curl; expects 204.
  void Push(const std::string& body, const std::string& tenant = "") {
    const std::string file = dir_.Path("push-" + std::to_string(++pushes_) + ".json");
    std::ofstream(file, std::ios::binary) << body;
    std::vector<std::string> args = {
        "/usr/bin/curl", "-s",      "-o",   "/dev/null", "-w",
        "%{http_code}",  "-X",      "POST", "-H",        "Content-Type: application/json",
        "--data-binary", "@" + file};
    if (!tenant.empty()) args.insert(args.end(), {"-H", "X-Scope-OrgID: " + tenant});
    args.push_back(addr_ + "/loki/api/v1/push");
    std::string status;
    ASSERT_EQ(agent::testing::RunProgram(args, &status), 0) << status;
    ASSERT_EQ(status, "204");
  }

  // Runs silt with SILT_ADDR pointing at the server (plus `env`).
  SiltRun Silt(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    env.emplace("SILT_ADDR", addr_);
    return RunSilt(dir_.path(), args, env);
  }

  int http_port_ = 0;
  std::string addr_;
  int pushes_ = 0;
};

}  // namespace silt::testing
