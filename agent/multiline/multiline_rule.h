// MultilineRule: how one watch's lines group into entries (a Java stack trace under its log line,
// a Python traceback): a line matching `start_pattern` (RE2, searched unanchored; anchor with ^)
// starts an entry, every other line continues the entry before it. An entry ends at the next start
// line, when it reaches `max_lines` lines, or when no line has come for `flush_timeout`.
//
// Thread-safety: immutable after Create; copies share the compiled regex; IsStart is thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace silt::agent {

struct MultilineOptions {
  std::string start_pattern;                 // required
  size_t max_lines = 500;                    // >= 1
  int64_t flush_timeout_ns = 3'000'000'000;  // 3 s; > 0
};

class MultilineRule {
 public:
  // Compiles the options. InvalidArgument quoting the pattern when it is empty or not valid RE2,
  // or naming the bad value when max_lines is 0 or flush_timeout not positive.
  static Result<MultilineRule> Create(MultilineOptions options);

  // True when `line` starts a new entry.
  bool IsStart(std::string_view line) const;
  const MultilineOptions& options() const { return options_; }

 private:
  MultilineOptions options_;
  std::shared_ptr<const re2::RE2> start_;
};

}  // namespace silt::agent
