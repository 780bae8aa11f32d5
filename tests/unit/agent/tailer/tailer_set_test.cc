#include "agent/tailer/tailer_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "agent/positions/positions_format.h"
#include "tests/unit/agent/tailer/tailer_harness.h"

namespace silt::agent {
namespace {

using ::testing::ElementsAre;
using testing::HasEvent;
using testing::TailerHarness;
using testing::TestOptions;

int64_t WallNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(TailerSetTest, NewFileIsReadFromHeadOnce) {
  TailerHarness h;
  h.Append("app.log", "a\nb\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a", "b"));
  ASSERT_EQ(h.sink().chunks().size(), 1u);
  EXPECT_EQ(h.sink().chunks()[0].path, h.Path("app.log"));
  EXPECT_EQ(h.sink().chunks()[0].start_offset, 0u);
  EXPECT_EQ(h.sink().chunks()[0].end_offset, 4u);
}

TEST(TailerSetTest, AppendedLinesAreReadAfterAnEvent) {
  TailerHarness h;
  h.Append("app.log", "a\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Append("app.log", "b\nc");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a", "b"));  // "c" is held until its newline
  h.Append("app.log", "\n");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a", "b", "c"));
}

TEST(TailerSetTest, ReadFromTailStartsAfterTheLastCompleteLineAtStartup) {
  TailerSet::Options options = TestOptions();
  options.read_from = ReadFrom::kTail;
  TailerHarness h(options);
  h.Append("app.log", "old1\nold2\npart");
  h.Rescan({"app.log"});
  h.Append("app.log", "ial\nnew\n");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("partial", "new"));
}

TEST(TailerSetTest, FilesAppearingAfterStartupAreReadFromHeadEvenWithTail) {
  TailerSet::Options options = TestOptions();
  options.read_from = ReadFrom::kTail;
  TailerHarness h(options);
  h.Rescan({});
  h.Append("new.log", "first\n");
  h.Rescan({"new.log"});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("first"));
}

TEST(TailerSetTest, PositionsAdvanceOnlyOnConfirmation) {
  TailerHarness h;
  h.Append("app.log", "a\nb\n");
  h.Rescan({"app.log"});
  h.Drain();
  const uint64_t id = h.sink().chunks()[0].source_id;
  EXPECT_EQ(h.store().Find(id)->offset, 0u);
  ASSERT_TRUE(h.Flush().ok());
  auto saved = DecodePositions(*h.fs().ReadFileToString(h.Path("positions")));
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->at(0).offset, 0u);
  h.ConfirmAll();
  EXPECT_EQ(h.store().Find(id)->offset, 4u);
  ASSERT_TRUE(h.Flush().ok());
  saved = DecodePositions(*h.fs().ReadFileToString(h.Path("positions")));
  EXPECT_EQ(saved->at(0).offset, 4u);
}

TEST(TailerSetTest, RenameAndCreateDrainsTheOldFileFirst) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  // The writer still holds the old file: lines land in it after the rename, unread.
  auto old_writer = h.fs().NewWritableFile(h.Path("app.log"), fs::OpenMode::kAppend);
  ASSERT_TRUE(old_writer.ok());
  ASSERT_TRUE((*old_writer)->Append("a2\n").ok());
  h.Rename("app.log", "app.log.1");
  ASSERT_TRUE((*old_writer)->Append("a3\n").ok());
  ASSERT_TRUE((*old_writer)->Close().ok());
  h.Append("app.log", "b1\n");
  h.Changed("app.log");
  EXPECT_TRUE(HasEvent(h.tailers(), TailerEvent::Kind::kRotated));
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "a3", "b1"));
  ASSERT_EQ(h.sink().Sources().size(), 2u);
  EXPECT_EQ(h.tailers().stats().rotations, 1u);
  EXPECT_EQ(h.tailers().stats().open_rotated_files, 0u);
}

