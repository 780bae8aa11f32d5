#include "tests/bench/logql/scan_report.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

#include "tests/bench/aggregator/sample_spread.h"

namespace silt::bench {
namespace {

using Samples = std::vector<Measurement>;

std::vector<double> Each(const Samples& samples,
                         const std::function<double(const Measurement&)>& f) {
  std::vector<double> out;
  for (const Measurement& m : samples) out.push_back(f(m));
  return out;
}

// Per round: f(a[r], b[r]).
std::vector<double> Paired(const Samples& a, const Samples& b,
                           const std::function<double(const Measurement&, const Measurement&)>& f) {
  std::vector<double> out;
  for (size_t r = 0; r < a.size() && r < b.size(); ++r) out.push_back(f(a[r], b[r]));
  return out;
}

std::string SpreadText(const std::vector<double>& values, const char* format) {
  return FormatSpread(SpreadOf(values), format);
}

double SkipShare(const SiltFigures& f) {
  const uint64_t total = f.blocks_read + f.blocks_skipped;
  return total == 0 ? 0 : 100.0 * static_cast<double>(f.blocks_skipped) / total;
}

void PrintHeader() {
  std::printf("%-36s %11s  %-20s %-20s %-7s %-14s %-19s %s\n", "contender", "matches",
              "CPU s (process)", "GB/s per core", "wall s", "peak RSS MiB", "silt query CPU s",
              "silt blocks read / skipped by bloom");
}

void PrintContender(const Contender& contender, const Samples& s, const DataSet& data) {
  const double gb = static_cast<double>(data.raw_bytes) / 1e9;
  std::printf(
      "  %-34s %11s  %-20s %-20s %-7.2f %-14s", contender.name.c_str(),
      (Grouped(s.front().count) + (contender.counts_matches ? "" : " blk")).c_str(),
      SpreadText(Each(s, [](const Measurement& m) { return m.usage.cpu_s(); }), "%.2f").c_str(),
      SpreadText(Each(s, [gb](const Measurement& m) { return gb / m.usage.cpu_s(); }), "%.2f")
          .c_str(),
      SpreadOf(Each(s, [](const Measurement& m) { return m.usage.wall_s; })).median,
      SpreadText(Each(s, [](const Measurement& m) { return m.usage.max_rss_kib / 1024.0; }), "%.0f")
          .c_str());
  if (s.front().is_silt) {
    const SiltFigures& f = s.front().silt;
    std::printf(" %-19s %s / %s (%.1f%%)",
                SpreadText(Each(s, [](const Measurement& m) { return m.silt.query_cpu_s; }), "%.2f")
                    .c_str(),
                Grouped(f.blocks_read).c_str(), Grouped(f.blocks_skipped).c_str(), SkipShare(f));
  }
  std::printf("\n");
}

const char* Verdict(bool met) { return met ? "met" : "MISSED"; }

// Same-round ratio of CPU seconds: how many times less CPU `silt` used than `peer`.
std::vector<double> CpuRatio(const Samples& silt, const Samples& peer, bool query_only) {
  return Paired(silt, peer, [query_only](const Measurement& s, const Measurement& p) {
    return p.usage.cpu_s() / (query_only ? s.silt.query_cpu_s : s.usage.cpu_s());
  });
}

void PrintScanSummary(const Row& row, const RowResult& r) {
  const Samples& silt = r.samples[0];
  const std::vector<double> vs_grep = CpuRatio(silt, r.samples[1], false);
  const std::vector<double> vs_lz4 = CpuRatio(silt, r.samples[2], false);
  std::printf("    silt (blooms off) per core vs grep -F on raw: %s x; target >= 1: %s\n",
              SpreadText(vs_grep, "%.2f").c_str(), Verdict(SpreadOf(vs_grep).median >= 1));
  std::printf("    silt (blooms off) per core vs lz4 -dc | grep -F: %s x; target >= 3: %s\n",
              SpreadText(vs_lz4, "%.2f").c_str(), Verdict(SpreadOf(vs_lz4).median >= 3));
  std::printf("    the query alone (engine open excluded): %s x grep, %s x lz4|grep\n",
              SpreadText(CpuRatio(silt, r.samples[1], true), "%.2f").c_str(),
              SpreadText(CpuRatio(silt, r.samples[2], true), "%.2f").c_str());
  for (size_t c = 3; c < row.contenders.size(); ++c) {
    std::printf("    %s: %s x grep, %s x lz4|grep\n", row.contenders[c].name.c_str(),
                SpreadText(CpuRatio(r.samples[c], r.samples[1], false), "%.2f").c_str(),
                SpreadText(CpuRatio(r.samples[c], r.samples[2], false), "%.2f").c_str());
  }
}

void PrintRareSummary(const Row& row, const RowResult& r) {
  for (size_t c = 1; c < row.contenders.size(); ++c) {
    const SiltFigures& f = r.samples[c].front().silt;
    std::printf("    %s: %.2f%% of %s blocks skipped\n", row.contenders[c].name.c_str(),
                SkipShare(f), Grouped(f.blocks_read + f.blocks_skipped).c_str());
  }
  if (row.contenders.size() <= Row::kRareOn) return;
  const Samples& off = r.samples[Row::kRareOff];
  const Samples& on = r.samples[Row::kRareOn];
  const double share = SkipShare(on.front().silt);
  std::printf(
      "    blooms on vs off, same query: %s x less CPU (process), %s x (query alone), "
      "%s x wall\n",
      SpreadText(CpuRatio(on, off, false), "%.2f").c_str(),
      SpreadText(CpuRatio(on, off, true), "%.2f").c_str(),
      SpreadText(Paired(on, off,
                        [](const Measurement& a, const Measurement& b) {
                          return b.usage.wall_s / a.usage.wall_s;
                        }),
                 "%.2f")
          .c_str());
  std::printf("    blocks skipped with blooms: %.2f%%; target >= 95%%: %s\n", share,
              Verdict(share >= 95));
}

void PrintMetricSummary(const RowResult& r) {
  const Samples& s = r.samples[0];
  const SiltFigures& f = s.front().silt;
  std::printf(
      "    %s series, %s points, %s lines read; CPU %s s (query alone %s s), peak RSS "
      "%s MiB\n",
      Grouped(f.series).c_str(), Grouped(f.count).c_str(), Grouped(f.lines_processed).c_str(),
      SpreadText(Each(s, [](const Measurement& m) { return m.usage.cpu_s(); }), "%.2f").c_str(),
      SpreadText(Each(s, [](const Measurement& m) { return m.silt.query_cpu_s; }), "%.2f").c_str(),
      SpreadText(Each(s, [](const Measurement& m) { return m.usage.max_rss_kib / 1024.0; }), "%.0f")
          .c_str());
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon != std::string::npos) return line.substr(colon + 2);
  }
  return "unknown (no model name in /proc/cpuinfo)";
}

}  // namespace

