#include "agent/discovery/glob_pattern.h"

#include <utility>

namespace silt::agent {
namespace {

constexpr size_t kMaxBraceExpansions = 256;

bool HasWildcard(std::string_view segment) {
  for (size_t i = 0; i < segment.size(); ++i) {
    const char c = segment[i];
    if (c == '\\') {
      ++i;
    } else if (c == '*' || c == '?' || c == '[') {
      return true;
    }
  }
  return false;
}

std::string Unescape(std::string_view segment) {
  std::string out;
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '\\' && i + 1 < segment.size()) ++i;
    out.push_back(segment[i]);
  }
  return out;
}

// The index just past the ']' closing the set that starts at `open` ('['), or npos.
size_t SetEnd(std::string_view s, size_t open) {
  size_t i = open + 1;
  if (i < s.size() && (s[i] == '!' || s[i] == '^')) ++i;
  if (i < s.size() && s[i] == ']') ++i;
  for (; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == ']') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Whether byte `c` is in the set s[open, end) ("[...]", already validated).
bool InSet(std::string_view s, size_t open, size_t end, unsigned char c) {
  size_t i = open + 1;
  bool negate = false;
  if (s[i] == '!' || s[i] == '^') {
    negate = true;
    ++i;
  }
  bool found = false;
  bool first = true;
  while (i < end - 1 && (first || s[i] != ']')) {
    first = false;
    unsigned char low = static_cast<unsigned char>(s[i]);
    if (low == '\\') low = static_cast<unsigned char>(s[++i]);
    unsigned char high = low;
    if (i + 2 < end - 1 && s[i + 1] == '-' && s[i + 2] != ']') {
      i += 2;
      high = static_cast<unsigned char>(s[i]);
      if (high == '\\') high = static_cast<unsigned char>(s[++i]);
    }
    if (c >= low && c <= high) found = true;
    ++i;
  }
  return found != negate;
}

// Matches one element of `wildcard` at `w` against name[n]; advances both on success.
bool MatchOne(std::string_view wildcard, size_t* w, std::string_view name, size_t n) {
  const char c = wildcard[*w];
  if (c == '?') {
    ++*w;
    return true;
  }
  if (c == '[') {
    const size_t end = SetEnd(wildcard, *w);
    if (end != std::string_view::npos) {
      const bool in = InSet(wildcard, *w, end, static_cast<unsigned char>(name[n]));
      *w = end;
      return in;
    }
  }
  char literal = c;
  if (c == '\\' && *w + 1 < wildcard.size()) literal = wildcard[++*w];
  ++*w;
  return literal == name[n];
}

std::string_view NextAlternative(std::string_view body, size_t* pos) {
  int depth = 0;
  const size_t start = *pos;
  for (; *pos < body.size(); ++*pos) {
    const char c = body[*pos];
    if (c == '\\') {
      ++*pos;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      return body.substr(start, (*pos)++ - start);
    }
  }
  return body.substr(start);
}

// Finds the first top-level "{...,...}" group: sets *open and *close; false when there is none.
bool FindBraceGroup(std::string_view s, size_t* open, size_t* close) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] != '{') continue;
    int depth = 0;
    bool comma = false;
    for (size_t j = i; j < s.size(); ++j) {
      if (s[j] == '\\') {
        ++j;
      } else if (s[j] == '{') {
        ++depth;
      } else if (s[j] == ',' && depth == 1) {
        comma = true;
      } else if (s[j] == '}' && --depth == 0) {
        if (!comma) break;
        *open = i;
        *close = j;
        return true;
      }
    }
  }
  return false;
}

Status ExpandInto(std::string_view pattern, std::vector<std::string>* out) {
  size_t open = 0;
  size_t close = 0;
  if (!FindBraceGroup(pattern, &open, &close)) {
    if (out->size() >= kMaxBraceExpansions) {
      return Status::InvalidArgument("expands to more than 256 patterns");
    }
    out->emplace_back(pattern);
    return Status::Ok();
  }
  const std::string_view body = pattern.substr(open + 1, close - open - 1);
  size_t pos = 0;
  while (pos <= body.size()) {
    const std::string_view alternative = NextAlternative(body, &pos);
    std::string expanded(pattern.substr(0, open));
    expanded.append(alternative);
    expanded.append(pattern.substr(close + 1));
    SILT_RETURN_IF_ERROR(ExpandInto(expanded, out));
    if (pos >= body.size()) break;
  }
  return Status::Ok();
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t end = i;
    while (end < path.size() && path[end] != '/') ++end;
    if (end > i) parts.push_back(path.substr(i, end - i));
    i = end;
  }
  return parts;
}

