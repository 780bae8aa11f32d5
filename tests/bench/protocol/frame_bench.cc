// Throughput of the frame codec on realistic Batch frames: ~1 MiB of ~120-byte log lines in a
// mix of logfmt, access-log and JSON styles, generated with a fixed seed so runs are comparable
// and lz4 sees realistic (not flattering) redundancy. Bytes/s are of the uncompressed payload.
#include <benchmark/benchmark.h>
#include <lz4.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/frame_decoder.h"
#include "protocol/frame_encoder.h"

namespace silt::protocol {
namespace {

constexpr size_t kTargetBatchBytes = 1 << 20;
constexpr int kStreams = 8;

class LineGenerator {
 public:
  explicit LineGenerator(uint32_t seed) : rng_(seed) {}

  std::string Next(int64_t timestamp_ns) {
    char ts[40];
    const int64_t ms = timestamp_ns / 1000000;
    std::snprintf(ts, sizeof(ts), "2024-05-01T%02d:%02d:%02d.%03dZ",
                  static_cast<int>(ms / 3600000 % 24), static_cast<int>(ms / 60000 % 60),
                  static_cast<int>(ms / 1000 % 60), static_cast<int>(ms % 1000));
    switch (Pick(10)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
        return Logfmt(ts);
      case 5:
      case 6:
      case 7:
        return Access();
      default:
        return Json(ts);
    }
  }

 private:
  uint32_t Pick(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  template <size_t N>
  const char* Of(const char* const (&options)[N]) {
    return options[Pick(N)];
  }

  std::string Hex(int digits) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < digits; ++i) s += kDigits[Pick(16)];
    return s;
  }

  std::string Logfmt(const char* ts) {
    static constexpr const char* kLevels[] = {"info", "info", "info", "debug", "warn", "error"};
    static constexpr const char* kCallers[] = {"server/handler.go:142", "db/pool.go:88",
                                               "cache/lru.go:51", "auth/jwt.go:203"};
    static constexpr const char* kMsgs[] = {"request served", "cache miss", "token refreshed",
                                            "slow query", "retrying upstream"};
    char buf[256];
    std::snprintf(buf, sizeof(buf),
                  "ts=%s level=%s caller=%s msg=\"%s\" user=%u req=%s-%s dur=%u.%ums", ts,
                  Of(kLevels), Of(kCallers), Of(kMsgs), Pick(100000), Hex(8).c_str(),
                  Hex(8).c_str(), Pick(900), Pick(10));
    return buf;
  }

  std::string Access() {
    static constexpr const char* kMethods[] = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
    static constexpr const char* kPaths[] = {"/api/v1/orders/", "/api/v1/users/", "/static/js/app.",
                                             "/healthz?id="};
    static constexpr int kStatus[] = {200, 200, 200, 201, 204, 304, 404, 500};
    static constexpr const char* kAgents[] = {"curl/8.4.0", "Go-http-client/1.1",
                                              "Mozilla/5.0 (X11; Linux x86_64)"};
    char buf[256];
    std::snprintf(buf, sizeof(buf), "10.%u.%u.%u - - \"%s %s%u HTTP/1.1\" %d %u \"%s\" %ums",
                  Pick(256), Pick(256), Pick(256), Of(kMethods), Of(kPaths), Pick(1000000),
                  kStatus[Pick(8)], Pick(50000), Of(kAgents), Pick(2000));
    return buf;
  }

  std::string Json(const char* ts) {
    static constexpr const char* kDbs[] = {"orders", "users", "billing", "inventory"};
    char buf[256];
    std::snprintf(buf, sizeof(buf),
                  "{\"ts\":\"%s\",\"level\":\"warn\",\"msg\":\"slow query\",\"db\":\"%s\","
                  "\"ms\":%u,\"rows\":%u,\"trace\":\"%s\"}",
                  ts, Of(kDbs), Pick(5000), Pick(10000), Hex(16).c_str());
    return buf;
  }

  std::mt19937 rng_;
};

// Fills `builder` with one ~1 MiB batch of generated lines over kStreams streams.
void BuildBatch(const std::vector<std::string>& lines, BatchBuilder* builder) {
  builder->Reset(1);
  uint32_t streams[kStreams];
  uint32_t sources[kStreams];
  uint64_t offsets[kStreams] = {};
  for (int s = 0; s < kStreams; ++s) {
    const std::string job = "service-" + std::to_string(s);
    const LabelRef labels[] = {{"env", "prod"}, {"host", "web-01"}, {"job", job}};
    streams[s] = builder->AddStream(labels);
    sources[s] = builder->AddSource(0x1000 + s, 0, "/var/log/" + job + ".log");
  }
  int64_t ts = 1714564800000000000;
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t s = i % kStreams;
    offsets[s] += lines[i].size() + 1;
    builder->AddEntry(streams[s], ts + static_cast<int64_t>(i) * 1000000, lines[i], sources[s],
                      offsets[s]);
  }
}

