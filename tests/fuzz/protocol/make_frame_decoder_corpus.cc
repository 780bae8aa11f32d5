// Writes the seed corpus of frame_decoder_fuzz: valid frames of every type (plain and lz4),
// multi-frame streams, and one stream per decoder failure mode. Each file is one fuzz input:
// byte 0 selects how the fuzz target splits the stream into Feed() calls and whether it repairs
// checksums first (bit 7), the rest is the stream.
// Usage (see tests/fuzz/README.md): make_frame_decoder_corpus <output dir>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "tests/unit/protocol/frame_test_util.h"

namespace silt::protocol {
namespace {

using testing::HeaderFor;
using testing::Lz4Block;
using testing::RawFrame;

using Bytes = std::vector<uint8_t>;

struct Seed {
  std::string name;
  Bytes stream;
  FrameError expected = FrameError::kNone;  // what the fuzz target's decoder must report
};

void Must(Status status) {
  if (!status.ok()) {
    std::fprintf(stderr, "corpus: %s\n", status.ToString().c_str());
    std::exit(1);
  }
}

// The plain frame `plain` re-sent as an lz4 frame (even where lz4 does not shrink it).
Bytes ForceLz4(const Bytes& plain) {
  const auto payload = std::span<const uint8_t>(plain).subspan(kFrameHeaderSize);
  const Bytes block = Lz4Block(payload);
  return RawFrame(
      HeaderFor(plain[kTypeOffset], block, static_cast<uint32_t>(payload.size()), kFlagLz4), block);
}

std::vector<Seed> ControlFrames() {
  Bytes hello, welcome, ack, nack, heartbeat, goodbye;
  Must(EncodeHello({"agent-1", "web-01", "0.1.0", "secret-token", 1, 0, 0, true, 42}, &hello));
  Must(EncodeWelcome({7, "0.1.0", "fake", 1, 65536, 262144, 4, 4096, 1000, 5000}, &welcome));
  Must(EncodeAck(42, &ack));
  Must(EncodeNack({9, fb::NackCode::rate_limited, 1500, "rate limit 10 MB/s"}, &nack));
  Must(EncodeHeartbeat({3, 1714564800000000000, false}, &heartbeat));
  Must(EncodeGoodbye({"agent shutting down", 0}, &goodbye));
  return {{"hello", hello}, {"welcome", welcome},     {"ack", ack},
          {"nack", nack},   {"heartbeat", heartbeat}, {"goodbye", goodbye}};
}

std::vector<Seed> ValidSeeds() {
  std::vector<Seed> seeds;
  Bytes everything;
  for (const Seed& s : ControlFrames()) {
    seeds.push_back({"valid-" + s.name + "-plain", s.stream});
    seeds.push_back({"valid-" + s.name + "-lz4", ForceLz4(s.stream)});
    everything.insert(everything.end(), s.stream.begin(), s.stream.end());
  }
  const Bytes batch = testing::SampleBatchPayload(5, 12);
  const Bytes batch_plain = testing::EncodeFrame(FrameType::kBatch, batch, false);
  const Bytes batch_lz4 = testing::EncodeFrame(FrameType::kBatch, batch, true);
  seeds.push_back({"valid-batch-plain", batch_plain});
  seeds.push_back({"valid-batch-lz4", batch_lz4});
  everything.insert(everything.end(), batch_lz4.begin(), batch_lz4.end());
  everything.insert(everything.end(), batch_plain.begin(), batch_plain.end());
  seeds.push_back({"valid-stream-all-types", everything});
  return seeds;
}

std::vector<Seed> MalformedSeeds() {
  const Seed ack = ControlFrames()[2];
  const Bytes batch = testing::SampleBatchPayload(5, 6);
  const Bytes lz4 = testing::EncodeFrame(FrameType::kBatch, batch, true);
  const Bytes block = Lz4Block(batch);
  const auto u32 = [](Bytes b, size_t offset, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[offset + i] = static_cast<uint8_t>(v >> (8 * i));
    return b;
  };
  const auto set = [](Bytes b, size_t offset, uint8_t v) {
    b[offset] = v;
    return b;
  };
  const uint8_t kBatch = static_cast<uint8_t>(FrameType::kBatch);
  const Bytes garbage(48, 0x5a);
  return {
      {"bad-magic", set(ack.stream, 2, 'X'), FrameError::kBadMagic},
      {"bad-version", set(ack.stream, kVersionOffset, 2), FrameError::kUnsupportedVersion},
      {"bad-type", set(ack.stream, kTypeOffset, 8), FrameError::kUnknownType},
      {"bad-flags", set(ack.stream, kFlagsOffset, 0x03), FrameError::kUnknownFlags},
      {"oversize", u32(ack.stream, kWireLengthOffset, 0xFFFFFFFF), FrameError::kOversizeFrame},
      {"uncompressed-too-large", u32(lz4, kUncompressedLengthOffset, 0x00400000),
       FrameError::kUncompressedTooLarge},
      {"length-mismatch", u32(ack.stream, kUncompressedLengthOffset, 25),
       FrameError::kLengthMismatch},
      {"ratio-bomb",
       u32(lz4, kUncompressedLengthOffset,
           static_cast<uint32_t>(lz4.size() - kFrameHeaderSize) * 256),
       FrameError::kRatioBomb},
      {"checksum-mismatch", set(lz4, lz4.size() - 1, lz4.back() ^ 1),
       FrameError::kChecksumMismatch},
      {"corrupt-lz4", RawFrame(HeaderFor(kBatch, Bytes(40, 0xFF), 500, kFlagLz4), Bytes(40, 0xFF)),
       FrameError::kDecompressFailed},
      {"decompressed-size-mismatch",
       RawFrame(HeaderFor(kBatch, block, static_cast<uint32_t>(batch.size() + 16), kFlagLz4),
                block),
       FrameError::kDecompressedSizeMismatch},
      {"verify-failed", RawFrame(HeaderFor(kBatch, garbage, 48), garbage),
       FrameError::kVerifyFailed},
      {"truncated-header", Bytes(ack.stream.begin(), ack.stream.begin() + 13),
       FrameError::kTruncated},
      {"truncated-payload", Bytes(lz4.begin(), lz4.end() - 5), FrameError::kTruncated},
  };
}

// Decodes the seed with the fuzz target's limits and checks it fails (or not) as intended, so
// the corpus keeps covering what its file names say.
void CheckSeed(const Seed& seed) {
  FrameLimits limits;
  limits.max_wire_bytes = 64 * 1024;
  limits.max_uncompressed_bytes = 256 * 1024;
  FrameDecoder decoder(limits);
  auto frames = testing::DecodeAll(&decoder, seed.stream, 5);
  if (decoder.error() != seed.expected) {
    std::fprintf(stderr, "corpus: %s: expected %s, got %s (%s)\n", seed.name.c_str(),
                 std::string(FrameErrorName(seed.expected)).c_str(),
                 std::string(FrameErrorName(decoder.error())).c_str(),
                 frames.status().ToString().c_str());
    std::exit(1);
  }
}

void Write(const std::filesystem::path& dir, const std::string& name, uint8_t selector,
           const Bytes& stream) {
  std::ofstream out(dir / name, std::ios::binary);
  out.put(static_cast<char>(selector));
  out.write(reinterpret_cast<const char*>(stream.data()),
            static_cast<std::streamsize>(stream.size()));
  if (!out) {
    std::fprintf(stderr, "corpus: cannot write %s\n", (dir / name).c_str());
    std::exit(1);
  }
}

}  // namespace
}  // namespace silt::protocol

int main(int argc, char** argv) {
  using namespace silt::protocol;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <output dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  int count = 0;
  for (const Seed& s : ValidSeeds()) {
    CheckSeed(s);
    Write(dir, s.name, 0x80, s.stream);
    ++count;
  }
  // The multi-frame stream also byte by byte and in mixed chunks.
  const Seed all = ValidSeeds().back();
  Write(dir, all.name + "-bytewise", 1, all.stream);
  Write(dir, all.name + "-chunks7", 7, all.stream);
  count += 2;
  for (const Seed& s : MalformedSeeds()) {
    CheckSeed(s);
    // Selector 0x83: checksums repaired (except for the seed that is about the checksum), fed in
    // chunks of 1..3 bytes.
    Write(dir, s.name, s.expected == FrameError::kChecksumMismatch ? 3 : 0x83, s.stream);
    ++count;
  }
  std::printf("corpus: wrote %d files to %s\n", count, dir.c_str());
  return 0;
}
