// ExecuteMetricQuery: evaluates a LogQL metric query (aggregator/logql/metric_expr.h) against
// the storage engine, as Loki's engine does for GET /loki/api/v1/query_range (a range query:
// start, end, step) and /loki/api/v1/query (an instant query at one time):
//
//   - the expression is evaluated bottom-up over the step grid start, start + step, ... <= end
//     (range_evaluator.h reads each stream once and slides windows; vector_aggregation.h,
//     binary_evaluator.h and label_replace.h work step by step; `vector(N)` is one sample
//     without labels per step; a number is a scalar);
//   - a range query returns a matrix: one series per label set with its points in time order,
//     series sorted by labels (a scalar expression becomes one series without labels);
//   - an instant query returns a vector sorted by labels (by value when the outermost
//     expression is sort / sort_desc) or a scalar.
//
// Limits, with Loki's wording: at most max_points steps ("exceeded maximum resolution of 11,000
// points per timeseries. Try decreasing the query resolution (?step=XX)"), a positive step, at
// most max_series series in the result ("maximum of series (500) reached for a single query"),
// the timeout (checked while reading and between steps), and max_query_memory_bytes for what
// the query holds at once (exec/query_memory.h: the reading cursor's blocks, the buffered
// samples and series, the step vectors and aggregation groups of every node).
//
// Thread-safety: a call uses only its arguments; several queries may run at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/logql/exec/loki_json.h"
#include "aggregator/logql/exec/query_memory.h"
#include "aggregator/logql/exec/query_stats.h"
#include "aggregator/logql/metric_expr.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"
#include "shared/units/byte_size.h"

namespace silt::logql::metric {

struct MetricQueryParams {
  int64_t start = 0;  // ns since the epoch; the first step (range queries)
  int64_t end = 0;    // ns; the last possible step, and the time of an instant query
  int64_t step = 0;   // ns; > 0 (range queries)
  bool instant = false;
};

struct MetricExecutorOptions {
  bool use_blooms = true;
  int64_t timeout_ns = 0;              // 0: none; needs `clock`
  const time::Clock* clock = nullptr;  // must outlive the call when set
  size_t max_series = 0;               // 0: none (Loki's max_query_series)
  size_t max_points = 11000;           // steps of a range query
  // Most bytes the query may hold at once; 0 for none. The error quotes max_query_memory_name,
  // what the operator raises (a config key or a flag).
  int64_t max_query_memory_bytes = 512 * units::kMiB;
  std::string max_query_memory_name = "max_query_memory_bytes";
  // When set, the query charges this accounting (whose own limit applies) instead of one built
  // from the two fields above; lets a caller watch the peak. Must outlive the call.
  exec::QueryMemory* memory = nullptr;
};

struct MetricQueryResult {
  enum class Type : unsigned char { kMatrix, kVector, kScalar };
  Type type = Type::kMatrix;
  std::vector<exec::MetricSeries> matrix;
  std::vector<exec::MetricSample> vector;  // at `timestamp_ns`
  double scalar = 0;                       // at `timestamp_ns`
  int64_t timestamp_ns = 0;                // instant queries
  exec::QueryStats stats;
};

// Errors: InvalidArgument for bad parameters, a pipeline error or a matching error;
// ResourceExhausted for the series limit, the timeout or the memory budget; the engine's errors.
Result<MetricQueryResult> ExecuteMetricQuery(const engine::StorageEngine& engine,
                                             std::string_view tenant, const MetricExpr& expr,
                                             const MetricQueryParams& params,
                                             const MetricExecutorOptions& options);

// The Loki JSON response for `result` (exec/loki_json.h), without a trailing newline.
std::string EncodeMetricResponse(const MetricQueryResult& result);

}  // namespace silt::logql::metric
