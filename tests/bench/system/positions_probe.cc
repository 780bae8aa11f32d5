#include "tests/bench/system/positions_probe.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "agent/positions/positions_format.h"

namespace silt::bench {

PositionsProbe::PositionsProbe(std::string positions_file, std::string watched_path)
    : positions_file_(std::move(positions_file)), watched_path_(std::move(watched_path)) {}

Result<uint64_t> PositionsProbe::ConfirmedOffset() {
  std::ifstream in(positions_file_, std::ios::binary);
  if (!in) return uint64_t{0};
  std::ostringstream text;
  text << in.rdbuf();
  auto positions = agent::DecodePositions(text.str());
  if (!positions.ok()) {
    return Status::Corruption(positions_file_ + ": " + std::string(positions.status().message()));
  }
  uint64_t offset = 0;
  for (const agent::Position& position : *positions) {
    if (position.path == watched_path_) offset = std::max(offset, position.offset);
  }
  return offset;
}

}  // namespace silt::bench
