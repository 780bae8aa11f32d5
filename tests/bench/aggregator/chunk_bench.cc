// Chunk file throughput: writing (encode, bloom terms, compress) and reading (decompress, parse,
// iterate) realistic ~120-byte log lines, lz4 vs zstd, blooms on and off. Files live in memory so
// the figures are CPU cost, not disk speed. Counters: line MB/s (bytes_per_second), lines/s
// (items_per_second), compression ratio (raw line bytes / file bytes) and bloom share of the file.
//
//   cmake -S . -B build-bench -G Ninja -DSILT_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   ninja -C build-bench chunk_bench && build-bench/tests/chunk_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"

namespace silt::store {
namespace {

constexpr int kStreams = 10;
constexpr int kLinesPerStream = 20000;

struct Line {
  int64_t ts;
  std::string text;
};

// Access logs, logfmt and JSON app logs with varied levels, paths, ids and latencies; fixed seed.
std::string MakeLine(std::mt19937_64& rng, int64_t ts) {
  static const char* const kPaths[] = {"/api/v1/users",  "/api/v1/orders", "/healthz",
                                       "/api/v2/search", "/static/app.js", "/api/v1/cart/items"};
  static const char* const kLevels[] = {"info", "info", "info", "debug", "warn", "error"};
  static const char* const kMessages[] = {"request completed", "cache miss",
                                          "retrying upstream", "slow query",
                                          "user logged in",    "payment declined"};
  const char* path = kPaths[rng() % std::size(kPaths)];
  const char* level = kLevels[rng() % std::size(kLevels)];
  const char* message = kMessages[rng() % std::size(kMessages)];
  // RFC 3339 time of day with microseconds, from the entry's timestamp.
  long long micros = static_cast<long long>((ts / 1000) % 86'400'000'000LL);
  char clock[32];
  std::snprintf(clock, sizeof(clock), "2023-11-14T%02lld:%02lld:%02lld.%06lldZ",
                micros / 3'600'000'000LL, micros / 60'000'000 % 60, micros / 1'000'000 % 60,
                micros % 1'000'000);
  char buffer[400];
  switch (rng() % 3) {
    case 0:
      std::snprintf(buffer, sizeof(buffer),
                    "10.%d.%d.%d - - [%s] \"GET %s/%llu HTTP/1.1\" %d %llu \"curl/8.1.2\"",
                    static_cast<int>(rng() % 256), static_cast<int>(rng() % 256),
                    static_cast<int>(rng() % 256), clock, path,
                    static_cast<unsigned long long>(rng() % 100000), rng() % 10 == 0 ? 500 : 200,
                    static_cast<unsigned long long>(rng() % 20000));
      break;
    case 1:
      std::snprintf(buffer, sizeof(buffer),
                    "ts=%s level=%s msg=\"%s\" path=%s trace_id=%016llx user=%llu dur=%llums",
                    clock, level, message, path, static_cast<unsigned long long>(rng()),
                    static_cast<unsigned long long>(rng() % 50000),
                    static_cast<unsigned long long>(rng() % 900));
      break;
    default:
      std::snprintf(buffer, sizeof(buffer),
                    "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\",\"trace\":\"%012llx\","
                    "\"user\":%llu,\"ms\":%llu}",
                    clock, level, message,
                    static_cast<unsigned long long>(rng() & 0xFFFFFFFFFFFFULL),
                    static_cast<unsigned long long>(rng() % 50000),
                    static_cast<unsigned long long>(rng() % 900));
  }
  return buffer;
}

struct Data {
  std::vector<labels::LabelSet> streams;
  std::vector<std::vector<Line>> lines;
  uint64_t line_bytes = 0;
};

const Data& TestData() {
  static const Data data = [] {
    Data d;
    std::mt19937_64 rng(20240101);
    for (int s = 0; s < kStreams; ++s) {
      d.streams.push_back(labels::LabelSet::Of(
          {{"app", "svc" + std::to_string(s % 4)}, {"pod", "pod-" + std::to_string(s)}}));
      std::vector<Line> lines;
      int64_t ts = 1'700'000'000'000'000'000;
      for (int i = 0; i < kLinesPerStream; ++i) {
        ts += static_cast<int64_t>(rng() % 2'000'000);
        lines.push_back({ts, MakeLine(rng, ts)});
        d.line_bytes += lines.back().text.size();
      }
      d.lines.push_back(std::move(lines));
    }
    return d;
  }();
  return data;
}

class StringFile : public fs::WritableFile {
 public:
  Status Append(std::string_view data) override {
    contents_.append(data);
    return Status::Ok();
  }
  Status Flush() override { return Status::Ok(); }
  Status Sync() override { return Status::Ok(); }
  Status Close() override { return Status::Ok(); }
  uint64_t Size() const override { return contents_.size(); }
  const std::string& path() const override { return path_; }
  std::string& contents() { return contents_; }

 private:
  std::string path_ = "/bench/chunk.silt";
  std::string contents_;
};

class StringSource : public fs::RandomAccessFile {
 public:
  explicit StringSource(std::string contents) : contents_(std::move(contents)) {}
  Result<size_t> Read(uint64_t offset, size_t n, char* scratch) const override {
    if (offset >= contents_.size()) return size_t{0};
    size_t available = std::min<size_t>(n, contents_.size() - offset);
    std::memcpy(scratch, contents_.data() + offset, available);
    return available;
  }
  Result<uint64_t> Size() const override { return uint64_t{contents_.size()}; }
  const std::string& path() const override { return path_; }

 private:
  std::string contents_;
  std::string path_ = "/bench/chunk.silt";
};

ChunkWriterOptions Options(Codec codec, bool blooms) {
  ChunkWriterOptions options;
  options.codec = codec;
  options.build_blooms = blooms;
  return options;
}

ChunkWriterStats WriteAll(const Data& data, const ChunkWriterOptions& options, StringFile* file) {
  auto writer = ChunkWriter::Create(file, options);
  for (size_t s = 0; s < data.streams.size(); ++s) {
    (*writer)->BeginStream(data.streams[s]).IgnoreError();
    for (const Line& line : data.lines[s]) (*writer)->Append(line.ts, line.text).IgnoreError();
    (*writer)->EndStream().IgnoreError();
  }
  (*writer)->Finish(1).IgnoreError();
  return (*writer)->stats();
}

void BM_ChunkWrite(benchmark::State& state) {
  const Data& data = TestData();
  ChunkWriterOptions options = Options(static_cast<Codec>(state.range(0)), state.range(1) != 0);
  ChunkWriterStats stats;
  for (auto _ : state) {
    StringFile file;
    file.contents().reserve(data.line_bytes);
    stats = WriteAll(data, options, &file);
    benchmark::DoNotOptimize(file.contents().data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.line_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * stats.entries));
  state.counters["ratio"] = static_cast<double>(data.line_bytes) / stats.file_bytes;
  state.counters["bloom_pct"] = 100.0 * stats.bloom_bytes / stats.file_bytes;
  state.counters["blocks"] = static_cast<double>(stats.blocks);
  state.counters["avg_line"] = static_cast<double>(data.line_bytes) / stats.entries;
  state.SetLabel(std::string(CodecName(options.codec)) + (options.build_blooms ? "+bloom" : ""));
}
BENCHMARK(BM_ChunkWrite)
    ->ArgsProduct({{static_cast<int>(Codec::kLz4), static_cast<int>(Codec::kZstd)}, {1, 0}})
    ->Unit(benchmark::kMillisecond);

void BM_BlockDecodeAndIterate(benchmark::State& state) {
  const Data& data = TestData();
  ChunkWriterOptions options = Options(static_cast<Codec>(state.range(0)), true);
  StringFile file;
  WriteAll(data, options, &file);
  StringSource source(file.contents());
  auto reader = ChunkReader::Open(&source);  // no cache: every read decompresses
  const auto direction = state.range(1) ? Direction::kBackward : Direction::kForward;
  uint64_t entries = 0;
  for (auto _ : state) {
    size_t bytes = 0;
    for (size_t s = 0; s < (*reader)->streams().size(); ++s) {
      for (size_t b = 0; b < (*reader)->streams()[s].blocks.size(); ++b) {
        auto block = (*reader)->ReadBlock(s, b);
        for (ChunkBlockIterator it(*block, direction); it.Valid(); it.Next()) {
          bytes += it.line().size();
          ++entries;
        }
      }
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.line_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(entries));
  state.SetLabel(std::string(CodecName(options.codec)) +
                 (direction == Direction::kForward ? " forward" : " backward"));
}
BENCHMARK(BM_BlockDecodeAndIterate)
    ->ArgsProduct({{static_cast<int>(Codec::kLz4), static_cast<int>(Codec::kZstd)}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace silt::store

BENCHMARK_MAIN();
