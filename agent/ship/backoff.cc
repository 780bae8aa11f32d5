#include "agent/ship/backoff.h"

namespace silt::agent {

int64_t Backoff::Ceiling() const {
  int64_t ceiling = min_ns_;
  for (uint32_t i = 0; i < attempts_ && ceiling < max_ns_; ++i) ceiling *= 2;
  return ceiling < max_ns_ ? ceiling : max_ns_;
}

int64_t Backoff::Next() {
  const int64_t ceiling = Ceiling();
  if (attempts_ < 64) ++attempts_;
  return std::uniform_int_distribution<int64_t>(0, ceiling)(random_);
}

}  // namespace silt::agent
