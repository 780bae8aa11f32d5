#include "protocol/frame_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lz4.h>

#include <cstdint>
#include <random>
#include <vector>

#include "protocol/frame_decoder.h"
#include "protocol/messages.h"
#include "shared/hash/xxh3.h"
#include "tests/unit/protocol/frame_test_util.h"

namespace silt::protocol {
namespace {

using ::testing::HasSubstr;
using testing::SampleBatchPayload;

std::vector<uint8_t> RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(n);
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
  return bytes;
}

// The worked example of docs/formats/frame.md, byte for byte. If this test fails, the format
// changed: update the document (and think about compatibility) in the same commit.
TEST(FrameEncoderTest, AckGoldenBytesMatchTheFormatDocument) {
  const std::vector<uint8_t> expected = {
      0x53, 0x49, 0x4c, 0x54,                          // magic "SILT"
      0x01,                                            // version 1
      0x04,                                            // type 4 = Ack
      0x00, 0x00,                                      // flags: plain
      0x18, 0x00, 0x00, 0x00,                          // wire length 24
      0x18, 0x00, 0x00, 0x00,                          // uncompressed length 24
      0x29, 0x2c, 0xa9, 0x6b, 0xc3, 0x38, 0x36, 0xe7,  // XXH3-64 0xe73638c36ba92c29
      0x0c, 0x00, 0x00, 0x00,                          // root table at payload offset 12
      0x00, 0x00,                                      // padding
      0x06, 0x00, 0x0c, 0x00, 0x04, 0x00,              // vtable: 6 bytes, table 12, field@4
      0x06, 0x00, 0x00, 0x00,                          // table: vtable is 6 bytes before
      0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // batch_id = 42
  };
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeAck(42, &frame).ok());
  EXPECT_EQ(frame, expected);
  EXPECT_EQ(hash::Xxh3(frame.data() + kFrameHeaderSize, 24), 0xe73638c36ba92c29ull);
}

TEST(FrameEncoderTest, HeaderFieldsAreLittleEndian) {
  const std::vector<uint8_t> payload = SampleBatchPayload(9, 10);
  std::vector<uint8_t> frame;
  FrameEncoderOptions options;
  options.lz4 = false;
  ASSERT_TRUE(FrameEncoder(options).Encode(FrameType::kBatch, payload, &frame).ok());
  ASSERT_EQ(frame.size(), kFrameHeaderSize + payload.size());
  const FrameHeader h = DecodeFrameHeader(frame.data());
  EXPECT_EQ(frame[4], kFrameVersion);
  EXPECT_EQ(frame[5], 3);
  EXPECT_EQ(h.flags, 0);
  EXPECT_EQ(h.wire_length, payload.size());
  EXPECT_EQ(frame[8], payload.size() & 0xff);
  EXPECT_EQ(frame[9], (payload.size() >> 8) & 0xff);
  EXPECT_EQ(h.uncompressed_length, payload.size());
  EXPECT_EQ(h.checksum, hash::Xxh3(payload.data(), payload.size()));
  EXPECT_EQ(std::vector<uint8_t>(frame.begin() + kFrameHeaderSize, frame.end()), payload);
}

TEST(FrameEncoderTest, CompressiblePayloadIsSentAsLz4) {
  const std::vector<uint8_t> payload = SampleBatchPayload(9, 200);
  std::vector<uint8_t> frame;
  ASSERT_TRUE(FrameEncoder().Encode(FrameType::kBatch, payload, &frame).ok());
  const FrameHeader h = DecodeFrameHeader(frame.data());
  EXPECT_EQ(h.flags, kFlagLz4);
  EXPECT_EQ(h.uncompressed_length, payload.size());
  EXPECT_LT(h.wire_length, payload.size() / 2);
  EXPECT_EQ(frame.size(), kFrameHeaderSize + h.wire_length);
  EXPECT_EQ(h.checksum, hash::Xxh3(frame.data() + kFrameHeaderSize, h.wire_length));
}

TEST(FrameEncoderTest, IncompressiblePayloadIsSentPlain) {
  const std::vector<uint8_t> payload = RandomBytes(4096, 1);
  std::vector<uint8_t> frame;
  ASSERT_TRUE(FrameEncoder().Encode(FrameType::kBatch, payload, &frame).ok());
  const FrameHeader h = DecodeFrameHeader(frame.data());
  EXPECT_EQ(h.flags, 0);
  EXPECT_EQ(h.wire_length, payload.size());
  EXPECT_EQ(frame.size(), kFrameHeaderSize + payload.size());
}

TEST(FrameEncoderTest, PayloadBelowMinLz4BytesIsSentPlain) {
  const std::vector<uint8_t> payload(100, 'a');
  std::vector<uint8_t> frame;
  FrameEncoderOptions options;
  options.min_lz4_bytes = 101;
  ASSERT_TRUE(FrameEncoder(options).Encode(FrameType::kBatch, payload, &frame).ok());
  EXPECT_EQ(DecodeFrameHeader(frame.data()).flags, 0);
  options.min_lz4_bytes = 100;
  frame.clear();
  ASSERT_TRUE(FrameEncoder(options).Encode(FrameType::kBatch, payload, &frame).ok());
  EXPECT_EQ(DecodeFrameHeader(frame.data()).flags, kFlagLz4);
}