TEST(TailerSetTest, RotatedFileIsReadUntilItIdlesForRotateWait) {
  TailerSet::Options options = TestOptions();
  options.rotate_wait_ns = 100;
  TailerHarness h(options);
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain(0);
  h.Rename("app.log", "app.log.1");
  h.Changed("app.log");
  h.Drain(10);
  h.Append("app.log.1", "a2\n");  // a writer that has not reopened yet
  h.Drain(50);
  EXPECT_EQ(h.tailers().stats().open_rotated_files, 1u);
  h.Drain(149);  // 99 ns since the last data
  EXPECT_EQ(h.tailers().stats().open_rotated_files, 1u);
  h.Drain(150);
  EXPECT_EQ(h.tailers().stats().open_rotated_files, 0u);
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2"));
}

TEST(TailerSetTest, TwoRotationsBeforeAPollLoseNothing) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Append("app.log", "a2\n");
  h.Rename("app.log", "app.log.1");
  h.Append("app.log", "b1\nb2\n");
  h.Rename("app.log.1", "app.log.2");
  h.Rename("app.log", "app.log.1");
  h.Append("app.log", "c1\n");
  h.Changed("app.log");
  EXPECT_TRUE(HasEvent(h.tailers(), TailerEvent::Kind::kFoundRotated));
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "b1", "b2", "c1"));
  EXPECT_EQ(h.sink().Sources().size(), 3u);
  EXPECT_EQ(h.tailers().stats().rotated_found, 1u);
}

// The file the agent stat'ed at the path is rotated away before the agent opens the path: the
// open gets its successor, and the file in between must still be found under its rotated name.
TEST(TailerSetTest, RotationBetweenTheStatAndTheOpenOfThePathLosesNothing) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Rename("app.log", "app.log-1");
  h.Append("app.log", "b1\nb2\n");
  h.agent_fs().RunBeforeNth(fs::Op::kOpen, 1, [&] {
    h.Rename("app.log", "app.log-2");
    h.Append("app.log", "c1\n");
  });
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "b1", "b2", "c1"));
  EXPECT_EQ(h.sink().Sources().size(), 3u);
  EXPECT_EQ(h.tailers().stats().rotated_found, 1u);
}

// The same race while the path was missing: the first file created there is rotated away between
// the stat that sees it and the open.
TEST(TailerSetTest, RotationBetweenTheStatAndTheOpenOfANewFileLosesNothing) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Rename("app.log", "app.log-1");
  h.Changed("app.log");  // gone: the old file is drained
  h.Drain();
  h.Append("app.log", "b1\n");
  h.agent_fs().RunBeforeNth(fs::Op::kOpen, 1, [&] {
    h.Rename("app.log", "app.log-2");
    h.Append("app.log", "c1\n");
  });
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "b1", "c1"));
}

TEST(TailerSetTest, RotationNoticedOnlyAsDeletionThenRecreation) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Rename("app.log", "app.log.1");
  h.Changed("app.log");  // gone: the old file is drained
  h.Drain();
  h.Append("app.log", "b1\n");
  h.Rename("app.log.1", "app.log.2");
  h.Rename("app.log", "app.log.1");  // b was never seen at the path
  h.Append("app.log", "c1\n");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "b1", "c1"));
}

TEST(TailerSetTest, FileRotatedAwayBeforeItsPathWasFirstSeenIsRead) {
  TailerSet::Options options = TestOptions();
  options.started_wall_ns = WallNowNs();
  TailerHarness h(options);
  h.Rescan({});
  h.Append("app.log", "a1\na2\n");
  h.Rename("app.log", "app.log.1");  // gone before discovery ever reported app.log
  h.Append("app.log", "b1\n");
  h.Changed("app.log");
  EXPECT_TRUE(HasEvent(h.tailers(), TailerEvent::Kind::kFoundRotated));
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "b1"));
  EXPECT_EQ(h.sink().Sources().size(), 2u);
}

