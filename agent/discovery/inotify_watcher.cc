#include "agent/discovery/inotify_watcher.h"

#include <cassert>
#include <utility>

namespace silt::agent {
namespace {

Status WatchError(const std::string& dir, int code) {
  std::string message = "watch directory " + dir + " with inotify: " + uv_strerror(code);
  switch (code) {
    case UV_ENOSPC:
      return Status::ResourceExhausted(
          message +
          " (the inotify watch limit fs.inotify.max_user_watches is reached; raise it "
          "with sysctl, or the directory is polled)");
    case UV_EMFILE:
    case UV_ENFILE:
      return Status::ResourceExhausted(
          message +
          " (the inotify instance limit fs.inotify.max_user_instances or the open file "
          "limit is reached)");
    case UV_ENOENT:
    case UV_ENOTDIR:
      return Status::NotFound(message);
    case UV_EACCES:
    case UV_EPERM:
      return Status::PermissionDenied(message);
    case UV_ENOSYS:
    case UV_ENOTSUP:
      return Status::Unavailable(message + " (the file system does not support inotify)");
    default:
      return Status::IOError(message);
  }
}

}  // namespace

struct InotifyWatcher::Handle {
  uv_fs_event_t handle;
  InotifyWatcher* owner = nullptr;
  std::string dir;
};

InotifyWatcher::InotifyWatcher(uv_loop_t* loop, Callback callback)
    : loop_(loop), callback_(std::move(callback)) {
  assert(loop != nullptr);
}

InotifyWatcher::~InotifyWatcher() { Close(); }

Status InotifyWatcher::Add(const std::string& dir) {
  if (closed_) return Status::Unavailable("watch directory " + dir + ": the watcher is closed");
  if (handles_.count(dir) > 0) return Status::Ok();
  auto* handle = new Handle;
  handle->owner = this;
  handle->dir = dir;
  handle->handle.data = handle;
  int rc = uv_fs_event_init(loop_, &handle->handle);
  if (rc != 0) {
    delete handle;
    return WatchError(dir, rc);
  }
  rc = uv_fs_event_start(&handle->handle, &InotifyWatcher::OnEvent, dir.c_str(), 0);
  if (rc != 0) {
    Release(handle);
    return WatchError(dir, rc);
  }
  handles_.emplace(dir, handle);
  return Status::Ok();
}

void InotifyWatcher::Remove(const std::string& dir) {
  auto it = handles_.find(dir);
  if (it == handles_.end()) return;
  Release(it->second);
  handles_.erase(it);
}

void InotifyWatcher::Close() {
  closed_ = true;
  for (auto& [dir, handle] : handles_) Release(handle);
  handles_.clear();
}

void InotifyWatcher::OnEvent(uv_fs_event_t* uv_handle, const char* filename, int /*events*/,
                             int status) {
  auto* handle = static_cast<Handle*>(uv_handle->data);
  if (handle->owner == nullptr) return;
  const std::string name = status < 0 || filename == nullptr ? std::string() : filename;
  handle->owner->callback_(handle->dir, name);
}

void InotifyWatcher::Release(Handle* handle) {
  handle->owner = nullptr;
  uv_fs_event_stop(&handle->handle);
  uv_close(reinterpret_cast<uv_handle_t*>(&handle->handle),
           [](uv_handle_t* closed) { delete static_cast<Handle*>(closed->data); });
}

}  // namespace silt::agent
