// FdSink: a Sink writing to a file descriptor (stderr by default), one write(2) call per line so
// that lines from threads, and from other processes sharing the descriptor (O_APPEND files, pipes
// for lines up to PIPE_BUF bytes), are never interleaved. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "shared/log/sink.h"

namespace silt::log {

class FdSink final : public Sink {
 public:
  // `fd` is not owned and must stay open while the sink is used.
  explicit FdSink(int fd = 2) : fd_(fd) {}

  // Writes `line` with write(2), retrying on EINTR and continuing after a short write (still
  // under the lock, so no other line of this process can come between the pieces). On any other
  // error the rest of the line is dropped and counted.
  void Write(std::string_view line) override;

  // Lines that could not be written completely.
  uint64_t dropped_lines() const { return dropped_lines_.load(std::memory_order_relaxed); }

 private:
  const int fd_;
  std::mutex mutex_;
  std::atomic<uint64_t> dropped_lines_{0};
};

}  // namespace silt::log
