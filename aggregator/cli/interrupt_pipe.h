// InterruptPipe: turns SIGINT and SIGTERM into a readable file descriptor (the self-pipe trick),
// so a loop that polls a socket also wakes up for Ctrl-C and can end cleanly (`silt tail` sends
// a close frame and exits 0). Install() once in main; the handler only writes one byte.
// Process-wide by nature (signal dispositions are); not copyable.
#pragma once

#include "shared/status/status.h"

namespace silt::cli {

class InterruptPipe {
 public:
  InterruptPipe() = default;
  ~InterruptPipe();
  InterruptPipe(const InterruptPipe&) = delete;
  InterruptPipe& operator=(const InterruptPipe&) = delete;

  // Creates the pipe and installs the handlers. IOError when the pipe cannot be made.
  Status Install();
  // The read end: readable once a signal arrived; -1 before Install().
  int fd() const { return read_fd_; }
  // True once SIGINT or SIGTERM arrived (non-blocking check of the pipe).
  bool Interrupted() const;

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
};

}  // namespace silt::cli
