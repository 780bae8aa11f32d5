#include "aggregator/cli/loki_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(LokiResponseTest, StreamsWithStructuredMetadata) {
  Result<QueryResult> r = ParseQueryResponse(
      R"({"status":"success","data":{"resultType":"streams","result":[
          {"stream":{"job":"api"},"values":[["1765000000000000001","a"],
                                            ["1765000000000000000","b",{"trace_id":"t1"}]]}],
          "stats":{"summary":{}}}})");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->type, ResultType::kStreams);
  ASSERT_EQ(r->streams.size(), 1u);
  EXPECT_THAT(r->streams[0].labels, ElementsAre(Pair("job", "api")));
  ASSERT_EQ(r->streams[0].entries.size(), 2u);
  EXPECT_EQ(r->streams[0].entries[0].timestamp_ns, 1765000000000000001);
  EXPECT_EQ(r->streams[0].entries[0].line, "a");
  EXPECT_THAT(r->streams[0].entries[1].metadata, ElementsAre(Pair("trace_id", "t1")));
}

TEST(LokiResponseTest, MatrixWithFractionalSampleTimes) {
  Result<QueryResult> r = ParseQueryResponse(
      R"({"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"job":"api"},"values":[[1765000000,"1"],[1765000000.250,"NaN"]]}]}})");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->type, ResultType::kMatrix);
  ASSERT_EQ(r->series[0].points.size(), 2u);
  EXPECT_EQ(r->series[0].points[0].timestamp_ns, 1765000000000000000);
  EXPECT_EQ(r->series[0].points[1].timestamp_ns, 1765000000250000000);
  EXPECT_EQ(r->series[0].points[1].value, "NaN");
}

TEST(LokiResponseTest, VectorAndScalar) {
  Result<QueryResult> v = ParseQueryResponse(
      R"({"status":"success","data":{"resultType":"vector","result":[
          {"metric":{},"value":[1765000000,"3"]}]}})");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->type, ResultType::kVector);
  EXPECT_EQ(v->series[0].points[0].value, "3");
  Result<QueryResult> s = ParseQueryResponse(
      R"({"status":"success","data":{"resultType":"scalar","result":[1765000000,"2"]}})");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->type, ResultType::kScalar);
  EXPECT_EQ(s->scalar.value, "2");
}

TEST(LokiResponseTest, MalformedAnswerIsAnErrorQuotingIt) {
  for (const char* bad :
       {"not json", R"({"data":{}})",
        R"({"data":{"resultType":"streams","result":[{"stream":{}}]}})",
        R"({"data":{"resultType":"streams","result":[{"stream":{},"values":[["x","y"]]}]}})",
        R"({"data":{"resultType":"histogram","result":[]}})"}) {
    Result<QueryResult> r = ParseQueryResponse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("unexpected answer from the server")) << bad;
  }
}

TEST(LokiResponseTest, LabelListsSeriesAndStats) {
  EXPECT_THAT(*ParseStringList(R"({"status":"success","data":["job","level"]})"),
              ElementsAre("job", "level"));
  EXPECT_TRUE(ParseStringList(R"({"status":"success"})")->empty());
  EXPECT_FALSE(ParseStringList(R"({"data":[1]})").ok());
  Result<std::vector<LabelPairs>> series =
      ParseSeriesList(R"({"status":"success","data":[{"job":"a","x":"y"},{"job":"b"}]})");
  ASSERT_TRUE(series.ok());
  EXPECT_THAT((*series)[0], ElementsAre(Pair("job", "a"), Pair("x", "y")));
  EXPECT_THAT(*ParseIndexStats(R"({"streams":2,"chunks":3,"bytes":1530,"entries":5})"),
              ElementsAre(Pair("streams", "2"), Pair("chunks", "3"), Pair("bytes", "1530"),
                          Pair("entries", "5")));
}

TEST(LokiResponseTest, TailMessageWithDroppedEntries) {
  Result<TailMessage> m = ParseTailMessage(
      R"({"streams":[{"stream":{"job":"a"},"values":[["5","x"]]}],
          "dropped_entries":[{"labels":{"job":"a"},"timestamp":"4"}]})");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->streams[0].entries[0].line, "x");
  ASSERT_EQ(m->dropped.size(), 1u);
  EXPECT_EQ(m->dropped[0].second, 4);
  EXPECT_FALSE(ParseTailMessage(R"({"streams":5})").ok());
}

}  // namespace
}  // namespace silt::cli
