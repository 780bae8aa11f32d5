#include "shared/fs/fault_injection_file_system.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::fs {
namespace {

using ::silt::testing::TempDir;

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

class FaultInjectionFileSystemTest : public ::testing::Test {
 protected:
  // Writes through the real file system: files this test never wrote through fs_ count as durable.
  void WriteDurable(const std::string& path, std::string_view data) {
    ASSERT_TRUE(posix_.WriteFileAtomically(path, data).ok());
  }

  // The bytes on disk, read around the fault injection.
  std::string OnDisk(const std::string& path) {
    Result<std::string> data = posix_.ReadFileToString(path);
    return data.ok() ? *data : "<" + data.status().ToString() + ">";
  }

  std::unique_ptr<WritableFile> Open(const std::string& path, OpenMode mode = OpenMode::kTruncate) {
    Result<std::unique_ptr<WritableFile>> file = fs_.NewWritableFile(path, mode);
    EXPECT_TRUE(file.ok()) << file.status();
    return file.ok() ? std::move(*file) : nullptr;
  }

  std::vector<std::string> List(const std::string& dir) {
    return posix_.ListDir(dir).value_or(std::vector<std::string>{"<unlistable>"});
  }

  TempDir dir_;
  PosixFileSystem posix_;
  FaultInjectionFileSystem fs_{&posix_};
};

TEST_F(FaultInjectionFileSystemTest, PassesCallsThroughToTarget) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  ASSERT_TRUE(file);
  ASSERT_TRUE(file->Append("abc").ok());
  EXPECT_EQ(OnDisk(path), "abc");  // appends reach the OS at once
  EXPECT_EQ(file->Size(), 3u);
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(fs_.ReadFileToString(path).value_or(""), "abc");
  EXPECT_EQ(fs_.ListDir(dir_.path()).value_or(std::vector<std::string>{}),
            std::vector<std::string>{"a"});
}

TEST_F(FaultInjectionFileSystemTest, DropUnsyncedDataTruncatesToSyncedSize) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  ASSERT_TRUE(file->Append("synced").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(file->Append("+lost").ok());
  ASSERT_TRUE(file->Flush().ok());
  EXPECT_EQ(OnDisk(path), "synced+lost");
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "synced");
}

TEST_F(FaultInjectionFileSystemTest, NewFileWithoutDirSyncIsDeleted) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  ASSERT_TRUE(file->Append("synced data, unsynced name").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Close().ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(List(dir_.path()), std::vector<std::string>{});
}

TEST_F(FaultInjectionFileSystemTest, SyncedFilesAndUntouchedFilesSurvive) {
  WriteDurable(dir_.Path("old"), "untouched");
  std::string path = dir_.Path("new");
  auto file = Open(path);
  ASSERT_TRUE(file->Append("durable").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Close().ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "durable");
  EXPECT_EQ(OnDisk(dir_.Path("old")), "untouched");
}

TEST_F(FaultInjectionFileSystemTest, FileWithSyncedNameButNoDataSyncIsEmpty) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(file->Append("never synced").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "");
}

TEST_F(FaultInjectionFileSystemTest, TruncateModeLosesOldContentUntilSynced) {
  std::string path = dir_.Path("a");
  WriteDurable(path, "old");
  auto file = Open(path, OpenMode::kTruncate);
  ASSERT_TRUE(file->Append("new").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "");
}

TEST_F(FaultInjectionFileSystemTest, AppendModeKeepsExistingBytesAsDurable) {
  std::string path = dir_.Path("a");
  WriteDurable(path, "old");
  auto file = Open(path, OpenMode::kAppend);
  ASSERT_TRUE(file->Append("+new").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "old");
}

TEST_F(FaultInjectionFileSystemTest, HandlesOpenAcrossPowerLossStopWorking) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  Status status = file->Append("x");
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_TRUE(Contains(status.message(), "append " + path)) << status;
  EXPECT_TRUE(Contains(status.message(), "simulated power loss")) << status;
  EXPECT_FALSE(file->Sync().ok());
  EXPECT_TRUE(file->Close().ok());
}

