// Chunk file throughput: writing (encode, bloom terms, compress) and reading (decompress, parse,
// iterate), lz4 vs zstd, blooms on and off, next to raw lz4 / zstd compressing the same bytes in
// the same run. Files live in memory so the figures are CPU cost, not disk speed.
//
// Data sets (fixed seeds, built once per process):
//   synthetic  the original ad-hoc mix of access, logfmt and JSON lines (random hex ids)
//   mixed      silt-loggen --format mixed --line-size 120 (nginx, apache, json, logfmt,
//              syslog 5424 and 3164, java; one stream per format, so blocks are full 256 KiB)
//   nginx, json, logfmt, syslog5424, java: silt-loggen --format F --line-size 120, 8 streams
//
// Benchmarks: BM_ChunkWrite, the whole writer; BM_BlockBuild, entry encoding with and without
// blooms and nothing else (the difference is the whole cost of blooms); BM_RawLz4 and
// BM_RawZstd3, the peers, on the raw text (each line and '\n', in generation order, as a log
// file holds it) in 256 KiB pieces; BM_BloomTermFinding, the floor under bloom building: only
// finding the terms (the tokens; the JSON/logfmt key=value terms), with no set, hash or filter;
// BM_BlockDecodeAndIterate, the read side.
// Counters: line MB/s (bytes_per_second), lines/s (items_per_second), ratio (raw line bytes /
// file bytes, so it includes blooms and metadata), bloom_raw_pct (bloom bytes per 100 raw line
// bytes), bloom_file_pct (bloom share of the file), bloom_bytes_per_block.
//
//   cmake -S . -B build-bench -G Ninja -DSILT_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   ninja -C build-bench chunk_bench && build-bench/tests/chunk_bench
#include <benchmark/benchmark.h>
#include <lz4.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aggregator/bloom/seen_term_cache.h"
#include "aggregator/bloom/term_extractor.h"
#include "aggregator/bloom/tokenizer.h"
#include "aggregator/store/chunk_block_builder.h"
#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "tests/bench/loggen/generator.h"

