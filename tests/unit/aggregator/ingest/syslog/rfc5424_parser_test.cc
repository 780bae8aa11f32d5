#include "aggregator/ingest/syslog/rfc5424_parser.h"

#include <gtest/gtest.h>

#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

constexpr std::string_view kHeader = "1 2026-12-06T02:36:10.123456789+01:00 web1 nginx 4242 ID47 ";

Result<SyslogMessage> Parse(std::string_view rest) {
  SyslogMessage m;
  Status s = ParseRfc5424(rest, &m);
  if (!s.ok()) return s;
  return m;
}

TEST(Rfc5424ParserTest, EveryHeaderField) {
  std::string text = std::string(kHeader) + "- hello world";
  Result<SyslogMessage> m = Parse(text);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->format, SyslogFormat::kRfc5424);
  EXPECT_EQ(m->hostname, "web1");
  EXPECT_EQ(m->app_name, "nginx");
  EXPECT_EQ(m->proc_id, "4242");
  EXPECT_EQ(m->msg_id, "ID47");
  EXPECT_TRUE(m->structured_data.empty());
  EXPECT_EQ(m->msg, "hello world");
}

TEST(Rfc5424ParserTest, TimestampKeepsNanosecondsAndOffset) {
  Result<SyslogMessage> m = Parse(std::string(kHeader) + "- x");
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->has_timestamp);
  EXPECT_EQ(time::FormatRfc3339Nano(m->timestamp), "2026-12-06T01:36:10.123456789Z");
}

TEST(Rfc5424ParserTest, TimestampWithMicrosecondsAndZ) {
  Result<SyslogMessage> m = Parse("1 2003-10-11T22:14:15.003Z mymachine su - ID47 - x");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(time::FormatRfc3339Nano(m->timestamp), "2003-10-11T22:14:15.003Z");
}

TEST(Rfc5424ParserTest, NilFieldsAreEmpty) {
  Result<SyslogMessage> m = Parse("1 - - - - - -");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FALSE(m->has_timestamp);
  EXPECT_EQ(m->hostname, "");
  EXPECT_EQ(m->app_name, "");
  EXPECT_EQ(m->proc_id, "");
  EXPECT_EQ(m->msg_id, "");
  EXPECT_EQ(m->msg, "");
}

TEST(Rfc5424ParserTest, StructuredDataElementsAndParams) {
  Result<SyslogMessage> m =
      Parse("1 - h a - - [exampleSDID@32473 iut=\"3\" eventSource=\"App\"][meta seq=\"7\"] msg");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->structured_data.size(), 3u);
  EXPECT_EQ(m->structured_data[0].id, "exampleSDID@32473");
  EXPECT_EQ(m->structured_data[0].name, "iut");
  EXPECT_EQ(m->structured_data[0].value, "3");
  EXPECT_EQ(m->structured_data[1].name, "eventSource");
  EXPECT_EQ(m->structured_data[2].id, "meta");
  EXPECT_EQ(m->structured_data[2].value, "7");
  EXPECT_EQ(m->msg, "msg");
}

TEST(Rfc5424ParserTest, StructuredDataEscapesAreUnescaped) {
  Result<SyslogMessage> m = Parse(R"(1 - h a - - [x q="a\"b\\c\]d" r="\n"] m)");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->structured_data.size(), 2u);
  EXPECT_EQ(m->structured_data[0].value, R"(a"b\c]d)");
  EXPECT_EQ(m->structured_data[1].value, R"(\n)");  // not an escape: kept
}

TEST(Rfc5424ParserTest, ElementWithoutParams) {
  Result<SyslogMessage> m = Parse("1 - h a - - [origin] m");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->structured_data.empty());
  EXPECT_EQ(m->msg, "m");
}

TEST(Rfc5424ParserTest, BomIsRemovedFromMsg) {
  Result<SyslogMessage> m = Parse("1 - h a - - - \xEF\xBB\xBFhéllo");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->msg, "héllo");
}

TEST(Rfc5424ParserTest, MsgMayHoldAnyBytes) {
  const std::string text = std::string("1 - h a - - - a\0b\xff", 18);
  Result<SyslogMessage> m = Parse(text);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->msg, std::string_view("a\0b\xff", 4));
}

TEST(Rfc5424ParserTest, UnterminatedStructuredDataFails) {
  Result<SyslogMessage> m = Parse("1 - h a - - [x a=\"1 m");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("PARAM-VALUE"), std::string::npos) << m.status();
  EXPECT_FALSE(Parse("1 - h a - - [x a=\"1\" m").ok());
  EXPECT_FALSE(Parse("1 - h a - - [x a=\"1\"").ok());
  EXPECT_FALSE(Parse("1 - h a - - [x").ok());
}

TEST(Rfc5424ParserTest, BadSdParamFails) {
  EXPECT_FALSE(Parse("1 - h a - - [x a=1] m").ok());
  EXPECT_FALSE(Parse("1 - h a - - [x =\"1\"] m").ok());
  EXPECT_FALSE(Parse("1 - h a - - [ a=\"1\"] m").ok());
  EXPECT_FALSE(Parse("1 - h a - - x m").ok());
  EXPECT_FALSE(Parse("1 - h a - - [x a=\"1\"]m").ok());
}

TEST(Rfc5424ParserTest, BadTimestampFailsNamingTheField) {
  Result<SyslogMessage> m = Parse("1 2026-13-01T00:00:00Z h a - - - m");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("TIMESTAMP"), std::string::npos) << m.status();
  EXPECT_FALSE(Parse("1 2026-12-06T02:36:10 h a - - - m").ok());  // no offset
  EXPECT_FALSE(Parse("1 2026-12-06T25:00:00Z h a - - - m").ok());
  EXPECT_FALSE(Parse("1 yesterday h a - - - m").ok());
}

TEST(Rfc5424ParserTest, MissingFieldsFail) {
  EXPECT_FALSE(Parse("1 - h a - -").ok());
  EXPECT_FALSE(Parse("1 - h a").ok());
  EXPECT_FALSE(Parse("1").ok());
  EXPECT_FALSE(Parse("1 - h  a - - - m").ok());  // empty field
}

TEST(Rfc5424ParserTest, OverlongFieldsFail) {
  EXPECT_FALSE(Parse("1 - h " + std::string(49, 'a') + " - - - m").ok());
  EXPECT_FALSE(Parse("1 - h a - " + std::string(33, 'm') + " - m").ok());
  EXPECT_FALSE(Parse("1 - " + std::string(256, 'h') + " a - - - m").ok());
  EXPECT_TRUE(Parse("1 - h " + std::string(48, 'a') + " - - - m").ok());
}

TEST(Rfc5424ParserTest, NonAsciiHeaderFieldFails) {
  EXPECT_FALSE(Parse("1 - h\xc3\xa9 a - - - m").ok());
  EXPECT_FALSE(Parse(std::string("1 - h\0x a - - - m", 17)).ok());
}

TEST(Rfc5424ParserTest, VersionMustBeOneToNinetyNine) {
  EXPECT_FALSE(Parse("0 - h a - - - m").ok());
  EXPECT_TRUE(Parse("12 - h a - - - m").ok());
  EXPECT_FALSE(Parse("123 - h a - - - m").ok());
}

}  // namespace
}  // namespace silt::ingest
