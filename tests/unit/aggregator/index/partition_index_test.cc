#include "aggregator/index/partition_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "aggregator/store/binary_coding.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/index/index_test_util.h"

namespace silt::index {
namespace {

using labels::LabelSet;
using labels::Matcher;
using testing::AddChunk;
using testing::ChunkOptions;
using ::testing::ElementsAre;
using testing::Eq;
using ::testing::HasSubstr;
using testing::kHour;
using testing::kStart;
using testing::Open;
using testing::Re;
using testing::StreamSpec;
using testing::Times;
using testing::WriteChunk;

constexpr int64_t kSecond = 1'000'000'000;

const LabelSet kApi = LabelSet::Of({{"app", "api"}, {"env", "prod"}});
const LabelSet kWeb = LabelSet::Of({{"app", "web"}, {"env", "dev"}});
const LabelSet kDb = LabelSet::Of({{"app", "db"}, {"team", "core"}});

class PartitionIndexTest : public ::testing::Test {
 protected:
  // chunk-1: api (40 entries 1s apart from kStart, ~4 blocks), web (3 entries at +100s).
  // chunk-2: api (10 entries from +1000s), db (5 entries from +2000s).
  void SetUp() override {
    ASSERT_TRUE(WriteChunk(
        &fs_, dir_.path(), "chunk-1.silt",
        {{kApi, Times(kStart, 40, kSecond)}, {kWeb, Times(kStart + 100 * kSecond, 3, kSecond)}}));
    ASSERT_TRUE(WriteChunk(&fs_, dir_.path(), "chunk-2.silt",
                           {{kApi, Times(kStart + 1000 * kSecond, 10, kSecond)},
                            {kDb, Times(kStart + 2000 * kSecond, 5, kSecond)}},
                           2));
    AddChunk(&fs_, dir_.path(), "chunk-1.silt", &index_);
    AddChunk(&fs_, dir_.path(), "chunk-2.silt", &index_);
  }

  std::vector<LabelSet> SeriesOf(std::vector<Matcher> matchers, int64_t from, int64_t through) {
    auto series = index_.Series(matchers, from, through);
    EXPECT_TRUE(series.ok()) << series.status();
    return series.ok() ? *series : std::vector<LabelSet>();
  }

  fs::PosixFileSystem fs_;
  silt::testing::TempDir dir_;
  PartitionIndex index_;
};

TEST_F(PartitionIndexTest, DescribesChunksFromTheirFooters) {
  auto chunks = index_.chunks();
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0]->file_name, "chunk-1.silt");
  EXPECT_EQ(chunks[0]->file_size, *fs_.GetFileSize(dir_.Path("chunk-1.silt")));
  EXPECT_EQ(chunks[0]->wal_seq_hi, 1u);
  EXPECT_EQ(chunks[1]->wal_seq_hi, 2u);
  EXPECT_EQ(chunks[0]->entry_count, 43u);
  EXPECT_EQ(chunks[0]->stream_count, 2u);
  EXPECT_EQ(chunks[0]->min_ts, kStart);
  EXPECT_EQ(chunks[0]->max_ts, kStart + 102 * kSecond);
  std::string footer = *fs_.ReadFileToString(dir_.Path("chunk-1.silt"));
  EXPECT_EQ(chunks[0]->footer_checksum,
            store::DecodeFixed(footer.data() + footer.size() - 96 + 84, 8));
  EXPECT_EQ(index_.tenant(), "fake");
  EXPECT_EQ(index_.partition_start(), kStart);
  EXPECT_EQ(index_.partition_end(), kStart + kHour);
  EXPECT_EQ(index_.min_ts(), kStart);
  EXPECT_EQ(index_.max_ts(), kStart + 2004 * kSecond);
  EXPECT_EQ(index_.stream_count(), 3u);
}

