// JSON lines checked with simdjson, logfmt lines with a small logfmt tokenizer.
#include "tests/bench/loggen/app_log_writer.h"

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>

#include "shared/time/timestamp.h"
#include "tests/bench/loggen/generator.h"
#include "tests/unit/bench/loggen/loggen_test_util.h"

namespace silt::loggen {
namespace {

using testing::MakeGenerator;
using testing::OptionsFor;
using testing::Take;

const std::set<std::string> kLevels = {"debug", "info", "warn", "error"};

TEST(AppLogWriterTest, JsonLinesAreValidJsonWithTypedFields) {
  simdjson::dom::parser parser;
  auto generator = MakeGenerator(OptionsFor(Format::kJson));
  std::set<std::string> traces;
  int requests = 0;
  int traced = 0;
  for (const auto& entry : Take(*generator, 5000)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(entry.line).get(doc), simdjson::SUCCESS) << entry.line;
    std::string_view ts, level, service, msg;
    ASSERT_EQ(doc["ts"].get(ts), simdjson::SUCCESS) << entry.line;
    ASSERT_EQ(doc["level"].get(level), simdjson::SUCCESS);
    ASSERT_EQ(doc["service"].get(service), simdjson::SUCCESS);
    ASSERT_EQ(doc["msg"].get(msg), simdjson::SUCCESS);
    EXPECT_TRUE(time::ParseRfc3339(ts).ok()) << ts;
    EXPECT_EQ(kLevels.count(std::string(level)), 1u) << level;
    EXPECT_EQ(service, entry.stream->app);
    EXPECT_FALSE(msg.empty());
    std::string_view trace;
    if (doc["trace_id"].get(trace) == simdjson::SUCCESS) {
      ++traced;
      EXPECT_TRUE(RE2::FullMatch(trace, "[0-9a-f]{32}")) << trace;
      traces.insert(std::string(trace));
      std::string_view span;
      ASSERT_EQ(doc["span_id"].get(span), simdjson::SUCCESS);
      EXPECT_TRUE(RE2::FullMatch(span, "[0-9a-f]{16}")) << span;
    }
    uint64_t status;
    if (doc["status"].get(status) == simdjson::SUCCESS) {
      ++requests;
      EXPECT_GE(status, 200u);
      EXPECT_LT(status, 600u);
      double duration;
      ASSERT_EQ(doc["duration_ms"].get(duration), simdjson::SUCCESS) << entry.line;
      EXPECT_GT(duration, 0);
    }
  }
  EXPECT_GT(requests, 2000);
  EXPECT_LT(requests, 3500);
  // Trace ids recur across entries, as spans of one trace do.
  EXPECT_LT(traces.size(), static_cast<size_t>(traced));
}

// Splits a logfmt line into key -> value; values may be quoted (no escapes are generated).
// Returns false on a malformed pair.
bool ParseLogfmt(std::string_view line, std::map<std::string, std::string>* fields) {
  size_t i = 0;
  while (i < line.size()) {
    const size_t eq = line.find('=', i);
    if (eq == std::string_view::npos || eq == i) return false;
    const std::string key(line.substr(i, eq - i));
    if (!RE2::FullMatch(key, "[a-z_]+")) return false;
    size_t end;
    std::string value;
    if (eq + 1 < line.size() && line[eq + 1] == '"') {
      end = line.find('"', eq + 2);
      if (end == std::string_view::npos) return false;
      value = line.substr(eq + 2, end - eq - 2);
      ++end;
    } else {
      end = line.find(' ', eq + 1);
      if (end == std::string_view::npos) end = line.size();
      value = line.substr(eq + 1, end - eq - 1);
      if (value.find('"') != std::string::npos) return false;
    }
    if (!fields->emplace(key, value).second) return false;  // duplicate key
    if (end < line.size() && line[end] != ' ') return false;
    i = end + 1;
  }
  return true;
}

TEST(AppLogWriterTest, LogfmtLinesAreKeyValuePairs) {
  auto generator = MakeGenerator(OptionsFor(Format::kLogfmt));
  int with_duration = 0;
  for (const auto& entry : Take(*generator, 5000)) {
    std::map<std::string, std::string> fields;
    ASSERT_TRUE(ParseLogfmt(entry.line, &fields)) << entry.line;
    ASSERT_TRUE(fields.count("ts") && fields.count("level") && fields.count("msg")) << entry.line;
    EXPECT_TRUE(time::ParseRfc3339(fields["ts"]).ok()) << fields["ts"];
    EXPECT_EQ(kLevels.count(fields["level"]), 1u);
    EXPECT_EQ(entry.line.rfind("ts=", 0), 0u);
    if (fields.count("duration")) {
      ++with_duration;
      EXPECT_TRUE(RE2::FullMatch(fields["duration"], R"(\d+\.\d{3}ms)")) << fields["duration"];
    }
  }
  EXPECT_GT(with_duration, 2000);
}

TEST(AppLogWriterTest, LogfmtTimestampIsTheEntryTimestamp) {
  auto generator = MakeGenerator(OptionsFor(Format::kLogfmt));
  for (const auto& entry : Take(*generator, 100)) {
    std::map<std::string, std::string> fields;
    ASSERT_TRUE(ParseLogfmt(entry.line, &fields));
    EXPECT_EQ(*time::ParseRfc3339(fields["ts"]), entry.timestamp_ns);
  }
}

TEST(AppLogWriterTest, LineSizeTargetIsMetOnAverage) {
  struct Case {
    Format format;
    uint32_t target;
  };
  for (Case c : {Case{Format::kJson, 250}, Case{Format::kJson, 500}, Case{Format::kLogfmt, 120},
                 Case{Format::kLogfmt, 300}}) {
    GeneratorOptions options = OptionsFor(c.format);
    options.line_size = c.target;
    auto generator = MakeGenerator(options);
    simdjson::dom::parser parser;
    uint64_t total = 0;
    const auto entries = Take(*generator, 20'000);
    for (const auto& entry : entries) {
      total += entry.line.size();
      if (c.format == Format::kJson) {
        simdjson::dom::element doc;
        ASSERT_EQ(parser.parse(entry.line).get(doc), simdjson::SUCCESS) << entry.line;
      }
    }
    const double average = static_cast<double>(total) / entries.size();
    EXPECT_NEAR(average, c.target, c.target * 0.05)
        << FormatName(c.format) << " target " << c.target;
  }
}

TEST(AppLogWriterTest, RareTokenIsInsideTheMessage) {
  GeneratorOptions options = OptionsFor(Format::kJson);
  options.rare_token_rate = 1;
  auto generator = MakeGenerator(options);
  simdjson::dom::parser parser;
  for (const auto& entry : Take(*generator, 100)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(entry.line).get(doc), simdjson::SUCCESS);
    std::string_view msg;
    ASSERT_EQ(doc["msg"].get(msg), simdjson::SUCCESS);
    EXPECT_NE(msg.find(kDefaultRareToken), std::string_view::npos) << msg;
  }
}

}  // namespace
}  // namespace silt::loggen
