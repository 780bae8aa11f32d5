#include "tests/bench/api/push_run.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include "tests/bench/aggregator/sample_spread.h"
#include "tests/bench/api/http_client.h"
#include "tests/bench/api/push_body.h"
#include "tests/bench/api/silt_server.h"
#include "tests/bench/loggen/generator.h"
#include "tests/bench/system/proc_stat.h"

namespace silt::bench {
namespace {

struct Format {
  const char* name;          // as in silt_push_entries_received_total{format=...}
  const char* content_type;  // of the request
};
constexpr Format kFormats[] = {{"json", "Content-Type: application/json"},
                               {"protobuf", "Content-Type: application/x-protobuf"}};

struct Bodies {
  std::vector<std::string> encoded[2];  // by kFormats index
  uint64_t entries = 0;
  uint64_t line_bytes = 0;
};

// The bodies: consecutive entries of silt-loggen's logfmt generator (seed 1), entry i in stream
// i % streams, stamped start + i ns (the start an hour ago, within every age limit).
Result<Bodies> MakeBodies(const PushOptions& options) {
  loggen::GeneratorOptions generator_options;
  generator_options.format = loggen::Format::kLogfmt;
  generator_options.line_size = options.line_bytes;
  SILT_ASSIGN_OR_RETURN(auto generator, loggen::Generator::Create(generator_options));
  const int64_t start = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() -
                        3'600'000'000'000;
  Bodies bodies;
  for (uint64_t first = 0; first + options.entries_per_body <= options.lines;
       first += options.entries_per_body) {
    std::vector<BodyStream> streams(options.streams);
    for (uint32_t s = 0; s < options.streams; ++s) {
      streams[s].labels = {{"job", "bench"}, {"host", "h" + std::to_string(s)}};
    }
    for (uint64_t i = first; i < first + options.entries_per_body; ++i) {
      const std::string_view line = generator->Next().line;
      bodies.line_bytes += line.size();
      streams[i % options.streams].entries.emplace_back(start + static_cast<int64_t>(i), line);
    }
    bodies.encoded[0].push_back(LokiJsonBody(streams));
    bodies.encoded[1].push_back(LokiProtoBody(streams));
    bodies.entries += options.entries_per_body;
  }
  return bodies;
}

struct RunResult {
  double wall_s = 0;
  double cpu_s = 0;
};

// One run: a fresh server in `root`, every body of one format pushed, the server stopped.
Result<RunResult> PushOnce(const std::string& root, const Format& format,
                           const std::vector<std::string>& bodies, uint64_t entries) {
  std::filesystem::create_directories(root);
  SiltServer server(root, {});
  SILT_RETURN_IF_ERROR(server.Start());
  HttpClient client(server.http_port());
  SILT_ASSIGN_OR_RETURN(const double cpu_before, CpuSeconds(server.pid()));
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& body : bodies) {
    SILT_ASSIGN_OR_RETURN(HttpReply reply,
                          client.Request("POST", "/loki/api/v1/push", {format.content_type}, body));
    if (reply.status != 204) {
      return Status::IOError(std::string(format.name) + " push answered " +
                             std::to_string(reply.status) + ": " + reply.body.substr(0, 300));
    }
  }
  RunResult result;
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  SILT_ASSIGN_OR_RETURN(const double cpu_after, CpuSeconds(server.pid()));
  result.cpu_s = cpu_after - cpu_before;
  const std::string series =
      "silt_push_entries_received_total{format=\"" + std::string(format.name) + "\"}";
  SILT_ASSIGN_OR_RETURN(const double stored, server.Metric(series));
  if (static_cast<uint64_t>(stored) != entries) {
    return Status::IOError(series + " is " + std::to_string(stored) + " after pushing " +
                           std::to_string(entries) + " entries:\n" + server.LogTail());
  }
  client.Close();
  SILT_RETURN_IF_ERROR(server.Stop());
  std::filesystem::remove_all(root);
  return result;
}

// Items per CPU second; 0 when the CPU time is below one clock tick (tiny smoke runs).
double PerCore(uint64_t items, double cpu_s) {
  return cpu_s > 0 ? static_cast<double>(items) / cpu_s : 0;
}

}  // namespace

Status RunPushBench(const PushOptions& options, std::ostream& out) {
  if (options.streams == 0 || options.entries_per_body < options.streams ||
      options.lines < options.entries_per_body || options.runs < 1) {
    return Status::InvalidArgument(
        "push: need --streams >= 1, --entries-per-body >= --streams, --lines >= "
        "--entries-per-body and --runs >= 1");
  }
  SILT_ASSIGN_OR_RETURN(Bodies bodies, MakeBodies(options));
  size_t bytes[2] = {0, 0};
  for (int f = 0; f < 2; ++f) {
    for (const std::string& body : bodies.encoded[f]) bytes[f] += body.size();
  }
  out << "push: " << Grouped(bodies.entries) << " entries per run in " << bodies.encoded[0].size()
      << " requests of " << Grouped(options.entries_per_body) << ", " << options.streams
      << " streams, " << bodies.line_bytes / bodies.entries
      << " bytes/line avg; body bytes json=" << Grouped(bytes[0])
      << " protobuf+snappy=" << Grouped(bytes[1]) << "\n";
  std::vector<double> per_core[2];
  for (int run = -options.warmup; run < options.runs; ++run) {
    for (int f = 0; f < 2; ++f) {
      const std::string root =
          options.dir + "/push-" + std::to_string(run + options.warmup) + "-" + kFormats[f].name;
      SILT_ASSIGN_OR_RETURN(RunResult result,
                            PushOnce(root, kFormats[f], bodies.encoded[f], bodies.entries));
      const double rate = PerCore(bodies.entries, result.cpu_s);
      out << (run < 0 ? "warmup " : "run ") << (run < 0 ? run + options.warmup : run) + 1 << " "
          << kFormats[f].name << ": wall " << result.wall_s << " s, aggregator cpu " << result.cpu_s
          << " s, " << Grouped(static_cast<uint64_t>(rate)) << " lines/s per aggregator core\n";
      if (run >= 0) per_core[f].push_back(rate);
    }
  }
  const Spread json = SpreadOf(per_core[0]);
  const Spread proto = SpreadOf(per_core[1]);
  out << "lines/s per aggregator core, median [min-max] of " << options.runs << ":\n"
      << "  json:            " << FormatSpread(json, "%.0f") << "\n"
      << "  protobuf+snappy: " << FormatSpread(proto, "%.0f") << "\n"
      << "  protobuf/json:   " << proto.median / json.median << "x\n";
  return Status::Ok();
}

}  // namespace silt::bench
