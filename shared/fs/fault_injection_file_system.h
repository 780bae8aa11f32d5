// FaultInjectionFileSystem: a FileSystem for crash-safety tests. It forwards every call to a
// target FileSystem (normally a PosixFileSystem on a temp dir) while tracking what a power loss
// would keep, and it can fail chosen calls.
//
// What DropUnsyncedData() models (a power loss, made as bad as POSIX allows):
//  - File data: a file written through this object keeps only the bytes covered by its last
//    successful WritableFile::Sync. Opening an existing file with OpenMode::kTruncate counts as
//    losing its old bytes until the next Sync. TruncateFile shrinks the synced length with it.
//  - Directory entries: every create (NewWritableFile of a new file, CreateDir), rename and delete
//    is undone unless a later SyncDir of the directory holding the entry succeeded: new files and
//    directories disappear (with everything in them), renamed files go back to their old name
//    and a file a rename replaced comes back, deleted files and directories come back. A restored
//    file holds its durable bytes as of when it was unlinked. A rename between two directories is
//    two independent entry changes, so a crash may show the file under both names or neither.
//  - Everything else is assumed durable: files this object never wrote, and renames of whole
//    directories (passed through, never undone). Use absolute paths spelled one way per file
//    ("a//b" and "a/./b" are normalised, ".." and symlinks are not).
//  - The user-space buffer of the target's WritableFile is bypassed (every Append is flushed to
//    the OS at once), so "unsynced" always means "in the page cache".
//  - Every WritableFile open at the time is closed underneath its owner; further calls on it
//    fail. Files opened afterwards see the post-crash state. Tracking restarts from it, with
//    every surviving file counted as durable.
//
// Races: RunBeforeNth runs a test's action just before a chosen call reaches the target (another
// process renaming a file between a stat and an open, say).
//
// Failures: FailNth fails one chosen call of an operation kind, FailAllOperations makes every
// call fail (a device that is gone), SetFreeSpace bounds the bytes further appends may add.
// Injected errors are IOError "<op> <path>: injected I/O error" (ResourceExhausted for space).
// An injected failure does nothing on the target, except for Close (the target file is closed
// anyway, as close(2) does) and a partly fitting Append (see SetFreeSpace).
//
// Thread-safety: every method may be called from any thread; one mutex serialises them. Files
// and locks opened through this object must be destroyed before it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "shared/fs/file_system.h"

namespace silt::fs {

// The kinds of call FaultInjectionFileSystem counts and can fail.
enum class Op {
  kOpen,       // NewWritableFile, NewRandomAccessFile (and so ReadFileToString)
  kRead,       // RandomAccessFile::Read
  kWrite,      // WritableFile::Append
  kSync,       // WritableFile::Sync
  kClose,      // WritableFile::Close (the first one on a file)
  kRename,     // RenameFile
  kDelete,     // DeleteFile, DeleteDir
  kCreateDir,  // CreateDir (and so each directory CreateDirs makes)
  kListDir,    // ListDir
  kStat,       // Stat, RandomAccessFile::Size (and so FileExists, GetFileSize)
  kSyncDir,    // SyncDir
  kTruncate,   // TruncateFile
  kLock,       // LockFile
};
inline constexpr size_t kOpCount = 13;

// The name used in injected error messages, e.g. "sync".
std::string_view OpName(Op op);

class FaultInjectionFileSystem final : public FileSystem {
 public:
  // `target` does the real work; it must outlive this object.
  explicit FaultInjectionFileSystem(FileSystem* target);
  ~FaultInjectionFileSystem() override;

  FaultInjectionFileSystem(const FaultInjectionFileSystem&) = delete;
  FaultInjectionFileSystem& operator=(const FaultInjectionFileSystem&) = delete;

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
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

  // Simulates a power loss as described in the file comment and restarts tracking. The rollback
  // works on the target directly, so armed faults neither fire nor get used up by it. Returns the
  // first error the target reported while rolling back; the rest of the rollback still runs.
  Status DropUnsyncedData();

  // Makes the n-th call of `op` from now fail once (n = 1: the next call). Several may be armed.
  void FailNth(Op op, uint64_t n);
  // Runs `action` once, just before the n-th call of `op` from now (n = 1: the next call) reaches
  // the target and before any fault armed for that call. It runs under this object's lock, so
  // it must act on the target (or the OS) directly, never through this object.
  void RunBeforeNth(Op op, uint64_t n, std::function<void()> action);
  // Every call fails with IOError until called with false or ClearFaults.
  void FailAllOperations(bool fail);
  // Appends may add `bytes` more bytes in total. An Append that does not fit writes the prefix
  // that fits (as a real short write before ENOSPC does), uses up the budget and returns
  // ResourceExhausted; WritableFile::Size() then counts the prefix. Deletes do not free space.
  void SetFreeSpace(uint64_t bytes);
  // Disarms FailNth, FailAllOperations and SetFreeSpace. Call counts and tracking stay.
  void ClearFaults();
  // Calls of `op` since construction, failed ones included.
  uint64_t CallCount(Op op) const;

 private:
  class WritableFileImpl;
  class RandomAccessFileImpl;

  using NodeId = uint64_t;
  // A file whose durable bytes are tracked; it may live under one path, or none (then `saved`
  // holds what a crash would restore).
  struct Node {
    uint64_t synced_size = 0;
    std::optional<std::string> saved;
  };
  // What a directory entry with unsynced changes would hold after a power loss.
  struct DurableEntry {
    enum class Kind { kAbsent, kFile, kDirectory };
    Kind kind = Kind::kAbsent;
    NodeId node = 0;  // for kFile
  };

  // Counts a call and returns the injected error for it, if any. `what` names the object.
  Status CheckFault(Op op, std::string_view what);
  // The injected error for a call not counted as an Op (Flush), if the device is gone.
  Status CheckDeviceGone(std::string_view op, std::string_view what) const;
  NodeId NewNode(uint64_t synced_size);
  // The node of the file at `path`, tracking it (as durable) first if needed. Nullopt when
  // `path` is not a regular file.
  std::optional<NodeId> TrackFile(const std::string& path);
  // Saves the durable bytes of the node at `path` before its entry goes away.
  Status SaveBeforeUnlink(const std::string& path, NodeId node);
  Result<std::string> ReadDurableBytes(const std::string& path, uint64_t size);
  void ForgetUnusedNodes();
  Status RemoveTree(const std::string& path);
  Status RestoreEntry(const std::string& path, const DurableEntry& entry);

  FileSystem* const target_;
  mutable std::mutex mu_;
  NodeId next_node_ = 1;
  std::map<NodeId, Node> nodes_;
  std::map<std::string, NodeId> live_;           // tracked files by their current path
  std::map<std::string, DurableEntry> durable_;  // entries changed since their dir's last SyncDir
  std::set<WritableFileImpl*> open_files_;
  std::array<uint64_t, kOpCount> calls_{};
  std::array<std::set<uint64_t>, kOpCount> fail_at_;  // call numbers (as in calls_) to fail
  std::array<std::map<uint64_t, std::function<void()>>, kOpCount> run_at_;  // as fail_at_
  std::optional<uint64_t> free_space_;
  bool fail_all_ = false;
};

}  // namespace silt::fs
