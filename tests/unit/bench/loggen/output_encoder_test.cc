#include "tests/bench/loggen/output_encoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <vector>

#include "shared/time/timestamp.h"
#include "tests/unit/bench/loggen/loggen_test_util.h"

namespace silt::loggen {
namespace {

using testing::MakeGenerator;
using testing::OptionsFor;

std::map<std::string, std::string> LabelsOf(const Stream& stream) {
  return std::map<std::string, std::string>(stream.labels.begin(), stream.labels.end());
}

std::map<std::string, std::string> JsonObject(simdjson::dom::object object) {
  std::map<std::string, std::string> result;
  for (auto field : object) {
    std::string_view value;
    EXPECT_EQ(field.value.get(value), simdjson::SUCCESS);
    result[std::string(field.key)] = std::string(value);
  }
  return result;
}

TEST(OutputEncoderTest, ModeNamesRoundTrip) {
  for (OutputMode mode : {OutputMode::kPlain, OutputMode::kJsonl, OutputMode::kLokiPush}) {
    EXPECT_EQ(*ParseOutputMode(OutputModeName(mode)), mode);
  }
  EXPECT_EQ(ParseOutputMode("json").status().code(), StatusCode::kInvalidArgument);
}

TEST(OutputEncoderTest, PlainIsLineAndNewline) {
  auto generator = MakeGenerator(OptionsFor(Format::kNginx));
  const Entry& entry = generator->Next();
  TextBuffer out;
  AppendPlain(entry, &out);
  EXPECT_EQ(out.view(), std::string(entry.line) + "\n");
}

TEST(OutputEncoderTest, JsonlRecordsCarryTimestampLabelsAndLine) {
  GeneratorOptions options = OptionsFor(Format::kMixed);
  options.streams = 14;
  auto generator = MakeGenerator(options);
  simdjson::dom::parser parser;
  TimestampText times;
  for (int i = 0; i < 2000; ++i) {
    const Entry& entry = generator->Next();
    TextBuffer out;
    AppendJsonl(entry, &times, &out);
    ASSERT_EQ(out.back(), '\n');
    const std::string record(out.view().substr(0, out.size() - 1));
    ASSERT_EQ(record.find('\n'), std::string::npos) << "one record per line";
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(record).get(doc), simdjson::SUCCESS) << record;
    std::string_view ts, line;
    simdjson::dom::object labels;
    ASSERT_EQ(doc["ts"].get(ts), simdjson::SUCCESS);
    ASSERT_EQ(doc["labels"].get(labels), simdjson::SUCCESS);
    ASSERT_EQ(doc["line"].get(line), simdjson::SUCCESS);
    EXPECT_EQ(*time::ParseRfc3339(ts), entry.timestamp_ns);
    EXPECT_EQ(JsonObject(labels), LabelsOf(*entry.stream));
    EXPECT_EQ(line, entry.line);  // quotes, tabs and newlines survive the escaping
  }
}

TEST(OutputEncoderTest, LokiPushBodyGroupsEntriesByStream) {
  GeneratorOptions options = OptionsFor(Format::kMixed);
  options.streams = 5;
  auto generator = MakeGenerator(options);
  LokiPushBatcher batcher(100);
  std::multimap<std::string, std::pair<int64_t, std::string>> expected;  // labels -> values
  for (int i = 0; i < 100; ++i) {
    const Entry& entry = generator->Next();
    batcher.Add(entry);
    expected.emplace(entry.stream->labels_json,
                     std::make_pair(entry.timestamp_ns, std::string(entry.line)));
  }
  ASSERT_TRUE(batcher.full());
  TextBuffer out;
  batcher.AppendBody(&out);
  EXPECT_EQ(batcher.pending(), 0u);
  ASSERT_EQ(out.back(), '\n');
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(std::string(out.view())).get(doc), simdjson::SUCCESS);
  simdjson::dom::array streams;
  ASSERT_EQ(doc["streams"].get(streams), simdjson::SUCCESS);
  EXPECT_EQ(streams.size(), 5u);
  size_t values_seen = 0;
  for (simdjson::dom::element stream : streams) {
    simdjson::dom::object labels;
    ASSERT_EQ(stream["stream"].get(labels), simdjson::SUCCESS);
    const auto label_map = JsonObject(labels);
    simdjson::dom::array values;
    ASSERT_EQ(stream["values"].get(values), simdjson::SUCCESS);
    int64_t previous = INT64_MIN;
    for (simdjson::dom::element value : values) {
      std::string_view ts, line;
      ASSERT_EQ(value.at(0).get(ts), simdjson::SUCCESS);
      ASSERT_EQ(value.at(1).get(line), simdjson::SUCCESS);
      const int64_t nanos = std::stoll(std::string(ts));
      EXPECT_GT(nanos, previous) << "generation order within a stream";
      previous = nanos;
      bool found = false;
      for (const auto& [key, pair] : expected) {
        if (pair.first == nanos) {
          found = pair.second == line;
          break;
        }
      }
      EXPECT_TRUE(found) << ts;
      ++values_seen;
    }
    EXPECT_EQ(label_map.size(), 4u);
  }
  EXPECT_EQ(values_seen, 100u);
}

TEST(OutputEncoderTest, EmptyLokiBatchWritesNothing) {
  LokiPushBatcher batcher(10);
  TextBuffer out;
  batcher.AppendBody(&out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace silt::loggen
