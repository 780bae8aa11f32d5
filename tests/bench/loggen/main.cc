// silt-loggen: writes deterministic, realistic log data for benchmarks, tests and demos. Every
// flag is described in tests/bench/loggen/README.md; `silt-loggen --help` lists them.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>

#include "shared/fs/posix_file_system.h"
#include "shared/time/clock.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"
#include "tests/bench/loggen/fd_writable_file.h"
#include "tests/bench/loggen/flag_values.h"
#include "tests/bench/loggen/runner.h"

namespace silt::loggen {
namespace {

// Flag values as typed, before conversion.
struct FlagText {
  std::string format = "nginx";
  std::string output = "plain";
  std::optional<uint64_t> lines;
  std::string bytes;
  std::string rate = "0";
  std::string start = "2024-01-01T00:00:00Z";
  std::string step;
  std::string jitter;
  std::string rotate_every = "0";
  bool labels = false;
  bool stats = false;
};

void AddFlags(CLI::App& app, FlagText& text, RunOptions& options) {
  GeneratorOptions& gen = options.generator;
  app.add_option("--format", text.format,
                 "nginx, apache, json, logfmt, syslog5424, syslog3164, java or mixed")
      ->capture_default_str();
  app.add_option("--seed", gen.seed, "same seed and flags give byte-identical output")
      ->capture_default_str();
  app.add_option("--lines", text.lines,
                 "entries to write, 0 = no limit [default: 1000, or "
                 "no limit when --bytes is given]");
  app.add_option("--bytes", text.bytes,
                 "stop after the entry that crosses SIZE bytes of plain "
                 "text, e.g. 1GB, 512MiB");
  app.add_option("--line-size", gen.line_size, "target average entry size in bytes, 0 = natural")
      ->capture_default_str();
  app.add_option("--streams", gen.streams, "number of streams [default: 1, 7 for mixed]");
  app.add_option("--cardinality", gen.cardinality,
                 "distinct values of each of app, host, namespace [default: smallest that fits]");
  app.add_option("--output", text.output, "plain, jsonl or loki-push")->capture_default_str();
  app.add_flag("--labels", text.labels, "same as --output jsonl");
  app.add_option("--loki-batch", options.loki_batch, "entries per loki-push body")
      ->capture_default_str();
  app.add_option("--rate", text.rate, "entries per second (N, N/s, N/m, N/h), 0 = unpaced")
      ->capture_default_str();
  app.add_option("--start", text.start,
                 "simulated time of the first entry: RFC 3339, Unix "
                 "seconds, or now")
      ->capture_default_str();
  app.add_option("--step", text.step,
                 "simulated time between entries [default: 1ms, or 1s/rate "
                 "with --rate]");
  app.add_option("--jitter", text.jitter,
                 "random extra time per entry, 0..JITTER [default: "
                 "step/2]");
  app.add_option("--rare-token-rate", gen.rare_token_rate,
                 "probability that an entry carries the rare token")
      ->capture_default_str();
  app.add_option("--rare-token", gen.rare_token, "the rare token ([A-Za-z0-9_]{1,64})")
      ->capture_default_str();
  app.add_option("-o,--out", options.output_path, "write to FILE instead of stdout");
  app.add_option("--files", options.files, "write N files round-robin (needs --dir)");
  app.add_option("--dir", options.dir, "directory for --files");
  app.add_option("--file-prefix", options.file_prefix, "--files names: PREFIX-<i>.log")
      ->capture_default_str();
  app.add_option("--rotate-every", text.rotate_every,
                 "rotate a file once it reaches SIZE (logrotate create style), 0 = never")
      ->capture_default_str();
  app.add_option("--rotate-keep", options.files_options.rotate_keep, "rotated copies kept")
      ->capture_default_str();
  app.add_flag("--append", options.files_options.append, "append to existing files");
  app.add_flag("--stats", text.stats, "print entries, bytes and throughput to stderr at the end");
}

// Converts the textual flags into `options`.
Status ApplyFlagText(const FlagText& text, const time::Clock& clock, RunOptions* options) {
  GeneratorOptions& gen = options->generator;
  SILT_ASSIGN_OR_RETURN(gen.format, ParseFormat(text.format));
  SILT_ASSIGN_OR_RETURN(options->output, ParseOutputMode(text.output));
  if (text.labels) options->output = OutputMode::kJsonl;
  if (!text.bytes.empty()) {
    SILT_ASSIGN_OR_RETURN(int64_t bytes, units::ParseByteSize(text.bytes));
    options->max_bytes = static_cast<uint64_t>(bytes);
    options->max_entries = 0;
  }
  if (text.lines.has_value()) options->max_entries = *text.lines;
  SILT_ASSIGN_OR_RETURN(options->rate, ParseRate(text.rate));
  SILT_ASSIGN_OR_RETURN(gen.start_ns, ParseStartTime(text.start, clock.WallNanos()));
  if (!text.step.empty()) {
    SILT_ASSIGN_OR_RETURN(gen.step_ns, time::ParseDuration(text.step));
  } else if (options->rate > 0) {
    gen.step_ns = static_cast<int64_t>(1e9 / options->rate);
  }
  if (!text.jitter.empty()) {
    SILT_ASSIGN_OR_RETURN(gen.jitter_ns, time::ParseDuration(text.jitter));
    if (gen.jitter_ns < 0) return Status::InvalidArgument("--jitter must not be negative");
  }
  SILT_ASSIGN_OR_RETURN(int64_t rotate_every, units::ParseByteSize(text.rotate_every));
  options->files_options.rotate_every = static_cast<uint64_t>(rotate_every);
  if (options->files == 0 && !options->dir.empty()) options->files = 1;
  return Status::Ok();
}

int Main(int argc, char** argv) {
  CLI::App app("silt-loggen: deterministic, realistic log lines for benchmarks and tests");
  FlagText text;
  RunOptions options;
  AddFlags(app, text, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; every flag error exits 2, like the errors found below.
    return app.exit(e) == 0 ? 0 : 2;
  }
  const time::SystemClock clock;
  if (Status status = ApplyFlagText(text, clock, &options); !status.ok()) {
    std::fprintf(stderr, "silt-loggen: %s\n", status.ToString().c_str());
    return 2;
  }
  fs::PosixFileSystem::Options fs_options;
  fs_options.write_buffer_size = 0;  // OutputFiles buffers already
  fs::PosixFileSystem file_system(fs_options);
  FdWritableFile stdout_file(STDOUT_FILENO, "<stdout>");
  RunEnvironment env;
  env.fs = &file_system;
  env.stdout_file = &stdout_file;
  env.clock = &clock;
  env.sleep = [](int64_t nanos) { std::this_thread::sleep_for(std::chrono::nanoseconds(nanos)); };
  Result<RunStats> stats = Run(options, env);
  if (!stats.ok()) {
    std::fprintf(stderr, "silt-loggen: %s\n", stats.status().ToString().c_str());
    return stats.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
  }
  if (text.stats) std::fprintf(stderr, "%s\n", FormatRunStats(*stats).c_str());
  return 0;
}

}  // namespace
}  // namespace silt::loggen

int main(int argc, char** argv) { return silt::loggen::Main(argc, argv); }
