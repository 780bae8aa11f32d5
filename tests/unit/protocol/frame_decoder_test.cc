#include "protocol/frame_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "tests/unit/protocol/frame_test_util.h"

namespace silt::protocol {
namespace {

using testing::AsBytes;
using testing::DecodeAll;
using testing::EncodeFrame;
using ::testing::HasSubstr;
using testing::HeaderFor;
using testing::Lz4Block;
using testing::RawFrame;
using testing::SampleBatchPayload;

constexpr uint8_t kBatch = static_cast<uint8_t>(FrameType::kBatch);

// Hello, an lz4 Batch, a plain Batch, Ack, Heartbeat: the frames and the stream of all of them.
struct MixedStream {
  std::vector<std::vector<uint8_t>> frames;
  std::vector<uint8_t> bytes;
};

MixedStream MakeMixedStream() {
  MixedStream s;
  std::vector<uint8_t> f;
  EXPECT_TRUE(EncodeHello(HelloMessage{"agent-1", "web-01", "0.1.0", "secret"}, &f).ok());
  s.frames.push_back(f);
  s.frames.push_back(EncodeFrame(FrameType::kBatch, SampleBatchPayload(1, 40), true));
  s.frames.push_back(EncodeFrame(FrameType::kBatch, SampleBatchPayload(2, 3), false));
  f.clear();
  EXPECT_TRUE(EncodeAck(2, &f).ok());
  s.frames.push_back(f);
  f.clear();
  EXPECT_TRUE(EncodeHeartbeat(HeartbeatMessage{5, 123, false}, &f).ok());
  s.frames.push_back(f);
  for (const auto& frame : s.frames) s.bytes.insert(s.bytes.end(), frame.begin(), frame.end());
  return s;
}

// Feeds `bytes` one at a time and returns the status of the first failing Next(), or OK.
Status FeedBytewise(FrameDecoder* decoder, std::span<const uint8_t> bytes) {
  for (uint8_t b : bytes) {
    decoder->Feed(std::span<const uint8_t>(&b, 1));
    while (true) {
      auto next = decoder->Next();
      if (!next.ok()) return next.status();
      if (!next->has_value()) break;
    }
  }
  return Status::Ok();
}

void ExpectFrames(const std::vector<testing::DecodedFrame>& got, const MixedStream& want) {
  ASSERT_EQ(got.size(), want.frames.size());
  uint64_t offset = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const FrameHeader h = DecodeFrameHeader(want.frames[i].data());
    EXPECT_EQ(static_cast<uint8_t>(got[i].type), h.type) << i;
    EXPECT_EQ(got[i].flags, h.flags) << i;
    EXPECT_EQ(got[i].stream_offset, offset) << i;
    EXPECT_EQ(got[i].payload.size(), h.uncompressed_length) << i;
    offset += want.frames[i].size();
  }
}

TEST(FrameDecoderTest, SeveralFramesInOneFeedAreAllReturned) {
  const MixedStream s = MakeMixedStream();
  FrameDecoder decoder;
  auto frames = DecodeAll(&decoder, s.bytes, s.bytes.size());
  ASSERT_TRUE(frames.ok()) << frames.status();
  ExpectFrames(*frames, s);
  EXPECT_EQ((*frames)[1].payload, SampleBatchPayload(1, 40));
  EXPECT_EQ((*frames)[2].payload, SampleBatchPayload(2, 3));
  EXPECT_EQ(decoder.stream_offset(), s.bytes.size());
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

TEST(FrameDecoderTest, OneByteAtATimeDecodesTheSameFrames) {
  const MixedStream s = MakeMixedStream();
  FrameDecoder decoder;
  auto frames = DecodeAll(&decoder, s.bytes, 1);
  ASSERT_TRUE(frames.ok()) << frames.status();
  ExpectFrames(*frames, s);
}

TEST(FrameDecoderTest, EverySplitPointDecodesTheSameFrames) {
  const MixedStream s = MakeMixedStream();
  for (size_t split = 0; split <= s.bytes.size(); ++split) {
    FrameDecoder decoder;
    std::vector<testing::DecodedFrame> frames;
    for (auto piece : {std::span<const uint8_t>(s.bytes).first(split),
                       std::span<const uint8_t>(s.bytes).subspan(split)}) {
      decoder.Feed(piece);
      while (true) {
        auto next = decoder.Next();
        ASSERT_TRUE(next.ok()) << "split " << split << ": " << next.status();
        if (!next->has_value()) break;
        const Frame& f = **next;
        frames.push_back({f.type(), f.flags(), f.stream_offset(),
                          std::vector<uint8_t>(f.payload().begin(), f.payload().end())});
      }
    }
    ASSERT_TRUE(decoder.Finish().ok()) << "split " << split;
    ExpectFrames(frames, s);
  }
}

TEST(FrameDecoderTest, PayloadsAreAlignedWhateverTheirStreamPosition) {
  // Frames of odd sizes back to back put later payloads at odd buffer offsets.
  std::vector<uint8_t> stream = {};
  for (const char* reason : {"a", "bb", "ccc", "dddd", "eeeee"}) {
    ASSERT_TRUE(EncodeGoodbye(GoodbyeMessage{reason, 0}, &stream).ok());
    std::vector<uint8_t> odd = EncodeFrame(FrameType::kBatch, SampleBatchPayload(7, 3), true);
    stream.insert(stream.end(), odd.begin(), odd.end());
  }
  FrameDecoder decoder;
  decoder.Feed(stream);
  int count = 0;
  while (true) {
    auto next = decoder.Next();
    ASSERT_TRUE(next.ok()) << next.status();
    if (!next->has_value()) break;
    EXPECT_EQ(reinterpret_cast<uintptr_t>((*next)->payload().data()) % 8, 0u);
    ++count;
  }
  EXPECT_EQ(count, 10);
}

TEST(FrameDecoderTest, TypedAccessorsMatchTheFrameType) {
  std::vector<uint8_t> stream;
  ASSERT_TRUE(EncodeAck(77, &stream).ok());
  FrameDecoder decoder;
  decoder.Feed(stream);
  auto next = decoder.Next();
  ASSERT_TRUE(next.ok() && next->has_value());
  const Frame& frame = **next;
  ASSERT_NE(frame.AsAck(), nullptr);
  EXPECT_EQ(frame.AsAck()->batch_id(), 77u);
  EXPECT_EQ(frame.AsBatch(), nullptr);
  EXPECT_EQ(frame.AsHello(), nullptr);
  EXPECT_EQ(frame.AsNack(), nullptr);
  EXPECT_EQ(frame.wire_size(), 48u);
}

TEST(FrameDecoderTest, CleanEndOfStreamFinishesOk) {
  FrameDecoder empty;
  EXPECT_TRUE(empty.Finish().ok());
  std::vector<uint8_t> stream;
  ASSERT_TRUE(EncodeAck(1, &stream).ok());
  FrameDecoder decoder;
  auto frames = DecodeAll(&decoder, stream, 5);
  ASSERT_TRUE(frames.ok()) << frames.status();
  EXPECT_EQ(frames->size(), 1u);
}

TEST(FrameDecoderTest, TruncatedAtEveryByteOffsetIsReported) {
  const std::vector<uint8_t> frame = EncodeFrame(FrameType::kBatch, SampleBatchPayload(1, 5), true);
  const size_t wire = frame.size() - kFrameHeaderSize;
  for (size_t cut = 1; cut < frame.size(); ++cut) {
    FrameDecoder decoder;
    auto frames = DecodeAll(&decoder, std::span<const uint8_t>(frame).first(cut), 7);
    ASSERT_FALSE(frames.ok()) << "cut " << cut;
    EXPECT_EQ(decoder.error(), FrameError::kTruncated) << "cut " << cut;
    EXPECT_EQ(frames.status().code(), StatusCode::kUnavailable);
    const std::string expected = cut < kFrameHeaderSize
                                     ? "have " + std::to_string(cut) + " of 24 header bytes"
                                     : "have " + std::to_string(cut - kFrameHeaderSize) + " of " +
                                           std::to_string(wire) + " payload bytes";
    EXPECT_THAT(frames.status().message(), HasSubstr("stream ended inside a frame: " + expected));
  }
}

TEST(FrameDecoderTest, TruncationAfterCompleteFramesNamesTheFrameOffset) {
  std::vector<uint8_t> stream;
  ASSERT_TRUE(EncodeAck(1, &stream).ok());
  ASSERT_TRUE(EncodeAck(2, &stream).ok());
  stream.resize(stream.size() - 10);
  FrameDecoder decoder;
  auto frames = DecodeAll(&decoder, stream, 3);
  ASSERT_FALSE(frames.ok());
  EXPECT_THAT(frames.status().message(),
              HasSubstr("frame at stream offset 48: stream ended inside a frame: have 14 of 24 "
                        "payload bytes"));
}

TEST(FrameDecoderTest, BadMagicIsRejectedAtTheFirstDifferingByte) {
  for (size_t pos = 0; pos < 4; ++pos) {
    std::vector<uint8_t> frame;
    ASSERT_TRUE(EncodeAck(1, &frame).ok());
    frame[pos] ^= 0x20;
    FrameDecoder decoder;
    decoder.Feed(std::span<const uint8_t>(frame).first(pos + 1));
    auto next = decoder.Next();
    ASSERT_FALSE(next.ok()) << "pos " << pos;
    EXPECT_EQ(decoder.error(), FrameError::kBadMagic);
    EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(next.status().message(), HasSubstr("frame at stream offset 0: bad magic"));
  }
}

TEST(FrameDecoderTest, HttpRequestOnTheAgentPortIsBadMagic) {
  FrameDecoder decoder;
  Status status = FeedBytewise(&decoder, AsBytes("GET / HTTP/1.1\r\n"));
  EXPECT_EQ(decoder.error(), FrameError::kBadMagic);
  EXPECT_THAT(status.message(), HasSubstr("got 47 (\"G\")"));
}

TEST(FrameDecoderTest, BadMagicInALaterFrameNamesItsOffset) {
  std::vector<uint8_t> stream;
  ASSERT_TRUE(EncodeAck(1, &stream).ok());
  stream.insert(stream.end(), {'S', 'I', 'L', 'X'});
  FrameDecoder decoder;
  Status status = FeedBytewise(&decoder, stream);
  EXPECT_EQ(decoder.error(), FrameError::kBadMagic);
  EXPECT_THAT(status.message(), HasSubstr("frame at stream offset 48: bad magic"));
  EXPECT_THAT(status.message(), HasSubstr("53 49 4c 58 (\"SILX\")"));
}

TEST(FrameDecoderTest, UnknownVersionIsRejected) {
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeAck(1, &frame).ok());
  frame[kVersionOffset] = 2;
  FrameDecoder decoder;
  decoder.Feed(std::span<const uint8_t>(frame).first(5));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kUnsupportedVersion);
  EXPECT_EQ(next.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(next.status().message(), HasSubstr("unsupported frame version 2"));
  EXPECT_THAT(next.status().message(), HasSubstr("speaks version 1"));
}

TEST(FrameDecoderTest, UnknownTypeIsRejected) {
  for (uint8_t type : {0, 8, 255}) {
    std::vector<uint8_t> frame;
    ASSERT_TRUE(EncodeAck(1, &frame).ok());
    frame[kTypeOffset] = type;
    FrameDecoder decoder;
    decoder.Feed(std::span<const uint8_t>(frame).first(6));
    auto next = decoder.Next();
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(decoder.error(), FrameError::kUnknownType);
    EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(next.status().message(), HasSubstr("unknown frame type " + std::to_string(type)));
  }
}

TEST(FrameDecoderTest, UnknownFlagsAreRejected) {
  for (uint16_t flags : {0x0002, 0x0100, 0x8001}) {
    std::vector<uint8_t> frame;
    ASSERT_TRUE(EncodeAck(1, &frame).ok());
    frame[kFlagsOffset] = static_cast<uint8_t>(flags);
    frame[kFlagsOffset + 1] = static_cast<uint8_t>(flags >> 8);
    FrameDecoder decoder;
    decoder.Feed(std::span<const uint8_t>(frame).first(8));
    auto next = decoder.Next();
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(decoder.error(), FrameError::kUnknownFlags);
    EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
  }
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeAck(1, &frame).ok());
  frame[kFlagsOffset] = 0x07;
  FrameDecoder decoder;
  Status status = FeedBytewise(&decoder, frame);
  EXPECT_THAT(status.message(), HasSubstr("unknown flag bits 0x0006 in flags 0x0007"));
}

