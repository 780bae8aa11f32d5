// FdWritableFile: a silt::fs::WritableFile over a file descriptor it does not own (stdout), so
// the generator writes to stdout and to files through one interface. Every Append is write(2)
// calls until all bytes are written (retrying EINTR and short writes); nothing is buffered.
// Used by one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/fs/file_system.h"

namespace silt::loggen {

class FdWritableFile final : public fs::WritableFile {
 public:
  // `fd` must stay open while this object is used; `name` appears in errors ("<stdout>").
  FdWritableFile(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

  // IOError naming the file and errno on failure (EPIPE when the reader went away).
  Status Append(std::string_view data) override;
  Status Flush() override { return Status::Ok(); }
  // fdatasync; pipes and terminals cannot be synced and report OK.
  Status Sync() override;
  // Does not close the descriptor (it is not owned).
  Status Close() override { return Status::Ok(); }
  uint64_t Size() const override { return written_; }
  const std::string& path() const override { return name_; }

 private:
  int fd_;
  std::string name_;
  uint64_t written_ = 0;
};

}  // namespace silt::loggen
