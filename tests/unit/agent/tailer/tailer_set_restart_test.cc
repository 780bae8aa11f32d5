// Restart scenarios of TailerSet: the agent is killed (every in-memory object dropped, only the
// positions file kept) and started again.
#include "agent/tailer/tailer_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/agent/tailer/tailer_harness.h"

namespace silt::agent {
namespace {

using ::testing::ElementsAre;
using testing::HasEvent;
using testing::TailerHarness;
using testing::TestOptions;

TEST(TailerSetRestartTest, ResumesAtTheSavedOffsetWithTheSameSource) {
  TailerHarness h;
  h.Append("app.log", "a1\na2\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  const uint64_t id = h.sink().chunks()[0].source_id;
  h.Kill(/*flush_first=*/true);
  h.Append("app.log", "a3\n");
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  EXPECT_TRUE(HasEvent(h.tailers(), TailerEvent::Kind::kResumed));
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "a3"));
  EXPECT_EQ(h.sink().chunks().back().source_id, id);
  EXPECT_EQ(h.sink().chunks().back().start_offset, 6u);
}

TEST(TailerSetRestartTest, UnconfirmedLinesAreReadAgainNeverLost) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  h.Append("app.log", "a2\na3\n");
  h.Changed("app.log");
  h.Drain();  // delivered, never confirmed
  h.Kill(/*flush_first=*/true);
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "a3"));
  EXPECT_EQ(h.sink().chunks().back().start_offset, 3u);
}

TEST(TailerSetRestartTest, KillWithoutFlushRereadsSinceTheLastFlush) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  ASSERT_TRUE(h.Flush().ok());
  h.Append("app.log", "a2\n");
  h.Changed("app.log");
  h.Drain();
  h.ConfirmAll();  // confirmed in memory only
  h.Kill(/*flush_first=*/false);
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "a2"));  // at least once
}

TEST(TailerSetRestartTest, FileRotatedWhileDownIsFinishedFirst) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  const uint64_t old_id = h.sink().chunks()[0].source_id;
  h.Kill(/*flush_first=*/true);
  h.Append("app.log", "a2\n");
  h.Rename("app.log", "app.log.1");
  h.Append("app.log", "b1\n");
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "b1"));
  EXPECT_THAT(h.sink().LinesOf(old_id), ElementsAre("a1", "a2"));
}

TEST(TailerSetRestartTest, TwoRotationsWhileDownAreFinishedOldestFirst) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  h.Append("app.log", "a2\n");
  h.Rename("app.log", "app.log.1");
  h.Append("app.log", "b1\n");
  h.Rename("app.log.1", "app.log.2");
  h.Rename("app.log", "app.log.1");
  h.Append("app.log", "c1\n");
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "b1", "c1"));
}

TEST(TailerSetRestartTest, RotatedFileStillDrainingAtTheKillIsFinished) {
  TailerSet::Options options = TestOptions();
  options.batch.max_lines = 1;
  TailerHarness h(options);
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  h.Append("app.log", "a2\na3\n");
  h.Rename("app.log", "app.log.1");
  h.Append("app.log", "b1\n");
  h.Changed("app.log");
  h.tailers().Poll(0);  // reads a2 only
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "a3", "b1"));
}

TEST(TailerSetRestartTest, CopytruncateWhileDownContinuesInTheCopy) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  h.Append("app.log", "a2\n");
  h.CopyTruncate("app.log", "app.log.1");
  h.Append("app.log", "b1\n");
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "b1"));
  EXPECT_EQ(h.tailers().stats().copies_recovered, 1u);
}

