#include "shared/fs/posix_file_system.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/page_cache.h"
#include "tests/support/temp_dir.h"

namespace silt::fs {
namespace {

using ::silt::testing::TempDir;

// Bytes that differ at every offset, so a misplaced read shows.
std::string Pattern(size_t size, unsigned seed = 0) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + i / 251 + seed) & 0xff);
  return out;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

class PosixFileSystemTest : public ::testing::Test {
 protected:
  void Write(const std::string& path, std::string_view data) {
    Result<std::unique_ptr<WritableFile>> file = fs_.NewWritableFile(path, OpenMode::kTruncate);
    ASSERT_TRUE(file.ok()) << file.status();
    ASSERT_TRUE((*file)->Append(data).ok());
    ASSERT_TRUE((*file)->Close().ok());
  }

  std::string Read(const std::string& path) {
    Result<std::string> data = fs_.ReadFileToString(path);
    EXPECT_TRUE(data.ok()) << data.status();
    return data.value_or(std::string("<unreadable>"));
  }

  TempDir dir_;
  PosixFileSystem fs_;
};

TEST_F(PosixFileSystemTest, AppendThenReadRoundTrips) {
  std::string path = dir_.Path("a");
  std::string big = Pattern(100 * 1024);  // larger than the write buffer
  auto file = fs_.NewWritableFile(path, OpenMode::kTruncate);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE((*file)->Append("head:").ok());
  ASSERT_TRUE((*file)->Append(big).ok());
  ASSERT_TRUE((*file)->Append(":tail").ok());
  EXPECT_EQ((*file)->Size(), big.size() + 10);
  EXPECT_EQ((*file)->path(), path);
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_EQ(Read(path), "head:" + big + ":tail");
}

TEST_F(PosixFileSystemTest, SmallAppendsReachTheFileOnFlush) {
  std::string path = dir_.Path("a");
  auto file = fs_.NewWritableFile(path, OpenMode::kTruncate);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append("abc").ok());
  EXPECT_EQ(fs_.GetFileSize(path).value_or(99), 0u);  // still in the user-space buffer
  ASSERT_TRUE((*file)->Flush().ok());
  EXPECT_EQ(fs_.GetFileSize(path).value_or(99), 3u);
}

TEST_F(PosixFileSystemTest, UnbufferedFileWritesEveryAppend) {
  PosixFileSystem fs(PosixFileSystem::Options{.write_buffer_size = 0});
  std::string path = dir_.Path("a");
  auto file = fs.NewWritableFile(path, OpenMode::kTruncate);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append("abc").ok());
  EXPECT_EQ(fs.GetFileSize(path).value_or(99), 3u);
}

TEST_F(PosixFileSystemTest, SyncWritesBufferedBytes) {
  std::string path = dir_.Path("a");
  auto file = fs_.NewWritableFile(path, OpenMode::kTruncate);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append("abc").ok());
  ASSERT_TRUE((*file)->Sync().ok());
  EXPECT_EQ(fs_.GetFileSize(path).value_or(99), 3u);
}

TEST_F(PosixFileSystemTest, DropSyncedPagesLeavesTheContentAndFreesTheCache) {
  std::string path = dir_.Path("wal");
  auto file = fs_.NewWritableFile(path, OpenMode::kTruncate);
  ASSERT_TRUE(file.ok());
  const std::string first = Pattern(1 << 20, 1);
  const std::string second = Pattern(12345, 2);
  ASSERT_TRUE((*file)->Append(first).ok());
  ASSERT_TRUE((*file)->Sync().ok());
  (*file)->DropSyncedPages();
  struct statfs fs_info {};
  ASSERT_EQ(::statfs(dir_.Path("").c_str(), &fs_info), 0);
  if (fs_info.f_type != TMPFS_MAGIC) {  // tmpfs pages are the file itself: nothing to drop
    EXPECT_LT(silt::testing::ResidentPages(path), 16u);  // of 256
  }
  ASSERT_TRUE((*file)->Append(second).ok());
  ASSERT_TRUE((*file)->Sync().ok());
  (*file)->DropSyncedPages();
  ASSERT_TRUE((*file)->Close().ok());
  (*file)->DropSyncedPages();  // closed: nothing happens
  EXPECT_EQ(Read(path), first + second);
}

