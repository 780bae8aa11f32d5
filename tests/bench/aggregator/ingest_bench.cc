// Durable ingest through the storage engine (WAL + head + flush into chunk files and indexes),
// next to `lz4 -1` and `zstd -3` compressing the same bytes in the same run (issue 3's
// acceptance benchmark; figures and how to read them in docs/BENCHMARKS.md).
//
// The data is generated once, in a child process, with silt-loggen (fixed seed): the raw text
// (each entry and '\n') and a side file of (timestamp, stream, length) per entry. Then, in rounds
// after a warm-up, each contender runs in a process of its own so its CPU time and peak RSS are
// its alone (wait4):
//   silt   a child opens a StorageEngine (defaults, background flusher, PosixFileSystem, system
//          clock) in a fresh directory, reads the files in agent-sized batches (--batch-bytes,
//          every stream of the batch in one push, one agent source per stream) and pushes them
//          with --in-flight pushes awaiting their WAL fsync, then Flush(kAll) and Close
//          (ingest_run.h). Wall and CPU time (getrusage, all threads) cover Open to Close. A push
//          refused because the head is full is retried once the flusher has made room, as an
//          agent backs off.
//   lz4    `lz4 -1 -c raw > /dev/null`
//   zstd   `zstd -3 -c raw > file`
//   feed   the silt child's reading and request building alone, without the engine: the
//          harness's share of silt's figures (a server pays a similar cost to receive a batch).
// Per-core figures are raw bytes (and entries) per CPU second. After each silt run (untimed) the
// child sums what is stored: chunk files (blooms inside, counted apart), index.silt files and the
// WAL left over, and checks that the chunk files hold every entry.
//
// Flags (--help): --bytes (64MiB: a smoke run; 1GiB for the documented one), --dir, --streams
// (100), --seed, --format (mixed), --line-size (120), --batch-bytes (2MiB), --in-flight (4),
// --rounds (5), --keep, --no-blooms (chunk files without blooms, to measure what they cost).
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSILT_BUILD_BENCH=ON
//   ninja -C build-bench ingest_bench && build-bench/tests/ingest_bench --bytes 1GiB
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include "shared/units/byte_size.h"
#include "tests/bench/aggregator/child_process.h"
#include "tests/bench/aggregator/ingest_data.h"
#include "tests/bench/aggregator/ingest_run.h"
#include "tests/bench/aggregator/sample_spread.h"

namespace silt::bench {
namespace {

struct Config {
  IngestRunOptions run;  // files, generator, batching; data_dir is set per round
  uint64_t bytes = 0;
  int rounds = 5;
  std::string dir;  // the run's own temp directory
  bool keep = false;
};

template <typename T>
std::string BytesOf(const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  return std::string(reinterpret_cast<const char*>(&value), sizeof(value));
}

template <typename T>
Result<T> FromBytes(const std::string& bytes, const std::string& what) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (bytes.size() != sizeof(T)) {
    return Status::IOError(what + " sent " + std::to_string(bytes.size()) + " bytes instead of " +
                           std::to_string(sizeof(T)));
  }
  T value;
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

Result<IngestFigures> RunIngestChild(const Config& config, const std::string& data_dir) {
  IngestRunOptions options = config.run;
  options.data_dir = data_dir;
  const std::string what = data_dir.empty() ? "feed-only child" : "silt ingest child";
  SILT_ASSIGN_OR_RETURN(ChildOutput output, RunInChild(what, [&]() -> Result<std::string> {
                          SILT_ASSIGN_OR_RETURN(IngestFigures figures, RunIngest(options));
                          return BytesOf(figures);
                        }));
  return FromBytes<IngestFigures>(output.message, what);
}

double MiB(int64_t kib) { return static_cast<double>(kib) / 1024; }

// One contender's samples over the rounds.
struct Samples {
  std::vector<double> wall_s;
  std::vector<double> cpu_s;
  std::vector<double> cores;             // CPU seconds per wall second
  std::vector<double> mb_per_core;       // raw MB (10^6 bytes) per CPU second
  std::vector<double> entries_per_core;  // thousands of entries per CPU second
  std::vector<double> max_rss_mib;

