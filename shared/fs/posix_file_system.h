// PosixFileSystem: FileSystem on Linux system calls. Every descriptor is opened with O_CLOEXEC,
// calls interrupted by a signal (EINTR) are retried, short writes are continued, WritableFile::Sync
// is fdatasync and SyncDir is fsync on the directory. Errors come from Status::FromErrno with the
// call and the path, e.g. "IOError: fdatasync /data/wal/0000000000000001.wal: Input/output error".
//
// LockFile uses flock(2): the lock belongs to the open file description, so two separate opens
// exclude each other even inside one process, the lock dies with its descriptor (a crashed holder
// never leaves a stale lock), and O_CLOEXEC keeps it out of exec'd children. The holder writes its
// pid into the lock file so a refused caller can be told who holds it.
//
// Thread-safety: the file system is stateless and safe to share. See file_system.h for files.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "shared/fs/file_system.h"

namespace silt::fs {

class PosixFileSystem final : public FileSystem {
 public:
  struct Options {
    // WritableFile keeps up to this many appended bytes in user space and hands them to the OS
    // when full or on Flush/Sync/Close; appends at least this large go straight to the OS.
    // 0 makes every Append a write(2).
    size_t write_buffer_size = 64 * 1024;
    // Permission bits for new files and directories (the umask still applies).
    mode_t file_mode = 0644;
    mode_t dir_mode = 0755;
  };

  PosixFileSystem() = default;
  explicit PosixFileSystem(Options options) : options_(options) {}

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                        OpenMode mode) override;
  // A PosixDirectWritableFile (posix_direct_writable_file.h); a plain file for kAppend (its
  // partial last block would have to be read back) and when the file system refuses O_DIRECT.
  Result<std::unique_ptr<WritableFile>> NewDirectWritableFile(const std::string& path,
                                                              OpenMode mode) override;
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override;
  Status RenameFile(const std::string& from, const std::string& to) override;
  Status DeleteFile(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Status DeleteDir(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  Result<FileInfo> Stat(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Status TruncateFile(const std::string& path, uint64_t size) override;
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) override;

 private:
  Options options_;
};

}  // namespace silt::fs
