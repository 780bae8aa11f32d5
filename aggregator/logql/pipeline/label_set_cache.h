// LabelSetCache: the output LabelSets of one StreamPipeline, keyed by a hash of the label
// builder's state, so that entries with the same resulting labels share one LabelSet (one
// allocation per distinct set instead of one per entry). A hit is verified label by label, so a
// hash collision costs a fresh LabelSet, never a wrong one. The cache holds at most
// kMaxEntries sets; when full it is cleared (high-cardinality output then allocates as if
// uncached, with bounded memory).
//
// Thread-safety: not thread-safe; one per StreamPipeline.
#pragma once

#include <cstddef>
#include <unordered_map>

#include "aggregator/logql/pipeline/labels_builder.h"
#include "shared/labels/label_set.h"

namespace silt::logql::pipeline {

class LabelSetCache {
 public:
  static constexpr size_t kMaxEntries = 4096;

  // The LabelSet equal to `builder`'s labels with non-empty values.
  const labels::LabelSet& Get(const LabelsBuilder& builder);

  size_t size() const { return sets_.size(); }

 private:
  std::unordered_map<uint64_t, labels::LabelSet> sets_;
  labels::LabelSet uncached_;  // a set whose hash collided with a different cached one
};

}  // namespace silt::logql::pipeline
