#include "shared/fs/posix_direct_writable_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/statfs.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/page_cache.h"
#include "tests/support/syscall_refusal.h"
#include "tests/support/temp_dir.h"

namespace silt::fs {
namespace {

using ::silt::testing::TempDir;

constexpr size_t kBlock = PosixDirectWritableFile::kBlockSize;

// Bytes that differ at every offset, so a misplaced or repeated block shows.
std::string Pattern(size_t size, unsigned seed = 0) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + i / 251 + seed) & 0xff);
  return out;
}

class PosixDirectWritableFileTest : public ::testing::Test {
 protected:
  std::unique_ptr<WritableFile> OpenDirect(const std::string& path,
                                           OpenMode mode = OpenMode::kMustNotExist) {
    Result<std::unique_ptr<WritableFile>> file = posix_.NewDirectWritableFile(path, mode);
    EXPECT_TRUE(file.ok()) << file.status();
    return file.ok() ? std::move(*file) : nullptr;
  }

  std::string Read(const std::string& path) {
    Result<std::string> data = posix_.ReadFileToString(path);
    EXPECT_TRUE(data.ok()) << data.status();
    return data.value_or(std::string("<unreadable>"));
  }

  bool OnTmpfs() {
    struct statfs info {};
    return ::statfs(dir_.path().c_str(), &info) == 0 && info.f_type == TMPFS_MAGIC;
  }

  TempDir dir_;
  PosixFileSystem posix_;
};

// Every Flush leaves the file with exactly the bytes appended so far (no zero padding), whether
// an append stays inside the carried partial block, completes it, or spans several blocks.
TEST_F(PosixDirectWritableFileTest, EveryFlushLeavesExactlyTheAppendedBytes) {
  const std::string path = dir_.Path("seg");
  std::unique_ptr<WritableFile> file = OpenDirect(path);
  ASSERT_TRUE(file);
  auto* direct = dynamic_cast<PosixDirectWritableFile*>(file.get());
  ASSERT_NE(direct, nullptr) << "O_DIRECT works on " << dir_.path();
  std::string expected;
  const std::vector<size_t> sizes = {1,          31, kBlock - 32,    1, kBlock, kBlock + 1,
                                     3 * kBlock, 7,  2 * kBlock - 7, 0, 100000, 5};
  unsigned seed = 0;
  for (size_t size : sizes) {
    std::string piece = Pattern(size, ++seed);
    ASSERT_TRUE(file->Append(piece).ok());
    expected += piece;
    ASSERT_TRUE(file->Flush().ok());
    EXPECT_EQ(file->Size(), expected.size());
    ASSERT_EQ(Read(path), expected) << "after appending " << size << " bytes";
  }
  ASSERT_TRUE(file->Sync().ok());
  EXPECT_TRUE(direct->direct());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(Read(path), expected);
}

// Appends without a Flush in between collect in the buffer; more than the buffer holds is
// written out in whole blocks as it fills, and the total is exact.
TEST_F(PosixDirectWritableFileTest, AppendsLargerThanTheBufferRoundTrip) {
  const std::string path = dir_.Path("big");
  std::unique_ptr<WritableFile> file = OpenDirect(path);
  ASSERT_TRUE(file);
  std::string expected;
  for (unsigned i = 0; expected.size() < 2 * PosixDirectWritableFile::kBufferSize + 12345; ++i) {
    std::string piece = Pattern(777777 + i, i);
    ASSERT_TRUE(file->Append(piece).ok());
    expected += piece;
  }
  ASSERT_TRUE(file->Sync().ok());
  EXPECT_EQ(file->Size(), expected.size());
  EXPECT_EQ(Read(path), expected);
  ASSERT_TRUE(file->Close().ok());
}

// Large appends laid out in memory as in the file (the WAL's queue) are written from the
// caller's memory; mixed with small and misaligned ones, the file still has exactly the bytes.
TEST_F(PosixDirectWritableFileTest, AppendsLaidOutLikeTheFileRoundTrip) {
  const std::string path = dir_.Path("seg");
  std::unique_ptr<WritableFile> file = OpenDirect(path);
  ASSERT_TRUE(file);
  constexpr size_t kMemory = size_t{4} << 20;
  std::unique_ptr<char, decltype(&std::free)> memory(
      static_cast<char*>(std::aligned_alloc(kBlock, kMemory)), &std::free);
  std::string expected;
  const std::vector<size_t> sizes = {32,        100000, 70000,  kBlock,       3,
                                     3 * 65536, 65536,  123457, 2 * 65536 + 1};
  unsigned seed = 0;
  for (size_t size : sizes) {
    std::string piece = Pattern(size, ++seed);
    // Same offset within a block as in the file; every third one deliberately not.
    size_t at = (expected.size() + (seed % 3 == 0 ? 8 : 0)) % kBlock;
    std::memcpy(memory.get() + at, piece.data(), size);
    ASSERT_TRUE(file->Append(std::string_view(memory.get() + at, size)).ok());
    std::memset(memory.get() + at, 0, size);  // the file must not read it later
    expected += piece;
    ASSERT_TRUE(file->Flush().ok());
    ASSERT_EQ(Read(path), expected) << "after appending " << size << " bytes";
  }
  ASSERT_TRUE(file->Sync().ok());
  EXPECT_EQ(file->Size(), expected.size());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(Read(path), expected);
}

