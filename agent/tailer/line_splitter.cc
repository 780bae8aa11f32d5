#include "agent/tailer/line_splitter.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

namespace silt::agent {
namespace {

// A held buffer that grew past this is released after use rather than kept per file.
constexpr size_t kKeepHeldCapacity = 4096;

}  // namespace

LineSplitter::LineSplitter(Options options, uint64_t offset)
    : options_(options), offset_(offset), line_start_(offset) {
  assert(options_.max_line_size > 0);
}

void LineSplitter::Feed(std::string_view data, std::vector<Line>* out) {
  while (!data.empty()) {
    const void* found = std::memchr(data.data(), '\n', data.size());
    if (found == nullptr) {
      Hold(data);
      offset_ += data.size();
      return;
    }
    const size_t length = static_cast<const char*>(found) - data.data();
    offset_ += length;
    EmitLine(data.substr(0, length), offset_ + 1, /*terminated=*/true, out);
    offset_ += 1;
    line_start_ = offset_;
    data.remove_prefix(length + 1);
  }
}

void LineSplitter::Finish(std::vector<Line>* out) {
  if (held_bytes() == 0) return;
  EmitLine({}, offset_, /*terminated=*/false, out);
  line_start_ = offset_;
}

void LineSplitter::Reset(uint64_t offset) {
  offset_ = offset;
  line_start_ = offset;
  held_.clear();
}

void LineSplitter::Hold(std::string_view data) {
  const size_t room =
      options_.max_line_size + 1 - std::min(held_.size(), options_.max_line_size + 1);
  held_.append(data.data(), std::min(room, data.size()));
}

void LineSplitter::EmitLine(std::string_view tail, uint64_t end, bool terminated,
                            std::vector<Line>* out) {
  // `offset_` is the offset of the LF (or the end of the data, when unterminated).
  const uint64_t length = offset_ - line_start_;
  const uint64_t held = length - tail.size();
  bool crlf = false;
  if (terminated && length > 0) {
    // When the held copy is cut short the line is oversize anyway, so its last byte can be wrong.
    const char last = !tail.empty() ? tail.back() : (held_.empty() ? '\0' : held_.back());
    crlf = last == '\r';
  }
  const uint64_t text_length = length - (crlf ? 1 : 0);
  Line line;
  line.start_offset = line_start_;
  line.end_offset = end;
  line.unterminated = !terminated;
  if (text_length > options_.max_line_size) {
    const size_t max = options_.max_line_size;
    if (options_.oversize_policy == OversizeLinePolicy::kSkip) {
      stats_.skipped_lines++;
      stats_.skipped_bytes += end - line_start_;
      held_.clear();
      if (held_.capacity() > kKeepHeldCapacity) std::string().swap(held_);
      return;
    }
    line.truncated = true;
    stats_.truncated_lines++;
    stats_.skipped_bytes += (end - line_start_) - max;
    line.text.assign(held_, 0, std::min(held_.size(), max));
    line.text.append(tail.data(), std::min(tail.size(), max - line.text.size()));
    held_.clear();
    if (held_.capacity() > kKeepHeldCapacity) std::string().swap(held_);
  } else if (held == 0) {
    line.text.assign(tail.data(), text_length);
  } else {
    line.text = std::move(held_);
    line.text.append(tail.data(), tail.size());
    line.text.resize(text_length);
    held_ = std::string();
  }
  stats_.lines++;
  out->push_back(std::move(line));
}

}  // namespace silt::agent