TEST(TailerSetTest, RotationsOlderThanStartupOfANewPathAreNotRead) {
  TailerSet::Options options = TestOptions();
  options.started_wall_ns = WallNowNs();
  TailerHarness h(options);
  h.Append("app.log.1", "yesterday\n");
  const std::string rotated = h.Path("app.log.1");
  const struct timeval old_times[2] = {{1'000'000'000, 0}, {1'000'000'000, 0}};
  ASSERT_EQ(::utimes(rotated.c_str(), old_times), 0);
  h.Rescan({});
  h.Append("app.log", "today\n");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("today"));
}

TEST(TailerSetTest, CopytruncateWithUnreadLinesContinuesInTheCopy) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Append("app.log", "a2\na3");
  h.Changed("app.log");  // seen, not read
  h.CopyTruncate("app.log", "app.log.1");
  h.Append("app.log", "b1\n");
  h.Changed("app.log");
  EXPECT_TRUE(HasEvent(h.tailers(), TailerEvent::Kind::kCopyRecovered));
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "a3", "b1"));
  std::vector<uint64_t> sources = h.sink().Sources();
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_THAT(h.sink().LinesOf(sources[0]), ElementsAre("a1", "a2", "a3"));
  EXPECT_THAT(h.sink().LinesOf(sources[1]), ElementsAre("b1"));
  EXPECT_EQ(h.tailers().stats().truncations, 1u);
  EXPECT_EQ(h.tailers().stats().copies_recovered, 1u);
  // The source's ranges stay contiguous across the switch to the copy.
  uint64_t end = 0;
  for (const SourceChunk& chunk : h.sink().chunks()) {
    if (chunk.source_id != sources[0]) continue;
    EXPECT_EQ(chunk.start_offset, end);
    end = chunk.end_offset;
  }
  EXPECT_EQ(end, 8u);
}

TEST(TailerSetTest, TruncationWithoutCopyRestartsAtZeroAsANewSource) {
  TailerHarness h;
  h.Append("app.log", "a1\na2\npart");
  h.Rescan({"app.log"});
  h.Drain();
  h.Truncate("app.log");
  h.Append("app.log", "b1\n");
  h.Changed("app.log");
  EXPECT_TRUE(HasEvent(h.tailers(), TailerEvent::Kind::kTruncated));
  h.Drain();
  // The held partial line ends the old source; nothing else of it was unread.
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "part", "b1"));
  EXPECT_EQ(h.sink().Sources().size(), 2u);
}

TEST(TailerSetTest, RewriteNoticedByPollAloneIsATruncation) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Truncate("app.log");
  h.Append("app.log", "b1 is longer than the old content\n");
  h.Changed("app.log");
  h.Drain();
  h.Truncate("app.log");
  h.Append("app.log", "c1 rewritten, noticed by reading only, long enough\n");
  h.tailers().OnRescan({h.Path("app.log")});  // marks files readable without stat'ing changes
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "b1 is longer than the old content",
                                            "c1 rewritten, noticed by reading only, long enough"));
  EXPECT_EQ(h.tailers().stats().truncations, 2u);
}

TEST(TailerSetTest, DeleteWhileUnreadIsDrained) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Append("app.log", "a2\nlast");
  h.Delete("app.log");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "last"));
  EXPECT_TRUE(h.sink().chunks().back().lines.back().unterminated);
  EXPECT_EQ(h.tailers().stats().open_files, 0u);
}

