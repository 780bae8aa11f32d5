// Lock-free rate limiting of warnings (warning_throttle.h).
#include "shared/log/warning_throttle.h"

namespace silt::log {

std::optional<uint64_t> WarningThrottle::Note(int64_t now_ns) {
  unreported_.fetch_add(1, std::memory_order_relaxed);
  int64_t next = next_warning_ns_.load(std::memory_order_relaxed);
  // One caller wins the slot; the others keep counting for the next warning.
  if (now_ns < next || !next_warning_ns_.compare_exchange_strong(next, now_ns + interval_ns_,
                                                                 std::memory_order_relaxed)) {
    return std::nullopt;
  }
  return unreported_.exchange(0, std::memory_order_relaxed);
}

}  // namespace silt::log