TEST_F(PosixFileSystemTest, AppendModeKeepsExistingBytes) {
  std::string path = dir_.Path("a");
  Write(path, "hello");
  auto file = fs_.NewWritableFile(path, OpenMode::kAppend);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ((*file)->Size(), 5u);
  ASSERT_TRUE((*file)->Append(" world").ok());
  EXPECT_EQ((*file)->Size(), 11u);
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_EQ(Read(path), "hello world");
}

TEST_F(PosixFileSystemTest, TruncateModeEmptiesExistingFile) {
  std::string path = dir_.Path("a");
  Write(path, "old content");
  auto file = fs_.NewWritableFile(path, OpenMode::kTruncate);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ((*file)->Size(), 0u);
  ASSERT_TRUE((*file)->Append("new").ok());
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_EQ(Read(path), "new");
}

TEST_F(PosixFileSystemTest, MustNotExistModeRefusesExistingFile) {
  std::string path = dir_.Path("a");
  Write(path, "keep me");
  auto file = fs_.NewWritableFile(path, OpenMode::kMustNotExist);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kIOError);
  EXPECT_EQ(file.status().message(), "open " + path + ": File exists");
  EXPECT_EQ(Read(path), "keep me");
}

TEST_F(PosixFileSystemTest, MustNotExistModeCreatesMissingFile) {
  std::string path = dir_.Path("a");
  auto file = fs_.NewWritableFile(path, OpenMode::kMustNotExist);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE((*file)->Append("x").ok());
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_EQ(Read(path), "x");
}

TEST_F(PosixFileSystemTest, ReadIsShortOnlyAtEndOfFile) {
  std::string path = dir_.Path("a");
  Write(path, "0123456789");
  auto file = fs_.NewRandomAccessFile(path);
  ASSERT_TRUE(file.ok());
  char buf[100];
  Result<size_t> n = (*file)->Read(0, 10, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), "0123456789");
  n = (*file)->Read(4, sizeof(buf), buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), "456789");
  EXPECT_EQ((*file)->Read(10, 5, buf).value_or(99), 0u);
  EXPECT_EQ((*file)->Read(1000, 5, buf).value_or(99), 0u);
}

TEST_F(PosixFileSystemTest, RandomAccessFileSeesGrowth) {
  std::string path = dir_.Path("a");
  auto writer = fs_.NewWritableFile(path, OpenMode::kTruncate);
  ASSERT_TRUE(writer.ok());
  auto reader = fs_.NewRandomAccessFile(path);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Size().value_or(99), 0u);
  ASSERT_TRUE((*writer)->Append("grown").ok());
  ASSERT_TRUE((*writer)->Flush().ok());
  EXPECT_EQ((*reader)->Size().value_or(99), 5u);
  char buf[8];
  EXPECT_EQ((*reader)->Read(0, sizeof(buf), buf).value_or(99), 5u);
}

TEST_F(PosixFileSystemTest, ReadFileToStringReadsFilesLargerThanOneChunk) {
  std::string path = dir_.Path("a");
  std::string data = Pattern(200 * 1024 + 17);
  Write(path, data);
  EXPECT_EQ(Read(path), data);
  Write(path, "");
  EXPECT_EQ(Read(path), "");
}

TEST_F(PosixFileSystemTest, ConcurrentReadsOfOneFileSeeTheirOwnOffsets) {
  std::string path = dir_.Path("a");
  std::string data = Pattern(64 * 1024);
  Write(path, data);
  auto file = fs_.NewRandomAccessFile(path);
  ASSERT_TRUE(file.ok());
  const RandomAccessFile* reader = file->get();
  auto read_half = [&](size_t start, int* mismatches) {
    std::vector<char> buf(1024);
    for (int round = 0; round < 200; ++round) {
      for (size_t off = start; off < start + 32 * 1024; off += buf.size()) {
        Result<size_t> n = reader->Read(off, buf.size(), buf.data());
        if (!n.ok() || *n != buf.size() || std::string(buf.data(), *n) != data.substr(off, *n)) {
          ++*mismatches;
        }
      }
    }
  };
  int mismatches_a = 0, mismatches_b = 0;
  std::thread a(read_half, 0, &mismatches_a);
  std::thread b(read_half, 32 * 1024, &mismatches_b);
  a.join();
  b.join();
  EXPECT_EQ(mismatches_a, 0);
  EXPECT_EQ(mismatches_b, 0);
}