TEST(TailerSetRestartTest, RestartBetweenCopyAndTruncateReadsTheCopyOnlyPastTheSavedOffset) {
  // logrotate's copytruncate copies, then truncates. An agent that starts between the two finds
  // the copy beside a file it still tails: the copy is not a missed rotation (its first bytes
  // are those of a known source), and once the truncation comes the source continues in it.
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  h.Append("app.log", "a2\n");
  h.Copy("app.log", "app.log.1");  // the truncation has not happened yet
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  EXPECT_TRUE(HasEvent(h.tailers(), TailerEvent::Kind::kCopySeen));
  h.Drain();
  h.ConfirmAll();
  h.Truncate("app.log");
  h.Append("app.log", "b1\n");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "b1"));
  EXPECT_EQ(h.tailers().stats().rotated_found, 0u);
}

TEST(TailerSetRestartTest, RestartBetweenCopyAndTruncateWithUnreadLinesFinishesThemOnce) {
  TailerHarness h;
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  h.Append("app.log", "a2\na3\n");
  h.Copy("app.log", "app.log.1");
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Truncate("app.log");  // before the restarted agent read a2 and a3 from app.log
  h.Append("app.log", "b1\n");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a1", "a2", "a3", "b1"));
}

TEST(TailerSetRestartTest, UnseenRotationStartingWithTheSameBannerIsNotTakenForACopy) {
  // Every incarnation starts with the same 1,100-byte banner, longer than a fingerprint: an
  // unseen rotation is told from a copy of the current file by its other bytes.
  const std::string banner(1100, '=');
  TailerHarness h;
  h.Append("app.log", banner + "\na1\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  h.Rename("app.log", "app.log.1");
  h.Append("app.log", banner + "\nb1\n");
  h.Rename("app.log.1", "app.log.2");
  h.Rename("app.log", "app.log.1");
  h.Append("app.log", banner + "\nc1 longer than b1\n");
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre(banner, "a1", banner, "b1", banner,
                                            "c1 longer than b1"));
}

TEST(TailerSetRestartTest, ContentReplacedInPlaceWhileDownIsANewSource) {
  TailerHarness h;
  h.Append("app.log", "old content\n");
  h.Rescan({"app.log"});
  h.Drain();
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  // Same (device, inode), other first bytes: what inode reuse looks like.
  h.Truncate("app.log");
  h.Append("app.log", "brand new content, longer than before\n");
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Drain();
  EXPECT_THAT(h.sink().Lines(),
              ElementsAre("old content", "brand new content, longer than before"));
  EXPECT_EQ(h.sink().Sources().size(), 2u);
}

TEST(TailerSetRestartTest, CorruptPositionsFileStartsFromConfiguredDefaults) {
  TailerSet::Options options = TestOptions();
  options.read_from = ReadFrom::kTail;
  TailerHarness h(options);
  h.Append("app.log", "a1\n");
  h.Rescan({"app.log"});
  h.Append("app.log", "a2\n");
  h.Changed("app.log");
  h.Drain();
  h.ConfirmAll();
  h.Kill(/*flush_first=*/true);
  h.Append(h.Path("positions").substr(h.Path("").size()), "garbage");
  h.Append("app.log", "a3\n");
  Status loaded = h.Start();
  EXPECT_EQ(loaded.code(), StatusCode::kCorruption);
  h.Rescan({"app.log"});
  h.Append("app.log", "a4\n");
  h.Changed("app.log");
  h.Drain();
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a2", "a4"));  // read_from: tail, as configured
}

TEST(TailerSetRestartTest, ResumedSourceKeepsUnconfirmedRangesContiguous) {
  TailerHarness h;
  h.Append("app.log", "a1\na2\n");
  h.Rescan({"app.log"});
  h.Drain();
  const SourceChunk first = h.sink().chunks()[0];
  h.store().Confirm(first.source_id, first.start_offset, 3);  // only a1
  h.Kill(/*flush_first=*/true);
  ASSERT_TRUE(h.Start().ok());
  h.Rescan({"app.log"});
  h.Drain();
  ASSERT_EQ(h.sink().chunks().size(), 1u);  // the first delivery was never confirmed whole
  EXPECT_EQ(h.sink().chunks()[0].start_offset, 3u);
  EXPECT_THAT(h.sink().Lines(), ElementsAre("a2"));
}

}  // namespace
}  // namespace silt::agent
