// The query_range benchmark (api_bench --mode query): a fresh silt-aggregator is filled with an
// hour (--duration) of data at 10k lines/s (--rate) by QueryLoad, then typical Grafana queries
// over the whole span run `repeats` times each through GET /loki/api/v1/query_range on one
// keep-alive connection, interleaved (q1 q2 ... q5, q1 q2 ...). Per query: p50/p95 of the wall
// latency, the median server CPU per query (/proc/<pid>/stat), and the result size (streams and
// entries, or series and points, and response bytes). Not thread-safe; one bench thread.
#pragma once

#include <ostream>
#include <string>

#include "shared/status/status.h"
#include "tests/bench/api/query_load.h"

namespace silt::bench {

struct QueryOptions {
  std::string dir;   // the run directory goes here
  LoadOptions load;  // the data
  int repeats = 20;  // times each query runs
  std::string step;  // query_range step ("15s"); empty: Loki's default, max(1s, range / 250)
  std::string query_timeout;  // the server's http.query_timeout; empty: the product's (1m)
};

// Prints the load and one line per query: p50, p95, server CPU, lines processed and the result
// size. A query answered with an error status (504 after query_timeout, ...) is counted and
// shown, and the call returns IOError with its first answer after the report. Other errors:
// InvalidArgument for options out of range; the server's (not starting, an answer that is not a
// Loki success document, not exiting cleanly).
Status RunQueryBench(const QueryOptions& options, std::ostream& out);

}  // namespace silt::bench
