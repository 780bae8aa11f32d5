// Backoff: exponential backoff with full jitter for reconnects (the AWS architecture blog's
// "full jitter"): attempt n waits a uniformly random time in [0, min(max, min_delay * 2^n)], so
// many agents cut off at once by an aggregator restart do not reconnect in lockstep. Reset()
// after a successful handshake starts again from attempt 0.
//
// Thread-safety: a value type for one thread.
#pragma once

#include <cstdint>
#include <random>

namespace silt::agent {

class Backoff {
 public:
  // Preconditions: 0 < min_ns <= max_ns.
  Backoff(int64_t min_ns, int64_t max_ns, uint64_t seed)
      : min_ns_(min_ns), max_ns_(max_ns), random_(seed) {}

  // The delay before the next attempt, in [0, Ceiling()]; advances the attempt count.
  int64_t Next();
  // The upper bound of the next delay: min(max, min * 2^attempts).
  int64_t Ceiling() const;
  void Reset() { attempts_ = 0; }
  uint32_t attempts() const { return attempts_; }

 private:
  int64_t min_ns_;
  int64_t max_ns_;
  uint32_t attempts_ = 0;
  std::mt19937_64 random_;
};

}  // namespace silt::agent
