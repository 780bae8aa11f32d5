#include "aggregator/ingest/syslog/syslog_batch.h"

#include <gtest/gtest.h>

#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

const ReceiveContext kNow{.receive_time_ns = 1'796'000'000'123'000'000};

struct SyslogBatchTest : ::testing::Test {
  std::map<std::string, std::string> static_labels{{"job", "syslog"}};
  SyslogBatch batch{&static_labels};
};

std::string MetadataOf(const engine::PushEntry& entry) {
  std::string text;
  for (const labels::LabelView& m : entry.metadata) {
    text += std::string(m.name) + "=" + std::string(m.value) + ";";
  }
  return text;
}

TEST_F(SyslogBatchTest, Rfc5424LabelsMetadataLineAndTime) {
  ASSERT_TRUE(
      batch.Add("<165>1 2026-12-06T02:36:10.5Z web1 nginx 42 ID7 "
                "[exampleSDID@32473 iut=\"3\"] GET /",
                kNow, "10.0.0.9"));
  engine::PushRequest request = batch.BuildRequest("acme");
  EXPECT_EQ(request.tenant, "acme");
  ASSERT_EQ(request.streams.size(), 1u);
  EXPECT_EQ(request.streams[0].labels.ToString(),
            R"({app="nginx", facility="local4", host="web1", job="syslog", level="notice"})");
  ASSERT_EQ(request.streams[0].entries.size(), 1u);
  const engine::PushEntry& entry = request.streams[0].entries[0];
  EXPECT_EQ(entry.line, "GET /");
  EXPECT_EQ(time::FormatRfc3339Nano(entry.timestamp), "2026-12-06T02:36:10.5Z");
  EXPECT_EQ(MetadataOf(entry), "msgid=ID7;procid=42;exampleSDID_32473_iut=3;");
}

TEST_F(SyslogBatchTest, MissingTimestampUsesReceiveTime) {
  ASSERT_TRUE(batch.Add("<13>1 - h a - - - x", kNow, "10.0.0.9"));
  EXPECT_EQ(batch.BuildRequest("t").streams[0].entries[0].timestamp, kNow.receive_time_ns);
}

TEST_F(SyslogBatchTest, MissingHostnameUsesThePeer) {
  ASSERT_TRUE(batch.Add("<13>1 - - a - - - x", kNow, "10.0.0.9"));
  EXPECT_EQ(batch.BuildRequest("t").streams[0].labels.Get("host"), "10.0.0.9");
}

TEST_F(SyslogBatchTest, UnparsedMessageIsStoredRawWithTheReason) {
  EXPECT_FALSE(batch.Add("not syslog at all\n", kNow, "10.0.0.9"));
  engine::PushRequest request = batch.BuildRequest("t");
  ASSERT_EQ(request.streams.size(), 1u);
  EXPECT_EQ(request.streams[0].labels.ToString(), R"({host="10.0.0.9", job="syslog"})");
  const engine::PushEntry& entry = request.streams[0].entries[0];
  EXPECT_EQ(entry.line, "not syslog at all");
  EXPECT_EQ(entry.timestamp, kNow.receive_time_ns);
  ASSERT_EQ(entry.metadata.size(), 1u);
  EXPECT_EQ(entry.metadata[0].name, "syslog_error");
  EXPECT_NE(entry.metadata[0].value.find("PRI"), std::string_view::npos);
}

TEST_F(SyslogBatchTest, StaticLabelsWinOverMessageLabels) {
  static_labels["host"] = "fixed";
  ASSERT_TRUE(batch.Add("<13>1 - web1 a - - - x", kNow, "p"));
  EXPECT_EQ(batch.BuildRequest("t").streams[0].labels.Get("host"), "fixed");
}

TEST_F(SyslogBatchTest, MessagesOfOneStreamShareIt) {
  ASSERT_TRUE(batch.Add("<13>1 - h a - - - one", kNow, "p"));
  ASSERT_TRUE(batch.Add("<11>1 - h a - - - two", kNow, "p"));
  ASSERT_TRUE(batch.Add("<13>1 - h a - - - three", kNow, "p"));
  engine::PushRequest request = batch.BuildRequest("t");
  ASSERT_EQ(request.streams.size(), 2u);
  EXPECT_EQ(request.streams[0].entries.size(), 2u);
  EXPECT_EQ(request.streams[1].labels.Get("level"), "error");
  EXPECT_EQ(batch.entry_count(), 3u);
  EXPECT_GT(batch.bytes(), 0u);
}

TEST_F(SyslogBatchTest, Rfc3164TagAndPidMapToAppAndProcid) {
  ASSERT_TRUE(batch.Add("<38>Dec  6 02:36:10 web1 sshd[77]: hi", kNow, "p"));
  engine::PushRequest request = batch.BuildRequest("t");
  EXPECT_EQ(request.streams[0].labels.Get("app"), "sshd");
  EXPECT_EQ(request.streams[0].labels.Get("facility"), "auth");
  EXPECT_EQ(request.streams[0].labels.Get("level"), "info");
  EXPECT_EQ(MetadataOf(request.streams[0].entries[0]), "procid=77;");
}

TEST_F(SyslogBatchTest, InvalidUtf8InLabelValuesIsReplaced) {
  ASSERT_TRUE(batch.Add("<13>Dec  6 02:36:10 h\xff\xfe t: x", kNow, "p"));
  std::optional<std::string_view> host = batch.BuildRequest("t").streams[0].labels.Get("host");
  ASSERT_TRUE(host.has_value());
  EXPECT_EQ(*host, "h\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(StructuredDataNameTest, SanitisedToALabelName) {
  EXPECT_EQ(StructuredDataName("exampleSDID@32473", "iut"), "exampleSDID_32473_iut");
  EXPECT_EQ(StructuredDataName("timeQuality", "tzKnown"), "timeQuality_tzKnown");
  EXPECT_EQ(StructuredDataName("1x", "y"), "sd_1x_y");
  EXPECT_EQ(StructuredDataName("_x", "y"), "_x_y");
  EXPECT_EQ(StructuredDataName("__x", "y"), "sd___x_y");
  EXPECT_EQ(StructuredDataName("a.b", "c-d"), "a_b_c_d");
}

TEST(LabelValueTest, CutTo2048BytesAtACharacterBoundary) {
  std::string long_value(2047, 'a');
  long_value += "\xC3\xA9";  // é across the limit
  EXPECT_EQ(LabelValue(long_value).size(), 2047u);
  EXPECT_EQ(LabelValue(std::string(5000, 'b')).size(), 2048u);
}

}  // namespace
}  // namespace silt::ingest
