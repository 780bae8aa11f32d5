#include "agent/sink/durable_source_sink.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

// Records, for each batch, which sources the positions file held when it arrived.
class FileCheckingSink final : public BatchSink {
 public:
  FileCheckingSink(fs::FileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  void Deliver(Batch batch) override {
    std::vector<uint64_t> saved;
    Result<std::string> text = fs_->ReadFileToString(path_);
    for (const SourceChunk& chunk : batch.chunks) {
      const bool in_file = text.ok() && text->find(Hex(chunk.source_id)) != std::string::npos;
      if (!in_file) missing.push_back(chunk.source_id);
    }
    ++batches;
  }
  static std::string Hex(uint64_t id) {
    char text[17];
    std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(id));
    return text;
  }
  std::vector<uint64_t> missing;
  int batches = 0;

 private:
  fs::FileSystem* fs_;
  std::string path_;
};

class DurableSourceSinkTest : public ::testing::Test {
 protected:
  DurableSourceSinkTest()
      : store_(&fs_, dir_.Path("positions")),
        checker_(&fs_, dir_.Path("positions")),
        sink_(&store_, &checker_) {}

  void Start(uint64_t source) {
    Position position;
    position.source_id = source;
    position.path = "/l/a.log";
    store_.Put(position);
  }
  static Batch Of(std::vector<uint64_t> sources) {
    Batch batch;
    for (uint64_t source : sources) {
      SourceChunk chunk;
      chunk.source_id = source;
      batch.chunks.push_back(chunk);
    }
    return batch;
  }

  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  PositionsStore store_;
  FileCheckingSink checker_;
  DurableSourceSink sink_;
};

TEST_F(DurableSourceSinkTest, NewSourceIsSavedBeforeItsFirstBatch) {
  Start(0x11);
  sink_.Deliver(Of({0x11}));
  EXPECT_TRUE(checker_.missing.empty());
  EXPECT_EQ(sink_.saves(), 1u);
  EXPECT_FALSE(store_.dirty());
}

TEST_F(DurableSourceSinkTest, KnownSourcesCauseNoWrite) {
  Start(0x11);
  sink_.Deliver(Of({0x11}));
  store_.Confirm(0x11, 0, 10);  // the table changes, but the source is in the file already
  sink_.Deliver(Of({0x11}));
  sink_.Deliver(Of({0x11}));
  EXPECT_EQ(sink_.saves(), 1u);
  EXPECT_TRUE(store_.dirty());
  EXPECT_EQ(checker_.batches, 3);
}

TEST_F(DurableSourceSinkTest, SourcesSavedByAPeriodicFlushNeedNoWrite) {
  Start(0x11);
  Start(0x22);
  ASSERT_TRUE(store_.Flush().ok());
  sink_.Deliver(Of({0x11, 0x22}));
  EXPECT_EQ(sink_.saves(), 0u);
  EXPECT_TRUE(checker_.missing.empty());
}

TEST_F(DurableSourceSinkTest, SourceStartedLaterIsSavedToo) {
  Start(0x11);
  sink_.Deliver(Of({0x11}));
  Start(0x22);
  sink_.Deliver(Of({0x11, 0x22}));
  EXPECT_TRUE(checker_.missing.empty());
  EXPECT_EQ(sink_.saves(), 2u);
}

TEST_F(DurableSourceSinkTest, FailedSaveStillDeliversAndCounts) {
  PositionsStore bad(&fs_, dir_.Path("missing/positions"));
  DurableSourceSink sink(&bad, &checker_);
  Position position;
  position.source_id = 0x33;
  bad.Put(position);
  sink.Deliver(Of({0x33}));
  EXPECT_EQ(checker_.batches, 1);
  EXPECT_EQ(sink.save_errors(), 1u);
}

}  // namespace
}  // namespace silt::agent
