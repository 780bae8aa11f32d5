#include "aggregator/bloom/logfmt_pair_scanner.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/bloom/json_unescape.h"
#include "aggregator/bloom/kv_term.h"

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

TEST(LogfmtPairScannerTest, BareAndUnescapedValuesPointIntoTheLine) {
  const std::string line = R"(a=1 b="two words" c="esc\"aped")";
  LogfmtPairScanner scanner;
  std::vector<bool> in_line;
  scanner.Scan(line, [&](std::string_view, std::string_view value) {
    in_line.push_back(value.data() >= line.data() && value.data() < line.data() + line.size());
  });
  EXPECT_EQ(in_line, (std::vector<bool>{true, true, false}));
}

// The grammar written one byte at a time, as a reference for the scanner's 16-byte steps.
ScanResult ReferenceScan(std::string_view line) {
  auto is_space = [](char c) { return static_cast<unsigned char>(c) <= ' '; };
  auto skip_to_space = [&](size_t pos) {
    while (pos < line.size() && !is_space(line[pos])) ++pos;
    return pos;
  };
  ScanResult result{{}, true};
  size_t pos = 0;
  for (;;) {
    while (pos < line.size() && is_space(line[pos])) ++pos;
    if (pos >= line.size()) return result;
    size_t key_start = pos;
    while (pos < line.size() && line[pos] != '=' && line[pos] != '"' && !is_space(line[pos])) ++pos;
    if (pos >= line.size() || is_space(line[pos])) continue;
    if (line[pos] == '"' || pos == key_start) {
      result.ok = false;
      pos = skip_to_space(pos);
      continue;
    }
    std::string key(line.substr(key_start, pos - key_start));
    ++pos;
    std::string value;
    if (pos >= line.size() || is_space(line[pos])) continue;
    if (line[pos] == '"') {
      size_t close = pos + 1;
      bool escape = false;
      while (close < line.size() && line[close] != '"') {
        if (line[close] == '\\') {
          escape = true;
          ++close;
        }
        ++close;
      }
      if (close >= line.size()) return {result.pairs, false};
      std::string_view body = line.substr(pos + 1, close - pos - 1);
      pos = close + 1;
      if (!escape) {
        value = body;
      } else if (!AppendUnescaped(body, &value)) {
        result.ok = false;
        continue;
      }
      if (value.empty()) continue;
    } else {
      size_t start = pos;
      while (pos < line.size() && !is_space(line[pos]) && line[pos] != '=' && line[pos] != '"') {
        ++pos;
      }
      if (pos < line.size() && !is_space(line[pos])) {
        pos = skip_to_space(pos);
        result.ok = false;
        continue;
      }
      value = line.substr(start, pos - start);
    }
    std::string name;
    AppendNormalizedName(key, &name);
    if (!name.empty()) result.pairs.emplace_back(name, value);
  }
}

TEST(LogfmtPairScannerTest, MatchesTheByteAtATimeGrammarOnRandomLines) {
  static const char* const kPieces[] = {"k",  "key_1", "=",   "\"",   "\\",
                                        " ",  "\t",    "v",   "12",   "a.b",
                                        "==", "\\\"",  "x y", "\x01", "long_value_0123456789"};
  std::mt19937_64 rng(3);
  for (int i = 0; i < 30000; ++i) {
    std::string line;
    for (int n = static_cast<int>(rng() % 40); n > 0; --n)
      line += kPieces[rng() % std::size(kPieces)];
    ScanResult actual = Scan(line);
    ScanResult expected = ReferenceScan(line);
    ASSERT_EQ(actual.pairs, expected.pairs) << line;
    ASSERT_EQ(actual.ok, expected.ok) << line;
  }
}

TEST(LogfmtPairScannerTest, FreeTextBeforeAPairIsSkippedAsTheGrammarSays) {
  // Mostly words without '=' (what the scanner jumps over 16 bytes at a time) with the odd
  // pair, quote or stray '=' among them, at every distance from the line's start and end.
  static const char* const kPieces[] = {
      "word", " ", " ",  "free_text_word_0123", "k=v", "\"",   "\t",
      "q\"x", "=", "e=", "m=\"a b\"",           "  ",  "\x01", "GET /api?id=7&x=y HTTP/1.1"};
  std::mt19937_64 rng(11);
  for (int i = 0; i < 30000; ++i) {
    std::string line;
    for (int n = static_cast<int>(rng() % 30); n > 0; --n) {
      line += kPieces[rng() % std::size(kPieces)];
      if (rng() % 3 != 0) line += ' ';
    }
    ScanResult actual = Scan(line);
    ScanResult expected = ReferenceScan(line);
    ASSERT_EQ(actual.pairs, expected.pairs) << line;
    ASSERT_EQ(actual.ok, expected.ok) << line;
  }
  ScanResult r = Scan("GET /index.html HTTP/1.1 from a client that said hello id=42 more words");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"id", "42"}}));
  r = Scan("many words without any pair at all but one \"quote");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.pairs.empty());
}

}  // namespace
}  // namespace silt::bloom
