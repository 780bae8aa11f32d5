// Head throughput: Apply of 120-byte lines across 1,000 streams in batches of 100 entries (one
// stream per call, as ingest applies a push), in timestamp order and with 5% of the entries up to
// a minute late; Check + Apply together (the ingest path); and reading a stream's snapshot back.
// Counters: line MB/s (bytes_per_second) and entries/s (items_per_second). When the head goes
// over its limit (128 MiB here) the FlushCandidates are frozen and released outside the timed
// region, so memory stays bounded and the figures include growing fresh streams.
//
//   cmake -S . -B build-bench -G Ninja -DSILT_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   ninja -C build-bench head_bench && build-bench/tests/head_bench
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "aggregator/store/head.h"

namespace silt::store {
namespace {

constexpr int kStreams = 1000;
constexpr int kBatch = 100;
constexpr size_t kLineSize = 120;
constexpr int kLinePool = 8192;
constexpr size_t kMaxBytes = size_t{128} << 20;
constexpr int64_t kStart = 1'700'000'000'000'000'000;

struct Fixture {
  std::vector<std::string> lines;
  std::vector<labels::LabelSet> streams;

  Fixture() {
    uint64_t state = 42;
    for (int i = 0; i < kLinePool; ++i) {
      char prefix[96];
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      int n = std::snprintf(prefix, sizeof(prefix),
                            "level=info msg=\"request done\" path=/api/v1/items/%d status=200 "
                            "trace=%016llx ",
                            i, static_cast<unsigned long long>(state));
      std::string line(prefix, static_cast<size_t>(n));
      line.resize(kLineSize, 'x');
      lines.push_back(std::move(line));
    }
    for (int i = 0; i < kStreams; ++i) {
      streams.push_back(labels::LabelSet::Of(
          {{"app", "bench"}, {"instance", "host-" + std::to_string(i)}, {"job", "varlogs"}}));
    }
  }
};

const Fixture& Data() {
  static const Fixture* fixture = new Fixture();
  return *fixture;
}

// Feeds batches: stream by stream, each with its own clock (1ms per entry); `late_percent` of
// the entries are up to a minute behind that clock.
class Feeder {
 public:
  Feeder(int late_percent, int streams)
      : late_percent_(late_percent),
        streams_(streams),
        cursors_(static_cast<size_t>(streams), kStart) {}

  const labels::LabelSet& Next(std::vector<HeadEntry>* batch) {
    const Fixture& data = Data();
    stream_ = (stream_ + 1) % streams_;
    int64_t& cursor = cursors_[static_cast<size_t>(stream_)];
    batch->clear();
    for (int i = 0; i < kBatch; ++i) {
      rng_ = rng_ * 6364136223846793005ULL + 1442695040888963407ULL;
      uint32_t r = static_cast<uint32_t>(rng_ >> 33);
      cursor += 1'000'000;
      int64_t ts = cursor;
      if (static_cast<int>(r % 100) < late_percent_) ts -= (r >> 7) % 60'000'000'000LL;
      batch->push_back({ts, data.lines[(r >> 3) % kLinePool], {}});
    }
    return data.streams[static_cast<size_t>(stream_)];
  }

 private:
  int late_percent_;
  int streams_;
  std::vector<int64_t> cursors_;
  int stream_ = -1;
  uint64_t rng_ = 7;
};

std::unique_ptr<Head> NewHead() { return Head::Create({.max_bytes = kMaxBytes}).value(); }

// What the engine does under memory pressure, minus writing the chunks.
void FlushOverLimit(Head* head) {
  for (const FlushCandidate& candidate : head->FlushCandidates()) {
    head->Release(head->Freeze(candidate.key));
  }
}

void RunApply(benchmark::State& state, int late_percent, bool check) {
  auto head = NewHead();
  Feeder feeder(late_percent, kStreams);
  std::vector<HeadEntry> batch;
  uint64_t sequence = 0;
  int64_t entries = 0;
  for (auto _ : state) {
    const labels::LabelSet& labels = feeder.Next(&batch);
    if (check) {
      CheckResult result = head->Check("fake", labels, batch);
      benchmark::DoNotOptimize(result.accepted);
    }
    ApplyStats stats = head->Apply("fake", labels, batch, ++sequence);
    entries += kBatch;
    benchmark::DoNotOptimize(stats.appended);
    if (head->OverLimit()) {
      state.PauseTiming();
      FlushOverLimit(head.get());
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(entries);
  state.SetBytesProcessed(entries * static_cast<int64_t>(kLineSize));
  state.counters["dups"] = static_cast<double>(head->stats().duplicates_dropped);
}

void BM_ApplyInOrder(benchmark::State& state) { RunApply(state, 0, false); }
void BM_ApplyFivePercentLate(benchmark::State& state) { RunApply(state, 5, false); }
void BM_CheckAndApplyInOrder(benchmark::State& state) { RunApply(state, 0, true); }
void BM_CheckAndApplyFivePercentLate(benchmark::State& state) { RunApply(state, 5, true); }

// Reads one stream's snapshot front to back (the flusher's and a query's access pattern).
void BM_IterateSnapshot(benchmark::State& state) {
  auto head = NewHead();
  Feeder feeder(static_cast<int>(state.range(0)), 1);
  std::vector<HeadEntry> batch;
  for (uint64_t seq = 1; seq <= 1000; ++seq) {  // 100,000 entries
    const labels::LabelSet& labels = feeder.Next(&batch);
    head->Apply("fake", labels, batch, seq);
  }
  std::vector<HeadStream> streams = head->Select("fake", {}, INT64_MIN, INT64_MAX);
  int64_t entries = 0;
  for (auto _ : state) {
    for (HeadStreamIterator it = streams[0].NewIterator(INT64_MIN, INT64_MAX, Direction::kForward);
         it.Valid(); it.Next()) {
      benchmark::DoNotOptimize(it.line().data());
      ++entries;
    }
  }
  state.SetItemsProcessed(entries);
  state.SetBytesProcessed(entries * static_cast<int64_t>(kLineSize));
}

BENCHMARK(BM_ApplyInOrder);
BENCHMARK(BM_ApplyFivePercentLate);
BENCHMARK(BM_CheckAndApplyInOrder);
BENCHMARK(BM_CheckAndApplyFivePercentLate);
BENCHMARK(BM_IterateSnapshot)->Arg(0)->Arg(5);

}  // namespace
}  // namespace silt::store

BENCHMARK_MAIN();
