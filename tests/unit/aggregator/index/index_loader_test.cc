#include "aggregator/index/index_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aggregator/index/index_file.h"
#include "aggregator/index/index_format.h"
#include "aggregator/store/binary_coding.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "shared/hash/xxh3.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/index/index_test_util.h"

namespace silt::index {
namespace {

using labels::LabelSet;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kHour;
using testing::kStart;
using testing::StreamSpec;
using testing::Times;
using testing::WriteChunk;

constexpr int64_t kSecond = 1'000'000'000;

LabelSet Stream(int i) {
  return LabelSet::Of(
      {{"app", "app" + std::to_string(i % 3)}, {"pod", "pod-" + std::to_string(i)}});
}

// Everything a query can ask, as text, to compare the answers of two indexes.
std::string Answers(const PartitionIndex& index) {
  std::string text;
  const std::vector<labels::Matcher> matchers = {testing::Re("app", "app0|app2")};
  for (int64_t from : {kStart, kStart + 300 * kSecond}) {
    const auto selected = index.Select(matchers, from, kStart + kHour);
    for (const SelectedStream& s : *selected) {
      text += s.labels.ToString();
      for (const ChunkStreamRef& ref : s.chunks) {
        text += " " + ref.chunk->file_name + ":" + std::to_string(ref.stream_index) + "/" +
                std::to_string(ref.blocks.size());
      }
      text += "\n";
    }
  }
  const auto names = index.LabelNames(kStart, kStart + kHour);
  for (const std::string& name : *names) text += name + ",";
  const auto values = index.LabelValues("pod", kStart, kStart + kHour);
  for (const std::string& value : *values) text += value + ",";
  return text;
}

class IndexLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.Path("20231114");
    ASSERT_TRUE(fs_.CreateDir(dir_).ok());
    for (int c = 1; c <= 3; ++c) WriteTestChunk(c);
    for (int c = 1; c <= 3; ++c) testing::AddChunk(&fs_, dir_, Name(c), &expected_);
    ASSERT_FALSE(Answers(expected_).empty());
  }

  static std::string Name(int c) { return "chunk-" + std::to_string(c) + ".silt"; }

  // Chunk c holds streams c-1 .. c+4, starting c * 100s into the partition.
  void WriteTestChunk(int c, uint64_t wal_seq_hi = 0) {
    std::vector<StreamSpec> streams;
    for (int i = c - 1; i < c + 5; ++i) {
      streams.push_back({Stream(i), Times(kStart + c * 100 * kSecond, 3 + i, 7 * kSecond)});
    }
    ASSERT_TRUE(WriteChunk(&fs_, dir_, Name(c), streams, wal_seq_hi == 0 ? c : wal_seq_hi));
  }

  LoadedIndex Load(const IndexLoadOptions& options = {}) {
    auto loaded = LoadOrRebuild(&fs_, dir_, options);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return loaded.ok() ? *std::move(loaded) : LoadedIndex();
  }

  std::string IndexPath() const { return fs::JoinPath(dir_, kIndexFileName); }
  std::string IndexBytes() { return fs_.ReadFileToString(IndexPath()).value_or(""); }
  void SetIndexBytes(const std::string& bytes) {
    ASSERT_TRUE(fs_.WriteFileAtomically(IndexPath(), bytes).ok());
  }

  // Checks that a load rebuilt the index for `reason`, got the expected answers, and wrote a
  // good index.silt back.
  void ExpectRebuilt(RebuildReason reason) {
    LoadedIndex loaded = Load();
    EXPECT_EQ(loaded.report.rebuild_reason, reason) << loaded.report.rebuild_detail;
    EXPECT_TRUE(loaded.index == expected_);
    EXPECT_EQ(Answers(loaded.index), Answers(expected_));
    EXPECT_TRUE(loaded.report.index_written) << loaded.report.write_status;
    EXPECT_EQ(Load().report.rebuild_reason, RebuildReason::kNone);
  }

  fs::PosixFileSystem fs_;
  silt::testing::TempDir tmp_;
  std::string dir_;
  PartitionIndex expected_;  // built incrementally from the same chunks
};

TEST_F(IndexLoaderTest, MissingIndexIsRebuiltAndWritten) {
  LoadedIndex loaded = Load();
  EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kMissing);
  EXPECT_EQ(loaded.report.chunk_files, 3u);
  EXPECT_EQ(loaded.report.chunks_indexed, 3u);
  EXPECT_EQ(loaded.report.chunks_skipped, 0u);
  EXPECT_TRUE(loaded.report.index_written);
  EXPECT_TRUE(loaded.index == expected_);
  EXPECT_EQ(IndexBytes(), EncodeIndexFile(expected_));
}

