// The positions file format, version 1: constants, encoder and decoder. The format is documented
// in agent/positions/README.md ("File format"); change both together.
//
// A text file, so an operator can read it:
//
//   silt-positions 1
//   # source_id device inode fingerprint fingerprint_bytes offset last_seen_ns mtime_ns path
//   <16 hex> <dec> <dec> <16 hex> <dec> <dec> <dec> <dec> <path, %XX-escaped>
//   ...
//   end <entry count> <16 hex: XXH3-64 of every byte before this line>
//
// Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/positions/position.h"
#include "shared/status/result.h"

namespace silt::agent {

inline constexpr std::string_view kPositionsMagic = "silt-positions";
inline constexpr int kPositionsVersion = 1;
inline constexpr std::string_view kPositionsColumns =
    "# source_id device inode fingerprint fingerprint_bytes offset last_seen_ns mtime_ns path";

// The file content for `positions` (written in the given order; callers sort by source id).
std::string EncodePositions(const std::vector<Position>& positions);

// Parses a positions file. Corruption naming the line ("line 3: bad offset \"x1\"") when the
// magic, version, a field, the entry count or the checksum is wrong, when a source id repeats,
// or when the file is cut short.
Result<std::vector<Position>> DecodePositions(std::string_view data);

// Path escaping used by the format: bytes outside '!'..'~' and '%' become %XX (upper-case hex).
std::string EscapePath(std::string_view path);
// The inverse of EscapePath; false when `text` holds a bad %-escape.
bool UnescapePath(std::string_view text, std::string* path);

}  // namespace silt::agent
