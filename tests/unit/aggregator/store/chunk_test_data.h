// Test data for chunk tests: random streams of entries (fixed seeds), a helper that writes them
// into an in-memory chunk, and one that reads a stream back across its blocks.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "shared/labels/label_set.h"
#include "tests/unit/aggregator/store/memory_file.h"

namespace silt::store::testing {

struct TestEntry {
  int64_t ts = 0;
  std::string line;
  std::vector<labels::Label> metadata;
  friend bool operator==(const TestEntry&, const TestEntry&) = default;
};

struct TestStream {
  labels::LabelSet labels;
  std::vector<TestEntry> entries;  // timestamps non-decreasing
};

inline constexpr int64_t kBaseTs = 1'700'000'000'000'000'000;

// `stream_count` streams of `entries_per_stream` entries with varied lines (some JSON, some
// logfmt), repeated timestamps and occasional metadata.
inline std::vector<TestStream> RandomStreams(uint64_t seed, int stream_count,
                                             int entries_per_stream) {
  static const char* const kWords[] = {"GET",     "POST",  "user", "disk", "full",  "error", "ok",
                                       "timeout", "cache", "miss", "db",   "shard", "retry"};
  std::mt19937_64 rng(seed);
  std::vector<TestStream> streams;
  for (int s = 0; s < stream_count; ++s) {
    TestStream stream;
    stream.labels = labels::LabelSet::Of(
        {{"app", "app" + std::to_string(s % 5)}, {"instance", "i-" + std::to_string(s)}});
    int64_t ts = kBaseTs + static_cast<int64_t>(rng() % 1000);
    for (int e = 0; e < entries_per_stream; ++e) {
      ts += static_cast<int64_t>(rng() % 3 == 0 ? 0 : rng() % 5'000'000);
      TestEntry entry;
      entry.ts = ts;
      int kind = static_cast<int>(rng() % 4);
      std::string words;
      for (int w = static_cast<int>(rng() % 12) + 1; w > 0; --w) {
        words += kWords[rng() % std::size(kWords)];
        words += rng() % 2 ? " " : "/";
      }
      if (kind == 0) {
        entry.line = "{\"level\":\"info\",\"msg\":\"" + words +
                     "\",\"n\":" + std::to_string(rng() % 1000) + "}";
      } else if (kind == 1) {
        entry.line = "level=warn n=" + std::to_string(rng() % 1000) + " msg=\"" + words + "\"";
      } else {
        entry.line = words + std::to_string(e);
      }
      if (rng() % 5 == 0) entry.metadata.push_back({"trace_id", std::to_string(rng())});
      stream.entries.push_back(std::move(entry));
    }
    streams.push_back(std::move(stream));
  }
  return streams;
}

inline std::vector<labels::LabelView> Views(const std::vector<labels::Label>& pairs) {
  std::vector<labels::LabelView> views;
  for (const labels::Label& pair : pairs) views.push_back({pair.name, pair.value});
  return views;
}

inline Status AppendStreams(ChunkWriter& writer, const std::vector<TestStream>& streams) {
  for (const TestStream& stream : streams) {
    SILT_RETURN_IF_ERROR(writer.BeginStream(stream.labels));
    for (const TestEntry& entry : stream.entries) {
      SILT_RETURN_IF_ERROR(writer.Append(entry.ts, entry.line, Views(entry.metadata)));
    }
    SILT_RETURN_IF_ERROR(writer.EndStream());
  }
  return Status::Ok();
}

// The bytes of a chunk holding `streams`.
inline std::string WriteChunk(const std::vector<TestStream>& streams,
                              const ChunkWriterOptions& options, uint64_t wal_seq_hi = 0) {
  MemoryWritableFile file;
  auto writer = ChunkWriter::Create(&file, options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  if (!writer.ok()) return "";
  Status status = AppendStreams(**writer, streams);
  if (status.ok()) status = (*writer)->Finish(wal_seq_hi);
  EXPECT_TRUE(status.ok()) << status;
  return file.contents();
}

// Every entry of stream `stream_index`, block by block, in `direction`.
inline Result<std::vector<TestEntry>> ReadStream(const ChunkReader& reader, size_t stream_index,
                                                 Direction direction) {
  std::vector<TestEntry> entries;
  size_t blocks = reader.streams()[stream_index].blocks.size();
  for (size_t b = 0; b < blocks; ++b) {
    size_t block_index = direction == Direction::kForward ? b : blocks - 1 - b;
    SILT_ASSIGN_OR_RETURN(auto block, reader.ReadBlock(stream_index, block_index));
    for (ChunkBlockIterator it(block, direction); it.Valid(); it.Next()) {
      TestEntry entry{it.timestamp(), std::string(it.line()), {}};
      std::vector<labels::LabelView> metadata;
      it.AppendMetadata(&metadata);
      for (const labels::LabelView& pair : metadata) {
        entry.metadata.push_back({std::string(pair.name), std::string(pair.value)});
      }
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

}  // namespace silt::store::testing