TEST_F(IndexLoaderTest, IntactCurrentIndexIsUsed) {
  ASSERT_TRUE(WriteIndexFile(&fs_, dir_, expected_).ok());
  LoadedIndex loaded = Load();
  EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kNone);
  EXPECT_EQ(loaded.report.rebuild_detail, "");
  EXPECT_EQ(loaded.report.chunks_indexed, 3u);
  EXPECT_FALSE(loaded.report.index_written);
  EXPECT_TRUE(loaded.index == expected_);
}

TEST_F(IndexLoaderTest, BitFlipInEachSectionLeadsToRebuildWithSameAnswers) {
  const std::string good = EncodeIndexFile(expected_);
  const size_t footer = good.size() - kIndexFooterSize;
  std::vector<std::pair<std::string, size_t>> targets = {{"footer", footer + 20}};
  const char* const sections[] = {"header", "chunks", "streams", "postings"};
  size_t offset = 0;
  for (int s = 0; s < 4; ++s) {
    const size_t size = store::DecodeFixed(good.data() + footer + 16 * s, 8);
    targets.emplace_back(sections[s], offset + size / 2);
    offset += size;
  }
  for (const auto& [section, at] : targets) {
    SCOPED_TRACE(section);
    std::string damaged = good;
    damaged[at] ^= 0x10;
    SetIndexBytes(damaged);
    LoadedIndex loaded = Load();
    EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kCorrupt);
    const std::string where = std::string(section) == "footer" ? "footer" : section + " section";
    EXPECT_THAT(loaded.report.rebuild_detail, HasSubstr(where));
    EXPECT_TRUE(loaded.index == expected_);
    EXPECT_EQ(Answers(loaded.index), Answers(expected_));
    EXPECT_EQ(IndexBytes(), good);  // rewritten
  }
}

TEST_F(IndexLoaderTest, TruncationAtEachFooterByteLeadsToRebuild) {
  const std::string good = EncodeIndexFile(expected_);
  for (size_t cut = good.size() - kIndexFooterSize; cut < good.size(); ++cut) {
    SCOPED_TRACE(cut);
    SetIndexBytes(good.substr(0, cut));
    LoadedIndex loaded = Load();
    EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kCorrupt);
    EXPECT_TRUE(loaded.index == expected_);
  }
}

TEST_F(IndexLoaderTest, EmptyIndexFileLeadsToRebuild) {
  SetIndexBytes("");
  ExpectRebuilt(RebuildReason::kCorrupt);
}

TEST_F(IndexLoaderTest, WrongMagicLeadsToRebuild) {
  std::string damaged = EncodeIndexFile(expected_);
  damaged.replace(damaged.size() - 4, 4, "LOGS");
  SetIndexBytes(damaged);
  ExpectRebuilt(RebuildReason::kCorrupt);
}

TEST_F(IndexLoaderTest, WrongVersionLeadsToRebuild) {
  std::string damaged = EncodeIndexFile(expected_);
  const size_t footer = damaged.size() - kIndexFooterSize;
  damaged[footer + kIndexFooterVersionOffset] = 9;
  std::string checksum;
  store::PutFixed64(
      hash::Xxh3(std::string_view(damaged).substr(footer, kIndexFooterChecksumOffset)), &checksum);
  damaged.replace(footer + kIndexFooterChecksumOffset, 8, checksum);
  SetIndexBytes(damaged);
  LoadedIndex loaded = Load();
  EXPECT_THAT(loaded.report.rebuild_detail, HasSubstr("unknown version 9"));
  EXPECT_TRUE(loaded.index == expected_);
}

TEST_F(IndexLoaderTest, AddedChunkMakesIndexStale) {
  ASSERT_TRUE(WriteIndexFile(&fs_, dir_, expected_).ok());
  WriteTestChunk(4);
  testing::AddChunk(&fs_, dir_, Name(4), &expected_);
  LoadedIndex loaded = Load();
  EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kStale);
  EXPECT_EQ(loaded.report.rebuild_detail, "chunk-4.silt was added");
  EXPECT_TRUE(loaded.index == expected_);
  EXPECT_EQ(Load().report.rebuild_reason, RebuildReason::kNone);
}

