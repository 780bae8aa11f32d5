// Tests for aggregator/logql/pipeline/logfmt_scanner.h.
#include "aggregator/logql/pipeline/logfmt_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::logql::pipeline {
namespace {

// "k=v" for pairs, "k" for standalone keys, "!pos:error" for errors.
std::vector<std::string> Scan(std::string_view line) {
  std::string buffer;
  LogfmtScanner scanner(line, &buffer);
  std::vector<std::string> out;
  for (;;) {
    LogfmtScanner::Outcome o = scanner.Next();
    if (o == LogfmtScanner::Outcome::kEnd) break;
    if (o == LogfmtScanner::Outcome::kError) {
      out.push_back("!" + std::to_string(scanner.position()) + ":" + std::string(scanner.error()));
    } else if (scanner.standalone()) {
      out.push_back(std::string(scanner.key()));
    } else {
      out.push_back(std::string(scanner.key()) + "=" + std::string(scanner.value()));
    }
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(LogfmtScannerTest, PairsAndStandaloneKeys) {
  EXPECT_EQ(Scan("a=1 b flag c="), (Strings{"a=1", "b", "flag", "c="}));
}

TEST(LogfmtScannerTest, QuotedValuesAreUnescaped) {
  EXPECT_EQ(Scan(R"(m="a \"b\" \\ \t \u0041" x=1)"), (Strings{"m=a \"b\" \\ \t A", "x=1"}));
}

TEST(LogfmtScannerTest, SeparatorsAreAnyByteUpToSpace) {
  EXPECT_EQ(Scan("\ta=1\x01" "b=2\r\n"), (Strings{"a=1", "b=2"}));
}

TEST(LogfmtScannerTest, MalformedPairsReportPositionAndResume) {
  EXPECT_EQ(Scan("=x a=1"), (Strings{"!1:unexpected '='", "a=1"}));
  EXPECT_EQ(Scan("a=b=c d=1"), (Strings{"!4:unexpected '='", "d=1"}));
  EXPECT_EQ(Scan("a=\"open"), (Strings{"!3:unterminated quoted value"}));
  EXPECT_EQ(Scan("a=\"x\"y"), (Strings{"!6:unexpected character after quoted value"}));
  EXPECT_EQ(Scan("a\"b=1"), (Strings{"!2:unexpected '\"'"}));
  EXPECT_EQ(Scan("a=\"\\u00zz\""), (Strings{"!3:invalid \\u escape in quoted value"}));
}

TEST(LogfmtScannerTest, EmptyLineHasNoPairs) {
  EXPECT_EQ(Scan(""), Strings{});
  EXPECT_EQ(Scan("   "), Strings{});
}

}  // namespace
}  // namespace silt::logql::pipeline
