// Entries passed over inside chunk blocks by the `|=` literals (engine::BlockFilter::
// required_line_literals, set by MakeBlockFilter): results and read counts (lines and bytes
// processed, structured metadata included) must equal a run without any skipping, in both
// directions, with limits, with ranges that cut blocks, and with head data after the chunks.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "aggregator/logql/query.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/runaway_clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/logql/exec/table_data.h"

namespace silt::logql::exec {
namespace {

using store::Direction;

constexpr int64_t kHourNs = int64_t{3600} * 1'000'000'000;
constexpr int64_t kT0 = (time::FakeClock::kDefaultWallNanos / kHourNs) * kHourNs + kHourNs / 2;
constexpr int kLines = 900;
constexpr int64_t kSecond = 1'000'000'000;

class LineSkipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = logql::testing::OpenTestEngine(&fs_, &clock_, dir_.Path("data"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = std::move(*opened);
    // Two streams of many 4 KiB blocks; every 7th line holds "level=error", some lines carry
    // it only in their structured metadata, every 5th line has metadata at all.
    for (const std::string job : {"a", "b"}) {
      Push(job, 0, kLines);
    }
    ASSERT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
    Push("a", kLines, 40);  // stays in the head
  }
  void TearDown() override { EXPECT_TRUE(engine_->Close().ok()); }

  // Lines [first, first + count) of stream {job=<job>}, one second apart.
  void Push(const std::string& job, int first, int count) {
    const std::string name = "trace";
    std::vector<std::string> lines, values;
    for (int i = first; i < first + count; ++i) {
      lines.push_back("ts=" + std::to_string(i) + " msg=\"request served\" path=/x/" +
                      std::to_string(i % 11) + (i % 7 == 0 ? " level=error" : " level=info"));
      values.push_back(i % 3 == 0 ? "level=error" : "t" + std::to_string(i));
    }
    std::vector<std::vector<labels::LabelView>> metadata(lines.size());
    engine::PushStream stream{labels::LabelSet::Of({{"job", job}}), {}};
    for (size_t k = 0; k < lines.size(); ++k) {
      if ((first + static_cast<int>(k)) % 5 == 0) metadata[k].push_back({name, values[k]});
      const int64_t ts = kT0 + (first + static_cast<int64_t>(k)) * kSecond + (job == "b");
      stream.entries.push_back({ts, lines[k], metadata[k]});
    }
    engine::PushRequest request;
    request.tenant = "fake";
    request.streams.push_back(std::move(stream));
    auto outcome = engine_->PushSync(std::move(request));
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ASSERT_EQ(outcome->rejected, 0u);
  }

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

  // Runs `logql` over [from, through) with and without skipping and compares. `whole_blocks`:
  // the literals are missing from some blocks, which the block prefilter then skips without
  // counting their lines, so only the results are compared.
  void Compare(const std::string& logql, int64_t from, int64_t through, Direction direction,
               size_t limit, bool whole_blocks = false) {
    SCOPED_TRACE(logql + " from " + std::to_string(from) + " through " + std::to_string(through) +
                 (direction == Direction::kForward ? " forward" : " backward") + " limit " +
                 std::to_string(limit));
    auto query = ParseQuery(logql);
    ASSERT_TRUE(query.ok()) << query.status();
    const LogQuery& log = std::get<LogQuery>(query->node);
    auto pipeline = Pipeline::Compile(log.pipeline);
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    auto plan = PlanLogQuery(log, LogQueryRange{kT0 + from, kT0 + through, direction, limit});
    ASSERT_TRUE(plan.ok()) << plan.status();
    ASSERT_FALSE(plan->scan_literals.empty());
    LogQueryPlan plain = *plan;
    plain.scan_literals.clear();
    const ExecutorOptions options{.use_blooms = false, .clock = &clock_};
    auto skipping = ExecuteLogQuery(*engine_, "fake", *plan, **pipeline, options);
    auto reading = ExecuteLogQuery(*engine_, "fake", plain, **pipeline, options);
    ASSERT_TRUE(skipping.ok()) << skipping.status();
    ASSERT_TRUE(reading.ok()) << reading.status();
    EXPECT_EQ(Rows(*skipping), Rows(*reading));
    EXPECT_EQ(skipping->stats.entries_returned, reading->stats.entries_returned);
    returned_ += skipping->stats.entries_returned;
    if (whole_blocks) {
      EXPECT_GT(skipping->stats.blocks_skipped_by_bloom, 0u);
      return;
    }
    EXPECT_EQ(skipping->stats.blocks_read, reading->stats.blocks_read);
    EXPECT_EQ(skipping->stats.lines_processed, reading->stats.lines_processed);
    EXPECT_EQ(skipping->stats.bytes_processed, reading->stats.bytes_processed);
  }

  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  time::FakeClock clock_;
  std::unique_ptr<engine::StorageEngine> engine_;
  uint64_t returned_ = 0;
};

TEST_F(LineSkipTest, SameResultsAndReadCountsAsWithoutSkipping) {
  const std::vector<std::pair<int64_t, int64_t>> ranges = {
      {0, (kLines + 40) * kSecond},              // everything, head included
      {123 * kSecond + 1, 456 * kSecond},        // cuts blocks at both ends, chunks only
      {700 * kSecond, (kLines + 20) * kSecond},  // chunk tail and head start
      {14 * kSecond, 14 * kSecond + 2},          // one line of each stream
  };
  for (const auto& [from, through] : ranges) {
    for (Direction direction : {Direction::kForward, Direction::kBackward}) {
      for (size_t limit : {size_t{1}, size_t{17}, size_t{5000}}) {
        Compare(R"({job=~"a|b"} |= "level=error")", from, through, direction, limit);
        Compare(R"({job="a"} |= "level=error" or "path=/x/3 " |= "served")", from, through,
                direction, limit);
        Compare(R"({job="a"} |= "level=error" | logfmt | path != "/x/4")", from, through, direction,
                limit);
      }
    }
  }
  EXPECT_GT(returned_, 1000u);  // the comparisons saw many matching lines
}

TEST_F(LineSkipTest, LiteralOnlyInMetadataOrAcrossLinesMatchesNothing) {
  // "level=error" sits in the metadata of every 15th line whose text says level=info, and
  // "info\x00" would span a line's end; neither may be returned.
  for (Direction direction : {Direction::kForward, Direction::kBackward}) {
    Compare(R"({job="a"} |= "level=error" |= "level=info")", 0, (kLines + 40) * kSecond, direction,
            5000);
    Compare(R"({job="a"} |= "error ts=")", 0, (kLines + 40) * kSecond, direction, 5000,
            /*whole_blocks=*/true);
  }
  EXPECT_EQ(returned_, 0u);
}

TEST_F(LineSkipTest, DeadlineStopsAWalkThatSkipsEveryBlock) {
  // No line holds the literal: the prefilter skips every chunk block and the cursor never sees
  // an entry, so only the per-block check (BlockFilter::stop) can notice the deadline.
  auto query = ParseQuery(R"({job=~"a|b"} |= "no such text")");
  ASSERT_TRUE(query.ok()) << query.status();
  const LogQuery& log = std::get<LogQuery>(query->node);
  auto pipeline = Pipeline::Compile(log.pipeline);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  auto plan = PlanLogQuery(
      log, LogQueryRange{kT0, kT0 + kLines * kSecond, Direction::kForward, size_t{100}});
  ASSERT_TRUE(plan.ok()) << plan.status();

  auto unlimited = ExecuteLogQuery(*engine_, "fake", *plan, **pipeline,
                                   ExecutorOptions{.use_blooms = false, .clock = &clock_});
  ASSERT_TRUE(unlimited.ok()) << unlimited.status();
  EXPECT_EQ(unlimited->stats.entries_returned, 0u);
  const uint64_t blocks = unlimited->stats.blocks_skipped_by_bloom;
  ASSERT_GE(blocks, 20u);

  // The clock is read a few times before the walk (start, deadline, once per stream opened)
  // and, with the check, once per block: a deadline of blocks / 2 readings passes mid-walk.
  silt::testing::RunawayClock runaway;
  const int64_t timeout_ns = static_cast<int64_t>(blocks / 2) * kSecond;
  auto limited = ExecuteLogQuery(
      *engine_, "fake", *plan, **pipeline,
      ExecutorOptions{.use_blooms = false, .timeout_ns = timeout_ns, .clock = &runaway});
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(limited.status().message().find("query timed out after"), std::string::npos)
      << limited.status();
}

}  // namespace
}  // namespace silt::logql::exec