TEST_F(IndexLoaderTest, RemovedChunkMakesIndexStale) {
  ASSERT_TRUE(WriteIndexFile(&fs_, dir_, expected_).ok());
  ASSERT_TRUE(fs_.DeleteFile(fs::JoinPath(dir_, Name(2))).ok());
  ASSERT_TRUE(expected_.RemoveChunk(Name(2)).ok());
  LoadedIndex loaded = Load();
  EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kStale);
  EXPECT_EQ(loaded.report.rebuild_detail, "chunk-2.silt was removed");
  EXPECT_TRUE(loaded.index == expected_);
}

TEST_F(IndexLoaderTest, ResizedChunkMakesIndexStale) {
  ASSERT_TRUE(WriteIndexFile(&fs_, dir_, expected_).ok());
  ASSERT_TRUE(fs_.DeleteFile(fs::JoinPath(dir_, Name(2))).ok());
  ASSERT_TRUE(WriteChunk(&fs_, dir_, Name(2), {{Stream(0), {kStart}}}));
  LoadedIndex loaded = Load();
  EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kStale);
  EXPECT_THAT(loaded.report.rebuild_detail, HasSubstr("chunk-2.silt changed size from"));
  EXPECT_EQ(loaded.index.FindChunk(Name(2))->entry_count, 1u);
}

// A chunk replaced by one of the same size (here: same data, another wal_seq_hi) is caught only
// when footers are verified; by default name and size identify a chunk file.
TEST_F(IndexLoaderTest, SameSizeReplacementIsCaughtByFooterCheck) {
  ASSERT_TRUE(WriteIndexFile(&fs_, dir_, expected_).ok());
  const uint64_t size = *fs_.GetFileSize(fs::JoinPath(dir_, Name(2)));
  WriteTestChunk(2, 99);
  ASSERT_EQ(*fs_.GetFileSize(fs::JoinPath(dir_, Name(2))), size);
  EXPECT_EQ(Load().report.rebuild_reason, RebuildReason::kNone);
  IndexLoadOptions options;
  options.verify_chunk_footers = true;
  LoadedIndex loaded = Load(options);
  EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kStale);
  EXPECT_EQ(loaded.report.rebuild_detail, "chunk-2.silt has a different footer");
  EXPECT_EQ(loaded.index.FindChunk(Name(2))->wal_seq_hi, 99u);
  EXPECT_EQ(Load(options).report.rebuild_reason, RebuildReason::kNone);
}

TEST_F(IndexLoaderTest, CorruptChunkIsSkippedCountedAndRemembered) {
  const std::string path = fs::JoinPath(dir_, Name(2));
  std::string bytes = *fs_.ReadFileToString(path);
  bytes[bytes.size() - 120] ^= 0x40;  // in the directory
  ASSERT_TRUE(fs_.WriteFileAtomically(path, bytes).ok());
  store::ChunkReadCounters counters;
  IndexLoadOptions options;
  options.reader.counters = &counters;
  LoadedIndex loaded = Load(options);
  EXPECT_EQ(loaded.report.chunks_indexed, 2u);
  EXPECT_EQ(loaded.report.chunks_skipped, 1u);
  EXPECT_EQ(counters.corrupt_chunks.load(), 1u);
  ASSERT_EQ(loaded.report.problems.size(), 1u);
  EXPECT_THAT(loaded.report.problems[0], HasSubstr(path + ": Corruption:"));
  ASSERT_EQ(loaded.index.skipped_chunks().size(), 1u);
  EXPECT_EQ(loaded.index.skipped_chunks()[0].file_size, bytes.size());
  EXPECT_TRUE(loaded.report.index_written);
  // The other chunks still serve: streams 0 and 5..7 are only in chunks 1 and 3.
  ASSERT_TRUE(expected_.RemoveChunk(Name(2)).ok());
  EXPECT_EQ(Answers(loaded.index), Answers(expected_));

  // The written index covers the corrupt file, so it is not stale; the skip is still reported.
  LoadedIndex again = Load(options);
  EXPECT_EQ(again.report.rebuild_reason, RebuildReason::kNone);
  EXPECT_EQ(again.report.chunks_skipped, 1u);
  EXPECT_THAT(again.report.problems[0], HasSubstr("skipped when the index was built"));
  EXPECT_EQ(counters.corrupt_chunks.load(), 1u);  // tried again, but not counted again
}

