#include "agent/discovery/poll_watcher.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include <cassert>
#include <utility>
#include <vector>

#include "shared/fs/file_system.h"

namespace silt::agent {

struct PollWatcher::Timer {
  uv_timer_t handle;
  PollWatcher* owner = nullptr;
};

PollWatcher::PollWatcher(uv_loop_t* loop, int64_t interval_ns, Callback callback)
    : loop_(loop), interval_ns_(interval_ns), callback_(std::move(callback)) {
  assert(loop != nullptr && interval_ns > 0);
}

PollWatcher::~PollWatcher() { Close(); }

Status PollWatcher::Add(const std::string& dir) {
  if (closed_) return Status::Unavailable("poll directory " + dir + ": the watcher is closed");
  if (dirs_.count(dir) > 0) return Status::Ok();
  DirState state;
  SILT_RETURN_IF_ERROR(List(dir, &state.entries));
  dirs_.emplace(dir, std::move(state));
  StartTimer();
  return Status::Ok();
}

void PollWatcher::Remove(const std::string& dir) { dirs_.erase(dir); }

void PollWatcher::Close() {
  closed_ = true;
  dirs_.clear();
  if (timer_ == nullptr) return;
  timer_->owner = nullptr;
  uv_timer_stop(&timer_->handle);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_->handle),
           [](uv_handle_t* closed) { delete static_cast<Timer*>(closed->data); });
  timer_ = nullptr;
}

void PollWatcher::StartTimer() {
  if (timer_ != nullptr) return;
  timer_ = new Timer;
  timer_->owner = this;
  timer_->handle.data = timer_;
  [[maybe_unused]] int rc = uv_timer_init(loop_, &timer_->handle);
  assert(rc == 0);
  const uint64_t interval_ms = static_cast<uint64_t>((interval_ns_ + 999'999) / 1'000'000);
  rc = uv_timer_start(
      &timer_->handle,
      [](uv_timer_t* handle) {
        auto* timer = static_cast<Timer*>(handle->data);
        if (timer->owner != nullptr) timer->owner->PollNow();
      },
      interval_ms, interval_ms);
  assert(rc == 0);
}

void PollWatcher::PollNow() {
  // Callbacks may add or remove directories: poll a copy of the list.
  std::vector<std::string> dirs;
  dirs.reserve(dirs_.size());
  for (const auto& [dir, state] : dirs_) dirs.push_back(dir);
  for (const std::string& dir : dirs) {
    auto it = dirs_.find(dir);
    if (it != dirs_.end()) PollDir(dir, &it->second);
    if (closed_) return;
  }
}

void PollWatcher::PollDir(const std::string& dir, DirState* state) {
  std::map<std::string, EntryState> now;
  if (!List(dir, &now).ok()) {
    if (state->readable) {
      state->readable = false;
      callback_(dir, "");
    }
    return;
  }
  state->readable = true;
  std::vector<std::string> changed;
  for (const auto& [name, entry] : now) {
    auto old = state->entries.find(name);
    if (old == state->entries.end() || !(old->second == entry)) changed.push_back(name);
  }
  for (const auto& [name, entry] : state->entries) {
    if (now.count(name) == 0) changed.push_back(name);
  }
  state->entries = std::move(now);
  // `state` may be gone after a callback (Remove); use only the copied names.
  for (const std::string& name : changed) {
    callback_(dir, name);
    if (closed_) return;
  }
}

Status PollWatcher::List(const std::string& dir, std::map<std::string, EntryState>* entries) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) {
    const int error = errno;
    Status status = Status::FromErrno(error, "poll directory " + dir);
    if (error == ENOENT || error == ENOTDIR) return Status::NotFound(std::string(status.message()));
    if (error == EACCES) return Status::PermissionDenied(std::string(status.message()));
    return status;
  }
  while (struct dirent* entry = ::readdir(handle)) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    const std::string path = fs::JoinPath(dir, name);
    if (::stat(path.c_str(), &st) != 0) continue;
    EntryState state;
    state.device = st.st_dev;
    state.inode = st.st_ino;
    state.size = static_cast<uint64_t>(st.st_size);
    state.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    entries->emplace(std::string(name), state);
  }
  ::closedir(handle);
  return Status::Ok();
}

}  // namespace silt::agent
