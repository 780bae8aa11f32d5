#include "shared/http/headers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::http {
namespace {

using ::testing::ElementsAre;

TEST(HeadersTest, LookupIgnoresCase) {
  Headers headers;
  headers.Add("Content-Type", "application/json");
  EXPECT_EQ(headers.Get("content-type"), "application/json");
  EXPECT_EQ(headers.Get("CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(headers.Get("Content-Length").has_value());
}

TEST(HeadersTest, RepeatedHeadersAreKeptInOrder) {
  Headers headers;
  headers.Add("X-Forwarded-For", "10.0.0.1");
  headers.Add("Accept", "text/plain");
  headers.Add("x-forwarded-for", "10.0.0.2");
  EXPECT_EQ(headers.Get("X-Forwarded-For"), "10.0.0.1");
  EXPECT_THAT(headers.GetAll("X-FORWARDED-FOR"), ElementsAre("10.0.0.1", "10.0.0.2"));
  EXPECT_EQ(headers.size(), 3u);
}

TEST(HeadersTest, SetReplacesEveryLineWithTheName) {
  Headers headers;
  headers.Add("A", "1");
  headers.Add("a", "2");
  headers.Add("B", "3");
  headers.Set("A", "4");
  EXPECT_THAT(headers.GetAll("a"), ElementsAre("4"));
  EXPECT_EQ(headers.size(), 2u);
}

TEST(HeadersTest, RemoveReportsHowManyLinesWent) {
  Headers headers;
  headers.Add("A", "1");
  headers.Add("a", "2");
  EXPECT_EQ(headers.Remove("A"), 2u);
  EXPECT_EQ(headers.Remove("A"), 0u);
  EXPECT_TRUE(headers.empty());
}

TEST(HeadersTest, HasTokenSearchesCommaListsAcrossLines) {
  Headers headers;
  headers.Add("Connection", "keep-alive, Upgrade");
  headers.Add("connection", " close ");
  EXPECT_TRUE(headers.HasToken("Connection", "upgrade"));
  EXPECT_TRUE(headers.HasToken("Connection", "CLOSE"));
  EXPECT_FALSE(headers.HasToken("Connection", "keep"));
  EXPECT_FALSE(headers.HasToken("Upgrade", "close"));
}

TEST(HeadersTest, HeaderNamesMustBeTokens) {
  EXPECT_TRUE(IsValidHeaderName("X-Scope-OrgID"));
  EXPECT_FALSE(IsValidHeaderName(""));
  EXPECT_FALSE(IsValidHeaderName("Bad Name"));
  EXPECT_FALSE(IsValidHeaderName("Bad:Name"));
  EXPECT_FALSE(IsValidHeaderName("Bad\r\nName"));
}

TEST(HeadersTest, EqualsIgnoreCaseComparesLengthFirst) {
  EXPECT_TRUE(EqualsIgnoreCase("gZiP", "GZIP"));
  EXPECT_FALSE(EqualsIgnoreCase("gzip", "gzip "));
}

}  // namespace
}  // namespace silt::http
