// RunawayClock: a Clock whose monotonic time moves one second at every reading, for tests of
// deadlines checked inside loops (each check reads the clock, so the deadline passes after a
// known number of checks). Wall time stays at FakeClock's default. Not thread-safe.
#pragma once

#include <cstdint>

#include "shared/time/clock.h"
#include "shared/time/fake_clock.h"

namespace silt::testing {

class RunawayClock final : public time::Clock {
 public:
  static constexpr int64_t kStepNs = 1'000'000'000;

  int64_t WallNanos() const override { return time::FakeClock::kDefaultWallNanos; }
  int64_t MonotonicNanos() const override { return now_ += kStepNs; }

 private:
  mutable int64_t now_ = 0;
};

}  // namespace silt::testing