void PrintReport(const std::vector<Row>& rows, const std::vector<RowResult>& results,
                 const DataSet& data) {
  std::printf(
      "\n%zu rounds after a warm-up, median [min-max]; GB = 10^9 bytes of raw log "
      "(%s bytes); per core = per CPU second (user + sys of the whole process, from "
      "wait4)\n",
      results.front().samples.front().size(), Grouped(data.raw_bytes).c_str());
  PrintHeader();
  for (size_t i = 0; i < rows.size(); ++i) {
    std::printf("%s\n", rows[i].title.c_str());
    for (size_t c = 0; c < rows[i].contenders.size(); ++c) {
      PrintContender(rows[i].contenders[c], results[i].samples[c], data);
    }
    switch (rows[i].kind) {
      case Row::Kind::kScan:
        PrintScanSummary(rows[i], results[i]);
        break;
      case Row::Kind::kRare:
        PrintRareSummary(rows[i], results[i]);
        break;
      case Row::Kind::kMetric:
        PrintMetricSummary(results[i]);
        break;
    }
  }
  std::printf("\ncommands:\n");
  for (const Row& row : rows) {
    for (const Contender& c : row.contenders) {
      std::printf("  %-34s %s\n", c.name.c_str(), c.command.c_str());
    }
  }
}

void PrintMachine(const char* when) {
  double load[3] = {0, 0, 0};
  if (::getloadavg(load, 3) < 0) load[0] = load[1] = load[2] = -1;
  std::printf("machine %s: nproc %ld, %s, load average %.2f %.2f %.2f\n", when,
              ::sysconf(_SC_NPROCESSORS_ONLN), CpuModel().c_str(), load[0], load[1], load[2]);
}

}  // namespace silt::bench
