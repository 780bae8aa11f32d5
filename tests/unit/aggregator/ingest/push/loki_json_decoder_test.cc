#include "aggregator/ingest/push/loki_json_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every decoded entry as "labels|ts|line".
std::vector<std::string> Rows(const DecodedPush& push) {
  std::vector<std::string> rows;
  for (const DecodedStream& stream : push.streams) {
    if (stream.refused) continue;
    for (const DecodedEntry& entry : stream.entries) {
      rows.push_back(stream.labels.ToString() + "|" + std::to_string(entry.timestamp) + "|" +
                     std::string(entry.line));
    }
  }
  return rows;
}

TEST(LokiJsonDecoderTest, DecodesStreamsEntriesAndMetadata) {
  DecodedPush push = DecodeLokiPushJson(
      R"({"streams":[{"stream":{"job":"api","host":"a"},"values":[["1700000000000000000","GET /"],)"
      R"(["1700000000000000001","x\ty",{"trace_id":"a1","user":"u\u00e9"}]]},)"
      R"({"stream":{"job":"db"},"values":[["5","slow"]]}]})");
  EXPECT_TRUE(push.rejections.empty()) << push.rejections.Summary(push.total_entries);
  EXPECT_EQ(push.total_entries, 3u);
  EXPECT_THAT(Rows(push), ElementsAre(R"({host="a", job="api"}|1700000000000000000|GET /)",
                                      "{host=\"a\", job=\"api\"}|1700000000000000001|x\ty",
                                      R"({job="db"}|5|slow)"));
  const DecodedEntry& second = push.streams[0].entries[1];
  auto metadata = push.MetadataOf(second);
  ASSERT_EQ(metadata.size(), 2u);
  EXPECT_EQ(metadata[0].name, "trace_id");
  EXPECT_EQ(metadata[0].value, "a1");
  EXPECT_EQ(metadata[1].value, "u\xc3\xa9");
  EXPECT_TRUE(push.MetadataOf(push.streams[0].entries[0]).empty());
}

TEST(LokiJsonDecoderTest, UnknownKeysAreIgnored) {
  DecodedPush push = DecodeLokiPushJson(
      R"({"extra":[1,{"a":2}],"streams":[{"hash":7,"stream":{"job":"a"},"values":[["1","l"]]}]})");
  EXPECT_TRUE(push.rejections.empty());
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="a"}|1|l)"));
}

TEST(LokiJsonDecoderTest, BadEntryIsRefusedAloneWithItsPath) {
  DecodedPush push = DecodeLokiPushJson(R"({"streams":[{"stream":{"job":"a"},"values":[
    ["1","kept"],[2,"number ts"],["3",4],["4"],["5","x",{"k":1}],"not an array",["6","also kept"]]}]})");
  EXPECT_EQ(push.total_entries, 7u);
  EXPECT_EQ(push.rejections.entries(), 5u);
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="a"}|1|kept)", R"({job="a"}|6|also kept)"));
  const auto& messages = push.rejections.messages();
  ASSERT_EQ(messages.size(), 5u);
  EXPECT_THAT(messages[0], HasSubstr("streams[0] at line 1, column 13: values[1][0]: the "
                                     "timestamp must be a string"));
  EXPECT_THAT(messages[1], HasSubstr("values[2][1]: the log line must be a string"));
  EXPECT_THAT(messages[2], HasSubstr("values[3]: must be"));
  EXPECT_THAT(messages[3], HasSubstr("values[4][2].k: metadata values must be strings"));
  EXPECT_THAT(messages[4], HasSubstr("values[5]: must be"));
  EXPECT_TRUE(push.streams[0].had_problem);
}

TEST(LokiJsonDecoderTest, TimestampMustBeNanosecondDigits) {
  DecodedPush push = DecodeLokiPushJson(R"({"streams":[{"stream":{"job":"a"},"values":[
    ["-1","neg"],["1.5","frac"],["99999999999999999999","huge"],["yesterday","word"]]}]})");
  EXPECT_EQ(push.rejections.entries(), 4u);
  EXPECT_TRUE(Rows(push).empty());
  EXPECT_THAT(push.rejections.messages()[2],
              HasSubstr("timestamp '99999999999999999999' is not a non-negative integer"));
}

TEST(LokiJsonDecoderTest, StreamWithBadLabelsIsRefusedWithItsEntries) {
  DecodedPush push = DecodeLokiPushJson(R"({"streams":[
  {"stream":{"job":1},"values":[["1","a"],["2","b"]]},
  {"values":[["3","c"]]},
  {"stream":"job=x","values":[["4","d"]]},
  {"stream":{"job":"ok"},"values":[["5","e"]]}]})");
  EXPECT_EQ(push.total_entries, 5u);
  EXPECT_EQ(push.rejections.entries(), 4u);
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="ok"}|5|e)"));
  const auto& messages = push.rejections.messages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_THAT(messages[0], HasSubstr("streams[0] at line 2, column 3: stream.job: label values "
                                     "must be strings; the stream was skipped"));
  EXPECT_THAT(messages[1], HasSubstr("streams[1] at line 3, column 3: stream: missing"));
  EXPECT_THAT(messages[2], HasSubstr("streams[2] at line 4, column 3: stream: must be an object"));
  ASSERT_EQ(push.rejections.by_reason().size(), 2u);
  EXPECT_EQ(push.rejections.by_reason()[0].reason, kReasonInvalidLabels);
  EXPECT_EQ(push.rejections.by_reason()[0].entries, 3u);
  EXPECT_EQ(push.rejections.by_reason()[1].reason, kReasonMissingLabels);
}

