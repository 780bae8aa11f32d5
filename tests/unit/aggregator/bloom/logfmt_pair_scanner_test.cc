#include "aggregator/bloom/logfmt_pair_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace silt::bloom {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct ScanResult {
  Pairs pairs;
  bool ok;
};

ScanResult Scan(std::string_view line) {
  LogfmtPairScanner scanner;
  ScanResult result;
  result.ok = scanner.Scan(line, [&](std::string_view name, std::string_view value) {
    result.pairs.emplace_back(name, value);
  });
  return result;
}

TEST(LogfmtPairScannerTest, BareValues) {
  ScanResult r = Scan("level=info status=200 path=/api/v1");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"level", "info"}, {"status", "200"}, {"path", "/api/v1"}}));
}

TEST(LogfmtPairScannerTest, QuotedValuesAreUnquoted) {
  ScanResult r = Scan(R"(msg="disk full" err="say \"no\"\t" x="")");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"msg", "disk full"}, {"err", "say \"no\"\t"}}));
}

TEST(LogfmtPairScannerTest, KeysAreNormalized) {
  ScanResult r = Scan("http.method=GET trace_id=abc");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"httpmethod", "GET"}, {"traceid", "abc"}}));
}

TEST(LogfmtPairScannerTest, KeysWithoutValuesAndEmptyValuesYieldNothing) {
  ScanResult r = Scan("flag empty= other=1");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"other", "1"}}));
}

TEST(LogfmtPairScannerTest, FreeTextAroundPairsIsSkipped) {
  ScanResult r = Scan("2024-01-01T00:00:00Z INFO request done level=info dur=3ms");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"level", "info"}, {"dur", "3ms"}}));
}

TEST(LogfmtPairScannerTest, MalformedPairIsSkippedAndScanningGoesOn) {
  ScanResult r = Scan(R"(a=b=c x"y=1 =v good=yes)");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"good", "yes"}}));
}

TEST(LogfmtPairScannerTest, QuotedValueNeedsNoSpaceAfterIt) {
  ScanResult r = Scan(R"(a="1"b=2)");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"a", "1"}, {"b", "2"}}));
}

TEST(LogfmtPairScannerTest, BadEscapeSkipsThatPairOnly) {
  ScanResult r = Scan(R"(a="x\qy" b=2)");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"b", "2"}}));
}

TEST(LogfmtPairScannerTest, UnterminatedQuoteEndsTheScan) {
  ScanResult r = Scan(R"(a=1 msg="never closed b=2)");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"a", "1"}}));
}

TEST(LogfmtPairScannerTest, EscapedQuoteDoesNotCloseTheValue) {
  ScanResult r = Scan(R"(a="x\" y=1" b=2)");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"a", "x\" y=1"}, {"b", "2"}}));
}

TEST(LogfmtPairScannerTest, ControlBytesSeparatePairs) {
  ScanResult r = Scan(
      "a=1\tb=2\x01"
      "c=3");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"a", "1"}, {"b", "2"}, {"c", "3"}}));
}

}  // namespace
}  // namespace silt::bloom
