#include "tests/integration/aggregator/engine_crash_workload.h"

namespace silt::engine::crash {
namespace {

// 64 characters, two of them spaces: words of varying length, as log lines have.
constexpr std::string_view kAlphabet =
    "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFGHIJKLMNOPQRSTUVWX  ";
static_assert(kAlphabet.size() == 64);
// "s<source> i<index>": the index's 12 digits are at [kIndexBegin, kIndexEnd).
constexpr size_t kIndexBegin = 4;
constexpr size_t kIndexEnd = 16;

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

EngineOptions CrashEngineOptions(fs::FileSystem* fs, const time::Clock* clock, log::Logger* logger,
                                 const std::string& data_dir) {
  EngineOptions options;
  options.fs = fs;
  options.clock = clock;
  options.logger = logger;
  options.data_dir = data_dir;
  options.wal_segment_bytes = uint64_t{256} << 10;
  options.head.max_bytes = size_t{2} << 20;
  options.head.partition_ns = kPartitionNs;
  // A partition is complete (flushed) once the tenant's newest line is this far past its end,
  // and any live partition is flushed after max_partition_age: both keep the WAL short, so
  // checkpoints move and covered segments are deleted all the time.
  options.head.out_of_order_window_ns = 2 * kPartitionNs;
  options.head.max_partition_age_ns = 5 * kSecondNs;
  options.head.target_block_bytes = size_t{16} << 10;
  options.chunk.target_block_size = size_t{32} << 10;
  options.flush_check_interval_ns = kSecondNs / 10;
  return options;
}

std::string AgentId(int source) { return "host-" + std::to_string(source / kSourcesPerAgent); }

uint64_t SourceId(int source) { return Mix(0x5157u + static_cast<uint64_t>(source)); }

labels::LabelSet StreamLabels(int source) {
  std::string name = "s" + std::to_string(source);
  return labels::LabelSet::Of({{"job", "crash"}, {"source", name}});
}

std::string Line(int source, uint64_t index) {
  std::string line;
  FillLine(source, index, &line);
  return line;
}

void FillLine(int source, uint64_t index, std::string* line) {
  line->assign(kLineBytes - 1, ' ');
  char* out = line->data();
  out[0] = 's';
  out[1] = static_cast<char>('0' + source % 10);
  out[3] = 'i';
  uint64_t digits = index;
  for (size_t pos = kIndexEnd; pos > kIndexBegin; digits /= 10) {
    out[--pos] = static_cast<char>('0' + digits % 10);
  }
  uint64_t state = (static_cast<uint64_t>(source) << 56) ^ index;
  for (size_t pos = kIndexEnd + 1; pos < line->size();) {
    uint64_t bits = Mix(++state);
    for (int k = 0; k < 10 && pos < line->size(); ++k, bits >>= 6) {
      out[pos++] = kAlphabet[bits & 63];
    }
  }
}

bool ParseLine(std::string_view line, int* source, uint64_t* index) {
  // "s<digit> i<12 digits> "
  if (line.size() != kLineBytes - 1 || line[0] != 's' || line[2] != ' ' || line[3] != 'i' ||
      line[kIndexEnd] != ' ' || line[1] < '0' || line[1] > '9') {
    return false;
  }
  *source = line[1] - '0';
  uint64_t value = 0;
  for (char c : line.substr(kIndexBegin, kIndexEnd - kIndexBegin)) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  *index = value;
  return true;
}

}  // namespace silt::engine::crash