TEST_F(PartitionIndexTest, BlockRefsMatchTheChunkDirectory) {
  testing::OpenChunk chunk = Open(&fs_, dir_.Path("chunk-1.silt"));
  const std::vector<ChunkStreamRef>* refs = index_.FindStream(kApi.Fingerprint());
  ASSERT_NE(refs, nullptr);
  ASSERT_EQ(refs->size(), 2u);
  const ChunkStreamRef& ref = refs->front();
  EXPECT_EQ(ref.chunk->file_name, "chunk-1.silt");
  const store::StreamInfo& info = chunk.reader->streams()[ref.stream_index];
  EXPECT_EQ(info.labels, kApi);
  ASSERT_EQ(ref.blocks.size(), info.blocks.size());
  ASSERT_GT(ref.blocks.size(), 2u);  // the test needs several blocks
  for (size_t i = 0; i < ref.blocks.size(); ++i) {
    EXPECT_EQ(ref.blocks[i].block_index, i);
    EXPECT_EQ(ref.blocks[i].min_ts, info.blocks[i].min_ts);
    EXPECT_EQ(ref.blocks[i].max_ts, info.blocks[i].max_ts);
    EXPECT_EQ(ref.blocks[i].entry_count, info.blocks[i].entry_count);
    EXPECT_EQ(ref.blocks[i].compressed_size, info.blocks[i].compressed_size);
    EXPECT_EQ(ref.blocks[i].uncompressed_size, info.blocks[i].uncompressed_size);
  }
  EXPECT_EQ(refs->back().chunk->file_name, "chunk-2.silt");
}

TEST_F(PartitionIndexTest, SelectReturnsOnlyBlocksOverlappingTheRange) {
  const std::vector<ChunkStreamRef>& all = *index_.FindStream(kApi.Fingerprint());
  const std::vector<BlockRef>& blocks = all.front().blocks;
  // From the middle of block 1 to the start of block 2 (exclusive): only block 1.
  const int64_t from = blocks[1].min_ts + 1;
  const int64_t through = blocks[2].min_ts;
  const std::vector<Matcher> matchers = {Eq("app", "api")};
  auto selected = index_.Select(matchers, from, through);
  ASSERT_TRUE(selected.ok()) << selected.status();
  ASSERT_EQ(selected->size(), 1u);
  EXPECT_EQ((*selected)[0].labels, kApi);
  EXPECT_EQ((*selected)[0].fingerprint, kApi.Fingerprint());
  ASSERT_EQ((*selected)[0].chunks.size(), 1u);
  EXPECT_THAT((*selected)[0].chunks[0].blocks, ElementsAre(blocks[1]));

  // Through one past block 2's first entry: blocks 1 and 2.
  selected = index_.Select(matchers, from, through + 1);
  ASSERT_TRUE(selected.ok());
  EXPECT_THAT((*selected)[0].chunks[0].blocks, ElementsAre(blocks[1], blocks[2]));
}

TEST_F(PartitionIndexTest, SelectAcrossChunksKeepsChunkOrder) {
  const std::vector<Matcher> matchers = {Re("app", "api|db")};
  auto selected = index_.Select(matchers, kStart, kStart + kHour);
  ASSERT_TRUE(selected.ok());
  ASSERT_EQ(selected->size(), 2u);
  EXPECT_LT((*selected)[0].fingerprint, (*selected)[1].fingerprint);
  for (const SelectedStream& stream : *selected) {
    if (stream.labels != kApi) continue;
    ASSERT_EQ(stream.chunks.size(), 2u);
    EXPECT_EQ(stream.chunks[0].chunk->file_name, "chunk-1.silt");
    EXPECT_EQ(stream.chunks[1].chunk->file_name, "chunk-2.silt");
  }
}

TEST_F(PartitionIndexTest, ThroughIsExclusiveAndFromInclusive) {
  const int64_t db_first = kStart + 2000 * kSecond;
  const int64_t db_last = db_first + 4 * kSecond;
  const std::vector<Matcher> matchers = {Eq("app", "db")};
  EXPECT_TRUE(index_.Select(matchers, kStart, db_first)->empty());
  EXPECT_EQ(index_.Select(matchers, kStart, db_first + 1)->size(), 1u);
  EXPECT_EQ(index_.Select(matchers, db_last, db_last + 1)->size(), 1u);
  EXPECT_TRUE(index_.Select(matchers, db_last + 1, kStart + kHour)->empty());
  EXPECT_TRUE(index_.Select(matchers, db_last, db_last)->empty());
}

