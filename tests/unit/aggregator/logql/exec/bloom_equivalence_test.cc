// Blooms on and off give identical results (issue 6 acceptance): 1,000 generated log queries -
// random selectors, line filters (phrases, `or` chains, absent and partial words, regexes,
// negations), parsers, label filters and line_format before or after the filters, both
// directions, random limits and ranges - each run with block skipping and without, over chunk
// files of many small blocks plus head data. Words are clustered in time, so blooms do skip.
// A third run per query has blooms off but the literal prefilter on (query_plan.h
// scan_literals); the reference run has neither.

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/query.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/logql/exec/table_data.h"

namespace silt::logql::exec {
namespace {

using store::Direction;
using TempDir = silt::testing::TempDir;

constexpr int64_t kHourNs = int64_t{3600} * 1'000'000'000;
constexpr int64_t kBase = (time::FakeClock::kDefaultWallNanos / kHourNs) * kHourNs + kHourNs / 4;
constexpr int kQueries = 1000;
constexpr int kLinesPerStream = 700;  // in chunk files; 60 more stay in the head

const std::vector<std::string> kApps = {"api", "web", "db", "cache"};
const std::vector<std::string> kEnvs = {"prod", "dev"};
const std::vector<std::string> kLevels = {"info", "warn", "error", "debug"};
// A segment of 40 lines talks about one topic: its words are in few blocks.
const std::vector<std::string> kTopics = {
    "disk full",       "connection reset", "cache miss storm", "slow query plan",
    "token expired",   "payment declined", "queue backlog",    "retry budget spent",
    "certificate due", "shard rebalanced", "leader elected",   "snapshot written"};
const std::vector<std::string> kAbsent = {"zebra crossing", "quantum flux", "nowhere"};

class BloomEquivalenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = logql::testing::OpenTestEngine(&fs_, &clock_, dir_.Path("data"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = std::move(*opened);
    std::mt19937_64 rng(7);
    PushAll(rng, 0, kLinesPerStream);
    ASSERT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
    PushAll(rng, kLinesPerStream, kLinesPerStream + 60);
  }
  void TearDown() override { EXPECT_TRUE(engine_->Close().ok()); }

  void PushAll(std::mt19937_64& rng, int first, int end) {
    std::deque<std::string> texts;  // PushEntry::line views them; a deque never moves them
    engine::PushRequest request;
    request.tenant = "fake";
    for (size_t a = 0; a < kApps.size(); ++a) {
      for (size_t e = 0; e < kEnvs.size(); ++e) {
        engine::PushStream stream{labels::LabelSet::Of({{"app", kApps[a]}, {"env", kEnvs[e]}}), {}};
        for (int i = first; i < end; ++i) {
          const std::string& topic = kTopics[(i / 40 + a * 3 + e) % kTopics.size()];
          std::string line = "level=" + kLevels[rng() % kLevels.size()] + " msg=\"" + topic + " #" +
                             std::to_string(i) + "\" user=u" + std::to_string(rng() % 50) +
                             " took=" + std::to_string(rng() % 900) + "ms";
          // Equal timestamps now and then, across and within streams.
          const int64_t ts = kBase + int64_t{i} * 1'000'000'000 + static_cast<int64_t>(a % 2);
          texts.push_back(std::move(line));
          stream.entries.push_back({ts, texts.back(), {}});
        }
        request.streams.push_back(std::move(stream));
      }
    }
    auto outcome = engine_->PushSync(std::move(request));
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ASSERT_EQ(outcome->rejected, 0u);
  }

  TempDir dir_;
  fs::PosixFileSystem fs_;
  time::FakeClock clock_;
  std::unique_ptr<engine::StorageEngine> engine_;
};

// Random query text from the vocabulary above (every query parses).
class QueryGenerator {
 public:
  explicit QueryGenerator(uint64_t seed) : rng_(seed) {}

  std::string Next() {
    std::string q = Selector();
    const int stages = 1 + static_cast<int>(rng_() % 2);
    for (int i = 0; i < stages; ++i) q += Stage();
    return q;
  }
  uint64_t Below(uint64_t n) { return rng_() % n; }

 private:
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[rng_() % v.size()];
  }

