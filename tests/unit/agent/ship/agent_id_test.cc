#include "agent/ship/agent_id.h"

#include <gtest/gtest.h>

#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

TEST(AgentIdTest, CreatedOnceAndReadBack) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem fs;
  Result<std::string> first = LoadOrCreateAgentId(&fs, dir.path());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(IsValidAgentId(*first)) << *first;
  Result<std::string> text = fs.ReadFileToString(dir.Path("agent-id"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, *first + "\n");
  Result<std::string> again = LoadOrCreateAgentId(&fs, dir.path());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
  EXPECT_FALSE(fs.FileExists(dir.Path("agent-id.tmp")));
}

TEST(AgentIdTest, TwoInstallationsGetDifferentIds) {
  silt::testing::TempDir a;
  silt::testing::TempDir b;
  fs::PosixFileSystem fs;
  EXPECT_NE(*LoadOrCreateAgentId(&fs, a.path()), *LoadOrCreateAgentId(&fs, b.path()));
}

TEST(AgentIdTest, GarbageFileIsCorruptionNamingTheFile) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem fs;
  ASSERT_TRUE(fs.WriteFileAtomically(dir.Path("agent-id"), "not-an-id\n").ok());
  Result<std::string> id = LoadOrCreateAgentId(&fs, dir.path());
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kCorruption);
  EXPECT_NE(id.status().ToString().find(dir.Path("agent-id")), std::string::npos);
  EXPECT_NE(id.status().ToString().find("remove the file"), std::string::npos);
}

TEST(AgentIdTest, MissingDirectoryIsAnError) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem fs;
  EXPECT_FALSE(LoadOrCreateAgentId(&fs, dir.Path("missing")).ok());
}

TEST(AgentIdTest, Validation) {
  EXPECT_TRUE(IsValidAgentId("0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(IsValidAgentId("0123456789ABCDEF0123456789abcdef"));
  EXPECT_FALSE(IsValidAgentId("0123456789abcdef"));
  EXPECT_FALSE(IsValidAgentId(""));
}

}  // namespace
}  // namespace silt::agent
