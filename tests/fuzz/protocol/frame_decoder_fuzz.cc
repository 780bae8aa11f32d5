// Fuzz target for FrameDecoder (protocol/frame_decoder.h). Input layout: byte 0 chooses how the
// rest is split into Feed() calls (NextChunk) and whether checksums are repaired first
// (kRepairChecksums); bytes 1.. are the received stream. Every
// decoded frame has every field of its message read, so the FlatBuffers Verifier's verdict is
// exercised for real (a read outside the payload trips ASan), and is re-encoded and decoded again
// to check the encoder agrees with the decoder. Limits are small so each input runs fast.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "protocol/frame_decoder.h"
#include "protocol/frame_encoder.h"
#include "protocol/messages.h"
#include "shared/hash/xxh3.h"

namespace silt::protocol {
namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

FrameLimits FuzzLimits() {
  FrameLimits limits;
  limits.max_wire_bytes = 64 * 1024;
  limits.max_uncompressed_bytes = 256 * 1024;
  return limits;
}

// Sums bytes so reads cannot be optimised away.
uint64_t Touch(const flatbuffers::String* s) {
  uint64_t sum = 0;
  if (s == nullptr) return 0;
  for (char c : s->string_view()) sum += static_cast<uint8_t>(c);
  return sum + s->size();
}

uint64_t Touch(const flatbuffers::Vector<flatbuffers::Offset<fb::Label>>* labels) {
  uint64_t sum = 0;
  if (labels == nullptr) return 0;
  for (const fb::Label* label : *labels) sum += Touch(label->name()) + Touch(label->value());
  return sum;
}

uint64_t TouchBatch(const fb::Batch& batch) {
  uint64_t sum = batch.batch_id();
  const uint32_t source_count = batch.sources() ? batch.sources()->size() : 0;
  if (batch.sources()) {
    for (const fb::SourceRange* s : *batch.sources()) {
      sum += s->source_id() + s->start_offset() + s->end_offset() + Touch(s->path());
    }
  }
  if (batch.streams() == nullptr) return sum;
  for (const fb::Stream* stream : *batch.streams()) {
    sum += Touch(stream->labels());
    if (stream->entries() == nullptr) continue;
    for (const fb::Entry* entry : *stream->entries()) {
      sum += static_cast<uint64_t>(entry->timestamp_ns()) + entry->end_offset();
      sum += entry->source() < source_count ? 1 : 0;
      if (entry->line()) {
        for (uint8_t b : *entry->line()) sum += b;
      }
      sum += Touch(entry->structured_metadata());
    }
  }
  return sum;
}

uint64_t TouchMessage(const Frame& frame) {
  switch (frame.type()) {
    case FrameType::kHello:
      return ReadHello(*frame.AsHello()).token.size();
    case FrameType::kWelcome:
      return ReadWelcome(*frame.AsWelcome()).tenant.size();
    case FrameType::kBatch:
      return TouchBatch(*frame.AsBatch());
    case FrameType::kAck:
      return frame.AsAck()->batch_id();
    case FrameType::kNack:
      return ReadNack(*frame.AsNack()).reason.size();
    case FrameType::kHeartbeat:
      return ReadHeartbeat(*frame.AsHeartbeat()).sequence;
    case FrameType::kGoodbye:
      return ReadGoodbye(*frame.AsGoodbye()).reason.size();
  }
  std::abort();
}

// Re-encodes a decoded payload and checks that decoding gives back the same bytes.
void CheckReencodes(const Frame& frame) {
  FrameEncoderOptions options;
  options.peer_limits = FuzzLimits();
  options.min_lz4_bytes = 0;
  std::vector<uint8_t> wire;
  const silt::Status encoded = FrameEncoder(options).Encode(frame.type(), frame.payload(), &wire);
  if (!encoded.ok()) {
    // Only possible when our lz4 does worse than the peer's on a payload over the wire limit.
    Check(encoded.code() == silt::StatusCode::kResourceExhausted &&
          frame.payload().size() > options.peer_limits.max_wire_bytes);
    return;
  }
  FrameDecoder decoder(FuzzLimits());
  decoder.Feed(wire);
  auto again = decoder.Next();
  Check(again.ok() && again->has_value());
  const auto payload = (*again)->payload();
  Check(payload.size() == frame.payload().size());
  Check(std::equal(payload.begin(), payload.end(), frame.payload().begin()));
}

// Selector bit 7: rewrite each complete frame's checksum to match its payload before feeding.
// Random mutations almost never keep an XXH3 right, so without this the fuzzer would rarely get
// past the checksum check to lz4 and the FlatBuffers Verifier.
constexpr uint8_t kRepairChecksums = 0x80;

void RepairChecksums(std::vector<uint8_t>* stream) {
  size_t pos = 0;
  while (stream->size() - pos >= kFrameHeaderSize) {
    FrameHeader header = DecodeFrameHeader(stream->data() + pos);
    const size_t end = pos + kFrameHeaderSize + header.wire_length;
    if (end > stream->size()) return;
    header.checksum = silt::hash::Xxh3(stream->data() + pos + kFrameHeaderSize, header.wire_length);
    // Rewrite only the checksum bytes; the magic and other fields stay as the fuzzer made them.
    uint8_t encoded[kFrameHeaderSize];
    EncodeFrameHeader(header, encoded);
    std::copy(encoded + kChecksumOffset, encoded + kFrameHeaderSize,
              stream->begin() + static_cast<std::ptrdiff_t>(pos + kChecksumOffset));
    pos = end;
  }
}

// Chunk sizes for Feed() from the selector's low 7 bits: 0 = everything at once, 1 = byte by
// byte, otherwise a deterministic pseudo-random mix of sizes 1..n.
size_t NextChunk(uint8_t selector, uint32_t* state, size_t remaining) {
  const uint8_t n = selector & 0x7f;
  if (n == 0) return remaining;
  if (n == 1) return 1;
  *state = *state * 1103515245u + 12345u;
  return std::min<size_t>(remaining, 1 + (*state >> 16) % n);
}

}  // namespace
}  // namespace silt::protocol

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace silt::protocol;
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  std::vector<uint8_t> bytes(data + 1, data + size);
  if (selector & kRepairChecksums) RepairChecksums(&bytes);
  const std::span<const uint8_t> stream(bytes);
  FrameDecoder decoder(FuzzLimits());
  uint32_t state = selector;
  uint64_t sink = 0;
  uint64_t last_end = 0;
  size_t pos = 0;
  while (pos < stream.size() && !decoder.failed()) {
    const size_t chunk = NextChunk(selector, &state, stream.size() - pos);
    decoder.Feed(stream.subspan(pos, chunk));
    pos += chunk;
    while (true) {
      auto next = decoder.Next();
      if (!next.ok() || !next->has_value()) break;
      const Frame& frame = **next;
      Check(frame.stream_offset() == last_end);
      Check(reinterpret_cast<uintptr_t>(frame.payload().data()) % 8 == 0);
      last_end = frame.stream_offset() + frame.wire_size();
      sink += TouchMessage(frame);
      CheckReencodes(frame);
    }
  }
  const silt::Status finish = decoder.Finish();
  if (decoder.failed()) {
    // A failed decoder stays failed with the same error.
    Check(!finish.ok() && decoder.error() != FrameError::kNone);
    decoder.Feed(stream);
    auto again = decoder.Next();
    Check(!again.ok() && again.status() == finish);
  } else {
    Check(finish.ok() && decoder.stream_offset() == stream.size());
  }
  // Keep the reads alive without a global.
  __asm__ volatile("" : : "r"(sink) : "memory");
  return 0;
}
