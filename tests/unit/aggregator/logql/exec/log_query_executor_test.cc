#include "aggregator/logql/exec/log_query_executor.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aggregator/logql/exec/query_memory.h"
#include "aggregator/logql/query.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/logql/exec/fake_pipeline.h"
#include "tests/unit/aggregator/logql/exec/table_data.h"

namespace silt::logql::exec {
namespace {

using store::Direction;
using testing::FakePipeline;
using testing::FakePipelineOptions;
using TempDir = silt::testing::TempDir;

constexpr int64_t kHourNs = int64_t{3600} * 1'000'000'000;
// The middle of a partition near the fake clock's wall time (inside the head's window).
constexpr int64_t kT0 = (time::FakeClock::kDefaultWallNanos / kHourNs) * kHourNs + kHourNs / 2;

class LogQueryExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = logql::testing::OpenTestEngine(&fs_, &clock_, dir_.Path("data"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = std::move(*opened);
  }
  void TearDown() override { EXPECT_TRUE(engine_->Close().ok()); }

  // Pushes (ts offset from kT0, line) pairs as one stream {job=<job>}.
  void Push(const std::string& job, const std::vector<std::pair<int64_t, std::string>>& lines) {
    ASSERT_TRUE(
        logql::testing::PushLines(*engine_, labels::LabelSet::Of({{"job", job}}), kT0, lines));
  }

  // `prefilter` false clears the plan's scan_literals: no block is skipped after decompression.
  Result<LogQueryResult> Run(const std::string& logql, Direction direction, size_t limit,
                             const Pipeline& pipeline, ExecutorOptions options = {},
                             bool prefilter = true, int64_t interval = 0) {
    auto query = ParseQuery(logql);
    EXPECT_TRUE(query.ok()) << query.status();
    if (!query.ok()) return query.status();
    LogQueryRange range{kT0 - kHourNs / 2, kT0 + kHourNs / 2, direction, limit, interval};
    SILT_ASSIGN_OR_RETURN(LogQueryPlan plan, PlanLogQuery(std::get<LogQuery>(query->node), range));
    if (!prefilter) plan.scan_literals.clear();
    if (options.clock == nullptr) options.clock = &clock_;
    return ExecuteLogQuery(*engine_, "fake", plan, pipeline, options);
  }

  // The result as "labels ts-offset:line" rows, stream by stream.
  static std::vector<std::string> Rows(const LogQueryResult& result) {
    std::vector<std::string> rows;
    for (const LogStream& stream : result.streams) {
      for (const LogEntry& entry : stream.entries) {
        rows.push_back(stream.labels.ToString() + " " + std::to_string(entry.timestamp - kT0) +
                       ":" + entry.line);
      }
    }
    return rows;
  }

  // All entries in merge order, as "ts-offset:line" (one output stream per job keeps the order
  // visible only within a stream, so tests of the merge use a single-label comparison).
  static std::vector<std::string> Lines(const LogQueryResult& result) {
    std::vector<std::string> out;
    for (const LogStream& stream : result.streams) {
      for (const LogEntry& entry : stream.entries) {
        out.push_back(std::to_string(entry.timestamp - kT0) + ":" + entry.line);
      }
    }
    return out;
  }

  TempDir dir_;
  fs::PosixFileSystem fs_;
  time::FakeClock clock_;
  std::unique_ptr<engine::StorageEngine> engine_;
  FakePipeline all_{FakePipelineOptions{}};
};

TEST_F(LogQueryExecutorTest, ForwardReturnsOldestFirstPerStream) {
  Push("a", {{1, "a1"}, {3, "a3"}, {5, "a5"}});
  Push("b", {{2, "b2"}, {4, "b4"}});
  auto result = Run(R"({job=~"a|b"})", Direction::kForward, 100, all_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(*result),
            (std::vector<std::string>{R"({job="a"} 1:a1)", R"({job="a"} 3:a3)", R"({job="a"} 5:a5)",
                                      R"({job="b"} 2:b2)", R"({job="b"} 4:b4)"}));
  EXPECT_EQ(result->stats.entries_returned, 5u);
  EXPECT_EQ(result->stats.lines_processed, 5u);
  EXPECT_EQ(result->stats.streams_selected, 2u);
}

TEST_F(LogQueryExecutorTest, BackwardReturnsNewestFirstPerStream) {
  Push("a", {{1, "a1"}, {3, "a3"}});
  Push("b", {{2, "b2"}, {4, "b4"}});
  auto result = Run(R"({job=~"a|b"})", Direction::kBackward, 100, all_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(*result), (std::vector<std::string>{R"({job="a"} 3:a3)", R"({job="a"} 1:a1)",
                                                     R"({job="b"} 4:b4)", R"({job="b"} 2:b2)"}));
}

TEST_F(LogQueryExecutorTest, LimitKeepsTheFirstEntriesOfTheMergeBackward) {
  Push("a", {{1, "a1"}, {3, "a3"}, {5, "a5"}});
  Push("b", {{2, "b2"}, {4, "b4"}, {6, "b6"}});
  auto result = Run(R"({job=~"a|b"})", Direction::kBackward, 3, all_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(*result), (std::vector<std::string>{R"({job="a"} 5:a5)", R"({job="b"} 6:b6)",
                                                     R"({job="b"} 4:b4)"}));
  EXPECT_EQ(result->stats.entries_returned, 3u);
}

TEST_F(LogQueryExecutorTest, LimitKeepsTheFirstEntriesOfTheMergeForward) {
  Push("a", {{1, "a1"}, {3, "a3"}, {5, "a5"}});
  Push("b", {{2, "b2"}, {4, "b4"}, {6, "b6"}});
  auto result = Run(R"({job=~"a|b"})", Direction::kForward, 4, all_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(*result), (std::vector<std::string>{R"({job="a"} 1:a1)", R"({job="a"} 3:a3)",
                                                     R"({job="b"} 2:b2)", R"({job="b"} 4:b4)"}));
}

TEST_F(LogQueryExecutorTest, IntervalKeepsEntriesAtLeastThatFarApartOverAllStreams) {
  Push("a", {{0, "a0"}, {5, "a5"}, {20, "a20"}});
  Push("b", {{10, "b10"}, {12, "b12"}});
  auto forward = Run(R"({job=~"a|b"})", Direction::kForward, 100, all_, {}, true, 10);
  ASSERT_TRUE(forward.ok()) << forward.status();
  EXPECT_EQ(Rows(*forward), (std::vector<std::string>{R"({job="a"} 0:a0)", R"({job="a"} 20:a20)",
                                                      R"({job="b"} 10:b10)"}));
  EXPECT_EQ(forward->stats.entries_returned, 3u);
  // Backward from a20: b12 is 8 before it, b10 10 before it, a5 5 before b10, a0 10 before it.
  auto backward = Run(R"({job=~"a|b"})", Direction::kBackward, 100, all_, {}, true, 10);
  ASSERT_TRUE(backward.ok()) << backward.status();
  EXPECT_EQ(Rows(*backward), (std::vector<std::string>{R"({job="a"} 20:a20)", R"({job="a"} 0:a0)",
                                                       R"({job="b"} 10:b10)"}));
  // Skipped entries do not use up the limit.
  auto limited = Run(R"({job=~"a|b"})", Direction::kForward, 2, all_, {}, true, 10);
  ASSERT_TRUE(limited.ok()) << limited.status();
  EXPECT_EQ(Rows(*limited), (std::vector<std::string>{R"({job="a"} 0:a0)", R"({job="b"} 10:b10)"}));
}

TEST_F(LogQueryExecutorTest, EqualTimestampsAcrossStreamsGoByLabelsUnderTheLimit) {
  Push("a", {{7, "a7"}});
  Push("b", {{7, "b7"}});
  Push("c", {{7, "c7"}});
  for (Direction direction : {Direction::kForward, Direction::kBackward}) {
    auto result = Run(R"({job=~"a|b|c"})", direction, 2, all_);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(Rows(*result), (std::vector<std::string>{R"({job="a"} 7:a7)", R"({job="b"} 7:b7)"}));
  }
}

TEST_F(LogQueryExecutorTest, EqualTimestampsInOneStreamKeepArrivalOrder) {
  Push("a", {{7, "first"}, {7, "second"}});
  auto forward = Run(R"({job="a"})", Direction::kForward, 10, all_);
  ASSERT_TRUE(forward.ok()) << forward.status();
  EXPECT_EQ(Lines(*forward), (std::vector<std::string>{"7:first", "7:second"}));
  auto backward = Run(R"({job="a"})", Direction::kBackward, 10, all_);
  ASSERT_TRUE(backward.ok()) << backward.status();
  EXPECT_EQ(Lines(*backward), (std::vector<std::string>{"7:second", "7:first"}));
}

TEST_F(LogQueryExecutorTest, ReadsChunkAndHeadDataAsOneSequence) {
  Push("a", {{1, "chunk1"}, {3, "chunk3"}});
  ASSERT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
  Push("a", {{2, "head2"}, {4, "head4"}});
  auto result = Run(R"({job="a"})", Direction::kForward, 10, all_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Lines(*result),
            (std::vector<std::string>{"1:chunk1", "2:head2", "3:chunk3", "4:head4"}));
  EXPECT_EQ(result->stats.chunks_referenced, 1u);
  EXPECT_EQ(result->stats.chunks_read, 1u);
  EXPECT_GE(result->stats.blocks_read, 1u);
}

TEST_F(LogQueryExecutorTest, PipelineDropsEntriesAndTheMergeSkipsThem) {
  Push("a", {{1, "keep 1"}, {2, "drop 2"}, {3, "keep 3"}});
  Push("b", {{4, "drop 4"}, {5, "keep 5"}});
  FakePipeline keep(FakePipelineOptions{.needle = "keep"});
  auto result = Run(R"({job=~"a|b"})", Direction::kBackward, 2, keep);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(*result),
            (std::vector<std::string>{R"({job="a"} 3:keep 3)", R"({job="b"} 5:keep 5)"}));
}

TEST_F(LogQueryExecutorTest, EntriesAreGroupedByTheirOutputLabels) {
  Push("a", {{1, "level=info x"}, {2, "level=error y"}, {3, "level=info z"}});
  FakePipeline levels(FakePipelineOptions{.level_label = true});
  auto result = Run(R"({job="a"})", Direction::kForward, 10, levels);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(*result), (std::vector<std::string>{R"({job="a", level="error"} 2:level=error y)",
                                                     R"({job="a", level="info"} 1:level=info x)",
                                                     R"({job="a", level="info"} 3:level=info z)"}));
}

