// ApplyPushPipeline: entries regrouped into the streams of the labels the pipeline gives them,
// dropped entries that are not rejections, validation of the pipeline's output (timestamps,
// line size) by ValidatePush, refused streams kept, and copies that outlive the thread's entry.
#include "aggregator/ingest/push/push_pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aggregator/ingest/push/loki_json_decoder.h"
#include "aggregator/ingest/push/push_validator.h"

namespace silt::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1'765'000'000'000'000'000;

class PushPipelineTest : public ::testing::Test {
 protected:
  void Build(std::string_view yaml, const PushLimits& limits = {}) {
    Result<PipelineConfig> config = ParsePipelineConfig(yaml, "aggregator.yaml");
    ASSERT_TRUE(config.ok()) << config.status();
    Result<std::unique_ptr<ListenerPipeline>> built = ListenerPipeline::Create(
        std::move(*config),
        {.listener = "push", .label_limits = limits.labels, .registry = &registry_});
    ASSERT_TRUE(built.ok()) << built.status();
    pipeline_ = std::move(*built);
  }

  // Decodes `body`, applies the pipeline and validates with `limits`.
  void Push(const std::string& body, const PushLimits& limits = {}) {
    decoded_ = DecodeLokiPushJson(body);
    ApplyPushPipeline(*pipeline_, &decoded_);
    request_ = engine::PushRequest{};
    ValidatePush(limits, kNow, &decoded_, &request_);
  }

  // stream text -> its lines, from the validated request.
  std::map<std::string, std::vector<std::string>> Streams() const {
    std::map<std::string, std::vector<std::string>> out;
    for (const engine::PushStream& stream : request_.streams) {
      std::vector<std::string>& lines = out[stream.labels.ToString()];
      for (const engine::PushEntry& entry : stream.entries) lines.emplace_back(entry.line);
    }
    return out;
  }

  double Entries(std::string_view result) {
    Result<metrics::CounterFamily*> family =
        registry_.RegisterCounterFamily("silt_pipeline_entries_total", "", {"listener", "result"});
    EXPECT_TRUE(family.ok()) << family.status();
    return (*family)->WithLabels({"push", result}).Value();
  }

  metrics::Registry registry_;
  std::unique_ptr<ListenerPipeline> pipeline_;
  DecodedPush decoded_;
  engine::PushRequest request_;
};

std::string Value(int64_t ts, const std::string& line) {
  return "[\"" + std::to_string(ts) + "\",\"" + line + "\"]";
}

TEST_F(PushPipelineTest, EntriesMoveToTheStreamOfTheirPromotedLabels) {
  Build("pipeline:\n  - logfmt: {}\n  - labels: {names: [level]}\n");
  Push(R"({"streams":[{"stream":{"job":"a"},"values":[)" + Value(kNow, "level=info n=1") + "," +
       Value(kNow + 1, "level=error n=2") + "," + Value(kNow + 2, "level=info n=3") + "," +
       Value(kNow + 3, "no level") + R"(]},{"stream":{"job":"a"},"values":[)" +
       Value(kNow + 4, "level=error n=5") + "]}]}");
  EXPECT_TRUE(decoded_.rejections.empty()) << decoded_.rejections.Summary(5);
  EXPECT_EQ(Streams(), (std::map<std::string, std::vector<std::string>>{
                           {R"({job="a", level="info"})", {"level=info n=1", "level=info n=3"}},
                           {R"({job="a", level="error"})", {"level=error n=2", "level=error n=5"}},
                           {R"({job="a"})", {"no level"}}}));
  EXPECT_EQ(request_.streams.size(), 3u);
  EXPECT_EQ(Entries("kept"), 5);
}

TEST_F(PushPipelineTest, DroppedEntriesAreNotRejections) {
  Build("pipeline:\n  - drop: {expression: healthz}\n");
  Push(R"({"streams":[{"stream":{"job":"a"},"values":[)" + Value(kNow, "GET /healthz") + "," +
       Value(kNow, "GET /api") + "]}]}");
  EXPECT_TRUE(decoded_.rejections.empty());
  EXPECT_EQ(decoded_.total_entries, 2u);
  EXPECT_EQ(Streams(),
            (std::map<std::string, std::vector<std::string>>{{R"({job="a"})", {"GET /api"}}}));
  EXPECT_EQ(Entries("dropped"), 1);
}

