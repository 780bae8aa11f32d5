#include "aggregator/ingest/pipeline/timestamp_stage.h"

#include <gtest/gtest.h>

#include "tests/unit/aggregator/ingest/pipeline/test_pipeline.h"

namespace silt::ingest {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(TimestampStageTest, SetsTheTimestampFromAField) {
  TestPipeline p("pipeline:\n  - json: {}\n  - timestamp: {source: ts, format: RFC3339Nano}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"ts":"2023-11-14T22:13:20.5Z"})", 5));
  EXPECT_EQ(entry.timestamp, 1'700'000'000 * kSecond + 500'000'000);
}

TEST(TimestampStageTest, UnparsableValueKeepsTheOriginalTimestampAndCounts) {
  TestPipeline p(
      "pipeline:\n  - logfmt: {}\n  - timestamp: {source: ts, format: UnixMs}\n"
      "  - labels: {names: [level]}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "ts=soon level=info", 5));
  EXPECT_EQ(entry.timestamp, 5);
  EXPECT_EQ(p.Failures("timestamp", "bad_timestamp"), 1);
  EXPECT_EQ(entry.OutputLabels().Get("level"), "info");  // keep: later stages still run
}

TEST(TimestampStageTest, MissingFieldKeepsTheOriginalTimestampAndCounts) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n  - timestamp: {source: ts, format: Unix}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "level=info", 9));
  EXPECT_EQ(entry.timestamp, 9);
  EXPECT_EQ(p.Failures("timestamp", "missing_field"), 1);
}

TEST(TimestampStageTest, SkipOnFailureStopsTheRemainingStages) {
  TestPipeline p(
      "pipeline:\n  - logfmt: {}\n"
      "  - timestamp: {source: ts, format: Unix, action_on_failure: skip}\n"
      "  - labels: {names: [level]}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "ts=bad level=info", 9));
  EXPECT_EQ(entry.timestamp, 9);
  EXPECT_FALSE(entry.OutputLabels().Has("level"));
  ASSERT_TRUE(p.Run(entry, "ts=1700000000 level=info", 9));
  EXPECT_EQ(entry.timestamp, 1'700'000'000 * kSecond);
  EXPECT_EQ(entry.OutputLabels().Get("level"), "info");
}

TEST(TimestampStageTest, SyslogStampTakesTheYearOfTheEntrysTime) {
  // A traditional syslog file line; the entry's time so far (when it was read) gives the year.
  TestPipeline p(
      "pipeline:\n  - regex: {expression: '^(?P<ts>\\w{3} [ \\d]\\d \\S+) '}\n"
      "  - timestamp: {source: ts, format: Stamp}\n");
  PipelineEntry entry;
  const int64_t read_at = 1'700'000'100 * kSecond;  // 2023-11-14T22:15:00Z
  ASSERT_TRUE(p.Run(entry, "Nov 14 22:13:20 host sshd[42]: Accepted publickey", read_at));
  EXPECT_EQ(entry.timestamp, 1'700'000'000 * kSecond);
  EXPECT_EQ(p.Failures("timestamp", "bad_timestamp"), 0);
}

TEST(TimestampStageTest, GoLayoutWithLocation) {
  TestPipeline p(
      "pipeline:\n  - regex: {expression: '^(?P<ts>\\S+ \\S+) '}\n"
      "  - timestamp: {source: ts, format: '2006-01-02 15:04:05', location: America/New_York}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "2023-11-14 17:13:20 hello"));
  EXPECT_EQ(entry.timestamp, 1'700'000'000 * kSecond);
}

}  // namespace
}  // namespace silt::ingest
