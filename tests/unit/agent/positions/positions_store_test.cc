#include "agent/positions/positions_store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agent/positions/positions_format.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

Position Entry(uint64_t id, uint64_t offset) {
  Position p;
  p.source_id = id;
  p.identity = FileIdentity{1, 100 + id, Fingerprint{42, 1024}};
  p.path = "/logs/" + std::to_string(id) + ".log";
  p.offset = offset;
  p.last_seen_ns = 7;
  return p;
}

class PositionsStoreTest : public ::testing::Test {
 protected:
  std::string FilePath() const { return dir_.Path("positions"); }

  testing::TempDir dir_;
  fs::PosixFileSystem posix_;
  fs::FaultInjectionFileSystem faulty_{&posix_};
};

TEST_F(PositionsStoreTest, MissingFileLoadsAnEmptyTable) {
  PositionsStore store(&posix_, FilePath());
  ASSERT_TRUE(store.Load().ok());
  EXPECT_TRUE(store.entries().empty());
  EXPECT_FALSE(store.dirty());
}

TEST_F(PositionsStoreTest, FlushThenLoadRoundTrips) {
  PositionsStore store(&posix_, FilePath());
  store.Put(Entry(1, 10));
  store.Put(Entry(2, 20));
  ASSERT_TRUE(store.Flush().ok());
  PositionsStore reloaded(&posix_, FilePath());
  ASSERT_TRUE(reloaded.Load().ok());
  EXPECT_EQ(reloaded.entries(), store.entries());
}

TEST_F(PositionsStoreTest, FlushWritesOnlyWhenSomethingChanged) {
  PositionsStore store(&faulty_, FilePath());
  store.Put(Entry(1, 10));
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(faulty_.CallCount(fs::Op::kRename), 1u);
  store.Put(Entry(1, 10));  // identical
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(faulty_.CallCount(fs::Op::kRename), 1u);
  store.Put(Entry(1, 11));
  EXPECT_TRUE(store.dirty());
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(faulty_.CallCount(fs::Op::kRename), 2u);
}

TEST_F(PositionsStoreTest, FailedFlushStaysDirtyAndRetries) {
  PositionsStore store(&faulty_, FilePath());
  store.Put(Entry(1, 10));
  faulty_.FailNth(fs::Op::kSync, 1);
  Status failed = store.Flush();
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(failed.message().find(FilePath()), std::string::npos);
  EXPECT_TRUE(store.dirty());
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_FALSE(store.dirty());
}

TEST_F(PositionsStoreTest, CorruptFileIsReportedMovedAsideAndTableStartsEmpty) {
  std::string encoded = EncodePositions({Entry(1, 10)});
  encoded[encoded.find(" 10 ") + 1] = '9';
  ASSERT_TRUE(posix_.WriteFileAtomically(FilePath(), encoded).ok());
  PositionsStore store(&posix_, FilePath());
  store.Put(Entry(5, 5));
  Status status = store.Load();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find(FilePath() + ".corrupt"), std::string::npos) << status;
  EXPECT_TRUE(store.entries().empty());
  EXPECT_EQ(*posix_.ReadFileToString(FilePath() + ".corrupt"), encoded);
  EXPECT_FALSE(posix_.FileExists(FilePath()));
  store.Put(Entry(2, 20));
  ASSERT_TRUE(store.Flush().ok());
  PositionsStore reloaded(&posix_, FilePath());
  ASSERT_TRUE(reloaded.Load().ok());
  EXPECT_EQ(reloaded.entries().size(), 1u);
}

TEST_F(PositionsStoreTest, UnreadableFileIsReportedAndTableStartsEmpty) {
  ASSERT_TRUE(posix_.WriteFileAtomically(FilePath(), EncodePositions({Entry(1, 10)})).ok());
  PositionsStore store(&faulty_, FilePath());
  faulty_.FailNth(fs::Op::kRead, 1);
  Status status = store.Load();
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_NE(status.message().find("reading positions file " + FilePath()), std::string::npos);
  EXPECT_TRUE(store.entries().empty());
  EXPECT_TRUE(posix_.FileExists(FilePath()));  // not moved: it may be fine
}

TEST_F(PositionsStoreTest, ConfirmAdvancesInOrder) {
  PositionsStore store(&posix_, FilePath());
  store.Put(Entry(1, 100));
  EXPECT_TRUE(store.Confirm(1, 100, 150));
  EXPECT_TRUE(store.Confirm(1, 150, 160));
  EXPECT_EQ(store.Find(1)->offset, 160u);
}

