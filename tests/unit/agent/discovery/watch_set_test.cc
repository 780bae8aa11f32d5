#include "agent/discovery/watch_set.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/agent/discovery/discovery_test_util.h"

namespace silt::agent {
namespace {

using testing::MakeDir;
using testing::WriteFile;

const std::vector<std::string> kCompressed = {".gz", ".zst"};

WatchSet Create(std::vector<WatchRule> rules) {
  Result<WatchSet> set = WatchSet::Create(std::move(rules), kCompressed);
  EXPECT_TRUE(set.ok()) << set.status();
  return std::move(*set);
}

TEST(WatchSetTest, PathBelongsToTheFirstMatchingWatch) {
  WatchSet set = Create({
      {{"/var/log/nginx/*.log"}, {}, labels::LabelSet::Of({{"job", "nginx"}}), {}},
      {{"/var/log/**/*.log"}, {}, labels::LabelSet::Of({{"job", "all"}}), {}},
  });
  EXPECT_EQ(set.RuleFor("/var/log/nginx/access.log"), 0u);
  EXPECT_EQ(set.RuleFor("/var/log/app/x.log"), 1u);
  EXPECT_FALSE(set.RuleFor("/var/log/app/x.txt").has_value());
  EXPECT_EQ(set.LabelsFor("/var/log/app/x.log"), labels::LabelSet::Of({{"job", "all"}}));
}

TEST(WatchSetTest, ExcludedPathFallsToTheNextWatch) {
  WatchSet set = Create({
      {{"/l/*.log"}, {"/l/debug*.log"}, labels::LabelSet::Of({{"job", "a"}}), {}},
      {{"/l/*.log"}, {}, labels::LabelSet::Of({{"job", "b"}}), {}},
  });
  EXPECT_EQ(set.RuleFor("/l/app.log"), 0u);
  EXPECT_EQ(set.RuleFor("/l/debug-1.log"), 1u);
}

TEST(WatchSetTest, ExcludeWithoutSlashMatchesTheFileName) {
  WatchSet set =
      Create({{{"/l/**"}, {"*.tmp", "{x,y}.log"}, labels::LabelSet::Of({{"j", "a"}}), {}}});
  EXPECT_TRUE(set.RuleFor("/l/a/b.log").has_value());
  EXPECT_FALSE(set.RuleFor("/l/a/b.tmp").has_value());
  EXPECT_FALSE(set.RuleFor("/l/a/x.log").has_value());
  EXPECT_FALSE(set.RuleFor("/l/y.log").has_value());
}

TEST(WatchSetTest, IgnoredSuffixesNeverMatch) {
  WatchSet set = Create({{{"/l/*"}, {}, labels::LabelSet::Of({{"j", "a"}}), {}}});
  EXPECT_TRUE(set.RuleFor("/l/app.log").has_value());
  EXPECT_FALSE(set.RuleFor("/l/app.log.1.gz").has_value());
  EXPECT_FALSE(set.RuleFor("/l/app.log.zst").has_value());
}

TEST(WatchSetTest, BracesExpandInPaths) {
  WatchSet set = Create({{{"/l/{a,b}.log"}, {}, labels::LabelSet::Of({{"j", "a"}}), {}}});
  EXPECT_TRUE(set.RuleFor("/l/a.log").has_value());
  EXPECT_TRUE(set.RuleFor("/l/b.log").has_value());
  EXPECT_FALSE(set.RuleFor("/l/c.log").has_value());
}

TEST(WatchSetTest, PathLabelsAreAddedToStaticLabels) {
  WatchSet set = Create({{{"/srv/*/logs/*.log"},
                          {},
                          labels::LabelSet::Of({{"job", "srv"}, {"app", "default"}}),
                          {R"(/srv/(?P<app>[^/]+)/)"}}});
  EXPECT_EQ(set.LabelsFor("/srv/shop/logs/x.log"),
            labels::LabelSet::Of({{"job", "srv"}, {"app", "shop"}}));
  EXPECT_TRUE(set.LabelsFor("/elsewhere/x.log").empty());
}

TEST(WatchSetTest, InvalidGlobNamesTheWatch) {
  Result<WatchSet> set =
      WatchSet::Create({{{"/ok/*.log"}, {}, {}, {}}, {{"rel/*.log"}, {}, {}, {}}}, kCompressed);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("watches[1].paths"), std::string::npos) << set.status();
}

TEST(WatchSetTest, InvalidPathLabelRegexNamesTheWatch) {
  Result<WatchSet> set = WatchSet::Create({{{"/ok/*.log"}, {}, {}, {"(?P<x>"}}}, kCompressed);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("watches[0]"), std::string::npos) << set.status();
}

TEST(WatchSetTest, ScanAssignsWatchesAndDropsExcludedAndCompressed) {
  silt::testing::TempDir dir;
  MakeDir(dir.Path("a"));
  WriteFile(dir.Path("a/x.log"), "");
  WriteFile(dir.Path("a/x.log.1.gz"), "");
  WriteFile(dir.Path("a/skip.log"), "");
  WriteFile(dir.Path("y.log"), "");
  WatchSet set = Create({
      {{dir.Path("a/*")}, {"skip.log"}, labels::LabelSet::Of({{"j", "a"}}), {}},
      {{dir.Path("**/*.log")}, {}, labels::LabelSet::Of({{"j", "b"}}), {}},
  });
  ScanResult scan = set.Scan(GlobExpandOptions{});
  EXPECT_EQ(scan.paths, (std::vector<std::string>{dir.Path("a/skip.log"), dir.Path("a/x.log"),
                                                  dir.Path("y.log")}));
  EXPECT_EQ(scan.rules, (std::vector<size_t>{1, 0, 1}));
  EXPECT_EQ(scan.directories, (std::vector<std::string>{dir.path(), dir.Path("a")}));
}

}  // namespace
}  // namespace silt::agent
