#include "agent/discovery/glob_pattern.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::agent {
namespace {

GlobPattern Compile(const std::string& pattern) {
  Result<GlobPattern> glob = GlobPattern::Compile(pattern);
  EXPECT_TRUE(glob.ok()) << glob.status();
  return glob.ok() ? std::move(*glob) : GlobPattern();
}

TEST(GlobPatternTest, LiteralPathMatchesOnlyItself) {
  GlobPattern glob = Compile("/var/log/app.log");
  EXPECT_TRUE(glob.Matches("/var/log/app.log"));
  EXPECT_FALSE(glob.Matches("/var/log/app.log.1"));
  EXPECT_FALSE(glob.Matches("/var/log"));
  EXPECT_FALSE(glob.Matches("var/log/app.log"));
}

TEST(GlobPatternTest, StarMatchesWithinOneSegmentIncludingDotFiles) {
  GlobPattern glob = Compile("/var/log/*.log");
  EXPECT_TRUE(glob.Matches("/var/log/app.log"));
  EXPECT_TRUE(glob.Matches("/var/log/.log"));
  EXPECT_TRUE(glob.Matches("/var/log/.hidden.log"));
  EXPECT_FALSE(glob.Matches("/var/log/nginx/access.log"));
  EXPECT_FALSE(glob.Matches("/var/log/app.log.1"));
}

TEST(GlobPatternTest, QuestionMarkAndSets) {
  GlobPattern glob = Compile("/l/app-?.[0-9a-c][!x]");
  EXPECT_TRUE(glob.Matches("/l/app-1.5y"));
  EXPECT_TRUE(glob.Matches("/l/app-z.cq"));
  EXPECT_FALSE(glob.Matches("/l/app-1.dy"));
  EXPECT_FALSE(glob.Matches("/l/app-1.5x"));
  EXPECT_FALSE(glob.Matches("/l/app-12.5y"));
  EXPECT_TRUE(Compile("/l/[^a]").Matches("/l/b"));
  EXPECT_FALSE(Compile("/l/[^a]").Matches("/l/a"));
  EXPECT_TRUE(Compile("/l/[]]").Matches("/l/]"));
  EXPECT_TRUE(Compile("/l/[a-]").Matches("/l/-"));
}

TEST(GlobPatternTest, BackslashEscapesAWildcard) {
  GlobPattern glob = Compile("/l/a\\*b");
  EXPECT_TRUE(glob.Matches("/l/a*b"));
  EXPECT_FALSE(glob.Matches("/l/axb"));
  EXPECT_EQ(glob.segments().back().kind, GlobPattern::Segment::Kind::kLiteral);
  EXPECT_EQ(glob.segments().back().text, "a*b");
}

TEST(GlobPatternTest, DoubleStarMatchesZeroOrMoreDirectories) {
  GlobPattern glob = Compile("/var/log/**/*.log");
  EXPECT_TRUE(glob.Matches("/var/log/app.log"));
  EXPECT_TRUE(glob.Matches("/var/log/a/app.log"));
  EXPECT_TRUE(glob.Matches("/var/log/a/b/c/app.log"));
  EXPECT_FALSE(glob.Matches("/var/app.log"));
  EXPECT_FALSE(glob.Matches("/var/log/a/app.txt"));
}

TEST(GlobPatternTest, TrailingDoubleStarMatchesEverythingBelow) {
  GlobPattern glob = Compile("/srv/**");
  EXPECT_TRUE(glob.Matches("/srv/a"));
  EXPECT_TRUE(glob.Matches("/srv/a/b/c"));
  EXPECT_FALSE(glob.Matches("/other/a"));
}

TEST(GlobPatternTest, DoubleStarInsideASegmentIsAStar) {
  GlobPattern glob = Compile("/l/a**b");
  EXPECT_TRUE(glob.Matches("/l/axyzb"));
  EXPECT_FALSE(glob.Matches("/l/ax/b"));
}

TEST(GlobPatternTest, RepeatedAndTrailingSlashesAreIgnored) {
  GlobPattern glob = Compile("//var///log/*.log/");
  EXPECT_TRUE(glob.Matches("/var/log/a.log"));
  EXPECT_EQ(glob.BaseDirectory(), "/var/log");
}

TEST(GlobPatternTest, BaseDirectoryIsTheLiteralPrefix) {
  EXPECT_EQ(Compile("/var/log/**/*.log").BaseDirectory(), "/var/log");
  EXPECT_EQ(Compile("/var/log/app.log").BaseDirectory(), "/var/log");
  EXPECT_EQ(Compile("/var/*/x.log").BaseDirectory(), "/var");
  EXPECT_EQ(Compile("/*.log").BaseDirectory(), "/");
  EXPECT_EQ(Compile("/var/log/app.log").base_segments(), 2u);
}

TEST(GlobPatternTest, RelativePatternIsRejected) {
  Result<GlobPattern> glob = GlobPattern::Compile("logs/*.log");
  ASSERT_FALSE(glob.ok());
  EXPECT_EQ(glob.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(glob.status().message().find("\"logs/*.log\" is not an absolute path"),
            std::string::npos)
      << glob.status();
}

TEST(GlobPatternTest, DotSegmentsAreRejected) {
  EXPECT_FALSE(GlobPattern::Compile("/var/../etc/*.log").ok());
  EXPECT_FALSE(GlobPattern::Compile("/var/./x.log").ok());
}

TEST(GlobPatternTest, UnterminatedSetIsRejected) {
  Result<GlobPattern> glob = GlobPattern::Compile("/var/log/[ab.log");
  ASSERT_FALSE(glob.ok());
  EXPECT_NE(glob.status().message().find("'['"), std::string::npos) << glob.status();
}

TEST(GlobPatternTest, LoneTrailingBackslashIsRejected) {
  EXPECT_FALSE(GlobPattern::Compile("/var/log/a\\").ok());
}

TEST(GlobPatternTest, RootAloneIsRejected) { EXPECT_FALSE(GlobPattern::Compile("/").ok()); }

TEST(GlobPatternTest, MatchSegmentBacktracksOverStars) {
  EXPECT_TRUE(GlobPattern::MatchSegment("*a*b*c", "xxaxxbxxbc"));
  EXPECT_TRUE(GlobPattern::MatchSegment("a*", "a"));
  EXPECT_TRUE(GlobPattern::MatchSegment("*", ""));
  EXPECT_FALSE(GlobPattern::MatchSegment("*a*b", "ba"));
  EXPECT_FALSE(GlobPattern::MatchSegment("?", ""));
}

TEST(GlobPatternTest, MatchingIsOnBytes) {
  EXPECT_TRUE(GlobPattern::MatchSegment("caf?", "caf\xc3"));
  EXPECT_FALSE(GlobPattern::MatchSegment("caf?", "caf\xc3\xa9"));
  EXPECT_TRUE(GlobPattern::MatchSegment("[\x80-\xff]", "\xe9"));
  EXPECT_FALSE(GlobPattern::MatchSegment("*.LOG", "a.log"));
}

TEST(ExpandBracesTest, AlternativesExpandInOrder) {
  Result<std::vector<std::string>> out = ExpandBraces("/l/{a,b,c}.log");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, (std::vector<std::string>{"/l/a.log", "/l/b.log", "/l/c.log"}));
}

TEST(ExpandBracesTest, NestedAndMultipleGroups) {
  Result<std::vector<std::string>> out = ExpandBraces("/{x,y{1,2}}/{a,b}");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, (std::vector<std::string>{"/x/a", "/x/b", "/y1/a", "/y1/b", "/y2/a", "/y2/b"}));
}

TEST(ExpandBracesTest, BracesWithoutCommaOrCloseAreLiteral) {
  EXPECT_EQ(*ExpandBraces("/l/{a}.log"), std::vector<std::string>{"/l/{a}.log"});
  EXPECT_EQ(*ExpandBraces("/l/{a,b.log"), std::vector<std::string>{"/l/{a,b.log"});
  EXPECT_EQ(*ExpandBraces("/l/\\{a,b}"), std::vector<std::string>{"/l/\\{a,b}"});
}

TEST(ExpandBracesTest, EmptyAlternativeIsKept) {
  EXPECT_EQ(*ExpandBraces("/l/a{,.1}"), (std::vector<std::string>{"/l/a", "/l/a.1"}));
}

TEST(ExpandBracesTest, TooManyExpansionsAreRejected) {
  Result<std::vector<std::string>> out = ExpandBraces("/{0,1,2,3}{0,1,2,3}{0,1,2,3}{0,1,2,3}{0,1}");
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("more than 256"), std::string::npos) << out.status();
}

}  // namespace
}  // namespace silt::agent