TEST_F(PositionsStoreTest, ConfirmBeyondAGapWaitsForTheGap) {
  PositionsStore store(&posix_, FilePath());
  store.Put(Entry(1, 0));
  EXPECT_FALSE(store.Confirm(1, 20, 30));
  EXPECT_FALSE(store.Confirm(1, 10, 20));
  EXPECT_EQ(store.Find(1)->offset, 0u);
  EXPECT_EQ(store.waiting_ranges(), 2u);
  EXPECT_TRUE(store.Confirm(1, 0, 10));
  EXPECT_EQ(store.Find(1)->offset, 30u);
  EXPECT_EQ(store.waiting_ranges(), 0u);
}

TEST_F(PositionsStoreTest, ConfirmOfASplitRangeAdvancesPieceByPiece) {
  PositionsStore store(&posix_, FilePath());
  store.Put(Entry(1, 0));
  EXPECT_TRUE(store.Confirm(1, 0, 4));
  EXPECT_TRUE(store.Confirm(1, 4, 9));
  EXPECT_FALSE(store.Confirm(1, 0, 9));  // repeated ack: nothing new
  EXPECT_EQ(store.Find(1)->offset, 9u);
}

TEST_F(PositionsStoreTest, ConfirmOfUnknownSourceIsIgnored) {
  PositionsStore store(&posix_, FilePath());
  EXPECT_FALSE(store.Confirm(99, 0, 10));
  EXPECT_TRUE(store.entries().empty());
  EXPECT_EQ(store.waiting_ranges(), 0u);
}

TEST_F(PositionsStoreTest, RemoveDropsWaitingConfirmations) {
  PositionsStore store(&posix_, FilePath());
  store.Put(Entry(1, 0));
  EXPECT_FALSE(store.Confirm(1, 5, 10));
  store.Remove(1);
  EXPECT_EQ(store.waiting_ranges(), 0u);
  EXPECT_EQ(store.Find(1), nullptr);
}

TEST_F(PositionsStoreTest, FindByInodeReturnsEveryMatch) {
  PositionsStore store(&posix_, FilePath());
  Position a = Entry(1, 0);
  Position b = Entry(2, 0);
  b.identity = a.identity;
  store.Put(a);
  store.Put(b);
  store.Put(Entry(3, 0));
  std::vector<const Position*> found = store.FindByInode(a.identity.device, a.identity.inode);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0]->source_id, 1u);
  EXPECT_EQ(found[1]->source_id, 2u);
}

// A power loss at any point of a Flush leaves the previous or the new file, never garbage.
TEST_F(PositionsStoreTest, PowerLossDuringFlushLeavesOldOrNewPositions) {
  const fs::Op ops[] = {fs::Op::kOpen,  fs::Op::kWrite,  fs::Op::kSync,
                        fs::Op::kClose, fs::Op::kRename, fs::Op::kSyncDir};
  int saw_old = 0;
  int saw_new = 0;
  for (fs::Op op : ops) {
    for (bool fail : {true, false}) {
      testing::TempDir dir;
      fs::PosixFileSystem posix;
      fs::FaultInjectionFileSystem faulty(&posix);
      const std::string path = dir.Path("positions");
      std::map<uint64_t, Position> old_table;
      std::map<uint64_t, Position> new_table;
      {
        PositionsStore store(&faulty, path);
        store.Put(Entry(1, 10));
        ASSERT_TRUE(store.Flush().ok());
        old_table = store.entries();
        store.Put(Entry(1, 20));
        store.Put(Entry(2, 5));
        new_table = store.entries();
        if (fail) faulty.FailNth(op, 1);
        Status flushed = store.Flush();
        ASSERT_TRUE(faulty.DropUnsyncedData().ok());
        PositionsStore reloaded(&faulty, path);
        Status loaded = reloaded.Load();
        ASSERT_TRUE(loaded.ok()) << fs::OpName(op) << ": " << loaded;
        if (flushed.ok()) {
          EXPECT_EQ(reloaded.entries(), new_table) << fs::OpName(op);
        } else {
          EXPECT_TRUE(reloaded.entries() == old_table || reloaded.entries() == new_table)
              << fs::OpName(op);
        }
        (reloaded.entries() == new_table ? saw_new : saw_old)++;
      }
    }
  }
  EXPECT_GT(saw_old, 0);  // the faults did hit the write path
  EXPECT_GT(saw_new, 0);
}

}  // namespace
}  // namespace silt::agent