namespace silt::store {
namespace {

constexpr int kEntries = 200000;
constexpr size_t kRawPieceSize = 256 * 1024;  // raw peers compress the text in block-sized pieces

struct Line {
  int64_t ts;
  std::string_view text;  // into Data::arena
};

struct Data {
  std::vector<labels::LabelSet> streams;
  std::vector<std::vector<Line>> lines;  // per stream, in timestamp order
  uint64_t line_bytes = 0;
  uint64_t entries = 0;
  // Every line followed by '\n', in generation order: what `lz4 -1` would read.
  std::string raw;
  // The lines grouped by stream, back to back, as the head holds them: the writer reads each
  // stream's lines from contiguous memory.
  std::string arena;
};

enum DataSet : int { kSynthetic, kMixed, kNginx, kJson, kLogfmt, kSyslog, kJava, kDataSetCount };

const char* DataSetName(int set) {
  static const char* const kNames[] = {"synthetic", "mixed",      "nginx", "json",
                                       "logfmt",    "syslog5424", "java"};
  return kNames[set];
}

// Access logs, logfmt and JSON app logs with varied levels, paths, ids and latencies; fixed seed.
std::string MakeSyntheticLine(std::mt19937_64& rng, int64_t ts) {
  static const char* const kPaths[] = {"/api/v1/users",  "/api/v1/orders", "/healthz",
                                       "/api/v2/search", "/static/app.js", "/api/v1/cart/items"};
  static const char* const kLevels[] = {"info", "info", "info", "debug", "warn", "error"};
  static const char* const kMessages[] = {"request completed", "cache miss",
                                          "retrying upstream", "slow query",
                                          "user logged in",    "payment declined"};
  const char* path = kPaths[rng() % std::size(kPaths)];
  const char* level = kLevels[rng() % std::size(kLevels)];
  const char* message = kMessages[rng() % std::size(kMessages)];
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

// Builds `d` from (stream, timestamp, text) entries in generation order.
class DataBuilder {
 public:
  explicit DataBuilder(size_t streams) : pending_(streams) {}

  void Add(size_t stream, int64_t ts, std::string_view text) {
    pending_[stream].push_back({ts, data_.raw.size(), text.size()});
    data_.line_bytes += text.size();
    ++data_.entries;
    data_.raw.append(text);
    data_.raw.push_back('\n');
  }

  Data Finish(std::vector<labels::LabelSet> streams) && {
    data_.streams = std::move(streams);
    data_.arena.reserve(data_.raw.size());
    for (const std::vector<Pending>& stream : pending_) {
      for (const Pending& line : stream) data_.arena.append(data_.raw, line.offset, line.size);
    }
    size_t offset = 0;
    data_.lines.resize(pending_.size());
    for (size_t s = 0; s < pending_.size(); ++s) {
      for (const Pending& line : pending_[s]) {
        data_.lines[s].push_back(
            {line.ts, std::string_view(data_.arena).substr(offset, line.size)});
        offset += line.size;
      }
    }
    return std::move(data_);
  }

 private:
  struct Pending {
    int64_t ts;
    size_t offset;
    size_t size;
  };
  std::vector<std::vector<Pending>> pending_;
  Data data_;
};

Data MakeSynthetic() {
  constexpr int kStreams = 10;
  DataBuilder builder(kStreams);
  std::vector<labels::LabelSet> streams;
  std::mt19937_64 rng(20240101);
  for (int s = 0; s < kStreams; ++s) {
    streams.push_back(labels::LabelSet::Of(
        {{"app", "svc" + std::to_string(s % 4)}, {"pod", "pod-" + std::to_string(s)}}));
    int64_t ts = 1'700'000'000'000'000'000;
    for (int i = 0; i < kEntries / kStreams; ++i) {
      ts += static_cast<int64_t>(rng() % 2'000'000);
      builder.Add(s, ts, MakeSyntheticLine(rng, ts));
    }
  }
  return std::move(builder).Finish(std::move(streams));
}

Data MakeLoggen(loggen::Format format) {
  loggen::GeneratorOptions options;
  options.format = format;
  options.seed = 1;
  options.line_size = 120;
  options.streams = format == loggen::Format::kMixed ? 7 : 8;
  auto generator = loggen::Generator::Create(options);
  if (!generator.ok()) std::abort();
  const loggen::StreamSet& stream_set = (*generator)->streams();
  std::vector<labels::LabelSet> streams;
  for (size_t s = 0; s < stream_set.size(); ++s) {
    std::vector<labels::LabelView> views;
    for (const auto& [name, value] : stream_set[s].labels) views.push_back({name, value});
    auto labels = labels::LabelSet::FromSorted(views);
    if (!labels.ok()) std::abort();
    streams.push_back(*std::move(labels));
  }
  DataBuilder builder(streams.size());
  for (int i = 0; i < kEntries; ++i) {
    const loggen::Entry& entry = (*generator)->Next();
    builder.Add(entry.stream->index, entry.timestamp_ns, entry.line);
  }
  return std::move(builder).Finish(std::move(streams));
}

const Data& GetData(int set) {
  static std::array<std::unique_ptr<Data>, kDataSetCount> cache;
  if (!cache[set]) {
    static const loggen::Format kFormats[] = {loggen::Format::kMixed,  loggen::Format::kMixed,
                                              loggen::Format::kNginx,  loggen::Format::kJson,
                                              loggen::Format::kLogfmt, loggen::Format::kSyslog5424,
                                              loggen::Format::kJava};
    cache[set] =
        std::make_unique<Data>(set == kSynthetic ? MakeSynthetic() : MakeLoggen(kFormats[set]));
  }
  return *cache[set];
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
    if (data.lines[s].empty()) continue;
    (*writer)->BeginStream(data.streams[s]).IgnoreError();
    for (const Line& line : data.lines[s]) (*writer)->Append(line.ts, line.text).IgnoreError();
    (*writer)->EndStream().IgnoreError();
  }
  (*writer)->Finish(1).IgnoreError();
  return (*writer)->stats();
}

void SetThroughput(benchmark::State& state, const Data& data) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.line_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * data.entries));
}

