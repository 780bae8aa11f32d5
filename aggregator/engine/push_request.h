// PushRequest: what the ingest paths (agent batches, Loki push, syslog) hand to the storage engine
// for one tenant: streams of entries and, for agent batches, the byte ranges of the agent's
// sources they cover, from which the engine keeps per-source high-water marks so a redelivered
// batch is never stored twice. Plain data made of views: whoever builds a request keeps the bytes
// alive until StorageEngine::Push returns.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/labels/label_set.h"

namespace silt::engine {

inline constexpr uint32_t kNoSource = std::numeric_limits<uint32_t>::max();

struct PushEntry {
  int64_t timestamp = 0;  // ns since the Unix epoch
  std::string_view line;
  std::span<const labels::LabelView> metadata;  // structured metadata, any order
  // For agent batches: the index into PushRequest::sources of the file this line came from and
  // the file offset just past the line. kNoSource for other clients.
  uint32_t source = kNoSource;
  uint64_t end_offset = 0;
};

struct PushStream {
  labels::LabelSet labels;  // validated by the caller (shared/labels/validation.h)
  std::vector<PushEntry> entries;
};

// The bytes [start, end) of one incarnation of a file on an agent (DESIGN.md "source id").
struct SourceRange {
  uint64_t source_id = 0;
  uint64_t start = 0;
  uint64_t end = 0;
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

struct PushRequest {
  std::string tenant;
  // The agent that sent the batch; empty for clients without sources (Loki push, syslog).
  std::string agent_id;
  std::vector<PushStream> streams;
  std::vector<SourceRange> sources;

  size_t EntryCount() const {
    size_t n = 0;
    for (const PushStream& stream : streams) n += stream.entries.size();
    return n;
  }
};

}  // namespace silt::engine
