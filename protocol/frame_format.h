// Constants of the Silt frame format: the framing of agent <-> aggregator messages on a TLS byte
// stream. The layout, invariants and a worked example are in docs/formats/frame.md; change that
// document in the same commit as anything here.
//
// Header (24 bytes, integers little-endian), then the payload:
//
//   offset size field
//   0      4    magic "SILT"
//   4      1    version (kFrameVersion)
//   5      1    type (FrameType)
//   6      2    flags (kFlagLz4; other bits must be 0)
//   8      4    payload length on the wire
//   12     4    uncompressed payload length
//   16     8    XXH3-64 (seed 0) of the wire payload
//   24     ...  payload: the FlatBuffers root table named by `type` (protocol/silt.fbs), lz4
//               block-compressed when kFlagLz4 is set
//
// Everything here is constexpr or a pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace silt::protocol {

inline constexpr uint8_t kFrameMagic[4] = {'S', 'I', 'L', 'T'};
inline constexpr uint8_t kFrameVersion = 1;
inline constexpr size_t kFrameHeaderSize = 24;

// Header field offsets.
inline constexpr size_t kMagicOffset = 0;
inline constexpr size_t kVersionOffset = 4;
inline constexpr size_t kTypeOffset = 5;
inline constexpr size_t kFlagsOffset = 6;
inline constexpr size_t kWireLengthOffset = 8;
inline constexpr size_t kUncompressedLengthOffset = 12;
inline constexpr size_t kChecksumOffset = 16;

// The message a frame carries; the value is the header's type byte.
enum class FrameType : uint8_t {
  kHello = 1,
  kWelcome = 2,
  kBatch = 3,
  kAck = 4,
  kNack = 5,
  kHeartbeat = 6,
  kGoodbye = 7,
};
inline constexpr uint8_t kMinFrameType = 1;
inline constexpr uint8_t kMaxFrameType = 7;

// The type's name as the schema spells it ("Batch"), or "unknown" for a value outside 1..7.
constexpr std::string_view FrameTypeName(FrameType type) {
  switch (type) {
    case FrameType::kHello:
      return "Hello";
    case FrameType::kWelcome:
      return "Welcome";
    case FrameType::kBatch:
      return "Batch";
    case FrameType::kAck:
      return "Ack";
    case FrameType::kNack:
      return "Nack";
    case FrameType::kHeartbeat:
      return "Heartbeat";
    case FrameType::kGoodbye:
      return "Goodbye";
  }
  return "unknown";
}

// Flag bits (header bytes 6-7, little-endian uint16).
// Payload is one lz4 block (LZ4_compress_default output, not the lz4 frame format).
inline constexpr uint16_t kFlagLz4 = 1u << 0;
inline constexpr uint16_t kKnownFlags = kFlagLz4;

// An lz4 block never expands data by more than 255:1. Each sequence is a token (1 byte), an
// offset (2 bytes) and n extra match-length bytes worth at most 255 each, and decodes to at most
// 15 + 4 + 255 * n match bytes plus its literals (1:1), so output/input <
// (19 + 255 * n) / (3 + n) < 255. A frame declaring uncompressed > 255 * wire is therefore
// impossible, and the default guard rejects only corrupt or hostile frames.
inline constexpr uint32_t kLz4MaxRatio = 255;

inline constexpr uint32_t kMiB = 1u << 20;
inline constexpr uint32_t kDefaultMaxWireBytes = 16 * kMiB;
inline constexpr uint32_t kDefaultMaxUncompressedBytes = 64 * kMiB;
// Hard ceiling for either configurable limit: LZ4's int-sized API (LZ4_MAX_INPUT_SIZE is just
// under 2 GiB) and FlatBuffers' 2 GiB buffers both fit under it with room to spare.
inline constexpr uint32_t kMaxConfigurableBytes = 1024 * kMiB;
// FlatBuffers Verifier nesting limit; Silt's deepest message (Batch > Stream > Entry > Label)
// nests 4 tables.
inline constexpr uint32_t kVerifierMaxDepth = 16;

// Limits one side enforces on the frames it receives (and, on the sending side, the limits the
// peer announced, so the encoder refuses frames the peer would reject). The defaults are the
// protocol's defaults; a side may configure lower or higher values up to kMaxConfigurableBytes.
struct FrameLimits {
  // Largest payload on the wire (header field "payload length"). Checked before the payload is
  // buffered: a frame over it is rejected with FrameError::kOversizeFrame.
  uint32_t max_wire_bytes = kDefaultMaxWireBytes;
  // Largest uncompressed payload. Checked before allocating the decompression buffer: a frame
  // over it is rejected with FrameError::kUncompressedTooLarge.
  uint32_t max_uncompressed_bytes = kDefaultMaxUncompressedBytes;
  // Largest uncompressed/wire ratio accepted for lz4 frames, 1..kLz4MaxRatio. The default is the
  // format's own bound (see above), so lowering it is a policy, raising it is impossible.
  uint32_t max_lz4_ratio = kLz4MaxRatio;

  // True when every field is within its allowed range (what the codec asserts on construction;
  // config loaders should check it and report the field).
  constexpr bool IsValid() const {
    return max_wire_bytes > 0 && max_wire_bytes <= kMaxConfigurableBytes &&
           max_uncompressed_bytes > 0 && max_uncompressed_bytes <= kMaxConfigurableBytes &&
           max_lz4_ratio >= 1 && max_lz4_ratio <= kLz4MaxRatio;
  }
};

// The header's fields as numbers. `type` stays a raw byte so that a decoder can report an
// unknown value.
struct FrameHeader {
  uint8_t version = kFrameVersion;
  uint8_t type = 0;
  uint16_t flags = 0;
  uint32_t wire_length = 0;
  uint32_t uncompressed_length = 0;
  uint64_t checksum = 0;
};

// Writes `header` (with the magic) into dst[0, kFrameHeaderSize).
inline void EncodeFrameHeader(const FrameHeader& header, uint8_t* dst) {
  auto put = [dst](size_t offset, uint64_t value, size_t size) {
    for (size_t i = 0; i < size; ++i) dst[offset + i] = static_cast<uint8_t>(value >> (8 * i));
  };
  for (size_t i = 0; i < sizeof(kFrameMagic); ++i) dst[kMagicOffset + i] = kFrameMagic[i];
  put(kVersionOffset, header.version, 1);
  put(kTypeOffset, header.type, 1);
  put(kFlagsOffset, header.flags, 2);
  put(kWireLengthOffset, header.wire_length, 4);
  put(kUncompressedLengthOffset, header.uncompressed_length, 4);
  put(kChecksumOffset, header.checksum, 8);
}

// Reads the fields of src[0, kFrameHeaderSize) without checking anything (not even the magic).
inline FrameHeader DecodeFrameHeader(const uint8_t* src) {
  auto get = [src](size_t offset, size_t size) {
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) value |= static_cast<uint64_t>(src[offset + i]) << (8 * i);
    return value;
  };
  FrameHeader header;
  header.version = static_cast<uint8_t>(get(kVersionOffset, 1));
  header.type = static_cast<uint8_t>(get(kTypeOffset, 1));
  header.flags = static_cast<uint16_t>(get(kFlagsOffset, 2));
  header.wire_length = static_cast<uint32_t>(get(kWireLengthOffset, 4));
  header.uncompressed_length = static_cast<uint32_t>(get(kUncompressedLengthOffset, 4));
  header.checksum = get(kChecksumOffset, 8);
  return header;
}

}  // namespace silt::protocol
