#include "agent/discovery/discovery.h"

#include <sys/stat.h>
#include <sys/vfs.h>

#include <algorithm>
#include <cassert>
#include <utility>

#include "agent/tailer/rotation_names.h"
#include "shared/fs/file_system.h"
#include "shared/time/duration.h"

namespace silt::agent {
namespace {

// statfs f_type values of file systems where inotify misses other hosts' changes.
constexpr struct {
  uint64_t magic;
  const char* name;
} kNetworkFileSystems[] = {
    {0x6969, "nfs"},      {0x517B, "smb"},        {0xFF534D42, "cifs"},
    {0xFE534D42, "smb2"}, {0x01021997, "9p"},     {0x00C36400, "ceph"},
    {0x5346414F, "afs"},  {0x0BD00BD0, "lustre"}, {0x65735546, "fuse"},
};

// The network file system `dir` is on, or nullptr.
const char* NetworkFileSystem(const std::string& dir) {
  struct statfs info;
  if (::statfs(dir.c_str(), &info) != 0) return nullptr;
  for (const auto& fs : kNetworkFileSystems) {
    if (static_cast<uint64_t>(static_cast<uint32_t>(info.f_type)) == fs.magic) return fs.name;
  }
  return nullptr;
}

bool IsSeparator(char c) { return c == '.' || c == '-' || c == '_'; }

std::pair<std::string, std::string> SplitPath(const std::string& path) {
  const size_t slash = path.rfind('/');
  return {fs::ParentDir(path), path.substr(slash + 1)};
}

void CloseAndDelete(uv_handle_t* handle) {
  handle->data = nullptr;
  uv_close(handle, [](uv_handle_t* closed) {
    if (closed->type == UV_TIMER) {
      delete reinterpret_cast<uv_timer_t*>(closed);
    } else {
      delete reinterpret_cast<uv_idle_t*>(closed);
    }
  });
}

uint64_t ToMillis(int64_t ns) { return static_cast<uint64_t>((ns + 999'999) / 1'000'000); }

}  // namespace

Discovery::Discovery(uv_loop_t* loop, const WatchSet* watches, DiscoveryListener* listener,
                     log::Logger* logger, Options options)
    : loop_(loop),
      watches_(watches),
      listener_(listener),
      log_(logger, "discovery"),
      options_(std::move(options)),
      inotify_(loop, [this](const std::string& dir,
                            const std::string& name) { OnWatcherEvent(dir, name); }),
      poll_(
          loop, options_.poll_interval_ns,
          [this](const std::string& dir, const std::string& name) { OnWatcherEvent(dir, name); }) {}

Discovery::~Discovery() { Close(); }

void Discovery::Start() {
  assert(!started_);
  started_ = true;
  rescan_timer_ = new uv_timer_t;
  uv_timer_init(loop_, rescan_timer_);
  rescan_timer_->data = this;
  flush_idle_ = new uv_idle_t;
  uv_idle_init(loop_, flush_idle_);
  flush_idle_->data = this;
  Rescan();
}

void Discovery::Rescan() {
  if (closed_) return;
  ScanResult scan = watches_->Scan(options_.glob);
  ++stats_.scans;
  ReportScanErrors(scan.errors);
  UpdateDirectories(scan.directories);
  std::vector<std::string> paths = SelectPaths(scan);
  watched_ = std::set<std::string>(paths.begin(), paths.end());
  stats_.watched_paths = watched_.size();
  listener_->OnRescan(paths);
  if (rescan_timer_ != nullptr && !closed_) {
    const uint64_t interval = ToMillis(options_.rescan_interval_ns);
    uv_timer_start(
        rescan_timer_,
        [](uv_timer_t* timer) {
          if (timer->data != nullptr) static_cast<Discovery*>(timer->data)->Rescan();
        },
        interval, interval);
  }
}

void Discovery::RequestRescanSoon() {
  if (rescan_timer_ == nullptr || closed_) return;
  // A burst of new directories gives one rescan; the regular interval resumes after it.
  if (uv_timer_get_due_in(rescan_timer_) <= 100) return;
  uv_timer_start(
      rescan_timer_,
      [](uv_timer_t* timer) {
        if (timer->data != nullptr) static_cast<Discovery*>(timer->data)->Rescan();
      },
      50, ToMillis(options_.rescan_interval_ns));
}

void Discovery::Close() {
  if (closed_) return;
  closed_ = true;
  inotify_.Close();
  poll_.Close();
  if (rescan_timer_ != nullptr) {
    uv_timer_stop(rescan_timer_);
    CloseAndDelete(reinterpret_cast<uv_handle_t*>(rescan_timer_));
    rescan_timer_ = nullptr;
  }
  if (flush_idle_ != nullptr) {
    uv_idle_stop(flush_idle_);
    CloseAndDelete(reinterpret_cast<uv_handle_t*>(flush_idle_));
    flush_idle_ = nullptr;
  }
}

DiscoveryStats Discovery::stats() const {
  DiscoveryStats stats = stats_;
  stats.inotify_directories = inotify_.size();
  stats.polled_directories = poll_.size();
  return stats;
}

void Discovery::OnWatcherEvent(const std::string& dir, const std::string& name) {
  if (closed_) return;
  ++stats_.events;
  if (name.empty()) {
    RequestRescanSoon();
    return;
  }
  const std::string path = fs::JoinPath(dir, name);
  if (watched_.count(path) == 0) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
      if (dirs_.count(path) == 0) RequestRescanSoon();
      return;
    }
    if (!S_ISREG(st.st_mode) || !watches_->RuleFor(path).has_value() ||
        IsRotationOf(known_names_, path)) {
      return;
    }
    if (options_.max_paths != 0 && watched_.size() >= options_.max_paths) return;
    watched_.insert(path);
    stats_.watched_paths = watched_.size();
    Remember(path);
  }
  pending_.insert(path);
  if (flush_idle_ != nullptr && !uv_is_active(reinterpret_cast<uv_handle_t*>(flush_idle_))) {
    uv_idle_start(flush_idle_, [](uv_idle_t* idle) {
      if (idle->data != nullptr) static_cast<Discovery*>(idle->data)->FlushPending();
    });
  }
}

void Discovery::FlushPending() {
  uv_idle_stop(flush_idle_);
  if (pending_.empty()) return;
  std::vector<std::string> paths(pending_.begin(), pending_.end());
  pending_.clear();
  listener_->OnPathsChanged(paths);
}

void Discovery::UpdateDirectories(const std::vector<std::string>& dirs) {
  std::set<std::string> wanted(dirs.begin(), dirs.end());
  for (auto it = dirs_.begin(); it != dirs_.end();) {
    if (wanted.count(it->first) > 0) {
      ++it;
      continue;
    }
    const std::string dir = it->first;
    ++it;
    UnwatchDirectory(dir);
  }
  for (const std::string& dir : dirs) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) {
      UnwatchDirectory(dir);
      continue;
    }
    auto it = dirs_.find(dir);
    if (it != dirs_.end()) {
      if (it->second.device == st.st_dev && it->second.inode == st.st_ino) continue;
      UnwatchDirectory(dir);  // replaced: the old watch follows the old directory
    }
    dirs_[dir] = DirState{st.st_dev, st.st_ino};
    WatchDirectory(dir);
  }
}