Status CheckSegment(std::string_view segment) {
  if (segment == "." || segment == "..") return Status::InvalidArgument("has a . or .. segment");
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '\\') {
      if (i + 1 == segment.size()) return Status::InvalidArgument("ends with a lone '\\'");
      ++i;
    } else if (segment[i] == '[' && SetEnd(segment, i) == std::string_view::npos) {
      return Status::InvalidArgument("has a '[' without its closing ']'");
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckNamePattern(std::string_view pattern) {
  Status status = pattern.empty() || pattern.find('/') != std::string_view::npos
                      ? Status::InvalidArgument("is not a file name")
                      : CheckSegment(pattern);
  if (status.ok()) return status;
  return Status::InvalidArgument("pattern \"" + std::string(pattern) + "\" " +
                                 std::string(status.message()));
}

Result<std::vector<std::string>> ExpandBraces(std::string_view pattern) {
  std::vector<std::string> out;
  Status status = ExpandInto(pattern, &out);
  if (!status.ok()) {
    return Status::InvalidArgument("glob \"" + std::string(pattern) + "\" " +
                                   std::string(status.message()) + "; split it into several paths");
  }
  return out;
}

Result<GlobPattern> GlobPattern::Compile(std::string_view pattern) {
  auto fail = [&](std::string_view why) {
    return Status::InvalidArgument("glob \"" + std::string(pattern) + "\" " + std::string(why));
  };
  if (pattern.empty() || pattern.front() != '/') {
    return fail("is not an absolute path; start it with '/'");
  }
  GlobPattern glob;
  glob.text_ = std::string(pattern);
  bool literal_prefix = true;
  for (std::string_view part : SplitPath(pattern)) {
    Status status = CheckSegment(part);
    if (!status.ok()) return fail(status.message());
    Segment segment;
    if (part == "**") {
      segment.kind = Segment::Kind::kAnyDepth;
    } else if (HasWildcard(part)) {
      segment.kind = Segment::Kind::kWildcard;
      segment.text = std::string(part);
    } else {
      segment.text = Unescape(part);
    }
    if (segment.kind != Segment::Kind::kLiteral) literal_prefix = false;
    if (literal_prefix) ++glob.base_segments_;
    glob.segments_.push_back(std::move(segment));
  }
  if (glob.segments_.empty()) return fail("names no file");
  // The last segment is what is matched, never part of the base directory.
  if (glob.base_segments_ == glob.segments_.size()) --glob.base_segments_;
  return glob;
}

std::string GlobPattern::BaseDirectory() const {
  std::string dir;
  for (size_t i = 0; i < base_segments_; ++i) dir += "/" + segments_[i].text;
  return dir.empty() ? "/" : dir;
}

bool GlobPattern::Matches(std::string_view path) const {
  if (path.empty() || path.front() != '/') return false;
  return MatchFrom(0, SplitPath(path), 0);
}

bool GlobPattern::MatchFrom(size_t segment, const std::vector<std::string_view>& parts,
                            size_t part) const {
  for (; segment < segments_.size(); ++segment, ++part) {
    const Segment& s = segments_[segment];
    if (s.kind == Segment::Kind::kAnyDepth) {
      for (size_t skip = part; skip <= parts.size(); ++skip) {
        if (MatchFrom(segment + 1, parts, skip)) return true;
      }
      return false;
    }
    if (part >= parts.size()) return false;
    if (s.kind == Segment::Kind::kLiteral ? s.text != parts[part]
                                          : !MatchSegment(s.text, parts[part])) {
      return false;
    }
  }
  return part == parts.size();
}

bool GlobPattern::MatchSegment(std::string_view wildcard, std::string_view name) {
  size_t w = 0;
  size_t n = 0;
  size_t star_w = std::string_view::npos;  // just past the last '*' seen
  size_t star_n = 0;                       // name position that '*' is extended from
  while (n < name.size()) {
    if (w < wildcard.size() && wildcard[w] == '*') {
      while (w < wildcard.size() && wildcard[w] == '*') ++w;
      star_w = w;
      star_n = n;
      continue;
    }
    size_t next_w = w;
    if (w < wildcard.size() && MatchOne(wildcard, &next_w, name, n)) {
      w = next_w;
      ++n;
      continue;
    }
    if (star_w == std::string_view::npos) return false;
    w = star_w;
    n = ++star_n;
  }
  while (w < wildcard.size() && wildcard[w] == '*') ++w;
  return w == wildcard.size();
}

}  // namespace silt::agent
