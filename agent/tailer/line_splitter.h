// LineSplitter: turns the bytes of one file, fed in order in chunks of any size, into lines.
// A line ends at LF; a CR right before the LF is dropped (CRLF). Other bytes, NUL and invalid
// UTF-8 included, pass through untouched. A partial last line is held until its LF arrives, or
// until Finish() (the file was rotated away or deleted and is drained), which emits it as a final
// unterminated line. Lines longer than `max_line_size` are truncated (the first max_line_size
// bytes are emitted, marked truncated, and the rest is skipped through the LF) or skipped whole,
// per policy; splitting always goes on. The held bytes never exceed max_line_size + 1.
//
// Thread-safety: a value type for one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace silt::agent {

// What happens to a line longer than max_line_size.
enum class OversizeLinePolicy {
  kTruncate,  // emit its first max_line_size bytes, marked truncated
  kSkip,      // drop it and count it
};

struct Line {
  std::string text;           // without the LF or CRLF
  uint64_t start_offset = 0;  // file offset of the line's first byte
  uint64_t end_offset = 0;    // offset just past its LF (or last byte, when unterminated)
  bool truncated = false;     // longer than max_line_size; `text` holds the first bytes
  bool unterminated = false;  // emitted by Finish() without an LF
};

struct LineSplitterStats {
  uint64_t lines = 0;            // lines emitted, truncated ones included
  uint64_t truncated_lines = 0;  // emitted cut to max_line_size
  uint64_t skipped_lines = 0;    // dropped by OversizeLinePolicy::kSkip
  uint64_t skipped_bytes = 0;    // bytes of dropped lines and of truncated tails, terminators too
};

class LineSplitter {
 public:
  struct Options {
    size_t max_line_size = 256 * 1024;  // bytes, without the terminator; must be > 0
    OversizeLinePolicy oversize_policy = OversizeLinePolicy::kTruncate;
  };

  // Starts splitting at file offset `offset` (which should be a line start).
  LineSplitter(Options options, uint64_t offset);

  // Consumes `data`, the file's bytes at [offset(), offset() + data.size()), and appends the
  // lines it completes to `out`.
  void Feed(std::string_view data, std::vector<Line>* out);
  // Emits the held partial line, if any, as an unterminated line (or counts it as skipped).
  // Afterwards committed_offset() == offset().
  void Finish(std::vector<Line>* out);
  // Drops the held partial line and starts again at `offset`.
  void Reset(uint64_t offset);

  // Offset of the next byte to feed.
  uint64_t offset() const { return offset_; }
  // Offset just past the last line boundary consumed: every byte before it has been emitted as a
  // line or skipped, so it is where reading would resume without losing or repeating a line.
  uint64_t committed_offset() const { return line_start_; }
  // Bytes of the held partial line (in the file; the held copy may be shorter if oversize).
  uint64_t held_bytes() const { return offset_ - line_start_; }
  const LineSplitterStats& stats() const { return stats_; }

 private:
  // Emits the line made of the held bytes plus `tail` (which excludes the LF), ending at `end`.
  void EmitLine(std::string_view tail, uint64_t end, bool terminated, std::vector<Line>* out);
  void Hold(std::string_view data);

  Options options_;
  uint64_t offset_;
  uint64_t line_start_;
  std::string held_;  // the first min(held_bytes(), max_line_size + 1) bytes of the partial line
  LineSplitterStats stats_;
};

}  // namespace silt::agent