TEST(FrameDecoderTest, OversizeFrameIsRejectedFromItsLengthField) {
  FrameHeader h;
  h.type = kBatch;
  h.wire_length = 20 * kMiB;
  h.uncompressed_length = 20 * kMiB;
  const std::vector<uint8_t> frame = RawFrame(h, {});
  FrameDecoder decoder;
  decoder.Feed(std::span<const uint8_t>(frame).first(12));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kOversizeFrame);
  EXPECT_EQ(next.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(next.status().message(),
            "frame at stream offset 0: payload length 20971520 exceeds the limit of 16777216 "
            "bytes (16 MiB); raise max_wire_bytes on both sides or send smaller batches");
}

TEST(FrameDecoderTest, LengthOverflowIsRejected) {
  FrameHeader h;
  h.type = kBatch;
  h.wire_length = 0xFFFFFFFF;
  h.uncompressed_length = 0xFFFFFFFF;
  FrameDecoder wire_decoder;
  Status status = FeedBytewise(&wire_decoder, RawFrame(h, {}));
  EXPECT_EQ(wire_decoder.error(), FrameError::kOversizeFrame);
  EXPECT_THAT(status.message(), HasSubstr("payload length 4294967295 exceeds"));

  h.wire_length = 100;
  h.flags = kFlagLz4;
  FrameDecoder uncompressed_decoder;
  status = FeedBytewise(&uncompressed_decoder, RawFrame(h, {}));
  EXPECT_EQ(uncompressed_decoder.error(), FrameError::kUncompressedTooLarge);
  EXPECT_THAT(status.message(), HasSubstr("uncompressed length 4294967295 exceeds"));
}