TEST_F(PartitionIndexTest, StreamsWithoutDataInRangeAreNotSelected) {
  // Between web's entries (+100s..+102s) and api's second chunk (+1000s): only api's first chunk
  // ends at +39s, so nothing at all has data in [+200s, +900s).
  const std::vector<Matcher> matchers = {Re("app", ".+")};
  EXPECT_TRUE(index_.Select(matchers, kStart + 200 * kSecond, kStart + 900 * kSecond)->empty());
  auto selected = index_.Select(matchers, kStart + 50 * kSecond, kStart + 1001 * kSecond);
  ASSERT_TRUE(selected.ok());
  std::vector<LabelSet> labels;
  for (const SelectedStream& s : *selected) labels.push_back(s.labels);
  EXPECT_THAT(labels, ::testing::UnorderedElementsAre(kApi, kWeb));
}

TEST_F(PartitionIndexTest, EmptyRangeHasNoData) {
  const int64_t inside_api_block = kStart + 5 * kSecond;
  const std::vector<Matcher> matchers = {Eq("app", "api")};
  EXPECT_TRUE(index_.Select(matchers, inside_api_block, inside_api_block)->empty());
  EXPECT_FALSE(index_.HasDataIn(kApi.Fingerprint(), inside_api_block, inside_api_block));
  EXPECT_TRUE(index_.LabelValues("app", inside_api_block, inside_api_block)->empty());
  EXPECT_TRUE(index_.LabelNames(inside_api_block, inside_api_block - 1)->empty());
  EXPECT_TRUE(index_.Series({}, inside_api_block, inside_api_block)->empty());
}

