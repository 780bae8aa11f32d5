#include "agent/positions/file_identity.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

class FileIdentityTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& data, fs::OpenMode mode) {
    auto file = fs_.NewWritableFile(dir_.Path(name), mode);
    ASSERT_TRUE(file.ok()) << file.status();
    ASSERT_TRUE((*file)->Append(data).ok());
    ASSERT_TRUE((*file)->Close().ok());
  }
  std::unique_ptr<fs::RandomAccessFile> Open(const std::string& name) {
    auto file = fs_.NewRandomAccessFile(dir_.Path(name));
    EXPECT_TRUE(file.ok()) << file.status();
    return file.ok() ? std::move(*file) : nullptr;
  }
  Fingerprint FingerprintOfFile(const std::string& name) {
    Result<Fingerprint> fp = ComputeFingerprint(*Open(name));
    EXPECT_TRUE(fp.ok()) << fp.status();
    return fp.value_or(Fingerprint{});
  }

  testing::TempDir dir_;
  fs::PosixFileSystem fs_;
};

TEST_F(FileIdentityTest, FingerprintCoversOnlyTheFirstKib) {
  std::string data(3000, 'a');
  Write("f", data, fs::OpenMode::kTruncate);
  Fingerprint before = FingerprintOfFile("f");
  EXPECT_EQ(before.size, kFingerprintMaxBytes);
  EXPECT_TRUE(before.complete());
  data[2000] = 'b';
  Write("f", data, fs::OpenMode::kTruncate);
  EXPECT_EQ(FingerprintOfFile("f"), before);
  data[10] = 'b';
  Write("f", data, fs::OpenMode::kTruncate);
  EXPECT_NE(FingerprintOfFile("f"), before);
}

TEST_F(FileIdentityTest, GrowingFingerprintStillMatchesAndGrows) {
  Write("f", "abc\n", fs::OpenMode::kTruncate);
  Fingerprint small = FingerprintOfFile("f");
  EXPECT_EQ(small.size, 4u);
  EXPECT_FALSE(small.complete());
  Write("f", std::string(2000, 'x'), fs::OpenMode::kAppend);
  Result<FingerprintCheck> check = CheckFingerprint(*Open("f"), small);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->matches);
  EXPECT_EQ(check->current.size, kFingerprintMaxBytes);
  EXPECT_EQ(check->current, FingerprintOfFile("f"));
}

TEST_F(FileIdentityTest, SameInodeWithOtherFirstBytesDoesNotMatch) {
  // What inode reuse looks like to the agent: the (device, inode) it knows, other content.
  Write("f", "first file\n", fs::OpenMode::kTruncate);
  fs::FileInfo before = *fs_.Stat(dir_.Path("f"));
  Fingerprint fp = FingerprintOfFile("f");
  Write("f", "second file, longer\n", fs::OpenMode::kTruncate);
  fs::FileInfo after = *fs_.Stat(dir_.Path("f"));
  FileIdentity known{before.device, before.inode, fp};
  EXPECT_TRUE(known.SameInode(after.device, after.inode));
  Result<FingerprintCheck> check = CheckFingerprint(*Open("f"), fp);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->matches);
}

TEST_F(FileIdentityTest, ReusedInodeAfterDeleteIsToldApart) {
  Write("f", "old content\n", fs::OpenMode::kTruncate);
  Fingerprint old_fp = FingerprintOfFile("f");
  ASSERT_TRUE(fs_.DeleteFile(dir_.Path("f")).ok());
  // Whether the kernel hands the freed inode to the new file varies; the fingerprint tells the
  // files apart either way.
  Write("g", "new content\n", fs::OpenMode::kTruncate);
  Result<FingerprintCheck> check = CheckFingerprint(*Open("g"), old_fp);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->matches);
}

TEST_F(FileIdentityTest, TruncationBelowTheFingerprintDoesNotMatch) {
  Write("f", "0123456789\n", fs::OpenMode::kTruncate);
  Fingerprint fp = FingerprintOfFile("f");
  ASSERT_TRUE(fs_.TruncateFile(dir_.Path("f"), 0).ok());
  Write("f", "0123", fs::OpenMode::kAppend);  // same first bytes, but fewer than fp covers
  Result<FingerprintCheck> check = CheckFingerprint(*Open("f"), fp);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->matches);
}

TEST_F(FileIdentityTest, CopytruncateWithNewContentDoesNotMatch) {
  Write("f", std::string(1500, 'a'), fs::OpenMode::kTruncate);
  Fingerprint fp = FingerprintOfFile("f");
  ASSERT_TRUE(fs_.TruncateFile(dir_.Path("f"), 0).ok());
  Write("f", std::string(1500, 'b'), fs::OpenMode::kAppend);
  Result<FingerprintCheck> check = CheckFingerprint(*Open("f"), fp);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->matches);
}

TEST_F(FileIdentityTest, EmptyFingerprintMatchesAnyContent) {
  Write("f", "", fs::OpenMode::kTruncate);
  Fingerprint empty = FingerprintOfFile("f");
  EXPECT_EQ(empty.size, 0u);
  Write("f", "anything\n", fs::OpenMode::kAppend);
  Result<FingerprintCheck> check = CheckFingerprint(*Open("f"), empty);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->matches);
  EXPECT_EQ(check->current.size, 9u);
}

TEST(FingerprintTest, OfBytesIsPinned) {
  // Stored in positions files: must never change between releases.
  EXPECT_EQ(FingerprintOf("").hash, 0x2d06800538d394c2ULL);
  EXPECT_EQ(FingerprintOf("abc").size, 3u);
  EXPECT_EQ(FingerprintOf(std::string(5000, 'z')).size, kFingerprintMaxBytes);
  EXPECT_EQ(FingerprintOf(std::string(5000, 'z')), FingerprintOf(std::string(1024, 'z')));
}

TEST(FingerprintTest, MatchesNeedsEveryCoveredByte) {
  Fingerprint fp = FingerprintOf("hello world");
  Fingerprint current;
  EXPECT_TRUE(FingerprintMatches("hello world, again", fp, &current));
  EXPECT_EQ(current, FingerprintOf("hello world, again"));
  EXPECT_FALSE(FingerprintMatches("hello worle, again", fp, nullptr));
  EXPECT_FALSE(FingerprintMatches("hello", fp, nullptr));
}

TEST(FileIdentityFormatTest, NamesEveryPart) {
  FileIdentity identity{2049, 131, Fingerprint{0xabc, 17}};
  EXPECT_EQ(FormatIdentity(identity), "dev=2049 ino=131 fp=0000000000000abc/17");
}

}  // namespace
}  // namespace silt::agent
