// Helpers for index tests: writing real chunk files (store::WriteChunkFile) into a partition
// directory, opening them, and building a PartitionIndex from them. Not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aggregator/index/partition_index.h"
#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "shared/fs/file_system.h"
#include "shared/labels/label_set.h"
#include "shared/labels/matcher.h"

namespace silt::index::testing {

inline constexpr int64_t kHour = 3'600'000'000'000;
inline constexpr int64_t kStart = 1'700'002'800'000'000'000;  // a whole hour

// A stream to write: entries at the given timestamps (non-decreasing), each line `line_bytes`
// long, so a 4 KiB block holds about 4096 / line_bytes entries.
struct StreamSpec {
  labels::LabelSet labels;
  std::vector<int64_t> timestamps;
  size_t line_bytes = 400;
};

inline store::ChunkWriterOptions ChunkOptions(std::string tenant = "fake",
                                              int64_t partition_start = kStart) {
  store::ChunkWriterOptions options;
  options.tenant = std::move(tenant);
  options.partition_start = partition_start;
  options.partition_end = partition_start + kHour;
  options.target_block_size = 4096;
  return options;
}

// Writes `dir`/`name` holding `streams`. Fails the test (and returns false) on error.
inline bool WriteChunk(fs::FileSystem* fs, const std::string& dir, const std::string& name,
                       const std::vector<StreamSpec>& streams, uint64_t wal_seq_hi = 1,
                       const store::ChunkWriterOptions& options = ChunkOptions()) {
  auto stats = store::WriteChunkFile(
      fs, dir, name, options, wal_seq_hi, [&](store::ChunkWriter& writer) -> Status {
        for (const StreamSpec& stream : streams) {
          SILT_RETURN_IF_ERROR(writer.BeginStream(stream.labels));
          for (size_t i = 0; i < stream.timestamps.size(); ++i) {
            std::string line = "line " + std::to_string(i) + " of " + stream.labels.ToString();
            line.resize(stream.line_bytes, 'x');
            SILT_RETURN_IF_ERROR(writer.Append(stream.timestamps[i], line));
          }
          SILT_RETURN_IF_ERROR(writer.EndStream());
        }
        return Status::Ok();
      });
  EXPECT_TRUE(stats.ok()) << stats.status();
  return stats.ok();
}

// An open chunk file: the file and its reader.
struct OpenChunk {
  std::unique_ptr<fs::RandomAccessFile> file;
  std::unique_ptr<store::ChunkReader> reader;
};

inline OpenChunk Open(fs::FileSystem* fs, const std::string& path) {
  OpenChunk chunk;
  auto file = fs->NewRandomAccessFile(path);
  EXPECT_TRUE(file.ok()) << file.status();
  if (!file.ok()) return chunk;
  chunk.file = *std::move(file);
  auto reader = store::ChunkReader::Open(chunk.file.get());
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (reader.ok()) chunk.reader = *std::move(reader);
  return chunk;
}

// Adds `dir`/`name` to `index`, failing the test on error.
inline void AddChunk(fs::FileSystem* fs, const std::string& dir, const std::string& name,
                     PartitionIndex* index) {
  OpenChunk chunk = Open(fs, fs::JoinPath(dir, name));
  ASSERT_NE(chunk.reader, nullptr);
  Status status = index->AddChunk(name, *chunk.reader);
  ASSERT_TRUE(status.ok()) << status;
}

// `count` timestamps from `first`, `step` apart.
inline std::vector<int64_t> Times(int64_t first, int count, int64_t step) {
  std::vector<int64_t> times;
  for (int i = 0; i < count; ++i) times.push_back(first + i * step);
  return times;
}

inline labels::Matcher M(std::string name, labels::MatchType type, std::string value) {
  auto matcher = labels::Matcher::Create(type, std::move(name), std::move(value));
  EXPECT_TRUE(matcher.ok()) << matcher.status();
  return *std::move(matcher);
}
inline labels::Matcher Eq(std::string name, std::string value) {
  return M(std::move(name), labels::MatchType::kEqual, std::move(value));
}
inline labels::Matcher Re(std::string name, std::string value) {
  return M(std::move(name), labels::MatchType::kRegexMatch, std::move(value));
}

}  // namespace silt::index::testing