TEST(FrameDecoderTest, UncompressedTooLargeIsRejectedFromTheHeader) {
  FrameHeader h;
  h.type = kBatch;
  h.flags = kFlagLz4;
  h.wire_length = 1 * kMiB;
  h.uncompressed_length = 65 * kMiB;
  FrameDecoder decoder;
  decoder.Feed(RawFrame(h, {}));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kUncompressedTooLarge);
  EXPECT_EQ(next.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(next.status().message(),
              HasSubstr("uncompressed length 68157440 exceeds the limit of 67108864 bytes "
                        "(64 MiB)"));
}

TEST(FrameDecoderTest, ConfiguredLimitsAreEnforced) {
  FrameLimits limits;
  limits.max_wire_bytes = 1000;
  const std::vector<uint8_t> frame =
      EncodeFrame(FrameType::kBatch, std::vector<uint8_t>(1001), false);
  FrameDecoder decoder(limits);
  decoder.Feed(frame);
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kOversizeFrame);
  EXPECT_THAT(next.status().message(),
              HasSubstr("payload length 1001 exceeds the limit of 1000 bytes;"));
}

TEST(FrameDecoderTest, PlainFrameWithDifferentLengthsIsRejected) {
  const std::vector<uint8_t> payload(40);
  FrameHeader h = HeaderFor(kBatch, payload, 41);
  FrameDecoder decoder;
  decoder.Feed(RawFrame(h, payload));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kLengthMismatch);
  EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(next.status().message(),
              HasSubstr("uncompressed length 41 differs from payload length 40"));
}