TEST_F(PosixFileSystemTest, ConcurrentAppendsToDifferentFiles) {
  auto append_many = [this](const std::string& path, char c, Status* result) {
    auto file = fs_.NewWritableFile(path, OpenMode::kTruncate);
    if (!file.ok()) {
      *result = file.status();
      return;
    }
    for (int i = 0; i < 5000 && result->ok(); ++i) *result = (*file)->Append(std::string(7, c));
    if (result->ok()) *result = (*file)->Close();
  };
  Status status_a, status_b;
  std::thread a(append_many, dir_.Path("a"), 'a', &status_a);
  std::thread b(append_many, dir_.Path("b"), 'b', &status_b);
  a.join();
  b.join();
  ASSERT_TRUE(status_a.ok()) << status_a;
  ASSERT_TRUE(status_b.ok()) << status_b;
  EXPECT_EQ(Read(dir_.Path("a")), std::string(35000, 'a'));
  EXPECT_EQ(Read(dir_.Path("b")), std::string(35000, 'b'));
}

TEST_F(PosixFileSystemTest, WriteFileAtomicallyReplacesContentAndLeavesNoTempFile) {
  std::string path = dir_.Path("positions");
  Write(path, "old positions, longer than the new ones");
  ASSERT_TRUE(fs_.WriteFileAtomically(path, "new").ok());
  EXPECT_EQ(Read(path), "new");
  EXPECT_EQ(fs_.ListDir(dir_.path()).value_or(std::vector<std::string>{}),
            std::vector<std::string>{"positions"});
}

TEST_F(PosixFileSystemTest, WriteFileAtomicallyCreatesMissingFile) {
  std::string path = dir_.Path("checkpoint");
  ASSERT_TRUE(fs_.WriteFileAtomically(path, "state").ok());
  EXPECT_EQ(Read(path), "state");
}

TEST_F(PosixFileSystemTest, WriteFileAtomicallyIntoMissingDirectoryIsNotFound) {
  std::string path = dir_.Path("missing/checkpoint");
  Status status = fs_.WriteFileAtomically(path, "state");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(status.message(), path + ".tmp")) << status;
}

TEST_F(PosixFileSystemTest, ListDirIsSortedWithoutDotEntries) {
  for (const char* name : {"b", "a", "C", "a1", "0000000000000002.wal"}) Write(dir_.Path(name), "");
  ASSERT_TRUE(fs_.CreateDir(dir_.Path("sub")).ok());
  auto names = fs_.ListDir(dir_.path());
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"0000000000000002.wal", "C", "a", "a1", "b", "sub"}));
}

TEST_F(PosixFileSystemTest, CreateDirIsIdempotentAndCreateDirsMakesParents) {
  std::string deep = dir_.Path("x/y/z");
  ASSERT_TRUE(fs_.CreateDirs(deep).ok());
  ASSERT_TRUE(fs_.CreateDirs(deep).ok());
  ASSERT_TRUE(fs_.CreateDir(deep).ok());
  auto info = fs_.Stat(deep);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->is_directory);
}

TEST_F(PosixFileSystemTest, CreateDirOverAFileFails) {
  std::string path = dir_.Path("file");
  Write(path, "x");
  Status status = fs_.CreateDir(path);
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_TRUE(Contains(status.message(), "mkdir " + path)) << status;
  EXPECT_EQ(fs_.CreateDirs(path + "/sub").code(), StatusCode::kIOError);
}

TEST_F(PosixFileSystemTest, CreateDirWithoutParentIsNotFound) {
  EXPECT_EQ(fs_.CreateDir(dir_.Path("no/such")).code(), StatusCode::kNotFound);
}