TEST_F(FaultInjectionFileSystemTest, UnsyncedRenameIsUndone) {
  std::string from = dir_.Path("from");
  std::string to = dir_.Path("to");
  WriteDurable(from, "from content");
  WriteDurable(to, "replaced content");
  ASSERT_TRUE(fs_.RenameFile(from, to).ok());
  EXPECT_EQ(OnDisk(to), "from content");
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(from), "from content");
  EXPECT_EQ(OnDisk(to), "replaced content");
}

TEST_F(FaultInjectionFileSystemTest, RenameToNewNameIsUndone) {
  std::string from = dir_.Path("from");
  WriteDurable(from, "content");
  ASSERT_TRUE(fs_.RenameFile(from, dir_.Path("to")).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(List(dir_.path()), std::vector<std::string>{"from"});
  EXPECT_EQ(OnDisk(from), "content");
}

TEST_F(FaultInjectionFileSystemTest, RenameFollowedByDirSyncSurvives) {
  std::string from = dir_.Path("from");
  std::string to = dir_.Path("to");
  WriteDurable(from, "new");
  WriteDurable(to, "old");
  ASSERT_TRUE(fs_.RenameFile(from, to).ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(List(dir_.path()), std::vector<std::string>{"to"});
  EXPECT_EQ(OnDisk(to), "new");
}

TEST_F(FaultInjectionFileSystemTest, UnsyncedDeleteIsUndone) {
  std::string path = dir_.Path("a");
  WriteDurable(path, "still here");
  ASSERT_TRUE(fs_.DeleteFile(path).ok());
  EXPECT_FALSE(posix_.FileExists(path));
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "still here");
}

TEST_F(FaultInjectionFileSystemTest, DeleteFollowedByDirSyncSurvives) {
  std::string path = dir_.Path("a");
  WriteDurable(path, "gone");
  ASSERT_TRUE(fs_.DeleteFile(path).ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_FALSE(posix_.FileExists(path));
}

TEST_F(FaultInjectionFileSystemTest, UndoneDeleteRestoresOnlySyncedBytes) {
  std::string path = dir_.Path("segment");
  auto file = Open(path);
  ASSERT_TRUE(file->Append("synced").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(file->Append("+unsynced").ok());
  ASSERT_TRUE(file->Close().ok());
  ASSERT_TRUE(fs_.DeleteFile(path).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "synced");
}

TEST_F(FaultInjectionFileSystemTest, RenamedFileKeepsOnlySyncedBytesUnderOldName) {
  std::string from = dir_.Path("from");
  auto file = Open(from);
  ASSERT_TRUE(file->Append("synced").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(fs_.RenameFile(from, dir_.Path("to")).ok());
  ASSERT_TRUE(file->Append("+after rename").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(List(dir_.path()), std::vector<std::string>{"from"});
  EXPECT_EQ(OnDisk(from), "synced");
}

TEST_F(FaultInjectionFileSystemTest, TruncateFileLowersSyncedSize) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  ASSERT_TRUE(file->Append("0123456789").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(file->Close().ok());
  ASSERT_TRUE(fs_.TruncateFile(path, 4).ok());
  auto again = Open(path, OpenMode::kAppend);
  ASSERT_TRUE(again->Append("abc").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "0123");
}

TEST_F(FaultInjectionFileSystemTest, WriteFileAtomicallySurvivesPowerLoss) {
  std::string path = dir_.Path("positions");
  WriteDurable(path, "old");
  ASSERT_TRUE(fs_.WriteFileAtomically(path, "new").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "new");
  EXPECT_EQ(List(dir_.path()), std::vector<std::string>{"positions"});
}

TEST_F(FaultInjectionFileSystemTest, WriteFileAtomicallyWithFailedRenameKeepsOldContent) {
  std::string path = dir_.Path("positions");
  WriteDurable(path, "old");
  fs_.FailNth(Op::kRename, 1);
  Status status = fs_.WriteFileAtomically(path, "new");
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_EQ(status.message(), "rename " + path + ".tmp to " + path + ": injected I/O error");
  EXPECT_EQ(OnDisk(path), "old");
  EXPECT_EQ(List(dir_.path()), std::vector<std::string>{"positions"});
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "old");
}

// Every step before the rename can fail; none of them may touch the old content.
TEST_F(FaultInjectionFileSystemTest, WriteFileAtomicallyIsAllOrNothingAtEveryFailurePoint) {
  std::string path = dir_.Path("positions");
  for (Op op : {Op::kOpen, Op::kWrite, Op::kSync, Op::kClose, Op::kRename, Op::kSyncDir}) {
    WriteDurable(path, "old");
    fs_.FailNth(op, 1);
    Status status = fs_.WriteFileAtomically(path, "new");
    EXPECT_FALSE(status.ok()) << OpName(op);
    ASSERT_TRUE(fs_.DropUnsyncedData().ok());
    EXPECT_EQ(OnDisk(path), "old") << "failing " << OpName(op);
    EXPECT_EQ(List(dir_.path()), std::vector<std::string>{"positions"}) << OpName(op);
  }
}

TEST_F(FaultInjectionFileSystemTest, NewDirectoryWithoutParentSyncIsRemoved) {
  std::string wal = dir_.Path("data/wal");
  ASSERT_TRUE(fs_.CreateDirs(wal).ok());
  auto file = Open(wal + "/0000000000000001.wal");
  ASSERT_TRUE(file->Append("record").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(fs_.SyncDir(wal).ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.Path("data")).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(List(dir_.path()), std::vector<std::string>{});
}

TEST_F(FaultInjectionFileSystemTest, NewDirectoryWithSyncedParentsSurvives) {
  std::string wal = dir_.Path("data/wal");
  std::string segment = wal + "/0000000000000001.wal";
  ASSERT_TRUE(fs_.CreateDirs(wal).ok());
  auto file = Open(segment);
  ASSERT_TRUE(file->Append("record").ok());
  ASSERT_TRUE(file->Sync().ok());
  for (const std::string& d : {wal, dir_.Path("data"), dir_.path()}) {
    ASSERT_TRUE(fs_.SyncDir(d).ok());
  }
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(segment), "record");
}

TEST_F(FaultInjectionFileSystemTest, UnsyncedDirectoryDeleteIsUndone) {
  std::string sub = dir_.Path("sub");
  ASSERT_TRUE(posix_.CreateDir(sub).ok());
  ASSERT_TRUE(fs_.DeleteDir(sub).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_TRUE(posix_.Stat(sub).ok());
}

TEST_F(FaultInjectionFileSystemTest, TrackingRestartsAfterPowerLoss) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  ASSERT_TRUE(file->Append("one").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  auto reopened = Open(path, OpenMode::kAppend);
  ASSERT_TRUE(reopened->Append("+two").ok());
  ASSERT_TRUE(reopened->Sync().ok());
  ASSERT_TRUE(reopened->Append("+three").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "one+two");
}

TEST_F(FaultInjectionFileSystemTest, FailNthFiresExactlyOnceAtTheNthCall) {
  auto file = Open(dir_.Path("a"));
  fs_.FailNth(Op::kWrite, 3);
  std::vector<bool> ok;
  for (char c : std::string("12345")) ok.push_back(file->Append(std::string(1, c)).ok());
  EXPECT_EQ(ok, (std::vector<bool>{true, true, false, true, true}));
  EXPECT_EQ(OnDisk(dir_.Path("a")), "1245");
}

TEST_F(FaultInjectionFileSystemTest, FailNthCountsFromNow) {
  auto file = Open(dir_.Path("a"));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(file->Sync().ok());
  fs_.FailNth(Op::kSync, 1);
  EXPECT_FALSE(file->Sync().ok());
  EXPECT_TRUE(file->Sync().ok());
}

TEST_F(FaultInjectionFileSystemTest, InjectedErrorsNameTheOperationAndPath) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  fs_.FailNth(Op::kSync, 1);
  Status status = file->Sync();
  EXPECT_EQ(status.ToString(), "IOError: sync " + path + ": injected I/O error");
  fs_.FailNth(Op::kSyncDir, 1);
  EXPECT_EQ(fs_.SyncDir(dir_.path()).ToString(),
            "IOError: syncdir " + dir_.path() + ": injected I/O error");
}

TEST_F(FaultInjectionFileSystemTest, EveryOperationKindCanBeFailed) {
  std::string path = dir_.Path("a");
  WriteDurable(path, "content");
  auto file = Open(dir_.Path("w"));
  char buf[4];
  auto reader = fs_.NewRandomAccessFile(path);
  ASSERT_TRUE(reader.ok());
  std::vector<std::pair<Op, std::function<Status()>>> cases = {
      {Op::kOpen, [&] { return fs_.NewRandomAccessFile(path).status(); }},
      {Op::kRead, [&] { return (*reader)->Read(0, sizeof(buf), buf).status(); }},
      {Op::kWrite, [&] { return file->Append("x"); }},
      {Op::kSync, [&] { return file->Sync(); }},
      {Op::kRename, [&] { return fs_.RenameFile(path, dir_.Path("b")); }},
      {Op::kDelete, [&] { return fs_.DeleteFile(path); }},
      {Op::kCreateDir, [&] { return fs_.CreateDir(dir_.Path("d")); }},
      {Op::kListDir, [&] { return fs_.ListDir(dir_.path()).status(); }},
      {Op::kStat, [&] { return fs_.Stat(path).status(); }},
      {Op::kSyncDir, [&] { return fs_.SyncDir(dir_.path()); }},
      {Op::kTruncate, [&] { return fs_.TruncateFile(path, 0); }},
      {Op::kLock, [&] { return fs_.LockFile(dir_.Path("LOCK")).status(); }},
      {Op::kClose, [&] { return file->Close(); }},
  };
  ASSERT_EQ(cases.size(), kOpCount);
  for (const auto& [op, call] : cases) {
    uint64_t before = fs_.CallCount(op);
    fs_.FailNth(op, 1);
    Status status = call();
    EXPECT_EQ(status.code(), StatusCode::kIOError) << OpName(op) << ": " << status;
    EXPECT_TRUE(Contains(status.message(), "injected")) << status;
    EXPECT_EQ(fs_.CallCount(op), before + 1) << OpName(op);
  }
  EXPECT_EQ(OnDisk(path), "content");  // the failed rename, delete and truncate did nothing
}

TEST_F(FaultInjectionFileSystemTest, FailedSyncLeavesDataUnsynced) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(file->Append("data").ok());
  fs_.FailNth(Op::kSync, 1);
  ASSERT_FALSE(file->Sync().ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "");
}

TEST_F(FaultInjectionFileSystemTest, InjectedCloseFailureStillClosesTheFile) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  ASSERT_TRUE(file->Append("kept").ok());
  fs_.FailNth(Op::kClose, 1);
  EXPECT_FALSE(file->Close().ok());
  EXPECT_FALSE(file->Append("x").ok());
  EXPECT_EQ(OnDisk(path), "kept");
}

TEST_F(FaultInjectionFileSystemTest, AppendBeyondFreeSpaceWritesThePrefixThatFits) {
  std::string path = dir_.Path("a");
  auto file = Open(path);
  fs_.SetFreeSpace(10);
  ASSERT_TRUE(file->Append("012345").ok());
  Status status = file->Append("6789abcd");
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "append " + path + ": no space left on device (injected: 4 of 8 bytes written)");
  EXPECT_EQ(file->Size(), 10u);
  EXPECT_EQ(OnDisk(path), "0123456789");
  EXPECT_EQ(file->Append("e").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(file->Size(), 10u);
  fs_.ClearFaults();
  EXPECT_TRUE(file->Append("e").ok());
  EXPECT_EQ(OnDisk(path), "0123456789e");
}

TEST_F(FaultInjectionFileSystemTest, FreeSpaceIsSharedByAllFiles) {
  auto a = Open(dir_.Path("a"));
  auto b = Open(dir_.Path("b"));
  fs_.SetFreeSpace(5);
  ASSERT_TRUE(a->Append("abc").ok());
  EXPECT_EQ(b->Append("xyz").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(OnDisk(dir_.Path("b")), "xy");
}

TEST_F(FaultInjectionFileSystemTest, FailAllOperationsFailsEveryCallUntilCleared) {
  std::string path = dir_.Path("a");
  WriteDurable(path, "content");
  auto file = Open(dir_.Path("w"));
  fs_.FailAllOperations(true);
  EXPECT_FALSE(fs_.NewWritableFile(dir_.Path("x"), OpenMode::kTruncate).ok());
  EXPECT_FALSE(fs_.ReadFileToString(path).ok());
  EXPECT_FALSE(fs_.Stat(path).ok());
  EXPECT_FALSE(fs_.FileExists(path));
  EXPECT_FALSE(fs_.ListDir(dir_.path()).ok());
  EXPECT_FALSE(fs_.SyncDir(dir_.path()).ok());
  EXPECT_FALSE(fs_.DeleteFile(path).ok());
  EXPECT_FALSE(file->Append("x").ok());
  EXPECT_FALSE(file->Flush().ok());
  Status status = file->Sync();
  EXPECT_EQ(status.message(), "sync " + dir_.Path("w") + ": injected I/O error (device gone)");
  fs_.ClearFaults();
  EXPECT_EQ(fs_.ReadFileToString(path).value_or(""), "content");
  EXPECT_TRUE(file->Append("x").ok());
  EXPECT_TRUE(file->Sync().ok());
}

TEST_F(FaultInjectionFileSystemTest, CallCountsCountEachOperation) {
  ASSERT_TRUE(fs_.WriteFileAtomically(dir_.Path("checkpoint"), "state").ok());
  EXPECT_EQ(fs_.CallCount(Op::kOpen), 1u);
  EXPECT_EQ(fs_.CallCount(Op::kWrite), 1u);
  EXPECT_EQ(fs_.CallCount(Op::kSync), 1u);
  EXPECT_EQ(fs_.CallCount(Op::kClose), 1u);
  EXPECT_EQ(fs_.CallCount(Op::kRename), 1u);
  EXPECT_EQ(fs_.CallCount(Op::kSyncDir), 1u);
  EXPECT_EQ(fs_.CallCount(Op::kDelete), 0u);
}

TEST_F(FaultInjectionFileSystemTest, ConcurrentAppendsFromTwoThreadsAreTracked) {
  auto writer = [this](const std::string& path, char c, Status* result) {
    Result<std::unique_ptr<WritableFile>> file = fs_.NewWritableFile(path, OpenMode::kTruncate);
    if (!file.ok()) {
      *result = file.status();
      return;
    }
    for (int i = 0; i < 1000 && result->ok(); ++i) {
      *result = (*file)->Append(std::string(5, c));
      if (result->ok() && i == 499) *result = (*file)->Sync();
    }
    if (result->ok()) *result = (*file)->Close();
  };
  Status status_a, status_b;
  std::thread a(writer, dir_.Path("a"), 'a', &status_a);
  std::thread b(writer, dir_.Path("b"), 'b', &status_b);
  a.join();
  b.join();
  ASSERT_TRUE(status_a.ok()) << status_a;
  ASSERT_TRUE(status_b.ok()) << status_b;
  EXPECT_EQ(OnDisk(dir_.Path("a")), std::string(5000, 'a'));
  ASSERT_TRUE(fs_.SyncDir(dir_.path()).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(dir_.Path("a")), std::string(2500, 'a'));
  EXPECT_EQ(OnDisk(dir_.Path("b")), std::string(2500, 'b'));
}

TEST_F(FaultInjectionFileSystemTest, EquivalentSpellingsOfAPathAreOneFile) {
  auto file = Open(dir_.path() + "//./a");
  ASSERT_TRUE(file->Append("synced").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(fs_.SyncDir(dir_.path() + "/").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(dir_.Path("a")), "synced");
}

}  // namespace
}  // namespace silt::fs
