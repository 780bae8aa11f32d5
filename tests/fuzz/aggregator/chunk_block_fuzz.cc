// Fuzz target for ChunkBlock::Parse (aggregator/store/chunk_block.h), both block layouts, and the
// block-wide line search over what it parses. Input layout: byte 0 bit 0 picks the chunk format
// version (0: version 1, interleaved; 1: version 2, lines then headers then their size), bytes
// 1-2 the entry count and bytes 3-4 the block's max_ts (u16 little-endian; min_ts is 0), bytes
// 5.. the decompressed block. A block that parses must keep every promise of the accessors:
// entry_count entries in timestamp order inside [min_ts, max_ts], every line inside the line
// bytes (back to back in version 2), metadata that reads back to its count and byte sum, and a
// line search that agrees with a line-by-line one.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/store/block_line_search.h"
#include "aggregator/store/chunk_block.h"

namespace silt::store {
namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void Exercise(const ChunkBlock& block, uint8_t version, const BlockInfo& info) {
  Check(block.size() == info.entry_count);
  Check(ChunkBlock::LineBytes(block.data(), version) == block.line_bytes());
  const char* const lines = block.line_bytes().data();
  const char* const lines_end = lines + block.line_bytes().size();
  const char* next_line = lines;
  std::vector<labels::LabelView> metadata;
  for (size_t i = 0; i < block.size(); ++i) {
    Check(block.timestamp(i) >= info.min_ts && block.timestamp(i) <= info.max_ts);
    Check(i == 0 || block.timestamp(i) >= block.timestamp(i - 1));
    const std::string_view line = block.line(i);
    Check(line.size() == block.line_size(i));
    Check(line.data() >= lines && line.data() + line.size() <= lines_end);
    if (version >= 2) {
      Check(line.data() == next_line);
      next_line = line.data() + line.size();
    }
    metadata.clear();
    block.AppendMetadata(i, &metadata);
    Check(metadata.size() == block.metadata_count(i));
    size_t bytes = 0;
    for (const labels::LabelView& pair : metadata) bytes += pair.name.size() + pair.value.size();
    Check(bytes == block.MetadataBytes(i));
  }
  if (version >= 2) Check(next_line == lines_end);
  if (block.size() > 0) {
    Check(block.LowerBound(info.min_ts) == 0);
    Check(block.UpperBound(info.max_ts) == block.size());
  }
  // Literals taken from the block itself, so hits exist: within a line, across lines, in headers.
  const std::string_view data = block.data();
  for (size_t at : {size_t{0}, data.size() / 3, data.size() / 2}) {
    for (size_t length : {size_t{1}, size_t{2}, size_t{4}}) {
      if (at + length > data.size()) continue;
      const std::string literal(data.substr(at, length));
      std::vector<uint8_t> keep;
      const std::vector<std::vector<std::string>> groups = {{literal}};
      SelectLinesContaining(block, groups, &keep);
      Check(keep.size() == block.size());
      for (size_t i = 0; i < block.size(); ++i) {
        Check((keep[i] != 0) == (block.line(i).find(literal) != std::string_view::npos));
      }
    }
  }
}

}  // namespace
}  // namespace silt::store

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace store = silt::store;
  if (size < 5) return 0;
  const uint8_t version = (data[0] & 1) != 0 ? 2 : 1;
  store::BlockInfo info;
  info.entry_count = static_cast<uint32_t>(data[1] | (data[2] << 8));
  info.min_ts = 0;
  info.max_ts = static_cast<int64_t>(data[3] | (data[4] << 8));
  std::string bytes(reinterpret_cast<const char*>(data) + 5, size - 5);
  info.uncompressed_size = static_cast<uint32_t>(bytes.size());
  auto block = store::ChunkBlock::Parse(bytes, info, version);
  if (!block.ok()) {
    store::Check(block.status().code() == silt::StatusCode::kCorruption);
    return 0;
  }
  store::Exercise(**block, version, info);
  return 0;
}