TEST_F(PartitionIndexTest, InvalidSelectorIsRejected) {
  const std::vector<Matcher> matchers = {Re("app", ".*")};
  EXPECT_EQ(index_.Select(matchers, kStart, kStart + kHour).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(index_.Series(matchers, kStart, kStart + kHour).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(PartitionIndexTest, LabelNamesFollowTimeRangeAndMatchers) {
  EXPECT_THAT(*index_.LabelNames(kStart, kStart + kHour), ElementsAre("app", "env", "team"));
  EXPECT_THAT(*index_.LabelNames(kStart, kStart + 1000 * kSecond), ElementsAre("app", "env"));
  EXPECT_THAT(*index_.LabelNames(kStart + 1500 * kSecond, kStart + kHour),
              ElementsAre("app", "team"));
  const std::vector<Matcher> matchers = {Eq("env", "dev")};
  EXPECT_THAT(*index_.LabelNames(kStart, kStart + kHour, matchers), ElementsAre("app", "env"));
  EXPECT_TRUE(index_.LabelNames(0, kStart)->empty());
}

TEST_F(PartitionIndexTest, LabelValuesFollowTimeRangeAndMatchers) {
  EXPECT_THAT(*index_.LabelValues("app", kStart, kStart + kHour), ElementsAre("api", "db", "web"));
  EXPECT_THAT(*index_.LabelValues("app", kStart + 500 * kSecond, kStart + kHour),
              ElementsAre("api", "db"));
  const std::vector<Matcher> matchers = {Re("env", ".+")};
  EXPECT_THAT(*index_.LabelValues("app", kStart, kStart + kHour, matchers),
              ElementsAre("api", "web"));
  EXPECT_TRUE(index_.LabelValues("nosuch", kStart, kStart + kHour)->empty());
}

TEST_F(PartitionIndexTest, SeriesAreSortedLabelSets) {
  EXPECT_THAT(SeriesOf({}, kStart, kStart + kHour), ElementsAre(kApi, kDb, kWeb));
  EXPECT_THAT(SeriesOf({Eq("env", "prod")}, kStart, kStart + kHour), ElementsAre(kApi));
  EXPECT_THAT(SeriesOf({}, kStart + 101 * kSecond, kStart + 1001 * kSecond),
              ElementsAre(kApi, kWeb));
}

TEST_F(PartitionIndexTest, RemoveChunkDropsStreamsThatHadDataOnlyThere) {
  ASSERT_TRUE(index_.RemoveChunk("chunk-2.silt").ok());
  EXPECT_EQ(index_.stream_count(), 2u);
  EXPECT_EQ(index_.FindStream(kDb.Fingerprint()), nullptr);
  ASSERT_NE(index_.FindStream(kApi.Fingerprint()), nullptr);
  EXPECT_EQ(index_.FindStream(kApi.Fingerprint())->size(), 1u);
  EXPECT_THAT(*index_.LabelNames(kStart, kStart + kHour), ElementsAre("app", "env"));
  EXPECT_EQ(index_.max_ts(), kStart + 102 * kSecond);
  EXPECT_EQ(index_.RemoveChunk("chunk-2.silt").code(), StatusCode::kNotFound);
}

TEST_F(PartitionIndexTest, RemovingEveryChunkForgetsTenant) {
  ASSERT_TRUE(index_.RemoveChunk("chunk-1.silt").ok());
  ASSERT_TRUE(index_.RemoveChunk("chunk-2.silt").ok());
  EXPECT_TRUE(index_ == PartitionIndex());
  EXPECT_EQ(index_.tenant(), "");
}

TEST_F(PartitionIndexTest, RemoveThenAddAgainEqualsTheOriginal) {
  const PartitionIndex original = index_;
  ASSERT_TRUE(index_.RemoveChunk("chunk-1.silt").ok());
  EXPECT_FALSE(index_ == original);
  AddChunk(&fs_, dir_.path(), "chunk-1.silt", &index_);
  EXPECT_TRUE(index_ == original);
}

TEST_F(PartitionIndexTest, AddOrderDoesNotMatter) {
  PartitionIndex reversed;
  AddChunk(&fs_, dir_.path(), "chunk-2.silt", &reversed);
  AddChunk(&fs_, dir_.path(), "chunk-1.silt", &reversed);
  EXPECT_TRUE(reversed == index_);
}

TEST_F(PartitionIndexTest, CopiesAreIndependent) {
  PartitionIndex copy = index_;
  ASSERT_TRUE(copy.RemoveChunk("chunk-1.silt").ok());
  EXPECT_EQ(index_.chunks().size(), 2u);
  EXPECT_EQ(index_.stream_count(), 3u);
}

TEST_F(PartitionIndexTest, ResultsOutliveTheIndex) {
  std::vector<SelectedStream> selected;
  {
    PartitionIndex copy = index_;
    const std::vector<Matcher> matchers = {Eq("app", "web")};
    selected = *copy.Select(matchers, kStart, kStart + kHour);
  }
  ASSERT_EQ(selected.size(), 1u);
  EXPECT_EQ(selected[0].chunks[0].chunk->file_name, "chunk-1.silt");
  EXPECT_EQ(selected[0].labels, kWeb);
}

TEST_F(PartitionIndexTest, SameChunkNameTwiceIsRejected) {
  testing::OpenChunk chunk = Open(&fs_, dir_.Path("chunk-1.silt"));
  Status status = index_.AddChunk("chunk-1.silt", *chunk.reader);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("already in the index"));
  EXPECT_EQ(index_.AddSkippedChunk({"chunk-2.silt", 1, "x"}).code(), StatusCode::kInvalidArgument);
}

TEST_F(PartitionIndexTest, InvalidChunkNameIsRejected) {
  testing::OpenChunk chunk = Open(&fs_, dir_.Path("chunk-1.silt"));
  for (const char* name : {"", ".", "..", "a/b"}) {
    EXPECT_EQ(index_.AddChunk(name, *chunk.reader).code(), StatusCode::kInvalidArgument) << name;
  }
  EXPECT_EQ(index_.AddChunk(std::string(256, 'c'), *chunk.reader).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(PartitionIndexTest, ChunkOfAnotherTenantOrPartitionIsRejectedAndChangesNothing) {
  ASSERT_TRUE(
      WriteChunk(&fs_, dir_.path(), "chunk-3.silt", {{kDb, {kStart}}}, 3, ChunkOptions("other")));
  ASSERT_TRUE(WriteChunk(&fs_, dir_.path(), "chunk-4.silt", {{kDb, {kStart + kHour}}}, 4,
                         ChunkOptions("fake", kStart + kHour)));
  const PartitionIndex before = index_;
  for (const char* name : {"chunk-3.silt", "chunk-4.silt"}) {
    testing::OpenChunk chunk = Open(&fs_, dir_.Path(name));
    Status status = index_.AddChunk(name, *chunk.reader);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(status.message(), HasSubstr("wrong directory"));
  }
  EXPECT_TRUE(index_ == before);
}

TEST_F(PartitionIndexTest, SkippedChunksAreRememberedAndRemovable) {
  ASSERT_TRUE(index_.AddSkippedChunk({"chunk-9.silt", 123, std::string(5000, 'r')}).ok());
  auto skipped = index_.skipped_chunks();
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].file_name, "chunk-9.silt");
  EXPECT_EQ(skipped[0].reason.size(), 1024u);  // clipped
  ASSERT_TRUE(index_.RemoveChunk("chunk-9.silt").ok());
  EXPECT_TRUE(index_.skipped_chunks().empty());
}

TEST(PartitionIndexEmptyTest, EmptyIndexAnswersNothing) {
  PartitionIndex index;
  const std::vector<Matcher> matchers = {Eq("app", "api")};
  EXPECT_TRUE(index.Select(matchers, 0, 1)->empty());
  EXPECT_TRUE(index.LabelNames(0, 1)->empty());
  EXPECT_TRUE(index.Series({}, 0, 1)->empty());
  EXPECT_EQ(index.stream_count(), 0u);
  EXPECT_GT(index.min_ts(), index.max_ts());
}

// Random streams over random chunks: Select must return exactly the blocks a scan of every
// chunk's directory finds overlapping the range.
TEST(PartitionIndexModelTest, SelectAgreesWithScanningEveryDirectory) {
  fs::PosixFileSystem fs;
  silt::testing::TempDir dir;
  std::mt19937_64 rng(5);
  std::vector<LabelSet> labels;
  for (int i = 0; i < 12; ++i) {
    labels.push_back(LabelSet::Of(
        {{"app", "app" + std::to_string(i % 3)}, {"pod", "pod-" + std::to_string(i)}}));
  }
  PartitionIndex index;
  std::vector<testing::OpenChunk> chunks;
  for (int c = 0; c < 4; ++c) {
    std::vector<StreamSpec> streams;
    for (const LabelSet& l : labels) {
      if (rng() % 3 == 0) continue;
      // One rng() call per statement, so every compiler generates the same data.
      const int64_t first = kStart + static_cast<int64_t>(rng() % 3000) * kSecond;
      const int count = 1 + static_cast<int>(rng() % 30);
      const int64_t step = static_cast<int64_t>(1 + rng() % 20) * kSecond;
      streams.push_back({l, Times(first, count, step)});
    }
    const std::string name = "chunk-" + std::to_string(c) + ".silt";
    ASSERT_TRUE(WriteChunk(&fs, dir.path(), name, streams, c + 1));
    AddChunk(&fs, dir.path(), name, &index);
    chunks.push_back(Open(&fs, dir.Path(name)));
  }
  for (int q = 0; q < 200; ++q) {
    const int64_t from = kStart + static_cast<int64_t>(rng() % 3600) * kSecond;
    const int64_t through = from + static_cast<int64_t>(rng() % 600) * kSecond;
    const std::vector<Matcher> matchers = {Re("app", rng() % 2 ? "app0|app2" : "app1")};
    // Expected: (fingerprint, chunk, block) triples.
    std::vector<std::tuple<uint64_t, int, uint32_t>> expected, actual;
    for (int c = 0; c < 4; ++c) {
      for (const store::StreamInfo& s : chunks[c].reader->streams()) {
        if (!labels::MatchesAll(matchers, s.labels)) continue;
        for (uint32_t b = 0; b < s.blocks.size(); ++b) {
          if (from < through && s.blocks[b].min_ts < through && s.blocks[b].max_ts >= from) {
            expected.emplace_back(s.fingerprint, c, b);
          }
        }
      }
    }
    auto selected = index.Select(matchers, from, through);
    ASSERT_TRUE(selected.ok());
    for (const SelectedStream& s : *selected) {
      for (const ChunkStreamRef& ref : s.chunks) {
        const int c = ref.chunk->file_name[6] - '0';
        EXPECT_EQ(chunks[c].reader->streams()[ref.stream_index].fingerprint, s.fingerprint);
        for (const BlockRef& b : ref.blocks) actual.emplace_back(s.fingerprint, c, b.block_index);
      }
    }
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    EXPECT_EQ(actual, expected) << "query " << q;
  }
}

}  // namespace
}  // namespace silt::index
