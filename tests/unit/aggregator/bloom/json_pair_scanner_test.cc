#include "aggregator/bloom/json_pair_scanner.h"

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
  JsonPairScanner scanner;
  ScanResult result;
  result.ok = scanner.Scan(line, [&](std::string_view name, std::string_view value) {
    result.pairs.emplace_back(name, value);
  });
  return result;
}

TEST(JsonPairScannerTest, FlatObjectYieldsEveryScalarMember) {
  ScanResult r = Scan(R"({"level":"error","status":500,"ok":false,"ratio":-1.5e3})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs,
            (Pairs{{"level", "error"}, {"status", "500"}, {"ok", "false"}, {"ratio", "-1.5e3"}}));
}

TEST(JsonPairScannerTest, NestedObjectsAreFlattenedWithNormalizedNames) {
  ScanResult r = Scan(R"({"app":"foo","pod":{"uuid":"u1","deployment":{"ref":"r"}}})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"app", "foo"}, {"poduuid", "u1"}, {"poddeploymentref", "r"}}));
}

TEST(JsonPairScannerTest, NamesWithPunctuationAreNormalized) {
  ScanResult r = Scan(R"({"http.status_code":"200", " ": {"foo":"bar"}, "1st":"x"})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"httpstatuscode", "200"}, {"foo", "bar"}, {"1st", "x"}}));
}

TEST(JsonPairScannerTest, ArraysAndNullYieldNothing) {
  ScanResult r = Scan(R"({"tags":["a",{"b":"c"},[1,"]"]],"n":null,"after":"yes"})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"after", "yes"}}));
}

TEST(JsonPairScannerTest, StringsAreUnescaped) {
  ScanResult r = Scan(R"({"msg":"say \"hi\"\n","k\u0065y":"caf\u00e9"})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"msg", "say \"hi\"\n"}, {"key", "caf\xC3\xA9"}}));
}

TEST(JsonPairScannerTest, EmptyStringValueIsYielded) {
  ScanResult r = Scan(R"({"a":""})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"a", ""}}));
}

TEST(JsonPairScannerTest, LeadingSpacesAndTrailingBytesAreAccepted) {
  ScanResult r = Scan(" \t{\"a\" : \"b\" } trailing");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"a", "b"}}));
}

TEST(JsonPairScannerTest, EmptyObjectsAreFine) {
  ScanResult r = Scan(R"({"a":{},"b":{"c":{}},"d":"e"})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"d", "e"}}));
}

TEST(JsonPairScannerTest, NonObjectLinesYieldNothing) {
  for (std::string_view line : {"", "plain text", "[1,2]", "\"str\"", "  42"}) {
    ScanResult r = Scan(line);
    EXPECT_FALSE(r.ok) << line;
    EXPECT_TRUE(r.pairs.empty()) << line;
  }
}

TEST(JsonPairScannerTest, PairsBeforeASyntaxErrorAreKept) {
  ScanResult r = Scan(R"({"level":"error","msg":"x" "oops":1,"later":"no"})");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"level", "error"}, {"msg", "x"}}));
}

TEST(JsonPairScannerTest, TruncatedLineKeepsTheCompletePairs) {
  ScanResult r = Scan(R"({"a":"1","b":{"c":"2","d":"unterminated)");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"a", "1"}, {"bc", "2"}}));
}

TEST(JsonPairScannerTest, BadEscapeSkipsOnlyThatMember) {
  ScanResult r = Scan(R"({"a":"bad \q","b":"good"})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"b", "good"}}));
}

TEST(JsonPairScannerTest, BareWordsAreYieldedAsWritten) {
  ScanResult r = Scan(R"({"a":12abc,"b":true})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.pairs, (Pairs{{"a", "12abc"}, {"b", "true"}}));
}

TEST(JsonPairScannerTest, DeepNestingNeedsNoRecursion) {
  std::string line;
  for (int i = 0; i < 100000; ++i) line += "{\"k\":";
  line += "\"v\"";
  for (int i = 0; i < 100000; ++i) line += "}";
  ScanResult r = Scan(line);
  EXPECT_TRUE(r.ok);
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].first, std::string(100000, 'k'));
  EXPECT_EQ(r.pairs[0].second, "v");
}

TEST(JsonPairScannerTest, ScannerIsReusableAcrossLines) {
  JsonPairScanner scanner;
  Pairs pairs;
  auto collect = [&](std::string_view n, std::string_view v) { pairs.emplace_back(n, v); };
  EXPECT_FALSE(scanner.Scan(R"({"a":{"b":"1")", collect));
  EXPECT_TRUE(scanner.Scan(R"({"c":"2"})", collect));
  EXPECT_EQ(pairs, (Pairs{{"ab", "1"}, {"c", "2"}}));
}

TEST(JsonPairScannerTest, ValuesWithoutEscapesPointIntoTheLine) {
  const std::string line = R"({"a":"plain","n":-12.5e3,"b":"esc\"aped","t":true})";
  JsonPairScanner scanner;
  std::vector<bool> in_line;
  scanner.Scan(line, [&](std::string_view, std::string_view value) {
    in_line.push_back(value.data() >= line.data() && value.data() < line.data() + line.size());
  });
  EXPECT_EQ(in_line, (std::vector<bool>{true, true, false, true}));
}

TEST(JsonPairScannerTest, LongStringsWithEscapesAcrossSixteenByteSteps) {
  std::string filler(37, 'x');
  Pairs pairs =
      Scan("{\"k\":\"" + filler + "\\\"" + filler + "\\\\\",\"" + filler + "\":\"v\"}").pairs;
  EXPECT_EQ(pairs, (Pairs{{"k", filler + "\"" + filler + "\\"}, {filler, "v"}}));
  EXPECT_TRUE(Scan("{\"k\":\"" + std::string(40, 'y') + "\\").pairs.empty());  // ends in an escape
}

}  // namespace
}  // namespace silt::bloom
