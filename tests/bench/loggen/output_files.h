// OutputFiles: where silt-loggen's records go — stdout, one file, or N files written round-robin
// — with a large user-space buffer per target and optional rotation in logrotate's "create"
// style: when a file reaches the rotation size it is closed, renamed to <path>.1 (older copies
// shift to .2 .. .<keep>, the oldest is dropped), and a new empty <path> is created. Buffers are
// written out only at record boundaries, so every write(2) ends with a complete line and a
// rotated file never ends in a partial line. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/fs/file_system.h"
#include "shared/status/result.h"
#include "tests/bench/loggen/text_buffer.h"

namespace silt::loggen {

struct OutputFilesOptions {
  // Rotate a file once it holds at least this many bytes (checked after each record, so files
  // end up between rotate_every and rotate_every + one record); 0 never rotates.
  uint64_t rotate_every = 0;
  // Rotated copies kept (<path>.1 .. <path>.<keep>); at least 1.
  int rotate_keep = 5;
  // Keep existing content and append, instead of truncating.
  bool append = false;
  // User-space buffer per target; a record larger than this is written directly.
  size_t buffer_size = 1 << 20;
};

class OutputFiles {
 public:
  // Creates (or truncates, or opens for append) each of `paths` through `fs`, which must outlive
  // the result. Errors are those of FileSystem::NewWritableFile, naming the path.
  static Result<std::unique_ptr<OutputFiles>> Open(fs::FileSystem* fs,
                                                   const std::vector<std::string>& paths,
                                                   const OutputFilesOptions& options);
  // A single target writing to `file` (not owned; e.g. stdout), without rotation.
  static std::unique_ptr<OutputFiles> ForFile(fs::WritableFile* file, size_t buffer_size);

  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  size_t size() const { return targets_.size(); }
  // Appends one record (one or more whole lines) to target `index`, then rotates that file if
  // it reached the rotation size. Errors name the path.
  Status Write(size_t index, std::string_view record);
  // Hands every buffered byte to the OS.
  Status Flush();
  // Flushes and closes every file. Further writes fail.
  Status Close();
  // Rotations done so far.
  uint64_t rotations() const { return rotations_; }

 private:
  struct Target {
    std::string path;
    std::unique_ptr<fs::WritableFile> owned;
    fs::WritableFile* file = nullptr;
    TextBuffer buffer;
  };

  OutputFiles(fs::FileSystem* fs, const OutputFilesOptions& options) : fs_(fs), options_(options) {}
  Status FlushTarget(Target& target);
  Status Rotate(Target& target);

  fs::FileSystem* fs_;  // null for ForFile
  OutputFilesOptions options_;
  std::vector<Target> targets_;
  uint64_t rotations_ = 0;
};

}  // namespace silt::loggen
