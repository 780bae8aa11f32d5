// Counter: a value that only goes up (requests served, bytes read, errors), one per label set.
// Integer increments go to an exact uint64 (lock-free fetch_add); fractional amounts (seconds
// spent) go to a separate double updated by CAS. The exposed value is their sum, written as an
// exact integer while no fractional amount was ever added.
// Thread-safety: every method may be called concurrently; updates never lock or allocate.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/metrics/atomic_double.h"

namespace silt::metrics {

class Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  // Adds `n` (default 1).
  void Inc(uint64_t n = 1) { integer_.fetch_add(n, std::memory_order_relaxed); }
  // Adds `amount`. Precondition: amount >= 0 (a counter never decreases; negative or NaN
  // amounts are ignored in release builds).
  void Add(double amount);

  // The current total.
  double Value() const;

  // Appends the sample line `<name><{labels}> <value>\n`; `labels` is the rendered label list
  // without braces (empty for none).
  void AppendSamples(std::string_view name, std::string_view labels, std::string* out) const;

 private:
  std::atomic<uint64_t> integer_{0};
  AtomicDouble fraction_;
};

}  // namespace silt::metrics
