// SiltServer: one real silt-aggregator (the binary of this build) in a fresh directory for an API
// benchmark run: aggregator.yaml (data dir, HTTP and agent listener on 127.0.0.1:0, syslog TCP on
// 127.0.0.1:0 or off, UDP off, the product defaults otherwise plus the caller's extra YAML), its
// log, the WAL and chunk files. The ports are read from the server's "... listener ready" log
// lines. Not thread-safe; one bench thread drives it (HTTP clients of its port may be on others).
#pragma once

#include <sys/types.h>

#include <string>

#include "shared/status/result.h"
#include "shared/status/status.h"
#include "tests/integration/system/child_process.h"

namespace silt::bench {

struct SiltServerOptions {
  bool syslog_tcp = false;    // listen for syslog on TCP (port 0); off: tcp_listen ""
  std::string query_timeout;  // http.query_timeout ("5m"); empty: the product default (1m)
  std::string extra_yaml;     // appended to aggregator.yaml as is (top-level sections)
};

class SiltServer {
 public:
  // `root` must exist and be empty; everything of the run goes under it.
  SiltServer(std::string root, SiltServerOptions options);
  // SIGKILLs the server if still running; Stop() is the graceful way.
  ~SiltServer() = default;

  // Writes aggregator.yaml, starts the server and waits (up to 60 s) until its HTTP listener
  // (and the syslog TCP listener when asked) are logged and GET /ready answers 200 (WAL replayed).
  // Unavailable with the log's tail when it does not come up.
  Status Start();
  // SIGTERM and wait (up to 2 min) for a clean exit; IOError with the log's tail otherwise.
  Status Stop();
  // IOError with the log's tail when the server has exited.
  Status CheckRunning();

  // The value of the sample `series` (the exact text before the value on a /metrics line, e.g.
  // `silt_push_entries_received_total{format="json"}`); 0 when the series is absent (a counter
  // not yet incremented). IOError when /metrics cannot be read.
  Result<double> Metric(const std::string& series) const;

  int http_port() const { return http_port_; }
  int syslog_tcp_port() const { return syslog_tcp_port_; }
  pid_t pid() const { return process_.pid(); }
  std::string Path(const std::string& name) const { return root_ + "/" + name; }
  std::string LogTail() const;

 private:
  std::string root_;
  SiltServerOptions options_;
  testing::ChildProcess process_;
  int http_port_ = 0;
  int syslog_tcp_port_ = 0;
};

}  // namespace silt::bench