TEST(FrameEncoderTest, Lz4OffSendsPlain) {
  const std::vector<uint8_t> payload(1000, 'a');
  std::vector<uint8_t> frame;
  FrameEncoderOptions options;
  options.lz4 = false;
  ASSERT_TRUE(FrameEncoder(options).Encode(FrameType::kBatch, payload, &frame).ok());
  EXPECT_EQ(DecodeFrameHeader(frame.data()).flags, 0);
  EXPECT_EQ(frame.size(), kFrameHeaderSize + 1000);
}

TEST(FrameEncoderTest, FramesAreAppendedAfterExistingBytes) {
  std::vector<uint8_t> out = {1, 2, 3};
  ASSERT_TRUE(EncodeAck(1, &out).ok());
  ASSERT_TRUE(EncodeAck(2, &out).ok());
  ASSERT_EQ(out.size(), 3 + 2 * 48u);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[3], 'S');
  EXPECT_EQ(out[3 + 48], 'S');
  FrameDecoder decoder;
  auto frames = testing::DecodeAll(&decoder, std::span<const uint8_t>(out).subspan(3), 1000);
  ASSERT_TRUE(frames.ok()) << frames.status();
  ASSERT_EQ(frames->size(), 2u);
}

TEST(FrameEncoderTest, PayloadOverPeerUncompressedLimitIsRefused) {
  FrameEncoderOptions options;
  options.peer_limits.max_uncompressed_bytes = 1000;
  std::vector<uint8_t> out = {7};
  const std::vector<uint8_t> payload(1001, 'a');
  Status status = FrameEncoder(options).Encode(FrameType::kBatch, payload, &out);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("1001"));
  EXPECT_THAT(status.message(), HasSubstr("1000"));
  EXPECT_EQ(out, std::vector<uint8_t>{7});
}

TEST(FrameEncoderTest, IncompressiblePayloadOverPeerWireLimitIsRefused) {
  FrameEncoderOptions options;
  options.peer_limits.max_wire_bytes = 1000;
  std::vector<uint8_t> out;
  Status status = FrameEncoder(options).Encode(FrameType::kBatch, RandomBytes(1001, 2), &out);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("Batch payload of 1001 bytes"));
  EXPECT_THAT(status.message(), HasSubstr("lz4 does not shrink it"));
  EXPECT_TRUE(out.empty());
}

TEST(FrameEncoderTest, CompressiblePayloadOverWireLimitFitsAfterLz4) {
  FrameEncoderOptions options;
  options.peer_limits.max_wire_bytes = 1000;
  const std::vector<uint8_t> payload(5000, 'x');
  std::vector<uint8_t> out;
  ASSERT_TRUE(FrameEncoder(options).Encode(FrameType::kBatch, payload, &out).ok());
  EXPECT_EQ(DecodeFrameHeader(out.data()).flags, kFlagLz4);
  FrameDecoder decoder(options.peer_limits);
  decoder.Feed(out);
  // 5000 'x' is not a FlatBuffers table, but everything before verification passed.
  EXPECT_FALSE(decoder.Next().ok());
  EXPECT_EQ(decoder.error(), FrameError::kVerifyFailed);
}

TEST(FrameEncoderTest, Lz4OverPeerRatioPolicyIsSentPlain) {
  FrameEncoderOptions options;
  options.peer_limits.max_lz4_ratio = 2;
  const std::vector<uint8_t> payload(5000, 'x');
  std::vector<uint8_t> out;
  ASSERT_TRUE(FrameEncoder(options).Encode(FrameType::kBatch, payload, &out).ok());
  EXPECT_EQ(DecodeFrameHeader(out.data()).flags, 0);
  EXPECT_EQ(out.size(), kFrameHeaderSize + 5000);
}

TEST(FrameEncoderTest, HigherAccelerationStillRoundTrips) {
  FrameEncoderOptions options;
  options.lz4_acceleration = 50;
  const std::vector<uint8_t> payload = SampleBatchPayload(3, 100);
  std::vector<uint8_t> out;
  ASSERT_TRUE(FrameEncoder(options).Encode(FrameType::kBatch, payload, &out).ok());
  FrameDecoder decoder;
  auto frames = testing::DecodeAll(&decoder, out, out.size());
  ASSERT_TRUE(frames.ok()) << frames.status();
  ASSERT_EQ(frames->size(), 1u);
  EXPECT_EQ((*frames)[0].payload, payload);
}

// The decoder's default ratio guard (kLz4MaxRatio) relies on lz4 blocks never expanding beyond
// 255:1. The best case for lz4 is a run of one byte; it stays under the bound and close to it,
// so the guard is both safe and tight.
TEST(FrameEncoderTest, Lz4BestCaseRatioStaysUnderTheGuard) {
  const std::vector<char> zeros(8 << 20, 0);
  std::vector<char> compressed(LZ4_compressBound(static_cast<int>(zeros.size())));
  const int n =
      LZ4_compress_default(zeros.data(), compressed.data(), static_cast<int>(zeros.size()),
                           static_cast<int>(compressed.size()));
  ASSERT_GT(n, 0);
  EXPECT_LE(zeros.size(), static_cast<size_t>(n) * kLz4MaxRatio);
  EXPECT_GT(zeros.size(), static_cast<size_t>(n) * 250);
}

}  // namespace
}  // namespace silt::protocol
