// Clock: where Silt code reads the time. Wall time (Unix epoch nanoseconds, UTC) stamps log entries
// and decides retention; monotonic time measures intervals (timeouts, backoff, flush ages) and
// never goes backwards. Code takes a `const Clock&` so tests can pass a FakeClock (fake_clock.h);
// only main() picks SystemClock. Implementations are thread-safe for reading unless they say
// otherwise.
#pragma once

#include <cstdint>

namespace silt::time {

class Clock {
 public:
  virtual ~Clock() = default;

  // Nanoseconds since 1970-01-01T00:00:00Z, UTC, without leap seconds. May jump (NTP, operator).
  virtual int64_t WallNanos() const = 0;
  // Nanoseconds since an unspecified start; only differences are meaningful. Never decreases.
  virtual int64_t MonotonicNanos() const = 0;
};

// The operating system's clocks: clock_gettime(CLOCK_REALTIME) and clock_gettime(CLOCK_MONOTONIC).
// Stateless; thread-safe.
class SystemClock final : public Clock {
 public:
  int64_t WallNanos() const override;
  int64_t MonotonicNanos() const override;
};

}  // namespace silt::time
