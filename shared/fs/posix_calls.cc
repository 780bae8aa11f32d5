#include "shared/fs/posix_calls.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace silt::fs {

int OpenRetrying(const std::string& path, int flags, mode_t mode) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

Status FdatasyncRetrying(int fd, const std::string& path) {
  int rc;
  do {
    rc = ::fdatasync(fd);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return Status::FromErrno(errno, "fdatasync " + path);
  return Status::Ok();
}

Status ClosedFileError(std::string_view op, const std::string& path) {
  return Status::IOError(std::string(op) + " " + path + ": file is already closed");
}

}  // namespace silt::fs