TEST(FrameDecoderTest, Lz4BombIsRejectedBeforeAllocating) {
  // 100 bytes claiming 60 MiB: within the uncompressed limit, impossible for lz4. Only the 16
  // bytes up to the uncompressed length are fed, so the verdict comes from the header alone.
  FrameHeader h;
  h.type = kBatch;
  h.flags = kFlagLz4;
  h.wire_length = 100;
  h.uncompressed_length = 60 * kMiB;
  FrameDecoder decoder;
  decoder.Feed(std::span<const uint8_t>(RawFrame(h, {})).first(16));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kRatioBomb);
  EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(next.status().message(),
              HasSubstr("lz4 payload of 100 bytes declares 62914560 uncompressed bytes, more "
                        "than 255 times its size"));
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

TEST(FrameDecoderTest, Lz4RatioAtTheBoundWaitsForThePayload) {
  FrameHeader h;
  h.type = kBatch;
  h.flags = kFlagLz4;
  h.wire_length = 100;
  h.uncompressed_length = 25500;
  FrameDecoder decoder;
  decoder.Feed(RawFrame(h, {}));
  auto next = decoder.Next();
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(next->has_value());
}

TEST(FrameDecoderTest, LowerRatioPolicyIsAResourceLimit) {
  FrameLimits limits;
  limits.max_lz4_ratio = 10;
  FrameHeader h;
  h.type = kBatch;
  h.flags = kFlagLz4;
  h.wire_length = 100;
  h.uncompressed_length = 1001;
  FrameDecoder decoder(limits);
  decoder.Feed(RawFrame(h, {}));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kRatioBomb);
  EXPECT_EQ(next.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(next.status().message(), HasSubstr("more than 10 times its size"));
}

