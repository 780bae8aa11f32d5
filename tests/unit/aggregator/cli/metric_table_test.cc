#include "aggregator/cli/metric_table.h"

#include <gtest/gtest.h>

namespace silt::cli {
namespace {

constexpr int64_t kS = 1'000'000'000;

QueryResult Matrix() {
  QueryResult result;
  result.type = ResultType::kMatrix;
  result.series.push_back(
      {{{"job", "api"}, {"level", "info"}}, {{1765000000 * kS, "2"}, {1765000010 * kS, "0.5"}}});
  result.series.push_back({{{"job", "database"}}, {{1765000000 * kS, "+Inf"}}});
  return result;
}

TEST(MetricTableTest, MatrixIsAnAlignedTableWithALabelColumnPerName) {
  std::string out;
  AppendMetricResult(Matrix(), OutputMode::kDefault, &out);
  EXPECT_EQ(out,
            "job       level  TIME                  VALUE\n"
            "api       info   2025-12-06T05:46:40Z  2\n"
            "api       info   2025-12-06T05:46:50Z  0.5\n"
            "database  -      2025-12-06T05:46:40Z  +Inf\n");
}

TEST(MetricTableTest, VectorHasNoTimeColumn) {
  QueryResult result;
  result.type = ResultType::kVector;
  result.series.push_back({{{"job", "api"}}, {{1765000000 * kS, "3"}}});
  result.series.push_back({{{"job", "db"}}, {{1765000000 * kS, "12"}}});
  std::string out;
  AppendMetricResult(result, OutputMode::kRaw, &out);
  EXPECT_EQ(out, "job  VALUE\napi  3\ndb   12\n");
}

TEST(MetricTableTest, SeriesWithoutLabelsShowTimeAndValue) {
  QueryResult result;
  result.type = ResultType::kVector;
  result.series.push_back({{}, {{1765000000 * kS, "7"}}});
  std::string out;
  AppendMetricResult(result, OutputMode::kDefault, &out);
  EXPECT_EQ(out, "VALUE\n7\n");
}

TEST(MetricTableTest, EmptyResultPrintsNothing) {
  QueryResult result;
  result.type = ResultType::kMatrix;
  std::string out;
  AppendMetricResult(result, OutputMode::kDefault, &out);
  EXPECT_EQ(out, "");
}

TEST(MetricTableTest, ScalarIsItsValue) {
  QueryResult result;
  result.type = ResultType::kScalar;
  result.scalar = {1765000000 * kS, "42"};
  std::string out;
  AppendMetricResult(result, OutputMode::kDefault, &out);
  EXPECT_EQ(out, "42\n");
  out.clear();
  AppendMetricResult(result, OutputMode::kJsonl, &out);
  EXPECT_EQ(out, "{\"timestamp\":\"2025-12-06T05:46:40Z\",\"labels\":{},\"value\":\"42\"}\n");
}

TEST(MetricTableTest, JsonlIsOneObjectPerPoint) {
  std::string out;
  AppendMetricResult(Matrix(), OutputMode::kJsonl, &out);
  EXPECT_EQ(out,
            "{\"timestamp\":\"2025-12-06T05:46:40Z\",\"labels\":{\"job\":\"api\",\"level\":"
            "\"info\"},\"value\":\"2\"}\n"
            "{\"timestamp\":\"2025-12-06T05:46:50Z\",\"labels\":{\"job\":\"api\",\"level\":"
            "\"info\"},\"value\":\"0.5\"}\n"
            "{\"timestamp\":\"2025-12-06T05:46:40Z\",\"labels\":{\"job\":\"database\"},"
            "\"value\":\"+Inf\"}\n");
}

}  // namespace
}  // namespace silt::cli