TEST(LokiJsonDecoderTest, SyntaxErrorKeepsTheStreamsBeforeIt) {
  DecodedPush push = DecodeLokiPushJson(R"({"streams":[
  {"stream":{"job":"a"},"values":[["1","kept"]]},
  {"stream":{"job":"b"} "values":[["2","lost"]]}]})");
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="a"}|1|kept)"));
  ASSERT_EQ(push.rejections.messages().size(), 1u);
  EXPECT_THAT(push.rejections.messages()[0], HasSubstr("streams[1] at line 3, column 3"));
  EXPECT_THAT(push.rejections.messages()[0], HasSubstr("reading stopped there"));
}

TEST(LokiJsonDecoderTest, TruncatedBodyKeepsCompleteStreams) {
  DecodedPush push = DecodeLokiPushJson(
      R"({"streams":[{"stream":{"job":"a"},"values":[["1","kept"]]},{"stream":{"job":"b"},"values":[["2")");
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="a"}|1|kept)"))
      << push.rejections.Summary(push.total_entries);
  EXPECT_FALSE(push.rejections.empty());
}

TEST(LokiJsonDecoderTest, StreamCutByTheEndIsSkippedAndTheOnesBeforeKept) {
  DecodedPush push = DecodeLokiPushJson(
      R"({"streams":[{"stream":{"job":"a"},"values":[["1","kept"]]},{"stream":{"job":"b"},"values":[["2","cut"]],)");
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="a"}|1|kept)"));
  ASSERT_EQ(push.rejections.messages().size(), 2u);
  EXPECT_THAT(push.rejections.messages()[0],
              HasSubstr("streams[1] at line 1, column 60: the body ends inside this stream"));
  EXPECT_THAT(push.rejections.messages()[1], HasSubstr("the body ends early, at line 1"));
  EXPECT_EQ(push.rejections.entries(), 1u);
  EXPECT_EQ(push.total_entries, 2u);
}

TEST(LokiJsonDecoderTest, TrailingContentIsReportedAndTheStreamsKept) {
  DecodedPush push =
      DecodeLokiPushJson(R"({"streams":[{"stream":{"job":"a"},"values":[["1","kept"]]}]} {"x":1})");
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="a"}|1|kept)"));
  ASSERT_EQ(push.rejections.messages().size(), 1u);
  EXPECT_THAT(push.rejections.messages()[0],
              HasSubstr("trailing content after the JSON body at line 1, column 62"));
}

TEST(LokiJsonDecoderTest, BadEscapeInALineRefusesThatEntry) {
  DecodedPush push = DecodeLokiPushJson(
      R"({"streams":[{"stream":{"job":"a"},"values":[["1","a\qb"],["2","kept"]]}]})");
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="a"}|2|kept)"));
  EXPECT_THAT(push.rejections.messages()[0],
              HasSubstr("values[0][1]: the log line is not a valid JSON string"));
}

TEST(LokiJsonDecoderTest, InvalidUtf8IsReplacedAsGoDoes) {
  DecodedPush push = DecodeLokiPushJson(
      "{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[\"1\",\"a\xff"
      "b\"]]}]}");
  EXPECT_TRUE(push.rejections.empty()) << push.rejections.Summary(push.total_entries);
  EXPECT_THAT(Rows(push), ElementsAre("{job=\"a\"}|1|a\xef\xbf\xbd"
                                      "b"));
}

TEST(LokiJsonDecoderTest, EscapedNulIsKeptAsAByte) {
  DecodedPush push =
      DecodeLokiPushJson(R"({"streams":[{"stream":{"job":"a"},"values":[["1","a\u0000b"]]}]})");
  ASSERT_EQ(Rows(push).size(), 1u);
  EXPECT_EQ(push.streams[0].entries[0].line, std::string_view("a\0b", 3));
}

TEST(LokiJsonDecoderTest, BodiesThatAreNotPushesSayWhatIsExpected) {
  for (const char* body : {"", "[]", "{}", "{\"streams\":{}}", "null", "{\"streams\":[1]}"}) {
    DecodedPush push = DecodeLokiPushJson(body);
    EXPECT_FALSE(push.rejections.empty()) << body;
    EXPECT_TRUE(Rows(push).empty()) << body;
    ASSERT_FALSE(push.rejections.messages().empty()) << body;
    EXPECT_FALSE(push.rejections.messages()[0].empty()) << body;
  }
}

TEST(LokiJsonDecoderTest, OnlyTheFirstMessagesAreKept) {
  std::string body = R"({"streams":[{"stream":{"job":"a"},"values":[)";
  for (int i = 0; i < 100; ++i) body += std::string(i ? "," : "") + "[\"x\",\"bad\"]";
  body += R"(,["1","good"]]}]})";
  DecodedPush push = DecodeLokiPushJson(body);
  EXPECT_EQ(push.rejections.entries(), 100u);
  EXPECT_EQ(push.rejections.messages().size(), Rejections::kMaxMessages);
  EXPECT_THAT(push.rejections.Summary(push.total_entries),
              HasSubstr("100 of 101 entries rejected (90 more problems not listed)"));
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="a"}|1|good)"));
}

}  // namespace
}  // namespace silt::ingest
