// Where rotated files are looked for: the names in a watched file's directory that a rotation
// tool would give it (logrotate's "app.log.1", "app.log-20240101", "app.1.log" with `extension`,
// "app-20240101.log"), minus compressed ones, and the helper that opens a file and learns its
// identity. TailerSet uses them to find files it has not seen yet (two rotations between looks,
// rotations while the agent was down) and the copy copytruncate made.
//
// Stateless functions; thread-safe as far as the FileSystem is.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/positions/file_identity.h"
#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::agent {

// True when `name` (a directory entry) looks like a rotation of `watched_name` (the watched file's
// name): the whole name, then '.', '-' or '_' and a digit ("app.log.1", "app.log-20240101"); or
// the stem, a separator, a tag of digits and separators, and the extension ("app.1.log",
// "app-2024-01-01.log"). Names like "app.log.bak" or "app-error.log" are not rotations (a live
// sibling log must never be taken for one). Never true for `watched_name` itself.
bool IsRotationName(std::string_view name, std::string_view watched_name);

// True when `path` ends with one of `suffixes` (".gz", ...).
bool HasIgnoredSuffix(std::string_view path, const std::vector<std::string>& suffixes);

struct RotationCandidate {
  std::string path;
  fs::FileInfo info;
};

// The regular files in `watched_path`'s directory whose names are rotations of its name and do
// not end with an ignored suffix, stat'ed, oldest mtime first (then by name). Entries that vanish
// or cannot be stat'ed are left out. Fails only when the directory cannot be listed.
Result<std::vector<RotationCandidate>> ListRotationCandidates(
    fs::FileSystem& fs, const std::string& watched_path,
    const std::vector<std::string>& ignored_suffixes);

struct OpenedFile {
  std::unique_ptr<fs::RandomAccessFile> file;
  FileIdentity identity;  // fingerprint taken from the open file
  fs::FileInfo info;
};

// Opens `path` (following symlinks) and identifies the open file: stat, open, stat again, and
// retry if the path pointed at another file in between. NotFound when the path is gone,
// PermissionDenied or IOError from the file system, Unavailable when the path keeps changing.
Result<OpenedFile> OpenAndIdentify(fs::FileSystem& fs, const std::string& path);

}  // namespace silt::agent
