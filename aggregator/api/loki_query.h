// LokiQuery: one LogQL query with Loki's query parameters, run against a StorageEngine and
// answered with Loki's JSON (aggregator/logql/exec/loki_json.h). Both `silt-aggregator query`
// (aggregator/app/query_command.h) and the HTTP API (GET /loki/api/v1/query and /query_range,
// loki_api.h) go through RunLokiQuery, so they agree on defaults, limits and error wording.
//
// Parameters, as Loki reads them (every field is the raw text; empty means absent):
//   query_range: end (default now), start (default end - since; since defaults to 1h), limit
//     (100), direction (backward|forward, any case), step (metric queries; a duration or float
//     seconds, default max(1s, floor((end - start) / 250)) in whole seconds), interval (log
//     queries; a duration or float seconds >= 0: an entry is returned only when it lies at
//     least `interval` from the previously returned one, over all streams, as Loki does).
//   query (instant): time (default now), limit, direction. A metric query is evaluated once at
//     `time`; a log query reads the `since` (default 1h) up to and including `time`.
// A log query reads [start, end); a metric range query evaluates start, start + step, ... <= end.
//
// Thread-safety: RunLokiQuery uses only its arguments; several may run at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aggregator/engine/storage_engine.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"

namespace silt::api {

struct LokiQueryRequest {
  std::string query;
  std::string start;
  std::string end;
  std::string since;  // a duration; empty: 1h
  std::string limit;  // entries of a log query; empty: 100
  std::string direction;
  std::string step;
  std::string interval;  // log range queries; empty: 0 (every entry)
  std::string time;      // instant queries; empty: now
  bool instant = false;  // GET /loki/api/v1/query
};

struct LokiQueryOptions {
  // Quoted before a parameter's name in errors: "" for the HTTP API ("start"), "--" for the
  // command line ("--start").
  std::string param_prefix;
  bool use_blooms = true;
  int64_t timeout_ns = 60 * time::kSecond;  // 0: none
  const time::Clock* clock = nullptr;       // required: "now" and the timeout
  size_t max_entries_limit = 5000;          // Loki's max_entries_limit_per_query; 0: none
  size_t max_series = 0;                    // 0: none
  int64_t max_query_memory_bytes = 512 * units::kMiB;  // 0: none
  // What the operator raises when the memory budget is exceeded (a config key or a flag).
  std::string max_query_memory_name = "max_query_memory";
};

// A step or interval parameter as Loki reads it: float seconds ("15", "0.5") or a duration
// ("30s", "1m30s"), in nanoseconds. InvalidArgument naming `name` (with its prefix) when it is
// neither; the sign is not checked.
Result<int64_t> ParseSecondsOrDuration(std::string_view name, const std::string& text);

// Loki's default step of a range of [start, end]: max(1, floor(range seconds / 250)) seconds.
int64_t DefaultStep(int64_t start, int64_t end);

// Checks what can be checked without data: the query parses (a log query's pipeline compiles),
// and every parameter is well formed. InvalidArgument with Loki's wording ("parse error at line
// 1, col N: ...", "invalid direction 'x'", ...) naming the parameter.
Status CheckLokiQuery(const LokiQueryRequest& request, const LokiQueryOptions& options);

// Runs `request` for `tenant` and returns the response body (one line of JSON, no newline).
// InvalidArgument as CheckLokiQuery, plus a limit over max_entries_limit, end before start, too
// many steps, or a query that fails to evaluate; ResourceExhausted for the timeout, the series
// limit or the memory budget (naming max_query_memory_name); the engine's errors otherwise.
Result<std::string> RunLokiQuery(const engine::StorageEngine& engine, std::string_view tenant,
                                 const LokiQueryRequest& request, const LokiQueryOptions& options);

}  // namespace silt::api