TEST(FrameDecoderTest, ChecksumMismatchIsReportedForEveryPayloadByte) {
  const std::vector<uint8_t> good = EncodeFrame(FrameType::kBatch, SampleBatchPayload(1, 4), true);
  for (size_t i = kFrameHeaderSize; i < good.size(); ++i) {
    std::vector<uint8_t> bad = good;
    bad[i] ^= 0x01;
    FrameDecoder decoder;
    decoder.Feed(bad);
    auto next = decoder.Next();
    ASSERT_FALSE(next.ok()) << "byte " << i;
    EXPECT_EQ(decoder.error(), FrameError::kChecksumMismatch) << "byte " << i;
    EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(next.status().message(), HasSubstr("checksum mismatch: header says 0x"));
  }
}

TEST(FrameDecoderTest, ChecksumFieldDamageIsAMismatch) {
  std::vector<uint8_t> frame;
  ASSERT_TRUE(EncodeAck(42, &frame).ok());  // the worked example: checksum 0xe73638c36ba92c29
  frame[kChecksumOffset + 7] ^= 0x80;
  FrameDecoder decoder;
  decoder.Feed(frame);
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kChecksumMismatch);
  EXPECT_THAT(next.status().message(), HasSubstr("header says 0x6736"));
  EXPECT_THAT(next.status().message(), HasSubstr("24-byte payload hashes to 0xe73638c36ba92c29"));
}

TEST(FrameDecoderTest, CorruptLz4IsRejected) {
  // A token announcing more literals than the block holds.
  const std::vector<uint8_t> wire(64, 0xFF);
  FrameDecoder decoder;
  decoder.Feed(RawFrame(HeaderFor(kBatch, wire, 1000, kFlagLz4), wire));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kDecompressFailed);
  EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(next.status().message(),
              HasSubstr("lz4 payload of 64 bytes is not a valid lz4 block of at most 1000 bytes"));
}