// Whole blocks never enter the page cache; at most the partial last block does (kept by
// DropSyncedPages, since the next Flush rewrites it), and Close takes it out.
TEST_F(PosixDirectWritableFileTest, OnlyThePartialBlockPassesThroughThePageCache) {
  if (OnTmpfs()) GTEST_SKIP() << "tmpfs pages are the file itself";
  const std::string path = dir_.Path("seg");
  std::unique_ptr<WritableFile> file = OpenDirect(path);
  ASSERT_TRUE(file);
  for (int i = 0; i < 64; ++i) {
    ASSERT_TRUE(file->Append(Pattern(10000 + i, i)).ok());
    ASSERT_TRUE(file->Sync().ok());
  }
  EXPECT_LE(::silt::testing::ResidentPages(path), 1u);
  file->DropSyncedPages();
  EXPECT_LE(::silt::testing::ResidentPages(path), 1u);
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(::silt::testing::ResidentPages(path), 0u);
}

TEST_F(PosixDirectWritableFileTest, MustNotExistRefusesAnExistingFile) {
  const std::string path = dir_.Path("seg");
  ASSERT_TRUE(OpenDirect(path));
  Result<std::unique_ptr<WritableFile>> again =
      posix_.NewDirectWritableFile(path, OpenMode::kMustNotExist);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("File exists"), std::string_view::npos) << again.status();
}

TEST_F(PosixDirectWritableFileTest, TruncateEmptiesAnExistingFile) {
  const std::string path = dir_.Path("seg");
  ASSERT_TRUE(posix_.WriteFileAtomically(path, Pattern(9000)).ok());
  std::unique_ptr<WritableFile> file = OpenDirect(path, OpenMode::kTruncate);
  ASSERT_TRUE(file);
  ASSERT_TRUE(file->Append("abc").ok());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(Read(path), "abc");
}

// kAppend would need the partial last block read back: it gets a plain file, which appends.
TEST_F(PosixDirectWritableFileTest, AppendModeGetsAPlainFileThatAppends) {
  const std::string path = dir_.Path("seg");
  ASSERT_TRUE(posix_.WriteFileAtomically(path, "head:").ok());
  std::unique_ptr<WritableFile> file = OpenDirect(path, OpenMode::kAppend);
  ASSERT_TRUE(file);
  EXPECT_EQ(dynamic_cast<PosixDirectWritableFile*>(file.get()), nullptr);
  EXPECT_EQ(file->Size(), 5u);
  ASSERT_TRUE(file->Append("tail").ok());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(Read(path), "head:tail");
}

TEST_F(PosixDirectWritableFileTest, OpenAppendIsRefused) {
  Result<std::unique_ptr<PosixDirectWritableFile>> file =
      PosixDirectWritableFile::Open(dir_.Path("seg"), O_WRONLY | O_CREAT | O_APPEND, 0644);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PosixDirectWritableFileTest, MissingDirectoryIsNotFound) {
  Result<std::unique_ptr<WritableFile>> file =
      posix_.NewDirectWritableFile(dir_.Path("no/such/seg"), OpenMode::kMustNotExist);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kNotFound) << file.status();
}

TEST_F(PosixDirectWritableFileTest, UseAfterCloseFails) {
  std::unique_ptr<WritableFile> file = OpenDirect(dir_.Path("seg"));
  ASSERT_TRUE(file);
  ASSERT_TRUE(file->Append("x").ok());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_TRUE(file->Close().ok());
  EXPECT_EQ(file->Append("y").code(), StatusCode::kIOError);
  EXPECT_EQ(file->Sync().code(), StatusCode::kIOError);
  EXPECT_EQ(file->Size(), 1u);
  EXPECT_EQ(Read(dir_.Path("seg")), "x");
}

// A file system without direct I/O (here the fault-injecting one, which must keep dropping
// unsynced bytes) hands out its ordinary files.
TEST_F(PosixDirectWritableFileTest, OtherFileSystemsFallBackToTheirPlainFiles) {
  FaultInjectionFileSystem faulty(&posix_);
  const std::string path = dir_.Path("seg");
  Result<std::unique_ptr<WritableFile>> file =
      faulty.NewDirectWritableFile(path, OpenMode::kMustNotExist);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE(faulty.SyncDir(dir_.path()).ok());
  ASSERT_TRUE((*file)->Append("synced|").ok());
  ASSERT_TRUE((*file)->Sync().ok());
  ASSERT_TRUE((*file)->Append("not synced").ok());
  ASSERT_TRUE((*file)->Flush().ok());
  ASSERT_TRUE(faulty.DropUnsyncedData().ok());
  EXPECT_EQ(Read(path), "synced|");
}

