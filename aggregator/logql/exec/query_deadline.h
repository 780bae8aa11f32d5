// QueryDeadline: the point after which a query gives up, checked inside the executor's loops
// (every few hundred entries, so the check costs nothing measurable). Built from a Clock's
// monotonic time so tests drive it with time::FakeClock.
// Value type; thread-compatible.
#pragma once

#include <cstdint>

#include "shared/status/status.h"
#include "shared/time/clock.h"

namespace silt::logql::exec {

class QueryDeadline {
 public:
  // No deadline.
  QueryDeadline() = default;
  // `timeout_ns` after now on `clock` (which must outlive the deadline); none when <= 0.
  QueryDeadline(const time::Clock* clock, int64_t timeout_ns);

  // OK before the deadline; after it ResourceExhausted with Loki's wording, e.g.
  // "query timed out after 30s: context deadline exceeded; narrow the time range or the
  // selector, or raise the timeout".
  Status Check() const;
  // True once the deadline has passed (Check would fail); stays true.
  bool Passed() const;

 private:
  const time::Clock* clock_ = nullptr;
  int64_t timeout_ns_ = 0;
  int64_t at_ = 0;  // monotonic ns
};

}  // namespace silt::logql::exec
