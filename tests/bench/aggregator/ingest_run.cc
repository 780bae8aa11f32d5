#include "tests/bench/aggregator/ingest_run.h"

#include <sys/resource.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/store/chunk_reader.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/clock.h"

namespace silt::bench {
namespace {

constexpr char kTenant[] = "bench";
constexpr char kAgentId[] = "ingest-bench";

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct CpuTimes {
  double user_s = 0;
  double sys_s = 0;
};

CpuTimes SelfCpu() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return {ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
          ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6};
}

int64_t SelfMaxRssKib() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

// Pushes awaiting their durable acknowledgement, at most `limit` at once.
class PushWindow {
 public:
  explicit PushWindow(int limit) : limit_(limit) {}

  void Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return in_flight_ < limit_; });
    ++in_flight_;
  }
  // From a push callback (or for a push that was refused before it was queued).
  void Release(const Status& status) {
    std::lock_guard lock(mu_);
    if (!status.ok() && first_error_.ok()) first_error_ = status;
    --in_flight_;
    cv_.notify_all();
  }
  // Waits for every push; the first failure.
  Status Drain() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return in_flight_ == 0; });
    return first_error_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int limit_;
  int in_flight_ = 0;
  Status first_error_;
};

// Pushes every batch; returns once all are durable.
Status PushAll(engine::StorageEngine* engine, BatchReader* reader, AgentPushBuilder* builder,
               const IngestRunOptions& options, IngestFigures* figures) {
  PushWindow window(options.in_flight);
  Batch batch;
  for (;;) {
    SILT_ASSIGN_OR_RETURN(bool more, reader->Next(options.batch_bytes, &batch));
    if (!more) break;
    figures->entries += batch.entries.size();
    window.Acquire();
    for (;;) {
      Status pushed = engine->Push(
          builder->Build(batch),
          [&window](const Status& status, const engine::PushOutcome&) { window.Release(status); });
      if (pushed.ok()) break;
      if (pushed.code() != StatusCode::kResourceExhausted) {
        window.Release(Status::Ok());
        window.Drain().IgnoreError();  // the push's own error is the one to report
        return pushed;
      }
      // Head full (or WAL queue full): back off until the flusher has made room, so that the
      // retry, which builds the request again, normally succeeds.
      ++figures->retries;
      const double start = Now();
      do {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      } while (engine->head().bytes() >= engine->options().head.max_bytes);
      figures->backoff_s += Now() - start;
    }
    ++figures->pushes;
  }
  return window.Drain();
}

// Reads and builds every batch without pushing: the harness's own cost.
Status FeedOnly(BatchReader* reader, AgentPushBuilder* builder, const IngestRunOptions& options,
                IngestFigures* figures) {
  Batch batch;
  for (;;) {
    SILT_ASSIGN_OR_RETURN(bool more, reader->Next(options.batch_bytes, &batch));
    if (!more) return Status::Ok();
    engine::PushRequest request = builder->Build(batch);
    figures->entries += request.EntryCount();
    ++figures->pushes;
  }
}

// Sums the files under `data_dir` into `figures`; opens every chunk file for its bloom bytes and
// entry count.
Status MeasureStored(fs::FileSystem* fs, const std::string& data_dir, IngestFigures* figures) {
  namespace stdfs = std::filesystem;
  const stdfs::path wal_dir = stdfs::path(data_dir) / "wal";
  std::error_code error;
  for (auto it = stdfs::recursive_directory_iterator(data_dir, error);
       !error && it != stdfs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file()) continue;
    const uint64_t size = it->file_size();
    const std::string name = it->path().filename().string();
    if (it->path().parent_path() == wal_dir) {
      ++figures->wal_files;
      figures->wal_bytes += size;
    } else if (name == "index.silt") {
      ++figures->index_files;
      figures->index_bytes += size;
    } else if (name.starts_with("chunk-") && name.ends_with(".silt")) {
      ++figures->chunk_files;
      figures->chunk_bytes += size;
      SILT_ASSIGN_OR_RETURN(auto file, fs->NewRandomAccessFile(it->path().string()));
      SILT_ASSIGN_OR_RETURN(auto reader, store::ChunkReader::Open(file.get()));
      figures->stored_entries += reader->footer().entry_count;
      for (const store::StreamInfo& stream : reader->streams()) {
        figures->blocks += stream.blocks.size();
        for (const store::BlockInfo& block : stream.blocks) {
          figures->bloom_bytes += block.bloom_size;
        }
      }
    } else {
      figures->other_bytes += size;
    }
  }
  if (error) return Status::FromErrno(error.value(), "listing " + data_dir);
  return Status::Ok();
}

// Opens an engine, pushes everything, flushes it all into chunk files and closes.
Status IngestIntoEngine(const IngestRunOptions& options, BatchReader* reader,
                        AgentPushBuilder* builder, double start, IngestFigures* figures) {
  fs::PosixFileSystem posix;
  time::SystemClock clock;
  engine::EngineOptions engine_options;
  engine_options.fs = &posix;
  engine_options.clock = &clock;
  engine_options.data_dir = options.data_dir;
  engine_options.chunk.build_blooms = options.blooms;
  SILT_ASSIGN_OR_RETURN(auto engine, engine::StorageEngine::Open(engine_options));
  SILT_RETURN_IF_ERROR(PushAll(engine.get(), reader, builder, options, figures));
  figures->push_wall_s = Now() - start;
  SILT_RETURN_IF_ERROR(engine->Flush(engine::StorageEngine::FlushScope::kAll));
  SILT_RETURN_IF_ERROR(engine->Close());
  figures->finish_wall_s = Now() - start - figures->push_wall_s;
  const engine::EngineStats& stats = engine->stats();
  figures->entries_accepted = stats.entries_accepted;
  figures->entries_rejected = stats.entries_rejected;
  figures->flushes = stats.flushes;
  figures->flush_failures = stats.flush_failures;
  figures->checkpoints = stats.checkpoints;
  return Status::Ok();
}

}  // namespace

Result<IngestFigures> RunIngest(const IngestRunOptions& options) {
  SILT_ASSIGN_OR_RETURN(std::vector<labels::LabelSet> streams, StreamLabels(options.generator));
  AgentPushBuilder builder(std::move(streams), kTenant, kAgentId);
  SILT_ASSIGN_OR_RETURN(auto reader, BatchReader::Open(options.files));
  IngestFigures figures;
  const CpuTimes cpu0 = SelfCpu();
  const double start = Now();
  if (options.data_dir.empty()) {
    SILT_RETURN_IF_ERROR(FeedOnly(reader.get(), &builder, options, &figures));
  } else {
    SILT_RETURN_IF_ERROR(IngestIntoEngine(options, reader.get(), &builder, start, &figures));
  }
  figures.wall_s = Now() - start;
  const CpuTimes cpu1 = SelfCpu();
  figures.user_s = cpu1.user_s - cpu0.user_s;
  figures.sys_s = cpu1.sys_s - cpu0.sys_s;
  figures.max_rss_kib = SelfMaxRssKib();
  if (!options.data_dir.empty()) {
    fs::PosixFileSystem posix;
    SILT_RETURN_IF_ERROR(MeasureStored(&posix, options.data_dir, &figures));
  }
  return figures;
}

}  // namespace silt::bench
