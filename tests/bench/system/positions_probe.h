// PositionsProbe: how far silt-agent has delivered one file, read from its positions file. The
// agent saves a position only after the aggregator acked (fsync'd) the bytes before it, so the
// offset read here is a lower bound of what is durable, seen at most one `save_interval` (plus the
// save's own fsync) late. The file is replaced atomically (rename), so a read sees an old or a
// new table, never a mix. Not thread-safe; one thread polls.
#pragma once

#include <cstdint>
#include <string>

#include "shared/status/result.h"

namespace silt::bench {

class PositionsProbe {
 public:
  // `positions_file` is the agent's positions.file; `watched_path` the log file's watched path.
  PositionsProbe(std::string positions_file, std::string watched_path);

  // The confirmed offset of `watched_path` (the largest, should several sources carry it); 0 while
  // the positions file or the path's entry does not exist yet. Corruption (from the decoder,
  // naming the line) when the file does not parse.
  Result<uint64_t> ConfirmedOffset();

 private:
  std::string positions_file_;
  std::string watched_path_;
};

}  // namespace silt::bench
