// In-memory WritableFile and RandomAccessFile for chunk tests: the writer appends to a string,
// the reader serves a string (which tests damage at will). Not thread-safe except concurrent
// reads of a MemoryRandomAccessFile.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "shared/fs/file_system.h"

namespace silt::store::testing {

class MemoryWritableFile : public fs::WritableFile {
 public:
  explicit MemoryWritableFile(std::string path = "/mem/chunk.silt") : path_(std::move(path)) {}

  Status Append(std::string_view data) override {
    if (fail_after_ != npos && contents_.size() + data.size() > fail_after_) {
      return Status::IOError("append " + path_ + ": injected failure");
    }
    contents_.append(data);
    ++appends_;
    return Status::Ok();
  }
  Status Flush() override { return Status::Ok(); }
  Status Sync() override { return Status::Ok(); }
  Status Close() override { return Status::Ok(); }
  uint64_t Size() const override { return contents_.size(); }
  const std::string& path() const override { return path_; }

  // Appends that would take the file past `bytes` fail.
  void FailAfter(size_t bytes) { fail_after_ = bytes; }
  const std::string& contents() const { return contents_; }
  int appends() const { return appends_; }

 private:
  static constexpr size_t npos = static_cast<size_t>(-1);
  std::string path_;
  std::string contents_;
  size_t fail_after_ = npos;
  int appends_ = 0;
};

class MemoryRandomAccessFile : public fs::RandomAccessFile {
 public:
  explicit MemoryRandomAccessFile(std::string contents, std::string path = "/mem/chunk.silt")
      : contents_(std::move(contents)), path_(std::move(path)) {}

  Result<size_t> Read(uint64_t offset, size_t n, char* scratch) const override {
    if (offset >= contents_.size()) return size_t{0};
    size_t available = std::min<size_t>(n, contents_.size() - offset);
    std::memcpy(scratch, contents_.data() + offset, available);
    return available;
  }
  Result<uint64_t> Size() const override { return uint64_t{contents_.size()}; }
  const std::string& path() const override { return path_; }

 private:
  std::string contents_;
  std::string path_;
};

}  // namespace silt::store::testing
