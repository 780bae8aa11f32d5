// LogQL scans against the peers a user would reach for on the same bytes (issue 6's acceptance
// benchmark; figures and how to read them in docs/BENCHMARKS.md, section "LogQL").
//
// Data (scan_data.h), prepared once in --dir and reused: silt-loggen logfmt entries (fixed
// seed, --streams streams, a rare token at --rare-token-rate) spread over 24 h, as raw.log, its
// `lz4 -1` file and a Silt data directory with blooms. Then, after a warm-up, --rounds rounds
// run every contender in a process of its own (contenders.h), alternating, and every row's
// contenders must report the same count (the program exits 1 otherwise):
//
//   literal rows (one literal in many lines, one in none): Silt counts the matching lines with
//     `sum(count_over_time({job="logfmt"} |= `LIT` [24h]))` at the last entry (a metric query
//     reads every line and counts, as `grep -c` does, without materialising the matches that a
//     log query would return) with blooms off (the fair scan) and on; `grep -F -c` on raw.log;
//     `lz4 -dc raw.log.lz4 | grep -F -c`. The literal in no line also runs as a log query
//     (ExecuteLogQuery, limit 5000, nothing returned, so every line is read).
//   rare token: `|= "TOKEN"` (no token bounded inside the literal: blooms cannot prove
//     anything, DESIGN.md) and the bounded form `|= " TOKEN " or " TOKEN\""`, which covers
//     every line the generator gave the token, with blooms off and on: blocks skipped, speedup.
//   metric: `sum by (level) (count_over_time({job="logfmt"} | logfmt level [5m]))` as a range
//     query over the 24 h, step 5m: CPU, peak RSS, points.
//
// Flags (--help): --bytes (1GB), --dir, --rounds (5), --seed, --streams (8), --line-size (120),
// --hit-literal, --miss-literal, --rare-token-rate (1e-6), --remove.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSILT_BUILD_BENCH=ON
//   ninja -C build-bench logql_scan_bench && build-bench/tests/logql_scan_bench --bytes 1GB
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "shared/time/duration.h"
#include "shared/units/byte_size.h"
#include "tests/bench/aggregator/sample_spread.h"
#include "tests/bench/logql/contenders.h"
#include "tests/bench/logql/scan_data.h"
#include "tests/bench/logql/scan_report.h"
#include "tests/bench/logql/scan_rounds.h"

