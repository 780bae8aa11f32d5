// CardinalityGuard: bounds the distinct values one promoted label may take in one pipeline.
// The first `max_values` distinct values are remembered and admitted forever; once the set is
// full, any other value is refused: the caller keeps it as structured metadata instead, the
// refusal is counted in silt_pipeline_cardinality_refusals_total{pipeline,label}, and a warning
// naming the pipeline, the label, the limit and the key to raise it is logged at most once per
// `message_interval_ns` (with the number of refusals since the last warning).
//
// Memory is bounded by max_values values (each at most a label value's length).
// Thread-safety: Admit may be called from any number of threads at once. Lookups of admitted
// values take a shared lock; only the first sighting of a value takes the exclusive lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "shared/log/logger.h"
#include "shared/log/warning_throttle.h"
#include "shared/metrics/counter.h"
#include "shared/time/clock.h"

namespace silt::ingest {

struct CardinalityGuardOptions {
  std::string pipeline;
  std::string label;
  size_t max_values = 100;
  metrics::Counter* refusals = nullptr;  // required
  log::Logger* logger = nullptr;         // may be null: no warnings
  const time::Clock* clock = nullptr;    // required: monotonic time for the warning interval
  int64_t message_interval_ns = int64_t{60} * 1'000'000'000;
};

class CardinalityGuard {
 public:
  explicit CardinalityGuard(CardinalityGuardOptions options);
  CardinalityGuard(const CardinalityGuard&) = delete;
  CardinalityGuard& operator=(const CardinalityGuard&) = delete;

  // True when `value` may be promoted: it was admitted before, or fewer than max_values values
  // were admitted so far (it is remembered). False when the limit refuses it (counted, maybe
  // logged).
  bool Admit(std::string_view value);

  // The number of distinct values admitted.
  size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Counts a refusal and logs the warning when the interval has passed since the last one.
  void Refuse(std::string_view value);

  const CardinalityGuardOptions options_;
  mutable std::shared_mutex mu_;
  std::unordered_set<std::string, Hash, std::equal_to<>> values_;  // guarded by mu_
  log::WarningThrottle refusal_warnings_;
};

}  // namespace silt::ingest
