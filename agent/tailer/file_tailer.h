// FileTailer: one open log file read forward from an offset. Each Read pulls the next chunk
// through RandomAccessFile, checks that the file is still the same incarnation (not shorter than
// the read offset, still starting with its fingerprint's bytes; otherwise it was truncated, as
// copytruncate does, and the chunk is discarded), grows the fingerprint while the file is under
// 1 KiB, and feeds a LineSplitter. It knows nothing about paths, rotation or delivery: TailerSet
// decides what a truncation or an end of file means.
//
// Thread-safety: used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "agent/positions/file_identity.h"
#include "agent/tailer/line_splitter.h"
#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::agent {

class FileTailer {
 public:
  enum class ReadOutcome {
    kData,       // bytes were consumed (lines may or may not have completed)
    kEndOfFile,  // nothing new to read
    kTruncated,  // the file is no longer the incarnation being read; nothing was consumed
  };
  struct ReadResult {
    ReadOutcome outcome = ReadOutcome::kEndOfFile;
    size_t bytes = 0;  // bytes consumed
  };

  // Tails `file` (identified by `identity`) as source `source_id`, starting at `offset`, which
  // should be a line start.
  FileTailer(std::unique_ptr<fs::RandomAccessFile> file, FileIdentity identity, uint64_t source_id,
             uint64_t offset, LineSplitter::Options lines);

  // Reads up to `scratch_size` bytes at offset() into `scratch` and appends completed lines to
  // `out`. IOError when the OS refuses a read; nothing is consumed then.
  Result<ReadResult> Read(char* scratch, size_t scratch_size, std::vector<Line>* out);
  // Whether the file was truncated or rewritten since it was read (size below offset(), or its
  // first bytes no longer match the fingerprint). Grows the fingerprint when the file did not
  // change and is longer than the fingerprint covers. IOError when stat or read fails.
  Result<bool> CheckTruncated();
  // Emits the held partial line as a final line (the file will not be read again).
  void Finish(std::vector<Line>* out) { splitter_.Finish(out); }
  // Starts the file's new incarnation after a truncation: source `source_id`, offset 0, a fresh
  // fingerprint. The held partial line is dropped. IOError when the fingerprint read fails.
  Status Restart(uint64_t source_id);
  // The file's current size (fstat). IOError on failure.
  Result<uint64_t> Size() const { return file_->Size(); }

  uint64_t source_id() const { return source_id_; }
  const FileIdentity& identity() const { return identity_; }
  const std::string& file_path() const { return file_->path(); }
  const fs::RandomAccessFile& file() const { return *file_; }
  // Offset of the next byte to read.
  uint64_t offset() const { return splitter_.offset(); }
  // Offset just past the last line boundary read (see LineSplitter::committed_offset).
  uint64_t committed_offset() const { return splitter_.committed_offset(); }
  const LineSplitterStats& line_stats() const { return splitter_.stats(); }

 private:
  std::unique_ptr<fs::RandomAccessFile> file_;
  FileIdentity identity_;
  uint64_t source_id_;
  LineSplitter splitter_;
};

}  // namespace silt::agent
