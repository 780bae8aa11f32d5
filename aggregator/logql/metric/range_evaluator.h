// Range aggregations (`rate({app="api"} |= "error" [5m])`, `quantile_over_time(0.9, ... | unwrap
// latency [1m]) by (route)`) evaluated at every step of a query, as Loki's range vector
// evaluator does:
//
//   1. every stream the selector matches is read ONCE, oldest first, over
//      (start - range - offset, end - offset], through the query's pipeline and the
//      SampleExtractor; samples are grouped into series by their labels. A query spanning
//      more than 8 ranges is read in slices of steps spanning at most 8 ranges each (each
//      slice re-reads the one range before its first step), so only one slice's samples are
//      held at a time; a slice whose samples still do not fit the query's memory is split in
//      halves, down to one step;
//   2. at each step T the window (T - offset - range, T - offset] is found by sliding two
//      indexes forward over each series' time-ordered samples (storage is never read again),
//      and the range function (range_functions.h) of a non-empty window is the series' value
//      at T. An entry exactly at T - offset - range is outside the window; one exactly at
//      T - offset is inside;
//   3. a series with `__error__` whose window holds a sample fails the query with Loki's
//      "pipeline error: 'JSONParserErr' for series: '{...}'" (InvalidArgument): filter errors
//      out with `| __error__=""` (or drop the labels with `| drop __error__, __error_details__`);
//   4. absent_over_time gives, at each step where no series has a sample, one sample of value 1
//      whose labels are the selector's `=` matchers (a name matched twice or by another matcher
//      type is left out), as Loki.
//
// Memory (exec/query_memory.h): the buffered samples are charged per growth of a series'
// sample vector, before it grows (MemoryUse::kSamples); each new series its labels and
// bookkeeping (kSeries); the per-step output vectors per series evaluated (kSteps, carried by
// the returned StepValues). Samples and series are released once the windows are evaluated.
//
// Thread-safety: one call uses only its arguments.
#pragma once

#include <span>
#include <vector>

#include "aggregator/logql/metric/eval_context.h"
#include "aggregator/logql/metric/range_functions.h"
#include "aggregator/logql/metric/step_values.h"
#include "aggregator/logql/metric_expr.h"
#include "shared/status/result.h"

namespace silt::logql::metric {

// The samples of one series of a range aggregation, in time order.
struct RangeSeries {
  labels::LabelSet labels;
  std::vector<RangeSample> samples;
};

// Reads the streams and evaluates `aggregation` at every step of ctx.grid. Errors: the
// pipeline's compile errors, the engine's, the deadline's, the pipeline error above.
Result<StepValues> EvaluateRangeAggregation(const RangeAggregation& aggregation,
                                            const EvalContext& ctx);

// Step 2 to 4 on series already read (sorted by labels): one vector per step of `grid`. When
// `steps_memory` is set, the vectors' slots are charged to it as they fill (one charge per
// series), and the budget's error stops the evaluation.
Result<std::vector<Vector>> EvaluateWindows(const RangeAggregation& aggregation,
                                            std::span<const RangeSeries> series,
                                            const StepGrid& grid,
                                            const exec::QueryDeadline& deadline,
                                            exec::MemoryLease* steps_memory = nullptr);

// The labels absent_over_time gives for `selector`.
labels::LabelSet AbsentLabels(const std::vector<labels::Matcher>& selector);

}  // namespace silt::logql::metric
