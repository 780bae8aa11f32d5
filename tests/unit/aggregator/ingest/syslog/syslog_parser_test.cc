#include "aggregator/ingest/syslog/syslog_parser.h"

#include <gtest/gtest.h>

#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

const ReceiveContext kNow{.receive_time_ns = 1'796'000'000'000'000'000};

TEST(SyslogParserTest, DetectsRfc5424ByVersion) {
  SyslogMessage m;
  ASSERT_TRUE(ParseSyslog("<34>1 2026-12-06T02:36:10Z h a - - - m", kNow, &m).ok());
  EXPECT_EQ(m.format, SyslogFormat::kRfc5424);
  EXPECT_EQ(m.facility, 4);
  EXPECT_EQ(m.severity, 2);
}

TEST(SyslogParserTest, DetectsRfc3164ByTimestamp) {
  SyslogMessage m;
  ASSERT_TRUE(ParseSyslog("<13>Dec  6 02:36:10 h t: m", kNow, &m).ok());
  EXPECT_EQ(m.format, SyslogFormat::kRfc3164);
}

TEST(SyslogParserTest, TrailingLineEndIsRemoved) {
  SyslogMessage m;
  ASSERT_TRUE(ParseSyslog("<13>1 - h a - - - hello\r\n", kNow, &m).ok());
  EXPECT_EQ(m.msg, "hello");
  ASSERT_TRUE(ParseSyslog("<13>1 - h a - - - hello\n", kNow, &m).ok());
  EXPECT_EQ(m.msg, "hello");
}

TEST(SyslogParserTest, ResetsTheMessageFirst) {
  SyslogMessage m;
  ASSERT_TRUE(ParseSyslog("<13>1 - h a - - [x y=\"1\"] m", kNow, &m).ok());
  ASSERT_TRUE(ParseSyslog("<13>1 - h a - - - m", kNow, &m).ok());
  EXPECT_TRUE(m.structured_data.empty());
}

TEST(SyslogParserTest, NoPriFails) {
  SyslogMessage m;
  EXPECT_FALSE(ParseSyslog("hello world", kNow, &m).ok());
}

TEST(SyslogParserTest, AbsurdPriFails) {
  SyslogMessage m;
  Status s = ParseSyslog("<999>1 - h a - - - m", kNow, &m);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
}

TEST(SyslogParserTest, VersionLikeDigitsWithoutSpaceAreRfc3164) {
  SyslogMessage m;
  // "<13>1x" is neither: RFC 3164 then fails on the timestamp.
  EXPECT_FALSE(ParseSyslog("<13>1x - h", kNow, &m).ok());
}

}  // namespace
}  // namespace silt::ingest
