// PollWatcher: a FileWatcher that lists and stats its directories every `interval` and reports
// each name whose (device, inode, size, mtime) changed, appeared or disappeared. It is what
// discovery uses where inotify cannot work: network file systems (NFS, SMB: inotify sees only
// this host's writes) and directories beyond the inotify limits. Cost per tick: one readdir per
// directory and one stat per entry.
//
// The first listing of a directory (in Add) is the baseline: nothing is reported for it. A
// directory that cannot be listed any more is reported once with an empty name.
//
// Thread-safety: loop thread only. The timer handle lives in a heap wrapper freed by its close
// callback.
#pragma once

#include <uv.h>

#include <cstdint>
#include <map>
#include <string>

#include "agent/discovery/file_watcher.h"

namespace silt::agent {

class PollWatcher final : public FileWatcher {
 public:
  // `loop` must outlive the watcher and its close callbacks; interval_ns > 0.
  PollWatcher(uv_loop_t* loop, int64_t interval_ns, Callback callback);
  ~PollWatcher() override;
  PollWatcher(const PollWatcher&) = delete;
  PollWatcher& operator=(const PollWatcher&) = delete;

  // Lists `dir` for the baseline and starts the timer if needed. NotFound or PermissionDenied
  // (naming the directory) when it cannot be listed.
  Status Add(const std::string& dir) override;
  void Remove(const std::string& dir) override;
  bool Watches(const std::string& dir) const override { return dirs_.count(dir) > 0; }
  size_t size() const override { return dirs_.size(); }
  void Close() override;

  // Lists every directory now and reports what changed since the last listing (the timer calls
  // this; tests call it directly).
  void PollNow();

 private:
  struct EntryState {
    uint64_t device = 0;
    uint64_t inode = 0;
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    friend bool operator==(const EntryState&, const EntryState&) = default;
  };
  struct DirState {
    std::map<std::string, EntryState> entries;
    bool readable = true;
  };
  struct Timer;

  static Status List(const std::string& dir, std::map<std::string, EntryState>* entries);
  void PollDir(const std::string& dir, DirState* state);
  void StartTimer();

  uv_loop_t* const loop_;
  const int64_t interval_ns_;
  Callback callback_;
  std::map<std::string, DirState> dirs_;
  Timer* timer_ = nullptr;
  bool closed_ = false;
};

}  // namespace silt::agent