TEST(FrameDecoderTest, Lz4DecodingPastTheDeclaredSizeIsRejected) {
  const std::vector<uint8_t> payload = SampleBatchPayload(1, 20);
  const std::vector<uint8_t> wire = Lz4Block(payload);
  const auto declared = static_cast<uint32_t>(payload.size() - 1);
  FrameDecoder decoder;
  decoder.Feed(RawFrame(HeaderFor(kBatch, wire, declared, kFlagLz4), wire));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kDecompressFailed);
}

TEST(FrameDecoderTest, DecompressedSizeMismatchIsRejected) {
  const std::vector<uint8_t> payload = SampleBatchPayload(1, 20);
  const std::vector<uint8_t> wire = Lz4Block(payload);
  const auto declared = static_cast<uint32_t>(payload.size() + 8);
  FrameDecoder decoder;
  decoder.Feed(RawFrame(HeaderFor(kBatch, wire, declared, kFlagLz4), wire));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kDecompressedSizeMismatch);
  EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(next.status().message(),
              HasSubstr("decompressed to " + std::to_string(payload.size()) +
                        " bytes but the header declares " + std::to_string(declared)));
}

TEST(FrameDecoderTest, VerifierRejectsGarbageTable) {
  std::vector<uint8_t> garbage(64);
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<uint8_t>(i * 37 + 11);
  for (const auto& frame : {EncodeFrame(FrameType::kBatch, garbage, false),
                            EncodeFrame(FrameType::kHello, std::vector<uint8_t>(), false),
                            EncodeFrame(FrameType::kNack, std::vector<uint8_t>(3), false)}) {
    ASSERT_FALSE(frame.empty());
    FrameDecoder decoder;
    decoder.Feed(frame);
    auto next = decoder.Next();
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(decoder.error(), FrameError::kVerifyFailed);
    EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(next.status().message(), HasSubstr("is not a valid FlatBuffers"));
  }
}

TEST(FrameDecoderTest, EmptyPayloadsFailVerification) {
  // A plain frame with W = U = 0, and an lz4 frame whose one-byte block decodes to 0 bytes.
  const std::vector<uint8_t> empty_block = {0x00};
  for (const auto& frame : {RawFrame(HeaderFor(kBatch, {}, 0), {}),
                            RawFrame(HeaderFor(kBatch, empty_block, 0, kFlagLz4), empty_block)}) {
    FrameDecoder decoder;
    decoder.Feed(frame);
    auto next = decoder.Next();
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(decoder.error(), FrameError::kVerifyFailed);
    EXPECT_THAT(next.status().message(), HasSubstr("Batch payload of 0 bytes"));
  }
}

TEST(FrameDecoderTest, VerifierRejectsLineLengthPastTheEnd) {
  std::vector<uint8_t> payload = SampleBatchPayload(1, 2);
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
  const size_t line = text.find("2024-05-01T12");
  ASSERT_NE(line, std::string_view::npos);
  // The uint32 before a vector's bytes is its length.
  payload[line - 2] = 0x00;
  payload[line - 1] = 0x01;
  FrameDecoder decoder;
  decoder.Feed(EncodeFrame(FrameType::kBatch, payload, false));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kVerifyFailed);
}

TEST(FrameDecoderTest, VerifierRejectsOutOfBoundsRootOffset) {
  std::vector<uint8_t> payload = SampleBatchPayload(1, 2);
  // The root offset points at the Batch table; make it point past the end of the payload.
  payload[0] = static_cast<uint8_t>(payload.size() & 0xff);
  payload[1] = static_cast<uint8_t>((payload.size() >> 8) & 0xff);
  FrameDecoder decoder;
  decoder.Feed(EncodeFrame(FrameType::kBatch, payload, true));
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(decoder.error(), FrameError::kVerifyFailed);
  EXPECT_THAT(next.status().message(),
              HasSubstr("Batch payload of " + std::to_string(payload.size()) + " bytes"));
}

