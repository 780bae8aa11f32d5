// Loki's pattern matching (pattern_matcher.h).
#include "aggregator/logql/pipeline/pattern_matcher.h"

#include <utility>

namespace silt::logql::pipeline {

PatternMatcher::PatternMatcher(std::vector<PatternPart> parts) : parts_(std::move(parts)) {}

bool PatternMatcher::Test(std::string_view line) const {
  if (line.empty() || parts_.empty()) return line.empty() && parts_.empty();
  size_t offset = 0;
  for (size_t i = 0; i < parts_.size(); ++i) {
    if (parts_[i].is_capture) continue;
    const std::string& literal = parts_[i].text;
    size_t at = line.find(literal, offset);
    if (at == std::string_view::npos) return false;
    if (i == 0 && at != 0) return false;          // a leading literal anchors the line
    if (i != 0 && at == offset) {
      // The capture before this literal would be empty: look for a later occurrence.
      at = line.find(literal, offset + 1);
      if (at == std::string_view::npos) return false;
    }
    offset = at + literal.size();
  }
  if (!parts_.back().is_capture) return offset == line.size() || line.ends_with(parts_.back().text);
  return offset < line.size() || parts_.size() == 1;
}

}  // namespace silt::logql::pipeline
