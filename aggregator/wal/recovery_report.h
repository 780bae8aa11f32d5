// RecoveryReport: what recovery found in a WAL directory: how much it replayed and every problem
// it met (damage kind, segment path, byte offset, bytes dropped, reason). The aggregator logs it
// at startup and exports the counts; tests assert on them. A value type; not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace silt::wal {

// Kinds of damage recovery recognises; docs/formats/wal.md gives the rule for each.
enum class ProblemKind : uint8_t {
  kTornTail,           // the data ends inside a record (or segment header): a crash mid-write
  kZeroTail,           // zero bytes where the next record would start, up to end of file
  kBadPayload,         // header intact, payload checksum mismatch: that one record skipped
  kBadHeader,          // record header check failed: scanned forward to the next intact header
  kBadLength,          // header intact but its length is over the limit: scanned forward
  kBadSegmentHeader,   // segment header unreadable or not matching its name: segment skipped
  kSequenceGap,        // sequence numbers jump: the records in between are missing
  kSequenceRepeat,     // a sequence number not above the previous one: that record skipped
  kCorruptCheckpoint,  // checkpoint file unreadable: everything in the WAL was replayed
};
inline constexpr size_t kProblemKindCount = 9;

// "torn_tail", "zero_tail", ... (snake_case, for logs and metric labels).
std::string_view ProblemKindName(ProblemKind kind);

struct RecoveryProblem {
  ProblemKind kind = ProblemKind::kTornTail;
  std::string path;            // the segment (or checkpoint) file
  uint64_t offset = 0;         // byte offset of the damage in that file
  uint64_t bytes_dropped = 0;  // bytes that were not replayed because of it
  std::string reason;          // what was seen and what recovery did about it
};

struct RecoveryReport {
  // At most this many problems are kept in `problems`; the counts are always complete.
  static constexpr size_t kMaxListedProblems = 1000;

  // The checkpoint recovery started from (0 when missing or corrupt).
  uint64_t checkpoint_sequence = 0;
  uint64_t segments_read = 0;
  // Records handed to the replay callback (sequence above the checkpoint).
  uint64_t records_replayed = 0;
  // Intact records at or below the checkpoint, read only to follow the sequence.
  uint64_t records_before_checkpoint = 0;
  // Records whose header was read but that were not replayed (bad payload, repeated sequence).
  uint64_t records_skipped = 0;
  // Bytes of segment files not replayed because of damage (torn and zero tails included).
  uint64_t bytes_dropped = 0;
  // Highest sequence number of an intact record; 0 when there was none.
  uint64_t last_sequence = 0;
  // The sequence number the writer continues with: above every number the directory has used,
  // the checkpoint and WalOptions::min_next_sequence.
  uint64_t next_sequence = 1;
  // Files recovery changed to repair the tail: truncated or deleted segments.
  std::vector<std::string> repaired_files;
  std::vector<RecoveryProblem> problems;
  uint64_t problems_not_listed = 0;
  std::array<uint64_t, kProblemKindCount> problem_counts{};

  // Records a problem: counts it, adds its bytes to bytes_dropped, lists it (up to the cap).
  void Add(RecoveryProblem problem);
  uint64_t Count(ProblemKind kind) const { return problem_counts[static_cast<size_t>(kind)]; }
  uint64_t TotalProblems() const;
  bool Clean() const { return TotalProblems() == 0; }
  // One line for the startup log: "replayed 120 records (checkpoint 80, next 201); 2 problems:
  // bad_payload=1 sequence_gap=1; dropped 4130 bytes".
  std::string Summary() const;
  // "<kind> <path> at offset <n>: <reason> (<bytes> bytes dropped)" per listed problem.
  static std::string Describe(const RecoveryProblem& problem);
};

}  // namespace silt::wal
