// Output LabelSet cache (label_set_cache.h).
#include "aggregator/logql/pipeline/label_set_cache.h"

namespace silt::logql::pipeline {

const labels::LabelSet& LabelSetCache::Get(const LabelsBuilder& builder) {
  uint64_t hash = builder.Hash();
  auto it = sets_.find(hash);
  if (it != sets_.end()) {
    if (builder.Equals(it->second)) return it->second;
    uncached_ = builder.Build();
    return uncached_;
  }
  if (sets_.size() >= kMaxEntries) sets_.clear();
  return sets_.emplace(hash, builder.Build()).first->second;
}

}  // namespace silt::logql::pipeline