  void Add(double wall, double cpu, double rss_mib, const GeneratedData& data) {
    wall_s.push_back(wall);
    cpu_s.push_back(cpu);
    cores.push_back(cpu / wall);
    mb_per_core.push_back(static_cast<double>(data.raw_bytes) / 1e6 / cpu);
    entries_per_core.push_back(static_cast<double>(data.entries) / 1e3 / cpu);
    max_rss_mib.push_back(rss_mib);
  }
  void Print(const char* name) const {
    std::printf("%-22s %-20s %-20s %-6.2f %-24s %-22s %s\n", name,
                FormatSpread(SpreadOf(wall_s), "%.2f").c_str(),
                FormatSpread(SpreadOf(cpu_s), "%.2f").c_str(), SpreadOf(cores).median,
                FormatSpread(SpreadOf(mb_per_core), "%.1f").c_str(),
                FormatSpread(SpreadOf(entries_per_core), "%.0fk").c_str(),
                FormatSpread(SpreadOf(max_rss_mib), "%.0f").c_str());
  }
};

struct Rounds {
  Samples silt, lz4, zstd, feed;
  std::vector<IngestFigures> silt_runs;
  uint64_t lz4_bytes = 0;   // of `lz4 -1` output (warm-up run)
  uint64_t zstd_bytes = 0;  // of `zstd -3` output
};

Result<GeneratedData> Generate(const Config& config) {
  SILT_ASSIGN_OR_RETURN(
      ChildOutput output, RunInChild("generator child", [&]() -> Result<std::string> {
        SILT_ASSIGN_OR_RETURN(GeneratedData data,
                              GenerateData(config.run.generator, config.bytes, config.run.files));
        return BytesOf(data);
      }));
  SILT_ASSIGN_OR_RETURN(GeneratedData data, FromBytes<GeneratedData>(output.message, "generator"));
  std::printf(
      "data: %s bytes, %s entries (%s physical lines), %.1f bytes per entry with its '\\n'\n"
      "      generated in a child: %.2f s CPU, peak RSS %.0f MiB (in no figure below)\n",
      Grouped(data.raw_bytes).c_str(), Grouped(data.entries).c_str(),
      Grouped(data.physical_lines).c_str(), static_cast<double>(data.raw_bytes) / data.entries,
      output.usage.cpu_s(), MiB(output.usage.max_rss_kib));
  return data;
}

// A warm-up run of every contender, not counted (page cache, disk; the peers' output sizes),
// then the rounds, each running silt, lz4, zstd and the feed alone one after the other.
Result<Rounds> RunRounds(const Config& config, const GeneratedData& data) {
  const std::string lz4_out = config.dir + "/raw.lz4";
  const std::string zstd_out = config.dir + "/raw.zst";
  const std::vector<std::string> lz4 = {"lz4", "-1", "-c", config.run.files.raw_path};
  const std::vector<std::string> zstd = {"zstd", "-3", "-c", config.run.files.raw_path};
  Rounds rounds;
  const std::string warm_up_dir = config.dir + "/silt-data-warm-up";
  SILT_RETURN_IF_ERROR(RunIngestChild(config, warm_up_dir).status());
  std::filesystem::remove_all(warm_up_dir);
  SILT_RETURN_IF_ERROR(RunCommand(lz4, lz4_out).status());
  SILT_RETURN_IF_ERROR(RunCommand(zstd, zstd_out).status());
  SILT_RETURN_IF_ERROR(RunIngestChild(config, "").status());
  rounds.lz4_bytes = std::filesystem::file_size(lz4_out);
  std::filesystem::remove(lz4_out);
  for (int round = 1; round <= config.rounds; ++round) {
    const std::string data_dir = config.dir + "/silt-data-" + std::to_string(round);
    SILT_ASSIGN_OR_RETURN(IngestFigures f, RunIngestChild(config, data_dir));
    if (f.flush_failures != 0 || f.entries_accepted != data.entries) {
      return Status::IOError("round " + std::to_string(round) + ": " +
                             std::to_string(f.flush_failures) + " flush failures, " +
                             std::to_string(f.entries_accepted) + " of " +
                             std::to_string(data.entries) + " entries accepted");
    }
    if (!config.keep) std::filesystem::remove_all(data_dir);
    SILT_ASSIGN_OR_RETURN(ChildUsage l, RunCommand(lz4, "/dev/null"));
    SILT_ASSIGN_OR_RETURN(ChildUsage z, RunCommand(zstd, zstd_out));
    SILT_ASSIGN_OR_RETURN(IngestFigures fed, RunIngestChild(config, ""));
    rounds.silt.Add(f.wall_s, f.cpu_s(), MiB(f.max_rss_kib), data);
    rounds.lz4.Add(l.wall_s, l.cpu_s(), MiB(l.max_rss_kib), data);
    rounds.zstd.Add(z.wall_s, z.cpu_s(), MiB(z.max_rss_kib), data);
    rounds.feed.Add(fed.wall_s, fed.cpu_s(), MiB(fed.max_rss_kib), data);
    rounds.silt_runs.push_back(f);
    std::printf(
        "round %d: silt %.2f s CPU (%.2f user + %.2f sys; %.2f s wall), lz4 %.2f s, "
        "zstd %.2f s, feed %.2f s\n",
        round, f.cpu_s(), f.user_s, f.sys_s, f.wall_s, l.cpu_s(), z.cpu_s(), fed.cpu_s());
    std::fflush(stdout);
  }
  rounds.zstd_bytes = std::filesystem::file_size(zstd_out);
  return rounds;
}

void PrintThroughput(const Rounds& r) {
  std::printf(
      "\n%zu rounds, median [min-max]; MB = 10^6 bytes of raw text; per core = per CPU "
      "second (user + sys, all threads)\n",
      r.silt.cpu_s.size());
  std::printf("%-22s %-20s %-20s %-6s %-24s %-22s %s\n", "contender", "wall s", "CPU s", "cores",
              "MB/s per core", "entries/s per core", "peak RSS MiB");
  r.silt.Print("silt durable ingest");
  r.lz4.Print("lz4 -1 -c > /dev/null");
  r.zstd.Print("zstd -3 -c > file");
  r.feed.Print("feed only (harness)");
  std::vector<double> ratio, net_ratio, zstd_ratio;  // per round: same-round peers
  for (size_t i = 0; i < r.silt.cpu_s.size(); ++i) {
    ratio.push_back(r.lz4.cpu_s[i] / r.silt.cpu_s[i]);
    net_ratio.push_back(r.lz4.cpu_s[i] / (r.silt.cpu_s[i] - r.feed.cpu_s[i]));
    zstd_ratio.push_back(r.zstd.cpu_s[i] / r.silt.cpu_s[i]);
  }
  const Spread lz4_ratio = SpreadOf(ratio);
  const double entries_k = SpreadOf(r.silt.entries_per_core).median;
  const double mb = SpreadOf(r.silt.mb_per_core).median;
  std::printf("\nsilt / lz4 -1 per core (same round): %s; target >= 0.50: %s\n",
              FormatSpread(lz4_ratio, "%.3f").c_str(), lz4_ratio.median >= 0.5 ? "met" : "MISSED");
  std::printf("silt entries/s per core: %.0fk; aim >= 1000k: %s\n", entries_k,
              entries_k >= 1000 ? "met" : "missed");
  std::printf("silt minus the feed-only CPU: %s x lz4 -1\n",
              FormatSpread(SpreadOf(net_ratio), "%.3f").c_str());
  std::printf("silt / zstd -3 per core: %s\n", FormatSpread(SpreadOf(zstd_ratio), "%.3f").c_str());
  std::printf("silt %.1f MB/s per core = %.2f ns per raw byte, %.0f ns per entry\n", mb, 1e3 / mb,
              1e6 / entries_k);
}

void PrintStored(const Rounds& r, const GeneratedData& data) {
  const IngestFigures& f = r.silt_runs.front();
  std::printf(
      "\nengine, round 1: %s pushes (%s refused with ResourceExhausted, %.2f s backing "
      "off), %s flushes, %s checkpoints; pushing %.2f s wall, Flush(kAll)+Close %.2f s "
      "wall\n",
      Grouped(f.pushes).c_str(), Grouped(f.retries).c_str(), f.backoff_s,
      Grouped(f.flushes).c_str(), Grouped(f.checkpoints).c_str(), f.push_wall_s, f.finish_wall_s);
  const uint64_t stored = f.chunk_bytes + f.index_bytes;
  const bool same = std::all_of(r.silt_runs.begin(), r.silt_runs.end(), [&](const auto& run) {
    return run.chunk_bytes + run.index_bytes == stored;
  });
  std::printf("stored, round 1 (the same in every round: %s):\n",
              same ? "yes" : "no, flushes cut chunks at different points");
  const double raw = static_cast<double>(data.raw_bytes);
  auto row = [&](const std::string& what, uint64_t bytes) {
    std::printf("  %-34s %16s  %6.2f%% of raw", what.c_str(), Grouped(bytes).c_str(),
                100.0 * bytes / raw);
    if (bytes > 0) std::printf("  raw/this %7.2fx", raw / bytes);
    std::printf("\n");
  };
  row("chunk files (" + std::to_string(f.chunk_files) + ", " + Grouped(f.blocks) + " blocks)",
      f.chunk_bytes);
  row("  of which blooms", f.bloom_bytes);
  row("index.silt (" + std::to_string(f.index_files) + ")", f.index_bytes);
  row("stored = chunks + index", stored);
  row("WAL left over (" + std::to_string(f.wal_files) + " files)", f.wal_bytes);
  if (f.other_bytes > 0) row("other files", f.other_bytes);
  row("lz4 -1 file", r.lz4_bytes);
  row("zstd -3 file", r.zstd_bytes);
  std::printf("  stored / zstd -3 = %.2fx; chunk files hold %s entries of %s generated (%s)\n",
              static_cast<double>(stored) / r.zstd_bytes, Grouped(f.stored_entries).c_str(),
              Grouped(data.entries).c_str(), f.stored_entries == data.entries ? "all" : "MISMATCH");
}

void PrintLoad(const char* when) {
  double load[3] = {0, 0, 0};
  if (::getloadavg(load, 3) < 0) return;
  std::printf("load average %s: %.2f %.2f %.2f (%ld cores)\n", when, load[0], load[1], load[2],
              ::sysconf(_SC_NPROCESSORS_ONLN));
}

Status Run(const Config& config, const std::string& args_text) {
  std::printf("ingest_bench %s\nwork dir %s\n", args_text.c_str(), config.dir.c_str());
  PrintLoad("at start");
  SILT_ASSIGN_OR_RETURN(GeneratedData data, Generate(config));
  SILT_ASSIGN_OR_RETURN(Rounds rounds, RunRounds(config, data));
  PrintThroughput(rounds);
  PrintStored(rounds, data);
  PrintLoad("at end");
  return Status::Ok();
}

std::string TempBase() {
  const char* base = std::getenv("TMPDIR");
  return base != nullptr && *base != '\0' ? base : "/tmp";
}

// Fills the sizes and format of `config` from their flag texts.
Status ParseFlagValues(const std::string& bytes, const std::string& batch,
                       const std::string& format, Config* config) {
  Result<int64_t> total = units::ParseByteSize(bytes);
  if (!total.ok()) return total.status().WithContext("--bytes");
  Result<int64_t> batch_bytes = units::ParseByteSize(batch);
  if (!batch_bytes.ok()) return batch_bytes.status().WithContext("--batch-bytes");
  Result<loggen::Format> parsed_format = loggen::ParseFormat(format);
  if (!parsed_format.ok()) return parsed_format.status().WithContext("--format");
  config->run.generator.format = *parsed_format;
  if (*total <= 0 || *batch_bytes <= 0) {
    return Status::InvalidArgument("--bytes and --batch-bytes must be above 0");
  }
  config->bytes = static_cast<uint64_t>(*total);
  config->run.batch_bytes = static_cast<size_t>(*batch_bytes);
  return loggen::ValidateGeneratorOptions(config->run.generator);
}

int Main(int argc, char** argv) {
  CLI::App app{"Durable ingest through the storage engine next to lz4 -1 and zstd -3"};
  std::string bytes_text = "64MiB";
  std::string batch_text = "2MiB";
  std::string format_text = "mixed";
  std::string base = TempBase();
  Config config;
  loggen::GeneratorOptions& generator = config.run.generator;
  generator.line_size = 120;
  generator.streams = 100;
  app.add_option("--bytes", bytes_text,
                 "raw text to generate and ingest (1GiB for the "
                 "documented run)")
      ->capture_default_str();
  app.add_option("--dir", base, "where the run's temp directory goes (same disk as production)")
      ->capture_default_str();
  app.add_option("--streams", generator.streams, "silt-loggen streams")->capture_default_str();
  app.add_option("--seed", generator.seed, "silt-loggen seed")->capture_default_str();
  app.add_option("--format", format_text, "silt-loggen format")->capture_default_str();
  app.add_option("--line-size", generator.line_size, "silt-loggen --line-size")
      ->capture_default_str();
  app.add_option("--batch-bytes", batch_text, "raw text per push")->capture_default_str();
  app.add_option("--in-flight", config.run.in_flight, "pushes awaiting their fsync at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--rounds", config.rounds, "measured rounds after the warm-up")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_flag("--keep", config.keep, "keep the data files and silt data directories");
  bool no_blooms = false;
  app.add_flag("--no-blooms", no_blooms, "chunk files without blooms (to measure their cost)");
  CLI11_PARSE(app, argc, argv);
  config.run.blooms = !no_blooms;

  auto fail = [](const Status& status) {
    std::fprintf(stderr, "ingest_bench: %s\n", status.ToString().c_str());
    return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
  };
  if (Status parsed = ParseFlagValues(bytes_text, batch_text, format_text, &config); !parsed.ok()) {
    return fail(parsed);
  }
  std::string pattern = base + "/silt-ingest-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return fail(Status::FromErrno(
        errno, "creating a temp directory under " + base + " (set --dir to a writable directory)"));
  }
  config.dir = pattern;
  config.run.files = {config.dir + "/raw.log", config.dir + "/entries.bin"};
  std::string args_text;
  for (int i = 1; i < argc; ++i) args_text += std::string(i > 1 ? " " : "") + argv[i];
  Status status = Run(config, args_text);
  if (!config.keep) std::filesystem::remove_all(config.dir);
  return status.ok() ? 0 : fail(status);
}

}  // namespace
}  // namespace silt::bench

int main(int argc, char** argv) { return silt::bench::Main(argc, argv); }
