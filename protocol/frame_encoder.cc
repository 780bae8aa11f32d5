#include "protocol/frame_encoder.h"

#include <lz4.h>

#include <cassert>
#include <cstring>
#include <string>

#include "shared/hash/xxh3.h"

namespace silt::protocol {
namespace {

Status TooLarge(FrameType type, size_t payload_size, const std::string& how,
                const char* which_limit, uint32_t limit) {
  return Status::ResourceExhausted(std::string(FrameTypeName(type)) + " payload of " +
                                   std::to_string(payload_size) + " bytes" + how +
                                   " exceeds the peer's " + which_limit + " of " +
                                   std::to_string(limit) + " bytes; send smaller batches");
}

}  // namespace

FrameEncoder::FrameEncoder(FrameEncoderOptions options) : options_(options) {
  assert(options_.peer_limits.IsValid());
  assert(options_.lz4_acceleration >= 1);
}

uint32_t FrameEncoder::TryLz4(std::span<const uint8_t> payload, uint8_t* dst,
                              int dst_capacity) const {
  const int compressed =
      LZ4_compress_fast(reinterpret_cast<const char*>(payload.data()), reinterpret_cast<char*>(dst),
                        static_cast<int>(payload.size()), dst_capacity, options_.lz4_acceleration);
  if (compressed <= 0 || static_cast<size_t>(compressed) >= payload.size()) return 0;
  const uint64_t ratio_bound =
      static_cast<uint64_t>(compressed) * options_.peer_limits.max_lz4_ratio;
  if (payload.size() > ratio_bound) return 0;
  return static_cast<uint32_t>(compressed);
}

Status FrameEncoder::Encode(FrameType type, std::span<const uint8_t> payload,
                            std::vector<uint8_t>* out) const {
  const FrameLimits& limits = options_.peer_limits;
  if (payload.size() > limits.max_uncompressed_bytes) {
    return TooLarge(type, payload.size(), "", "uncompressed limit", limits.max_uncompressed_bytes);
  }
  const size_t base = out->size();
  const bool try_lz4 = options_.lz4 && payload.size() >= options_.min_lz4_bytes;
  uint32_t wire_length = 0;
  if (try_lz4) {
    const int bound = LZ4_compressBound(static_cast<int>(payload.size()));
    out->resize(base + kFrameHeaderSize + static_cast<size_t>(bound));
    wire_length = TryLz4(payload, out->data() + base + kFrameHeaderSize, bound);
  }
  const bool lz4 = wire_length != 0;
  if (!lz4) wire_length = static_cast<uint32_t>(payload.size());
  if (wire_length > limits.max_wire_bytes) {
    out->resize(base);
    const std::string how = lz4       ? " (" + std::to_string(wire_length) + " bytes after lz4)"
                            : try_lz4 ? " (lz4 does not shrink it)"
                                      : " (lz4 off)";
    return TooLarge(type, payload.size(), how, "limit on the wire", limits.max_wire_bytes);
  }
  out->resize(base + kFrameHeaderSize + wire_length);
  if (!lz4 && !payload.empty()) {
    std::memcpy(out->data() + base + kFrameHeaderSize, payload.data(), payload.size());
  }
  FrameHeader header;
  header.type = static_cast<uint8_t>(type);
  header.flags = lz4 ? kFlagLz4 : 0;
  header.wire_length = wire_length;
  header.uncompressed_length = static_cast<uint32_t>(payload.size());
  header.checksum = hash::Xxh3(out->data() + base + kFrameHeaderSize, wire_length);
  EncodeFrameHeader(header, out->data() + base);
  return Status::Ok();
}

}  // namespace silt::protocol