TEST_F(PosixFileSystemTest, DeleteDirRemovesOnlyEmptyDirectories) {
  std::string sub = dir_.Path("sub");
  ASSERT_TRUE(fs_.CreateDir(sub).ok());
  Write(sub + "/f", "x");
  Status status = fs_.DeleteDir(sub);
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_EQ(status.message(), "rmdir " + sub + ": Directory not empty");
  ASSERT_TRUE(fs_.DeleteFile(sub + "/f").ok());
  ASSERT_TRUE(fs_.DeleteDir(sub).ok());
  EXPECT_FALSE(fs_.FileExists(sub));
}

TEST_F(PosixFileSystemTest, RenameReplacesTargetAndKeepsIdentity) {
  std::string from = dir_.Path("from");
  std::string to = dir_.Path("to");
  Write(from, "new");
  Write(to, "old");
  auto before = fs_.Stat(from);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(fs_.RenameFile(from, to).ok());
  EXPECT_FALSE(fs_.FileExists(from));
  EXPECT_EQ(Read(to), "new");
  auto after = fs_.Stat(to);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->inode, before->inode);
  EXPECT_EQ(after->device, before->device);
}

TEST_F(PosixFileSystemTest, StatMatchesTheKernel) {
  std::string path = dir_.Path("a");
  Write(path, "12345");
  auto info = fs_.Stat(path);
  ASSERT_TRUE(info.ok());
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(info->size, 5u);
  EXPECT_EQ(info->inode, static_cast<uint64_t>(st.st_ino));
  EXPECT_EQ(info->device, static_cast<uint64_t>(st.st_dev));
  EXPECT_EQ(info->mtime_ns, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec);
  EXPECT_FALSE(info->is_directory);
  EXPECT_EQ(fs_.GetFileSize(path).value_or(0), 5u);
}

TEST_F(PosixFileSystemTest, TruncateFileShrinksAndExtends) {
  std::string path = dir_.Path("a");
  Write(path, "0123456789");
  ASSERT_TRUE(fs_.TruncateFile(path, 4).ok());
  EXPECT_EQ(Read(path), "0123");
  ASSERT_TRUE(fs_.TruncateFile(path, 6).ok());
  EXPECT_EQ(Read(path), std::string("0123\0\0", 6));
}

TEST_F(PosixFileSystemTest, SyncDirSucceedsOnDirectory) {
  EXPECT_TRUE(fs_.SyncDir(dir_.path()).ok());
}

TEST_F(PosixFileSystemTest, MissingPathsAreNotFoundAndNamed) {
  std::string path = dir_.Path("missing");
  std::vector<std::pair<std::string, Status>> cases = {
      {"open", fs_.NewRandomAccessFile(path).status()},
      {"open", fs_.ReadFileToString(path).status()},
      {"open", fs_.NewWritableFile(path + "/x", OpenMode::kTruncate).status()},
      {"unlink", fs_.DeleteFile(path)},
      {"rmdir", fs_.DeleteDir(path)},
      {"stat", fs_.Stat(path).status()},
      {"stat", fs_.GetFileSize(path).status()},
      {"opendir", fs_.ListDir(path).status()},
      {"open directory", fs_.SyncDir(path)},
      {"truncate", fs_.TruncateFile(path, 0)},
      {"rename", fs_.RenameFile(path, dir_.Path("other"))},
  };
  for (const auto& [op, status] : cases) {
    EXPECT_EQ(status.code(), StatusCode::kNotFound) << status;
    EXPECT_TRUE(Contains(status.message(), op + " " + path)) << status;
    EXPECT_TRUE(Contains(status.message(), ": No such file or directory")) << status;
  }
  EXPECT_FALSE(fs_.FileExists(path));
  EXPECT_EQ(fs_.NewRandomAccessFile(path).status().ToString(),
            "NotFound: open " + path + ": No such file or directory");
}

