// The syslog benchmark (api_bench --mode syslog): the same RFC 5424 TCP stream (SyslogStream)
// sent to a fresh silt-aggregator (syslog TCP listener, entries stored durably in the fsync'd
// WAL) and to a private rsyslogd writing it to a file (RsyslogServer), alternately. Per run: wall
// time from the first connect until the last message is in (Silt: the counter
// silt_syslog_entries_total{transport="tcp",outcome="accepted"} reaches N; rsyslog: out.log has
// N lines), and the server's CPU seconds over that window (/proc/<pid>/stat), so lines/s per
// server core. Not thread-safe; one bench thread (the stream is sent from threads of its own).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "shared/status/status.h"

namespace silt::bench {

struct SyslogOptions {
  std::string dir;             // run directories go here
  uint64_t lines = 1'000'000;  // messages per run
  int connections = 4;         // TCP connections the messages are dealt to
  bool octet_counting = true;  // RFC 6587 octet counting; false: LF framing
  uint32_t line_bytes = 120;   // silt-loggen syslog5424 --line-size
  bool rsyslog_sync = false;   // omfile sync="on" (fsync per batch) for rsyslog
  int runs = 3;                // measured runs of each server
  int warmup = 0;              // unmeasured runs of each before them
};

// Prints the workload, one line per run and server, the medians and the Silt/rsyslog ratio.
// InvalidArgument for options out of range; a server's error (not starting, exiting, not
// receiving every message within 10 min) otherwise.
Status RunSyslogBench(const SyslogOptions& options, std::ostream& out);

}  // namespace silt::bench
