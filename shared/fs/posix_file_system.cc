#include "shared/fs/posix_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <string_view>
#include <utility>

#include "shared/fs/posix_calls.h"
#include "shared/fs/posix_direct_writable_file.h"

namespace silt::fs {
namespace {

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd, uint64_t size, size_t buffer_capacity)
      : path_(std::move(path)), fd_(fd), written_(size), capacity_(buffer_capacity) {}

  // Closing here can only report errors to nobody; owners who care call Close() first.
  ~PosixWritableFile() override { Close().IgnoreError(); }

  Status Append(std::string_view data) override {
    if (fd_ < 0) return ClosedFileError("append", path_);
    if (buffer_.size() + data.size() <= capacity_) {
      if (buffer_.capacity() < capacity_) buffer_.reserve(capacity_);
      buffer_.append(data);
      return Status::Ok();
    }
    SILT_RETURN_IF_ERROR(FlushBuffer());
    if (data.size() < capacity_) {
      buffer_.append(data);
      return Status::Ok();
    }
    return WriteToFd(data);
  }

  Status Flush() override {
    if (fd_ < 0) return ClosedFileError("flush", path_);
    return FlushBuffer();
  }

  Status Sync() override {
    if (fd_ < 0) return ClosedFileError("fdatasync", path_);
    SILT_RETURN_IF_ERROR(FlushBuffer());
    return FdatasyncRetrying(fd_, path_);
  }

  // posix_fadvise(DONTNEED) drops the clean pages (after Sync, all of them); a failure costs
  // nothing but the hint.
  void DropSyncedPages() override {
    if (fd_ >= 0) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_DONTNEED);
  }

  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    Status status = FlushBuffer();
    // Linux releases the descriptor even when close fails, so it is never retried.
    if (::close(fd_) != 0 && status.ok()) status = Status::FromErrno(errno, "close " + path_);
    fd_ = -1;
    return status;
  }

  uint64_t Size() const override { return written_ + buffer_.size(); }
  const std::string& path() const override { return path_; }

 private:
  // Writes the buffer out and empties it, also on failure (Size() then counts what was written).
  Status FlushBuffer() {
    if (buffer_.empty()) return Status::Ok();
    Status status = WriteToFd(buffer_);
    buffer_.clear();
    return status;
  }

  Status WriteToFd(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno(errno, "write " + path_);
      }
      written_ += static_cast<uint64_t>(n);
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }

  const std::string path_;
  int fd_;
  uint64_t written_;  // bytes handed to the OS, including those present when opened
  const size_t capacity_;
  std::string buffer_;
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }

  Result<size_t> Read(uint64_t offset, size_t n, char* scratch) const override {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, scratch + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno(errno,
                                 "pread " + path_ + " at offset " + std::to_string(offset + done));
      }
      if (r == 0) break;  // end of file
      done += static_cast<size_t>(r);
    }
    return done;
  }

  Result<uint64_t> Size() const override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return Status::FromErrno(errno, "fstat " + path_);
    return static_cast<uint64_t>(st.st_size);
  }

  const std::string& path() const override { return path_; }

 private:
  const std::string path_;
  const int fd_;
};

class PosixFileLock final : public FileLock {
 public:
  PosixFileLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  // Closing the only descriptor of the open file description releases the flock.
  ~PosixFileLock() override { ::close(fd_); }
  const std::string& path() const override { return path_; }

 private:
  const std::string path_;
  const int fd_;
};

