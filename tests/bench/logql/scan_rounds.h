// The rows of the LogQL scan benchmark and the rounds that measure them. A row is one question
// (one literal, the rare token, the metric query) answered by several contenders that must all
// give the same count. After one warm-up run of every contender (not counted: page cache, and a
// first check of the counts), each round runs every row's contenders one after the other, so
// contenders alternate (A B C A B C ...) and a ratio can pair the runs of one round.
//
// Thread-safety: call from a single-threaded process (contenders fork).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/status/result.h"
#include "tests/bench/logql/contenders.h"

namespace silt::bench {

struct Row {
  enum class Kind : unsigned char {
    // contenders: [0] silt with blooms off, [1] grep, [2] lz4|grep, then extra silt variants
    kScan,
    // contenders: [0] grep, then silt variants; [kRareOff] and [kRareOn] are the same query
    // with blooms off and on
    kRare,
    kMetric,  // contenders: silt only; the count is the number of points
  };
  static constexpr size_t kRareOff = 2;
  static constexpr size_t kRareOn = 3;

  Kind kind = Kind::kScan;
  std::string title;
  std::vector<Contender> contenders;
  std::optional<uint64_t> expected_count;  // e.g. the generator's rare entries
};

struct RowResult {
  // samples[c][r]: contender c in round r (warm-up excluded).
  std::vector<std::vector<Measurement>> samples;
};

// Runs the warm-up and `rounds` rounds, printing one progress line per round. IOError when
// contenders of a row disagree on the count or differ from its expected count (naming both);
// the first contender's error otherwise.
Result<std::vector<RowResult>> RunRounds(const std::vector<Row>& rows, int rounds);

}  // namespace silt::bench