// Args: data set, codec, blooms on/off.
void BM_ChunkWrite(benchmark::State& state) {
  const Data& data = GetData(static_cast<int>(state.range(0)));
  ChunkWriterOptions options = Options(static_cast<Codec>(state.range(1)), state.range(2) != 0);
  ChunkWriterStats stats;
  for (auto _ : state) {
    StringFile file;
    file.contents().reserve(data.line_bytes);
    stats = WriteAll(data, options, &file);
    benchmark::DoNotOptimize(file.contents().data());
  }
  SetThroughput(state, data);
  state.counters["ratio"] = static_cast<double>(data.line_bytes) / stats.file_bytes;
  state.counters["bloom_raw_pct"] = 100.0 * stats.bloom_bytes / data.line_bytes;
  state.counters["bloom_file_pct"] = 100.0 * stats.bloom_bytes / stats.file_bytes;
  state.counters["bloom_bytes_per_block"] = static_cast<double>(stats.bloom_bytes) / stats.blocks;
  state.counters["blocks"] = static_cast<double>(stats.blocks);
  state.SetLabel(std::string(DataSetName(static_cast<int>(state.range(0)))) + " " +
                 std::string(CodecName(options.codec)) + (options.build_blooms ? "+bloom" : ""));
}
BENCHMARK(BM_ChunkWrite)
    ->ArgNames({"data", "codec", "bloom"})
    ->ArgsProduct({{kSynthetic, kMixed},
                   {static_cast<int>(Codec::kLz4), static_cast<int>(Codec::kZstd)},
                   {1, 0}})
    ->ArgsProduct({{kNginx, kJson, kLogfmt, kSyslog, kJava},
                   {static_cast<int>(Codec::kLz4)},
                   {1, 0}})
    ->Unit(benchmark::kMillisecond);

// Encoding entries into blocks and building their blooms, without compression or file: the
// difference between bloom on and off is the whole cost of blooms. Args: data set, blooms.
void BM_BlockBuild(benchmark::State& state) {
  const Data& data = GetData(static_cast<int>(state.range(0)));
  const bool blooms = state.range(1) != 0;
  ChunkBlockBuilder builder(blooms);
  std::string bloom;
  for (auto _ : state) {
    for (const std::vector<Line>& stream : data.lines) {
      for (const Line& line : stream) {
        if (builder.size() + line.text.size() + 16 > kDefaultTargetBlockSize) {
          if (blooms) builder.AppendBloom(bloom::kDefaultFalsePositiveRate, &bloom);
          builder.Reset();
          bloom.clear();
        }
        builder.Add(line.ts, line.text, {});
      }
      if (blooms && !builder.empty()) builder.AppendBloom(bloom::kDefaultFalsePositiveRate, &bloom);
      builder.Reset();
      bloom.clear();
    }
  }
  SetThroughput(state, data);
  state.SetLabel(std::string(DataSetName(static_cast<int>(state.range(0)))) +
                 (blooms ? " +bloom" : ""));
}
BENCHMARK(BM_BlockBuild)
    ->ArgNames({"data", "bloom"})
    ->ArgsProduct({{kSynthetic, kMixed, kNginx, kJson, kLogfmt, kSyslog, kJava}, {1, 0}})
    ->Unit(benchmark::kMillisecond);

