#include "agent/multiline/multiline_rule.h"

#include <re2/re2.h>

#include <utility>

namespace silt::agent {

Result<MultilineRule> MultilineRule::Create(MultilineOptions options) {
  if (options.start_pattern.empty()) {
    return Status::InvalidArgument(
        "multiline start_pattern is empty; give a regex matching the first line of an entry, "
        "e.g. '^\\d{4}-\\d{2}-\\d{2}'");
  }
  if (options.max_lines == 0) {
    return Status::InvalidArgument("multiline max_lines is 0; it must be at least 1");
  }
  if (options.flush_timeout_ns <= 0) {
    return Status::InvalidArgument("multiline flush_timeout must be greater than 0");
  }
  re2::RE2::Options re_options;
  re_options.set_log_errors(false);
  auto start = std::make_shared<const re2::RE2>(options.start_pattern, re_options);
  if (!start->ok()) {
    return Status::InvalidArgument("multiline start_pattern \"" + options.start_pattern +
                                   "\" is not a valid RE2 regex: " + start->error());
  }
  MultilineRule rule;
  rule.options_ = std::move(options);
  rule.start_ = std::move(start);
  return rule;
}

bool MultilineRule::IsStart(std::string_view line) const {
  return re2::RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *start_);
}

}  // namespace silt::agent
