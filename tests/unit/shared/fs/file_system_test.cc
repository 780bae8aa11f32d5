#include "shared/fs/file_system.h"

#include <gtest/gtest.h>

namespace silt::fs {
namespace {

TEST(FileSystemPathTest, ParentDirHandlesRootRelativeAndTrailingSlashes) {
  EXPECT_EQ(ParentDir("/data/wal/0000000000000001.wal"), "/data/wal");
  EXPECT_EQ(ParentDir("/data"), "/");
  EXPECT_EQ(ParentDir("/"), "/");
  EXPECT_EQ(ParentDir("positions"), ".");
  EXPECT_EQ(ParentDir("state/positions"), "state");
  EXPECT_EQ(ParentDir("/data/wal/"), "/data");
  EXPECT_EQ(ParentDir("/data//wal"), "/data");
}

TEST(FileSystemPathTest, JoinPathAddsOneSlash) {
  EXPECT_EQ(JoinPath("/data", "wal"), "/data/wal");
  EXPECT_EQ(JoinPath("/data/", "wal"), "/data/wal");
  EXPECT_EQ(JoinPath("/", "data"), "/data");
}

TEST(FileSystemPathTest, TempPathIsBesideTheTarget) {
  EXPECT_EQ(FileSystem::TempPathFor("/data/state/positions"), "/data/state/positions.tmp");
  EXPECT_EQ(ParentDir(FileSystem::TempPathFor("/data/state/positions")), "/data/state");
}

}  // namespace
}  // namespace silt::fs