TEST(TailerSetTest, SymlinkRetargetDrainsTheOldTargetThenReadsTheNewOne) {
  TailerHarness h;
  h.Append("a.txt", "a1\n");
  h.Append("b.txt", "b1\n");
  ASSERT_EQ(::symlink(h.Path("a.txt").c_str(), h.Path("current.log").c_str()), 0);
  h.Rescan({"current.log"});
  h.Drain();
  h.Append("a.txt", "a2\n");
  ASSERT_EQ(::unlink(h.Path("current.log").c_str()), 0);
  ASSERT_EQ(::symlink(h.Path("b.txt").c_str(), h.Path("current.log").c_str()), 0);
  h.Changed("current.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "b1"));
  for (const SourceChunk& chunk : h.sink().chunks()) EXPECT_EQ(chunk.path, h.Path("current.log"));
}

TEST(TailerSetTest, CompressedRotationsAreIgnored) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Append("app.log.2.gz", "not text\n");
  h.Rescan({"app.log", "app.log.2.gz"});
  h.Drain();
  h.Rename("app.log", "app.log.1");
  h.Append("app.log.1.gz", "compressed copy\n");  // newer than anything seen
  h.Append("app.log", "b1\n");
  h.Changed("app.log");
  h.Changed("app.log.1.gz");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "b1"));
  EXPECT_EQ(h.tailers().stats().watched_paths, 1u);
}

TEST(TailerSetTest, WatchingRotatedNamesTooDoesNotDuplicate) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Append("app.log", "a2\n");
  h.Rename("app.log", "app.log.1");
  h.Append("app.log", "b1\n");
  h.Rescan({"app.log", "app.log.1"});
  h.Drain();
  h.Append("app.log.1", "a3\n");
  h.Changed("app.log.1");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "b1", "a3"));
}

// Inode reuse as the agent sees it: the (device, inode) of a file it knew shows up at another
// watched path holding other bytes. Moving the very inode there with new content makes that
// deterministic (a freed inode's reuse depends on the file system's allocator).
TEST(TailerSetTest, InodeReusedAtAnotherPathWhileDownStillFindsItsPathsMissedRotation) {
  TailerHarness h;
  h.Append("a.log", "a1\n");
  h.Append("b.log", "b1\n");
  h.Rescan({"a.log", "b.log"});
  h.Drain();
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  h.Rename("a.log", "a.log.1");
  h.Truncate("b.log");
  h.Append("b.log", "a2 in b.log's old inode\n");
  h.Rename("b.log", "a.log");  // resolved first at the restart: b.log's entry is stale
  h.Append("b.log", "b2\n");
  h.Rename("b.log", "b.log.1");  // a rotation of b.log the agent never saw
  h.Append("b.log", "b3\n");
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"a.log", "b.log"});
  h.Drain();
  EXPECT_THAT(h.sink().LinesAt(h.Path("a.log")), ElementsAre("a1", "a2 in b.log's old inode"));
  EXPECT_THAT(h.sink().LinesAt(h.Path("b.log")), ElementsAre("b1", "b2", "b3"));
  EXPECT_EQ(h.tailers().stats().rotated_found, 1u);
}

TEST(TailerSetTest, InodeReusedAtAnotherPathKeepsTheOldPathsLastLookAcrossARestart) {
  TailerHarness h;
  h.Append("a.log", "a1\n");
  h.Append("b.log", "b1\n");
  h.Rescan({"a.log", "b.log"});
  h.Drain();
  h.Rename("b.log", "moved");
  h.Changed("b.log");  // gone: drained and closed; its entry is b.log's only one
  h.Drain();
  h.Rename("a.log", "a.log.1");
  h.Truncate("moved");
  h.Append("moved", "a2 in b.log's old inode\n");
  h.Rename("moved", "a.log");
  h.Changed("a.log");  // b.log's entry is stale now
  h.Drain();
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  h.Append("b.log", "b2\n");
  h.Rename("b.log", "b.log.1");  // created and rotated while the agent was down
  h.Append("b.log", "b3\n");
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"a.log", "b.log"});
  h.Drain();
  EXPECT_THAT(h.sink().LinesAt(h.Path("a.log")), ElementsAre("a1", "a2 in b.log's old inode"));
  EXPECT_THAT(h.sink().LinesAt(h.Path("b.log")), ElementsAre("b1", "b2", "b3"));
  EXPECT_EQ(h.tailers().stats().rotated_found, 1u);
}

