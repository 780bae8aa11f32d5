// The literal prefilter: PlanLogQuery's scan_literals and the after_decompress hook of
// MakeBlockFilter, which skips a decompressed block whose bytes hold no literal of some `|=`
// group (before its entries are parsed). Exact: results equal a run with no skipping at all.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/exec/query_plan.h"
#include "aggregator/logql/query.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/logql/exec/table_data.h"

namespace silt::logql::exec {
namespace {

using Groups = std::vector<std::vector<std::string>>;
using store::Direction;
using TempDir = silt::testing::TempDir;

constexpr int64_t kHourNs = int64_t{3600} * 1'000'000'000;
constexpr int64_t kT0 = (time::FakeClock::kDefaultWallNanos / kHourNs) * kHourNs + kHourNs / 2;

LogQuery ParseLog(const std::string& logql) {
  auto query = ParseQuery(logql);
  EXPECT_TRUE(query.ok()) << query.status();
  return query.ok() ? std::get<LogQuery>(query->node) : LogQuery{};
}

Groups ScanLiterals(const std::string& logql) {
  auto plan = PlanLogQuery(ParseLog(logql), {0, 100});
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? plan->scan_literals : Groups{};
}

TEST(BlockPrefilterPlanTest, EveryContainsFilterIsAGroupEvenWithoutABloomToken) {
  EXPECT_EQ(ScanLiterals(R"({a="b"} |= "level=error")"), (Groups{{"level=error"}}));
  EXPECT_EQ(ScanLiterals(R"({a="b"} |= "x" or "yz" | json |= "w")"), (Groups{{"x", "yz"}, {"w"}}));
}

TEST(BlockPrefilterPlanTest, OtherFiltersAndEmptyOrIpAlternativesGiveNoGroup) {
  EXPECT_EQ(ScanLiterals(R"({a="b"} != "x" |~ "x" |> "<_> x" |= ip("10.0.0.0/8"))"), Groups{});
  EXPECT_EQ(ScanLiterals(R"({a="b"} |= "x" or "")"), Groups{});
  EXPECT_EQ(ScanLiterals(R"({a="b"} |= "x" | line_format "{{.a}}" |= "y")"), (Groups{{"x"}}));
  EXPECT_EQ(ScanLiterals(R"({a="b"} | decolorize |= "y")"), Groups{});
}

TEST(BlockPrefilterPlanTest, HookSkipsBytesMissingAGroupAndCountsASkip) {
  auto plan = PlanLogQuery(ParseLog(R"({a="b"} |= "foo" or "bar" |= "baz")"), {0, 100});
  ASSERT_TRUE(plan.ok()) << plan.status();
  BlockCounters counters;
  const QueryDeadline no_deadline;
  engine::BlockFilter filter = MakeBlockFilter(*plan, /*use_blooms=*/false, no_deadline, &counters);
  ASSERT_TRUE(filter.before_read);
  ASSERT_TRUE(filter.after_decompress);
  counters.blocks_read = 4;  // as if before_read let four blocks through
  EXPECT_TRUE(filter.after_decompress("..foo..baz.."));
  EXPECT_TRUE(filter.after_decompress("baz then bar"));
  EXPECT_FALSE(filter.after_decompress("foo and bar but no b-a-z"));
  EXPECT_FALSE(filter.after_decompress("only baz"));
  EXPECT_EQ(counters.blocks_read, 2u);
  EXPECT_EQ(counters.blocks_skipped, 2u);
}

TEST(BlockPrefilterPlanTest, NoHookWithoutContainsFilters) {
  auto plan = PlanLogQuery(ParseLog(R"({a="b"} |~ "foo")"), {0, 100});
  ASSERT_TRUE(plan.ok()) << plan.status();
  BlockCounters counters;
  const QueryDeadline no_deadline;
  EXPECT_FALSE(MakeBlockFilter(*plan, true, no_deadline, &counters).after_decompress);
}

class BlockPrefilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = logql::testing::OpenTestEngine(&fs_, &clock_, dir_.Path("data"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = std::move(*opened);
  }
  void TearDown() override { EXPECT_TRUE(engine_->Close().ok()); }

  // Pushes (ts offset from kT0, line) pairs as {job="app"} and flushes them to a chunk file.
  void PushAndFlush(const std::vector<std::pair<int64_t, std::string>>& lines) {
    ASSERT_TRUE(
        logql::testing::PushLines(*engine_, labels::LabelSet::Of({{"job", "app"}}), kT0, lines));
    ASSERT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
  }

  // Runs `query` twice: as planned (prefilter on) and with no skipping at all (blooms off, no
  // scan literals); expects the same rows and returns the prefiltered run.
  LogQueryResult RunBothWays(const LogQuery& query) {
    LogQueryRange range{kT0 - kHourNs / 2, kT0 + kHourNs / 2, Direction::kForward, 5000};
    auto plan = PlanLogQuery(query, range);
    EXPECT_TRUE(plan.ok()) << plan.status();
    auto pipeline = Pipeline::Compile(query.pipeline);
    EXPECT_TRUE(pipeline.ok()) << pipeline.status();
    if (!plan.ok() || !pipeline.ok()) return {};
    LogQueryPlan reference_plan = *plan;
    reference_plan.scan_literals.clear();
    auto with = ExecuteLogQuery(*engine_, "fake", *plan, **pipeline, {.use_blooms = false});
    auto without =
        ExecuteLogQuery(*engine_, "fake", reference_plan, **pipeline, {.use_blooms = false});
    EXPECT_TRUE(with.ok()) << with.status();
    EXPECT_TRUE(without.ok()) << without.status();
    if (!with.ok() || !without.ok()) return {};
    EXPECT_EQ(Rows(*with), Rows(*without));
    EXPECT_EQ(without->stats.blocks_skipped_by_bloom, 0u);
    EXPECT_EQ(with->stats.blocks_read + with->stats.blocks_skipped_by_bloom,
              without->stats.blocks_read);
    return std::move(*with);
  }

  static std::vector<std::string> Rows(const LogQueryResult& result) {
    std::vector<std::string> rows;
    for (const LogStream& stream : result.streams) {
      for (const LogEntry& entry : stream.entries) {
        rows.push_back(std::to_string(entry.timestamp - kT0) + ":" + entry.line);
      }
    }
    return rows;
  }

  // `count` lines of ~200 bytes (20 per 4 KiB block), line i holding `word(i)`.
  template <typename Word>
  static std::vector<std::pair<int64_t, std::string>> Lines(int count, Word word) {
    std::vector<std::pair<int64_t, std::string>> lines;
    for (int i = 0; i < count; ++i) {
      lines.emplace_back(i,
                         "line " + std::to_string(i) + " " + word(i) + " " + std::string(180, 'x'));
    }
    return lines;
  }

  TempDir dir_;
  fs::PosixFileSystem fs_;
  time::FakeClock clock_;
  std::unique_ptr<engine::StorageEngine> engine_;
};

TEST_F(BlockPrefilterTest, BlockWithoutTheLiteralIsSkippedAndCounted) {
  // Only lines 0..9 (the first block) say "needle".
  PushAndFlush(Lines(200, [](int i) { return std::string(i < 10 ? "needle" : "hay"); }));
  LogQueryResult result = RunBothWays(ParseLog(R"({job="app"} |= "needle")"));
  EXPECT_EQ(result.streams.size(), 1u);
  EXPECT_EQ(Rows(result).size(), 10u);
  EXPECT_EQ(result.stats.blocks_read, 1u);  // the block holding the lines: parsed
  EXPECT_GT(result.stats.blocks_skipped_by_bloom, 5u);
}

TEST_F(BlockPrefilterTest, BlockWithTheLiteralIsParsedAndFiltered) {
  PushAndFlush(Lines(100, [](int i) { return std::string(i % 7 == 0 ? "needle" : "hay"); }));
  LogQueryResult result = RunBothWays(ParseLog(R"({job="app"} |= "needle")"));
  EXPECT_EQ(Rows(result).size(), 15u);  // 0, 7, ..., 98
  EXPECT_EQ(result.stats.blocks_skipped_by_bloom, 0u);
}

TEST_F(BlockPrefilterTest, OrAlternativesKeepBlocksHoldingEither) {
  PushAndFlush(Lines(300, [](int i) {
    return std::string(i < 20 ? "alpha" : i >= 280 ? "omega" : "hay");
  }));
  LogQueryResult result = RunBothWays(ParseLog(R"({job="app"} |= "alpha" or "omega")"));
  EXPECT_EQ(Rows(result).size(), 40u);
  EXPECT_GT(result.stats.blocks_skipped_by_bloom, 5u);
  LogQueryResult both = RunBothWays(ParseLog(R"({job="app"} |= "alpha" |= "line 1")"));
  EXPECT_EQ(Rows(both).size(), 11u);  // 1, 10..19
}

TEST_F(BlockPrefilterTest, LiteralSpanningTwoEntriesParsesTheBlockAndMatchesNothing) {
  // A block's lines are stored back to back: ..."tail" "head-line!"... The literal below is in
  // the block's line bytes, across two lines, but in no line.
  PushAndFlush({{0, "first line ends with tail"}, {0, "head-line!"}, {1, "unrelated"}});
  LogQueryResult result = RunBothWays(ParseLog(R"({job="app"} |= "tailhead")"));
  EXPECT_TRUE(result.streams.empty());
  EXPECT_EQ(result.stats.blocks_read, 1u);  // found in the bytes: parsed, not skipped
  EXPECT_EQ(result.stats.blocks_skipped_by_bloom, 0u);
}

TEST_F(BlockPrefilterTest, HeadEntriesAreNeverPrefiltered) {
  PushAndFlush(Lines(60, [](int) { return std::string("hay"); }));
  engine::PushRequest request;
  request.tenant = "fake";
  request.streams.push_back({labels::LabelSet::Of({{"job", "app"}}), {{kT0 + 100, "needle", {}}}});
  ASSERT_TRUE(engine_->PushSync(std::move(request)).ok());
  LogQueryResult result = RunBothWays(ParseLog(R"({job="app"} |= "needle")"));
  EXPECT_EQ(Rows(result), (std::vector<std::string>{"100:needle"}));
  EXPECT_GT(result.stats.blocks_skipped_by_bloom, 0u);
}

}  // namespace
}  // namespace silt::logql::exec
