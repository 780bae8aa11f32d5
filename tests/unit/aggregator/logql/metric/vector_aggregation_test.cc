// AggregateVectors (vector_aggregation.h): the memory its groups take is charged to the query.
#include "aggregator/logql/metric/vector_aggregation.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "aggregator/logql/exec/query_memory.h"

namespace silt::logql::metric {
namespace {

// One step holding `n` samples with distinct labels {i="0"}, {i="1"}, ...
StepValues DistinctSamples(int n) {
  StepValues values;
  values.steps.emplace_back();
  for (int i = 0; i < n; ++i) {
    values.steps[0].push_back(Sample{labels::LabelSet::Of({{"i", std::to_string(i)}}), 1});
  }
  return values;
}

// `op without () (...)` (one group per sample); topk's k is 1. The inner expression is not
// evaluated by AggregateVectors.
VectorAggregation Without(VectorOp op) {
  return VectorAggregation{op, 1, MetricExpr{NumberLiteral{1}}, Grouping{true, {}}};
}

TEST(VectorAggregationMemoryTest, GroupsOverTheBudgetFailTheStep) {
  exec::QueryMemory memory(16 * 1024);
  Result<StepValues> out =
      AggregateVectors(Without(VectorOp::kCount), DistinctSamples(1000), &memory);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(out.status().message().find("(step vectors and groups 16KiB)"), std::string::npos)
      << out.status();
  EXPECT_EQ(memory.used(), 0u);
}

TEST(VectorAggregationMemoryTest, TopkGroupsAreChargedAndReleasedAfterTheStep) {
  exec::QueryMemory memory(0);
  Result<StepValues> out =
      AggregateVectors(Without(VectorOp::kTopK), DistinctSamples(1000), &memory);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->steps[0].size(), 1000u);
  // The groups held copies of every sample during the step; afterwards only the result's
  // slots stay charged, on its lease.
  EXPECT_GE(memory.peak(), 1000 * 2 * sizeof(Sample));
  EXPECT_EQ(memory.used(), out->SlotBytes());
  EXPECT_EQ(out->memory.bytes(), out->SlotBytes());
  out->memory.Reset();
  EXPECT_EQ(memory.used(), 0u);
}

TEST(VectorAggregationMemoryTest, WithoutMemoryNothingIsCounted) {
  Result<StepValues> out = AggregateVectors(Without(VectorOp::kSum), DistinctSamples(10));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->steps[0].size(), 10u);
  EXPECT_EQ(out->memory.bytes(), 0u);
}

}  // namespace
}  // namespace silt::logql::metric
