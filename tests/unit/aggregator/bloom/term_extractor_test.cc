#include "aggregator/bloom/term_extractor.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "aggregator/bloom/json_unescape.h"
#include "aggregator/bloom/kv_term.h"
#include "aggregator/bloom/tokenizer.h"

namespace silt::bloom {
namespace {

using Terms = std::set<std::string>;

Terms LineTerms(std::string_view line) {
  TermExtractor extractor;
  Terms terms;
  extractor.ForEachLineTerm(line, [&](std::string_view t) { terms.emplace(t); });
  return terms;
}

TEST(TermExtractorTest, PlainLineGivesItsTokensOnly) {
  EXPECT_EQ(LineTerms("GET /health 200"), (Terms{"GET", "health", "200"}));
}

TEST(TermExtractorTest, JsonLineAddsFlattenedPairs) {
  Terms terms = LineTerms(R"({"level":"error","req":{"id":"r-1"}})");
  EXPECT_TRUE(terms.count("level=error"));
  EXPECT_TRUE(terms.count("reqid=r-1"));
  EXPECT_TRUE(terms.count("error"));  // tokens are still there
  EXPECT_TRUE(terms.count("r"));
}

TEST(TermExtractorTest, LogfmtLineAddsPairs) {
  Terms terms = LineTerms(R"(level=warn msg="disk almost full" pct=91)");
  EXPECT_TRUE(terms.count("level=warn"));
  EXPECT_TRUE(terms.count("msg=disk almost full"));
  EXPECT_TRUE(terms.count("pct=91"));
  EXPECT_TRUE(terms.count("disk"));
}

TEST(TermExtractorTest, LineWithoutEqualsOrBraceGetsNoPairs) {
  for (const std::string& term : LineTerms("just words: here, nothing else")) {
    EXPECT_EQ(term.find('='), std::string::npos) << term;
  }
}

TEST(TermExtractorTest, JsonLineWithEqualsIsAlsoScannedAsLogfmt) {
  // `| logfmt` on this line makes q=1 out of the words inside the string.
  Terms terms = LineTerms(R"({"url":"/x", "note": "a q=1 b"})");
  EXPECT_TRUE(terms.count("q=1"));
  EXPECT_TRUE(terms.count("url=/x"));
}

TEST(TermExtractorTest, ValueWithInvalidUtf8AlsoGetsTheCleanedTerm) {
  Terms terms = LineTerms(
      "user=bo\xFF"
      "b");
  EXPECT_TRUE(
      terms.count("user=bo\xFF"
                  "b"));
  EXPECT_TRUE(terms.count("user=bob"));
}

TEST(TermExtractorTest, MetadataPairGivesItsTerm) {
  TermExtractor extractor;
  Terms terms;
  extractor.ForEachPairTerm("trace_id", "abc", [&](std::string_view t) { terms.emplace(t); });
  extractor.ForEachPairTerm("empty", "", [&](std::string_view t) { terms.emplace(t); });
  EXPECT_EQ(terms, (Terms{"traceid=abc"}));
}

TEST(TermExtractorTest, LooksLikeJsonObjectSkipsJsonSpacesOnly) {
  EXPECT_TRUE(LooksLikeJsonObject("{}"));
  EXPECT_TRUE(LooksLikeJsonObject(" \t\r\n{\"a\":1}"));
  EXPECT_FALSE(LooksLikeJsonObject("\v{}"));
  EXPECT_FALSE(LooksLikeJsonObject("x{}"));
  EXPECT_FALSE(LooksLikeJsonObject("   "));
}

TEST(TermExtractorTest, VerbatimValueWithFourDigitsGetsNoTermButItsTokens) {
  Terms terms = LineTerms("user_id=291605 status=200 level=info");
  EXPECT_FALSE(terms.count("userid=291605"));
  EXPECT_TRUE(terms.count("291605"));
  EXPECT_TRUE(terms.count("status=200"));  // three digits: the term stays
  EXPECT_TRUE(terms.count("level=info"));
}

TEST(TermExtractorTest, JsonValuesWithFourDigitsGetNoTerm) {
  Terms terms =
      LineTerms(R"({"ts":"2024-01-01T00:00:00.123Z","user":"u12345","ms":1.577,"x":"ok"})");
  EXPECT_FALSE(terms.count("ts=2024-01-01T00:00:00.123Z"));
  EXPECT_FALSE(terms.count("user=u12345"));
  EXPECT_FALSE(terms.count("ms=1.577"));
  EXPECT_TRUE(terms.count("x=ok"));
  for (const char* token : {"2024", "01", "01T00", "00", "123Z", "u12345", "1", "577"}) {
    EXPECT_TRUE(terms.count(token)) << token;
  }
}

TEST(TermExtractorTest, ValuesAreClassifiedAlikeAtEveryOffsetInTheLine) {
  for (size_t prefix = 0; prefix < 150; ++prefix) {
    const std::string pad(prefix, ' ');
    Terms terms = LineTerms(pad + "k=12345 j=99");
    EXPECT_FALSE(terms.count("k=12345")) << prefix;
    EXPECT_TRUE(terms.count("j=99")) << prefix;
    EXPECT_TRUE(LineTerms(pad + "k=1234\xff").count("k=1234\xff")) << prefix;
    EXPECT_TRUE(LineTerms(pad + "k=a1b2c3").count("k=a1b2c3")) << prefix;
    EXPECT_FALSE(LineTerms(pad + "k=" + std::string(70, '7')).count("k=" + std::string(70, '7')))
        << prefix;
  }
}

TEST(TermExtractorTest, ValueDecodedFromEscapesKeepsItsTerm) {
  // "ab\u0031234" is ab1234 once decoded, but those bytes are not in the line.
  EXPECT_TRUE(LineTerms(R"({"id":"ab\u0031234"})").count("id=ab1234"));
  EXPECT_TRUE(LineTerms(R"(id="12\"34")").count("id=12\"34"));
}

TEST(TermExtractorTest, NonAsciiValueWithDigitsKeepsItsTerm) {
  EXPECT_TRUE(LineTerms("city=Z\xC3\xBCrich1234").count("city=Z\xC3\xBCrich1234"));
}

TEST(TermExtractorTest, MetadataValueWithDigitsKeepsItsTerm) {
  TermExtractor extractor;
  Terms terms;
  extractor.ForEachPairTerm("trace_id", "12345678", [&](std::string_view t) { terms.emplace(t); });
  EXPECT_EQ(terms, (Terms{"traceid=12345678"}));
}

// The key/value terms of a line as the format document defines them, computed the slow way from
// the scanners' pairs: a term per pair, none for an ASCII value with four digits that sits in
// the line between non-token bytes, and the cleaned value's term for invalid UTF-8.
Terms ReferencePairTerms(std::string_view line) {
  Terms terms;
  auto on_pair = [&](std::string_view name, std::string_view value) {
    if (name.empty() || value.empty()) return;
    const std::less_equal<const char*> le;
    bool in_line =
        le(line.data(), value.data()) && le(value.data() + value.size(), line.data() + line.size());
    if (in_line && TokensMayStandForValue(value)) {
      size_t begin = static_cast<size_t>(value.data() - line.data());
      size_t end = begin + value.size();
      if ((begin == 0 || !IsTokenByte(line[begin - 1])) &&
          (end == line.size() || !IsTokenByte(line[end]))) {
        return;
      }
    }
    terms.insert(std::string(name) + "=" + std::string(value));
    std::string cleaned;
    if (AppendWithoutInvalidUtf8(value, &cleaned) && !cleaned.empty()) {
      terms.insert(std::string(name) + "=" + cleaned);
    }
  };
  JsonPairScanner json;
  LogfmtPairScanner logfmt;
  if (LooksLikeJsonObject(line)) json.Scan(line, on_pair);
  if (line.find('=') != std::string_view::npos) logfmt.Scan(line, on_pair);
  return terms;
}

std::string RandomPairLine(std::mt19937_64& rng) {
  static const char* const kKeys[] = {"ts", "user_id", "a.b", "msg", "_", "n"};
  static const char* const kValues[] = {
      "1234",          "123",          "u12345",       "x1y2z3w4",   "2024-01-01T00:00:00Z",
      "info",          "12\xC3\xA9",
      "9\xff\x39\x39",  // 9, 0xff, 99
      "\"5678\"",      "\"a b 1234\"", "\"12\\\"34\"", "-1.2345e10", "null",
      "[1,2]"};
  bool json = rng() % 2 == 0;
  std::string line = json ? "{" : "";
  for (int pairs = static_cast<int>(rng() % 6); pairs > 0; --pairs) {
    std::string key = kKeys[rng() % std::size(kKeys)];
    std::string value = kValues[rng() % std::size(kValues)];
    if (json) {
      line += "\"" + key + "\":" +
              (value[0] == '"' || value == "null" || value[0] == '[' || value[0] == '-' ||
                       value == "1234" || value == "123"
                   ? value
                   : "\"" + value + "\"");
      line += rng() % 4 == 0 ? ", " : ",";
    } else {
      line += key + "=" + value + (rng() % 3 == 0 ? "  " : " ");
    }
    if (rng() % 8 == 0) line += "word" + std::to_string(rng() % 100000) + " ";
  }
  if (json) line += "\"end\":1}";
  // Sometimes a long prefix, so values sit past the first 64 bytes of the line.
  if (!json && rng() % 3 == 0) line = std::string(rng() % 130, 'p') + " " + line;
  return line;
}

TEST(TermExtractorTest, PairTermsFollowTheDocumentedRuleOnRandomLines) {
  std::mt19937_64 rng(77);
  TermExtractor extractor;
  for (int i = 0; i < 20000; ++i) {
    std::string line = RandomPairLine(rng);
    Terms terms;
    extractor.ForEachLinePairTerm(line, [&](std::string_view t) { terms.emplace(t); });
    ASSERT_EQ(terms, ReferencePairTerms(line)) << line;
  }
}

}  // namespace
}  // namespace silt::bloom