namespace silt::bench {
namespace {

constexpr char kSelector[] = "{job=\"logfmt\"}";

struct Config {
  DataSetOptions data;
  int rounds = 5;
  std::string hit_literal = "level=error";
  std::string miss_literal = "user zebra_quartz logged";
  bool remove = false;
};

std::string Raw(const std::string& literal) { return "`" + literal + "`"; }

// The shortest whole-minute range that holds every entry when evaluated at the last one
// (24h when the data spans less).
std::string CountRange(const DataSet& data) {
  const int64_t span = data.last_ts - data.first_ts;
  if (span < time::kDay) return "24h";
  return std::to_string(span / time::kMinute + 1) + "m";
}

SiltQuery CountQuery(const std::string& filter, const DataSet& data, bool blooms) {
  SiltQuery q;
  q.kind = SiltQuery::Kind::kInstantCount;
  q.text = "sum(count_over_time(" + std::string(kSelector) + " " + filter + " [" +
           CountRange(data) + "]))";
  q.use_blooms = blooms;
  q.start = data.first_ts;
  q.end = data.last_ts;
  return q;
}

Row LiteralRow(const std::string& title, const std::string& literal, const DataSet& data,
               const std::string& scratch, bool with_log_query) {
  const std::string filter = "|= " + Raw(literal);
  Row row{Row::Kind::kScan, title, {}, std::nullopt};
  row.contenders.push_back(
      SiltContender("silt count, blooms off", data.silt_dir, CountQuery(filter, data, false)));
  row.contenders.push_back(GrepContender(data.raw_path, literal, scratch));
  row.contenders.push_back(Lz4GrepContender(data.lz4_path, literal, scratch));
  row.contenders.push_back(
      SiltContender("silt count, blooms on", data.silt_dir, CountQuery(filter, data, true)));
  if (with_log_query) {
    SiltQuery q{SiltQuery::Kind::kLogCount,
                std::string(kSelector) + " " + filter,
                false,
                data.first_ts,
                data.last_ts,
                0,
                5000};
    row.contenders.push_back(SiltContender("silt log query, blooms off", data.silt_dir, q));
    row.contenders.push_back(DecompressionFloorContender(data.silt_dir));
  }
  return row;
}

Row RareRow(const std::string& token, const DataSet& data, const std::string& scratch) {
  Row row{Row::Kind::kRare,
          "rare token \"" + token + "\" (" + Grouped(data.rare_entries) + " entries)",
          {},
          data.rare_entries};
  const std::string plain = "|= " + Raw(token);
  const std::string bounded = "|= " + Raw(" " + token + " ") + " or " + Raw(" " + token + "\"");
  row.contenders.push_back(GrepContender(data.raw_path, token, scratch));
  row.contenders.push_back(
      SiltContender("silt |= token, blooms on", data.silt_dir, CountQuery(plain, data, true)));
  row.contenders.push_back(SiltContender("silt bounded token, blooms off", data.silt_dir,
                                         CountQuery(bounded, data, false)));
  row.contenders.push_back(SiltContender("silt bounded token, blooms on", data.silt_dir,
                                         CountQuery(bounded, data, true)));
  return row;
}

Row MetricRow(const Config& config, const DataSet& data) {
  SiltQuery q;
  q.kind = SiltQuery::Kind::kRange;
  q.text = "sum by (level) (count_over_time(" + std::string(kSelector) + " | logfmt level [5m]))";
  q.start = config.data.generator.start_ns;
  q.end = q.start + time::kDay;
  q.step = 5 * time::kMinute;
  q.use_blooms = true;
  Row row{Row::Kind::kMetric, "metric range query, 24 h, step 5m", {}, std::nullopt};
  row.contenders.push_back(SiltContender("silt range query", data.silt_dir, q));
  return row;
}

void PrintData(const DataSet& d) {
  const double raw = static_cast<double>(d.raw_bytes);
  std::printf(
      "data (%s): %s bytes, %s entries (%.1f bytes each with '\\n'), %s with the rare token,\n"
      "      spanning %s; raw.log.lz4 %s bytes (%.2fx), silt-data %s bytes (%.2fx, blooms "
      "included)\n",
      d.reused ? "reused" : "prepared now", Grouped(d.raw_bytes).c_str(),
      Grouped(d.entries).c_str(), raw / static_cast<double>(d.entries),
      Grouped(d.rare_entries).c_str(), time::FormatDuration(d.last_ts - d.first_ts).c_str(),
      Grouped(d.lz4_bytes).c_str(), raw / static_cast<double>(d.lz4_bytes),
      Grouped(d.silt_bytes).c_str(), raw / static_cast<double>(d.silt_bytes));
  std::fflush(stdout);
}

Status Run(const Config& config) {
  PrintMachine("at start");
  SILT_ASSIGN_OR_RETURN(DataSet data, PrepareDataSet(config.data));
  PrintData(data);
  const std::string& scratch = config.data.dir;
  const std::vector<Row> rows = {
      LiteralRow("literal \"" + config.hit_literal + "\" (in many lines)", config.hit_literal, data,
                 scratch, false),
      LiteralRow("literal \"" + config.miss_literal + "\" (in no line)", config.miss_literal, data,
                 scratch, true),
      RareRow(config.data.generator.rare_token, data, scratch),
      MetricRow(config, data),
  };
  SILT_ASSIGN_OR_RETURN(std::vector<RowResult> results, RunRounds(rows, config.rounds));
  PrintReport(rows, results, data);
  PrintMachine("at end");
  return Status::Ok();
}

// Fills config.data's sizes from their flag texts and checks the literals.
Status ParseFlagValues(const std::string& bytes_text, Config* config) {
  Result<int64_t> bytes = units::ParseByteSize(bytes_text);
  if (!bytes.ok()) return bytes.status().WithContext("--bytes");
  if (*bytes <= 0) return Status::InvalidArgument("--bytes must be above 0, e.g. 1GB or 64MB");
  config->data.bytes = static_cast<uint64_t>(*bytes);
  for (const std::string* literal : {&config->hit_literal, &config->miss_literal}) {
    if (literal->empty() || literal->find('`') != std::string::npos) {
      return Status::InvalidArgument("literal '" + *literal +
                                     "': pass a non-empty literal without backquotes "
                                     "(--hit-literal, --miss-literal)");
    }
  }
  loggen::GeneratorOptions& g = config->data.generator;
  g.step_ns = StepForSpan(config->data.bytes, g.line_size, time::kDay);
  return loggen::ValidateGeneratorOptions(g);
}

std::string DefaultDir() {
  const char* base = std::getenv("TMPDIR");
  return std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/silt-logql-scan-bench";
}

int Main(int argc, char** argv) {
  CLI::App app{"LogQL scans through Silt next to grep -F and lz4 -dc | grep -F on the same logs"};
  Config config;
  loggen::GeneratorOptions& g = config.data.generator;
  g.format = loggen::Format::kLogfmt;
  g.streams = 8;
  g.line_size = 120;
  g.rare_token_rate = 1e-6;
  config.data.dir = DefaultDir();
  std::string bytes_text = "1GB";
  app.add_option("--bytes", bytes_text, "raw log to generate (1GB = 10^9; 64MB for a quick run)")
      ->capture_default_str();
  app.add_option("--dir", config.data.dir,
                 "work directory; data in it is reused when generated with the same flags")
      ->capture_default_str();
  app.add_option("--rounds", config.rounds, "measured rounds after the warm-up")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--seed", g.seed, "silt-loggen seed")->capture_default_str();
  app.add_option("--streams", g.streams, "silt-loggen streams")->capture_default_str();
  app.add_option("--line-size", g.line_size, "silt-loggen --line-size")->capture_default_str();
  app.add_option("--hit-literal", config.hit_literal, "literal found in many lines")
      ->capture_default_str();
  app.add_option("--miss-literal", config.miss_literal, "literal found in no line")
      ->capture_default_str();
  app.add_option("--rare-token-rate", g.rare_token_rate, "share of entries with the rare token")
      ->capture_default_str();
  app.add_flag("--remove", config.remove, "remove the work directory at the end");
  CLI11_PARSE(app, argc, argv);

  auto fail = [](const Status& status) {
    std::fprintf(stderr, "logql_scan_bench: %s\n", status.ToString().c_str());
    return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
  };
  if (Status parsed = ParseFlagValues(bytes_text, &config); !parsed.ok()) return fail(parsed);
  std::printf("logql_scan_bench");
  for (int i = 1; i < argc; ++i) std::printf(" %s", argv[i]);
  std::printf("\nwork dir %s\n", config.data.dir.c_str());
  const Status status = Run(config);
  if (config.remove) {
    std::error_code error;
    std::filesystem::remove_all(config.data.dir, error);
  }
  return status.ok() ? 0 : fail(status);
}

}  // namespace
}  // namespace silt::bench

int main(int argc, char** argv) { return silt::bench::Main(argc, argv); }
