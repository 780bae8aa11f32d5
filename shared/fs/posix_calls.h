// The POSIX calls PosixFileSystem and PosixDirectWritableFile both make, retried on EINTR and
// turned into Status with the path in the message. Internal to shared/fs.
//
// Thread-safety: plain functions over their arguments.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "shared/status/status.h"

namespace silt::fs {

// open(2) with O_CLOEXEC added, retried on EINTR. Returns the descriptor or -1 with errno set.
int OpenRetrying(const std::string& path, int flags, mode_t mode = 0);

// fdatasync(2) of `fd` (the file `path`), retried on EINTR; IOError-like Status naming the path
// when it fails.
Status FdatasyncRetrying(int fd, const std::string& path);

// The error of `op` ("append", "flush", ...) on a file that was already closed.
Status ClosedFileError(std::string_view op, const std::string& path);

}  // namespace silt::fs
