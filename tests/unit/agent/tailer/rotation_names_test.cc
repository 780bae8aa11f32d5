#include "agent/tailer/rotation_names.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

TEST(RotationNamesTest, LogrotateNamesAreRotations) {
  EXPECT_TRUE(IsRotationName("app.log.1", "app.log"));
  EXPECT_TRUE(IsRotationName("app.log.12", "app.log"));
  EXPECT_TRUE(IsRotationName("app.log-20240101", "app.log"));
  EXPECT_TRUE(IsRotationName("app.log_2024-01-01", "app.log"));
  EXPECT_TRUE(IsRotationName("app.log.1.gz", "app.log"));  // compressed: filtered separately
  EXPECT_TRUE(IsRotationName("app.1.log", "app.log"));
  EXPECT_TRUE(IsRotationName("app-20240101.log", "app.log"));
  EXPECT_TRUE(IsRotationName("app-2024-01-01_1200.log", "app.log"));
  EXPECT_TRUE(IsRotationName("syslog.1", "syslog"));
}

TEST(RotationNamesTest, OtherFilesAreNot) {
  EXPECT_FALSE(IsRotationName("app.log", "app.log"));
  EXPECT_FALSE(IsRotationName("app.logger", "app.log"));
  EXPECT_FALSE(IsRotationName("app.log.bak", "app.log"));
  EXPECT_FALSE(IsRotationName("app.log.", "app.log"));
  EXPECT_FALSE(IsRotationName("app-error.log", "app.log"));  // a live sibling
  EXPECT_FALSE(IsRotationName("app.1.txt", "app.log"));
  EXPECT_FALSE(IsRotationName("other.log.1", "app.log"));
  EXPECT_FALSE(IsRotationName("syslog-ng.1", "syslog"));
}

TEST(RotationNamesTest, IgnoredSuffixes) {
  const std::vector<std::string> suffixes = {".gz", ".zst"};
  EXPECT_TRUE(HasIgnoredSuffix("/l/app.log.1.gz", suffixes));
  EXPECT_TRUE(HasIgnoredSuffix("/l/app.log.2.zst", suffixes));
  EXPECT_FALSE(HasIgnoredSuffix("/l/app.log.1", suffixes));
  EXPECT_FALSE(HasIgnoredSuffix("/l/app.log.1.gz", {}));
  EXPECT_FALSE(HasIgnoredSuffix("/l/app.log", {""}));
}

class ListRotationCandidatesTest : public ::testing::Test {
 protected:
  void Create(const std::string& name, int64_t mtime_s) {
    auto file = fs_.NewWritableFile(dir_.Path(name), fs::OpenMode::kTruncate);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append(name).ok());
    ASSERT_TRUE((*file)->Close().ok());
    struct timespec times[2] = {{mtime_s, 0}, {mtime_s, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, dir_.Path(name).c_str(), times, 0), 0);
  }

  testing::TempDir dir_;
  fs::PosixFileSystem fs_;
};

TEST_F(ListRotationCandidatesTest, KeepsRotationsOldestFirst) {
  Create("app.log", 500);
  Create("app.log.1", 300);
  Create("app.log.2", 200);
  Create("app.log.3.gz", 100);
  Create("app.log-20240101", 400);
  Create("other.log.1", 250);
  ASSERT_TRUE(fs_.CreateDir(dir_.Path("app.log.4")).ok());
  Result<std::vector<RotationCandidate>> found =
      ListRotationCandidates(fs_, dir_.Path("app.log"), {".gz"});
  ASSERT_TRUE(found.ok()) << found.status();
  std::vector<std::string> paths;
  for (const RotationCandidate& c : *found) paths.push_back(c.path);
  EXPECT_EQ(paths, (std::vector<std::string>{dir_.Path("app.log.2"), dir_.Path("app.log.1"),
                                             dir_.Path("app.log-20240101")}));
  EXPECT_EQ((*found)[0].info.mtime_ns, 200'000'000'000);
}

TEST_F(ListRotationCandidatesTest, MissingDirectoryIsAnError) {
  Result<std::vector<RotationCandidate>> found =
      ListRotationCandidates(fs_, dir_.Path("gone/app.log"), {});
  EXPECT_EQ(found.status().code(), StatusCode::kNotFound);
}

TEST_F(ListRotationCandidatesTest, OpenAndIdentifyDescribesTheOpenFile) {
  Create("app.log", 100);
  Result<OpenedFile> opened = OpenAndIdentify(fs_, dir_.Path("app.log"));
  ASSERT_TRUE(opened.ok()) << opened.status();
  fs::FileInfo info = *fs_.Stat(dir_.Path("app.log"));
  EXPECT_TRUE(opened->identity.SameInode(info.device, info.inode));
  EXPECT_EQ(opened->identity.fingerprint, FingerprintOf("app.log"));
  EXPECT_EQ(opened->info.size, 7u);
}

TEST_F(ListRotationCandidatesTest, OpenAndIdentifyRefusesMissingPathsAndDirectories) {
  EXPECT_EQ(OpenAndIdentify(fs_, dir_.Path("none")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(OpenAndIdentify(fs_, dir_.path()).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace silt::agent