// Root bypasses permission bits, so as root the check runs in a child that drops to "nobody".
TEST_F(PosixFileSystemTest, UnreadableFileIsPermissionDenied) {
  std::string path = dir_.Path("secret");
  Write(path, "x");
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  auto check = [&path]() {
    PosixFileSystem fs;
    Status status = fs.NewRandomAccessFile(path).status();
    return status.code() == StatusCode::kPermissionDenied &&
           status.message() == "open " + path + ": Permission denied";
  };
  if (::geteuid() != 0) {
    EXPECT_TRUE(check());
    return;
  }
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);  // let "nobody" reach the file
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(77);
    ::_exit(check() ? 0 : 1);
  }
  int wait_status = 0;
  ASSERT_EQ(::waitpid(pid, &wait_status, 0), pid);
  ASSERT_TRUE(WIFEXITED(wait_status));
  if (WEXITSTATUS(wait_status) == 77) {
    GTEST_SKIP() << "running as root and cannot switch to uid 65534 to test permission bits";
  }
  EXPECT_EQ(WEXITSTATUS(wait_status), 0) << "open of a mode-000 file was not PermissionDenied";
}

TEST_F(PosixFileSystemTest, CallsOnClosedFileFailAndCloseTwiceIsOk) {
  std::string path = dir_.Path("a");
  auto file = fs_.NewWritableFile(path, OpenMode::kTruncate);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_TRUE((*file)->Close().ok());
  Status status = (*file)->Append("x");
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_EQ(status.message(), "append " + path + ": file is already closed");
  EXPECT_FALSE((*file)->Sync().ok());
  EXPECT_FALSE((*file)->Flush().ok());
}

// /dev/full fails every write with ENOSPC: the buffered bytes are reported lost, not kept.
TEST_F(PosixFileSystemTest, WriteToFullDeviceIsResourceExhausted) {
  if (!fs_.FileExists("/dev/full")) GTEST_SKIP() << "/dev/full is missing in this environment";
  auto file = fs_.NewWritableFile("/dev/full", OpenMode::kAppend);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE((*file)->Append("buffered").ok());
  Status status = (*file)->Flush();
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(), "write /dev/full: No space left on device");
  EXPECT_EQ((*file)->Size(), 0u);
  EXPECT_EQ((*file)->Append(std::string(128 * 1024, 'x')).code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE((*file)->Close().ok());
}

TEST_F(PosixFileSystemTest, DestructorFlushesBufferedBytes) {
  std::string path = dir_.Path("a");
  {
    auto file = fs_.NewWritableFile(path, OpenMode::kTruncate);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append("unclosed").ok());
  }
  EXPECT_EQ(Read(path), "unclosed");
}

// flock locks belong to the open file description: a second open of the same file, even in the
// same process, is refused while the first description holds the lock.
TEST_F(PosixFileSystemTest, LockFileExcludesSecondLockAndNamesHolder) {
  std::string path = dir_.Path("LOCK");
  auto first = fs_.LockFile(path);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->path(), path);
  auto second = fs_.LockFile(path);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(
      second.status().message(),
      "lock " + path + ": already held by this process (pid " + std::to_string(::getpid()) + ")"))
      << second.status();
}

TEST_F(PosixFileSystemTest, LockIsReleasedWhenLockObjectIsDestroyed) {
  std::string path = dir_.Path("LOCK");
  {
    auto first = fs_.LockFile(path);
    ASSERT_TRUE(first.ok());
  }
  auto again = fs_.LockFile(path);
  EXPECT_TRUE(again.ok()) << again.status();
}

TEST_F(PosixFileSystemTest, LockFileExcludesAnotherProcess) {
  std::string path = dir_.Path("LOCK");
  auto held = fs_.LockFile(path);
  ASSERT_TRUE(held.ok());
  std::string expected = "already held by process " + std::to_string(::getpid());
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    PosixFileSystem fs;
    Status status = fs.LockFile(path).status();
    bool refused =
        status.code() == StatusCode::kUnavailable && Contains(status.message(), expected);
    ::_exit(refused ? 0 : 1);
  }
  int wait_status = 0;
  ASSERT_EQ(::waitpid(pid, &wait_status, 0), pid);
  ASSERT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0) << "the child process got the lock or a wrong message";
}

}  // namespace
}  // namespace silt::fs
