// RsyslogServer: a private rsyslogd (Debian's rsyslog package) for the syslog benchmark, run in
// the foreground (-n) with its own config, pid file and work directory under `root`: imtcp on
// 127.0.0.1 port 0 (the port it picked is written to a file), octet-counted and LF framing, every
// message from that input written by omfile to out.log (the default RSYSLOG_FileFormat template,
// one line per message). Internal messages stay inside this instance (processInternalMessages),
// so the system's logging is never touched. Not thread-safe; one bench thread drives it.
#pragma once

#include <sys/types.h>

#include <string>

#include "shared/status/status.h"
#include "tests/integration/system/child_process.h"

namespace silt::bench {

class RsyslogServer {
 public:
  // `root` must exist and be empty. `sync`: omfile sync="on" (fsync after each batch, as Silt's
  // WAL does) instead of rsyslog's default of leaving the data in the page cache.
  RsyslogServer(std::string root, bool sync);
  ~RsyslogServer() = default;

  // Writes rsyslog.conf, starts rsyslogd and waits (up to 30 s) for the port file. IOError when
  // rsyslogd is missing (install it with scripts/setup); Unavailable with its output when it
  // does not come up.
  Status Start();
  // SIGTERM and wait; IOError with rsyslogd's output when it does not exit cleanly.
  Status Stop();

  int port() const { return port_; }
  pid_t pid() const { return process_.pid(); }
  std::string output_file() const { return root_ + "/out.log"; }

 private:
  std::string Output() const;

  std::string root_;
  bool sync_;
  testing::ChildProcess process_;
  int port_ = 0;
};

}  // namespace silt::bench
