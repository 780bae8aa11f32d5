// WAL append throughput with group commit on the real PosixFileSystem (one fdatasync per group
// commit) in a temp directory under $TMPDIR. Each appender thread keeps kWindow appends in
// flight, as a server does with many connections; records are acknowledged only once durable.
// Arguments: record size in bytes, appender threads. Reports bytes/s and records/s, and the mean
// number of records per group commit.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "aggregator/wal/open_wal.h"
#include "shared/fs/posix_file_system.h"

namespace silt::wal {
namespace {

constexpr size_t kBytesPerIteration = size_t{128} << 20;
constexpr int kWindow = 4;

std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/silt-wal-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  return pattern;
}

// Appends `count` records, keeping at most kWindow of them unacknowledged.
void Appender(WalWriter* writer, const std::string* payload, size_t count) {
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  for (size_t i = 0; i < count; ++i) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < kWindow; });
      ++in_flight;
    }
    Status status = writer->Append(1, *payload, [&](const Status& s, uint64_t) {
      if (!s.ok()) std::abort();
      std::lock_guard lock(mu);
      --in_flight;
      cv.notify_one();
    });
    if (!status.ok()) std::abort();
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
}

void BM_WalAppend(benchmark::State& state) {
  const size_t record_bytes = static_cast<size_t>(state.range(0));
  const int appenders = static_cast<int>(state.range(1));
  const std::string dir = MakeTempDir();
  fs::PosixFileSystem posix;
  WalOptions options;
  options.fs = &posix;
  options.dir = dir + "/wal";
  Result<OpenedWal> opened = OpenWal(options, ReplayHandler{});
  if (!opened.ok()) {
    state.SkipWithError(opened.status().ToString().c_str());
    return;
  }
  WalWriter& writer = *opened->writer;
  std::string payload(record_bytes, '\0');
  std::mt19937_64 rng(1);
  for (char& c : payload) c = static_cast<char>(rng());
  const size_t per_thread = std::max<size_t>(kBytesPerIteration / record_bytes / appenders, 1);
  for (auto _ : state) {
    std::vector<std::thread> threads;
    for (int t = 0; t < appenders; ++t)
      threads.emplace_back(Appender, &writer, &payload, per_thread);
    for (std::thread& t : threads) t.join();
    state.PauseTiming();  // keep the disk footprint bounded, as checkpoints do in production
    uint64_t seq = writer.last_durable_sequence();
    if (!writer.WriteCheckpoint(seq, "").ok() || !writer.DeleteSegmentsCoveredBy(seq).ok()) {
      state.SkipWithError("checkpoint failed");
    }
    state.ResumeTiming();
  }
  const double records = static_cast<double>(writer.stats().records_appended.load());
  state.SetItemsProcessed(static_cast<int64_t>(records));
  state.SetBytesProcessed(static_cast<int64_t>(records * static_cast<double>(record_bytes)));
  state.counters["records_per_commit"] =
      records / static_cast<double>(std::max<uint64_t>(writer.stats().group_commits.load(), 1));
  state.counters["syncs"] = static_cast<double>(writer.stats().syncs.load());
  if (!writer.Close().ok()) state.SkipWithError("close failed");
  opened->writer.reset();
  std::filesystem::remove_all(dir);
}

BENCHMARK(BM_WalAppend)
    ->ArgNames({"record_bytes", "appenders"})
    ->ArgsProduct({{64 << 10, 1 << 20}, {1, 4, 8}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3.0);

}  // namespace
}  // namespace silt::wal

BENCHMARK_MAIN();
