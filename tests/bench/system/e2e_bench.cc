// e2e_bench: Silt end to end on one machine (issue 5). silt-agent tails a file and ships it over
// TLS (client certificates) to silt-aggregator, which acks each batch once its WAL record is
// fdatasync'd; the agent saves positions only after acks. Two measurements:
//
//   throughput  a pre-written file of --lines unique --line-bytes lines is shipped from a fresh
//               start; wall time from the agent's start until its positions file confirms the
//               whole file; lines/s, MB/s, and each process's CPU seconds (utime + stime from
//               /proc/<pid>/stat) per million lines. --warmup runs, then --runs measured ones.
//   latency     a writer appends --rate lines/s in bursts every --burst-interval-us for
//               --duration s; per line, write time to the positions read that confirms it
//               (p50/p99/max), beside the agent's batch write -> Ack histogram.
//
// Prints the command, the date, the machine and both config files, then every run and the
// median [min-max] (docs/BENCHMARKS.md, "End to end"). Runs are sequential, each in a fresh
// directory under --dir, removed afterwards.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tests/bench/aggregator/sample_spread.h"
#include "tests/bench/system/latency_run.h"
#include "tests/bench/system/proc_stat.h"
#include "tests/bench/system/throughput_run.h"

namespace silt::bench {
namespace {

constexpr double kTargetLinesPerSecond = 500000;

struct BenchConfig {
  std::string mode = "all";
  std::string dir;
  int runs = 5;
  int warmup = 1;
  int latency_runs = 5;
  ThroughputOptions throughput;
  LatencyOptions latency;
  uint64_t lines = 3000000;
  uint32_t line_bytes = 120;
};

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  char text[64];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
  return text;
}

// "load 1.52 1.20 0.98": the 1, 5 and 15 minute load averages (the machine is shared).
std::string LoadAverage() {
  double load[3] = {0, 0, 0};
  if (::getloadavg(load, 3) != 3) return "load unknown";
  char text[64];
  std::snprintf(text, sizeof(text), "load %.2f %.2f %.2f", load[0], load[1], load[2]);
  return text;
}

std::string Spread3(const std::vector<double>& values, const char* format) {
  return FormatSpread(SpreadOf(values), format);
}

// The measured throughput runs' figures, one value per run.
struct ThroughputFigures {
  std::vector<double> lines_s, mb_s, agent_cpu, aggregator_cpu, total_cores;

  void Add(const ThroughputSample& sample, uint64_t lines, uint64_t bytes) {
    const double millions = static_cast<double>(lines) / 1e6;
    lines_s.push_back(lines / sample.wall_s);
    mb_s.push_back(bytes / sample.wall_s / 1e6);
    agent_cpu.push_back(sample.agent_cpu_s / millions);
    aggregator_cpu.push_back(sample.aggregator_cpu_s / millions);
    total_cores.push_back((sample.agent_cpu_s + sample.aggregator_cpu_s) / sample.wall_s);
  }

