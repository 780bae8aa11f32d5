#include "shared/time/clock.h"

#include <time.h>

#include <cassert>

namespace silt::time {
namespace {

int64_t ReadClock(clockid_t id) {
  struct timespec ts;
  [[maybe_unused]] int rc = clock_gettime(id, &ts);
  assert(rc == 0 && "clock_gettime cannot fail for CLOCK_REALTIME or CLOCK_MONOTONIC");
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

int64_t SystemClock::WallNanos() const { return ReadClock(CLOCK_REALTIME); }

int64_t SystemClock::MonotonicNanos() const { return ReadClock(CLOCK_MONOTONIC); }

}  // namespace silt::time
