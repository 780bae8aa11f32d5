// Binary operations between metric expressions, with Prometheus' semantics (Loki uses them):
//   - arithmetic + - * / % ^ (IEEE: x/0 is ±Inf or NaN, % is fmod, ^ is pow);
//   - comparisons == != > < >= <= filter (a vector keeps its samples where the comparison holds,
//     with the vector's value, even when the scalar is on the left) or, with `bool`, give 1 or 0;
//     between two scalars `bool` is required;
//   - scalar-scalar gives a scalar; vector-scalar applies to each sample, labels unchanged;
//   - vector-vector matches samples by their labels: all of them by default, `on (a)` only a,
//     `ignoring (b)` all but b. One-to-one matching needs unique signatures on both sides
//     ("multiple matches for labels: many-to-one matching must be explicit
//     (group_left/group_right)"; "found duplicate series for the match group ... on the right
//     hand-side of the operation"); `group_left (c)` lets many left samples match one right
//     sample (group_right the reverse), copying the listed labels from the "one" side. The
//     result's labels are the left (the "many") side's; one-to-one `on` keeps only the `on`
//     labels and `ignoring` drops the ignored ones;
//   - and / or / unless are set operations on signatures (all labels by default).
// Pure functions; thread-safe.
#pragma once

#include "aggregator/logql/metric/step_values.h"
#include "aggregator/logql/metric_expr.h"
#include "shared/status/result.h"

namespace silt::logql::metric {

// Applies `expr`'s operator to its evaluated operands, step by step. InvalidArgument with
// Prometheus' wording for the matching errors, a set operation with a scalar, or a comparison
// of two scalars without `bool`.
Result<StepValues> EvaluateBinary(const BinaryExpr& expr, StepValues lhs, StepValues rhs);

// One vector-vector step (exposed for tests).
Result<Vector> VectorBinary(const BinaryExpr& expr, const Vector& lhs, const Vector& rhs);

}  // namespace silt::logql::metric
