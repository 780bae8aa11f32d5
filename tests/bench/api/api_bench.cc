// api_bench: issue 7's benchmarks against the real silt-aggregator of this build (README.md,
// docs/BENCHMARKS.md): --mode push (Loki JSON next to protobuf+snappy, lines/s per aggregator
// core), --mode syslog (RFC 5424 over TCP into Silt next to rsyslogd writing the same stream to a
// file) and --mode query (query_range p50/p95 over an hour of pushed data). Prints figures; never
// asserts on time. Exit status 1 with the error on stderr when a run fails.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "tests/bench/api/push_run.h"
#include "tests/bench/api/query_run.h"
#include "tests/bench/api/syslog_run.h"
#include "tests/bench/system/proc_stat.h"

namespace silt::bench {
namespace {

struct BenchConfig {
  std::string mode = "push";
  std::string dir;
  int runs = 3;
  int warmup = 0;
  PushOptions push;
  SyslogOptions syslog;
  QueryOptions query;
  std::string framing = "octet";
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

void AddPushFlags(CLI::App& app, PushOptions& push) {
  app.add_option("--push-lines", push.lines, "push: entries per run")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 32));
  app.add_option("--entries-per-body", push.entries_per_body, "push: entries per request")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  app.add_option("--push-streams", push.streams, "push: streams per request")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  app.add_option("--line-bytes", push.line_bytes, "push: silt-loggen logfmt --line-size")
      ->capture_default_str()
      ->check(CLI::Range(16, 65536));
}

void AddSyslogFlags(CLI::App& app, BenchConfig& c) {
  app.add_option("--syslog-lines", c.syslog.lines, "syslog: messages per run")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 32));
  app.add_option("--connections", c.syslog.connections, "syslog: TCP connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--framing", c.framing, "syslog: RFC 6587 octet counting or LF framing")
      ->capture_default_str()
      ->check(CLI::IsMember({"octet", "lf"}));
  app.add_option("--syslog-line-bytes", c.syslog.line_bytes, "syslog: silt-loggen --line-size")
      ->capture_default_str()
      ->check(CLI::Range(48, 65536));
  app.add_flag("--rsyslog-sync", c.syslog.rsyslog_sync,
               "syslog: rsyslog omfile sync=\"on\" (fsync per batch)");
}

void AddQueryFlags(CLI::App& app, QueryOptions& query) {
  app.add_option("--duration", query.load.duration_s, "query: seconds of simulated time")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 7.0 * 86400));
  app.add_option("--rate", query.load.rate, "query: lines per simulated second")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 1e7));
  app.add_option("--push-threads", query.load.threads, "query: threads pushing the data")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--load-entries-per-body", query.load.entries_per_body,
                 "query: entries per push while loading")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  app.add_option("--repeats", query.repeats, "query: times each query runs")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app.add_option("--step", query.step, "query: query_range step (default: the server's)");
  app.add_option("--query-timeout", query.query_timeout,
                 "query: the server's http.query_timeout (default: the product's, 1m)");
}

Status RunMode(const BenchConfig& config, const std::string& work) {
  if (config.mode == "push") {
    PushOptions push = config.push;
    push.dir = work;
    push.runs = config.runs;
    push.warmup = config.warmup;
    return RunPushBench(push, std::cout);
  }
  if (config.mode == "syslog") {
    SyslogOptions syslog = config.syslog;
    syslog.dir = work;
    syslog.runs = config.runs;
    syslog.warmup = config.warmup;
    syslog.octet_counting = config.framing == "octet";
    return RunSyslogBench(syslog, std::cout);
  }
  if (config.mode == "query") {
    QueryOptions query = config.query;
    query.dir = work;
    return RunQueryBench(query, std::cout);
  }
  return Status::InvalidArgument("--mode " + config.mode + ": use push, syslog or query");
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Silt's HTTP push, syslog and query_range benchmarks (issue 7)"};
  BenchConfig config;
  app.add_option("--mode", config.mode, "push, syslog or query")
      ->capture_default_str()
      ->check(CLI::IsMember({"push", "syslog", "query"}));
  app.add_option("--dir", config.dir, "where run directories go (default $TMPDIR or /tmp)");
  app.add_option("--runs", config.runs, "measured runs of each contender")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--warmup", config.warmup, "unmeasured runs before them")
      ->capture_default_str()
      ->check(CLI::Range(0, 10));
  AddPushFlags(app, config.push);
  AddSyslogFlags(app, config);
  AddQueryFlags(app, config.query);
  CLI11_PARSE(app, argc, argv);
  if (config.dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    config.dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string command = "api_bench";
  for (int i = 1; i < argc; ++i) command += std::string(" ") + argv[i];
  std::cout << command << "\ndate " << UtcNow() << " " << LoadAverage() << "\nmachine "
            << MachineDescription(config.dir) << std::endl;
  std::string work = config.dir + "/silt-api-bench-XXXXXX";
  if (::mkdtemp(work.data()) == nullptr) {
    std::cerr << "api_bench: cannot create a directory under --dir " << config.dir << "\n";
    return 1;
  }
  const Status status = RunMode(config, work);
  std::filesystem::remove_all(work);
  std::cout << "end " << UtcNow() << " " << LoadAverage() << std::endl;
  if (!status.ok()) {
    std::cerr << "api_bench: " << status.ToString() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace silt::bench

int main(int argc, char** argv) { return silt::bench::Main(argc, argv); }
