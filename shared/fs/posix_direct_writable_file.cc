#include "shared/fs/posix_direct_writable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "shared/fs/posix_calls.h"

namespace silt::fs {
namespace {

// Whether the file system takes direct writes of kBlockSize-aligned blocks from
// kBlockSize-aligned memory. Kernels or file systems that do not report their alignment are
// trusted: a refused write falls back then.
bool DirectAlignmentFits(int fd) {
#ifdef STATX_DIOALIGN
  struct statx stx;
  if (::statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) != 0) return true;
  if ((stx.stx_mask & STATX_DIOALIGN) == 0) return true;
  constexpr size_t kBlock = PosixDirectWritableFile::kBlockSize;
  return stx.stx_dio_offset_align != 0 && kBlock % stx.stx_dio_offset_align == 0 &&
         stx.stx_dio_mem_align != 0 && kBlock % stx.stx_dio_mem_align == 0;
#else
  (void)fd;
  return true;
#endif
}

}  // namespace

void PosixDirectWritableFile::FreeDeleter::operator()(char* p) const { std::free(p); }

Result<std::unique_ptr<PosixDirectWritableFile>> PosixDirectWritableFile::Open(
    const std::string& path, int flags, mode_t mode) {
  if ((flags & O_APPEND) != 0) {
    return Status::InvalidArgument("direct-I/O file " + path +
                                   ": O_APPEND is not supported; open it as a plain file");
  }
  int direct_fd = OpenRetrying(path, flags | O_DIRECT, mode);
  if (direct_fd < 0) {
    if (errno == EINVAL) {
      return Status::InvalidArgument("open " + path +
                                     " with O_DIRECT: the file system does not support it");
    }
    return Status::FromErrno(errno, "open " + path);
  }
  // The file exists now: the second descriptor neither creates nor truncates.
  int plain_fd = OpenRetrying(path, O_WRONLY, 0);
  if (plain_fd < 0) {
    Status status = Status::FromErrno(errno, "open " + path);
    ::close(direct_fd);
    return status;
  }
  const bool direct = DirectAlignmentFits(direct_fd);
  auto file = std::unique_ptr<PosixDirectWritableFile>(
      new PosixDirectWritableFile(path, direct_fd, plain_fd, direct));
  void* memory = nullptr;
  if (::posix_memalign(&memory, kBlockSize, kBufferSize) != 0) {
    return Status::ResourceExhausted("direct-I/O file " + path + ": cannot allocate its " +
                                     std::to_string(kBufferSize) + "-byte buffer");
  }
  file->buffer_.reset(static_cast<char*>(memory));
  return file;
}

PosixDirectWritableFile::PosixDirectWritableFile(std::string path, int direct_fd, int plain_fd,
                                                 bool direct)
    : path_(std::move(path)), direct_fd_(direct_fd), plain_fd_(plain_fd), direct_(direct) {}

PosixDirectWritableFile::~PosixDirectWritableFile() { Close().IgnoreError(); }

Status PosixDirectWritableFile::Append(std::string_view data) {
  if (plain_fd_ < 0) return ClosedFileError("append", path_);
  if (direct_ && data.size() >= kMinDirectFromCaller &&
      (reinterpret_cast<uintptr_t>(data.data()) - Size()) % kBlockSize == 0) {
    return WriteFromCaller(data);
  }
  return Copy(data);
}

Status PosixDirectWritableFile::Copy(std::string_view data) {
  while (!data.empty()) {
    if (used_ == kBufferSize) SILT_RETURN_IF_ERROR(WriteBuffer());
    const size_t n = std::min(data.size(), kBufferSize - used_);
    std::memcpy(buffer_.get() + used_, data.data(), n);
    used_ += n;
    data.remove_prefix(n);
  }
  return Status::Ok();
}

Status PosixDirectWritableFile::WriteFromCaller(std::string_view data) {
  // Complete the buffer's partial block and write the buffer out: the file is then at a block
  // boundary, and so is the rest of `data` in memory.
  const size_t head = (kBlockSize - Size() % kBlockSize) % kBlockSize;
  SILT_RETURN_IF_ERROR(Copy(data.substr(0, head)));
  SILT_RETURN_IF_ERROR(WriteBuffer());
  data.remove_prefix(head);
  const size_t whole = data.size() / kBlockSize * kBlockSize;
  Status status = WriteAt(data.substr(0, whole), block_start_, true);
  if (!status.ok()) {
    DiscardAfterFailure(0);
    return status;
  }
  block_start_ += whole;
  // The last partial block stays for Flush, as if it had been appended alone.
  return Copy(data.substr(whole));
}

