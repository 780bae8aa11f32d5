// ExpandGlobs: finds the regular files that compiled GlobPatterns match, walking directories with
// opendir/readdir and stat. It is our own walk rather than glob(3) because glob(3) cannot do what
// the agent needs: it has no `**`; it reports an unreadable directory either by aborting the whole
// expansion (GLOB_ERR) or not at all, where the agent must name that directory and go on; it
// cannot tell which directories it looked into, which is exactly the set inotify must watch; it
// has no bound on how much of the tree it walks and no protection from symlink loops; and it
// cannot tell a regular file from a FIFO or a device, which the agent must never open.
//
// The walk starts at each pattern's base directory and looks only where the next segment can
// match: a literal segment is one stat, a wildcard lists one directory, `**` descends into every
// subdirectory (following symlinks, skipping a directory already on the current descent, so a
// link loop ends). Only regular files (after following symlinks) are matches.
//
// Thread-safety: a pure function over the file system.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "agent/discovery/glob_pattern.h"

namespace silt::agent {

struct GlobExpandOptions {
  size_t max_depth = 32;             // `**` descends at most this many levels
  size_t max_directories = 100'000;  // stop looking into more directories than this
};

struct GlobMatches {
  std::vector<std::string> files;        // matched regular files, sorted, unique
  std::vector<std::string> directories;  // every directory looked into, sorted, unique
  // One sentence per directory or file that could not be read ("open directory /x: Permission
  // denied"), and one when max_directories cut the walk short.
  std::vector<std::string> errors;
};

// Expands every pattern and merges the results into *out (which may hold earlier results; files
// and directories are re-sorted and de-duplicated).
void ExpandGlobs(const std::vector<GlobPattern>& patterns, const GlobExpandOptions& options,
                 GlobMatches* out);

}  // namespace silt::agent