void Discovery::WatchDirectory(const std::string& dir) {
  if (options_.method == WatchMethod::kPoll) {
    Status status = poll_.Add(dir);
    if (!status.ok()) log_.Warn("cannot poll directory", {{"dir", dir}, {"error", status}});
    return;
  }
  if (const char* network = NetworkFileSystem(dir)) {
    FallBack(dir, std::string("network_fs_") + network,
             Status::Unavailable("directory " + dir + " is on " + network +
                                 ", where inotify does not see other hosts' writes"));
    return;
  }
  if (options_.max_inotify_directories != 0 &&
      inotify_.size() >= options_.max_inotify_directories) {
    FallBack(dir, "inotify_max_directories",
             Status::ResourceExhausted("discovery.inotify_max_directories (" +
                                       std::to_string(options_.max_inotify_directories) +
                                       ") directories already use inotify"));
    return;
  }
  Status status = inotify_.Add(dir);
  if (status.ok() || status.code() == StatusCode::kNotFound) return;
  FallBack(dir, status.code() == StatusCode::kResourceExhausted ? "inotify_limit" : "inotify_error",
           status);
}

void Discovery::FallBack(const std::string& dir, const std::string& reason, const Status& cause) {
  ++stats_.fallbacks;
  const std::string interval = time::FormatDuration(options_.poll_interval_ns);
  const log::Level level =
      logged_fallback_reasons_.insert(reason).second ? log::Level::kWarn : log::Level::kDebug;
  log_.Log(level, "inotify not used for a directory; polling it with stat instead",
           {{"dir", dir}, {"reason", reason}, {"cause", cause}, {"poll_interval", interval}});
  Status status = poll_.Add(dir);
  if (!status.ok()) log_.Warn("cannot poll directory", {{"dir", dir}, {"error", status}});
}

