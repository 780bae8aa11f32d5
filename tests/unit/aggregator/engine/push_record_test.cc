#include "aggregator/engine/push_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::engine {
namespace {

struct Owned {
  std::vector<labels::LabelView> metadata = {{"trace_id", "abc"}, {"user", "q\"x"}};
  PushRequest request;
  Owned() {
    request.tenant = "team-a";
    request.agent_id = "host-1";
    request.sources = {{7, 0, 120}, {9, 4096, 8192}};
    PushStream s1{labels::LabelSet::Of({{"job", "api"}, {"env", "prod"}}), {}};
    s1.entries.push_back({1'700'000'000'000'000'000, "first line", {}, 0, 60});
    s1.entries.push_back({-5, std::string_view("nul\0byte", 8), metadata, 1, 5000});
    PushStream s2{labels::LabelSet::Of({{"job", "db"}}), {}};
    s2.entries.push_back({42, "", {}, kNoSource, 0});
    request.streams.push_back(std::move(s1));
    request.streams.push_back(std::move(s2));
  }
};

TEST(PushRecordTest, RoundTripsEveryField) {
  Owned owned;
  std::string payload;
  EncodePushRecord(owned.request, &payload);
  EXPECT_EQ(payload.size(), PushRecordSize(owned.request));
  DecodedPush decoded;
  ASSERT_TRUE(DecodePushRecord(payload, &decoded).ok());
  const PushRequest& got = decoded.request;
  EXPECT_EQ(got.tenant, "team-a");
  EXPECT_EQ(got.agent_id, "host-1");
  EXPECT_EQ(got.sources, owned.request.sources);
  ASSERT_EQ(got.streams.size(), 2u);
  EXPECT_EQ(got.streams[0].labels, owned.request.streams[0].labels);
  ASSERT_EQ(got.streams[0].entries.size(), 2u);
  EXPECT_EQ(got.streams[0].entries[0].timestamp, 1'700'000'000'000'000'000);
  EXPECT_EQ(got.streams[0].entries[0].line, "first line");
  EXPECT_EQ(got.streams[0].entries[1].timestamp, -5);
  EXPECT_EQ(got.streams[0].entries[1].line, std::string_view("nul\0byte", 8));
  ASSERT_EQ(got.streams[0].entries[1].metadata.size(), 2u);
  EXPECT_EQ(got.streams[0].entries[1].metadata[1].value, "q\"x");
  EXPECT_EQ(got.streams[1].entries[0].line, "");
  EXPECT_TRUE(got.streams[1].entries[0].metadata.empty());
}

TEST(PushRecordTest, DecodeReusesTheOutputAcrossRecords) {
  Owned owned;
  std::string big, small;
  EncodePushRecord(owned.request, &big);
  owned.request.streams.pop_back();
  owned.request.sources.clear();
  EncodePushRecord(owned.request, &small);
  DecodedPush decoded;
  ASSERT_TRUE(DecodePushRecord(big, &decoded).ok());
  ASSERT_TRUE(DecodePushRecord(small, &decoded).ok());
  EXPECT_EQ(decoded.request.streams.size(), 1u);
  EXPECT_TRUE(decoded.request.sources.empty());
  EXPECT_EQ(decoded.request.streams[0].entries[1].metadata[0].name, "trace_id");
}

TEST(PushRecordTest, EveryTruncationIsCorruptionNotACrash) {
  Owned owned;
  std::string payload;
  EncodePushRecord(owned.request, &payload);
  DecodedPush decoded;
  for (size_t n = 0; n < payload.size(); ++n) {
    Status status = DecodePushRecord(std::string_view(payload).substr(0, n), &decoded);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << "prefix of " << n << " bytes";
  }
}

TEST(PushRecordTest, TrailingBytesAreCorruption) {
  Owned owned;
  std::string payload;
  EncodePushRecord(owned.request, &payload);
  payload.push_back('x');
  DecodedPush decoded;
  Status status = DecodePushRecord(payload, &decoded);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("trailing"), std::string_view::npos) << status;
}

TEST(PushRecordTest, UnknownVersionIsNamed) {
  std::string payload(1, '\x07');
  DecodedPush decoded;
  Status status = DecodePushRecord(payload, &decoded);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("unknown version 7"), std::string_view::npos) << status;
}

TEST(PushRecordTest, UnsortedLabelsAreCorruption) {
  // version, tenant "t", agent "", 0 sources, 1 stream with labels b=1, a=2, 0 entries.
  std::string payload("\x01\x01t\x00\x00\x01\x02\x01"
                      "b\x01"
                      "1\x01"
                      "a\x01"
                      "2\x00",
                      16);
  DecodedPush decoded;
  Status status = DecodePushRecord(payload, &decoded);
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status;
}

TEST(PushRecordTest, SourceRangeEndingBeforeItStartsIsCorruption) {
  PushRequest request;
  request.tenant = "t";
  request.agent_id = "a";
  request.sources = {{1, 10, 5}};
  std::string payload;
  EncodePushRecord(request, &payload);
  DecodedPush decoded;
  EXPECT_EQ(DecodePushRecord(payload, &decoded).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace silt::engine
