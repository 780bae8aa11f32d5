#include "aggregator/wal/recovery_report.h"

#include <utility>

namespace silt::wal {
namespace {

constexpr std::string_view kKindNames[kProblemKindCount] = {
    "torn_tail",          "zero_tail",    "bad_payload",     "bad_header",         "bad_length",
    "bad_segment_header", "sequence_gap", "sequence_repeat", "corrupt_checkpoint",
};

static_assert(static_cast<size_t>(ProblemKind::kCorruptCheckpoint) + 1 == kProblemKindCount,
              "kKindNames must name every ProblemKind");

}  // namespace

std::string_view ProblemKindName(ProblemKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

void RecoveryReport::Add(RecoveryProblem problem) {
  ++problem_counts[static_cast<size_t>(problem.kind)];
  bytes_dropped += problem.bytes_dropped;
  if (problems.size() < kMaxListedProblems) {
    problems.push_back(std::move(problem));
  } else {
    ++problems_not_listed;
  }
}

uint64_t RecoveryReport::TotalProblems() const {
  uint64_t total = 0;
  for (uint64_t count : problem_counts) total += count;
  return total;
}

// Built with += rather than operator+ chains: g++ 12 at -O3 reports a false -Wrestrict on
// `"literal" + std::string` (GCC bug 105329).
std::string RecoveryReport::Summary() const {
  std::string out = "replayed ";
  out += std::to_string(records_replayed);
  out += " records from ";
  out += std::to_string(segments_read);
  out += " segments (checkpoint ";
  out += std::to_string(checkpoint_sequence);
  out += ", next sequence ";
  out += std::to_string(next_sequence);
  out += ")";
  if (Clean()) return out + "; no problems";
  out += "; ";
  out += std::to_string(TotalProblems());
  out += " problems:";
  for (size_t i = 0; i < kProblemKindCount; ++i) {
    if (problem_counts[i] == 0) continue;
    out += ' ';
    out += kKindNames[i];
    out += '=';
    out += std::to_string(problem_counts[i]);
  }
  out += "; skipped ";
  out += std::to_string(records_skipped);
  out += " records, dropped ";
  out += std::to_string(bytes_dropped);
  out += " bytes";
  return out;
}

std::string RecoveryReport::Describe(const RecoveryProblem& problem) {
  std::string out(ProblemKindName(problem.kind));
  out += ' ';
  out += problem.path;
  out += " at offset ";
  out += std::to_string(problem.offset);
  out += ": ";
  out += problem.reason;
  out += " (";
  out += std::to_string(problem.bytes_dropped);
  out += " bytes dropped)";
  return out;
}

}  // namespace silt::wal
