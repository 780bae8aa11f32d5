// Position: the persisted state of one source (one incarnation of one log file): which file it
// is, which stream it belongs to, and how far its bytes have been delivered and confirmed.
// A value type.
#pragma once

#include <cstdint>
#include <string>

#include "agent/positions/file_identity.h"

namespace silt::agent {

struct Position {
  // Random, non-zero id of this incarnation of the file (DESIGN.md, protocol section): a newly
  // seen file gets one, and so does the same file after a truncation.
  uint64_t source_id = 0;
  // The file that holds the source's bytes now. After a rotation it may sit under another name;
  // after copytruncate the source continues in the copy, so this becomes the copy's identity.
  FileIdentity identity;
  // The watched path whose stream the source belongs to (its lines carry this path).
  std::string path;
  // Every byte before this offset was delivered and confirmed; reading resumes here.
  uint64_t offset = 0;
  // Wall time (Unix ns) the agent last had the file open; entries of files not seen for a
  // while are forgotten. 0 means "not yet stamped".
  int64_t last_seen_ns = 0;
  // The file's modification time (Unix ns) when the agent last looked at it. Files that appear
  // under a rotated name with a later mtime were written after that look (see agent/tailer).
  int64_t mtime_ns = 0;

  friend bool operator==(const Position&, const Position&) = default;
};

}  // namespace silt::agent
