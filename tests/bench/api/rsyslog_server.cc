#include "tests/bench/api/rsyslog_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

#include "tests/integration/agent/agent_harness.h"

namespace silt::bench {
namespace {

using agent::testing::ReadAll;
using agent::testing::WaitFor;
using agent::testing::WriteAll;

constexpr char kRsyslogd[] = "/usr/sbin/rsyslogd";

}  // namespace

RsyslogServer::RsyslogServer(std::string root, bool sync) : root_(std::move(root)), sync_(sync) {}

Status RsyslogServer::Start() {
  if (::access(kRsyslogd, X_OK) != 0) {
    return Status::IOError(std::string(kRsyslogd) +
                           " not found: install the rsyslog package (scripts/setup)");
  }
  const std::string work = root_ + "/work";
  if (::mkdir(work.c_str(), 0755) != 0) return Status::FromErrno(errno, "mkdir " + work);
  WriteAll(root_ + "/rsyslog.conf",
           "global(workDirectory=\"" + work + "\" processInternalMessages=\"on\")\n" +
               "module(load=\"imtcp\")\n" +
               "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" listenPortFileName=\"" +
               root_ + "/port\" ruleset=\"bench\")\n" + "ruleset(name=\"bench\") {\n" +
               "  action(type=\"omfile\" file=\"" + output_file() + "\" sync=\"" +
               (sync_ ? "on" : "off") + "\")\n}\n");
  if (!process_.Start({kRsyslogd, "-n", "-f", root_ + "/rsyslog.conf", "-i", root_ + "/pid"},
                      root_ + "/rsyslogd.log")) {
    return Status::IOError("cannot start " + std::string(kRsyslogd) + ":\n" + Output());
  }
  WaitFor(
      [&] {
        port_ = std::atoi(ReadAll(root_ + "/port").c_str());
        return port_ != 0 || !process_.Running();
      },
      30000);
  if (port_ == 0) {
    return Status::Unavailable("rsyslogd in " + root_ +
                               " did not write its imtcp port within 30 s:\n" + Output());
  }
  return Status::Ok();
}

Status RsyslogServer::Stop() {
  const int rc = process_.Terminate();
  if (rc == 0) return Status::Ok();
  return Status::IOError("rsyslogd in " + root_ + " exited with " + std::to_string(rc) +
                         " on SIGTERM:\n" + Output());
}

std::string RsyslogServer::Output() const {
  return "--- rsyslogd.log\n" + ReadAll(root_ + "/rsyslogd.log");
}

}  // namespace silt::bench
