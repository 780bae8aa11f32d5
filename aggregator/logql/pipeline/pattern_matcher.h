// PatternMatcher: Loki's matching of pattern expressions (pattern_syntax.h) against a line, for
// the `| pattern` parser and the `|>` / `!>` line filters:
//   - a leading literal must start the line;
//   - a capture takes the text up to the next occurrence of the literal after it; when that
//     literal is missing, the capture takes the rest of the line and matching stops there
//     (later captures are absent);
//   - a trailing capture takes the rest of the line; text after a trailing literal is ignored.
// Test() (the line filters) is stricter: every literal must be found in order, a capture between
// two literals must match at least one byte, and a trailing literal must end the line.
// Immutable after construction; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "aggregator/logql/pattern_syntax.h"

namespace silt::logql::pipeline {

class PatternMatcher {
 public:
  explicit PatternMatcher(std::vector<PatternPart> parts);

  // Calls `emit(name, value)` for every named capture that matched, in pattern order. Returns
  // false (emitting nothing) when the leading literal does not start the line or the line is
  // empty.
  template <typename Emit>
  bool Extract(std::string_view line, Emit&& emit) const;

  // Whether `line` matches the whole pattern (see above).
  bool Test(std::string_view line) const;

 private:
  std::vector<PatternPart> parts_;
};

template <typename Emit>
bool PatternMatcher::Extract(std::string_view line, Emit&& emit) const {
  if (line.empty() || parts_.empty()) return false;
  size_t i = 0;
  if (!parts_[0].is_capture) {
    if (!line.starts_with(parts_[0].text)) return false;
    line.remove_prefix(parts_[0].text.size());
    i = 1;
  }
  for (; i < parts_.size(); i += 2) {
    const PatternPart& capture = parts_[i];
    bool named = capture.text != "_";
    if (i + 1 == parts_.size()) {
      if (named) emit(capture.text, line);
      return true;
    }
    size_t at = line.find(parts_[i + 1].text);
    if (at == std::string_view::npos) {
      if (named) emit(capture.text, line);
      return true;
    }
    if (named) emit(capture.text, line.substr(0, at));
    line.remove_prefix(at + parts_[i + 1].text.size());
  }
  return true;
}

}  // namespace silt::logql::pipeline
