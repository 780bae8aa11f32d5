#include "shared/log/fd_sink.h"

#include <unistd.h>

#include <cerrno>

namespace silt::log {

void FdSink::Write(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // Nowhere to report a logging failure; count it so metrics can expose it.
      dropped_lines_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace silt::log
