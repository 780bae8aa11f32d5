#include "tests/bench/loggen/pacer.h"

namespace silt::loggen {

Pacer::Pacer(double lines_per_second, int64_t start_monotonic_ns)
    : nanos_per_line_(lines_per_second > 0 ? 1e9 / lines_per_second : 0),
      start_ns_(start_monotonic_ns) {}

int64_t Pacer::DueAt(uint64_t index) const {
  return start_ns_ + static_cast<int64_t>(static_cast<double>(index) * nanos_per_line_);
}

int64_t Pacer::WaitBefore(uint64_t index, int64_t now_ns) const {
  if (nanos_per_line_ == 0) return 0;
  const int64_t wait = DueAt(index) - now_ns;
  return wait >= kMinWaitNanos ? wait : 0;
}

}  // namespace silt::loggen
