// StepValues: the value of a metric expression over a query's steps, as the evaluator passes it
// from node to node: a scalar (a number literal, or arithmetic on numbers: the same at every
// step) or one instant vector per step. StepGrid says which steps: start, start + step, ...,
// up to end inclusive (one step, at end, for an instant query).
// Value types; thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "shared/labels/label_set.h"

namespace silt::logql::metric {

struct Sample {
  labels::LabelSet labels;
  double value = 0;
};

// One instant vector: samples with pairwise distinct label sets, in no particular order.
using Vector = std::vector<Sample>;

struct StepGrid {
  int64_t start = 0;  // ns since the epoch
  int64_t step = 0;   // ns; > 0
  size_t count = 0;   // >= 1

  int64_t At(size_t i) const { return start + step * static_cast<int64_t>(i); }
};

struct StepValues {
  bool is_scalar = false;
  double scalar = 0;          // when is_scalar
  std::vector<Vector> steps;  // otherwise: one vector per step of the grid

  static StepValues Scalar(double value) { return StepValues{true, value, {}}; }
};

}  // namespace silt::logql::metric
