#include "tests/bench/loggen/output_files.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/bench/loggen/loggen_test_util.h"

namespace silt::loggen {
namespace {

using silt::testing::TempDir;
using testing::MemoryFile;

std::string Record(int i) { return "record " + std::to_string(i) + " with some padding text\n"; }

class OutputFilesTest : public ::testing::Test {
 protected:
  std::string Read(const std::string& path) {
    Result<std::string> contents = fs_.ReadFileToString(path);
    EXPECT_TRUE(contents.ok()) << contents.status();
    return contents.value_or("");
  }

  TempDir dir_;
  fs::PosixFileSystem fs_;
};

TEST_F(OutputFilesTest, WritesRecordsToTheChosenFile) {
  const std::vector<std::string> paths = {dir_.Path("a.log"), dir_.Path("b.log")};
  auto files = OutputFiles::Open(&fs_, paths, OutputFilesOptions());
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_TRUE((*files)->Write(0, "one\n").ok());
  ASSERT_TRUE((*files)->Write(1, "two\n").ok());
  ASSERT_TRUE((*files)->Write(0, "three\n").ok());
  ASSERT_TRUE((*files)->Close().ok());
  EXPECT_EQ(Read(paths[0]), "one\nthree\n");
  EXPECT_EQ(Read(paths[1]), "two\n");
}

TEST_F(OutputFilesTest, TruncatesUnlessAppending) {
  const std::string path = dir_.Path("x.log");
  ASSERT_TRUE(fs_.WriteFileAtomically(path, "old\n").ok());
  {
    OutputFilesOptions options;
    options.append = true;
    auto files = OutputFiles::Open(&fs_, {path}, options);
    ASSERT_TRUE(files.ok());
    ASSERT_TRUE((*files)->Write(0, "new\n").ok());
    ASSERT_TRUE((*files)->Close().ok());
  }
  EXPECT_EQ(Read(path), "old\nnew\n");
  auto files = OutputFiles::Open(&fs_, {path}, OutputFilesOptions());
  ASSERT_TRUE(files.ok());
  ASSERT_TRUE((*files)->Close().ok());
  EXPECT_EQ(Read(path), "");
}

TEST_F(OutputFilesTest, RotationRenamesAndKeepsTheNewestCopies) {
  const std::string path = dir_.Path("app.log");
  OutputFilesOptions options;
  options.rotate_every = 1000;
  options.rotate_keep = 2;
  options.buffer_size = 256;
  auto files = OutputFiles::Open(&fs_, {path}, options);
  ASSERT_TRUE(files.ok());
  std::string all;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE((*files)->Write(0, Record(i)).ok());
    all += Record(i);
  }
  ASSERT_TRUE((*files)->Close().ok());
  EXPECT_GE((*files)->rotations(), 5u);
  EXPECT_TRUE(fs_.FileExists(path + ".1"));
  EXPECT_TRUE(fs_.FileExists(path + ".2"));
  EXPECT_FALSE(fs_.FileExists(path + ".3"));
  const std::string older = Read(path + ".2");
  const std::string newer = Read(path + ".1");
  const std::string current = Read(path);
  // Rotated files hold at least the rotation size, end at a line boundary, and overshoot by at
  // most one record.
  for (const std::string* rotated : {&older, &newer}) {
    EXPECT_GE(rotated->size(), 1000u);
    EXPECT_LT(rotated->size(), 1000u + Record(199).size());
    EXPECT_EQ(rotated->back(), '\n');
  }
  // Together they are the newest records in order, nothing lost or repeated in between.
  const std::string tail = older + newer + current;
  ASSERT_LE(tail.size(), all.size());
  EXPECT_EQ(all.substr(all.size() - tail.size()), tail);
}

TEST_F(OutputFilesTest, RecordLargerThanBufferIsWrittenInOrder) {
  MemoryFile memory;
  auto files = OutputFiles::ForFile(&memory, 64);
  const std::string big(200, 'x');
  ASSERT_TRUE(files->Write(0, "small\n").ok());
  ASSERT_TRUE(files->Write(0, big + "\n").ok());
  ASSERT_TRUE(files->Write(0, "tail\n").ok());
  ASSERT_TRUE(files->Close().ok());
  EXPECT_EQ(memory.contents(), "small\n" + big + "\ntail\n");
}

TEST_F(OutputFilesTest, WritesEndAtRecordBoundaries) {
  MemoryFile memory;
  auto files = OutputFiles::ForFile(&memory, 100);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(files->Write(0, Record(i)).ok());
  ASSERT_TRUE(files->Flush().ok());
  EXPECT_GT(memory.appends(), 10);
  EXPECT_EQ(memory.partial_appends(), 0);
}

TEST_F(OutputFilesTest, MissingDirectoryIsNotFound) {
  auto files = OutputFiles::Open(&fs_, {dir_.Path("no/such/dir/x.log")}, OutputFilesOptions());
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kNotFound);
}

TEST_F(OutputFilesTest, FailedWriteIsReportedWithThePath) {
  fs::FaultInjectionFileSystem faulty(&fs_);
  OutputFilesOptions options;
  options.buffer_size = 16;
  auto files = OutputFiles::Open(&faulty, {dir_.Path("f.log")}, options);
  ASSERT_TRUE(files.ok());
  faulty.FailNth(fs::Op::kWrite, 1);
  Status status = (*files)->Write(0, Record(1));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("f.log"), std::string_view::npos) << status;
}

TEST_F(OutputFilesTest, FailedRotationRenameIsReported) {
  fs::FaultInjectionFileSystem faulty(&fs_);
  OutputFilesOptions options;
  options.rotate_every = 10;
  auto files = OutputFiles::Open(&faulty, {dir_.Path("r.log")}, options);
  ASSERT_TRUE(files.ok());
  faulty.FailNth(fs::Op::kRename, 1);
  EXPECT_FALSE((*files)->Write(0, Record(1)).ok());
}

}  // namespace
}  // namespace silt::loggen
