// FrameEncoder turns a finished FlatBuffers payload into one frame (docs/formats/frame.md):
// the 24-byte header, then the payload, lz4 block-compressed when that makes it smaller.
// Frames are appended to a caller-owned buffer so a sender can reuse one buffer for many frames.
//
// Thread-safety: Encode() is const and keeps no state between calls, so one encoder may be used
// from several threads at once.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "protocol/frame_format.h"
#include "shared/status/status.h"

namespace silt::protocol {

struct FrameEncoderOptions {
  // The receiving peer's limits (from its Welcome or Hello). Encode() refuses a frame the peer
  // would reject instead of sending it and losing the connection.
  FrameLimits peer_limits;
  // Try lz4 for payloads of at least min_lz4_bytes. lz4 is kept only when it shrinks the payload
  // (and stays within peer_limits.max_lz4_ratio); otherwise the frame is sent plain.
  bool lz4 = true;
  // Payloads below this size are sent plain: lz4 rarely wins on them and the header already
  // costs 24 bytes.
  uint32_t min_lz4_bytes = 128;
  // LZ4_compress_fast acceleration: 1 is LZ4_compress_default; higher trades ratio for speed
  // (values above 65537 act as 65537). Must be >= 1.
  int lz4_acceleration = 1;
};

class FrameEncoder {
 public:
  // Precondition: options.peer_limits.IsValid() and options.lz4_acceleration >= 1.
  explicit FrameEncoder(FrameEncoderOptions options = {});

  // Appends one frame of `type` carrying `payload` (a finished FlatBuffers buffer whose root
  // table matches `type`) to *out. Returns OK, or ResourceExhausted when the payload exceeds
  // peer_limits.max_uncompressed_bytes or the frame's wire payload (after lz4, if it was kept)
  // exceeds peer_limits.max_wire_bytes; on error *out is left as it was. `payload` may not
  // point into *out.
  Status Encode(FrameType type, std::span<const uint8_t> payload, std::vector<uint8_t>* out) const;

  const FrameEncoderOptions& options() const { return options_; }

 private:
  // Compresses payload into dst (capacity dst_capacity); returns the compressed size when lz4
  // should be kept for this payload, or 0 when the frame should go plain.
  uint32_t TryLz4(std::span<const uint8_t> payload, uint8_t* dst, int dst_capacity) const;

  FrameEncoderOptions options_;
};

}  // namespace silt::protocol
