#include "aggregator/cli/interrupt_pipe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace silt::cli {
namespace {

// The write end the handler uses; set once by Install() before the handler is installed.
int g_signal_write_fd = -1;

void OnSignal(int) {
  const int saved = errno;
  const char byte = 1;
  [[maybe_unused]] ssize_t n = write(g_signal_write_fd, &byte, 1);
  errno = saved;
}

}  // namespace

InterruptPipe::~InterruptPipe() {
  if (read_fd_ >= 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    g_signal_write_fd = -1;
    close(read_fd_);
    close(write_fd_);
  }
}

Status InterruptPipe::Install() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return Status::FromErrno(errno, "creating the pipe that catches Ctrl-C");
  }
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  g_signal_write_fd = write_fd_;
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  return Status::Ok();
}

bool InterruptPipe::Interrupted() const {
  if (read_fd_ < 0) return false;
  pollfd p = {read_fd_, POLLIN, 0};
  return poll(&p, 1, 0) == 1;
}

}  // namespace silt::cli
