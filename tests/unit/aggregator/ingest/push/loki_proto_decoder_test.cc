#include "aggregator/ingest/push/loki_proto_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/aggregator/ingest/push/push_proto_for_test.h"

namespace silt::ingest {
namespace {

using ::silt::ingest::testing::ProtoBody;
using ::silt::ingest::testing::Snappy;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr size_t kLimit = 1 << 20;

std::vector<std::string> Rows(const DecodedPush& push) {
  std::vector<std::string> rows;
  for (const DecodedStream& stream : push.streams) {
    for (const DecodedEntry& entry : stream.entries) {
      rows.push_back(stream.labels.ToString() + "|" + std::to_string(entry.timestamp) + "|" +
                     std::string(entry.line));
    }
  }
  return rows;
}

TEST(LokiProtoDecoderTest, DecodesStreamsEntriesAndMetadata) {
  Result<DecodedPush> push = DecodeLokiPushProto(
      ProtoBody({{R"({job="api", host="a"})",
                  {{1700000000, 5, "GET /", {}}, {1700000001, 0, "x", {{"trace_id", "a1"}}}}},
                 {R"({job="db"})", {{7, 0, "slow", {}}}}}),
      kLimit);
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_TRUE(push->rejections.empty());
  EXPECT_EQ(push->total_entries, 3u);
  EXPECT_THAT(Rows(*push), ElementsAre(R"({host="a", job="api"}|1700000000000000005|GET /)",
                                       R"({host="a", job="api"}|1700000001000000000|x)",
                                       R"({job="db"}|7000000000|slow)"));
  auto metadata = push->MetadataOf(push->streams[0].entries[1]);
  ASSERT_EQ(metadata.size(), 1u);
  EXPECT_EQ(metadata[0].name, "trace_id");
  EXPECT_EQ(metadata[0].value, "a1");
}

TEST(LokiProtoDecoderTest, InvalidUtf8LineIsKeptAsBytes) {
  Result<DecodedPush> push = DecodeLokiPushProto(ProtoBody({{R"({job="a"})",
                                                             {{1,
                                                               0,
                                                               "a\xff\xfe"
                                                               "b",
                                                               {}}}}}),
                                                 kLimit);
  ASSERT_TRUE(push.ok()) << push.status();
  ASSERT_EQ(push->streams.size(), 1u);
  EXPECT_EQ(push->streams[0].entries[0].line,
            "a\xff\xfe"
            "b");
}

TEST(LokiProtoDecoderTest, UnparsableLabelsRefuseTheStreamOnly) {
  Result<DecodedPush> push =
      DecodeLokiPushProto(ProtoBody({{R"({job="a")", {{1, 0, "lost", {}}, {2, 0, "lost too", {}}}},
                                     {R"({job="a", job="b"})", {{3, 0, "dup", {}}}},
                                     {R"({job="ok"})", {{4, 0, "kept", {}}}}}),
                          kLimit);
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(push->total_entries, 4u);
  EXPECT_EQ(push->rejections.entries(), 3u);
  EXPECT_THAT(Rows(*push), ElementsAre(R"({job="ok"}|4000000000|kept)"));
  EXPECT_THAT(push->rejections.messages()[0],
              HasSubstr("streams[0]: Error parsing labels '{job=\"a\"' with error: "));
  EXPECT_EQ(push->rejections.by_reason()[0].reason, kReasonInvalidLabels);
}

TEST(LokiProtoDecoderTest, TimestampOutsideInt64NanosIsRefusedAlone) {
  Result<DecodedPush> push = DecodeLokiPushProto(
      ProtoBody(
          {{R"({job="a"})",
            {{-1, 0, "before 1970", {}}, {9300000000, 0, "after 2262", {}}, {1, 0, "kept", {}}}}}),
      kLimit);
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(push->rejections.entries(), 2u);
  EXPECT_THAT(Rows(*push), ElementsAre(R"({job="a"}|1000000000|kept)"));
  EXPECT_THAT(push->rejections.messages()[1], HasSubstr("entries[1]: timestamp 9300000000s"));
}

TEST(LokiProtoDecoderTest, NotSnappyIsRefused) {
  Result<DecodedPush> push = DecodeLokiPushProto("\xff\xff\xff\xff\xff\xff", kLimit);
  ASSERT_FALSE(push.ok());
  EXPECT_EQ(push.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(push.status().message(), HasSubstr("not snappy-compressed"));
}

TEST(LokiProtoDecoderTest, CorruptSnappyIsRefused) {
  std::string body = ProtoBody({{R"({job="a"})", {{1, 0, std::string(200, 'x'), {}}}}});
  body.resize(body.size() / 2);
  Result<DecodedPush> push = DecodeLokiPushProto(body, kLimit);
  ASSERT_FALSE(push.ok());
  EXPECT_THAT(push.status().message(), HasSubstr("corrupt snappy"));
}

TEST(LokiProtoDecoderTest, NotAPushRequestIsRefused) {
  Result<DecodedPush> push = DecodeLokiPushProto(Snappy("\x0a\xff\x01garbage"), kLimit);
  ASSERT_FALSE(push.ok());
  EXPECT_THAT(push.status().message(), HasSubstr("not a protobuf logproto.PushRequest"));
}

TEST(LokiProtoDecoderTest, DecompressedSizeOverTheLimitIsResourceExhausted) {
  Result<DecodedPush> push = DecodeLokiPushProto(
      ProtoBody({{R"({job="a"})", {{1, 0, std::string(4096, 'x'), {}}}}}), 1000);
  ASSERT_FALSE(push.ok());
  EXPECT_EQ(push.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(push.status().message(), HasSubstr("request body too large"));
}

TEST(LokiProtoDecoderTest, EmptyBodyIsAnEmptyPush) {
  Result<DecodedPush> push = DecodeLokiPushProto(Snappy(""), kLimit);
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_TRUE(push->streams.empty());
  EXPECT_TRUE(push->rejections.empty());
}

}  // namespace
}  // namespace silt::ingest