TEST_F(LogQueryExecutorTest, TooManyOutputStreamsIsAnError) {
  Push("a", {{1, "level=info x"}, {2, "level=error y"}, {3, "level=warn z"}});
  FakePipeline levels(FakePipelineOptions{.level_label = true});
  auto result =
      Run(R"({job="a"})", Direction::kForward, 10, levels, ExecutorOptions{.max_series = 2});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(result.status().message().find("maximum of series (2) reached"), std::string::npos)
      << result.status();
}

TEST_F(LogQueryExecutorTest, LimitOverTheMaximumIsRefused) {
  Push("a", {{1, "x"}});
  auto result =
      Run(R"({job="a"})", Direction::kForward, 11, all_, ExecutorOptions{.max_entries_limit = 10});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("max entries limit per query exceeded"),
            std::string::npos)
      << result.status();
}

TEST_F(LogQueryExecutorTest, TimeoutStopsTheScanWithLokiWording) {
  std::vector<std::pair<int64_t, std::string>> lines;
  for (int i = 0; i < 2000; ++i) lines.emplace_back(i, "no match " + std::to_string(i));
  Push("a", lines);
  int seen = 0;
  // Time passes only while entries are processed: one second per entry, 30s allowed.
  FakePipeline slow(FakePipelineOptions{.needle = "never", .on_entry = [&] {
                                          ++seen;
                                          clock_.Advance(1'000'000'000);
                                        }});
  auto result = Run(R"({job="a"})", Direction::kForward, 10, slow,
                    ExecutorOptions{.timeout_ns = 30'000'000'000});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(result.status().message().find("query timed out after 30s: context deadline exceeded"),
            std::string::npos)
      << result.status();
  EXPECT_LT(seen, 2000);
}

TEST_F(LogQueryExecutorTest, WithoutTimeoutTheSameScanCompletes) {
  std::vector<std::pair<int64_t, std::string>> lines;
  for (int i = 0; i < 2000; ++i) lines.emplace_back(i, "no match " + std::to_string(i));
  Push("a", lines);
  FakePipeline slow(
      FakePipelineOptions{.needle = "never", .on_entry = [&] { clock_.Advance(1'000'000'000); }});
  auto result = Run(R"({job="a"})", Direction::kForward, 10, slow);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->streams.empty());
  EXPECT_EQ(result->stats.lines_processed, 2000u);
}

TEST_F(LogQueryExecutorTest, BloomsSkipBlocksAndResultsStayIdentical) {
  // Two streams of many small blocks; "needle token" lines sit in a few blocks only.
  for (const std::string job : {"a", "b"}) {
    std::vector<std::pair<int64_t, std::string>> lines;
    for (int i = 0; i < 600; ++i) {
      std::string line = "request " + std::to_string(i) + " took " + std::to_string(i % 97) +
                         "ms path=/api/v1/items/" + std::to_string(i * 7) + " padding padding";
      if (i % 200 == 17) line = "the rare needle token here " + job + std::to_string(i);
      lines.emplace_back(i * 10 + (job == "b" ? 5 : 0), line);
    }
    Push(job, lines);
  }
  ASSERT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
  Push("a", {{9999, "the rare needle token in the head"}});
  FakePipeline needle(FakePipelineOptions{.needle = "rare needle token"});
  const std::string logql = R"({job=~"a|b"} |= "rare needle token")";
  for (Direction direction : {Direction::kForward, Direction::kBackward}) {
    auto with = Run(logql, direction, 100, needle);
    auto without = Run(logql, direction, 100, needle, ExecutorOptions{.use_blooms = false},
                       /*prefilter=*/false);
    ASSERT_TRUE(with.ok()) << with.status();
    ASSERT_TRUE(without.ok()) << without.status();
    EXPECT_EQ(Rows(*with), Rows(*without));
    EXPECT_EQ(Rows(*with).size(), 7u);
    EXPECT_GT(with->stats.blocks_skipped_by_bloom, 0u);
    EXPECT_EQ(without->stats.blocks_skipped_by_bloom, 0u);
    EXPECT_LT(with->stats.blocks_read, without->stats.blocks_read);
    EXPECT_LT(with->stats.lines_processed, without->stats.lines_processed);
  }
}

TEST_F(LogQueryExecutorTest, OrChainSkipsOnlyBlocksWithoutAnyAlternative) {
  std::vector<std::pair<int64_t, std::string>> lines;
  for (int i = 0; i < 600; ++i) {
    std::string line = "filler line number " + std::to_string(i) + " with some padding text";
    if (i == 50) line = "x first alt y";
    if (i == 450) line = "x second alt y";
    lines.emplace_back(i, line);
  }
  Push("a", lines);
  ASSERT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
  FakePipeline alt(FakePipelineOptions{.needle = " alt "});
  const std::string logql = R"({job="a"} |= "x first alt" or "x second alt")";
  auto with = Run(logql, Direction::kForward, 100, alt);
  auto without = Run(logql, Direction::kForward, 100, alt, ExecutorOptions{.use_blooms = false});
  ASSERT_TRUE(with.ok()) << with.status();
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ(Lines(*with), (std::vector<std::string>{"50:x first alt y", "450:x second alt y"}));
  EXPECT_EQ(Lines(*with), Lines(*without));
  EXPECT_GT(with->stats.blocks_skipped_by_bloom, 0u);
}

TEST_F(LogQueryExecutorTest, UnknownStreamsGiveAnEmptyResult) {
  Push("a", {{1, "x"}});
  auto result = Run(R"({job="nope"})", Direction::kBackward, 10, all_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->streams.empty());
  EXPECT_EQ(result->stats.streams_selected, 0u);
}

// Memory budget (query_memory.h). 40 streams in chunk files, each ~12 KiB of lines in 4 KiB
// blocks: the merge keeps one decompressed block per stream at once.
class LogQueryMemoryTest : public LogQueryExecutorTest {
 protected:
  static constexpr int kStreams = 40;

  void PushManyStreamsAndFlush() {
    for (int s = 0; s < kStreams; ++s) {
      std::vector<std::pair<int64_t, std::string>> lines;
      for (int i = 0; i < 120; ++i) {
        lines.emplace_back(i * 1000 + s, "stream " + std::to_string(s) + " entry " +
                                             std::to_string(i) + " " + std::string(80, 'x'));
      }
      Push("s" + std::to_string(100 + s), lines);
    }
    ASSERT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
  }
};

TEST_F(LogQueryMemoryTest, ManyStreamsOverASmallBudgetFailWithTheMessage) {
  PushManyStreamsAndFlush();
  QueryMemory memory(64 * 1024);
  auto result =
      Run(R"({job=~"s.*"})", Direction::kForward, 100, all_, ExecutorOptions{.memory = &memory});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(result.status().message().starts_with(
      "query would use more than 64KiB of memory (decompressed blocks "))
      << result.status();
  EXPECT_NE(result.status().message().find("or raise max_query_memory_bytes"), std::string::npos)
      << result.status();
  // Everything charged was given back on the way out.
  EXPECT_EQ(memory.used(), 0u);
  EXPECT_GT(memory.peak(), 0u);
}

TEST_F(LogQueryMemoryTest, OptionNameFromTheCallerIsQuoted) {
  PushManyStreamsAndFlush();
  auto result = Run(R"({job=~"s.*"})", Direction::kBackward, 100, all_,
                    ExecutorOptions{.max_query_memory_bytes = 64 * 1024,
                                    .max_query_memory_name = "--max-query-memory"});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("or raise --max-query-memory"), std::string::npos)
      << result.status();
}

TEST_F(LogQueryMemoryTest, LargeBudgetGivesTheSameResultAsNone) {
  PushManyStreamsAndFlush();
  QueryMemory memory(64 * 1024 * 1024);
  auto budgeted =
      Run(R"({job=~"s.*"})", Direction::kForward, 1000, all_, ExecutorOptions{.memory = &memory});
  auto unlimited = Run(R"({job=~"s.*"})", Direction::kForward, 1000, all_,
                       ExecutorOptions{.max_query_memory_bytes = 0});
  ASSERT_TRUE(budgeted.ok()) << budgeted.status();
  ASSERT_TRUE(unlimited.ok()) << unlimited.status();
  EXPECT_EQ(Rows(*budgeted), Rows(*unlimited));
  EXPECT_EQ(Rows(*budgeted).size(), 1000u);
  // Every stream's cursor held a block at once (at least the 4 KiB target each), and the
  // accounting is back to zero after the query.
  EXPECT_GE(memory.peak(), kStreams * size_t{4096});
  EXPECT_EQ(budgeted->stats.peak_memory_bytes, memory.peak());
  EXPECT_EQ(memory.used(), 0u);
  EXPECT_EQ(memory.used(MemoryUse::kBlocks), 0u);
  EXPECT_EQ(memory.used(MemoryUse::kEntries), 0u);
}

TEST_F(LogQueryMemoryTest, CollectedEntriesAreCharged) {
  // Head data only (no blocks are decompressed): the kept lines are what the query holds.
  std::vector<std::pair<int64_t, std::string>> lines;
  for (int i = 0; i < 100; ++i) lines.emplace_back(i, std::string(1000, 'a' + i % 26));
  Push("big", lines);
  auto result = Run(R"({job="big"})", Direction::kForward, 100, all_,
                    ExecutorOptions{.max_query_memory_bytes = 50 * 1024});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(result.status().message().find("(result entries 50KiB)"), std::string::npos)
      << result.status();
  auto fits = Run(R"({job="big"})", Direction::kForward, 40, all_,
                  ExecutorOptions{.max_query_memory_bytes = 50 * 1024});
  ASSERT_TRUE(fits.ok()) << fits.status();
  EXPECT_GE(fits->stats.peak_memory_bytes, 40 * size_t{1000});
}

}  // namespace
}  // namespace silt::logql::exec
