// ExecuteMetricQuery (metric_query_executor.h) on a real engine: the timeout inside the loops,
// statistics, and the JSON of each result type.
#include "aggregator/logql/metric/metric_query_executor.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "aggregator/logql/exec/query_memory.h"
#include "aggregator/logql/query.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/runaway_clock.h"
#include "tests/support/temp_dir.h"

namespace silt::logql::metric {
namespace {

constexpr int64_t kS = 1'000'000'000;
constexpr int64_t kBase = time::FakeClock::kDefaultWallNanos / kS * kS;

class MetricQueryExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::EngineOptions options;
    options.fs = &fs_;
    options.clock = &clock_;
    options.data_dir = dir_.Path("data");
    options.background_flush = false;
    auto opened = engine::StorageEngine::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = std::move(*opened);
    engine::PushRequest request;
    request.tenant = "fake";
    engine::PushStream stream{labels::LabelSet::Of({{"job", "a"}}), {}};
    for (int i = 1; i <= 600; ++i) stream.entries.push_back({kBase - i * kS, "line", {}});
    std::reverse(stream.entries.begin(), stream.entries.end());
    request.streams.push_back(std::move(stream));
    auto outcome = engine_->PushSync(std::move(request));
    ASSERT_TRUE(outcome.ok()) << outcome.status();
  }
  void TearDown() override { EXPECT_TRUE(engine_->Close().ok()); }

  Result<MetricQueryResult> Run(const std::string& text, const MetricQueryParams& params,
                                const MetricExecutorOptions& options) {
    SILT_ASSIGN_OR_RETURN(Query query, ParseQuery(text));
    return ExecuteMetricQuery(*engine_, "fake", std::get<MetricExpr>(query.node), params, options);
  }

  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  time::FakeClock clock_;
  std::unique_ptr<engine::StorageEngine> engine_;
};

