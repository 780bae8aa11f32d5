// Tests for aggregator/logql/pipeline/ip_matcher.h.
#include "aggregator/logql/pipeline/ip_matcher.h"

#include <gtest/gtest.h>

namespace silt::logql::pipeline {
namespace {

IpMatcher Make(std::string_view pattern) {
  Result<IpMatcher> m = IpMatcher::Create(pattern);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *m : *IpMatcher::Create("0.0.0.0");
}

TEST(IpMatcherTest, SingleAddress) {
  IpMatcher m = Make("192.168.0.1");
  EXPECT_TRUE(m.MatchesAddress("192.168.0.1"));
  EXPECT_FALSE(m.MatchesAddress("192.168.0.2"));
  EXPECT_FALSE(m.MatchesAddress(" 192.168.0.1"));
}

TEST(IpMatcherTest, CidrBlocks) {
  IpMatcher m = Make("10.0.0.0/8");
  EXPECT_TRUE(m.MatchesAddress("10.255.255.255"));
  EXPECT_FALSE(m.MatchesAddress("11.0.0.0"));
  IpMatcher all = Make("0.0.0.0/0");
  EXPECT_TRUE(all.MatchesAddress("8.8.8.8"));
  EXPECT_FALSE(all.MatchesAddress("::1"));
  IpMatcher v6 = Make("2001:db8::/32");
  EXPECT_TRUE(v6.MatchesAddress("2001:db8:ffff::1"));
  EXPECT_FALSE(v6.MatchesAddress("2001:db9::"));
}

TEST(IpMatcherTest, InclusiveRanges) {
  IpMatcher m = Make("10.0.0.5-10.0.1.0");
  EXPECT_TRUE(m.MatchesAddress("10.0.0.5"));
  EXPECT_TRUE(m.MatchesAddress("10.0.0.200"));
  EXPECT_TRUE(m.MatchesAddress("10.0.1.0"));
  EXPECT_FALSE(m.MatchesAddress("10.0.1.1"));
  EXPECT_FALSE(m.MatchesAddress("10.0.0.4"));
}

TEST(IpMatcherTest, FamiliesNeverMix) {
  EXPECT_FALSE(Make("::ffff:0:0/96").MatchesAddress("1.2.3.4"));
}

TEST(IpMatcherTest, LeadingZerosAreNotAddresses) {
  EXPECT_FALSE(Make("10.0.0.1").MatchesAddress("10.0.0.01"));
}

TEST(IpMatcherTest, FindsAddressesInsideLines) {
  IpMatcher m = Make("10.0.0.0/8");
  EXPECT_TRUE(m.MatchesAnyInLine("client=10.1.2.3 ok"));
  EXPECT_TRUE(m.MatchesAnyInLine("peer 10.1.2.3:443"));
  EXPECT_TRUE(m.MatchesAnyInLine("10.0.0.1"));
  EXPECT_FALSE(m.MatchesAnyInLine("version 10.1.2"));
  EXPECT_FALSE(m.MatchesAnyInLine(""));
  EXPECT_TRUE(Make("::1").MatchesAnyInLine("listen [::1]:80"));
}

TEST(IpMatcherTest, InvalidPatternsAreRejected) {
  EXPECT_FALSE(IpMatcher::Create("300.0.0.1").ok());
  EXPECT_FALSE(IpMatcher::Create("10.0.0.0/33").ok());
  EXPECT_FALSE(IpMatcher::Create("10.0.0.1-::1").ok());
}

}  // namespace
}  // namespace silt::logql::pipeline
