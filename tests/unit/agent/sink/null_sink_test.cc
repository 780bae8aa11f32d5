#include "agent/sink/null_sink.h"

#include <gtest/gtest.h>

#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

TEST(NullSinkTest, ConfirmsEverythingAndCounts) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem fs;
  PositionsStore store(&fs, dir.Path("positions"));
  Position position;
  position.source_id = 7;
  store.Put(position);
  NullSink sink(&store);
  Batch batch;
  SourceChunk chunk;
  chunk.source_id = 7;
  chunk.end_offset = 42;
  chunk.lines.resize(3);
  batch.chunks.push_back(chunk);
  batch.lines = 3;
  batch.bytes = 39;
  sink.Deliver(batch);
  EXPECT_EQ(store.Find(7)->offset, 42u);
  EXPECT_EQ(sink.stats().entries, 3u);
  EXPECT_EQ(sink.stats().bytes, 39u);
  EXPECT_EQ(sink.stats().batches, 1u);
}

TEST(NullSinkTest, WorksWithoutAPositionsStore) {
  NullSink sink(nullptr);
  Batch batch;
  batch.chunks.emplace_back();
  batch.lines = 1;
  sink.Deliver(batch);
  EXPECT_EQ(sink.stats().entries, 1u);
}

}  // namespace
}  // namespace silt::agent
