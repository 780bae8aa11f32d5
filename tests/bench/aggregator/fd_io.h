// Whole reads and writes on a file descriptor, for the benchmarks' data files: write(2) and read(2)
// may move fewer bytes than asked and may be interrupted (EINTR); these loop until done.
//
// Thread-safety: stateless.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::bench {

// Writes all of `data`; the error names `path`.
Status WriteAll(int fd, std::string_view data, const std::string& path);
// Reads exactly `size` bytes unless the file ends first; returns how many were read.
Result<size_t> ReadFull(int fd, char* out, size_t size, const std::string& path);

}  // namespace silt::bench
