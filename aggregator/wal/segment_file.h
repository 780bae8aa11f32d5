// SegmentFile: one WAL segment file found in a directory, and the listing of a WAL directory in
// sequence order. Thread-safe (stateless).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::wal {

struct SegmentFile {
  uint64_t first_sequence = 0;  // from the file name
  std::string path;
};

// The segment files in `dir` (names "<16 digits>.wal"), by first sequence number ascending.
// Every other name (the checkpoint, the lock, temp files) is ignored. Errors from ListDir.
Result<std::vector<SegmentFile>> ListSegments(fs::FileSystem* fs, const std::string& dir);

}  // namespace silt::wal
