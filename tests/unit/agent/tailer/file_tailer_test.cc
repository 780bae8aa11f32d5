#include "agent/tailer/file_tailer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Texts(const std::vector<Line>& lines) {
  std::vector<std::string> out;
  for (const Line& line : lines) out.push_back(line.text);
  return out;
}

class FileTailerTest : public ::testing::Test {
 protected:
  void Append(const std::string& text) {
    auto file = posix_.NewWritableFile(path_, fs::OpenMode::kAppend);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append(text).ok());
    ASSERT_TRUE((*file)->Close().ok());
  }
  void Rewrite(const std::string& text) {
    ASSERT_TRUE(posix_.TruncateFile(path_, 0).ok());
    Append(text);
  }
  std::unique_ptr<FileTailer> Open(uint64_t offset = 0, fs::FileSystem* fs = nullptr) {
    fs::FileSystem& use = fs != nullptr ? *fs : static_cast<fs::FileSystem&>(posix_);
    auto file = use.NewRandomAccessFile(path_);
    EXPECT_TRUE(file.ok()) << file.status();
    Result<Fingerprint> fp = ComputeFingerprint(**file);
    EXPECT_TRUE(fp.ok());
    fs::FileInfo info = *posix_.Stat(path_);
    return std::make_unique<FileTailer>(std::move(*file),
                                        FileIdentity{info.device, info.inode, *fp}, 7, offset,
                                        LineSplitter::Options{});
  }
  FileTailer::ReadResult Read(FileTailer& tailer, std::vector<Line>* lines, size_t chunk = 4096) {
    std::vector<char> scratch(chunk);
    Result<FileTailer::ReadResult> result = tailer.Read(scratch.data(), scratch.size(), lines);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or(FileTailer::ReadResult{});
  }

  testing::TempDir dir_;
  fs::PosixFileSystem posix_;
  std::string path_ = dir_.Path("app.log");
};

TEST_F(FileTailerTest, ReadsLinesInChunksWithTheirOffsets) {
  Append("one\ntwo\nthree\n");
  std::unique_ptr<FileTailer> tailer = Open();
  std::vector<Line> lines;
  while (Read(*tailer, &lines, 3).outcome == FileTailer::ReadOutcome::kData) {
  }
  EXPECT_THAT(Texts(lines), ElementsAre("one", "two", "three"));
  EXPECT_EQ(lines[2].start_offset, 8u);
  EXPECT_EQ(lines[2].end_offset, 14u);
  EXPECT_EQ(tailer->offset(), 14u);
  EXPECT_EQ(tailer->committed_offset(), 14u);
  EXPECT_EQ(tailer->source_id(), 7u);
}

TEST_F(FileTailerTest, StartsAtTheGivenOffset) {
  Append("one\ntwo\n");
  std::unique_ptr<FileTailer> tailer = Open(4);
  std::vector<Line> lines;
  EXPECT_EQ(Read(*tailer, &lines).bytes, 4u);
  EXPECT_THAT(Texts(lines), ElementsAre("two"));
}

TEST_F(FileTailerTest, NothingNewIsEndOfFile) {
  Append("one\n");
  std::unique_ptr<FileTailer> tailer = Open();
  std::vector<Line> lines;
  Read(*tailer, &lines);
  EXPECT_EQ(Read(*tailer, &lines).outcome, FileTailer::ReadOutcome::kEndOfFile);
  Append("two\n");
  EXPECT_EQ(Read(*tailer, &lines).outcome, FileTailer::ReadOutcome::kData);
  EXPECT_THAT(Texts(lines), ElementsAre("one", "two"));
}

TEST_F(FileTailerTest, ShrinkingBelowTheOffsetIsATruncation) {
  Append("one\ntwo\n");
  std::unique_ptr<FileTailer> tailer = Open();
  std::vector<Line> lines;
  Read(*tailer, &lines);
  ASSERT_TRUE(posix_.TruncateFile(path_, 2).ok());
  EXPECT_EQ(Read(*tailer, &lines).outcome, FileTailer::ReadOutcome::kTruncated);
  EXPECT_EQ(tailer->offset(), 8u);
}

