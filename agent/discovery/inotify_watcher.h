// InotifyWatcher: a FileWatcher over libuv's uv_fs_event (inotify on Linux), one handle per
// watched directory. A directory watch reports creations, writes, renames and deletions of the
// names in it, so one watch per directory covers every tailed file there. Each handle lives in a
// heap wrapper that its `data` points to; Remove/Close call uv_close and the close callback frees
// the wrapper.
//
// Failure modes worth knowing: inotify_add_watch fails with ENOSPC when fs.inotify.max_user_watches
// is reached and inotify_init with EMFILE when fs.inotify.max_user_instances is (both reported as
// ResourceExhausted, so discovery falls back to polling). On NFS and other network file systems
// the watch succeeds but never sees other hosts' writes, which is why discovery polls those
// directories without trying inotify. A queue overflow loses events silently (libuv does not
// report IN_Q_OVERFLOW); the periodic rescan catches up.
//
// Thread-safety: loop thread only.
#pragma once

#include <uv.h>

#include <map>
#include <string>

#include "agent/discovery/file_watcher.h"

namespace silt::agent {

class InotifyWatcher final : public FileWatcher {
 public:
  // `loop` must outlive the watcher and its close callbacks. `callback` runs on the loop thread.
  InotifyWatcher(uv_loop_t* loop, Callback callback);
  ~InotifyWatcher() override;
  InotifyWatcher(const InotifyWatcher&) = delete;
  InotifyWatcher& operator=(const InotifyWatcher&) = delete;

  Status Add(const std::string& dir) override;
  void Remove(const std::string& dir) override;
  bool Watches(const std::string& dir) const override { return handles_.count(dir) > 0; }
  size_t size() const override { return handles_.size(); }
  void Close() override;

 private:
  struct Handle;

  static void OnEvent(uv_fs_event_t* handle, const char* filename, int events, int status);
  static void Release(Handle* handle);

  uv_loop_t* const loop_;
  Callback callback_;
  std::map<std::string, Handle*> handles_;
  bool closed_ = false;
};

}  // namespace silt::agent
