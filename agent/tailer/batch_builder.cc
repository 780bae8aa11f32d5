#include "agent/tailer/batch_builder.h"

#include <utility>

namespace silt::agent {

Result<FileTailer::ReadResult> BatchBuilder::Read(FileTailer& tailer, const std::string& path,
                                                  char* scratch, size_t scratch_size) {
  const size_t index = ChunkFor(tailer, path);
  const size_t first_new_line = batch_.chunks[index].lines.size();
  Result<FileTailer::ReadResult> result =
      tailer.Read(scratch, scratch_size, &batch_.chunks[index].lines);
  Seal(index, tailer, first_new_line);
  return result;
}

void BatchBuilder::Finish(FileTailer& tailer, const std::string& path) {
  const size_t index = ChunkFor(tailer, path);
  const size_t first_new_line = batch_.chunks[index].lines.size();
  tailer.Finish(&batch_.chunks[index].lines);
  Seal(index, tailer, first_new_line);
}

Batch BatchBuilder::Take() {
  Batch out = std::move(batch_);
  batch_ = Batch();
  return out;
}

size_t BatchBuilder::ChunkFor(const FileTailer& tailer, const std::string& path) {
  const uint64_t start = tailer.committed_offset();
  if (!batch_.chunks.empty()) {
    const SourceChunk& last = batch_.chunks.back();
    if (last.source_id == tailer.source_id() && last.end_offset == start) {
      return batch_.chunks.size() - 1;
    }
  }
  SourceChunk chunk;
  chunk.source_id = tailer.source_id();
  chunk.path = path;
  chunk.start_offset = start;
  chunk.end_offset = start;
  batch_.chunks.push_back(std::move(chunk));
  return batch_.chunks.size() - 1;
}

void BatchBuilder::Seal(size_t index, const FileTailer& tailer, size_t first_new_line) {
  SourceChunk& chunk = batch_.chunks[index];
  for (size_t i = first_new_line; i < chunk.lines.size(); ++i) {
    batch_.bytes += chunk.lines[i].text.size();
  }
  batch_.lines += chunk.lines.size() - first_new_line;
  if (tailer.source_id() == chunk.source_id) chunk.end_offset = tailer.committed_offset();
  if (chunk.lines.empty() && chunk.end_offset == chunk.start_offset) {
    batch_.chunks.erase(batch_.chunks.begin() + static_cast<std::ptrdiff_t>(index));
  }
}

}  // namespace silt::agent