TEST_F(FileTailerTest, RewrittenFirstBytesAreATruncationAndTheChunkIsDiscarded) {
  Append("one\n");
  std::unique_ptr<FileTailer> tailer = Open();
  std::vector<Line> lines;
  Read(*tailer, &lines);
  Rewrite("NEW\nlonger content\n");
  EXPECT_EQ(Read(*tailer, &lines).outcome, FileTailer::ReadOutcome::kTruncated);
  EXPECT_THAT(Texts(lines), ElementsAre("one"));
  EXPECT_EQ(tailer->offset(), 4u);
}

TEST_F(FileTailerTest, FingerprintGrowsWithTheFile) {
  Append("a\n");
  std::unique_ptr<FileTailer> tailer = Open();
  EXPECT_EQ(tailer->identity().fingerprint.size, 2u);
  Append(std::string(2000, 'b') + "\n");
  std::vector<Line> lines;
  Read(*tailer, &lines);
  EXPECT_EQ(tailer->identity().fingerprint.size, kFingerprintMaxBytes);
}

TEST_F(FileTailerTest, CheckTruncatedSeesShrinkAndRewriteAndGrowsTheFingerprint) {
  Append("abc\n");
  std::unique_ptr<FileTailer> tailer = Open();
  Append("def\n");
  Result<bool> same = tailer->CheckTruncated();
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(*same);
  EXPECT_EQ(tailer->identity().fingerprint.size, 8u);
  Rewrite("xyz\nxyz\nxyz\n");
  Result<bool> rewritten = tailer->CheckTruncated();
  ASSERT_TRUE(rewritten.ok());
  EXPECT_TRUE(*rewritten);
}

TEST_F(FileTailerTest, CheckTruncatedSeesASizeBelowTheOffset) {
  Append("abc\ndef\n");
  std::unique_ptr<FileTailer> tailer = Open();
  std::vector<Line> lines;
  Read(*tailer, &lines);
  ASSERT_TRUE(posix_.TruncateFile(path_, 4).ok());  // same first bytes, but shorter
  Result<bool> truncated = tailer->CheckTruncated();
  ASSERT_TRUE(truncated.ok());
  EXPECT_TRUE(*truncated);
}

TEST_F(FileTailerTest, RestartReadsTheNewContentAsANewSource) {
  Append("old\npart");
  std::unique_ptr<FileTailer> tailer = Open();
  std::vector<Line> lines;
  Read(*tailer, &lines);
  Rewrite("new\n");
  ASSERT_TRUE(tailer->Restart(99).ok());
  EXPECT_EQ(tailer->source_id(), 99u);
  EXPECT_EQ(tailer->offset(), 0u);
  Read(*tailer, &lines);
  EXPECT_THAT(Texts(lines), ElementsAre("old", "new"));  // the held "part" was dropped
}

TEST_F(FileTailerTest, FinishEmitsTheHeldPartialLine) {
  Append("a\nrest");
  std::unique_ptr<FileTailer> tailer = Open();
  std::vector<Line> lines;
  Read(*tailer, &lines);
  tailer->Finish(&lines);
  EXPECT_THAT(Texts(lines), ElementsAre("a", "rest"));
  EXPECT_TRUE(lines[1].unterminated);
}

TEST_F(FileTailerTest, ReadErrorConsumesNothing) {
  Append("a\nb\n");
  fs::FaultInjectionFileSystem faulty(&posix_);
  std::unique_ptr<FileTailer> tailer = Open(0, &faulty);
  faulty.FailNth(fs::Op::kRead, 1);
  std::vector<char> scratch(64);
  std::vector<Line> lines;
  Result<FileTailer::ReadResult> failed = tailer->Read(scratch.data(), scratch.size(), &lines);
  EXPECT_EQ(failed.status().code(), StatusCode::kIOError);
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(tailer->offset(), 0u);
  Read(*tailer, &lines);
  EXPECT_THAT(Texts(lines), ElementsAre("a", "b"));
}

}  // namespace
}  // namespace silt::agent