// Worked example 2 of docs/formats/frame.md, byte for byte: an lz4 Batch frame. Decoding these
// exact bytes must keep working in every later version (old agents keep sending them).
TEST(FrameDecoderTest, Lz4BatchGoldenFrameDecodes) {
  const std::vector<uint8_t> frame = {
      0x53, 0x49, 0x4c, 0x54, 0x01, 0x03, 0x01, 0x00, 0xe4, 0x00, 0x00, 0x00, 0x38, 0x01, 0x00,
      0x00, 0x10, 0x7b, 0x30, 0xb0, 0x1d, 0x5e, 0x99, 0x71, 0x24, 0x14, 0x00, 0x01, 0x00, 0xf4,
      0x08, 0x0a, 0x00, 0x18, 0x00, 0x0c, 0x00, 0x04, 0x00, 0x08, 0x00, 0x0a, 0x00, 0x00, 0x00,
      0x40, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x07, 0x1f, 0x00, 0x43, 0x00, 0x00, 0x00,
      0x01, 0x14, 0x00, 0x51, 0x0c, 0x00, 0x18, 0x00, 0x08, 0x0c, 0x00, 0xc1, 0x04, 0x00, 0x0c,
      0x00, 0x00, 0x00, 0xdc, 0x00, 0x00, 0x00, 0xed, 0x5e, 0x23, 0x00, 0x22, 0x00, 0x20, 0x07,
      0x00, 0x01, 0x2c, 0x00, 0x93, 0x04, 0x00, 0x00, 0x00, 0x64, 0xff, 0xff, 0xff, 0x90, 0x0c,
      0x00, 0x82, 0x02, 0x00, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00, 0x74, 0x00, 0x51, 0x0e, 0x00,
      0x1c, 0x00, 0x08, 0x24, 0x00, 0x00, 0x6a, 0x00, 0x50, 0x0e, 0x00, 0x00, 0x00, 0x18, 0x0b,
      0x00, 0x74, 0x4a, 0xfe, 0x33, 0x9a, 0x5b, 0xcb, 0x17, 0x48, 0x00, 0x00, 0x02, 0x00, 0xf1,
      0x04, 0x0f, 0x00, 0x00, 0x00, 0x47, 0x45, 0x54, 0x20, 0x2f, 0x68, 0x65, 0x61, 0x6c, 0x74,
      0x68, 0x20, 0x32, 0x30, 0x30, 0x40, 0x00, 0x00, 0x86, 0x00, 0x08, 0x40, 0x00, 0x01, 0x58,
      0x00, 0x70, 0x80, 0x63, 0xf8, 0x99, 0x5b, 0xcb, 0x17, 0xbc, 0x00, 0x00, 0x02, 0x00, 0x0f,
      0x3c, 0x00, 0x01, 0x00, 0xc8, 0x00, 0x00, 0xb8, 0x00, 0x13, 0x08, 0xf0, 0x00, 0x02, 0xcc,
      0x00, 0x02, 0xa4, 0x00, 0x71, 0x03, 0x00, 0x00, 0x00, 0x61, 0x70, 0x70, 0x08, 0x00, 0x31,
      0x6a, 0x6f, 0x62, 0x04, 0x01, 0xf0, 0x05, 0x2f, 0x76, 0x61, 0x72, 0x2f, 0x6c, 0x6f, 0x67,
      0x2f, 0x61, 0x70, 0x70, 0x2e, 0x6c, 0x6f, 0x67, 0x00, 0x00, 0x00, 0x00,
  };
  FrameDecoder decoder;
  auto frames = DecodeAll(&decoder, frame, frame.size());
  ASSERT_TRUE(frames.ok()) << frames.status();
  ASSERT_EQ(frames->size(), 1u);
  const testing::DecodedFrame& decoded = (*frames)[0];
  EXPECT_EQ(decoded.type, FrameType::kBatch);
  EXPECT_EQ(decoded.flags, kFlagLz4);
  ASSERT_EQ(decoded.payload.size(), 312u);

  // The payload is what BatchBuilder builds for the documented batch.
  BatchBuilder builder;
  builder.Reset(7);
  const uint32_t source = builder.AddSource(0x5eed, 0, "/var/log/app.log");
  const LabelRef labels[] = {{"job", "app"}};
  const uint32_t stream = builder.AddStream(labels);
  builder.AddEntry(stream, 1714564800000000000, "GET /health 200", source, 16);
  builder.AddEntry(stream, 1714564801000000000, "GET /health 200", source, 32);
  const auto built = builder.Finish();
  EXPECT_EQ(decoded.payload, std::vector<uint8_t>(built.begin(), built.end()));

  const fb::Batch* batch = flatbuffers::GetRoot<fb::Batch>(decoded.payload.data());
  EXPECT_EQ(batch->batch_id(), 7u);
  ASSERT_EQ(batch->sources()->size(), 1u);
  EXPECT_EQ(batch->sources()->Get(0)->source_id(), 0x5eedu);
  EXPECT_EQ(batch->sources()->Get(0)->end_offset(), 32u);
  EXPECT_EQ(batch->sources()->Get(0)->path()->str(), "/var/log/app.log");
  const fb::Stream* s = batch->streams()->Get(0);
  EXPECT_EQ(s->labels()->Get(0)->name()->str(), "job");
  EXPECT_EQ(s->labels()->Get(0)->value()->str(), "app");
  ASSERT_EQ(s->entries()->size(), 2u);
  EXPECT_EQ(s->entries()->Get(1)->timestamp_ns(), 1714564801000000000);
  EXPECT_EQ(s->entries()->Get(1)->end_offset(), 32u);
  const auto* line = s->entries()->Get(1)->line();
  EXPECT_EQ(std::string(line->begin(), line->end()), "GET /health 200");
}