TEST_F(MetricQueryExecutorTest, TimeoutStopsTheQuery) {
  silt::testing::RunawayClock runaway;
  MetricExecutorOptions options;
  options.clock = &runaway;
  // The clock passes the deadline at its fifth reading: the cursor's second check, 257 entries
  // into the stream, must see it.
  options.timeout_ns = 3 * kS;
  Result<MetricQueryResult> result =
      Run(R"(count_over_time({job="a"}[10m]))", {kBase - 60 * kS, kBase, kS, false}, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(result.status().message().find("query timed out after 3s"), std::string::npos)
      << result.status();
}

TEST_F(MetricQueryExecutorTest, StatsCountEntriesReadOnce) {
  MetricExecutorOptions options;
  options.clock = &clock_;
  // 61 steps over windows of 5 minutes: every entry is read once, not once per step.
  Result<MetricQueryResult> result =
      Run(R"(count_over_time({job="a"}[5m]))", {kBase - 60 * kS, kBase, kS, false}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->stats.lines_processed, 359u);  // (base - 360s, base]
  EXPECT_EQ(result->stats.streams_selected, 1u);
  ASSERT_EQ(result->matrix.size(), 1u);
  EXPECT_EQ(result->matrix[0].points.size(), 61u);
  EXPECT_EQ(result->matrix[0].points.front().value, 300);
  EXPECT_EQ(result->matrix[0].points.back().value, 299);
}

TEST_F(MetricQueryExecutorTest, EachResultTypeHasLokisJson) {
  MetricExecutorOptions options;
  Result<MetricQueryResult> matrix = Run(R"(count_over_time({job="a"}[2s]))",
                                         {kBase - 2 * kS, kBase - kS, kS / 2, false}, options);
  ASSERT_TRUE(matrix.ok()) << matrix.status();
  const std::string seconds = std::to_string(kBase / kS);
  const std::string before = std::to_string(kBase / kS - 2);
  EXPECT_TRUE(EncodeMetricResponse(*matrix).starts_with(
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},"values":[[)" +
      before + R"(,"2"],[)" + before + R"(.500,"2"],[)" + std::to_string(kBase / kS - 1) +
      R"(,"2"]]}],"stats":{"summary")"));
  Result<MetricQueryResult> vector =
      Run(R"(count_over_time({job="a"}[2s]) / 3)", {0, kBase, 0, true}, options);
  ASSERT_TRUE(vector.ok()) << vector.status();
  EXPECT_TRUE(EncodeMetricResponse(*vector).starts_with(
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[)" +
      seconds + R"(,"0.3333333333333333"]}],"stats":{)"));
  Result<MetricQueryResult> scalar = Run("1 / 0", {0, kBase, 0, true}, options);
  ASSERT_TRUE(scalar.ok()) << scalar.status();
  EXPECT_TRUE(EncodeMetricResponse(*scalar).starts_with(
      R"({"status":"success","data":{"resultType":"scalar","result":[)" + seconds +
      R"(,"+Inf"],"stats":{)"));
}

TEST_F(MetricQueryExecutorTest, SamplesOverTheBudgetFailTheQuery) {
  exec::QueryMemory memory(4096);
  MetricExecutorOptions options;
  options.memory = &memory;
  // 600 samples of 16 bytes are buffered for the 10m windows: more than 4 KiB.
  Result<MetricQueryResult> result =
      Run(R"(count_over_time({job="a"}[10m]))", {kBase - 60 * kS, kBase, kS, false}, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(result.status().message().starts_with("query would use more than 4KiB of memory ("))
      << result.status();
  EXPECT_NE(result.status().message().find("samples 4KiB"), std::string::npos) << result.status();
  EXPECT_NE(result.status().message().find("or raise max_query_memory_bytes"), std::string::npos)
      << result.status();
  EXPECT_EQ(memory.used(), 0u);
}

TEST_F(MetricQueryExecutorTest, LargeBudgetGivesTheSameResultAndGivesEverythingBack) {
  const std::string query = R"(sum by (job) (count_over_time({job="a"}[5m])))";
  const MetricQueryParams params{kBase - 60 * kS, kBase, kS, false};
  exec::QueryMemory memory(64 * 1024 * 1024);
  MetricExecutorOptions budgeted;
  budgeted.memory = &memory;
  MetricExecutorOptions unlimited;
  unlimited.max_query_memory_bytes = 0;
  Result<MetricQueryResult> with = Run(query, params, budgeted);
  Result<MetricQueryResult> without = Run(query, params, unlimited);
  ASSERT_TRUE(with.ok()) << with.status();
  ASSERT_TRUE(without.ok()) << without.status();
  ASSERT_EQ(with->matrix.size(), without->matrix.size());
  for (size_t i = 0; i < with->matrix.size(); ++i) {
    EXPECT_EQ(with->matrix[i].labels, without->matrix[i].labels);
    ASSERT_EQ(with->matrix[i].points.size(), without->matrix[i].points.size());
    for (size_t j = 0; j < with->matrix[i].points.size(); ++j) {
      EXPECT_EQ(with->matrix[i].points[j].timestamp_ns, without->matrix[i].points[j].timestamp_ns);
      EXPECT_EQ(with->matrix[i].points[j].value, without->matrix[i].points[j].value);
    }
  }
  ASSERT_EQ(with->matrix.size(), 1u);
  EXPECT_EQ(with->matrix[0].points.size(), 61u);
  // The 359 buffered samples were held at once; nothing stays charged after the query.
  EXPECT_GE(memory.peak(), 359 * sizeof(int64_t) * 2);
  EXPECT_EQ(with->stats.peak_memory_bytes, memory.peak());
  EXPECT_EQ(memory.used(), 0u);
}

// Range aggregations over many ranges are read in slices, and a slice whose samples do not fit
// is halved: both give exactly what one unlimited read gives.
TEST_F(MetricQueryExecutorTest, SlicedReadsGiveTheSameResultAsOneRead) {
  const MetricQueryParams params{kBase - 599 * kS, kBase, 7 * kS, false};
  MetricExecutorOptions unlimited;
  unlimited.max_query_memory_bytes = 0;
  // 600 samples of 16 bytes (9.6 KB) do not fit 6 KiB at once; [20s] windows at steps of 7s
  // fit in pieces.
  exec::QueryMemory memory(6 * 1024);
  MetricExecutorOptions budgeted;
  budgeted.memory = &memory;
  for (const std::string query :
       {R"(count_over_time({job="a"}[20s]))", R"(rate({job="a"}[1m]))",
        R"(quantile_over_time(0.5, {job="a"} | label_format v="1" | unwrap v [30s]))",
        R"(absent_over_time({job="a"}[2s]))"}) {
    SCOPED_TRACE(query);
    Result<MetricQueryResult> without = Run(query, params, unlimited);
    Result<MetricQueryResult> with = Run(query, params, budgeted);
    ASSERT_TRUE(without.ok()) << without.status();
    ASSERT_TRUE(with.ok()) << with.status();
    ASSERT_EQ(with->matrix.size(), without->matrix.size());
    for (size_t i = 0; i < with->matrix.size(); ++i) {
      EXPECT_EQ(with->matrix[i].labels, without->matrix[i].labels);
      ASSERT_EQ(with->matrix[i].points.size(), without->matrix[i].points.size());
      for (size_t j = 0; j < with->matrix[i].points.size(); ++j) {
        EXPECT_EQ(with->matrix[i].points[j].timestamp_ns,
                  without->matrix[i].points[j].timestamp_ns);
        EXPECT_EQ(with->matrix[i].points[j].value, without->matrix[i].points[j].value);
      }
    }
    EXPECT_EQ(with->stats.streams_selected, 1u);
    EXPECT_LT(memory.peak(), 6u * 1024);
    EXPECT_EQ(memory.used(), 0u);
  }
}

TEST_F(MetricQueryExecutorTest, StepVectorsOverTheBudgetFailTheQuery) {
  MetricExecutorOptions options;
  options.max_query_memory_bytes = 64 * 1024;
  options.max_query_memory_name = "--max-query-memory";
  // 10,000 steps of one sample: no storage read, but ~400 KiB of step vectors.
  Result<MetricQueryResult> result =
      Run("vector(1)", {kBase - 9999 * kS, kBase, kS, false}, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(result.status().message().find("(step vectors and groups "), std::string::npos)
      << result.status();
  EXPECT_NE(result.status().message().find("or raise --max-query-memory"), std::string::npos)
      << result.status();
  options.max_query_memory_bytes = 0;
  EXPECT_TRUE(Run("vector(1)", {kBase - 9999 * kS, kBase, kS, false}, options).ok());
}

}  // namespace
}  // namespace silt::logql::metric
