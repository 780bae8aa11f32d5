#include "aggregator/logql/exec/loki_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <string>

namespace silt::logql::exec {
namespace {

LogQueryResult Sample() {
  LogQueryResult result;
  result.streams.push_back(
      LogStream{labels::LabelSet::Of({{"job", "api"}, {"level", "in\"fo"}}),
                {{1700000000000000002, "second"}, {1700000000000000001, "a\tb\x01 \xff"}}});
  result.streams.push_back(LogStream{labels::LabelSet::Of({{"job", "db"}}), {{5, "x"}}});
  result.stats.lines_processed = 10;
  result.stats.bytes_processed = 100;
  result.stats.entries_returned = 3;
  result.stats.chunks_referenced = 4;
  result.stats.chunks_read = 2;
  result.stats.blocks_read = 6;
  result.stats.peak_memory_bytes = 4096;
  result.stats.blocks_skipped_by_bloom = 5;
  result.stats.exec_time_ns = 500'000'000;
  return result;
}

TEST(LokiJsonTest, StreamsResultHasLokisShape) {
  const std::string json = EncodeStreamsResponse(Sample());
  EXPECT_TRUE(json.starts_with(
      R"({"status":"success","data":{"resultType":"streams","result":[{"stream":{"job":"api","level":"in\"fo"},"values":[["1700000000000000002","second"],["1700000000000000001","a\tb\u0001 \ufffd"]]},{"stream":{"job":"db"},"values":[["5","x"]]}],"stats":{)"))
      << json;
  EXPECT_TRUE(json.ends_with("}}}")) << json;
}

TEST(LokiJsonTest, OutputIsValidJsonWithLokiStatsNames) {
  const std::string json = EncodeStreamsResponse(Sample());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  simdjson::dom::element stats = doc["data"]["stats"];
  EXPECT_EQ(int64_t(stats["summary"]["totalLinesProcessed"]), 10);
  EXPECT_EQ(int64_t(stats["summary"]["totalBytesProcessed"]), 100);
  EXPECT_EQ(int64_t(stats["summary"]["totalEntriesReturned"]), 3);
  EXPECT_EQ(int64_t(stats["summary"]["bytesProcessedPerSecond"]), 200);
  EXPECT_DOUBLE_EQ(double(stats["summary"]["execTime"]), 0.5);
  EXPECT_EQ(int64_t(stats["querier"]["store"]["totalChunksRef"]), 4);
  EXPECT_EQ(int64_t(stats["querier"]["store"]["totalChunksDownloaded"]), 2);
  EXPECT_EQ(int64_t(stats["querier"]["store"]["chunk"]["decompressedLines"]), 10);
  EXPECT_EQ(int64_t(stats["silt"]["blocksSkippedByBloom"]), 5);
  EXPECT_EQ(int64_t(stats["silt"]["blocksRead"]), 6);
  EXPECT_EQ(int64_t(stats["silt"]["peakMemoryBytes"]), 4096);
  EXPECT_EQ(std::string_view(doc["data"]["result"].at(0)["values"].at(1).at(1)),
            "a\tb\x01 \xef\xbf\xbd");
}

TEST(LokiJsonTest, EmptyResultIsAnEmptyArray) {
  const std::string json = EncodeStreamsResponse(LogQueryResult{});
  EXPECT_TRUE(json.starts_with(
      R"({"status":"success","data":{"resultType":"streams","result":[],"stats":{"summary":)"))
      << json;
}

TEST(LokiJsonTest, SampleValuesAreFormattedAsGoFormatFloatF) {
  EXPECT_EQ(FormatSampleValue(1), "1");
  EXPECT_EQ(FormatSampleValue(0.1), "0.1");
  EXPECT_EQ(FormatSampleValue(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(FormatSampleValue(-2.5), "-2.5");
  EXPECT_EQ(FormatSampleValue(1e21), "1000000000000000000000");
  EXPECT_EQ(FormatSampleValue(1e-7), "0.0000001");
  EXPECT_EQ(FormatSampleValue(std::nan("")), "NaN");
  EXPECT_EQ(FormatSampleValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatSampleValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatSampleValue(std::numeric_limits<double>::max()).size(), 309u);
}

TEST(LokiJsonTest, SampleTimesAreSecondsWithMilliseconds) {
  auto time = [](int64_t nanos) {
    std::string out;
    AppendSampleTime(nanos, &out);
    return out;
  };
  EXPECT_EQ(time(1700000000000000000), "1700000000");
  EXPECT_EQ(time(1700000000250000000), "1700000000.250");
  EXPECT_EQ(time(1700000000005999999), "1700000000.005");
  EXPECT_EQ(time(-1500000000), "-1.500");
}

TEST(LokiJsonTest, MetricResultsHavePrometheusShapes) {
  QueryStats stats;
  std::vector<MetricSeries> matrix = {
      {labels::LabelSet::Of({{"job", "api"}}), {{1000000000, 0.5}, {2000000000, 1}}}};
  EXPECT_TRUE(
      EncodeMatrixResponse(matrix, stats)
          .starts_with(
              R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"api"},"values":[[1,"0.5"],[2,"1"]]}],"stats":{"summary":)"));
  std::vector<MetricSample> vector = {{labels::LabelSet(), 3},
                                      {labels::LabelSet::Of({{"a", "b"}}), 4}};
  EXPECT_TRUE(
      EncodeVectorResponse(vector, 1500000000, stats)
          .starts_with(
              R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1.500,"3"]},{"metric":{"a":"b"},"value":[1.500,"4"]}],"stats":{)"));
  const std::string scalar = EncodeScalarResponse(2000000000, -1, stats);
  EXPECT_TRUE(scalar.starts_with(
      R"({"status":"success","data":{"resultType":"scalar","result":[2,"-1"],"stats":{)"))
      << scalar;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(scalar).get(doc), simdjson::SUCCESS) << scalar;
  EXPECT_TRUE(EncodeMatrixResponse({}, stats).starts_with(
      R"({"status":"success","data":{"resultType":"matrix","result":[],"stats":{)"));
}

}  // namespace
}  // namespace silt::logql::exec
