#include "aggregator/engine/push_record.h"

#include <gtest/gtest.h>

#include <span>
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
  std::string payload(
      "\x01\x01t\x00\x00\x01\x02\x01"
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

// The bytes of docs/formats/wal.md "Push records", written out by hand.
TEST(PushRecordTest, GoldenBytes) {
  std::vector<labels::LabelView> metadata = {{"k", "v"}};
  const std::string long_line(200, 'z');
  PushRequest request;
  request.tenant = "t";
  request.agent_id = "a";
  request.sources = {{0x0102030405060708, 1, 300}};
  PushStream stream{labels::LabelSet::Of({{"job", "x"}}), {}};
  stream.entries.push_back({-1, "hi", metadata, 0, 10});
  stream.entries.push_back({2, long_line, {}, 0, 210});
  request.streams.push_back(std::move(stream));
  // clang-format off
  std::string expected = std::string(
      "\x01"                              // version
      "\x01t" "\x01\x61"                   // tenant, agent id
      "\x01"                              // 1 source
      "\x08\x07\x06\x05\x04\x03\x02\x01"  // source id (LE)
      "\x01" "\xac\x02"                    // start 1, end 300
      "\x01"                              // 1 stream
      "\x01" "\x03job" "\x01x"             // labels {job="x"}
      "\x02"                              // 2 entries
      "\xff\xff\xff\xff\xff\xff\xff\xff"  // timestamp -1
      "\x02hi" "\x01" "\x01k" "\x01v"       // line, 1 metadata pair
      "\x02\x00\x00\x00\x00\x00\x00\x00"  // timestamp 2
      "\xc8\x01", 52) + long_line + std::string(1, '\0');  // line of 200, no metadata
  // clang-format on
  ASSERT_EQ(PushRecordSize(request), expected.size());
  std::string payload;
  EncodePushRecord(request, &payload);
  EXPECT_EQ(payload, expected);
  std::string in_place(expected.size(), '?');
  PushLayout layout;
  EXPECT_EQ(EncodePushRecord(request, std::span<char>(in_place), &layout), expected.size());
  EXPECT_EQ(in_place, expected);
}

// The layout recorded while encoding resolves to exactly what decoding the payload gives, with
// every view inside the payload.
TEST(PushRecordTest, LayoutResolvesToTheDecodedEntries) {
  Owned owned;
  std::string payload(PushRecordSize(owned.request), '\0');
  PushLayout layout;
  ASSERT_EQ(EncodePushRecord(owned.request, std::span<char>(payload), &layout), payload.size());
  DecodedPush decoded;
  ASSERT_TRUE(DecodePushRecord(payload, &decoded).ok());
  const auto inside = [&](std::string_view view) {
    return view.empty() || (view.data() >= payload.data() &&
                            view.data() + view.size() <= payload.data() + payload.size());
  };
  ASSERT_EQ(layout.streams.size(), decoded.request.streams.size());
  std::vector<labels::LabelView> metadata;
  std::vector<PushEntry> entries;
  for (size_t s = 0; s < layout.streams.size(); ++s) {
    const PushStream& want = decoded.request.streams[s];
    EXPECT_EQ(layout.streams[s].labels, want.labels);
    layout.Resolve(payload, layout.streams[s], &metadata, &entries);
    ASSERT_EQ(entries.size(), want.entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ(entries[i].timestamp, want.entries[i].timestamp);
      EXPECT_EQ(entries[i].line, want.entries[i].line);
      EXPECT_TRUE(inside(entries[i].line));
      ASSERT_EQ(entries[i].metadata.size(), want.entries[i].metadata.size());
      for (size_t m = 0; m < entries[i].metadata.size(); ++m) {
        EXPECT_EQ(entries[i].metadata[m], want.entries[i].metadata[m]);
        EXPECT_TRUE(inside(entries[i].metadata[m].name));
        EXPECT_TRUE(inside(entries[i].metadata[m].value));
      }
    }
  }
  // A second encoding into the same layout replaces what it held.
  owned.request.streams.pop_back();
  std::string smaller(PushRecordSize(owned.request), '\0');
  EncodePushRecord(owned.request, std::span<char>(smaller), &layout);
  EXPECT_EQ(layout.streams.size(), 1u);
  EXPECT_EQ(layout.entries.size(), 2u);
  EXPECT_EQ(layout.pairs.size(), 2u);
}

}  // namespace
}  // namespace silt::engine