// The pid the current holder wrote into the lock file, or 0 when unreadable.
long ReadHolderPid(int fd) {
  char buf[32];
  ssize_t n;
  do {
    n = ::pread(fd, buf, sizeof(buf), 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return 0;
  long pid = 0;
  std::from_chars_result r = std::from_chars(buf, buf + n, pid);
  return r.ec == std::errc() ? pid : 0;
}

Status LockHeldError(const std::string& path, long holder) {
  std::string who = holder == 0            ? "another process"
                    : holder == ::getpid() ? "this process (pid " + std::to_string(holder) + ")"
                                           : "process " + std::to_string(holder);
  return Status::Unavailable("lock " + path + ": already held by " + who +
                             "; another instance is using this directory: stop it or point this "
                             "one at a different directory");
}

// Records our pid in a lock file we hold, replacing a previous holder's.
Status WritePid(int fd, const std::string& path) {
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0) return Status::FromErrno(errno, "ftruncate " + path);
  ssize_t n;
  do {
    n = ::pwrite(fd, pid.data(), pid.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Status::FromErrno(errno, "pwrite " + path);
  return Status::Ok();
}

int OpenFlags(OpenMode mode) {
  switch (mode) {
    case OpenMode::kTruncate:
      return O_WRONLY | O_CREAT | O_TRUNC;
    case OpenMode::kAppend:
      return O_WRONLY | O_CREAT | O_APPEND;
    case OpenMode::kMustNotExist:
      return O_WRONLY | O_CREAT | O_EXCL;
  }
  return O_WRONLY | O_CREAT;
}

}  // namespace

Result<std::unique_ptr<WritableFile>> PosixFileSystem::NewDirectWritableFile(
    const std::string& path, OpenMode mode) {
  if (mode == OpenMode::kAppend) return NewWritableFile(path, mode);
  Result<std::unique_ptr<PosixDirectWritableFile>> file =
      PosixDirectWritableFile::Open(path, OpenFlags(mode), options_.file_mode);
  // InvalidArgument: no O_DIRECT here (tmpfs, ...), and nothing was created.
  if (!file.ok() && file.status().code() == StatusCode::kInvalidArgument) {
    return NewWritableFile(path, mode);
  }
  if (!file.ok()) return file.status();
  return std::unique_ptr<WritableFile>(std::move(*file));
}

Result<std::unique_ptr<WritableFile>> PosixFileSystem::NewWritableFile(const std::string& path,
                                                                       OpenMode mode) {
  int fd = OpenRetrying(path, OpenFlags(mode), options_.file_mode);
  if (fd < 0) return Status::FromErrno(errno, "open " + path);
  uint64_t size = 0;
  if (mode == OpenMode::kAppend) {
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      Status status = Status::FromErrno(errno, "fstat " + path);
      ::close(fd);
      return status;
    }
    size = static_cast<uint64_t>(st.st_size);
  }
  return std::unique_ptr<WritableFile>(
      std::make_unique<PosixWritableFile>(path, fd, size, options_.write_buffer_size));
}

Result<std::unique_ptr<RandomAccessFile>> PosixFileSystem::NewRandomAccessFile(
    const std::string& path) {
  int fd = OpenRetrying(path, O_RDONLY);
  if (fd < 0) return Status::FromErrno(errno, "open " + path);
  return std::unique_ptr<RandomAccessFile>(std::make_unique<PosixRandomAccessFile>(path, fd));
}

Status PosixFileSystem::RenameFile(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Status::FromErrno(errno, "rename " + from + " to " + to);
  }
  return Status::Ok();
}

Status PosixFileSystem::DeleteFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return Status::FromErrno(errno, "unlink " + path);
  return Status::Ok();
}

Status PosixFileSystem::CreateDir(const std::string& path) {
  if (::mkdir(path.c_str(), options_.dir_mode) == 0) return Status::Ok();
  int err = errno;
  if (err == EEXIST) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::Ok();
    return Status::IOError("mkdir " + path + ": exists and is not a directory");
  }
  return Status::FromErrno(err, "mkdir " + path);
}

Status PosixFileSystem::DeleteDir(const std::string& path) {
  if (::rmdir(path.c_str()) != 0) return Status::FromErrno(errno, "rmdir " + path);
  return Status::Ok();
}

Result<std::vector<std::string>> PosixFileSystem::ListDir(const std::string& path) {
  int fd = OpenRetrying(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Status::FromErrno(errno, "opendir " + path);
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    Status status = Status::FromErrno(errno, "opendir " + path);
    ::close(fd);
    return status;
  }
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    struct dirent* entry = ::readdir(dir);
    if (entry == nullptr) break;
    std::string_view name(entry->d_name);
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  ::closedir(dir);  // also closes fd
  if (err != 0) return Status::FromErrno(err, "readdir " + path);
  std::sort(names.begin(), names.end());
  return names;
}

Result<FileInfo> PosixFileSystem::Stat(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Status::FromErrno(errno, "stat " + path);
  FileInfo info;
  info.size = static_cast<uint64_t>(st.st_size);
  info.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  info.device = static_cast<uint64_t>(st.st_dev);
  info.inode = static_cast<uint64_t>(st.st_ino);
  info.is_directory = S_ISDIR(st.st_mode);
  return info;
}

Status PosixFileSystem::SyncDir(const std::string& path) {
  int fd = OpenRetrying(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Status::FromErrno(errno, "open directory " + path);
  int rc;
  do {
    rc = ::fsync(fd);
  } while (rc != 0 && errno == EINTR);
  Status status = rc == 0 ? Status::Ok() : Status::FromErrno(errno, "fsync " + path);
  ::close(fd);
  return status;
}

Status PosixFileSystem::TruncateFile(const std::string& path, uint64_t size) {
  int rc;
  do {
    rc = ::truncate(path.c_str(), static_cast<off_t>(size));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    return Status::FromErrno(errno, "truncate " + path + " to " + std::to_string(size) + " bytes");
  }
  return Status::Ok();
}

Result<std::unique_ptr<FileLock>> PosixFileSystem::LockFile(const std::string& path) {
  int fd = OpenRetrying(path, O_RDWR | O_CREAT, options_.file_mode);
  if (fd < 0) return Status::FromErrno(errno, "open " + path);
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  Status status;
  if (rc != 0) {
    status = errno == EWOULDBLOCK ? LockHeldError(path, ReadHolderPid(fd))
                                  : Status::FromErrno(errno, "flock " + path);
  } else {
    status = WritePid(fd, path);
  }
  if (!status.ok()) {
    ::close(fd);
    return status;
  }
  return std::unique_ptr<FileLock>(std::make_unique<PosixFileLock>(path, fd));
}

}  // namespace silt::fs
