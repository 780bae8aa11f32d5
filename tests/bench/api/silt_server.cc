#include "tests/bench/api/silt_server.h"

#include <cstdlib>
#include <utility>

#include "tests/bench/api/http_client.h"
#include "tests/integration/agent/agent_harness.h"

namespace silt::bench {
namespace {

using agent::testing::ReadAll;
using agent::testing::WaitFor;
using agent::testing::WriteAll;

constexpr int kStartTimeoutMs = 60000;

// The port of `address=127.0.0.1:<port>` on the first log line holding `msg`; 0 while none.
int LoggedPort(const std::string& log, const std::string& msg) {
  const size_t line = log.find(msg);
  if (line == std::string::npos) return 0;
  const std::string key = "address=127.0.0.1:";
  const size_t at = log.find(key, line);
  if (at == std::string::npos || at > log.find('\n', line)) return 0;
  return std::atoi(log.c_str() + at + key.size());
}

}  // namespace

SiltServer::SiltServer(std::string root, SiltServerOptions options)
    : root_(std::move(root)), options_(std::move(options)) {}

Status SiltServer::Start() {
  WriteAll(
      Path("aggregator.yaml"),
      "data_dir: " + Path("data") + "\nhttp:\n  listen: 127.0.0.1:0\n" +
          (options_.query_timeout.empty() ? ""
                                          : "  query_timeout: " + options_.query_timeout + "\n") +
          "agent_listener:\n  listen: 127.0.0.1:0\n" +
          "syslog:\n  tcp_listen: " + (options_.syslog_tcp ? "127.0.0.1:0" : "\"\"") +
          "\n  udp_listen: \"\"\n" + options_.extra_yaml);
  if (!process_.Start({SILT_AGGREGATOR_BINARY, "--config", Path("aggregator.yaml")},
                      Path("aggregator.log"))) {
    return Status::IOError("cannot start " + std::string(SILT_AGGREGATOR_BINARY) + ":\n" +
                           LogTail());
  }
  const bool up = WaitFor(
      [&] {
        const std::string log = ReadAll(Path("aggregator.log"));
        http_port_ = LoggedPort(log, "msg=\"http listener ready\"");
        if (options_.syslog_tcp) {
          syslog_tcp_port_ = LoggedPort(log, "msg=\"syslog listener ready\" transport=tcp");
        }
        if (!process_.Running()) return true;
        if (http_port_ == 0 || (options_.syslog_tcp && syslog_tcp_port_ == 0)) return false;
        HttpClient client(http_port_);
        Result<HttpReply> ready = client.Request("GET", "/ready", {}, "");
        return ready.ok() && ready->status == 200;
      },
      kStartTimeoutMs);
  if (!up || !process_.Running()) {
    return Status::Unavailable("silt-aggregator in " + root_ +
                               " did not become ready (HTTP listener logged, GET /ready 200) "
                               "within 60 s:\n" +
                               LogTail());
  }
  return Status::Ok();
}

Status SiltServer::Stop() {
  const int rc = process_.Terminate(120000);
  if (rc == 0) return Status::Ok();
  return Status::IOError("silt-aggregator in " + root_ + " exited with " + std::to_string(rc) +
                         " on SIGTERM (-1: not within 2 min):\n" + LogTail());
}

Status SiltServer::CheckRunning() {
  if (process_.Running()) return Status::Ok();
  return Status::IOError("silt-aggregator in " + root_ + " exited during the run:\n" + LogTail());
}

Result<double> SiltServer::Metric(const std::string& series) const {
  HttpClient client(http_port_);
  SILT_ASSIGN_OR_RETURN(HttpReply reply, client.Request("GET", "/metrics", {}, ""));
  if (reply.status != 200) {
    return Status::IOError("GET /metrics answered " + std::to_string(reply.status));
  }
  const std::string text = "\n" + reply.body;
  const std::string key = "\n" + series + " ";
  const size_t at = text.find(key);
  if (at == std::string::npos) return 0.0;
  return std::strtod(text.c_str() + at + key.size(), nullptr);
}

std::string SiltServer::LogTail() const {
  const std::string log = ReadAll(Path("aggregator.log"));
  return "--- aggregator.log (tail)\n" + (log.size() > 3000 ? log.substr(log.size() - 3000) : log);
}

}  // namespace silt::bench