  std::string Selector() {
    switch (rng_() % 4) {
      case 0:
        return "{app=\"" + Pick(kApps) + "\"}";
      case 1:
        return "{app=~\"" + Pick(kApps) + "|" + Pick(kApps) + "\"}";
      case 2:
        return "{env=\"" + Pick(kEnvs) + "\"}";
      default:
        return "{app!=\"" + Pick(kApps) + "\", env=~\"p.*|d.*\"}";
    }
  }
  // A literal that may be present in whole, in part, across words, or not at all.
  std::string Literal() {
    const std::string& topic = Pick(kTopics);
    switch (rng_() % 6) {
      case 0:
        return topic;
      case 1:
        return topic.substr(0, topic.find(' '));  // first word
      case 2:
        return topic.substr(topic.find(' ') > 2 ? 2 : 0);  // starts mid-word
      case 3:
        return Pick(kAbsent);
      case 4:
        return topic + " #" + std::to_string(rng_() % 800);  // one line
      default:
        return "level=" + Pick(kLevels);
    }
  }
  std::string Stage() {
    switch (rng_() % 9) {
      case 0:
      case 1:
      case 2:
        return " |= \"" + Literal() + "\"";
      case 3:
        return " |= \"" + Literal() + "\" or \"" + Literal() + "\"";
      case 4:
        return " != \"" + Literal() + "\"";
      case 5:
        return " |~ \"" + Pick(kTopics).substr(0, 4) + "|" + Pick(kAbsent) + "\"";
      case 6:
        return " | logfmt | level=\"" + Pick(kLevels) + "\"";
      case 7:
        return " | line_format \"{{.app}} " + Pick(kTopics) + "\"";
      default:
        return " |= \"" + Literal() + "\" |= \"" + Literal() + "\"";
    }
  }

  std::mt19937_64 rng_;
};

std::vector<std::string> Rows(const LogQueryResult& result) {
  std::vector<std::string> rows;
  for (const LogStream& stream : result.streams) {
    for (const LogEntry& entry : stream.entries) {
      rows.push_back(stream.labels.ToString() + " " + std::to_string(entry.timestamp - kBase) +
                     " " + entry.line);
    }
  }
  return rows;
}

TEST_F(BloomEquivalenceTest, ResultsAreIdenticalWithBloomsOnAndOff) {
  QueryGenerator gen(2026);
  const std::vector<size_t> limits = {1, 7, 100, 1000, 5000};
  uint64_t skipped = 0;
  uint64_t prefilter_skipped = 0;
  uint64_t non_empty = 0;
  for (int n = 0; n < kQueries; ++n) {
    const std::string text = gen.Next();
    SCOPED_TRACE("query " + std::to_string(n) + ": " + text);
    auto query = ParseQuery(text);
    ASSERT_TRUE(query.ok()) << query.status();
    const LogQuery& log = std::get<LogQuery>(query->node);
    auto pipeline = Pipeline::Compile(log.pipeline);
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    const int64_t span = int64_t{kLinesPerStream + 60} * 1'000'000'000;
    const int64_t from = kBase + static_cast<int64_t>(gen.Below(3)) * span / 4;
    const int64_t through = from + span / 4 + static_cast<int64_t>(gen.Below(4)) * span / 4;
    LogQueryRange range{from, through,
                        gen.Below(2) == 0 ? Direction::kForward : Direction::kBackward,
                        limits[gen.Below(limits.size())]};
    auto plan = PlanLogQuery(log, range);
    ASSERT_TRUE(plan.ok()) << plan.status();
    auto with = ExecuteLogQuery(*engine_, "fake", *plan, **pipeline,
                                ExecutorOptions{.use_blooms = true, .clock = &clock_});
    // The literal prefilter alone (blooms off), and no skipping at all (no scan literals).
    auto prefiltered = ExecuteLogQuery(*engine_, "fake", *plan, **pipeline,
                                       ExecutorOptions{.use_blooms = false, .clock = &clock_});
    LogQueryPlan unfiltered = *plan;
    unfiltered.scan_literals.clear();
    auto without = ExecuteLogQuery(*engine_, "fake", unfiltered, **pipeline,
                                   ExecutorOptions{.use_blooms = false, .clock = &clock_});
    ASSERT_TRUE(with.ok()) << with.status();
    ASSERT_TRUE(prefiltered.ok()) << prefiltered.status();
    ASSERT_TRUE(without.ok()) << without.status();
    ASSERT_EQ(Rows(*with), Rows(*without));
    ASSERT_EQ(Rows(*prefiltered), Rows(*without));
    EXPECT_EQ(without->stats.blocks_skipped_by_bloom, 0u);
    skipped += with->stats.blocks_skipped_by_bloom;
    prefilter_skipped += prefiltered->stats.blocks_skipped_by_bloom;
    if (!with->streams.empty()) ++non_empty;
  }
  // The comparison means something only if blooms did skip and queries did find lines.
  EXPECT_GT(skipped, 1000u);
  EXPECT_GT(prefilter_skipped, 1000u);
  EXPECT_GT(non_empty, static_cast<uint64_t>(kQueries) / 10);
}

}  // namespace
}  // namespace silt::logql::exec
