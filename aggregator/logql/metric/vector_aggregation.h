// Vector aggregations (`sum by (level) (...)`, `topk(3, ...)`, `sort_desc(...)`) applied to the
// vector of every step, with Prometheus' semantics as Loki uses them:
//   - groups: `by (a, b)` keeps only the listed labels, `without (c)` drops the listed ones, no
//     grouping puts every sample in one group with no labels;
//   - sum, min, max (NaN replaced by any number), count, avg (running mean), stdvar / stddev
//     (Welford, population) give one sample per group with the group's labels;
//   - topk / bottomk keep, per group, the k largest / smallest samples with their own labels;
//     NaN ranks last, and ties go to the sample whose labels sort first (Loki leaves the choice
//     to map order; Silt makes it deterministic);
//   - sort / sort_desc order the samples by value (ties by labels); only an instant query's
//     outermost sort is visible, since a matrix is ordered by labels.
// Memory (exec/query_memory.h): a step's groups (state, labels, index) are charged as they are
// made and released after the step (MemoryUse::kSteps); the result's slots are charged on its
// StepValues lease at the end.
// Pure functions (apart from the charges); thread-safe.
#pragma once

#include "aggregator/logql/metric/step_values.h"
#include "aggregator/logql/metric_expr.h"
#include "shared/status/result.h"

namespace silt::logql::metric {

// Aggregates `input` step by step. InvalidArgument when `input` is a scalar (an aggregation
// needs a vector: "expected type instant vector in aggregation expression, got scalar");
// the budget's error when `memory` (may be null: nothing is charged) runs out.
Result<StepValues> AggregateVectors(const VectorAggregation& aggregation, StepValues input,
                                    exec::QueryMemory* memory = nullptr);

// The labels of `labels` that `grouping` keeps (none without a grouping).
labels::LabelSet GroupLabels(const labels::LabelSet& labels,
                             const std::optional<Grouping>& grouping);

// Orders `vector` by value, ascending or descending; NaN last; ties by labels.
void SortByValue(Vector* vector, bool descending);

}  // namespace silt::logql::metric
