// QueryCommand: `silt-aggregator query`, which runs a LogQL query against a data directory
// without a running server and prints Loki's JSON (aggregator/logql/exec/loki_json.h):
//
//   silt-aggregator query --data-dir D [--tenant fake] [--since 1h | --start T [--end T]]
//                         [--limit 100] [--direction backward|forward] [--no-blooms]
//                         [--timeout 1m] [--max-query-memory 512MiB] [--step 30s] [--instant]
//                         '{job="api"} |= "error"'
//
// Times are Loki's query parameters (time::ParseLokiTime: RFC 3339, unix seconds or ns), with
// end defaulting to now and start to end - since (default 1h), as Loki's query_range. A log
// query reads [start, end) and returns streams. A metric query (aggregator/logql/metric) is a
// range query over the steps start, start + step, ... <= end (a matrix; --step is a duration
// or float seconds, by default max(1s, floor((end - start) / 250)) rounded to whole seconds, as
// Loki), or with --instant one evaluation at end (a vector or a scalar). The directory's LOCK
// refuses a directory a running server uses. The query runs through api::RunLokiQuery
// (aggregator/api/loki_query.h), exactly as GET /loki/api/v1/query_range does.
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
  std::string timeout = "1m";               // 0 for none
  size_t max_series = 0;                    // 0 for none
  std::string max_query_memory = "512MiB";  // byte size (units::ParseByteSize); 0 for none
  std::string step;                         // metric range queries; empty: Loki's default
  bool instant = false;                     // metric queries: evaluate at end only
  std::string query;
};

// Prints the JSON (one line) to `out`. InvalidArgument for bad flags, a query that does not
// parse (Loki's "parse error at line 1, col N: ..."), --step/--instant with a log query, or a
// metric query that fails to evaluate (pipeline or matching errors, too many points);
// Unavailable for a locked directory; NotFound for a missing one; ResourceExhausted for the
// timeout, the series limit or the memory budget (the message names --max-query-memory).
Status RunQuery(const QueryCommandOptions& options, std::FILE* out, log::Logger* logger);

}  // namespace silt::aggregator