Status PosixDirectWritableFile::Flush() {
  if (plain_fd_ < 0) return ClosedFileError("flush", path_);
  return WriteBuffer();
}

Status PosixDirectWritableFile::WriteBuffer() {
  if (unflushed_from_ == used_) return Status::Ok();
  const size_t whole = used_ / kBlockSize * kBlockSize;
  if (whole > 0) {
    Status status = WriteAt(std::string_view(buffer_.get(), whole), block_start_, true);
    if (!status.ok()) {
      DiscardAfterFailure(0);
      return status;
    }
  }
  const size_t partial = used_ - whole;
  if (partial > 0) {
    // Only the bytes not yet in the file: an earlier Flush may have written the beginning.
    const size_t from = std::max(whole, unflushed_from_);
    Status status =
        WriteAt(std::string_view(buffer_.get() + from, used_ - from), block_start_ + from, false);
    if (!status.ok()) {
      DiscardAfterFailure(from);
      return status;
    }
  }
  // Keep the partial block: the next Flush writes it again as part of a whole block.
  if (whole > 0 && partial > 0) std::memmove(buffer_.get(), buffer_.get() + whole, partial);
  block_start_ += whole;
  used_ = partial;
  unflushed_from_ = partial;
  return Status::Ok();
}

Status PosixDirectWritableFile::WriteAt(std::string_view data, uint64_t offset, bool direct) {
  while (!data.empty()) {
    const bool use_direct = direct && direct_;
    ssize_t n = ::pwrite(use_direct ? direct_fd_ : plain_fd_, data.data(), data.size(),
                         static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EINVAL && use_direct) {
        direct_ = false;  // the device wants another alignment: the page cache from now on
        continue;
      }
      return Status::FromErrno(errno, "write " + path_);
    }
    // A short direct write may end off the block grid: the rest goes through the page cache.
    if (static_cast<size_t>(n) < data.size()) direct = false;
    offset += static_cast<uint64_t>(n);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

void PosixDirectWritableFile::DiscardAfterFailure(uint64_t reached) {
  // What a failed write left is unknown past `reached`; the file's own size tells the truth.
  struct stat st;
  uint64_t size = block_start_ + reached;
  if (::fstat(plain_fd_, &st) == 0) size = static_cast<uint64_t>(st.st_size);
  // Later appends continue at a block boundary through the page cache (never used by the WAL,
  // which cuts the file back and reopens it after a failed write).
  direct_ = false;
  block_start_ = size;
  used_ = 0;
  unflushed_from_ = 0;
}

Status PosixDirectWritableFile::Sync() {
  if (plain_fd_ < 0) return ClosedFileError("fdatasync", path_);
  SILT_RETURN_IF_ERROR(WriteBuffer());
  return FdatasyncRetrying(plain_fd_, path_);
}

void PosixDirectWritableFile::DropSyncedPages() {
  // Only before the partial block: its page is written again by the next Flush, which would
  // have to read it back from the disk first.
  if (plain_fd_ >= 0 && block_start_ > 0) {
    ::posix_fadvise(plain_fd_, 0, static_cast<off_t>(block_start_), POSIX_FADV_DONTNEED);
  }
}

Status PosixDirectWritableFile::Close() {
  if (plain_fd_ < 0) return Status::Ok();
  Status status = WriteBuffer();
  // Nothing is appended any more: the partial block's page goes too (a hint; errors are moot).
  if (status.ok()) ::posix_fadvise(plain_fd_, 0, 0, POSIX_FADV_DONTNEED);
  // Linux releases a descriptor even when close fails, so it is never retried.
  if (::close(direct_fd_) != 0 && status.ok()) status = Status::FromErrno(errno, "close " + path_);
  if (::close(plain_fd_) != 0 && status.ok()) status = Status::FromErrno(errno, "close " + path_);
  direct_fd_ = plain_fd_ = -1;
  buffer_.reset();
  return status;
}

}  // namespace silt::fs
