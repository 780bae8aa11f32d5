#include "protocol/frame_decoder.h"

#include <lz4.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdio>
#include <cstring>
#include <string>

#include "shared/hash/xxh3.h"

namespace silt::protocol {
namespace {

// FlatBuffers reads scalars in place, so the payload must start 8-byte aligned (the largest
// scalar in the schema is 8 bytes; the builder aligns within the buffer relative to its start).
constexpr size_t kPayloadAlignment = 8;

std::string Hex(uint64_t value, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%0*llx", digits, static_cast<unsigned long long>(value));
  return buf;
}

// "16777216 bytes (16 MiB)"; the parenthesis only for whole KiB/MiB.
std::string Bytes(uint64_t n) {
  std::string s = std::to_string(n) + " bytes";
  if (n >= kMiB && n % kMiB == 0) return s + " (" + std::to_string(n / kMiB) + " MiB)";
  if (n >= 1024 && n % 1024 == 0) return s + " (" + std::to_string(n / 1024) + " KiB)";
  return s;
}

// The bytes of a partial magic as hex plus a printable rendering, e.g. `47 45 ("GE")`.
std::string DescribeBytes(std::span<const uint8_t> bytes) {
  std::string hex;
  std::string text;
  for (uint8_t b : bytes) {
    char buf[4];
    std::snprintf(buf, sizeof(buf), "%02x", b);
    if (!hex.empty()) hex += ' ';
    hex += buf;
    text += (b >= 0x20 && b < 0x7f) ? static_cast<char>(b) : '.';
  }
  return hex + " (\"" + text + "\")";
}

// A header that may still be arriving, zero-padded to full size so DecodeFrameHeader can read
// the fields that are present.
std::array<uint8_t, kFrameHeaderSize> PaddedHeader(std::span<const uint8_t> partial) {
  std::array<uint8_t, kFrameHeaderSize> padded{};
  std::copy_n(partial.begin(), std::min(partial.size(), kFrameHeaderSize), padded.begin());
  return padded;
}

template <typename T>
bool VerifyAs(const flatbuffers::Verifier::Options& options, std::span<const uint8_t> payload) {
  flatbuffers::Verifier verifier(payload.data(), payload.size(), options);
  return verifier.VerifyBuffer<T>(nullptr);
}

}  // namespace

std::string_view FrameErrorName(FrameError error) {
  switch (error) {
    case FrameError::kNone:
      return "None";
    case FrameError::kBadMagic:
      return "BadMagic";
    case FrameError::kUnsupportedVersion:
      return "UnsupportedVersion";
    case FrameError::kUnknownType:
      return "UnknownType";
    case FrameError::kUnknownFlags:
      return "UnknownFlags";
    case FrameError::kOversizeFrame:
      return "OversizeFrame";
    case FrameError::kUncompressedTooLarge:
      return "UncompressedTooLarge";
    case FrameError::kLengthMismatch:
      return "LengthMismatch";
    case FrameError::kRatioBomb:
      return "RatioBomb";
    case FrameError::kChecksumMismatch:
      return "ChecksumMismatch";
    case FrameError::kDecompressFailed:
      return "DecompressFailed";
    case FrameError::kDecompressedSizeMismatch:
      return "DecompressedSizeMismatch";
    case FrameError::kVerifyFailed:
      return "VerifyFailed";
    case FrameError::kTruncated:
      return "Truncated";
  }
  return "Unknown";
}

FrameDecoder::FrameDecoder(FrameLimits limits) : limits_(limits) { assert(limits_.IsValid()); }

void FrameDecoder::Feed(std::span<const uint8_t> bytes) {
  if (failed() || bytes.empty()) return;
  // Drop consumed bytes before appending. What remains is at most one partial frame, and it is
  // moved at most once (afterwards read_pos_ is 0 until Next() returns it), so the copying
  // stays linear in the stream length.
  if (read_pos_ == input_.size()) {
    input_.clear();
    read_pos_ = 0;
  } else if (read_pos_ > 0) {
    input_.erase(input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(read_pos_));
    read_pos_ = 0;
  }
  input_.insert(input_.end(), bytes.begin(), bytes.end());
}

Status FrameDecoder::Fail(FrameError error, StatusCode code, const std::string& detail) {
  error_ = error;
  status_ =
      Status(code, "frame at stream offset " + std::to_string(stream_offset_) + ": " + detail);
  input_ = {};
  read_pos_ = 0;
  scratch_ = {};
  header_.reset();
  return status_;
}

Status FrameDecoder::CheckHeader(std::span<const uint8_t> header) {
  const size_t have = header.size();
  for (size_t i = 0; i < std::min(have, sizeof(kFrameMagic)); ++i) {
    if (header[i] != kFrameMagic[i]) {
      return Fail(FrameError::kBadMagic, StatusCode::kCorruption,
                  "bad magic: expected \"SILT\" (53 49 4c 54), got " +
                      DescribeBytes(header.first(i + 1)) +
                      "; the peer does not speak the Silt agent protocol (a TLS, HTTP or syslog "
                      "client on the agent port?) or the stream lost frame alignment");
    }
  }
  if (have > kVersionOffset && header[kVersionOffset] != kFrameVersion) {
    return Fail(FrameError::kUnsupportedVersion, StatusCode::kInvalidArgument,
                "unsupported frame version " + std::to_string(header[kVersionOffset]) +
                    "; this build speaks version " + std::to_string(kFrameVersion) +
                    "; run compatible agent and aggregator versions");
  }
  if (have > kTypeOffset &&
      (header[kTypeOffset] < kMinFrameType || header[kTypeOffset] > kMaxFrameType)) {
    return Fail(FrameError::kUnknownType, StatusCode::kCorruption,
                "unknown frame type " + std::to_string(header[kTypeOffset]) +
                    " (known: 1 Hello to 7 Goodbye)");
  }
  const FrameHeader fields = DecodeFrameHeader(PaddedHeader(header).data());
  if (have >= kFlagsOffset + 2) {
    const uint16_t flags = fields.flags;
    if ((flags & ~kKnownFlags) != 0) {
      return Fail(FrameError::kUnknownFlags, StatusCode::kCorruption,
                  "unknown flag bits " + Hex(flags & ~kKnownFlags, 4) + " in flags " +
                      Hex(flags, 4) + " (known: 0x0001 lz4)");
    }
  }
  if (have >= kWireLengthOffset + 4) {
    return CheckLengths(fields, have >= kUncompressedLengthOffset + 4);
  }
  return Status::Ok();
}

Status FrameDecoder::CheckLengths(const FrameHeader& h, bool have_uncompressed) {
  if (h.wire_length > limits_.max_wire_bytes) {
    return Fail(FrameError::kOversizeFrame, StatusCode::kResourceExhausted,
                "payload length " + std::to_string(h.wire_length) + " exceeds the limit of " +
                    Bytes(limits_.max_wire_bytes) +
                    "; raise max_wire_bytes on both sides or send smaller batches");
  }
  if (!have_uncompressed) return Status::Ok();
  const uint64_t wire = h.wire_length;
  const uint64_t uncompressed = h.uncompressed_length;
  if (uncompressed > limits_.max_uncompressed_bytes) {
    return Fail(FrameError::kUncompressedTooLarge, StatusCode::kResourceExhausted,
                "uncompressed length " + std::to_string(uncompressed) + " exceeds the limit of " +
                    Bytes(limits_.max_uncompressed_bytes) +
                    "; raise max_uncompressed_bytes on both sides or send smaller batches");
  }
  const bool lz4 = (h.flags & kFlagLz4) != 0;
  if (!lz4 && uncompressed != wire) {
    return Fail(FrameError::kLengthMismatch, StatusCode::kCorruption,
                "uncompressed length " + std::to_string(uncompressed) +
                    " differs from payload length " + std::to_string(wire) +
                    " in a frame without lz4");
  }
  if (lz4 && uncompressed > wire * limits_.max_lz4_ratio) {
    const bool impossible = limits_.max_lz4_ratio == kLz4MaxRatio;
    return Fail(FrameError::kRatioBomb,
                impossible ? StatusCode::kCorruption : StatusCode::kResourceExhausted,
                "lz4 payload of " + std::to_string(wire) + " bytes declares " +
                    std::to_string(uncompressed) + " uncompressed bytes, more than " +
                    std::to_string(limits_.max_lz4_ratio) + " times its size" +
                    (impossible ? " (no lz4 block expands beyond 255:1)"
                                : " (raise max_lz4_ratio, at most 255)"));
  }
  return Status::Ok();
}

Result<std::optional<Frame>> FrameDecoder::Next() {
  if (failed()) return status_;
  const size_t available = input_.size() - read_pos_;
  if (available == 0) return std::optional<Frame>();
  if (!header_) {
    const size_t have = std::min(available, kFrameHeaderSize);
    SILT_RETURN_IF_ERROR(CheckHeader(std::span<const uint8_t>(input_.data() + read_pos_, have)));
    if (have < kFrameHeaderSize) return std::optional<Frame>();
    header_ = DecodeFrameHeader(input_.data() + read_pos_);
  }
  const size_t frame_size = kFrameHeaderSize + header_->wire_length;
  // The payload buffer grows with the bytes that actually arrive (amortised doubling in Feed),
  // not with the declared length: a peer that sends only a header claiming 16 MiB costs 24
  // bytes of memory, not 16 MiB.
  if (available < frame_size) return std::optional<Frame>();
  std::span<const uint8_t> payload;
  SILT_RETURN_IF_ERROR(DecodePayload(&payload));
  const Frame frame(static_cast<FrameType>(header_->type), header_->flags, stream_offset_,
                    frame_size, payload);
  read_pos_ += frame_size;
  stream_offset_ += frame_size;
  header_.reset();
  return std::optional<Frame>(frame);
}

Status FrameDecoder::DecodePayload(std::span<const uint8_t>* payload) {
  const FrameHeader& h = *header_;
  const std::span<const uint8_t> wire(input_.data() + read_pos_ + kFrameHeaderSize, h.wire_length);
  const uint64_t checksum = hash::Xxh3(wire);
  if (checksum != h.checksum) {
    return Fail(FrameError::kChecksumMismatch, StatusCode::kCorruption,
                "checksum mismatch: header says " + Hex(h.checksum, 16) + " but the " +
                    std::to_string(wire.size()) + "-byte payload hashes to " + Hex(checksum, 16) +
                    "; the bytes were damaged in transit or by the sender");
  }
  if ((h.flags & kFlagLz4) != 0) {
    SILT_RETURN_IF_ERROR(Decompress(wire, payload));
  } else if (reinterpret_cast<uintptr_t>(wire.data()) % kPayloadAlignment == 0) {
    *payload = wire;
  } else {
    if (scratch_.size() < wire.size()) scratch_.resize(wire.size());
    if (!wire.empty()) std::memcpy(scratch_.data(), wire.data(), wire.size());
    *payload = std::span<const uint8_t>(scratch_.data(), wire.size());
  }
  return Verify(*payload);
}

Status FrameDecoder::Decompress(std::span<const uint8_t> wire, std::span<const uint8_t>* payload) {
  const uint32_t declared = header_->uncompressed_length;
  if (scratch_.size() < declared) scratch_.resize(declared);
  const int decoded = LZ4_decompress_safe(
      reinterpret_cast<const char*>(wire.data()), reinterpret_cast<char*>(scratch_.data()),
      static_cast<int>(wire.size()), static_cast<int>(declared));
  if (decoded < 0) {
    return Fail(FrameError::kDecompressFailed, StatusCode::kCorruption,
                "lz4 payload of " + std::to_string(wire.size()) +
                    " bytes is not a valid lz4 block of at most " + std::to_string(declared) +
                    " bytes (LZ4_decompress_safe returned " + std::to_string(decoded) + ")");
  }
  if (static_cast<uint32_t>(decoded) != declared) {
    return Fail(FrameError::kDecompressedSizeMismatch, StatusCode::kCorruption,
                "lz4 payload of " + std::to_string(wire.size()) + " bytes decompressed to " +
                    std::to_string(decoded) + " bytes but the header declares " +
                    std::to_string(declared));
  }
  *payload = std::span<const uint8_t>(scratch_.data(), declared);
  return Status::Ok();
}

Status FrameDecoder::Verify(std::span<const uint8_t> payload) {
  flatbuffers::Verifier::Options options;
  options.max_depth = kVerifierMaxDepth;
  // Every table takes at least 4 bytes, so an honest payload has at most size / 4 of them; the
  // cap stops a payload that reuses one table from many offsets from costing more than that.
  options.max_tables = static_cast<flatbuffers::uoffset_t>(payload.size() / 4 + 1);
  options.check_alignment = true;
  bool ok = false;
  switch (static_cast<FrameType>(header_->type)) {
    case FrameType::kHello:
      ok = VerifyAs<fb::Hello>(options, payload);
      break;
    case FrameType::kWelcome:
      ok = VerifyAs<fb::Welcome>(options, payload);
      break;
    case FrameType::kBatch:
      ok = VerifyAs<fb::Batch>(options, payload);
      break;
    case FrameType::kAck:
      ok = VerifyAs<fb::Ack>(options, payload);
      break;
    case FrameType::kNack:
      ok = VerifyAs<fb::Nack>(options, payload);
      break;
    case FrameType::kHeartbeat:
      ok = VerifyAs<fb::Heartbeat>(options, payload);
      break;
    case FrameType::kGoodbye:
      ok = VerifyAs<fb::Goodbye>(options, payload);
      break;
  }
  if (ok) return Status::Ok();
  const auto type = static_cast<FrameType>(header_->type);
  return Fail(FrameError::kVerifyFailed, StatusCode::kCorruption,
              std::string(FrameTypeName(type)) + " payload of " + std::to_string(payload.size()) +
                  " bytes is not a valid FlatBuffers " + std::string(FrameTypeName(type)) +
                  " table (an offset or length out of bounds, misaligned data, nesting deeper "
                  "than " +
                  std::to_string(kVerifierMaxDepth) + " or more than " +
                  std::to_string(options.max_tables) + " tables)");
}

Status FrameDecoder::Finish() {
  if (failed()) return status_;
  const size_t available = input_.size() - read_pos_;
  if (available == 0) return Status::Ok();
  const size_t have = std::min(available, kFrameHeaderSize);
  SILT_RETURN_IF_ERROR(CheckHeader(std::span<const uint8_t>(input_.data() + read_pos_, have)));
  if (have < kFrameHeaderSize) {
    return Fail(FrameError::kTruncated, StatusCode::kUnavailable,
                "stream ended inside a frame: have " + std::to_string(have) + " of " +
                    std::to_string(kFrameHeaderSize) +
                    " header bytes; the peer closed the connection or the network dropped it "
                    "mid-frame");
  }
  const size_t payload_have = available - kFrameHeaderSize;
  const uint32_t wire_length = DecodeFrameHeader(input_.data() + read_pos_).wire_length;
  if (payload_have >= wire_length) {
    assert(false && "Finish() called before Next() returned nullopt");
    return Status::InvalidArgument(
        "FrameDecoder::Finish() called with a complete frame at "
        "stream offset " +
        std::to_string(stream_offset_) + " not yet read; call Next() until it returns nullopt");
  }
  return Fail(FrameError::kTruncated, StatusCode::kUnavailable,
              "stream ended inside a frame: have " + std::to_string(payload_have) + " of " +
                  std::to_string(wire_length) +
                  " payload bytes; the peer closed the connection or the network dropped it "
                  "mid-frame");
}

void FrameDecoder::ReleaseMemory() {
  if (buffered_bytes() != 0) return;
  input_ = {};
  read_pos_ = 0;
  scratch_ = {};
}

}  // namespace silt::protocol
