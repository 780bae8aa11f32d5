#include "tests/bench/logql/scan_rounds.h"

#include <cstdio>

#include "tests/bench/aggregator/sample_spread.h"

namespace silt::bench {
namespace {

// Runs every contender of `row` once; checks that they agree with each other and with the
// row's expected count.
Result<std::vector<Measurement>> RunRow(const Row& row, const std::string& when) {
  std::vector<Measurement> out;
  for (const Contender& contender : row.contenders) {
    Result<Measurement> m = contender.run();
    if (!m.ok()) return m.status().WithContext(row.title + ", " + contender.name + ", " + when);
    if (!contender.counts_matches) {
      out.push_back(*m);
      continue;
    }
    if (row.expected_count.has_value() && m->count != *row.expected_count) {
      return Status::IOError(row.title + ", " + when + ": " + contender.name + " counted " +
                             Grouped(m->count) + " but the data holds " +
                             Grouped(*row.expected_count) + " (" + contender.command + ")");
    }
    if (!out.empty() && m->count != out.front().count) {
      return Status::IOError(row.title + ", " + when + ": " + contender.name + " counted " +
                             Grouped(m->count) + " but " + row.contenders.front().name +
                             " counted " + Grouped(out.front().count) + " (" + contender.command +
                             ")");
    }
    out.push_back(*m);
  }
  return out;
}

}  // namespace

Result<std::vector<RowResult>> RunRounds(const std::vector<Row>& rows, int rounds) {
  std::vector<RowResult> results(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    SILT_RETURN_IF_ERROR(RunRow(rows[i], "warm-up").status());
    results[i].samples.resize(rows[i].contenders.size());
  }
  for (int round = 1; round <= rounds; ++round) {
    std::printf("round %d:", round);
    for (size_t i = 0; i < rows.size(); ++i) {
      SILT_ASSIGN_OR_RETURN(std::vector<Measurement> runs,
                            RunRow(rows[i], "round " + std::to_string(round)));
      for (size_t c = 0; c < runs.size(); ++c) {
        results[i].samples[c].push_back(runs[c]);
        std::printf(" %.2f", runs[c].usage.cpu_s());
      }
      std::printf(" |");
    }
    std::printf(" CPU s per contender, rows separated by |\n");
    std::fflush(stdout);
  }
  return results;
}

}  // namespace silt::bench
