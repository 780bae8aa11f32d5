#include "aggregator/wal/segment_file.h"

#include <algorithm>
#include <optional>

#include "aggregator/wal/wal_format.h"

namespace silt::wal {

Result<std::vector<SegmentFile>> ListSegments(fs::FileSystem* fs, const std::string& dir) {
  Result<std::vector<std::string>> names = fs->ListDir(dir);
  if (!names.ok()) return names.status().WithContext("listing WAL directory " + dir);
  std::vector<SegmentFile> segments;
  for (const std::string& name : *names) {
    std::optional<uint64_t> first = ParseSegmentFileName(name);
    if (first) segments.push_back(SegmentFile{*first, fs::JoinPath(dir, name)});
  }
  std::sort(segments.begin(), segments.end(), [](const SegmentFile& a, const SegmentFile& b) {
    return a.first_sequence < b.first_sequence;
  });
  return segments;
}

}  // namespace silt::wal