TEST(FrameDecoderTest, DecoderStaysFailedAfterError) {
  std::vector<uint8_t> bad;
  ASSERT_TRUE(EncodeAck(1, &bad).ok());
  bad[kTypeOffset] = 99;
  FrameDecoder decoder;
  decoder.Feed(bad);
  auto first = decoder.Next();
  ASSERT_FALSE(first.ok());
  const Status error = first.status();

  std::vector<uint8_t> good;
  ASSERT_TRUE(EncodeAck(2, &good).ok());
  decoder.Feed(good);
  auto again = decoder.Next();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status(), error);
  EXPECT_EQ(decoder.Finish(), error);
  EXPECT_EQ(decoder.status(), error);
  EXPECT_TRUE(decoder.failed());
  EXPECT_EQ(decoder.error(), FrameError::kUnknownType);
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

TEST(FrameDecoderTest, ErrorNamesAreDistinct) {
  std::set<std::string_view> names;
  for (int e = 0; e <= static_cast<int>(FrameError::kTruncated); ++e) {
    names.insert(FrameErrorName(static_cast<FrameError>(e)));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(FrameError::kTruncated) + 1);
  EXPECT_EQ(FrameErrorName(FrameError::kRatioBomb), "RatioBomb");
}

TEST(FrameDecoderTest, ReleaseMemoryKeepsTheDecoderUsable) {
  const std::vector<uint8_t> big = EncodeFrame(FrameType::kBatch, SampleBatchPayload(1, 500), true);
  FrameDecoder decoder;
  decoder.Feed(big);
  auto first = decoder.Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  ASSERT_TRUE(decoder.Next().ok());
  decoder.ReleaseMemory();
  std::vector<uint8_t> ack;
  ASSERT_TRUE(EncodeAck(3, &ack).ok());
  auto frames = DecodeAll(&decoder, ack, 10);
  ASSERT_TRUE(frames.ok()) << frames.status();
  ASSERT_EQ(frames->size(), 1u);
  EXPECT_EQ((*frames)[0].stream_offset, big.size());
}

}  // namespace
}  // namespace silt::protocol
