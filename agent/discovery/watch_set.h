// WatchSet: the agent's watches compiled: for each, its globs, exclusions, static labels and path
// labels. It answers the two questions discovery asks: which files match now (Scan, a directory
// walk), and whether one path named by an inotify or poll event belongs to a watch (RuleFor), and
// it gives the labels of a path's stream (LabelsFor).
//
// A path belongs to the first watch whose `paths` match it and whose `exclude` does not. An
// exclude pattern containing '/' is a glob over the whole path; one without '/' (`*.gz`) is
// matched against the file name only. Paths ending with an ignored suffix (compressed rotations)
// never match.
//
// Thread-safety: immutable after Create; const methods may be called from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/discovery/glob_expander.h"
#include "agent/discovery/glob_pattern.h"
#include "agent/discovery/path_labeler.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace silt::agent {

// One watch as configured.
struct WatchRule {
  std::vector<std::string> paths;        // absolute globs, braces allowed
  std::vector<std::string> exclude;      // globs (with '/') or file-name patterns (without)
  labels::LabelSet labels;               // static labels (the global ones merged in)
  std::vector<std::string> path_labels;  // RE2 regexes with named groups over the path
};

struct ScanResult {
  // Matched files, sorted, each with the index of the watch it belongs to.
  std::vector<std::string> paths;
  std::vector<size_t> rules;
  std::vector<std::string> directories;  // every directory the walk looked into
  std::vector<std::string> errors;       // unreadable directories and files (ExpandGlobs)
};

class WatchSet {
 public:
  // Compiles the rules. InvalidArgument naming the watch (by index) and the pattern or regex.
  static Result<WatchSet> Create(std::vector<WatchRule> rules,
                                 std::vector<std::string> ignored_suffixes);

  // Walks the file system for every watch's globs.
  ScanResult Scan(const GlobExpandOptions& options) const;
  // The watch `path` belongs to, or nullopt.
  std::optional<size_t> RuleFor(std::string_view path) const;
  // The stream labels of `path`: its watch's static labels plus what its path_labels capture
  // (empty when the path belongs to no watch). *rejected (if given) counts dropped values.
  labels::LabelSet LabelsFor(std::string_view path, size_t* rejected = nullptr) const;

  size_t size() const { return watches_.size(); }
  const WatchRule& rule(size_t index) const { return watches_[index].rule; }

 private:
  struct Compiled {
    WatchRule rule;
    std::vector<GlobPattern> globs;
    std::vector<GlobPattern> exclude_globs;
    std::vector<std::string> exclude_names;
    PathLabeler labeler;
  };

  bool Excluded(const Compiled& watch, std::string_view path) const;
  bool Ignored(std::string_view path) const;

  std::vector<Compiled> watches_;
  std::vector<std::string> ignored_suffixes_;
};

}  // namespace silt::agent
