// FileSystem: the seam through which every Silt component touches files (WAL segments, chunk
// files, positions and checkpoint files, tailed logs). Production code uses PosixFileSystem;
// crash-safety tests use FaultInjectionFileSystem, which can drop unsynced data or fail the Nth
// call of an operation. Writers take a WritableFile*, never a path.
//
// Thread-safety: FileSystem implementations are safe to call from several threads at once.
// A WritableFile is used by one thread at a time; a RandomAccessFile serves concurrent reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::fs {

// A file opened for appending. Bytes reach the OS on Flush (or earlier, when an internal buffer
// fills) and the disk on Sync. The destructor closes an open file and ignores errors: call Close
// to learn whether buffered bytes made it.
class WritableFile {
 public:
  virtual ~WritableFile() = default;

  // Appends `data` at the end of the file. On failure a prefix of `data` may have reached the
  // file (as with a short write before ENOSPC); Size() then tells how many bytes the file holds.
  // ResourceExhausted means the disk or quota is full; IOError anything else.
  virtual Status Append(std::string_view data) = 0;
  // Hands buffered bytes to the OS, so other readers of the path see them. Not durable.
  virtual Status Flush() = 0;
  // Flushes, then makes the file's data (and its size) durable (fdatasync). It does not make a
  // newly created file's directory entry durable: FileSystem::SyncDir on the parent does.
  // After a failed Sync the durable content of the file is unknown (the kernel may have dropped
  // the dirty pages); callers must treat it as fatal for the file and never retry and trust it.
  virtual Status Sync() = 0;
  // A hint that the bytes synced so far will not be read again soon (a write-ahead log): the OS
  // may drop them from its page cache, so later writes reuse those pages instead of taking fresh
  // memory (on this project's VMs a page cache growing into untouched memory makes write(2)
  // several times dearer). Call after a successful Sync; content and durability are unchanged.
  // The default does nothing.
  virtual void DropSyncedPages() {}
  // Flushes and closes. Further calls on the file fail with IOError. Closing twice is OK.
  virtual Status Close() = 0;
  // Bytes appended so far, including buffered ones. After a failed Append or Flush, the number of
  // bytes that reached the file.
  virtual uint64_t Size() const = 0;
  virtual const std::string& path() const = 0;
};

// A file opened for positional reads. Reads do not move any shared cursor, so several threads
// may read the same RandomAccessFile at once. A reader of a file that grows (a WAL segment being
// written, a log being tailed) just reads at larger offsets; Size() reports the current size.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;

  // Reads up to `n` bytes at `offset` into `scratch` (which must hold `n` bytes). Returns the
  // number of bytes read; it is less than `n` only when the end of the file was reached (0 at or
  // past the end). IOError when the OS refuses the read.
  virtual Result<size_t> Read(uint64_t offset, size_t n, char* scratch) const = 0;
  // The file's current size in bytes.
  virtual Result<uint64_t> Size() const = 0;
  virtual const std::string& path() const = 0;
};

// An exclusive advisory lock on a file, held until this object is destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
  virtual const std::string& path() const = 0;
};

// How NewWritableFile treats a file that already exists. Every mode creates a missing file.
enum class OpenMode {
  kTruncate,      // empty it
  kAppend,        // keep its bytes and append after them
  kMustNotExist,  // fail (O_EXCL): the caller expects to create it
};

// What Stat reports about a path (symlinks are followed).
struct FileInfo {
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // nanoseconds since the Unix epoch
  uint64_t device = 0;   // with `inode`, identifies the file across renames
  uint64_t inode = 0;
  bool is_directory = false;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Opens `path` for appending per `mode`. NotFound when the parent directory is missing,
  // PermissionDenied when not allowed, IOError otherwise (also for kMustNotExist on an existing
  // file: "open <path>: File exists").
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                                OpenMode mode) = 0;
  // NewWritableFile for a file that is written once and read back rarely (a write-ahead log
  // segment): where the file system can, whole blocks bypass the page cache (direct I/O), which
  // saves the kernel's copy into page-cache pages and their bookkeeping. The contract, bytes and
  // durability are NewWritableFile's (Sync is still required); only the page cache differs. The
  // default, and any implementation that cannot, is NewWritableFile.
  virtual Result<std::unique_ptr<WritableFile>> NewDirectWritableFile(const std::string& path,
                                                                      OpenMode mode) {
    return NewWritableFile(path, mode);
  }
  // Opens an existing file for reading. NotFound when it does not exist.
  virtual Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) = 0;

  // Atomically replaces `to` with `from` (rename(2); same file system). Not durable until
  // SyncDir on both parents.
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  // Removes a file (not a directory). NotFound when missing. Not durable until SyncDir(parent).
  virtual Status DeleteFile(const std::string& path) = 0;
  // Creates one directory; OK when it already exists as a directory. NotFound when the parent
  // is missing, IOError when `path` exists and is not a directory.
  virtual Status CreateDir(const std::string& path) = 0;
  // Removes an empty directory. IOError ("Directory not empty") when it has entries.
  virtual Status DeleteDir(const std::string& path) = 0;
  // The names (not paths) of the entries in a directory, without "." and "..", sorted bytewise.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  // Size, mtime and identity of `path`. NotFound when it does not exist.
  virtual Result<FileInfo> Stat(const std::string& path) = 0;
  // Makes the directory's entries durable: files created, renamed or deleted in it survive a
  // power loss only after this returns OK (fsync on the directory).
  virtual Status SyncDir(const std::string& path) = 0;
  // Sets the file's size: drops bytes past `size`, or extends it with zeros.
  virtual Status TruncateFile(const std::string& path, uint64_t size) = 0;
  // Takes an exclusive lock on `path` (created if missing), so two processes (or two owners in
  // one process) cannot use the same directory. The lock is released when the returned object is
  // destroyed. Unavailable when someone else holds it; the message names the holder's pid when
  // known.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) = 0;

  // The helpers below are built on the primitives above, so every implementation (and every
  // fault it injects) behaves the same way.

  // The whole content of a file. NotFound when it does not exist.
  Result<std::string> ReadFileToString(const std::string& path);
  // Replaces the content of `path` with `data` so that after a crash the file holds either the
  // old or the new content, never a mix: writes TempPathFor(path) in the same directory, syncs
  // and closes it, renames it over `path`, then syncs the directory. On failure `path` is
  // untouched (or already replaced, if only the final directory sync failed) and the temp file is
  // removed as far as possible.
  Status WriteFileAtomically(const std::string& path, std::string_view data);
  // Creates `path` and any missing parents (mkdir -p). OK when it exists as a directory.
  Status CreateDirs(const std::string& path);
  // True when `path` exists. False when it does not, or when it cannot be checked (Stat tells why).
  bool FileExists(const std::string& path);
  // Shorthand for Stat(path)->size.
  Result<uint64_t> GetFileSize(const std::string& path);

  // The temp file WriteFileAtomically uses for `path`: "<path>.tmp". A crash can leave one
  // behind; the next WriteFileAtomically overwrites it, and directory scanners should skip it.
  static std::string TempPathFor(const std::string& path);
};

// The directory part of `path`: "/a/b" -> "/a", "/a" -> "/", "b" -> ".". Trailing slashes on
// `path` are ignored.
std::string ParentDir(std::string_view path);
// `dir` + "/" + `name`, without doubling a trailing slash of `dir`.
std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace silt::fs
