// FileWatcher: tells discovery that something happened to a name in a watched directory (a file
// created, written, renamed, deleted). Implementations: InotifyWatcher (uv_fs_event, i.e.
// inotify, one watch per directory) and PollWatcher (stat polling, for file systems where inotify
// does not see other hosts' changes and for when inotify limits are exhausted).
//
// Events are hints, not facts: a name may be reported more than once, for changes of no interest,
// or after it disappeared; the receiver re-examines the path. An empty name means "anything in
// the directory may have changed" (the directory itself was touched, or events were lost).
//
// Thread-safety: libuv-bound; create, use and close on the loop thread. Callbacks run there.
#pragma once

#include <functional>
#include <string>

#include "shared/status/status.h"

namespace silt::agent {

class FileWatcher {
 public:
  // Called with the watched directory (as given to Add) and the name inside it.
  using Callback = std::function<void(const std::string& dir, const std::string& name)>;

  virtual ~FileWatcher() = default;

  // Starts watching `dir`; OK when it is watched already. NotFound when it does not exist,
  // ResourceExhausted when a kernel limit refuses the watch (inotify watch or instance limit),
  // IOError or Unavailable otherwise; the message names the directory and the cause.
  virtual Status Add(const std::string& dir) = 0;
  // Stops watching `dir` (no-op when not watched).
  virtual void Remove(const std::string& dir) = 0;
  virtual bool Watches(const std::string& dir) const = 0;
  virtual size_t size() const = 0;
  // Stops everything and starts closing the libuv handles; the loop must run once more so the
  // close callbacks free them. Idempotent; Add fails afterwards.
  virtual void Close() = 0;
};

}  // namespace silt::agent
