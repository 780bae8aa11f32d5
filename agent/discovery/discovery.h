// Discovery: which files the agent tails, and prompt news when one changes. It evaluates the
// watches' globs (WatchSet::Scan) at Start and every rescan interval, watches every directory
// the walk looked into, and tells its listener:
//
//   OnRescan(paths)        every path the globs match now (after each scan)
//   OnPathsChanged(paths)  paths something happened to, coalesced per loop iteration
//
// Each directory is watched with inotify (uv_fs_event) unless the method is forced to polling,
// the directory is on a network file system (NFS, SMB/CIFS, 9p, Ceph, AFS, Lustre, FUSE: inotify
// does not see other hosts' writes there), or inotify refuses the watch (watch or instance limit
// exhausted, file system without inotify). Those directories are stat-polled instead; the switch
// is logged (warn, with the reason and the cause) and counted in DiscoveryStats. An event for a
// name that is not watched yet but matches a watch adds the path at once (no wait for the
// rescan); an event for a new directory brings the next rescan forward.
//
// Files under rotated names of a path the agent watches (app.log.1 beside app.log, also while
// app.log itself is briefly missing) are never watched paths of their own, even when a glob
// matches them: the tailer already follows rotated files, and tailing them again as new paths
// would repeat their lines. At most `max_paths` paths are watched; beyond that, paths already
// watched keep their place and the rest wait (a warning says how many).
//
// Thread-safety: loop thread only. Close() before the loop is closed.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agent/discovery/inotify_watcher.h"
#include "agent/discovery/poll_watcher.h"
#include "agent/discovery/watch_set.h"
#include "shared/log/logger.h"

namespace silt::agent {

class DiscoveryListener {
 public:
  virtual ~DiscoveryListener() = default;
  virtual void OnRescan(const std::vector<std::string>& paths) = 0;
  virtual void OnPathsChanged(const std::vector<std::string>& paths) = 0;
};

enum class WatchMethod {
  kAuto,  // inotify, falling back to polling per directory
  kPoll,  // stat polling everywhere
};

struct DiscoveryStats {
  uint64_t scans = 0;
  uint64_t events = 0;               // watcher reports received
  uint64_t fallbacks = 0;            // directories that fell back from inotify to polling
  uint64_t watched_paths = 0;        // gauge
  uint64_t paths_over_limit = 0;     // gauge: matching paths not watched (max_paths)
  uint64_t inotify_directories = 0;  // gauge
  uint64_t polled_directories = 0;   // gauge
  uint64_t scan_errors = 0;          // gauge: unreadable directories/files in the last scan
};

class Discovery {
 public:
  struct Options {
    WatchMethod method = WatchMethod::kAuto;
    int64_t rescan_interval_ns = 10'000'000'000;  // 10 s
    int64_t poll_interval_ns = 1'000'000'000;     // 1 s
    size_t max_paths = 4096;                      // 0: no limit
    // At most this many directories use inotify; the rest are polled (0: no own limit).
    size_t max_inotify_directories = 0;
    GlobExpandOptions glob;
  };

  // The pointers must outlive the object. The listener is called on the loop thread, from
  // Start() and later from libuv callbacks.
  Discovery(uv_loop_t* loop, const WatchSet* watches, DiscoveryListener* listener,
            log::Logger* logger, Options options);
  ~Discovery();
  Discovery(const Discovery&) = delete;
  Discovery& operator=(const Discovery&) = delete;

  // Scans, sets up the directory watches, calls OnRescan, and starts the rescan timer.
  void Start();
  // Scans now (as the timer does).
  void Rescan();
  // Stops every timer and watch and starts closing their handles (the loop must run once more).
  void Close();

  DiscoveryStats stats() const;
  // The paths watched now, sorted.
  const std::set<std::string>& paths() const { return watched_; }
  // Whether `dir` is polled (false: inotify or not watched).
  bool IsPolled(const std::string& dir) const { return poll_.Watches(dir); }

 private:
  struct DirState {
    uint64_t device = 0;
    uint64_t inode = 0;
  };

  void OnWatcherEvent(const std::string& dir, const std::string& name);
  void UpdateDirectories(const std::vector<std::string>& dirs);
  void WatchDirectory(const std::string& dir);
  void FallBack(const std::string& dir, const std::string& reason, const Status& cause);
  void UnwatchDirectory(const std::string& dir);
  // Paths of the scan minus rotated names of known paths, within max_paths.
  std::vector<std::string> SelectPaths(const ScanResult& scan);
  using NamesByDir = std::map<std::string, std::set<std::string>>;
  // Whether `path` is a rotated name of another name in its directory in `names`.
  static bool IsRotationOf(const NamesByDir& names, const std::string& path);
  void Remember(const std::string& path);
  void ReportScanErrors(const std::vector<std::string>& errors);
  void RequestRescanSoon();
  void FlushPending();

  uv_loop_t* const loop_;
  const WatchSet* const watches_;
  DiscoveryListener* const listener_;
  log::ComponentLogger log_;
  const Options options_;

  InotifyWatcher inotify_;
  PollWatcher poll_;
  std::map<std::string, DirState> dirs_;
  std::set<std::string> watched_;
  NamesByDir known_names_;  // names ever watched, by directory
  std::set<std::string> pending_;
  std::set<std::string> scan_errors_;
  std::set<std::string> logged_fallback_reasons_;
  size_t last_over_limit_ = 0;
  uv_timer_t* rescan_timer_ = nullptr;
  uv_idle_t* flush_idle_ = nullptr;
  bool started_ = false;
  bool closed_ = false;
  DiscoveryStats stats_;
};

}  // namespace silt::agent