const std::vector<std::string>& Lines() {
  static const std::vector<std::string> lines = [] {
    LineGenerator gen(42);
    std::vector<std::string> out;
    size_t bytes = 0;
    for (int64_t i = 0; bytes < kTargetBatchBytes * 3 / 4; ++i) {
      out.push_back(gen.Next(1714564800000000000 + i * 1000000));
      bytes += out.back().size();
    }
    return out;
  }();
  return lines;
}

const std::vector<uint8_t>& Payload() {
  static const std::vector<uint8_t> payload = [] {
    BatchBuilder builder;
    BuildBatch(Lines(), &builder);
    const auto bytes = builder.Finish();
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
  }();
  return payload;
}

FrameEncoder Encoder(bool lz4) {
  FrameEncoderOptions options;
  options.lz4 = lz4;
  return FrameEncoder(options);
}

void BM_BuildBatch(benchmark::State& state) {
  const auto& lines = Lines();
  BatchBuilder builder;
  size_t size = 0;
  for (auto _ : state) {
    BuildBatch(lines, &builder);
    size = builder.Finish().size();
    benchmark::DoNotOptimize(size);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
  state.counters["lines"] = static_cast<double>(lines.size());
  state.counters["avg_line_bytes"] = [&] {
    size_t total = 0;
    for (const auto& l : lines) total += l.size();
    return static_cast<double>(total) / static_cast<double>(lines.size());
  }();
}
BENCHMARK(BM_BuildBatch)->Unit(benchmark::kMillisecond);

void BM_Encode(benchmark::State& state) {
  const bool lz4 = state.range(0) != 0;
  const auto& payload = Payload();
  const FrameEncoder encoder = Encoder(lz4);
  std::vector<uint8_t> out;
  for (auto _ : state) {
    out.clear();
    if (!encoder.Encode(FrameType::kBatch, payload, &out).ok()) state.SkipWithError("encode");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * payload.size()));
  state.counters["payload_bytes"] = static_cast<double>(payload.size());
  state.counters["ratio"] =
      static_cast<double>(payload.size()) / static_cast<double>(out.size() - kFrameHeaderSize);
}
BENCHMARK(BM_Encode)->ArgName("lz4")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Decodes one frame per iteration, fed in chunks of range(1) bytes (0 = all at once; 16 KiB is
// a TLS record). Includes checksum, lz4 and the FlatBuffers Verifier.
void BM_Decode(benchmark::State& state) {
  const bool lz4 = state.range(0) != 0;
  const size_t chunk = state.range(1) == 0 ? SIZE_MAX : static_cast<size_t>(state.range(1));
  const auto& payload = Payload();
  std::vector<uint8_t> frame;
  if (!Encoder(lz4).Encode(FrameType::kBatch, payload, &frame).ok()) state.SkipWithError("enc");
  FrameDecoder decoder;
  for (auto _ : state) {
    size_t frames = 0;
    for (size_t pos = 0; pos < frame.size(); pos += chunk) {
      decoder.Feed(
          std::span<const uint8_t>(frame).subspan(pos, std::min(chunk, frame.size() - pos)));
      auto next = decoder.Next();
      if (!next.ok()) state.SkipWithError("decode");
      if (next.ok() && next->has_value()) ++frames;
    }
    if (frames != 1) state.SkipWithError("no frame");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * payload.size()));
}
BENCHMARK(BM_Decode)
    ->ArgNames({"lz4", "chunk"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 16384})
    ->Args({1, 16384})
    ->Unit(benchmark::kMillisecond);

// The peer in the same run: raw LZ4 block compression and decompression of the identical payload
// (what `lz4 -1` does, minus file I/O). Encode/Decode divided by these is the frame codec's own
// overhead: header, XXH3 checksum, limits and the FlatBuffers Verifier.
void BM_RawLz4(benchmark::State& state) {
  const bool decompress = state.range(0) != 0;
  const auto& payload = Payload();
  const int src_size = static_cast<int>(payload.size());
  std::vector<char> compressed(static_cast<size_t>(LZ4_compressBound(src_size)));
  const int compressed_size =
      LZ4_compress_default(reinterpret_cast<const char*>(payload.data()), compressed.data(),
                           src_size, static_cast<int>(compressed.size()));
  std::vector<char> restored(payload.size());
  for (auto _ : state) {
    int n = decompress ? LZ4_decompress_safe(compressed.data(), restored.data(), compressed_size,
                                             src_size)
                       : LZ4_compress_default(reinterpret_cast<const char*>(payload.data()),
                                              compressed.data(), src_size,
                                              static_cast<int>(compressed.size()));
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * payload.size()));
  state.counters["ratio"] = static_cast<double>(src_size) / compressed_size;
}
BENCHMARK(BM_RawLz4)->ArgName("decompress")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace silt::protocol

BENCHMARK_MAIN();
