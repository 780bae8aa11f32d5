// The Loki push benchmark (api_bench --mode push): the same entries pushed as JSON and as
// protobuf+snappy to fresh silt-aggregator processes, alternately (JSON, protobuf, JSON, ...),
// one request at a time on one keep-alive connection, each answered 204 only after its WAL
// record is fsync'd. Per run: wall time of the pushes and the server's CPU seconds over them
// (/proc/<pid>/stat), so lines/s per aggregator core. Not thread-safe; one bench thread.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "shared/status/status.h"

namespace silt::bench {

struct PushOptions {
  std::string dir;                      // run directories go here (the disk that fsyncs)
  uint64_t lines = 1'000'000;           // entries per run (rounded down to whole bodies)
  uint32_t entries_per_body = 100'000;  // entries per request
  uint32_t streams = 10;                // {job="bench", host="h0".."h<n-1>"}
  uint32_t line_bytes = 115;            // silt-loggen logfmt --line-size
  int runs = 3;                         // measured runs of each format
  int warmup = 0;                       // unmeasured runs of each format before them
};

// Prints the workload, one line per run and format, and the medians and their ratio to `out`.
// InvalidArgument for options out of range; the server's or the client's error otherwise
// (a push not answered 204, entries not all counted, the server not exiting cleanly).
Status RunPushBench(const PushOptions& options, std::ostream& out);

}  // namespace silt::bench
