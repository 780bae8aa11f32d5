// The JSON and protobuf push bodies of api_bench carry the same entries: both decoded by the
// aggregator's own decoders (aggregator/ingest/push) give the same streams, timestamps and lines,
// including lines and label values that need escaping.
#include "tests/bench/api/push_body.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/ingest/push/loki_json_decoder.h"
#include "aggregator/ingest/push/loki_proto_decoder.h"

namespace silt::bench {
namespace {

struct Flat {
  std::string labels;
  int64_t timestamp;
  std::string line;
  bool operator==(const Flat&) const = default;
};

std::vector<Flat> Flatten(const ingest::DecodedPush& push) {
  std::vector<Flat> out;
  for (const ingest::DecodedStream& stream : push.streams) {
    for (const ingest::DecodedEntry& entry : stream.entries) {
      out.push_back({stream.labels.ToString(), entry.timestamp, std::string(entry.line)});
    }
  }
  return out;
}

std::vector<BodyStream> Streams() {
  return {{{{"job", "bench"}, {"host", "h0"}},
           {{1'700'000'000'000'000'001, "level=info msg=\"a\""}, {1'700'000'000'123'456'789, "b"}}},
          {{{"job", "bench"}, {"host", "h\"1\\"}},
           {{1'700'000'001'000'000'000, std::string("tab\there \\ \"q\" \x01 end")}}}};
}

TEST(PushBodyTest, JsonAndProtobufDecodeToTheSameEntries) {
  const ingest::DecodedPush json = ingest::DecodeLokiPushJson(LokiJsonBody(Streams()));
  Result<ingest::DecodedPush> proto =
      ingest::DecodeLokiPushProto(LokiProtoBody(Streams()), 1 << 20);
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(json.rejections.entries(), 0u);
  EXPECT_EQ(proto->rejections.entries(), 0u);
  ASSERT_EQ(Flatten(json).size(), 3u);
  EXPECT_EQ(Flatten(json), Flatten(*proto));
}

TEST(PushBodyTest, EscapedLinesAndLabelValuesComeBackAsWritten) {
  Result<ingest::DecodedPush> proto =
      ingest::DecodeLokiPushProto(LokiProtoBody(Streams()), 1 << 20);
  ASSERT_TRUE(proto.ok()) << proto.status();
  const std::vector<Flat> entries = Flatten(*proto);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].line, std::string("tab\there \\ \"q\" \x01 end"));
  EXPECT_EQ(proto->streams[1].labels.Get("host"), "h\"1\\");
  EXPECT_EQ(entries[1].timestamp, 1'700'000'000'123'456'789);
}

TEST(PushBodyTest, EmptyStreamListGivesAnEmptyPush) {
  const ingest::DecodedPush json = ingest::DecodeLokiPushJson(LokiJsonBody({}));
  Result<ingest::DecodedPush> proto = ingest::DecodeLokiPushProto(LokiProtoBody({}), 1 << 20);
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(json.total_entries, 0u);
  EXPECT_EQ(proto->total_entries, 0u);
  EXPECT_EQ(json.rejections.entries(), 0u);
}

}  // namespace
}  // namespace silt::bench
