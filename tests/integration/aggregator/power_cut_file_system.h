// PowerCutFileSystem: forwards to a FaultInjectionFileSystem and cuts the power at a chosen
// point: right before the n-th call from now that changes files (create, append, sync, close,
// rename, delete, mkdir, directory sync, truncate), every call starts failing
// (FaultInjectionFileSystem::FailAllOperations), so whatever thread makes that call, the engine
// stops exactly there. Reads are not counted. The test then tears the engine down and calls
// DropUnsyncedData on the target. Thread-safe as the target is; files it hands out must be
// destroyed before it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shared/fs/fault_injection_file_system.h"

namespace silt::engine::crash {

class PowerCutFileSystem final : public fs::FileSystem {
 public:
  // `target` must outlive this object.
  explicit PowerCutFileSystem(fs::FaultInjectionFileSystem* target) : target_(target) {}

  // Arms the cut at the n-th counted call from now (n >= 1).
  void CutAt(uint64_t n);
  void Disarm() { cut_ = 0; }
  // Whether the armed cut has happened.
  bool fired() const { return fired_; }

  Result<std::unique_ptr<fs::WritableFile>> NewWritableFile(const std::string& path,
                                                            fs::OpenMode mode) override;
  Result<std::unique_ptr<fs::RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override;
  Status RenameFile(const std::string& from, const std::string& to) override;
  Status DeleteFile(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Status DeleteDir(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  Result<fs::FileInfo> Stat(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Status TruncateFile(const std::string& path, uint64_t size) override;
  Result<std::unique_ptr<fs::FileLock>> LockFile(const std::string& path) override;

 private:
  class File;

  // Counts a call that changes files; cuts the power when it is the armed one.
  void Count();

  fs::FaultInjectionFileSystem* const target_;
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> cut_{0};  // 0: not armed
  std::atomic<bool> fired_{false};
};

}  // namespace silt::engine::crash
