#include "protocol/messages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/frame_decoder.h"
#include "tests/unit/protocol/frame_test_util.h"

namespace silt::protocol {
namespace {

// Decodes the single frame in `stream` and returns a copy of it.
testing::DecodedFrame DecodeOne(std::span<const uint8_t> stream) {
  FrameDecoder decoder;
  auto frames = testing::DecodeAll(&decoder, stream, 3);
  EXPECT_TRUE(frames.ok()) << frames.status();
  EXPECT_EQ(frames.ok() ? frames->size() : 0, 1u);
  return frames.ok() && frames->size() == 1 ? (*frames)[0] : testing::DecodedFrame{};
}

// The frame in `plain` re-encoded as an lz4 frame, even where lz4 does not shrink it (the
// encoder would send such a payload plain, but a peer may legally send it compressed).
std::vector<uint8_t> AsLz4(const std::vector<uint8_t>& plain) {
  const auto payload = std::span<const uint8_t>(plain).subspan(kFrameHeaderSize);
  const std::vector<uint8_t> block = testing::Lz4Block(payload);
  return testing::RawFrame(testing::HeaderFor(plain[kTypeOffset], block,
                                              static_cast<uint32_t>(payload.size()), kFlagLz4),
                           block);
}

template <typename Table>
const Table* Root(const testing::DecodedFrame& frame) {
  return flatbuffers::GetRoot<Table>(frame.payload.data());
}

class MessagesTest : public ::testing::TestWithParam<bool> {
 protected:
  // Encodes with Encode*, then optionally re-encodes with lz4, then decodes.
  testing::DecodedFrame RoundTrip(const std::vector<uint8_t>& plain) {
    const testing::DecodedFrame frame = DecodeOne(GetParam() ? AsLz4(plain) : plain);
    EXPECT_EQ(frame.flags, GetParam() ? kFlagLz4 : 0);
    return frame;
  }
};

const std::string kLong(300, 'r');

TEST_P(MessagesTest, HelloRoundTrips) {
  HelloMessage hello{
      "agent-7f3a", "web-01.example.com", "0.1.0", "tok-" + kLong, 1, 8 * kMiB, 32 * kMiB,
      false,        1714564800123456789};
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeHello(hello, &frame).ok());
  const auto decoded = RoundTrip(frame);
  ASSERT_EQ(decoded.type, FrameType::kHello);
  const HelloMessage got = ReadHello(*Root<fb::Hello>(decoded));
  EXPECT_EQ(got.agent_id, hello.agent_id);
  EXPECT_EQ(got.host, hello.host);
  EXPECT_EQ(got.agent_version, hello.agent_version);
  EXPECT_EQ(got.token, hello.token);
  EXPECT_EQ(got.protocol_version, 1u);
  EXPECT_EQ(got.max_wire_bytes, 8 * kMiB);
  EXPECT_EQ(got.max_uncompressed_bytes, 32 * kMiB);
  EXPECT_FALSE(got.accepts_lz4);
  EXPECT_EQ(got.started_at_ns, 1714564800123456789);
}

TEST_P(MessagesTest, WelcomeRoundTrips) {
  WelcomeMessage welcome{0xdeadbeefcafe,
                         "0.1.0-" + kLong,
                         "team-a",
                         1,
                         4 * kMiB,
                         16 * kMiB,
                         8,
                         256 * 1024,
                         15000,
                         60000,
                         true};
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeWelcome(welcome, &frame).ok());
  const auto decoded = RoundTrip(frame);
  ASSERT_EQ(decoded.type, FrameType::kWelcome);
  const WelcomeMessage got = ReadWelcome(*Root<fb::Welcome>(decoded));
  EXPECT_EQ(got.session_id, welcome.session_id);
  EXPECT_EQ(got.server_version, welcome.server_version);
  EXPECT_EQ(got.tenant, "team-a");
  EXPECT_EQ(got.protocol_version, 1u);
  EXPECT_EQ(got.max_wire_bytes, 4 * kMiB);
  EXPECT_EQ(got.max_uncompressed_bytes, 16 * kMiB);
  EXPECT_EQ(got.max_inflight_batches, 8u);
  EXPECT_EQ(got.max_line_bytes, 256u * 1024);
  EXPECT_EQ(got.heartbeat_interval_ms, 15000u);
  EXPECT_EQ(got.idle_timeout_ms, 60000u);
  EXPECT_TRUE(got.ordered_sources);
}

TEST_P(MessagesTest, AckRoundTrips) {
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeAck(0xFFFFFFFFFFFFFFFF, &frame).ok());
  const auto decoded = RoundTrip(frame);
  ASSERT_EQ(decoded.type, FrameType::kAck);
  EXPECT_EQ(Root<fb::Ack>(decoded)->batch_id(), 0xFFFFFFFFFFFFFFFFu);
}

