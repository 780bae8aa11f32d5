// SinkStats: what an output sink has written, for the agent's metrics and status line.
// Thread-safety: a value type.
#pragma once

#include <cstdint>

namespace silt::agent {

struct SinkStats {
  uint64_t batches = 0;
  uint64_t entries = 0;
  uint64_t bytes = 0;  // bytes written (the null sink: line text bytes dropped)
  uint64_t write_errors = 0;
};

}  // namespace silt::agent
