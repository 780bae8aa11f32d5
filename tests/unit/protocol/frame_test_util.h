// Helpers shared by the protocol tests: sample payloads, hand-made (possibly malformed) frames,
// and a decode-everything loop that copies frames out of the decoder.
#pragma once

#include <lz4.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/frame_decoder.h"
#include "protocol/frame_encoder.h"
#include "protocol/frame_format.h"
#include "shared/hash/xxh3.h"

namespace silt::protocol::testing {

inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// A Batch payload with two streams, two sources, metadata on some entries, and lines that
// compress well (so the lz4 path is taken). `entries` entries in total.
inline std::vector<uint8_t> SampleBatchPayload(uint64_t batch_id, int entries) {
  BatchBuilder builder(1024);
  builder.Reset(batch_id);
  const uint32_t app = builder.AddSource(0x1111, 0, "/var/log/app.log");
  const uint32_t sys = builder.AddSource(0x2222, 100, "/var/log/syslog");
  const LabelRef app_labels[] = {{"job", "app"}, {"level", "info"}};
  const LabelRef sys_labels[] = {{"job", "syslog"}};
  const uint32_t s0 = builder.AddStream(app_labels);
  const uint32_t s1 = builder.AddStream(sys_labels);
  const LabelRef metadata[] = {{"trace_id", "abc123"}};
  uint64_t app_end = 0;
  uint64_t sys_end = 100;
  for (int i = 0; i < entries; ++i) {
    const std::string line =
        "2024-05-01T12:00:00Z level=info msg=\"request served\" id=" + std::to_string(i) +
        " path=/api/v1/items duration=12ms";
    if (i % 2 == 0) {
      app_end += line.size() + 1;
      builder.AddEntry(
          s0, 1714564800000000000 + i, line, app, app_end,
          i % 4 == 0 ? std::span<const LabelRef>(metadata) : std::span<const LabelRef>());
    } else {
      sys_end += line.size() + 1;
      builder.AddEntry(s1, 1714564800000000000 + i, line, sys, sys_end);
    }
  }
  const auto payload = builder.Finish();
  return std::vector<uint8_t>(payload.begin(), payload.end());
}

// A header for `wire` with a correct checksum; lengths and flags as given.
inline FrameHeader HeaderFor(uint8_t type, std::span<const uint8_t> wire,
                             uint32_t uncompressed_length, uint16_t flags = 0) {
  FrameHeader h;
  h.type = type;
  h.flags = flags;
  h.wire_length = static_cast<uint32_t>(wire.size());
  h.uncompressed_length = uncompressed_length;
  h.checksum = hash::Xxh3(wire);
  return h;
}

// Header bytes followed by `wire`, exactly as given (no validation).
inline std::vector<uint8_t> RawFrame(const FrameHeader& header, std::span<const uint8_t> wire) {
  std::vector<uint8_t> out(kFrameHeaderSize + wire.size());
  EncodeFrameHeader(header, out.data());
  std::copy(wire.begin(), wire.end(), out.begin() + kFrameHeaderSize);
  return out;
}

// `input` compressed as one lz4 block (whether or not that shrinks it).
inline std::vector<uint8_t> Lz4Block(std::span<const uint8_t> input) {
  std::vector<uint8_t> out(LZ4_compressBound(static_cast<int>(input.size())));
  const int n = LZ4_compress_default(reinterpret_cast<const char*>(input.data()),
                                     reinterpret_cast<char*>(out.data()),
                                     static_cast<int>(input.size()), static_cast<int>(out.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

// A well-formed frame built with FrameEncoder (lz4 tried from 0 bytes when `lz4`).
inline std::vector<uint8_t> EncodeFrame(FrameType type, std::span<const uint8_t> payload,
                                        bool lz4) {
  FrameEncoderOptions options;
  options.lz4 = lz4;
  options.min_lz4_bytes = 0;
  std::vector<uint8_t> out;
  Status status = FrameEncoder(options).Encode(type, payload, &out);
  if (!status.ok()) out.clear();
  return out;
}

struct DecodedFrame {
  FrameType type;
  uint16_t flags;
  uint64_t stream_offset;
  std::vector<uint8_t> payload;
};

// Feeds `stream` in pieces of `chunk` bytes (the last may be shorter), draining Next() after
// each, then calls Finish(). Returns the frames, or the first error.
inline Result<std::vector<DecodedFrame>> DecodeAll(FrameDecoder* decoder,
                                                   std::span<const uint8_t> stream, size_t chunk) {
  std::vector<DecodedFrame> frames;
  for (size_t pos = 0; pos < stream.size(); pos += chunk) {
    decoder->Feed(stream.subspan(pos, std::min(chunk, stream.size() - pos)));
    while (true) {
      SILT_ASSIGN_OR_RETURN(std::optional<Frame> frame, decoder->Next());
      if (!frame) break;
      frames.push_back(
          DecodedFrame{frame->type(), frame->flags(), frame->stream_offset(),
                       std::vector<uint8_t>(frame->payload().begin(), frame->payload().end())});
    }
  }
  SILT_RETURN_IF_ERROR(decoder->Finish());
  return frames;
}

}  // namespace silt::protocol::testing
