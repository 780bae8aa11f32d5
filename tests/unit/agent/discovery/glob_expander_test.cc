#include "agent/discovery/glob_expander.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/agent/discovery/discovery_test_util.h"

namespace silt::agent {
namespace {

using testing::MakeDir;
using testing::Symlink;
using testing::WriteFile;

class GlobExpanderTest : public ::testing::Test {
 protected:
  std::string P(const std::string& name) const { return dir_.Path(name); }

  GlobMatches Expand(const std::vector<std::string>& patterns, GlobExpandOptions options = {}) {
    std::vector<GlobPattern> globs;
    for (const std::string& pattern : patterns) {
      Result<GlobPattern> glob = GlobPattern::Compile(pattern);
      EXPECT_TRUE(glob.ok()) << glob.status();
      if (glob.ok()) globs.push_back(std::move(*glob));
    }
    GlobMatches matches;
    ExpandGlobs(globs, options, &matches);
    return matches;
  }

  silt::testing::TempDir dir_;
};

TEST_F(GlobExpanderTest, WildcardMatchesRegularFilesOnly) {
  WriteFile(P("a.log"), "x\n");
  WriteFile(P("b.log"), "");
  WriteFile(P("c.txt"), "");
  MakeDir(P("dir.log"));
  ASSERT_EQ(::mkfifo(P("fifo.log").c_str(), 0644), 0);
  GlobMatches m = Expand({P("*.log")});
  EXPECT_EQ(m.files, (std::vector<std::string>{P("a.log"), P("b.log")}));
  EXPECT_EQ(m.directories, std::vector<std::string>{dir_.path()});
  EXPECT_TRUE(m.errors.empty());
}

TEST_F(GlobExpanderTest, LiteralPathIsFoundWithoutListing) {
  WriteFile(P("app.log"), "");
  EXPECT_EQ(Expand({P("app.log")}).files, std::vector<std::string>{P("app.log")});
  EXPECT_TRUE(Expand({P("missing.log")}).files.empty());
}

TEST_F(GlobExpanderTest, DoubleStarDescendsAndListsEveryDirectory) {
  MakeDir(P("a"));
  MakeDir(P("a/b"));
  MakeDir(P("c"));
  WriteFile(P("top.log"), "");
  WriteFile(P("a/one.log"), "");
  WriteFile(P("a/b/two.log"), "");
  WriteFile(P("a/b/skip.txt"), "");
  GlobMatches m = Expand({P("**/*.log")});
  EXPECT_EQ(m.files, (std::vector<std::string>{P("a/b/two.log"), P("a/one.log"), P("top.log")}));
  EXPECT_EQ(m.directories, (std::vector<std::string>{dir_.path(), P("a"), P("a/b"), P("c")}));
}

TEST_F(GlobExpanderTest, WildcardDirectorySegment) {
  MakeDir(P("nginx"));
  MakeDir(P("app"));
  WriteFile(P("nginx/access.log"), "");
  WriteFile(P("app/access.log"), "");
  WriteFile(P("app/error.log"), "");
  GlobMatches m = Expand({P("*/access.log")});
  EXPECT_EQ(m.files, (std::vector<std::string>{P("app/access.log"), P("nginx/access.log")}));
}

TEST_F(GlobExpanderTest, SymlinkedFileAndDirectoryAreFollowed) {
  MakeDir(P("real"));
  WriteFile(P("real/x.log"), "");
  MakeDir(P("logs"));
  Symlink(P("real/x.log"), P("logs/link.log"));
  Symlink(P("real"), P("logs/sub"));
  GlobMatches m = Expand({P("logs/**/*.log")});
  EXPECT_EQ(m.files, (std::vector<std::string>{P("logs/link.log"), P("logs/sub/x.log")}));
}

TEST_F(GlobExpanderTest, SymlinkLoopEnds) {
  MakeDir(P("a"));
  WriteFile(P("a/x.log"), "");
  Symlink(P("a"), P("a/loop"));
  GlobMatches m = Expand({P("**/*.log")});
  EXPECT_EQ(m.files, std::vector<std::string>{P("a/x.log")});
}

TEST_F(GlobExpanderTest, DanglingSymlinkIsNoMatch) {
  Symlink(P("nowhere.log"), P("dangling.log"));
  EXPECT_TRUE(Expand({P("*.log")}).files.empty());
}

TEST_F(GlobExpanderTest, MaxDepthLimitsDescent) {
  MakeDir(P("1"));
  MakeDir(P("1/2"));
  MakeDir(P("1/2/3"));
  WriteFile(P("1/2/3/deep.log"), "");
  WriteFile(P("1/shallow.log"), "");
  GlobExpandOptions options;
  options.max_depth = 2;
  EXPECT_EQ(Expand({P("**/*.log")}, options).files, std::vector<std::string>{P("1/shallow.log")});
}

TEST_F(GlobExpanderTest, MaxDirectoriesStopsTheWalkWithAnError) {
  for (const char* name : {"a", "b", "c", "d"}) MakeDir(P(name));
  GlobExpandOptions options;
  options.max_directories = 2;
  GlobMatches m = Expand({P("**/*.log")}, options);
  EXPECT_EQ(m.directories.size(), 2u);
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].find("more than 2 directories"), std::string::npos) << m.errors[0];
}

TEST_F(GlobExpanderTest, MissingBaseDirectoryIsNoMatchAndNoError) {
  GlobMatches m = Expand({P("nope/**/*.log")});
  EXPECT_TRUE(m.files.empty());
  EXPECT_TRUE(m.directories.empty());
  EXPECT_TRUE(m.errors.empty());
}

TEST_F(GlobExpanderTest, UnreadableDirectoryIsReportedAndTheRestGoesOn) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every directory";
  MakeDir(P("closed"));
  MakeDir(P("open"));
  WriteFile(P("open/x.log"), "");
  ASSERT_EQ(::chmod(P("closed").c_str(), 0), 0);
  GlobMatches m = Expand({P("*/*.log")});
  ::chmod(P("closed").c_str(), 0755);
  EXPECT_EQ(m.files, std::vector<std::string>{P("open/x.log")});
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].find(P("closed")), std::string::npos);
  EXPECT_NE(m.errors[0].find("Permission denied"), std::string::npos);
}

TEST_F(GlobExpanderTest, OverlappingPatternsGiveEachFileOnce) {
  WriteFile(P("a.log"), "");
  GlobMatches m = Expand({P("*.log"), P("a.*"), P("**/a.log")});
  EXPECT_EQ(m.files, std::vector<std::string>{P("a.log")});
  EXPECT_EQ(m.directories, std::vector<std::string>{dir_.path()});
}

}  // namespace
}  // namespace silt::agent
