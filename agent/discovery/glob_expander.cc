#include "agent/discovery/glob_expander.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <utility>

#include "shared/fs/file_system.h"

namespace silt::agent {
namespace {

enum class EntryType { kFile, kDirectory, kOther, kMissing };

struct DirEntry {
  std::string name;
  EntryType type = EntryType::kOther;
};

using NodeId = std::pair<dev_t, ino_t>;

EntryType TypeOf(const struct stat& st) {
  if (S_ISREG(st.st_mode)) return EntryType::kFile;
  if (S_ISDIR(st.st_mode)) return EntryType::kDirectory;
  return EntryType::kOther;
}

class Walker {
 public:
  Walker(const GlobPattern& pattern, const GlobExpandOptions& options, GlobMatches* out)
      : pattern_(pattern), segments_(pattern.segments()), options_(options), out_(out) {}

  void Run() {
    const std::string base = pattern_.BaseDirectory();
    struct stat st;
    if (::stat(base.c_str(), &st) != 0) {
      if (errno != ENOENT && errno != ENOTDIR) Error("stat " + base, errno);
      return;
    }
    if (!S_ISDIR(st.st_mode)) return;
    std::vector<NodeId> ancestors = {{st.st_dev, st.st_ino}};
    Visit(base, pattern_.base_segments(), 0, &ancestors);
  }

 private:
  void Visit(const std::string& dir, size_t index, size_t depth, std::vector<NodeId>* ancestors) {
    if (!visited_.emplace(dir, index).second) return;
    if (directories_seen_.insert(dir).second) {
      if (directories_seen_.size() > options_.max_directories) {
        if (!truncated_) {
          out_->errors.push_back("glob \"" + pattern_.text() + "\" looks into more than " +
                                 std::to_string(options_.max_directories) +
                                 " directories; the rest are not watched (narrow the glob)");
        }
        truncated_ = true;
        return;
      }
      out_->directories.push_back(dir);
    }
    const GlobPattern::Segment& segment = segments_[index];
    const bool last = index + 1 == segments_.size();
    if (segment.kind == GlobPattern::Segment::Kind::kLiteral) {
      const std::string child = fs::JoinPath(dir, segment.text);
      Take(child, Stat(child), index, last, depth, ancestors);
      return;
    }
    std::vector<DirEntry> entries;
    if (!List(dir, &entries)) return;
    if (segment.kind == GlobPattern::Segment::Kind::kAnyDepth && !last) {
      Visit(dir, index + 1, depth, ancestors);
    }
    for (DirEntry& entry : entries) {
      if (segment.kind == GlobPattern::Segment::Kind::kWildcard &&
          !GlobPattern::MatchSegment(segment.text, entry.name)) {
        continue;
      }
      const std::string child = fs::JoinPath(dir, entry.name);
      if (segment.kind == GlobPattern::Segment::Kind::kAnyDepth) {
        Descend(child, entry.type, index, last, depth, ancestors);
      } else {
        Take(child, entry.type, index, last, depth, ancestors);
      }
    }
  }

  // A child matched segment `index`: a file is a match when the segment is the last one, a
  // directory is walked for the next segment.
  void Take(const std::string& child, EntryType type, size_t index, bool last, size_t depth,
            std::vector<NodeId>* ancestors) {
    if (type == EntryType::kMissing) return;
    if (type == EntryType::kOther) type = Stat(child);
    if (last) {
      if (type == EntryType::kFile) out_->files.push_back(child);
      return;
    }
    if (type == EntryType::kDirectory) Visit(child, index + 1, depth, ancestors);
  }

  // A child of a directory walked for `**` (segment `index`): files match when `**` is the last
  // segment; directories are walked for `**` again, one level deeper.
  void Descend(const std::string& child, EntryType type, size_t index, bool last, size_t depth,
               std::vector<NodeId>* ancestors) {
    if (type == EntryType::kFile && last) {
      out_->files.push_back(child);
      return;
    }
    if (type != EntryType::kDirectory || depth + 1 > options_.max_depth) return;
    struct stat st;
    if (::stat(child.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
    const NodeId id{st.st_dev, st.st_ino};
    if (std::find(ancestors->begin(), ancestors->end(), id) != ancestors->end()) return;
    ancestors->push_back(id);
    Visit(child, index, depth + 1, ancestors);
    ancestors->pop_back();
  }

  EntryType Stat(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) return TypeOf(st);
    if (errno != ENOENT && errno != ENOTDIR) Error("stat " + path, errno);
    return EntryType::kMissing;
  }

  // Lists `dir`; entries whose type readdir cannot tell (symlinks, some file systems) are
  // stat'ed, following links. Returns false (with an error recorded) when it cannot be read.
  bool List(const std::string& dir, std::vector<DirEntry>* entries) {
    DIR* handle = ::opendir(dir.c_str());
    if (handle == nullptr) {
      if (errno != ENOENT && errno != ENOTDIR) Error("open directory " + dir, errno);
      return false;
    }
    while (struct dirent* entry = ::readdir(handle)) {
      const std::string_view name = entry->d_name;
      if (name == "." || name == "..") continue;
      DirEntry item;
      item.name = std::string(name);
      if (entry->d_type == DT_REG) {
        item.type = EntryType::kFile;
      } else if (entry->d_type == DT_DIR) {
        item.type = EntryType::kDirectory;
      } else if (entry->d_type == DT_LNK || entry->d_type == DT_UNKNOWN) {
        item.type = Stat(fs::JoinPath(dir, name));
      }
      entries->push_back(std::move(item));
    }
    ::closedir(handle);
    std::sort(entries->begin(), entries->end(),
              [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    return true;
  }

  void Error(const std::string& what, int error) {
    out_->errors.push_back(what + ": " + ::strerror(error));
  }

  const GlobPattern& pattern_;
  const std::vector<GlobPattern::Segment>& segments_;
  const GlobExpandOptions& options_;
  GlobMatches* out_;
  std::set<std::pair<std::string, size_t>> visited_;
  std::set<std::string> directories_seen_;
  bool truncated_ = false;
};

void SortUnique(std::vector<std::string>* items) {
  std::sort(items->begin(), items->end());
  items->erase(std::unique(items->begin(), items->end()), items->end());
}

}  // namespace

void ExpandGlobs(const std::vector<GlobPattern>& patterns, const GlobExpandOptions& options,
                 GlobMatches* out) {
  for (const GlobPattern& pattern : patterns) Walker(pattern, options, out).Run();
  SortUnique(&out->files);
  SortUnique(&out->directories);
}

}  // namespace silt::agent
