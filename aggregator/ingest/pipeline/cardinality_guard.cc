// Distinct-value limit of a promoted label (cardinality_guard.h).
#include "aggregator/ingest/pipeline/cardinality_guard.h"

#include <mutex>
#include <optional>
#include <utility>

namespace silt::ingest {

CardinalityGuard::CardinalityGuard(CardinalityGuardOptions options)
    : options_(std::move(options)), refusal_warnings_(options_.message_interval_ns) {}

bool CardinalityGuard::Admit(std::string_view value) {
  {
    std::shared_lock lock(mu_);
    if (values_.find(value) != values_.end()) return true;
    if (values_.size() >= options_.max_values) {
      lock.unlock();
      Refuse(value);
      return false;
    }
  }
  {
    std::unique_lock lock(mu_);
    if (values_.find(value) != values_.end()) return true;
    if (values_.size() < options_.max_values) {
      values_.emplace(value);
      return true;
    }
  }
  Refuse(value);
  return false;
}

size_t CardinalityGuard::size() const {
  std::shared_lock lock(mu_);
  return values_.size();
}

void CardinalityGuard::Refuse(std::string_view value) {
  options_.refusals->Inc();
  if (options_.logger == nullptr) return;
  const std::optional<uint64_t> refused = refusal_warnings_.Note(options_.clock->MonotonicNanos());
  if (!refused.has_value()) return;
  options_.logger->Warn(
      "pipeline",
      "label cardinality limit reached: new values of this label are kept as structured metadata "
      "instead of labels; raise max_values_per_label of the pipeline's labels stage if the "
      "values are few and stable, or stop promoting this field",
      {{"pipeline", options_.pipeline},
       {"label", options_.label},
       {"max_values_per_label", options_.max_values},
       {"refused_value", value},
       {"refused_since_last_warning", *refused}});
}

}  // namespace silt::ingest
