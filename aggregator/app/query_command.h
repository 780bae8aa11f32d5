// QueryCommand: `silt-aggregator query`, which runs a LogQL log query against a data directory
// without a running server and prints Loki's query_range JSON (aggregator/logql/exec/loki_json.h):
//
//   silt-aggregator query --data-dir D [--tenant fake] [--since 1h | --start T [--end T]]
//                         [--limit 100] [--direction backward|forward] [--no-blooms]
//                         [--timeout 1m] '{job="api"} |= "error"'
//
// Times are Loki's query parameters (time::ParseLokiTime: RFC 3339, unix seconds or ns); the
// range is [start, end) with end defaulting to now and start to end - since (default 1h), as
// Loki's query_range. The directory's LOCK refuses a directory a running server uses. Metric
// queries are refused for now with a message naming the issue that adds them.
// Thread-safety: RunQuery blocks; one call at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "shared/log/logger.h"
#include "shared/status/status.h"

namespace silt::aggregator {

struct QueryCommandOptions {
  std::string data_dir;
  std::string tenant = "fake";
  std::string since = "1h";  // used when start is empty
  std::string start;         // Loki time; empty: end - since
  std::string end;           // Loki time; empty: now
  size_t limit = 100;
  std::string direction = "backward";
  bool use_blooms = true;
  std::string timeout = "1m";  // 0 for none
  size_t max_series = 0;       // 0 for none
  std::string query;
};

// Prints the JSON (one line) to `out`. InvalidArgument for bad flags, a query that does not
// parse (Loki's "parse error at line 1, col N: ..."), or a metric query; Unavailable for a
// locked directory; NotFound for a missing one; ResourceExhausted for the timeout or the series
// limit.
Status RunQuery(const QueryCommandOptions& options, std::FILE* out, log::Logger* logger);

}  // namespace silt::aggregator
