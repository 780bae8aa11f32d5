// Pacer: spaces entries at a fixed rate on the monotonic clock. Entry i is due at
// start + i / rate; the caller asks how long to wait before entry i and sleeps that long. A
// generator that falls behind (a slow disk) catches up at full speed, so the long-run rate holds;
// short waits are skipped so fast rates send small bursts instead of sleeping per entry.
// Pure computation on the times it is given; thread-compatible.
#pragma once

#include <cstdint>

namespace silt::loggen {

class Pacer {
 public:
  // Waits shorter than this are not worth a sleep; entries go out in bursts instead.
  static constexpr int64_t kMinWaitNanos = 200'000;

  // `lines_per_second` <= 0 disables pacing. `start_monotonic_ns` is when entry 0 is due.
  Pacer(double lines_per_second, int64_t start_monotonic_ns);

  // Nanoseconds to wait before entry `index` when the monotonic clock reads `now_ns`: 0 when
  // pacing is off, when the entry is already due, or when the wait is below kMinWaitNanos.
  int64_t WaitBefore(uint64_t index, int64_t now_ns) const;

  // Monotonic time at which entry `index` is due.
  int64_t DueAt(uint64_t index) const;

 private:
  double nanos_per_line_;  // 0 when pacing is off
  int64_t start_ns_;
};

}  // namespace silt::loggen
