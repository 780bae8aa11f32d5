#include "aggregator/ingest/syslog/rfc3164_parser.h"

#include <gtest/gtest.h>

#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

int64_t At(std::string_view rfc3339) { return *time::ParseRfc3339(rfc3339); }

ReceiveContext Utc(std::string_view now) { return {.receive_time_ns = At(now)}; }

Result<SyslogMessage> Parse(std::string_view rest, const ReceiveContext& context) {
  SyslogMessage m;
  Status s = ParseRfc3164(rest, context, &m);
  if (!s.ok()) return s;
  return m;
}

std::string Stamp(const SyslogMessage& m) { return time::FormatRfc3339Nano(m.timestamp); }

TEST(Rfc3164ParserTest, EveryField) {
  Result<SyslogMessage> m =
      Parse("Dec  6 02:36:10 web1 sshd[4242]: Accepted key", Utc("2026-12-06T02:40:00Z"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->format, SyslogFormat::kRfc3164);
  EXPECT_EQ(Stamp(*m), "2026-12-06T02:36:10Z");
  EXPECT_EQ(m->hostname, "web1");
  EXPECT_EQ(m->app_name, "sshd");
  EXPECT_EQ(m->proc_id, "4242");
  EXPECT_EQ(m->msg, "Accepted key");
}

TEST(Rfc3164ParserTest, TagWithoutPid) {
  Result<SyslogMessage> m =
      Parse("Oct 11 22:14:15 mymachine su: 'su root' failed", Utc("2026-10-11T22:14:20Z"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->app_name, "su");
  EXPECT_EQ(m->proc_id, "");
  EXPECT_EQ(m->msg, "'su root' failed");
}

TEST(Rfc3164ParserTest, TwoDigitAndZeroPaddedDay) {
  EXPECT_EQ(Stamp(*Parse("Nov 22 01:02:03 h t: m", Utc("2026-11-22T05:00:00Z"))),
            "2026-11-22T01:02:03Z");
  EXPECT_EQ(Stamp(*Parse("Nov 02 01:02:03 h t: m", Utc("2026-11-02T05:00:00Z"))),
            "2026-11-02T01:02:03Z");
}

TEST(Rfc3164ParserTest, ReceiverZoneIsApplied) {
  ReceiveContext context = Utc("2026-07-01T12:00:00Z");
  context.utc_offset_seconds = 2 * 3600;  // the receiver runs at UTC+2
  Result<SyslogMessage> m = Parse("Jul  1 14:00:00 h t: m", context);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Stamp(*m), "2026-07-01T12:00:00Z");
}

TEST(Rfc3164ParserTest, DecemberMessageReceivedInJanuaryIsLastYear) {
  Result<SyslogMessage> m = Parse("Dec 31 23:59:59 h t: m", Utc("2027-01-01T00:00:05Z"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Stamp(*m), "2026-12-31T23:59:59Z");
}

TEST(Rfc3164ParserTest, JanuaryMessageReceivedInDecemberIsNextYear) {
  Result<SyslogMessage> m = Parse("Jan  1 00:00:02 h t: m", Utc("2026-12-31T23:59:58Z"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Stamp(*m), "2027-01-01T00:00:02Z");
}

TEST(Rfc3164ParserTest, February29OutsideLeapYearsFindsTheNearestLeapYear) {
  // Received in 2028 (a leap year): Feb 29 is this year.
  EXPECT_EQ(Stamp(*Parse("Feb 29 10:00:00 h t: m", Utc("2028-03-01T00:00:00Z"))),
            "2028-02-29T10:00:00Z");
  // Received in 2026: neither 2025, 2026 nor 2027 has it.
  EXPECT_FALSE(Parse("Feb 29 10:00:00 h t: m", Utc("2026-03-01T00:00:00Z")).ok());
}

TEST(Rfc3164ParserTest, MissingHostnameWhenTheFirstWordIsATag) {
  Result<SyslogMessage> m =
      Parse("Dec  6 02:36:10 cron[77]: job done", Utc("2026-12-06T03:00:00Z"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->hostname, "");
  EXPECT_EQ(m->app_name, "cron");
  EXPECT_EQ(m->proc_id, "77");
  EXPECT_EQ(m->msg, "job done");
  Result<SyslogMessage> n = Parse("Dec  6 02:36:10 kernel: oops", Utc("2026-12-06T03:00:00Z"));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->hostname, "");
  EXPECT_EQ(n->app_name, "kernel");
}

TEST(Rfc3164ParserTest, ContentWithoutTagKeepsEverythingAfterTheHost) {
  Result<SyslogMessage> m = Parse("Dec  6 02:36:10 h just some text", Utc("2026-12-06T03:00:00Z"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->hostname, "h");
  EXPECT_EQ(m->app_name, "");
  EXPECT_EQ(m->msg, "just some text");
}

TEST(Rfc3164ParserTest, BadTimestampsFail) {
  const ReceiveContext now = Utc("2026-12-06T03:00:00Z");
  EXPECT_FALSE(Parse("Dez  6 02:36:10 h t: m", now).ok());
  EXPECT_FALSE(Parse("Dec 32 02:36:10 h t: m", now).ok());
  EXPECT_FALSE(Parse("Dec  6 24:00:00 h t: m", now).ok());
  EXPECT_FALSE(Parse("Dec  6 02:60:10 h t: m", now).ok());
  EXPECT_FALSE(Parse("Dec  6 02:36:61 h t: m", now).ok());
  EXPECT_FALSE(Parse("Dec  6 2:36:10 h t: m", now).ok());
  EXPECT_FALSE(Parse("2026-12-06 02:36:10 h t: m", now).ok());
  EXPECT_FALSE(Parse("Dec  6 02:36:10", now).ok());
  EXPECT_FALSE(Parse("", now).ok());
}

TEST(Rfc3164ParserTest, FailureMessageQuotesTheTimestamp) {
  Result<SyslogMessage> m = Parse("Dec 99 02:36:10 h t: m", Utc("2026-12-06T03:00:00Z"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("Dec 99 02:36:10"), std::string::npos) << m.status();
}

}  // namespace
}  // namespace silt::ingest
