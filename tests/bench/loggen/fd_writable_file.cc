#include "tests/bench/loggen/fd_writable_file.h"

#include <errno.h>
#include <unistd.h>

namespace silt::loggen {

Status FdWritableFile::Append(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "write to " + name_);
    }
    written_ += static_cast<uint64_t>(n);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status FdWritableFile::Sync() {
  if (::fdatasync(fd_) != 0 && errno != EINVAL && errno != EROFS) {
    return Status::FromErrno(errno, "fdatasync " + name_);
  }
  return Status::Ok();
}

}  // namespace silt::loggen