TEST_P(MessagesTest, NackRoundTrips) {
  NackMessage nack{17, fb::NackCode::wal_full, 2500, "WAL full: " + kLong};
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeNack(nack, &frame).ok());
  const auto decoded = RoundTrip(frame);
  ASSERT_EQ(decoded.type, FrameType::kNack);
  const NackMessage got = ReadNack(*Root<fb::Nack>(decoded));
  EXPECT_EQ(got.batch_id, 17u);
  EXPECT_EQ(got.code, fb::NackCode::wal_full);
  EXPECT_EQ(got.retry_after_ms, 2500u);
  EXPECT_EQ(got.reason, nack.reason);
}

TEST_P(MessagesTest, HeartbeatRoundTrips) {
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeHeartbeat(HeartbeatMessage{99, -5, true}, &frame).ok());
  const auto decoded = RoundTrip(frame);
  ASSERT_EQ(decoded.type, FrameType::kHeartbeat);
  const HeartbeatMessage got = ReadHeartbeat(*Root<fb::Heartbeat>(decoded));
  EXPECT_EQ(got.sequence, 99u);
  EXPECT_EQ(got.sent_at_ns, -5);
  EXPECT_TRUE(got.reply);
}

TEST_P(MessagesTest, GoodbyeRoundTrips) {
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeGoodbye(GoodbyeMessage{"shutting down " + kLong, 3000}, &frame).ok());
  const auto decoded = RoundTrip(frame);
  ASSERT_EQ(decoded.type, FrameType::kGoodbye);
  const GoodbyeMessage got = ReadGoodbye(*Root<fb::Goodbye>(decoded));
  EXPECT_EQ(got.reason, "shutting down " + kLong);
  EXPECT_EQ(got.reconnect_after_ms, 3000u);
}

TEST_P(MessagesTest, BatchRoundTrips) {
  const std::vector<uint8_t> payload = testing::SampleBatchPayload(5, 30);
  const auto decoded = DecodeOne(testing::EncodeFrame(FrameType::kBatch, payload, GetParam()));
  ASSERT_EQ(decoded.type, FrameType::kBatch);
  EXPECT_EQ(decoded.flags, GetParam() ? kFlagLz4 : 0);
  EXPECT_EQ(decoded.payload, payload);
  EXPECT_EQ(Root<fb::Batch>(decoded)->batch_id(), 5u);
}

INSTANTIATE_TEST_SUITE_P(PlainAndLz4, MessagesTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Lz4" : "Plain"; });

TEST(MessagesTest, AbsentFieldsReadAsDefaults) {
  flatbuffers::FlatBufferBuilder b;
  b.Finish(fb::CreateHello(b));
  const HelloMessage hello = ReadHello(*flatbuffers::GetRoot<fb::Hello>(b.GetBufferPointer()));
  EXPECT_EQ(hello.agent_id, "");
  EXPECT_EQ(hello.token, "");
  EXPECT_EQ(hello.protocol_version, 0u);
  EXPECT_TRUE(hello.accepts_lz4);
}

TEST(MessagesTest, UnknownNackCodeReadsAsInternal) {
  flatbuffers::FlatBufferBuilder b;
  b.Finish(fb::CreateNack(b, 3, static_cast<fb::NackCode>(200)));
  const NackMessage nack = ReadNack(*flatbuffers::GetRoot<fb::Nack>(b.GetBufferPointer()));
  EXPECT_EQ(nack.code, fb::NackCode::internal);
  EXPECT_EQ(NackCodeName(static_cast<fb::NackCode>(200)), "unknown");
  EXPECT_EQ(NackCodeName(fb::NackCode::rate_limited), "rate_limited");
}

TEST(MessagesTest, AnnouncedLimitsFillDefaultsAndClamp) {
  WelcomeMessage welcome;
  FrameLimits limits = AnnouncedLimits(welcome);
  EXPECT_EQ(limits.max_wire_bytes, kDefaultMaxWireBytes);
  EXPECT_EQ(limits.max_uncompressed_bytes, kDefaultMaxUncompressedBytes);
  welcome.max_wire_bytes = 1000;
  welcome.max_uncompressed_bytes = 0xFFFFFFFF;
  limits = AnnouncedLimits(welcome);
  EXPECT_EQ(limits.max_wire_bytes, 1000u);
  EXPECT_EQ(limits.max_uncompressed_bytes, kMaxConfigurableBytes);
  EXPECT_TRUE(limits.IsValid());
  HelloMessage hello;
  hello.max_wire_bytes = 4 * kMiB;
  EXPECT_EQ(AnnouncedLimits(hello).max_wire_bytes, 4 * kMiB);
}

TEST(MessagesTest, OversizedControlMessageIsRefused) {
  NackMessage nack;
  nack.reason.assign(kDefaultMaxWireBytes + 1, 'x');
  std::vector<uint8_t> out;
  Status status = EncodeNack(nack, &out);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace silt::protocol
