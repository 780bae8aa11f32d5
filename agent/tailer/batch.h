// Batch and BatchSink: how tailed lines leave the tailer. A Batch holds, per source, a run of
// consecutive lines and the byte range [start_offset, end_offset) of the file they cover. Ranges
// of one source follow each other without gaps (a range also covers bytes of lines skipped for
// their size), so confirming ranges back to PositionsStore::Confirm moves the source's position
// exactly over what was delivered. A BatchSink (the jsonl writer, later the shipper) takes
// batches and confirms each range once it is delivered for good.
//
// Thread-safety: value types; a sink is called on the tailer's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "agent/tailer/line_splitter.h"

namespace silt::agent {

// Consecutive lines of one source.
struct SourceChunk {
  uint64_t source_id = 0;
  std::string path;           // the watched path (the stream), even for a rotated file
  uint64_t start_offset = 0;  // equals the end_offset of the source's previous chunk
  uint64_t end_offset = 0;    // confirm [start_offset, end_offset) once delivered
  std::vector<Line> lines;    // may be empty when the range only covers skipped bytes
};

struct Batch {
  std::vector<SourceChunk> chunks;
  size_t lines = 0;  // over all chunks
  size_t bytes = 0;  // line text bytes over all chunks

  bool empty() const { return chunks.empty(); }
};

class BatchSink {
 public:
  virtual ~BatchSink() = default;
  // Takes a batch. For every chunk the sink has delivered durably it calls
  // PositionsStore::Confirm(chunk.source_id, chunk.start_offset, chunk.end_offset) (or any split
  // of that range), possibly from inside this call. Chunks never confirmed are read again after
  // a restart.
  virtual void Deliver(Batch batch) = 0;
};

}  // namespace silt::agent
