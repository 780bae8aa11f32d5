// PosixDirectWritableFile: a WritableFile whose whole blocks bypass the page cache (O_DIRECT),
// for files written once and read back only in recovery (WAL segments). Appends collect in an
// aligned user-space buffer; Flush writes the whole 4 KiB blocks in it with one O_DIRECT pwrite
// and the last partial block, if any, with a plain (page-cache) pwrite through a second
// descriptor of the same file, keeps that partial block in the buffer and writes it again, with
// whatever follows it, as a whole block at the next Flush. So the file always has exactly the
// bytes appended (no zero padding, no size change when closed), the page cache holds at most the
// one partial block per file (which the next direct write invalidates), and the kernel's copy of
// every byte into fresh page-cache pages, their accounting and their writeback go away. Close
// drops the partial block's page too.
// Sync is Flush + fdatasync, which makes both kinds of write durable (data, size, device cache).
//
// Fallbacks, each silent and permanent for the file (the bytes and guarantees are the same):
// open(O_DIRECT) refused with EINVAL (tmpfs and other file systems without direct I/O) ->
// PosixFileSystem::NewDirectWritableFile returns a plain file instead; a file system whose
// direct I/O alignment (statx STATX_DIOALIGN) does not divide 4 KiB, or a direct pwrite refused
// with EINVAL -> every later write goes through the plain descriptor (direct() turns false).
//
// An Append of 64 KiB or more laid out in memory as in the file (address = file offset modulo
// 4 KiB) skips the buffer: its whole blocks are written from the caller's memory right away
// (WalWriter arranges its queue so; see kMinDirectFromCaller).
//
// Thread-safety: one thread at a time, as every WritableFile.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "shared/fs/file_system.h"
#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::fs {

class PosixDirectWritableFile final : public WritableFile {
 public:
  // Direct writes go in multiples of this many bytes, at offsets and addresses aligned to it.
  static constexpr size_t kBlockSize = 4096;
  // The user-space buffer: whole blocks are written out when it fills, so one Flush of more
  // bytes than this takes several direct writes.
  static constexpr size_t kBufferSize = size_t{8} << 20;
  // An Append of at least this many bytes whose address agrees with the file offset modulo
  // kBlockSize (the caller laid its bytes out to match the file's blocks, as the WAL's queue
  // does) is written from the caller's memory at once, without the copy into the buffer: only
  // its first and last partial blocks are copied.
  static constexpr size_t kMinDirectFromCaller = 64 * 1024;

  // Creates or opens `path` per `flags` (open(2) flags with O_WRONLY and the OpenMode's
  // O_CREAT/O_TRUNC/O_EXCL; not O_APPEND: the partial last block is not read back) with
  // O_DIRECT. InvalidArgument when the file system refuses O_DIRECT (EINVAL; nothing was
  // created), the open error (Status::FromErrno) otherwise.
  static Result<std::unique_ptr<PosixDirectWritableFile>> Open(const std::string& path, int flags,
                                                               mode_t mode);
  // Closing here can only report errors to nobody; owners who care call Close() first.
  ~PosixDirectWritableFile() override;

  PosixDirectWritableFile(const PosixDirectWritableFile&) = delete;
  PosixDirectWritableFile& operator=(const PosixDirectWritableFile&) = delete;

  Status Append(std::string_view data) override;
  Status Flush() override;
  Status Sync() override;
  // Drops page-cache pages before the partial block (posix_fadvise DONTNEED; normally there are
  // none). The partial block's one page stays: the next Flush rewrites it, and a dropped page
  // would be read back from the disk first. Close drops it.
  void DropSyncedPages() override;
  Status Close() override;
  uint64_t Size() const override { return block_start_ + used_; }
  const std::string& path() const override { return path_; }

  // Whether whole blocks still go around the page cache (false after a fallback).
  bool direct() const { return direct_; }

 private:
  struct FreeDeleter {
    void operator()(char* p) const;
  };

  PosixDirectWritableFile(std::string path, int direct_fd, int plain_fd, bool direct);

  // Append through the buffer.
  Status Copy(std::string_view data);
  // Append of `data` that lies in memory as it will in the file (modulo kBlockSize).
  Status WriteFromCaller(std::string_view data);
  // Writes the buffer's whole blocks (directly) and its partial block (through the page cache),
  // then keeps only the partial block. On failure the buffer is emptied and Size() counts what
  // reached the file.
  Status WriteBuffer();
  // pwrite of all of `data` at `offset`: through the direct descriptor when `direct` (and no
  // fallback happened), else through the plain one; EINTR retried, short writes continued.
  Status WriteAt(std::string_view data, uint64_t offset, bool direct);
  // Drops the buffer after a failed write: `reached` bytes from block_start_ are in the file.
  void DiscardAfterFailure(uint64_t reached);

  const std::string path_;
  int direct_fd_;  // O_DIRECT; -1 once closed
  int plain_fd_;   // the same file through the page cache; -1 once closed
  bool direct_;
  std::unique_ptr<char, FreeDeleter> buffer_;  // kBufferSize bytes, aligned to kBlockSize
  uint64_t block_start_ = 0;   // file offset of buffer_[0]; a multiple of kBlockSize while direct_
  size_t used_ = 0;            // bytes in buffer_
  size_t unflushed_from_ = 0;  // buffer_ bytes from here on are not in the file yet
};

}  // namespace silt::fs
