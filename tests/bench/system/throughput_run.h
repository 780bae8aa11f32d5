// The throughput run of e2e_bench: a pre-written file of unique fixed-size lines is shipped by a
// freshly started silt-agent to a freshly started silt-aggregator (TLS, fsync'd WAL), and the wall
// time from the agent's start until its positions file confirms the whole file (every line
// acked, so durable) is measured, with both processes' CPU seconds. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "shared/status/result.h"
#include "tests/bench/system/bench_system.h"
#include "tests/support/test_certs.h"

namespace silt::bench {

struct ThroughputOptions {
  std::string data_file;  // the pre-written lines; hard-linked into each run's logs/
  uint64_t lines = 0;     // lines in data_file
  uint64_t bytes = 0;     // size of data_file, newlines included
  SystemOptions system;
  int poll_interval_us = 1000;  // how often the positions file is read
  int timeout_s = 600;          // a run that takes longer fails
};

struct ThroughputSample {
  double wall_s = 0;            // agent start to the whole file confirmed
  double agent_cpu_s = 0;       // silt-agent's user + sys from its start (includes startup)
  double aggregator_cpu_s = 0;  // silt-aggregator's user + sys during the same window
  std::string configs;          // both config files, for the report
};

// One run in a fresh directory `root` (created; removed by the caller). IOError/Unavailable with
// the processes' log tails when a process fails, exits early or the deadline passes.
Result<ThroughputSample> RunThroughput(const ThroughputOptions& options,
                                       const testing::TestCerts& certs, const std::string& root);

// Writes `lines` lines of `line_bytes` bytes (+ '\n') to `path` with LineMaker, each prefixed by
// its 10-digit sequence number. IOError naming the path on failure.
Status WriteDataFile(const std::string& path, uint64_t lines, uint32_t line_bytes);

}  // namespace silt::bench