TEST(TailerSetTest, TooManyRotatedFilesAbandonsTheOldestAndCountsItsBytes) {
  TailerSet::Options options = TestOptions();
  options.max_open_rotated = 1;
  TailerHarness h(options);
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.Append("app.log", "a2\n");  // 3 unread bytes
  h.Rename("app.log", "app.log.1");
  h.Changed("app.log");  // gone: A is rotated (1 open)
  h.Append("app.log", "b1\n");
  h.Changed("app.log");  // B current
  h.Rename("app.log.1", "app.log.2");
  h.Rename("app.log", "app.log.1");
  h.Changed("app.log");  // B rotated too: A is abandoned
  EXPECT_TRUE(HasEvent(h.tailers(), TailerEvent::Kind::kAbandoned));
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "b1"));
  EXPECT_EQ(h.tailers().stats().rotated_abandoned, 1u);
  EXPECT_EQ(h.tailers().stats().bytes_dropped, 3u);
}

TEST(TailerSetTest, PathNoLongerMatchedIsDrainedAndDropped) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Append("app.log", "a2\n");
  h.Rescan({});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2"));
  EXPECT_EQ(h.tailers().stats().watched_paths, 0u);
  EXPECT_EQ(h.tailers().stats().open_files, 0u);
}

TEST(TailerSetTest, SkippedOversizeLinesStillAdvanceThePosition) {
  TailerSet::Options options = TestOptions();
  options.lines.max_line_size = 4;
  options.lines.oversize_policy = OversizeLinePolicy::kSkip;
  TailerHarness h(options);
  h.Append("app.log", "ok\nfar too long\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("ok"));
  EXPECT_EQ(h.store().Find(h.sink().chunks()[0].source_id)->offset, 16u);
  EXPECT_EQ(h.tailers().stats().lines_skipped, 1u);
  h.Append("app.log", "next\n");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("ok", "next"));
}

TEST(TailerSetTest, OpenErrorIsReportedAndOtherFilesGoOn) {
  TailerHarness h;
  h.Append("a.log", "a1\n");
  h.Append("b.log", "b1\n");
  h.agent_fs().FailNth(fs::Op::kOpen, 1);  // the first open: a.log
  h.Rescan({"a.log", "b.log"});
  std::vector<TailerEvent> events = h.tailers().TakeEvents();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].kind, TailerEvent::Kind::kError);
  EXPECT_NE(events[0].message.find("injected I/O error"), std::string::npos) << events[0].message;
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("b1"));
  h.Changed("a.log");  // retried on the next event
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("b1", "a1"));
  EXPECT_EQ(h.tailers().stats().errors, 1u);
}

TEST(TailerSetTest, BatchLimitsSplitReadingAcrossPolls) {
  TailerSet::Options options = TestOptions();
  options.batch.max_lines = 2;
  options.read_chunk_size = 4;
  TailerHarness h(options);
  h.Append("app.log", "1\n2\n3\n4\n5\n");
  h.Rescan({"app.log"});
  PollResult first = h.tailers().Poll(0);
  EXPECT_TRUE(first.more);
  EXPECT_EQ(first.lines, 2u);
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("1", "2", "3", "4", "5"));
  EXPECT_GE(h.sink().batches(), 3u);
}

TEST(TailerSetTest, StatsCountLinesBytesAndLag) {
  TailerHarness h;
  h.Append("app.log", "abc\nde\n");
  h.Rescan({"app.log"});
  EXPECT_EQ(h.tailers().stats().lag_bytes, 7u);
  h.Drain();
  TailerStats stats = h.tailers().stats();
  EXPECT_EQ(stats.lines_read, 2u);
  EXPECT_EQ(stats.bytes_read, 7u);
  EXPECT_EQ(stats.lag_bytes, 0u);
  EXPECT_EQ(stats.watched_paths, 1u);
  EXPECT_EQ(stats.open_files, 1u);
  EXPECT_EQ(stats.files_opened, 1u);
}

}  // namespace
}  // namespace silt::agent
