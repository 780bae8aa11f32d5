// Fuzz target for DecodeIndexFile (aggregator/index/index_file.h). Input layout: byte 0 bit 0 set
// means "repair checksums first": every section checksum and the footer checksum are recomputed
// from the sizes the footer gives (when they fit), so mutations reach the structural checks
// instead of stopping at XXH3. Bytes 1.. are the file. A decoded index must encode back to exactly
// the decoded bytes (the decoder accepts only canonical, self-consistent files), and every query
// runs on it so ASan sees any bad reference.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/index/index_file.h"
#include "aggregator/index/index_format.h"
#include "aggregator/store/binary_coding.h"
#include "shared/hash/xxh3.h"
#include "shared/labels/matcher.h"

namespace silt::index {
namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void ReplaceFixed64(std::string* bytes, size_t at, uint64_t value) {
  std::string field;
  store::PutFixed64(value, &field);
  bytes->replace(at, 8, field);
}

void RepairChecksums(std::string* bytes) {
  if (bytes->size() < kIndexFooterSize) return;
  const size_t footer = bytes->size() - kIndexFooterSize;
  size_t offset = 0;
  for (int s = 0; s < 4; ++s) {
    const uint64_t size = store::DecodeFixed(bytes->data() + footer + 16 * s, 8);
    if (size > footer - offset) return;
    ReplaceFixed64(bytes, footer + 16 * s + 8,
                   hash::Xxh3(std::string_view(*bytes).substr(offset, size)));
    offset += size;
  }
  ReplaceFixed64(bytes, footer + kIndexFooterChecksumOffset,
                 hash::Xxh3(std::string_view(*bytes).substr(footer, kIndexFooterChecksumOffset)));
}

uint64_t Exercise(const PartitionIndex& index) {
  uint64_t sum = 0;
  const int64_t from = index.min_ts();
  const int64_t through = index.max_ts() == INT64_MAX ? INT64_MAX : index.max_ts() + 1;
  const auto names = index.LabelNames(from, through);
  Check(names.ok());
  for (const std::string& name : *names) {
    const std::vector<labels::Matcher> matchers = {
        *labels::Matcher::Create(labels::MatchType::kRegexMatch, name, ".+")};
    auto selected = index.Select(matchers, from, through);
    Check(selected.ok());
    for (const SelectedStream& stream : *selected) {
      sum += stream.labels.size();
      for (const ChunkStreamRef& ref : stream.chunks) {
        sum += ref.chunk->file_name.size() + ref.stream_index + ref.blocks.size();
      }
    }
    auto values = index.LabelValues(name, from, through);
    Check(values.ok() && !values->empty());
    auto series = index.Series(matchers, from, through);
    Check(series.ok());
    sum += series->size();
  }
  for (const SkippedChunk& chunk : index.skipped_chunks()) sum += chunk.reason.size();
  return sum;
}

}  // namespace
}  // namespace silt::index

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace index = silt::index;
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) != 0) index::RepairChecksums(&bytes);
  auto decoded = index::DecodeIndexFile(bytes);
  if (!decoded.ok()) {
    index::Check(decoded.status().code() == silt::StatusCode::kCorruption);
    return 0;
  }
  index::Check(index::EncodeIndexFile(*decoded) == bytes);
  volatile uint64_t sink = index::Exercise(*decoded);
  (void)sink;
  return 0;
}