// Only finding a block's bloom terms, nothing done with them: part 0 walks every line's tokens
// (ForEachToken), part 1 extracts every line's key=value terms (TermExtractor, with the per-block
// cache of repeated pairs the builder uses). Whatever bloom building does beyond this (the
// per-block set of distinct terms, hashing, the filter) comes on top, so this is the least any
// filter over these terms can cost per byte. Args: data set, part.
void BM_BloomTermFinding(benchmark::State& state) {
  const Data& data = GetData(static_cast<int>(state.range(0)));
  const bool pairs = state.range(1) != 0;
  bloom::TermExtractor extractor;
  bloom::SeenTermCache seen;
  uint64_t term_bytes = 0;
  for (auto _ : state) {
    term_bytes = 0;
    for (const std::vector<Line>& stream : data.lines) {
      size_t block_bytes = 0;
      for (const Line& line : stream) {
        if (block_bytes + line.text.size() > kDefaultTargetBlockSize) {
          seen.Clear();
          block_bytes = 0;
        }
        block_bytes += line.text.size();
        if (pairs) {
          extractor.ForEachLinePairTerm(
              line.text, [&term_bytes](std::string_view term) { term_bytes += term.size(); },
              &seen);
        } else {
          bloom::ForEachToken(line.text,
                              [&term_bytes](std::string_view token) { term_bytes += token.size(); });
        }
      }
      seen.Clear();
    }
    benchmark::DoNotOptimize(term_bytes);
  }
  SetThroughput(state, data);
  state.counters["term_bytes_per_line_byte"] = static_cast<double>(term_bytes) / data.line_bytes;
  state.SetLabel(std::string(DataSetName(static_cast<int>(state.range(0)))) +
                 (pairs ? " key=value terms" : " tokens"));
}
BENCHMARK(BM_BloomTermFinding)
    ->ArgNames({"data", "pairs"})
    ->ArgsProduct({{kSynthetic, kMixed, kNginx, kJson, kLogfmt, kSyslog, kJava}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

// The peers: raw lz4 (LZ4_compress_default, what `lz4 -1` runs) and zstd -3 on the same text,
// in 256 KiB pieces. Args: data set.
void BM_RawLz4(benchmark::State& state) {
  const Data& data = GetData(static_cast<int>(state.range(0)));
  std::vector<char> out(static_cast<size_t>(LZ4_compressBound(kRawPieceSize)));
  uint64_t compressed = 0;
  for (auto _ : state) {
    compressed = 0;
    for (size_t pos = 0; pos < data.raw.size(); pos += kRawPieceSize) {
      int n = static_cast<int>(std::min(kRawPieceSize, data.raw.size() - pos));
      compressed += static_cast<uint64_t>(
          LZ4_compress_default(data.raw.data() + pos, out.data(), n, static_cast<int>(out.size())));
    }
    benchmark::DoNotOptimize(out.data());
  }
  SetThroughput(state, data);
  state.counters["ratio"] = static_cast<double>(data.raw.size()) / compressed;
  state.SetLabel(DataSetName(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_RawLz4)
    ->ArgName("data")
    ->DenseRange(0, kDataSetCount - 1)
    ->Unit(benchmark::kMillisecond);

void BM_RawZstd3(benchmark::State& state) {
  const Data& data = GetData(static_cast<int>(state.range(0)));
  std::vector<char> out(ZSTD_compressBound(kRawPieceSize));
  ZSTD_CCtx* context = ZSTD_createCCtx();
  uint64_t compressed = 0;
  for (auto _ : state) {
    compressed = 0;
    for (size_t pos = 0; pos < data.raw.size(); pos += kRawPieceSize) {
      size_t n = std::min(kRawPieceSize, data.raw.size() - pos);
      compressed += ZSTD_compressCCtx(context, out.data(), out.size(), data.raw.data() + pos, n, 3);
    }
    benchmark::DoNotOptimize(out.data());
  }
  ZSTD_freeCCtx(context);
  SetThroughput(state, data);
  state.counters["ratio"] = static_cast<double>(data.raw.size()) / compressed;
  state.SetLabel(DataSetName(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_RawZstd3)
    ->ArgName("data")
    ->Arg(kSynthetic)
    ->Arg(kMixed)
    ->Unit(benchmark::kMillisecond);

void BM_BlockDecodeAndIterate(benchmark::State& state) {
  const Data& data = GetData(static_cast<int>(state.range(0)));
  ChunkWriterOptions options = Options(static_cast<Codec>(state.range(1)), true);
  StringFile file;
  WriteAll(data, options, &file);
  StringSource source(file.contents());
  auto reader = ChunkReader::Open(&source);  // no cache: every read decompresses
  const auto direction = state.range(2) ? Direction::kBackward : Direction::kForward;
  for (auto _ : state) {
    size_t bytes = 0;
    for (size_t s = 0; s < (*reader)->streams().size(); ++s) {
      for (size_t b = 0; b < (*reader)->streams()[s].blocks.size(); ++b) {
        auto block = (*reader)->ReadBlock(s, b);
        for (ChunkBlockIterator it(*block, direction); it.Valid(); it.Next()) {
          bytes += it.line().size();
        }
      }
    }
    benchmark::DoNotOptimize(bytes);
  }
  SetThroughput(state, data);
  state.SetLabel(std::string(DataSetName(static_cast<int>(state.range(0)))) + " " +
                 std::string(CodecName(options.codec)) +
                 (direction == Direction::kForward ? " forward" : " backward"));
}
BENCHMARK(BM_BlockDecodeAndIterate)
    ->ArgNames({"data", "codec", "backward"})
    ->ArgsProduct({{kSynthetic, kMixed},
                   {static_cast<int>(Codec::kLz4), static_cast<int>(Codec::kZstd)},
                   {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace silt::store

BENCHMARK_MAIN();
