// FrameDecoder cuts a received byte stream into verified frames (docs/formats/frame.md). Bytes
// arrive in any split (one at a time works); each complete frame is checked against the header
// rules and FrameLimits before anything is allocated for it, then checksummed, decompressed and
// verified as the FlatBuffers table its type names. The first bad byte puts the decoder in a
// failed state for good: the connection it reads must then be answered (Nack/Goodbye) and closed,
// since nothing after a broken frame can be trusted to start on a frame boundary.
//
// Thread-safety: none; one decoder per connection, used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/frame_format.h"
#include "protocol/silt_generated.h"
#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::protocol {

// Why a stream was rejected, in the order the decoder checks. Each maps to one Status code:
// limits -> ResourceExhausted, a newer/older peer -> InvalidArgument, a stream cut short ->
// Unavailable, every other bad byte -> Corruption.
enum class FrameError : uint8_t {
  kNone = 0,
  kBadMagic,                  // the first 4 bytes of a frame are not "SILT"
  kUnsupportedVersion,        // version byte != kFrameVersion
  kUnknownType,               // type byte outside 1..7
  kUnknownFlags,              // a flag bit other than kFlagLz4 is set
  kOversizeFrame,             // wire length > FrameLimits::max_wire_bytes
  kUncompressedTooLarge,      // uncompressed length > FrameLimits::max_uncompressed_bytes
  kLengthMismatch,            // plain frame whose uncompressed length != wire length
  kRatioBomb,                 // lz4 frame declaring uncompressed > wire * max_lz4_ratio
  kChecksumMismatch,          // XXH3-64 of the wire payload != header checksum
  kDecompressFailed,          // the lz4 block is corrupt or decodes past the declared size
  kDecompressedSizeMismatch,  // the lz4 block decodes to fewer bytes than declared
  kVerifyFailed,              // the payload is not a valid FlatBuffers table of the type
  kTruncated,                 // the stream ended inside a frame (reported by Finish())
};

// The enumerator's name without the k ("ChecksumMismatch"); "None" for kNone.
std::string_view FrameErrorName(FrameError error);

// One decoded frame. A view: its payload lives in the decoder and stays valid until the next
// call to FrameDecoder::Next() or Feed() (or the decoder's destruction). Copy what you keep.
class Frame {
 public:
  FrameType type() const { return type_; }
  uint16_t flags() const { return flags_; }
  bool lz4() const { return (flags_ & kFlagLz4) != 0; }
  // Offset in the stream of the frame's first header byte.
  uint64_t stream_offset() const { return stream_offset_; }
  // Bytes the frame occupied on the wire, header included.
  size_t wire_size() const { return wire_size_; }
  // The verified, uncompressed FlatBuffers payload (8-byte aligned).
  std::span<const uint8_t> payload() const { return payload_; }

  // The payload's root table when the frame has that type, else nullptr. Already verified:
  // every offset, vector and string inside is in bounds.
  const fb::Hello* AsHello() const { return As<fb::Hello>(FrameType::kHello); }
  const fb::Welcome* AsWelcome() const { return As<fb::Welcome>(FrameType::kWelcome); }
  const fb::Batch* AsBatch() const { return As<fb::Batch>(FrameType::kBatch); }
  const fb::Ack* AsAck() const { return As<fb::Ack>(FrameType::kAck); }
  const fb::Nack* AsNack() const { return As<fb::Nack>(FrameType::kNack); }
  const fb::Heartbeat* AsHeartbeat() const { return As<fb::Heartbeat>(FrameType::kHeartbeat); }
  const fb::Goodbye* AsGoodbye() const { return As<fb::Goodbye>(FrameType::kGoodbye); }

 private:
  friend class FrameDecoder;
  Frame(FrameType type, uint16_t flags, uint64_t stream_offset, size_t wire_size,
        std::span<const uint8_t> payload)
      : type_(type),
        flags_(flags),
        stream_offset_(stream_offset),
        wire_size_(wire_size),
        payload_(payload) {}

  template <typename T>
  const T* As(FrameType want) const {
    return type_ == want ? flatbuffers::GetRoot<T>(payload_.data()) : nullptr;
  }

  FrameType type_;
  uint16_t flags_;
  uint64_t stream_offset_;
  size_t wire_size_;
  std::span<const uint8_t> payload_;
};

class FrameDecoder {
 public:
  // Precondition: limits.IsValid().
  explicit FrameDecoder(FrameLimits limits = {});

  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;

  // Appends received bytes (copied; `bytes` need not outlive the call). Invalidates the last
  // Frame returned. Ignored once the decoder has failed. Call Next() until it returns nullopt
  // after each Feed(): bytes are only checked, and the buffer only compacted, by Next().
  void Feed(std::span<const uint8_t> bytes);

  // Returns the next complete, verified frame; nullopt when more bytes are needed (nothing
  // wrong seen so far, including in a partial header); or the error that failed the decoder
  // (the same error on every later call). See FrameError for the checks and their order.
  Result<std::optional<Frame>> Next();

  // Call when the peer closed the stream, after Next() returned nullopt. Returns OK when the
  // stream ended on a frame boundary; Unavailable (FrameError::kTruncated) when it ended inside
  // a frame; the earlier error when the decoder had already failed. A check that fails on the
  // partial header takes precedence over truncation.
  Status Finish();

  bool failed() const { return error_ != FrameError::kNone; }
  // kNone until the decoder fails, then the reason.
  FrameError error() const { return error_; }
  // OK until the decoder fails, then the error (also returned by Next() and Finish()).
  const Status& status() const { return status_; }

  // Bytes fed but not yet returned as frames.
  size_t buffered_bytes() const { return input_.size() - read_pos_; }
  // Stream offset of the first byte not yet returned as part of a frame.
  uint64_t stream_offset() const { return stream_offset_; }

  // Frees the buffers when nothing is buffered (e.g. on an idle connection after a large
  // batch); otherwise does nothing. Invalidates the last Frame returned.
  void ReleaseMemory();

 private:
  // Checks the header fields present in `header` (size < kFrameHeaderSize while the header is
  // still arriving); fails the decoder at the first violated rule.
  Status CheckHeader(std::span<const uint8_t> header);
  Status CheckLengths(const FrameHeader& header, bool have_uncompressed);
  // Checksum, decompression and verification of the complete frame at read_pos_; on success
  // *payload is the verified uncompressed payload.
  Status DecodePayload(std::span<const uint8_t>* payload);
  Status Decompress(std::span<const uint8_t> wire, std::span<const uint8_t>* payload);
  Status Verify(std::span<const uint8_t> payload);
  // Records the failure and returns its status, with the frame's offset and what to do.
  Status Fail(FrameError error, StatusCode code, const std::string& detail);

  FrameLimits limits_;
  // input_[read_pos_, size) is unconsumed stream; input_[0, read_pos_) belongs to frames already
  // returned and is dropped by the next Feed().
  std::vector<uint8_t> input_;
  size_t read_pos_ = 0;
  uint64_t stream_offset_ = 0;
  // Header of the frame at read_pos_, once all 24 bytes have arrived and passed CheckHeader.
  std::optional<FrameHeader> header_;
  // Decompression output, or an aligned copy of a plain payload that sits misaligned in input_.
  std::vector<uint8_t> scratch_;
  FrameError error_ = FrameError::kNone;
  Status status_;
};

}  // namespace silt::protocol