TEST_F(IndexLoaderTest, SkippedChunkThatReadsAgainRejoinsTheIndex) {
  // As after a downgrade and an upgrade: a build that could not read chunk 2 (here: damaged)
  // recorded it as skipped; the file now reads (here: repaired, same name and size).
  const std::string path = fs::JoinPath(dir_, Name(2));
  const std::string good = *fs_.ReadFileToString(path);
  std::string bad = good;
  bad[bad.size() - 120] ^= 0x40;
  ASSERT_TRUE(fs_.WriteFileAtomically(path, bad).ok());
  ASSERT_EQ(Load().index.skipped_chunks().size(), 1u);
  ASSERT_TRUE(fs_.WriteFileAtomically(path, good).ok());
  LoadedIndex loaded = Load();
  EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kStale);
  EXPECT_THAT(loaded.report.rebuild_detail,
              HasSubstr(Name(2) + ", skipped when the index was built ("));
  EXPECT_THAT(loaded.report.rebuild_detail, HasSubstr("), now reads"));
  EXPECT_EQ(loaded.report.chunks_skipped, 0u);
  EXPECT_TRUE(loaded.index.skipped_chunks().empty());
  EXPECT_TRUE(loaded.index == expected_);
  EXPECT_TRUE(loaded.report.index_written);
  EXPECT_EQ(Load().report.rebuild_reason, RebuildReason::kNone);
}

TEST_F(IndexLoaderTest, ChunkOfAnotherTenantIsSkipped) {
  ASSERT_TRUE(WriteChunk(&fs_, dir_, "chunk-9.silt", {{Stream(1), {kStart}}}, 9,
                         testing::ChunkOptions("other")));
  LoadedIndex loaded = Load();
  EXPECT_EQ(loaded.report.chunks_indexed, 3u);
  EXPECT_EQ(loaded.report.chunks_skipped, 1u);
  EXPECT_THAT(loaded.report.problems[0], HasSubstr("wrong directory"));
  EXPECT_EQ(Answers(loaded.index), Answers(expected_));
  // It reads, but it still does not belong: the written index is used as it is.
  LoadedIndex again = Load();
  EXPECT_EQ(again.report.rebuild_reason, RebuildReason::kNone) << again.report.rebuild_detail;
  EXPECT_EQ(again.report.chunks_skipped, 1u);
}

TEST_F(IndexLoaderTest, OtherFilesAreIgnored) {
  for (const char* name : {"chunk-5.silt.tmp", "index.silt.tmp", "notes.txt", "chunk-.silt"}) {
    ASSERT_TRUE(fs_.WriteFileAtomically(fs::JoinPath(dir_, name), "junk").ok());
  }
  LoadedIndex loaded = Load();
  EXPECT_EQ(loaded.report.chunk_files, 3u);
  EXPECT_EQ(loaded.report.chunks_skipped, 0u);
  EXPECT_TRUE(loaded.index == expected_);
}

TEST_F(IndexLoaderTest, RebuildIndexIgnoresAGoodIndexAndRewritesIt) {
  PartitionIndex partial = expected_;
  ASSERT_TRUE(partial.RemoveChunk(Name(1)).ok());
  ASSERT_TRUE(
      partial.AddSkippedChunk({Name(1), *fs_.GetFileSize(fs::JoinPath(dir_, Name(1))), "pretend"})
          .ok());
  ASSERT_TRUE(WriteIndexFile(&fs_, dir_, partial).ok());
  // Not loaded first: a load would see that chunk 1 reads and rebuild on its own
  // (SkippedChunkThatReadsAgainRejoinsTheIndex). RebuildIndex does not look at index.silt.
  auto report = RebuildIndex(&fs_, dir_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rebuild_reason, RebuildReason::kRequested);
  EXPECT_EQ(report->chunks_indexed, 3u);
  EXPECT_TRUE(report->index_written);
  EXPECT_TRUE(*ReadIndexFile(&fs_, dir_) == expected_);
}

TEST_F(IndexLoaderTest, RebuildEqualsIncrementallyBuilt) {
  WriteTestChunk(4);
  WriteTestChunk(5);
  PartitionIndex incremental;
  for (int c : {5, 2, 4, 1, 3}) testing::AddChunk(&fs_, dir_, Name(c), &incremental);
  ASSERT_TRUE(incremental.RemoveChunk(Name(4)).ok());
  ASSERT_TRUE(fs_.DeleteFile(fs::JoinPath(dir_, Name(4))).ok());
  ASSERT_TRUE(RebuildIndex(&fs_, dir_).ok());
  auto rebuilt = ReadIndexFile(&fs_, dir_);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_TRUE(*rebuilt == incremental);
  EXPECT_EQ(EncodeIndexFile(*rebuilt), EncodeIndexFile(incremental));
}

