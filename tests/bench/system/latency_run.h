// The latency run of e2e_bench: while silt-agent ships to silt-aggregator (TLS, fsync'd WAL), a
// writer thread appends unique lines at a fixed rate, in one write(2) per burst every
// `burst_interval_us`, each line starting with its write time ("t=<unix ns> n=<seq>"). The main
// thread reads the agent's positions file every `poll_interval_us`; a line is known durable at
// the first read whose confirmed offset covers it. Write-to-durable latency = that moment minus
// the write time, so it includes up to one positions.save_interval (plus the save's fsync) of
// observation delay: an upper bound. The agent's own histogram of batch write -> Ack
// (silt_agent_shipper_ack_latency_seconds, scraped from its /metrics) is reported beside it.
// Not thread-safe (owns its writer thread).
#pragma once

#include <cstdint>
#include <string>

#include "shared/status/result.h"
#include "tests/bench/system/bench_system.h"
#include "tests/support/test_certs.h"

namespace silt::bench {

struct LatencyOptions {
  uint32_t line_bytes = 120;
  double rate = 50000;           // lines per second
  double duration_s = 10;        // how long the writer writes
  int burst_interval_us = 2000;  // one write(2) this often
  int poll_interval_us = 1000;   // positions file reads
  int timeout_s = 120;           // after the writer stops, for the last line to be confirmed
  SystemOptions system;
};

struct LatencySample {
  uint64_t lines = 0;
  double achieved_rate = 0;  // lines written / writer wall time
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  double ack_p50_ms = 0, ack_p99_ms = 0;  // from the agent's histogram (bucket interpolation)
  double ack_batches = 0;                 // batches in that histogram
  std::string configs;
};

// One run in a fresh directory `root` (created; removed by the caller). Errors as RunThroughput.
Result<LatencySample> RunLatency(const LatencyOptions& options, const testing::TestCerts& certs,
                                 const std::string& root);

}  // namespace silt::bench
