// SampleExtractor (sample_extractor.h): the value and series of each kept entry, with the series
// handed out by pointer (cached per input label set, or the post-filtered one of the last entry).
#include "aggregator/logql/metric/sample_extractor.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "aggregator/logql/query.h"

namespace silt::logql::metric {
namespace {

std::unique_ptr<SampleExtractor> Make(const std::string& text) {
  Result<Query> query = ParseQuery(text);
  EXPECT_TRUE(query.ok()) << query.status();
  const auto& range = std::get<RangeAggregation>(std::get<MetricExpr>(query->node).node);
  Result<std::unique_ptr<SampleExtractor>> extractor = SampleExtractor::Create(range);
  EXPECT_TRUE(extractor.ok()) << extractor.status();
  return std::move(extractor).value();
}

TEST(SampleExtractorTest, EntriesOfOneStreamShareTheirCachedSeries) {
  auto extractor = Make(R"(count_over_time({job="a"}[1m]))");
  const PipelineEntry first{"x", labels::LabelSet::Of({{"job", "a"}, {"pod", "p1"}})};
  const PipelineEntry second{"yy", labels::LabelSet::Of({{"job", "a"}, {"pod", "p1"}})};
  double value = 0;
  const labels::LabelSet* a = nullptr;
  const labels::LabelSet* b = nullptr;
  ASSERT_TRUE(extractor->Extract(first, &value, &a));
  EXPECT_EQ(value, 1.0);
  ASSERT_TRUE(extractor->Extract(second, &value, &b));
  EXPECT_EQ(a, b);  // one cached series, not a copy per sample
  EXPECT_EQ(*b, first.labels);
  const PipelineEntry other{"z", labels::LabelSet::Of({{"job", "a"}, {"pod", "p2"}})};
  const labels::LabelSet* c = nullptr;
  ASSERT_TRUE(extractor->Extract(other, &value, &c));
  EXPECT_EQ(*c, other.labels);
  EXPECT_EQ(*a, first.labels);  // earlier series stay valid
}

TEST(SampleExtractorTest, UnwrapDropsTheUnwrappedLabelFromTheSeries) {
  auto extractor = Make(R"(sum_over_time({job="a"} | unwrap took [1m]))");
  const PipelineEntry entry{"l", labels::LabelSet::Of({{"job", "a"}, {"took", "2.5"}})};
  double value = 0;
  const labels::LabelSet* series = nullptr;
  ASSERT_TRUE(extractor->Extract(entry, &value, &series));
  EXPECT_EQ(value, 2.5);
  EXPECT_EQ(*series, labels::LabelSet::Of({{"job", "a"}}));
}

TEST(SampleExtractorTest, PostFilterSeriesIsTheLastEntrys) {
  auto extractor = Make(R"(sum_over_time({job="a"} | unwrap took | took > 1 [1m]))");
  double value = 0;
  const labels::LabelSet* series = nullptr;
  const PipelineEntry low{"l", labels::LabelSet::Of({{"job", "a"}, {"took", "0.5"}})};
  EXPECT_FALSE(extractor->Extract(low, &value, &series));
  const PipelineEntry high{"h", labels::LabelSet::Of({{"job", "b"}, {"took", "3"}})};
  ASSERT_TRUE(extractor->Extract(high, &value, &series));
  EXPECT_EQ(value, 3.0);
  EXPECT_EQ(*series, labels::LabelSet::Of({{"job", "b"}}));
}

TEST(SampleExtractorTest, ConversionErrorSeriesCarriesTheError) {
  auto extractor = Make(R"(sum_over_time({job="a"} | unwrap took [1m]))");
  double value = 0;
  const labels::LabelSet* series = nullptr;
  const PipelineEntry bad{"x", labels::LabelSet::Of({{"job", "c"}, {"took", "zz"}})};
  ASSERT_TRUE(extractor->Extract(bad, &value, &series));  // a sample, with the error label
  EXPECT_EQ(series->Get("__error__"), std::optional<std::string_view>(kSampleExtractionErr));
  const PipelineEntry good{"y", labels::LabelSet::Of({{"job", "c"}, {"took", "4"}})};
  ASSERT_TRUE(extractor->Extract(good, &value, &series));
  EXPECT_FALSE(series->Has("__error__"));
}

}  // namespace
}  // namespace silt::logql::metric