TEST_F(PushPipelineTest, PipelineTimestampIsValidated) {
  Build("pipeline:\n  - json: {}\n  - timestamp: {source: t, format: Unix}\n");
  // 2001 is older than reject_old_samples_max_age (7d): refused; the other entry is stored.
  Push(R"({"streams":[{"stream":{"job":"a"},"values":[)" +
       Value(kNow, R"({\"t\":1000000000,\"m\":\"old\"})") + "," +
       Value(kNow, R"({\"t\":1765000001,\"m\":\"new\"})") + "]}]}");
  ASSERT_EQ(request_.streams.size(), 1u);
  ASSERT_EQ(request_.streams[0].entries.size(), 1u);
  EXPECT_EQ(request_.streams[0].entries[0].timestamp, int64_t{1765000001} * 1'000'000'000);
  EXPECT_EQ(decoded_.rejections.entries(), 1u);
  EXPECT_THAT(decoded_.rejections.Summary(2), HasSubstr("timestamp too old"));
}

TEST_F(PushPipelineTest, PipelineOutputLineIsValidatedForSize) {
  PushLimits limits;
  limits.max_line_size = 8;
  Build("pipeline:\n  - regex: {expression: 'msg=(?P<m>.*)'}\n  - output: {source: m}\n", limits);
  Push(R"({"streams":[{"stream":{"job":"a"},"values":[)" + Value(kNow, "msg=short") + "," +
           Value(kNow, "msg=much too long") + "]}]}",
       limits);
  EXPECT_EQ(Streams(),
            (std::map<std::string, std::vector<std::string>>{{R"({job="a"})", {"short"}}}));
  EXPECT_EQ(decoded_.rejections.entries(), 1u);
  EXPECT_THAT(decoded_.rejections.Summary(2), HasSubstr("Max entry size '8' bytes exceeded"));
}

TEST_F(PushPipelineTest, RefusedStreamsStayRefused) {
  Build("pipeline:\n  - logfmt: {}\n  - labels: {names: [level]}\n");
  Push(R"({"streams":[{"stream":"not an object","values":[)" + Value(kNow, "level=x") +
       R"(]},{"stream":{"job":"a"},"values":[)" + Value(kNow, "level=y") + "]}]}");
  EXPECT_EQ(decoded_.rejections.entries(), 1u);
  EXPECT_EQ(
      Streams(),
      (std::map<std::string, std::vector<std::string>>{{R"({job="a", level="y"})", {"level=y"}}}));
}

TEST_F(PushPipelineTest, ChangedLinesAndMetadataOutliveTheThreadEntry) {
  Build(
      "pipeline:\n  - json: {}\n  - structured_metadata: {names: [user]}\n"
      "  - output: {source: msg}\n");
  Push(R"({"streams":[{"stream":{"job":"a"},"values":[)" +
       Value(kNow, R"({\"user\":\"ann\",\"msg\":\"first message text\"})") + "," +
       Value(kNow, R"({\"user\":\"bob\",\"msg\":\"second message text\"})") + "]}]}");
  // Clobber the thread's entry: the request must not point into it.
  ListenerPipeline::ThreadEntry().Reset(labels::LabelSet::Of({{"x", "y"}}), 0,
                                        "something else entirely, long enough to reallocate");
  ListenerPipeline::ThreadEntry().SetLine("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
  ASSERT_EQ(request_.streams.size(), 1u);
  std::vector<std::string> seen;
  for (const engine::PushEntry& entry : request_.streams[0].entries) {
    std::string text(entry.line);
    for (const labels::LabelView& m : entry.metadata) {
      text += " " + std::string(m.name) + "=" + std::string(m.value);
    }
    seen.push_back(text);
  }
  EXPECT_THAT(seen, ElementsAre("first message text user=ann", "second message text user=bob"));
}

TEST_F(PushPipelineTest, UnchangedEntriesKeepTheirViews) {
  Build("pipeline:\n  - logfmt: {}\n");
  const std::string body =
      R"({"streams":[{"stream":{"job":"a"},"values":[)" + Value(kNow, "k=v") + "]}]}";
  decoded_ = DecodeLokiPushJson(body);
  const char* before = decoded_.streams[0].entries[0].line.data();
  ApplyPushPipeline(*pipeline_, &decoded_);
  ASSERT_EQ(decoded_.streams.size(), 1u);
  EXPECT_EQ(decoded_.streams[0].entries[0].line.data(), before);
}

}  // namespace
}  // namespace silt::ingest