  void Print() const {
    const Spread rate = SpreadOf(lines_s);
    std::printf("lines/s            %s\n", Spread3(lines_s, "%.0f").c_str());
    std::printf("MB/s (file bytes)  %s\n", Spread3(mb_s, "%.1f").c_str());
    std::printf("agent CPU s / M lines       %s\n", Spread3(agent_cpu, "%.3f").c_str());
    std::printf("aggregator CPU s / M lines  %s\n", Spread3(aggregator_cpu, "%.3f").c_str());
    std::printf("cores used (both)  %s of %ld\n", Spread3(total_cores, "%.2f").c_str(),
                ::sysconf(_SC_NPROCESSORS_ONLN));
    std::printf("target >= %.0fk lines/s end to end: %s (median %.0fk, %.0f%% of target)\n",
                kTargetLinesPerSecond / 1e3,
                rate.median >= kTargetLinesPerSecond ? "MET" : "MISSED", rate.median / 1e3,
                100 * rate.median / kTargetLinesPerSecond);
  }
};

Status RunThroughputSeries(BenchConfig& config, const testing::TestCerts& certs,
                           const std::string& work) {
  ThroughputOptions& options = config.throughput;
  options.data_file = work + "/data.log";
  options.lines = config.lines;
  std::printf("\n== throughput: %s lines of %u bytes + '\\n', %d warm-up + %d runs\n",
              Grouped(config.lines).c_str(), config.line_bytes, config.warmup, config.runs);
  SILT_RETURN_IF_ERROR(WriteDataFile(options.data_file, config.lines, config.line_bytes));
  options.bytes = std::filesystem::file_size(options.data_file);
  ThroughputFigures figures;
  for (int run = -config.warmup; run < config.runs; ++run) {
    const std::string root = work + "/throughput-" + std::to_string(run + config.warmup);
    auto sample = RunThroughput(options, certs, root);
    std::filesystem::remove_all(root);
    if (!sample.ok()) return sample.status();
    if (run == -config.warmup) std::printf("%s", sample->configs.c_str());
    std::printf(
        "%s run %d: wall %.3f s, %.0f lines/s, %.1f MB/s, CPU s agent %.2f aggregator %.2f"
        " (%.2f + %.2f cores), %s\n",
        run < 0 ? "warm-up" : "measured", run < 0 ? run + config.warmup + 1 : run + 1,
        sample->wall_s, config.lines / sample->wall_s, options.bytes / sample->wall_s / 1e6,
        sample->agent_cpu_s, sample->aggregator_cpu_s, sample->agent_cpu_s / sample->wall_s,
        sample->aggregator_cpu_s / sample->wall_s, LoadAverage().c_str());
    std::fflush(stdout);
    if (run >= 0) figures.Add(*sample, config.lines, options.bytes);
  }
  figures.Print();
  std::filesystem::remove(options.data_file);
  return Status::Ok();
}

Status RunLatencySeries(BenchConfig& config, const testing::TestCerts& certs,
                        const std::string& work) {
  LatencyOptions& options = config.latency;
  options.line_bytes = config.line_bytes;
  std::printf("\n== latency: %.0f lines/s for %.1f s, a burst every %d us, %d runs\n", options.rate,
              options.duration_s, options.burst_interval_us, config.latency_runs);
  std::vector<double> p50, p99, max, ack_p50, ack_p99;
  for (int run = 0; run < config.latency_runs; ++run) {
    const std::string root = work + "/latency-" + std::to_string(run);
    auto sample = RunLatency(options, certs, root);
    std::filesystem::remove_all(root);
    if (!sample.ok()) return sample.status();
    if (run == 0) std::printf("%s", sample->configs.c_str());
    std::printf(
        "run %d: %s lines at %.0f lines/s; write->durable ms p50 %.1f p99 %.1f max %.1f;"
        " agent batch write->Ack ms p50 %.1f p99 %.1f (%.0f batches), %s\n",
        run + 1, Grouped(sample->lines).c_str(), sample->achieved_rate, sample->p50_ms,
        sample->p99_ms, sample->max_ms, sample->ack_p50_ms, sample->ack_p99_ms, sample->ack_batches,
        LoadAverage().c_str());
    std::fflush(stdout);
    p50.push_back(sample->p50_ms);
    p99.push_back(sample->p99_ms);
    max.push_back(sample->max_ms);
    ack_p50.push_back(sample->ack_p50_ms);
    ack_p99.push_back(sample->ack_p99_ms);
  }
  std::printf("write->durable ms  p50 %s  p99 %s  max %s\n", Spread3(p50, "%.1f").c_str(),
              Spread3(p99, "%.1f").c_str(), Spread3(max, "%.1f").c_str());
  std::printf("batch write->Ack ms (histogram)  p50 %s  p99 %s\n", Spread3(ack_p50, "%.1f").c_str(),
              Spread3(ack_p99, "%.1f").c_str());
  return Status::Ok();
}

void AddThroughputFlags(CLI::App& app, BenchConfig& c) {
  app.add_option("--mode", c.mode, "all, throughput or latency")
      ->check(CLI::IsMember({"all", "throughput", "latency"}))
      ->capture_default_str();
  app.add_option("--dir", c.dir,
                 "where run directories go (the disk under test; default $TMPDIR or /tmp)");
  app.add_option("--lines", c.lines, "throughput: lines in the file")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 34));
  app.add_option("--line-bytes", c.line_bytes, "bytes per line without the newline")
      ->capture_default_str()
      ->check(CLI::Range(32, 65536));
  app.add_option("--runs", c.runs, "throughput: measured runs")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--warmup", c.warmup, "throughput: runs before the measured ones")
      ->capture_default_str()
      ->check(CLI::Range(0, 10));
  app.add_option("--save-interval", c.throughput.system.save_interval,
                 "throughput: agent positions.save_interval")
      ->capture_default_str();
}

void AddLatencyFlags(CLI::App& app, BenchConfig& c) {
  app.add_option("--rate", c.latency.rate, "latency: lines per second")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 1e8));
  app.add_option("--duration", c.latency.duration_s, "latency: seconds of writing")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--burst-interval-us", c.latency.burst_interval_us,
                 "latency: one write this often")
      ->capture_default_str()
      ->check(CLI::Range(100, 1000000));
  app.add_option("--latency-runs", c.latency_runs, "latency: runs")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--latency-save-interval", c.latency.system.save_interval,
                 "latency: agent positions.save_interval (observation delay bound)")
      ->capture_default_str();
  // Both runs use these; Main copies them to the latency run.
  app.add_option("--batch-linger", c.throughput.system.batch_linger,
                 "agent batch.linger (default: the product's)");
  app.add_option("--ship-linger", c.throughput.system.ship_linger,
                 "agent aggregator.linger (default: the product's)");
  app.add_option("--batch-max-lines", c.throughput.system.batch_max_lines,
                 "agent batch.max_lines (default: the product's)");
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Silt end to end: file -> silt-agent -> TLS -> silt-aggregator WAL fsync"};
  BenchConfig config;
  config.latency.system.save_interval = "5ms";
  AddThroughputFlags(app, config);
  AddLatencyFlags(app, config);
  CLI11_PARSE(app, argc, argv);
  config.latency.system.batch_linger = config.throughput.system.batch_linger;
  config.latency.system.ship_linger = config.throughput.system.ship_linger;
  config.latency.system.batch_max_lines = config.throughput.system.batch_max_lines;
  if (config.dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    config.dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string command = "e2e_bench";
  for (int i = 1; i < argc; ++i) command += std::string(" ") + argv[i];
  std::printf("%s\ndate %s\nmachine %s\n", command.c_str(), UtcNow().c_str(),
              MachineDescription(config.dir).c_str());
  std::string work = config.dir + "/silt-e2e-bench-XXXXXX";
  if (::mkdtemp(work.data()) == nullptr) {
    std::fprintf(stderr, "e2e_bench: cannot create a directory under --dir %s\n",
                 config.dir.c_str());
    return 1;
  }
  testing::TestCerts certs;
  Status status = certs.Generate();
  if (status.ok() && config.mode != "latency") status = RunThroughputSeries(config, certs, work);
  if (status.ok() && config.mode != "throughput") status = RunLatencySeries(config, certs, work);
  std::filesystem::remove_all(work);
  if (!status.ok()) {
    std::fprintf(stderr, "e2e_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace silt::bench

int main(int argc, char** argv) { return silt::bench::Main(argc, argv); }
