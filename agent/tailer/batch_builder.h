// BatchBuilder: collects what FileTailers read into one Batch, appending to the last SourceChunk
// while the same source goes on and starting a new chunk otherwise, so every chunk's range
// [start_offset, end_offset) begins where the source's previous chunk ended. The limits are
// soft: a batch is full once it reaches either, and the read that crossed it is kept whole.
//
// Thread-safety: used by one thread at a time.
#pragma once

#include <cstddef>
#include <string>

#include "agent/tailer/batch.h"
#include "agent/tailer/file_tailer.h"
#include "shared/status/result.h"

namespace silt::agent {

class BatchBuilder {
 public:
  struct Limits {
    size_t max_lines = 4096;
    size_t max_bytes = 1024 * 1024;  // line text bytes
  };

  explicit BatchBuilder(Limits limits) : limits_(limits) {}

  // One FileTailer::Read of up to `scratch_size` bytes, its lines going into the batch under
  // `path` (the watched path). Returns what the read returned; on error nothing was added.
  Result<FileTailer::ReadResult> Read(FileTailer& tailer, const std::string& path, char* scratch,
                                      size_t scratch_size);
  // Adds the tailer's held partial line as a final line (FileTailer::Finish).
  void Finish(FileTailer& tailer, const std::string& path);

  bool full() const {
    return batch_.lines >= limits_.max_lines || batch_.bytes >= limits_.max_bytes;
  }
  bool empty() const { return batch_.empty(); }
  const Batch& batch() const { return batch_; }
  // Hands the batch over and starts an empty one.
  Batch Take();

 private:
  // Index of the chunk the tailer's next lines go to (created if needed).
  size_t ChunkFor(const FileTailer& tailer, const std::string& path);
  // Updates the counts and the chunk's end after lines from `first_new_line` on were added;
  // drops the chunk if it covers nothing.
  void Seal(size_t index, const FileTailer& tailer, size_t first_new_line);

  Limits limits_;
  Batch batch_;
};

}  // namespace silt::agent
