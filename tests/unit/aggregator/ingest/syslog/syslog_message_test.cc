#include "aggregator/ingest/syslog/syslog_message.h"

#include <gtest/gtest.h>

namespace silt::ingest {
namespace {

struct Pri {
  Status status;
  int facility = -1;
  int severity = -1;
  std::string_view rest;
};

Pri Parse(std::string_view text) {
  Pri p;
  p.status = ParsePri(text, &p.facility, &p.severity, &p.rest);
  return p;
}

TEST(SyslogPriTest, SplitsFacilityAndSeverity) {
  Pri p = Parse("<165>1 rest");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.facility, 20);
  EXPECT_EQ(p.severity, 5);
  EXPECT_EQ(p.rest, "1 rest");
}

TEST(SyslogPriTest, ZeroAndMaximumAreValid) {
  EXPECT_TRUE(Parse("<0>x").status.ok());
  Pri p = Parse("<191>x");
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.facility, 23);
  EXPECT_EQ(p.severity, 7);
}

TEST(SyslogPriTest, AbovemaximumIsRefusedNamingTheRange) {
  Pri p = Parse("<192>x");
  EXPECT_EQ(p.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status.message().find("0..191"), std::string::npos) << p.status;
}

TEST(SyslogPriTest, LeadingZeroIsRefused) {
  EXPECT_FALSE(Parse("<013>x").status.ok());
  EXPECT_FALSE(Parse("<00>x").status.ok());
}

TEST(SyslogPriTest, MoreThanThreeDigitsIsRefused) {
  EXPECT_FALSE(Parse("<1000>x").status.ok());
  EXPECT_FALSE(Parse("<99999999999999999999>x").status.ok());
}

TEST(SyslogPriTest, MissingOrUnterminatedIsRefused) {
  EXPECT_FALSE(Parse("").status.ok());
  EXPECT_FALSE(Parse("13>x").status.ok());
  EXPECT_FALSE(Parse("<13").status.ok());
  EXPECT_FALSE(Parse("<>x").status.ok());
  EXPECT_FALSE(Parse("<-1>x").status.ok());
}

TEST(SyslogPriTest, SeverityNamesAreLokiLevels) {
  EXPECT_EQ(SeverityName(0), "emerg");
  EXPECT_EQ(SeverityName(3), "error");
  EXPECT_EQ(SeverityName(4), "warning");
  EXPECT_EQ(SeverityName(6), "info");
  EXPECT_EQ(SeverityName(7), "debug");
  EXPECT_EQ(SeverityName(8), "");
}

TEST(SyslogPriTest, FacilityNames) {
  EXPECT_EQ(FacilityName(0), "kern");
  EXPECT_EQ(FacilityName(1), "user");
  EXPECT_EQ(FacilityName(10), "authpriv");
  EXPECT_EQ(FacilityName(16), "local0");
  EXPECT_EQ(FacilityName(23), "local7");
  EXPECT_EQ(FacilityName(24), "");
}

}  // namespace
}  // namespace silt::ingest
