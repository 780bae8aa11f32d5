// Pattern expressions (pattern_syntax.h).
#include "aggregator/logql/pattern_syntax.h"

#include <set>
#include <utility>

namespace silt::logql {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// Length of the capture starting at pattern[i] == '<', or 0 when it is not one.
size_t CaptureLength(std::string_view pattern, size_t i) {
  size_t j = i + 1;
  if (j >= pattern.size() || !IsNameStart(pattern[j])) return 0;
  while (j < pattern.size() && IsNameChar(pattern[j])) ++j;
  return j < pattern.size() && pattern[j] == '>' ? j + 1 - i : 0;
}

}  // namespace

Result<std::vector<PatternPart>> ParsePattern(std::string_view pattern,
                                              bool require_named_capture) {
  std::vector<PatternPart> parts;
  std::set<std::string, std::less<>> names;
  bool has_named = false;
  for (size_t i = 0; i < pattern.size();) {
    size_t len = pattern[i] == '<' ? CaptureLength(pattern, i) : 0;
    if (len == 0) {
      if (parts.empty() || parts.back().is_capture) parts.push_back({false, ""});
      parts.back().text.push_back(pattern[i]);
      ++i;
      continue;
    }
    std::string name(pattern.substr(i + 1, len - 2));
    if (!parts.empty() && parts.back().is_capture) {
      return Status::InvalidArgument("found consecutive capture \"<" + name + ">\" at col " +
                                     std::to_string(i + 1) +
                                     ": put literal text between two captures");
    }
    if (name != "_") {
      if (!names.insert(name).second) {
        return Status::InvalidArgument("duplicate capture name \"" + name + "\" at col " +
                                       std::to_string(i + 1));
      }
      has_named = true;
    }
    parts.push_back({true, std::move(name)});
    i += len;
  }
  if (require_named_capture && !has_named) {
    return Status::InvalidArgument(
        "at least one named capture is required, e.g. \"<ip> - <method> <path>\"");
  }
  return parts;
}

}  // namespace silt::logql
