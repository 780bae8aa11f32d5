#include "agent/tailer/rotation_names.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace silt::agent {
namespace {

bool IsSeparator(char c) { return c == '.' || c == '-' || c == '_'; }

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

constexpr int kOpenAttempts = 3;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// What rotation tools insert: a number or a date ("1", "20240101", "2024-01-01_1200").
bool IsRotationTag(std::string_view tag) {
  return !tag.empty() && IsDigit(tag.front()) &&
         std::all_of(tag.begin(), tag.end(), [](char c) { return IsDigit(c) || IsSeparator(c); });
}

}  // namespace

bool IsRotationName(std::string_view name, std::string_view watched_name) {
  if (name.size() <= watched_name.size() + 1) return false;
  // "app.log.1", "app.log-20240101", "app.log.1.old": the whole name, a separator, a digit.
  if (name.starts_with(watched_name) && IsSeparator(name[watched_name.size()]) &&
      IsDigit(name[watched_name.size() + 1])) {
    return true;
  }
  // "app.1.log", "app-20240101.log": the stem, a separator, a numeric tag, the extension.
  const size_t dot = watched_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view stem = watched_name.substr(0, dot);
  const std::string_view extension = watched_name.substr(dot);  // ".log"
  if (!name.starts_with(stem) || !IsSeparator(name[stem.size()]) || !name.ends_with(extension)) {
    return false;
  }
  return IsRotationTag(
      name.substr(stem.size() + 1, name.size() - stem.size() - 1 - extension.size()));
}

bool HasIgnoredSuffix(std::string_view path, const std::vector<std::string>& suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(),
                     [&](const std::string& s) { return !s.empty() && path.ends_with(s); });
}

Result<std::vector<RotationCandidate>> ListRotationCandidates(
    fs::FileSystem& fs, const std::string& watched_path,
    const std::vector<std::string>& ignored_suffixes) {
  const std::string dir = fs::ParentDir(watched_path);
  const std::string_view watched_name = BaseName(watched_path);
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> names, fs.ListDir(dir));
  std::vector<RotationCandidate> candidates;
  for (const std::string& name : names) {
    if (!IsRotationName(name, watched_name) || HasIgnoredSuffix(name, ignored_suffixes)) continue;
    std::string path = fs::JoinPath(dir, name);
    Result<fs::FileInfo> info = fs.Stat(path);
    if (!info.ok() || info->is_directory) continue;
    candidates.push_back(RotationCandidate{std::move(path), *info});
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const RotationCandidate& a, const RotationCandidate& b) {
              return std::tie(a.info.mtime_ns, a.path) < std::tie(b.info.mtime_ns, b.path);
            });
  return candidates;
}

Result<OpenedFile> OpenAndIdentify(fs::FileSystem& fs, const std::string& path) {
  for (int attempt = 0; attempt < kOpenAttempts; ++attempt) {
    SILT_ASSIGN_OR_RETURN(fs::FileInfo before, fs.Stat(path));
    if (before.is_directory) return Status::InvalidArgument("tail " + path + ": is a directory");
    SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::RandomAccessFile> file, fs.NewRandomAccessFile(path));
    SILT_ASSIGN_OR_RETURN(fs::FileInfo after, fs.Stat(path));
    if (before.device != after.device || before.inode != after.inode) continue;
    SILT_ASSIGN_OR_RETURN(Fingerprint fingerprint, ComputeFingerprint(*file));
    OpenedFile opened;
    opened.file = std::move(file);
    opened.identity = FileIdentity{after.device, after.inode, fingerprint};
    opened.info = after;
    return opened;
  }
  return Status::Unavailable("tail " + path + ": the path kept pointing at other files while " +
                             "being opened; will retry on the next event");
}

}  // namespace silt::agent
