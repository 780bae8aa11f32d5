#include "aggregator/bloom/bloom_query.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/bloom/term_extractor.h"

namespace silt::bloom {
namespace {

std::vector<std::string> Required(std::string_view literal) {
  std::vector<std::string> out;
  ForEachRequiredToken(literal, [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

using Strings = std::vector<std::string>;

TEST(BloomQueryTest, OnlyTokensBoundedOnBothSidesAreRequired) {
  EXPECT_EQ(Required("rror: disk full"), (Strings{"disk"}));
  EXPECT_EQ(Required(" disk "), (Strings{"disk"}));
  EXPECT_EQ(Required("a b c d"), (Strings{"b", "c"}));
}

TEST(BloomQueryTest, SingleWordOrFragmentRequiresNothing) {
  EXPECT_TRUE(Required("error").empty());
  EXPECT_TRUE(Required("disk full").empty());
  EXPECT_TRUE(Required("").empty());
  EXPECT_TRUE(Required("::").empty());
}

BloomFilter FilterOf(std::string_view line) {
  BloomFilter filter(64);
  TermExtractor extractor;
  extractor.ForEachLineTerm(line, [&](std::string_view t) { filter.Add(t); });
  return filter;
}

TEST(BloomQueryTest, LiteralWithAbsentRequiredTokenIsSkipped) {
  BloomFilter filter = FilterOf("error: disk quota exceeded");
  EXPECT_TRUE(MayContainLiteral(filter, "rror: disk quo"));
  EXPECT_FALSE(MayContainLiteral(filter, " network "));
}

TEST(BloomQueryTest, LiteralWithoutRequiredTokensNeverSkips) {
  BloomFilter filter = FilterOf("hello");
  EXPECT_TRUE(MayContainLiteral(filter, "zzz"));
  EXPECT_TRUE(MayContainLiteral(filter, "zzz yyy"));
}

TEST(BloomQueryTest, AllRequiredTokensMustBePresent) {
  BloomFilter filter = FilterOf("GET /api/users 200");
  EXPECT_TRUE(MayContainLiteral(filter, "GET /api/users 200"));
  EXPECT_FALSE(MayContainLiteral(filter, "GET /api/orders 200"));
}

TEST(BloomQueryTest, KeyValueLookupUsesTheNormalizedName) {
  BloomFilter filter = FilterOf(R"({"pod":{"uuid":"u-1"},"level":"error"})");
  EXPECT_TRUE(MayContainKeyValue(filter, "pod_uuid", "u-1"));
  EXPECT_TRUE(MayContainKeyValue(filter, "level", "error"));
  EXPECT_FALSE(MayContainKeyValue(filter, "level", "info"));
}

TEST(BloomQueryTest, KeyValueWhoseTermWasLeftOutIsFoundByItsTokens) {
  BloomFilter filter = FilterOf(R"({"user_id":"u-291605","ts":"2024-01-01T10:00:00Z"})");
  EXPECT_TRUE(MayContainKeyValue(filter, "user_id", "u-291605"));
  EXPECT_TRUE(MayContainKeyValue(filter, "ts", "2024-01-01T10:00:00Z"));
  EXPECT_FALSE(MayContainKeyValue(filter, "user_id", "u-777777"));
  EXPECT_FALSE(MayContainKeyValue(filter, "ts", "2024-01-01T11:00:00Z"));
}

TEST(BloomQueryTest, KeyValueWithFewDigitsNeedsItsTerm) {
  // "200" and "ok" are tokens of the line, but only as the values of other names.
  BloomFilter filter = FilterOf("status=200 result=ok bytes=404 note=error");
  EXPECT_TRUE(MayContainKeyValue(filter, "status", "200"));
  EXPECT_FALSE(MayContainKeyValue(filter, "status", "404"));
  EXPECT_FALSE(MayContainKeyValue(filter, "result", "error"));
}

TEST(BloomQueryTest, LeftOutValueMatchesWhenItsTokensAreElsewhereInTheBlock) {
  // A false positive by design: 4711 and 2024 are tokens of the block, so the filter cannot tell
  // that no line has id=4711-2024.
  BloomFilter filter = FilterOf("id=1 order=4711 year=2024");
  EXPECT_TRUE(MayContainKeyValue(filter, "id", "4711-2024"));
}

TEST(BloomQueryTest, EmptyValueOrUnnormalizableNameNeverSkips) {
  BloomFilter filter(64);
  EXPECT_TRUE(MayContainKeyValue(filter, "level", ""));
  EXPECT_TRUE(MayContainKeyValue(filter, "_", "x"));
}

}  // namespace
}  // namespace silt::bloom
