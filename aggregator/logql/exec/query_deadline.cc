#include "aggregator/logql/exec/query_deadline.h"

#include <string>

#include "shared/time/duration.h"

namespace silt::logql::exec {

QueryDeadline::QueryDeadline(const time::Clock* clock, int64_t timeout_ns) {
  if (clock == nullptr || timeout_ns <= 0) return;
  clock_ = clock;
  timeout_ns_ = timeout_ns;
  at_ = clock->MonotonicNanos() + timeout_ns;
}

bool QueryDeadline::Passed() const { return clock_ != nullptr && clock_->MonotonicNanos() >= at_; }

Status QueryDeadline::Check() const {
  if (!Passed()) return Status::Ok();
  return Status::ResourceExhausted("query timed out after " + time::FormatDuration(timeout_ns_) +
                                   ": context deadline exceeded; narrow the time range or the "
                                   "selector, or raise the timeout");
}

}  // namespace silt::logql::exec
