#include "tests/bench/loggen/runner.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "tests/bench/loggen/pacer.h"

namespace silt::loggen {
namespace {

constexpr size_t kTotalBufferBytes = size_t{64} << 20;

Result<std::unique_ptr<OutputFiles>> OpenOutputs(const RunOptions& options,
                                                 const RunEnvironment& env) {
  std::vector<std::string> paths;
  if (!options.output_path.empty()) {
    paths.push_back(options.output_path);
  } else if (options.files > 0) {
    SILT_RETURN_IF_ERROR(env.fs->CreateDirs(options.dir));
    for (uint32_t i = 0; i < options.files; ++i) {
      paths.push_back(
          fs::JoinPath(options.dir, options.file_prefix + "-" + std::to_string(i) + ".log"));
    }
  } else {
    return OutputFiles::ForFile(env.stdout_file, options.files_options.buffer_size);
  }
  // Buffers take at most 64 MiB in all, but at least 16 KiB each (never more than asked).
  OutputFilesOptions files_options = options.files_options;
  files_options.buffer_size = std::min(std::max<size_t>(kTotalBufferBytes / paths.size(), 16 << 10),
                                       files_options.buffer_size);
  return OutputFiles::Open(env.fs, paths, files_options);
}

// Encodes `entry` into `record` (empty while a loki-push batch is still filling).
void Encode(const RunOptions& options, const Entry& entry, TimestampText* times,
            LokiPushBatcher* batcher, TextBuffer* record) {
  switch (options.output) {
    case OutputMode::kPlain:
      AppendPlain(entry, record);
      break;
    case OutputMode::kJsonl:
      AppendJsonl(entry, times, record);
      break;
    case OutputMode::kLokiPush:
      batcher->Add(entry);
      if (batcher->full()) batcher->AppendBody(record);
      break;
  }
}

}  // namespace

Status ValidateRunOptions(const RunOptions& options) {
  if (!options.output_path.empty() && options.files > 0) {
    return Status::InvalidArgument("-o and --files exclude each other: use one of them");
  }
  if (options.files > 0 && options.dir.empty()) {
    return Status::InvalidArgument("--files needs --dir: the directory to write them in");
  }
  if (options.files > 10'000) {
    return Status::InvalidArgument("--files " + std::to_string(options.files) +
                                   " is too many: use at most 10000");
  }
  if (options.files_options.rotate_every > 0 && options.output_path.empty() && options.files == 0) {
    return Status::InvalidArgument("--rotate-every needs files to rotate: add -o or --files");
  }
  if (options.files_options.rotate_keep < 1) {
    return Status::InvalidArgument("--rotate-keep must be at least 1");
  }
  if (options.loki_batch == 0) {
    return Status::InvalidArgument("--loki-batch must be at least 1");
  }
  if (!(options.rate >= 0)) {
    return Status::InvalidArgument("--rate must not be negative");
  }
  return ValidateGeneratorOptions(options.generator);
}

Result<RunStats> Run(const RunOptions& options, const RunEnvironment& env) {
  SILT_RETURN_IF_ERROR(ValidateRunOptions(options));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<Generator> generator, Generator::Create(options.generator));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFiles> outputs, OpenOutputs(options, env));
  const int64_t started = env.clock->MonotonicNanos();
  const Pacer pacer(options.rate, started);
  LokiPushBatcher batcher(options.loki_batch);
  TimestampText times;
  TextBuffer record(1 << 16);
  RunStats stats;
  uint64_t records = 0;
  auto write_record = [&]() -> Status {
    if (record.empty()) return Status::Ok();
    stats.output_bytes += record.size();
    Status status = outputs->Write(records++ % outputs->size(), record.view());
    record.Clear();
    return status;
  };
  while ((options.max_entries == 0 || stats.entries < options.max_entries) &&
         (options.max_bytes == 0 || stats.raw_bytes < options.max_bytes)) {
    const int64_t wait =
        options.rate > 0 ? pacer.WaitBefore(stats.entries, env.clock->MonotonicNanos()) : 0;
    if (wait > 0) {
      // Everything produced so far becomes visible before the pause.
      batcher.AppendBody(&record);
      SILT_RETURN_IF_ERROR(write_record());
      SILT_RETURN_IF_ERROR(outputs->Flush());
      env.sleep(wait);
    }
    const Entry& entry = generator->Next();
    ++stats.entries;
    stats.lines += entry.lines;
    stats.raw_bytes += entry.line.size() + 1;
    stats.rare_entries += entry.rare ? 1 : 0;
    Encode(options, entry, &times, &batcher, &record);
    SILT_RETURN_IF_ERROR(write_record());
  }
  batcher.AppendBody(&record);
  SILT_RETURN_IF_ERROR(write_record());
  SILT_RETURN_IF_ERROR(outputs->Close());
  stats.rotations = outputs->rotations();
  stats.elapsed_ns = env.clock->MonotonicNanos() - started;
  return stats;
}

std::string FormatRunStats(const RunStats& stats) {
  const double seconds = static_cast<double>(stats.elapsed_ns) / 1e9;
  const double safe = seconds > 0 ? seconds : 1e-9;
  const double average =
      stats.entries > 0 ? static_cast<double>(stats.raw_bytes) / stats.entries - 1 : 0;
  char text[512];
  std::snprintf(text, sizeof(text),
                "entries=%llu lines=%llu bytes=%llu output_bytes=%llu elapsed=%.3fs "
                "mb_per_s=%.1f entries_per_s=%.0f avg_entry_size=%.1f rare_entries=%llu "
                "rotations=%llu",
                static_cast<unsigned long long>(stats.entries),
                static_cast<unsigned long long>(stats.lines),
                static_cast<unsigned long long>(stats.raw_bytes),
                static_cast<unsigned long long>(stats.output_bytes), seconds,
                static_cast<double>(stats.output_bytes) / 1e6 / safe,
                static_cast<double>(stats.entries) / safe, average,
                static_cast<unsigned long long>(stats.rare_entries),
                static_cast<unsigned long long>(stats.rotations));
  return text;
}

}  // namespace silt::loggen
