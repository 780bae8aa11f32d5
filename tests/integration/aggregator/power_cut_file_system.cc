#include "tests/integration/aggregator/power_cut_file_system.h"

#include <utility>

namespace silt::engine::crash {

class PowerCutFileSystem::File final : public fs::WritableFile {
 public:
  File(PowerCutFileSystem* fs, std::unique_ptr<fs::WritableFile> file)
      : fs_(fs), file_(std::move(file)) {}
  Status Append(std::string_view data) override {
    fs_->Count();
    return file_->Append(data);
  }
  Status Flush() override { return file_->Flush(); }
  Status Sync() override {
    fs_->Count();
    return file_->Sync();
  }
  Status Close() override {
    fs_->Count();
    return file_->Close();
  }
  uint64_t Size() const override { return file_->Size(); }
  const std::string& path() const override { return file_->path(); }

 private:
  PowerCutFileSystem* fs_;
  std::unique_ptr<fs::WritableFile> file_;
};

void PowerCutFileSystem::CutAt(uint64_t n) {
  fired_ = false;
  cut_ = count_ + n;
}

void PowerCutFileSystem::Count() {
  uint64_t n = ++count_;
  if (n == cut_) {
    fired_ = true;
    target_->FailAllOperations(true);
  }
}

Result<std::unique_ptr<fs::WritableFile>> PowerCutFileSystem::NewWritableFile(
    const std::string& path, fs::OpenMode mode) {
  Count();
  SILT_ASSIGN_OR_RETURN(auto file, target_->NewWritableFile(path, mode));
  return std::unique_ptr<fs::WritableFile>(std::make_unique<File>(this, std::move(file)));
}

Result<std::unique_ptr<fs::RandomAccessFile>> PowerCutFileSystem::NewRandomAccessFile(
    const std::string& path) {
  return target_->NewRandomAccessFile(path);
}

Status PowerCutFileSystem::RenameFile(const std::string& from, const std::string& to) {
  Count();
  return target_->RenameFile(from, to);
}

Status PowerCutFileSystem::DeleteFile(const std::string& path) {
  Count();
  return target_->DeleteFile(path);
}

Status PowerCutFileSystem::CreateDir(const std::string& path) {
  Count();
  return target_->CreateDir(path);
}

Status PowerCutFileSystem::DeleteDir(const std::string& path) {
  Count();
  return target_->DeleteDir(path);
}

Result<std::vector<std::string>> PowerCutFileSystem::ListDir(const std::string& path) {
  return target_->ListDir(path);
}

Result<fs::FileInfo> PowerCutFileSystem::Stat(const std::string& path) {
  return target_->Stat(path);
}

Status PowerCutFileSystem::SyncDir(const std::string& path) {
  Count();
  return target_->SyncDir(path);
}

Status PowerCutFileSystem::TruncateFile(const std::string& path, uint64_t size) {
  Count();
  return target_->TruncateFile(path, size);
}

Result<std::unique_ptr<fs::FileLock>> PowerCutFileSystem::LockFile(const std::string& path) {
  return target_->LockFile(path);
}

}  // namespace silt::engine::crash
