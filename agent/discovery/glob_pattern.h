// GlobPattern: one compiled path glob of a watch (`/var/log/**/*.log`). A pattern is an
// absolute path split at '/' into segments; a segment is a literal name, a wildcard name, or
// `**`, which matches zero or more whole directory levels. Wildcards inside a segment:
//   *        any run of bytes except '/' (a leading '.' included: `*.log` matches `.app.log`)
//   ?        one byte except '/'
//   [abc] [a-z] [!a-z] [^a-z]   one byte of (or not of) the set; ']' first in the set is literal
//   \x       the byte x literally
// `**` inside a longer segment (`a**b`) means the same as `*`. Brace alternatives `{a,b}` are
// expanded before compiling by ExpandBraces (nested braces allowed, at most 256 alternatives).
// Matching is on bytes (no locale, no case folding), as file names are bytes.
//
// Thread-safety: immutable after Compile; Matches may be called from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shared/status/result.h"

namespace silt::agent {

// Alternatives of `pattern` with every `{a,b,...}` expanded, in order ("/x/{a,b}.log" ->
// "/x/a.log", "/x/b.log"). A '{' without a matching '}' or without a ',' at its level is literal,
// as in shells. InvalidArgument quoting the pattern when it expands to more than 256 patterns.
Result<std::vector<std::string>> ExpandBraces(std::string_view pattern);

// OK when `pattern` is a valid single-segment pattern (no '/', braces already expanded), as
// exclude file-name patterns are; otherwise InvalidArgument quoting it.
Status CheckNamePattern(std::string_view pattern);

class GlobPattern {
 public:
  struct Segment {
    enum class Kind { kLiteral, kWildcard, kAnyDepth };
    Kind kind = Kind::kLiteral;
    std::string text;  // the literal name (escapes removed) or the wildcard as written
  };

  // Compiles an absolute pattern (braces already expanded). Repeated and trailing slashes are
  // ignored. InvalidArgument quoting the pattern when it is not absolute, has an empty, "." or
  // ".." segment, an unterminated '[' set, or ends with a lone '\'.
  static Result<GlobPattern> Compile(std::string_view pattern);

  // True when `path` (absolute, no "." or ".." segments, no repeated slashes) matches the whole
  // pattern.
  bool Matches(std::string_view path) const;

  // The directory where expansion starts: the leading literal segments except the last segment
  // ("/var/log" for "/var/log/**/*.log", "/" when the first segment is a wildcard).
  std::string BaseDirectory() const;
  // The number of leading segments that BaseDirectory() holds.
  size_t base_segments() const { return base_segments_; }
  const std::vector<Segment>& segments() const { return segments_; }
  const std::string& text() const { return text_; }

  // True when `name` (one path segment) matches the wildcard segment `wildcard`.
  static bool MatchSegment(std::string_view wildcard, std::string_view name);

 private:
  bool MatchFrom(size_t segment, const std::vector<std::string_view>& parts, size_t part) const;

  std::string text_;
  std::vector<Segment> segments_;
  size_t base_segments_ = 0;
};

}  // namespace silt::agent
