// StepValues: the value of a metric expression over a query's steps, as the evaluator passes it
// from node to node: a scalar (a number literal, or arithmetic on numbers: the same at every
// step) or one instant vector per step. StepGrid says which steps: start, start + step, ...,
// up to end inclusive (one step, at end, for an instant query).
// StepValues carries the memory charge of its vectors (a MemoryLease of the query's
// QueryMemory; none when built without one), so it is move-only.
// Value types; thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "aggregator/logql/exec/query_memory.h"
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
  exec::MemoryLease memory;   // what `steps` is charged (MemoryUse::kSteps)

  static StepValues Scalar(double value) { return StepValues{true, value, {}, {}}; }

  // Heap bytes of the step vectors' slots (label buffers are shared with the series and groups
  // that made them, and charged there).
  size_t SlotBytes() const {
    size_t bytes = steps.capacity() * sizeof(Vector);
    for (const Vector& v : steps) bytes += v.capacity() * sizeof(Sample);
    return bytes;
  }
};

}  // namespace silt::logql::metric
