// Sink: where a Logger's finished lines go. Production uses FdSink (fd_sink.h, stderr by default);
// tests use MemorySink (memory_sink.h) to read back what was logged.
// Implementations must be thread-safe: Write is called concurrently from any thread.
#pragma once

#include <string_view>

namespace silt::log {

class Sink {
 public:
  virtual ~Sink() = default;

  // Writes one complete line, `line` ending in '\n', keeping it whole (never interleaved with
  // another line). Cannot fail: a sink that cannot write drops the line. `line` is only valid
  // during the call.
  virtual void Write(std::string_view line) = 0;
};

}  // namespace silt::log