void Discovery::UnwatchDirectory(const std::string& dir) {
  inotify_.Remove(dir);
  poll_.Remove(dir);
  dirs_.erase(dir);
}

std::vector<std::string> Discovery::SelectPaths(const ScanResult& scan) {
  // A rotated name is recognised against every name seen before and every name matching now.
  NamesByDir names = known_names_;
  for (const std::string& path : scan.paths) {
    auto [dir, name] = SplitPath(path);
    names[dir].insert(std::move(name));
  }
  std::vector<std::string> kept;
  std::vector<std::string> fresh;
  for (const std::string& path : scan.paths) {
    if (IsRotationOf(names, path)) continue;
    (watched_.count(path) > 0 ? kept : fresh).push_back(path);
  }
  size_t over = 0;
  for (const std::string& path : fresh) {
    if (options_.max_paths != 0 && kept.size() >= options_.max_paths) {
      ++over;
      continue;
    }
    kept.push_back(path);
  }
  if (options_.max_paths != 0 && kept.size() > options_.max_paths) {
    over += kept.size() - options_.max_paths;
    kept.resize(options_.max_paths);
  }
  if (over != last_over_limit_ && over > 0) {
    log_.Warn("more files match the watches than limits.max_open_files; the rest wait",
              {{"matching", kept.size() + over},
               {"max_open_files", options_.max_paths},
               {"not_watched", over}});
  }
  last_over_limit_ = over;
  stats_.paths_over_limit = over;
  for (const std::string& path : kept) Remember(path);
  std::sort(kept.begin(), kept.end());
  return kept;
}

bool Discovery::IsRotationOf(const NamesByDir& names_by_dir, const std::string& path) {
  const auto [dir, name] = SplitPath(path);
  auto it = names_by_dir.find(dir);
  if (it == names_by_dir.end()) return false;
  const std::set<std::string>& names = it->second;
  const size_t dot = name.rfind('.');
  for (size_t i = 1; i + 1 < name.size(); ++i) {
    if (!IsSeparator(name[i])) continue;
    const std::string whole = name.substr(0, i);
    if (names.count(whole) > 0 && IsRotationName(name, whole)) return true;
    if (dot != std::string::npos && dot > i) {
      const std::string stem_and_extension = whole + name.substr(dot);
      if (names.count(stem_and_extension) > 0 && IsRotationName(name, stem_and_extension)) {
        return true;
      }
    }
  }
  return false;
}

void Discovery::Remember(const std::string& path) {
  auto [dir, name] = SplitPath(path);
  known_names_[dir].insert(std::move(name));
}

void Discovery::ReportScanErrors(const std::vector<std::string>& errors) {
  std::set<std::string> now(errors.begin(), errors.end());
  for (const std::string& error : now) {
    if (scan_errors_.count(error) == 0) {
      log_.Warn("cannot look for files; the watch goes on without them", {{"error", error}});
    }
  }
  scan_errors_ = std::move(now);
  stats_.scan_errors = scan_errors_.size();
}

}  // namespace silt::agent
