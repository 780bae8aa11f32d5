#include "aggregator/ingest/push/simple_logs_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1'765'000'000'000'000'000;

std::vector<std::string> Rows(const DecodedPush& push) {
  std::vector<std::string> rows;
  for (const DecodedStream& stream : push.streams) {
    for (const DecodedEntry& entry : stream.entries) {
      rows.push_back(stream.labels.ToString() + "|" + std::to_string(entry.timestamp) + "|" +
                     std::string(entry.line));
    }
  }
  return rows;
}

TEST(SimpleLogsDecoderTest, OneObjectWithoutTimestampGetsTheReceiveTime) {
  DecodedPush push = DecodeSimpleLogs(R"({"message":"hello","labels":{"job":"cron"}})", kNow);
  EXPECT_TRUE(push.rejections.empty()) << push.rejections.Summary(push.total_entries);
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="cron"}|1765000000000000000|hello)"));
}

TEST(SimpleLogsDecoderTest, ArrayEntriesWithEqualLabelsShareAStream) {
  DecodedPush push = DecodeSimpleLogs(R"([
    {"timestamp":"2025-12-06T03:00:00.5Z","message":"a","labels":{"job":"x"}},
    {"timestamp":null,"message":"b","labels":{"job":"y"}},
    {"timestamp":1765000001,"message":"c","labels":{"job":"x"},"other":[1]}])",
                                      kNow);
  EXPECT_TRUE(push.rejections.empty()) << push.rejections.Summary(push.total_entries);
  EXPECT_EQ(push.streams.size(), 2u);
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="x"}|1764990000500000000|a)",
                                      R"({job="x"}|1765000001000000000|c)",
                                      R"({job="y"}|1765000000000000000|b)"));
}

TEST(SimpleLogsDecoderTest, TimestampUnitFollowsTheIntegerDigits) {
  struct Case {
    const char* text;
    int64_t want;
  };
  for (const Case& c : std::vector<Case>{
           {"1765000000", 1'765'000'000'000'000'000},
           {"1765000000.25", 1'765'000'000'250'000'000},
           {"1765000000123", 1'765'000'000'123'000'000},
           {"1765000000123456", 1'765'000'000'123'456'000},
           {"1765000000123456789", 1'765'000'000'123'456'789},
           {"0", 0},
           {"2025-12-06T03:00:00Z", 1'764'990'000'000'000'000},
       }) {
    Result<int64_t> got = ParseSimpleTimestamp(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status();
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(SimpleLogsDecoderTest, BadTimestampsSayWhatIsAccepted) {
  for (const char* text : {"yesterday", "1765000000123.5", "17650000001234567890", "1e9", "",
                           "2026-13-01T00:00:00Z"}) {
    Result<int64_t> got = ParseSimpleTimestamp(text);
    EXPECT_FALSE(got.ok()) << text;
  }
  EXPECT_THAT(ParseSimpleTimestamp("yesterday").status().message(), HasSubstr("neither RFC 3339"));
}

TEST(SimpleLogsDecoderTest, BadEntriesAreRefusedAlone) {
  DecodedPush push = DecodeSimpleLogs(R"([
    {"message":"kept","labels":{"job":"x"}},
    {"labels":{"job":"x"}},
    {"message":5,"labels":{"job":"x"}},
    {"message":"no labels"},
    {"message":"empty labels","labels":{}},
    {"message":"bad label","labels":{"job":1}},
    {"message":"bad ts","labels":{"job":"x"},"timestamp":"soon"},
    {"message":"bad ts type","labels":{"job":"x"},"timestamp":[1]},
    "text",
    {"message":"kept too","labels":{"job":"x"}}])",
                                      kNow);
  EXPECT_EQ(push.total_entries, 10u);
  EXPECT_EQ(push.rejections.entries(), 8u);
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="x"}|1765000000000000000|kept)",
                                      R"({job="x"}|1765000000000000000|kept too)"));
  const auto& m = push.rejections.messages();
  ASSERT_EQ(m.size(), 8u);
  EXPECT_THAT(m[0], HasSubstr("entry[1]: message: missing"));
  EXPECT_THAT(m[1], HasSubstr("entry[2]: message: must be a string"));
  EXPECT_THAT(m[2], HasSubstr("entry[3]: error at least one label pair is required"));
  EXPECT_THAT(m[3], HasSubstr("entry[4]: error at least one label pair is required"));
  EXPECT_THAT(m[4], HasSubstr("entry[5]: labels.job: label values must be strings"));
  EXPECT_THAT(m[5], HasSubstr("entry[6]: timestamp: 'soon' is neither"));
  EXPECT_THAT(m[6], HasSubstr("entry[7]: timestamp: must be a number or a string"));
  EXPECT_THAT(m[7], HasSubstr("entry[8]: must be an object"));
}

TEST(SimpleLogsDecoderTest, ScalarsAndSyntaxErrorsAreReported) {
  for (const char* body : {"", "5", "\"x\"", "null", "{", "[{\"message\":"}) {
    DecodedPush push = DecodeSimpleLogs(body, kNow);
    EXPECT_FALSE(push.rejections.empty()) << body;
    EXPECT_TRUE(Rows(push).empty()) << body;
  }
}

TEST(SimpleLogsDecoderTest, SyntaxErrorKeepsTheEntriesBeforeIt) {
  DecodedPush push = DecodeSimpleLogs(
      R"([{"message":"kept","labels":{"job":"x"}},{"message":"x" "labels":{}}])", kNow);
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="x"}|1765000000000000000|kept)"));
  EXPECT_FALSE(push.rejections.empty());
}

TEST(SimpleLogsDecoderTest, TrailingContentIsReportedAtItsByte) {
  DecodedPush push = DecodeSimpleLogs(R"([{"message":"kept","labels":{"job":"x"}}] extra)", kNow);
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="x"}|1765000000000000000|kept)"));
  ASSERT_EQ(push.rejections.messages().size(), 1u);
  EXPECT_EQ(push.rejections.messages()[0],
            "trailing content after the JSON body at byte 42; the entries before it were kept");
}

TEST(SimpleLogsDecoderTest, TruncatedBodyKeepsTheCompleteEntries) {
  DecodedPush push = DecodeSimpleLogs(R"([{"message":"kept","labels":{"job":"x"}})", kNow);
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="x"}|1765000000000000000|kept)"));
  EXPECT_THAT(push.rejections.messages(),
              ElementsAre("the body ends early, at byte 40 (truncated, or a Content-Length that "
                          "lies); the complete entries before that were kept"));
}

TEST(SimpleLogsDecoderTest, EntryTheBodyEndsInsideIsRefused) {
  DecodedPush push = DecodeSimpleLogs(
      R"([{"message":"kept","labels":{"job":"x"}},{"message":"cut","labels":{"job":"x"})", kNow);
  EXPECT_THAT(Rows(push), ElementsAre(R"({job="x"}|1765000000000000000|kept)"));
  EXPECT_EQ(push.total_entries, 2u);
  EXPECT_EQ(push.rejections.entries(), 1u);
  EXPECT_THAT(push.rejections.messages(),
              ElementsAre("entry[1]: the body ends inside this entry; it was skipped"));
}

}  // namespace
}  // namespace silt::ingest