// The refusals below come from a seccomp filter (tests/support/syscall_refusal.h), installed in a
// child process: the same errno a file system without direct I/O, or a device with a coarser
// alignment, gives. The child reports the first thing that is wrong on stderr and exits 1.

[[noreturn]] void ChildFails(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::fflush(stderr);
  std::_Exit(1);
}

void ChildExpects(bool holds, const std::string& what) {
  if (!holds) ChildFails(what);
}

// The descriptor of `path` opened with O_DIRECT in this process, or -1.
int DirectDescriptorOf(const std::string& path) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    if (std::filesystem::read_symlink(entry.path(), error) != path || error) continue;
    std::ifstream info("/proc/self/fdinfo/" + entry.path().filename().string());
    for (std::string key; info >> key;) {
      if (key != "flags:") continue;
      std::string octal;
      info >> octal;
      if ((std::stoul(octal, nullptr, 8) & O_DIRECT) != 0) return std::stoi(entry.path().filename());
    }
  }
  return -1;
}

using silt::testing::SeccompUnavailable;

TEST_F(PosixDirectWritableFileTest, DirectIoRefusedAtOpenGivesAPlainFileWithTheSameBytes) {
  if (const std::string why = SeccompUnavailable(); !why.empty()) GTEST_SKIP() << why;
  const std::string path = dir_.Path("seg");
  const std::string data = Pattern(3 * kBlock + 100);
  EXPECT_EXIT(
      {
        const std::string refused = silt::testing::RefuseSyscalls({.open_flags = O_DIRECT});
        ChildExpects(refused.empty(), refused);
        Result<std::unique_ptr<WritableFile>> file =
            posix_.NewDirectWritableFile(path, OpenMode::kMustNotExist);
        ChildExpects(file.ok(), "NewDirectWritableFile failed: " + file.status().ToString());
        ChildExpects(dynamic_cast<PosixDirectWritableFile*>(file->get()) == nullptr,
                     "a direct-I/O file although open(O_DIRECT) was refused");
        ChildExpects((*file)->Append(data).ok() && (*file)->Sync().ok(), "append or sync failed");
        ChildExpects((*file)->Size() == data.size(), "Size() is not the bytes appended");
        ChildExpects((*file)->Close().ok(), "close failed");
        Result<std::string> back = posix_.ReadFileToString(path);
        ChildExpects(back.ok() && *back == data, "the file does not hold the bytes appended");
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(PosixDirectWritableFileTest, DirectWriteRefusedGoesOnThroughThePageCache) {
  if (const std::string why = SeccompUnavailable(); !why.empty()) GTEST_SKIP() << why;
  {
    Result<std::unique_ptr<PosixDirectWritableFile>> probe =
        PosixDirectWritableFile::Open(dir_.Path("probe"), O_WRONLY | O_CREAT | O_EXCL, 0644);
    ASSERT_TRUE(probe.ok()) << probe.status();
    if (!(*probe)->direct()) GTEST_SKIP() << "this file system's direct-I/O alignment is not 4 KiB";
    ASSERT_TRUE((*probe)->Close().ok());
  }
  const std::string path = dir_.Path("seg");
  const std::string first = Pattern(3 * kBlock + 100, 1);
  const std::string second = Pattern(2 * kBlock + 7, 2);
  EXPECT_EXIT(
      {
        Result<std::unique_ptr<PosixDirectWritableFile>> file =
            PosixDirectWritableFile::Open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        ChildExpects(file.ok(), "Open failed: " + file.status().ToString());
        ChildExpects((*file)->direct(), "not direct before any refusal");
        const int fd = DirectDescriptorOf(path);
        ChildExpects(fd >= 0, "no O_DIRECT descriptor of the file in /proc/self/fdinfo");
        const std::string refused = silt::testing::RefuseSyscalls({.pwrite_fd = fd});
        ChildExpects(refused.empty(), refused);
        ChildExpects((*file)->Append(first).ok(), "append failed");
        Status flushed = (*file)->Flush();
        ChildExpects(flushed.ok(), "the refused direct write failed the flush: " +
                                       flushed.ToString());
        ChildExpects(!(*file)->direct(), "still direct after a refused direct write");
        ChildExpects((*file)->Append(second).ok() && (*file)->Sync().ok(), "append or sync failed");
        ChildExpects((*file)->Size() == first.size() + second.size(), "Size() is wrong");
        ChildExpects((*file)->Close().ok(), "close failed");
        Result<std::string> back = posix_.ReadFileToString(path);
        ChildExpects(back.ok() && *back == first + second,
                     "the file does not hold the bytes appended");
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace silt::fs
