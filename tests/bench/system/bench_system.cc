#include "tests/bench/system/bench_system.h"

#include <sys/stat.h>

#include <cerrno>
#include <utility>

#include "tests/integration/agent/agent_harness.h"

namespace silt::bench {
namespace {

using agent::testing::ReadAll;
using agent::testing::WaitFor;
using agent::testing::WriteAll;

constexpr int kStartTimeoutMs = 30000;

// The `address=` value of the first log line holding `msg`; "" while there is none.
std::string LoggedAddress(const std::string& log, const std::string& msg) {
  const size_t line = log.find(msg);
  if (line == std::string::npos) return "";
  const size_t end_of_line = log.find('\n', line);
  const size_t key = log.find("address=", line);
  if (key == std::string::npos || key > end_of_line) return "";
  size_t begin = key + 8;
  if (log[begin] == '"') ++begin;
  const size_t end = log.find_first_of("\" \n", begin);
  return log.substr(begin, end - begin);
}

std::string Tail(const std::string& text, size_t bytes) {
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

}  // namespace

BenchSystem::BenchSystem(std::string root, const testing::TestCerts* certs, SystemOptions options)
    : root_(std::move(root)), certs_(certs), options_(std::move(options)) {}

Status BenchSystem::Prepare() {
  for (const char* sub : {"logs", "agent", "data"}) {
    if (::mkdir(Path(sub).c_str(), 0755) != 0)
      return Status::FromErrno(errno, "mkdir " + Path(sub));
  }
  WriteAll(Path("aggregator.yaml"), "data_dir: " + Path("data") +
                                        "\n"
                                        "http:\n  listen: 127.0.0.1:0\n"
                                        "agent_listener:\n"
                                        "  listen: 127.0.0.1:0\n"
                                        "  tls:\n"
                                        "    cert_file: " +
                                        certs_->server_cert() +
                                        "\n"
                                        "    key_file: " +
                                        certs_->server_key() +
                                        "\n"
                                        "    client_ca_file: " +
                                        certs_->ca() +
                                        "\n"
                                        "    client_auth: required\n"
                                        "syslog:\n  tcp_listen: \"\"\n  udp_listen: \"\"\n");
  return Status::Ok();
}

void BenchSystem::WriteAgentConfig(const std::string& aggregator_address) {
  std::string yaml = "positions:\n  file: " + positions_file() + "\n";
  if (!options_.save_interval.empty()) yaml += "  save_interval: " + options_.save_interval + "\n";
  if (!options_.batch_linger.empty() || !options_.batch_max_lines.empty()) yaml += "batch:\n";
  if (!options_.batch_linger.empty()) yaml += "  linger: " + options_.batch_linger + "\n";
  if (!options_.batch_max_lines.empty()) yaml += "  max_lines: " + options_.batch_max_lines + "\n";
  yaml += "status:\n  metrics_listen: 127.0.0.1:0\n";
  yaml += "watches:\n  - paths: [" + log_file() + "]\n    labels: {job: e2e_bench}\n";
  yaml += "aggregator:\n  address: " + aggregator_address + "\n";
  if (!options_.ship_linger.empty()) yaml += "  linger: " + options_.ship_linger + "\n";
  yaml += "  tls:\n    ca_file: " + certs_->ca() + "\n    cert_file: " + certs_->client_cert() +
          "\n    key_file: " + certs_->client_key() + "\n    server_name: localhost\n";
  WriteAll(Path("agent.yaml"), yaml);
}

Status BenchSystem::StartAggregator() {
  if (!aggregator_.Start({SILT_AGGREGATOR_BINARY, "--config", Path("aggregator.yaml")},
                         Path("aggregator.log"))) {
    return Status::IOError("cannot start " + std::string(SILT_AGGREGATOR_BINARY));
  }
  std::string address;
  WaitFor(
      [&] {
        address = LoggedAddress(ReadAll(Path("aggregator.log")), "msg=\"agent listener ready\"");
        return !address.empty() || !aggregator_.Running();
      },
      kStartTimeoutMs);
  if (address.empty()) {
    return Status::Unavailable("silt-aggregator did not log \"agent listener ready\" within " +
                               std::to_string(kStartTimeoutMs / 1000) + " s:\n" + LogTails());
  }
  WriteAgentConfig(address);
  return Status::Ok();
}

Status BenchSystem::StartAgent() {
  if (!agent_.Start({SILT_AGENT_BINARY, "--config", Path("agent.yaml")}, Path("agent.log"))) {
    return Status::IOError("cannot start " + std::string(SILT_AGENT_BINARY));
  }
  WaitFor(
      [&] {
        metrics_address_ = LoggedAddress(ReadAll(Path("agent.log")), "msg=\"serving metrics\"");
        return !metrics_address_.empty() || !agent_.Running();
      },
      kStartTimeoutMs);
  if (metrics_address_.empty()) {
    return Status::Unavailable("silt-agent did not log \"serving metrics\":\n" + LogTails());
  }
  return Status::Ok();
}

Status BenchSystem::CheckRunning() {
  if (aggregator_.Running() && agent_.Running()) return Status::Ok();
  return Status::IOError(std::string(aggregator_.Running() ? "silt-agent" : "silt-aggregator") +
                         " exited during the run:\n" + LogTails());
}

Status BenchSystem::Stop() {
  const int agent_rc = agent_.Terminate();
  const int aggregator_rc = aggregator_.Terminate(120000);
  if (agent_rc == 0 && aggregator_rc == 0) return Status::Ok();
  return Status::IOError("on SIGTERM silt-agent exited with " + std::to_string(agent_rc) +
                         " and silt-aggregator with " + std::to_string(aggregator_rc) +
                         " (-1: did not exit in time):\n" + LogTails());
}

std::string BenchSystem::ConfigText() const {
  return "--- aggregator.yaml\n" + ReadAll(Path("aggregator.yaml")) + "--- agent.yaml\n" +
         ReadAll(Path("agent.yaml"));
}

std::string BenchSystem::LogTails() const {
  return "--- aggregator.log (tail)\n" + Tail(ReadAll(Path("aggregator.log")), 3000) +
         "\n--- agent.log (tail)\n" + Tail(ReadAll(Path("agent.log")), 3000);
}

}  // namespace silt::bench
