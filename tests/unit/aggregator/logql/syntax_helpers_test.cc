// Tests for the small syntaxes inside LogQL strings: JSON paths, pattern expressions, ip()
// patterns, and the number format of canonical text.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "aggregator/logql/ip_pattern.h"
#include "aggregator/logql/json_path.h"
#include "aggregator/logql/number_text.h"
#include "aggregator/logql/pattern_syntax.h"

namespace silt::logql {
namespace {

TEST(JsonPathTest, FieldsIndexesAndQuotedKeys) {
  Result<std::vector<JsonPathPart>> p = ParseJsonPath("a.b[2][\"c d\"]");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ((*p)[1].key, "b");
  EXPECT_TRUE((*p)[2].is_index);
  EXPECT_EQ((*p)[2].index, 2);
  EXPECT_EQ((*p)[3].key, "c d");
}

TEST(JsonPathTest, MalformedPathsAreRejected) {
  for (const char* bad : {"", "a..b", ".a", "a[", "a[x]", "a b"}) {
    EXPECT_FALSE(ParseJsonPath(bad).ok()) << bad;
  }
}

TEST(PatternSyntaxTest, SplitsLiteralsAndCaptures) {
  Result<std::vector<PatternPart>> p = ParsePattern("<ip> - <_> <x", true);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->size(), 4u);
  EXPECT_TRUE((*p)[0].is_capture);
  EXPECT_EQ((*p)[1].text, " - ");
  EXPECT_EQ((*p)[2].text, "_");
  EXPECT_EQ((*p)[3].text, " <x");
}

TEST(PatternSyntaxTest, ConsecutiveCapturesAreRejected) {
  EXPECT_FALSE(ParsePattern("<a><b>", true).ok());
  EXPECT_FALSE(ParsePattern("<_> <_>", true).ok());  // no named capture
  EXPECT_TRUE(ParsePattern("<_> <_>", false).ok());
}

TEST(IpPatternTest, AcceptsAddressesCidrsAndRanges) {
  for (const char* ok : {"1.2.3.4", "::1", "10.0.0.0/8", "2001:db8::/32", "1.1.1.1-1.1.1.9"}) {
    EXPECT_TRUE(ValidateIpPattern(ok).ok()) << ok;
  }
  for (const char* bad : {"1.2.3", "10.0.0.0/33", "1.1.1.1-::1", "x", ""}) {
    EXPECT_FALSE(ValidateIpPattern(bad).ok()) << bad;
  }
}

TEST(NumberTextTest, WritesGoStyleShortestNumbers) {
  EXPECT_EQ(FormatNumber(1), "1");
  EXPECT_EQ(FormatNumber(-2.5), "-2.5");
  EXPECT_EQ(FormatNumber(0.0001), "0.0001");
  EXPECT_EQ(FormatNumber(0.00001), "1e-05");
  EXPECT_EQ(FormatNumber(1e20), "100000000000000000000");
  EXPECT_EQ(FormatNumber(1e21), "1e+21");
  EXPECT_EQ(FormatNumber(0.1 + 0.2), "0.30000000000000004");
}

TEST(NumberTextTest, EveryValueReadsBack) {
  std::srand(7);
  for (int i = 0; i < 10000; ++i) {
    double v = (std::rand() - RAND_MAX / 2) * std::pow(10.0, (std::rand() % 80) - 40);
    std::string text = FormatNumber(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
}

}  // namespace
}  // namespace silt::logql