TEST_F(IndexLoaderTest, FailedWriteIsReportedAndTheIndexStillServes) {
  fs::FaultInjectionFileSystem faulty(&fs_);
  faulty.FailNth(fs::Op::kRename, 1);
  auto loaded = LoadOrRebuild(&faulty, dir_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_FALSE(loaded->report.index_written);
  EXPECT_EQ(loaded->report.write_status.code(), StatusCode::kIOError);
  EXPECT_THAT(loaded->report.write_status.message(), HasSubstr(IndexPath()));
  EXPECT_TRUE(loaded->index == expected_);
  EXPECT_FALSE(fs_.FileExists(IndexPath()));

  faulty.FailNth(fs::Op::kSync, 1);
  auto rebuilt = RebuildIndex(&faulty, dir_);
  EXPECT_EQ(rebuilt.status().code(), StatusCode::kIOError);
  EXPECT_FALSE(fs_.FileExists(IndexPath()));
}

TEST_F(IndexLoaderTest, UnreadableChunkIsNotRecordedAsDamage) {
  fs::FaultInjectionFileSystem faulty(&fs_);
  faulty.FailNth(fs::Op::kOpen, 2);  // 1: index.silt, 2: the first chunk file
  auto loaded = LoadOrRebuild(&faulty, dir_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->report.chunks_indexed, 2u);
  EXPECT_EQ(loaded->report.chunks_skipped, 1u);
  EXPECT_THAT(loaded->report.problems[0], HasSubstr("injected I/O error"));
  EXPECT_TRUE(loaded->index.skipped_chunks().empty());
  EXPECT_FALSE(loaded->report.index_written);
  EXPECT_FALSE(fs_.FileExists(IndexPath()));

  faulty.FailNth(fs::Op::kOpen, 1);  // the first chunk file
  auto rebuilt = RebuildIndex(&faulty, dir_);
  EXPECT_EQ(rebuilt.status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(fs_.FileExists(IndexPath()));
  ExpectRebuilt(RebuildReason::kMissing);
}

TEST_F(IndexLoaderTest, MissingDirectoryIsNotFound) {
  EXPECT_EQ(LoadOrRebuild(&fs_, tmp_.Path("nosuch")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(RebuildIndex(&fs_, tmp_.Path("nosuch")).status().code(), StatusCode::kNotFound);
}

TEST_F(IndexLoaderTest, EmptyDirectoryGivesAnEmptyIndexAndWritesNothing) {
  const std::string empty = tmp_.Path("empty");
  ASSERT_TRUE(fs_.CreateDir(empty).ok());
  auto loaded = LoadOrRebuild(&fs_, empty);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->report.rebuild_reason, RebuildReason::kMissing);
  EXPECT_TRUE(loaded->index == PartitionIndex());
  EXPECT_FALSE(loaded->report.index_written);
  EXPECT_THAT(*fs_.ListDir(empty), ElementsAre());
}

TEST_F(IndexLoaderTest, StaleIndexOfEmptiedDirectoryIsReplaced) {
  ASSERT_TRUE(WriteIndexFile(&fs_, dir_, expected_).ok());
  for (int c = 1; c <= 3; ++c) ASSERT_TRUE(fs_.DeleteFile(fs::JoinPath(dir_, Name(c))).ok());
  LoadedIndex loaded = Load();
  EXPECT_EQ(loaded.report.rebuild_reason, RebuildReason::kStale);
  EXPECT_TRUE(loaded.index == PartitionIndex());
  EXPECT_TRUE(loaded.report.index_written);
  EXPECT_EQ(Load().report.rebuild_reason, RebuildReason::kNone);
}

TEST(IndexLoaderNamesTest, ChunkFileNamesAndReasonNames) {
  EXPECT_TRUE(IsChunkFileName("chunk-0000000000000042.silt"));
  EXPECT_FALSE(IsChunkFileName("chunk-0000000000000042.silt.tmp"));
  EXPECT_FALSE(IsChunkFileName("index.silt"));
  EXPECT_FALSE(IsChunkFileName("chunk-.silt"));
  EXPECT_EQ(RebuildReasonName(RebuildReason::kStale), "stale");
  EXPECT_EQ(RebuildReasonName(RebuildReason::kRequested), "requested");
}

}  // namespace
}  // namespace silt::index
