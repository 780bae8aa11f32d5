// SyslogBatch with a syslog.pipeline: entries move to the stream of the labels the pipeline
// gives them, a timestamp stage sets the entry's time, dropped messages are not added, raw
// (unparsed) messages go through the pipeline too, and the static labels are in the input.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "aggregator/ingest/pipeline/listener_pipeline.h"
#include "aggregator/ingest/syslog/syslog_batch.h"
#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

const ReceiveContext kNow{.receive_time_ns = 1'796'000'000'123'000'000};

class SyslogBatchPipelineTest : public ::testing::Test {
 protected:
  void Build(std::string_view yaml) {
    Result<PipelineConfig> config = ParsePipelineConfig(yaml, "aggregator.yaml");
    ASSERT_TRUE(config.ok()) << config.status();
    Result<std::unique_ptr<ListenerPipeline>> built = ListenerPipeline::Create(
        std::move(*config), {.listener = "syslog", .registry = &registry_});
    ASSERT_TRUE(built.ok()) << built.status();
    pipeline_ = std::move(*built);
    batch_ = std::make_unique<SyslogBatch>(&static_labels_, pipeline_.get());
  }

  // stream text -> lines, from the batch's request.
  std::map<std::string, std::vector<std::string>> Streams() {
    std::map<std::string, std::vector<std::string>> out;
    request_ = batch_->BuildRequest("fake");
    for (const engine::PushStream& stream : request_.streams) {
      for (const engine::PushEntry& entry : stream.entries) {
        out[stream.labels.ToString()].emplace_back(entry.line);
      }
    }
    return out;
  }

  std::map<std::string, std::string> static_labels_{{"job", "syslog"}};
  metrics::Registry registry_;
  std::unique_ptr<ListenerPipeline> pipeline_;
  std::unique_ptr<SyslogBatch> batch_;
  engine::PushRequest request_;
};

TEST_F(SyslogBatchPipelineTest, PromotedLabelMovesTheEntryToItsStream) {
  Build("pipeline:\n  - logfmt: {}\n  - labels: {names: [component]}\n");
  ASSERT_TRUE(batch_->Add("<13>1 - web1 app - - - component=db msg=slow", kNow, "10.0.0.9"));
  ASSERT_TRUE(batch_->Add("<13>1 - web1 app - - - component=api msg=ok", kNow, "10.0.0.9"));
  ASSERT_TRUE(batch_->Add("<13>1 - web1 app - - - component=db msg=again", kNow, "10.0.0.9"));
  const std::string base = R"(app="app", component="%s", facility="user", host="web1", )"
                           R"(job="syslog", level="notice")";
  auto stream = [&](const char* component) {
    std::string text = base;
    text.replace(text.find("%s"), 2, component);
    return "{" + text + "}";
  };
  EXPECT_EQ(Streams(), (std::map<std::string, std::vector<std::string>>{
                           {stream("db"), {"component=db msg=slow", "component=db msg=again"}},
                           {stream("api"), {"component=api msg=ok"}}}));
}

TEST_F(SyslogBatchPipelineTest, TimestampStageSetsTheEntryTime) {
  Build("pipeline:\n  - json: {}\n  - timestamp: {source: ts, format: RFC3339Nano}\n");
  ASSERT_TRUE(
      batch_->Add(R"(<13>1 - h a - - - {"ts":"2026-12-01T10:00:00.25Z","m":1})", kNow, "10.0.0.9"));
  request_ = batch_->BuildRequest("fake");
  ASSERT_EQ(request_.streams.size(), 1u);
  EXPECT_EQ(time::FormatRfc3339Nano(request_.streams[0].entries[0].timestamp),
            "2026-12-01T10:00:00.25Z");
}

TEST_F(SyslogBatchPipelineTest, DroppedMessagesAreNotAdded) {
  Build("pipeline:\n  - drop: {expression: 'health check'}\n");
  ASSERT_TRUE(batch_->Add("<13>1 - h a - - - health check ok", kNow, "10.0.0.9"));
  EXPECT_TRUE(batch_->empty());
  ASSERT_TRUE(batch_->Add("<13>1 - h a - - - real work", kNow, "10.0.0.9"));
  EXPECT_EQ(batch_->entry_count(), 1u);
}

TEST_F(SyslogBatchPipelineTest, RawMessagesGoThroughThePipelineWithTheirMetadata) {
  Build("pipeline:\n  - logfmt: {}\n  - labels: {names: [level]}\n");
  EXPECT_FALSE(batch_->Add("level=error not syslog at all", kNow, "10.0.0.9"));
  request_ = batch_->BuildRequest("fake");
  ASSERT_EQ(request_.streams.size(), 1u);
  EXPECT_EQ(request_.streams[0].labels.ToString(),
            R"({host="10.0.0.9", job="syslog", level="error"})");
  ASSERT_EQ(request_.streams[0].entries.size(), 1u);
  const engine::PushEntry& entry = request_.streams[0].entries[0];
  EXPECT_EQ(entry.line, "level=error not syslog at all");
  EXPECT_EQ(entry.timestamp, kNow.receive_time_ns);
  ASSERT_EQ(entry.metadata.size(), 1u);
  EXPECT_EQ(entry.metadata[0].name, "syslog_error");
}

TEST_F(SyslogBatchPipelineTest, StructuredDataMovesThroughThePipeline) {
  Build(
      "pipeline:\n  - regex: {expression: 'user=(?P<user>\\w+)'}\n"
      "  - structured_metadata: {names: [user]}\n");
  ASSERT_TRUE(batch_->Add("<13>1 - h a 42 - [ex@1 k=\"v\"] user=ann did it", kNow, "10.0.0.9"));
  request_ = batch_->BuildRequest("fake");
  ASSERT_EQ(request_.streams.size(), 1u);
  std::map<std::string, std::string> metadata;
  for (const labels::LabelView& m : request_.streams[0].entries[0].metadata) {
    metadata[std::string(m.name)] = std::string(m.value);
  }
  EXPECT_EQ(metadata, (std::map<std::string, std::string>{
                          {"procid", "42"}, {"ex_1_k", "v"}, {"user", "ann"}}));
}

}  // namespace
}  // namespace silt::ingest
