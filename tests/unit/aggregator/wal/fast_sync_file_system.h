// FastSyncFileSystem: forwards every call to a target FileSystem but turns WritableFile::Sync
// into Flush and SyncDir into a no-op. Crash tests stack a FaultInjectionFileSystem on top of
// it: that layer alone decides what a power loss keeps, so the real fdatasync (milliseconds on
// a disk) would only make hundreds of simulated crashes slow. Thread-safe if the target is.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "shared/fs/file_system.h"

namespace silt::wal::test {

class FastSyncFileSystem final : public fs::FileSystem {
 public:
  explicit FastSyncFileSystem(fs::FileSystem* target) : target_(target) {}

  Result<std::unique_ptr<fs::WritableFile>> NewWritableFile(const std::string& path,
                                                            fs::OpenMode mode) override {
    Result<std::unique_ptr<fs::WritableFile>> file = target_->NewWritableFile(path, mode);
    if (!file.ok()) return file;
    return std::unique_ptr<fs::WritableFile>(std::make_unique<File>(std::move(*file)));
  }
  Result<std::unique_ptr<fs::RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override {
    return target_->NewRandomAccessFile(path);
  }
  Status RenameFile(const std::string& from, const std::string& to) override {
    return target_->RenameFile(from, to);
  }
  Status DeleteFile(const std::string& path) override { return target_->DeleteFile(path); }
  Status CreateDir(const std::string& path) override { return target_->CreateDir(path); }
  Status DeleteDir(const std::string& path) override { return target_->DeleteDir(path); }
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    return target_->ListDir(path);
  }
  Result<fs::FileInfo> Stat(const std::string& path) override { return target_->Stat(path); }
  Status SyncDir(const std::string&) override { return Status::Ok(); }
  Status TruncateFile(const std::string& path, uint64_t size) override {
    return target_->TruncateFile(path, size);
  }
  Result<std::unique_ptr<fs::FileLock>> LockFile(const std::string& path) override {
    return target_->LockFile(path);
  }

 private:
  class File final : public fs::WritableFile {
   public:
    explicit File(std::unique_ptr<fs::WritableFile> target) : target_(std::move(target)) {}
    Status Append(std::string_view data) override { return target_->Append(data); }
    Status Flush() override { return target_->Flush(); }
    Status Sync() override { return target_->Flush(); }
    Status Close() override { return target_->Close(); }
    uint64_t Size() const override { return target_->Size(); }
    const std::string& path() const override { return target_->path(); }

   private:
    std::unique_ptr<fs::WritableFile> target_;
  };

  fs::FileSystem* const target_;
};

}  // namespace silt::wal::test
