#include "aggregator/bloom/term_extractor.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

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

}  // namespace
}  // namespace silt::bloom
