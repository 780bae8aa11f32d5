// Data-driven pipeline tests over tests/logql/pipeline/*.test (format in tests/logql/README.md):
// each input entry goes through the pipeline of its block and must come out with exactly the
// expected line and labels, or be dropped.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aggregator/logql/pipeline/pipeline.h"
#include "aggregator/logql/query.h"
#include "shared/labels/label_parser.h"
#include "shared/labels/string_literal.h"

namespace silt::logql {
namespace {

struct Case {
  std::string where;  // file:line of the input
  std::string stream;
  std::string pipeline;
  int64_t timestamp_ns = 0;
  std::string line;
  std::optional<std::string> metadata;  // label set text
  bool dropped = false;
  std::optional<std::string> labels;    // expected label set text
  std::string expected_line;
};

// Splits `{...} rest` at the closing brace (quoted values may hold braces).
bool SplitLabels(std::string_view text, std::string* labels, std::string_view* rest) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      Result<std::string> skipped = labels::ReadStringLiteral(text, &i);
      if (!skipped.ok()) return false;
      --i;
    } else if (text[i] == '}') {
      *labels = std::string(text.substr(0, i + 1));
      *rest = text.substr(std::min(text.size(), i + 2));
      return true;
    }
  }
  return false;
}

// Decodes a Go string literal, or records a failure.
std::string Literal(std::string_view text, const std::string& where) {
  Result<std::string> value = labels::Unquote(text);
  EXPECT_TRUE(value.ok()) << where << ": " << value.status();
  return value.ok() ? *value : std::string();
}

// Applies one directive line to the cases read so far (see tests/logql/README.md).
void ReadDirective(const std::string& line, const std::string& where, Case* block,
                   std::vector<Case>* cases) {
  size_t space = line.find(' ');
  std::string word = line.substr(0, space);
  std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
  if (word == "stream") {
    block->stream = rest;
  } else if (word == "pipeline") {
    block->pipeline = rest;
  } else if (word == "time") {
    block->timestamp_ns = std::stoll(rest);
  } else if (word == "input" || word == "inputq") {
    Case c = *block;
    c.where = where;
    c.line = word == "input" ? rest : Literal(rest, where);
    cases->push_back(c);
  } else if (cases->empty()) {
    ADD_FAILURE() << where << ": `" << word << "` before any input";
  } else if (word == "meta") {
    cases->back().metadata = rest;
  } else if (word == "dropped") {
    cases->back().dropped = true;
  } else if (word == "output" || word == "outputq") {
    std::string labels;
    std::string_view text;
    ASSERT_TRUE(SplitLabels(rest, &labels, &text)) << where << ": expected `{labels} line`";
    cases->back().labels = labels;
    cases->back().expected_line = word == "output" ? std::string(text) : Literal(text, where);
  } else {
    ADD_FAILURE() << where << ": unknown directive `" << word << "`";
  }
}

std::vector<Case> LoadCases(const std::filesystem::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<Case> cases;
  Case block;
  block.stream = "{job=\"test\"}";
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.starts_with("#")) continue;
    ReadDirective(line, path.filename().string() + ":" + std::to_string(number), &block, &cases);
  }
  return cases;
}

std::vector<labels::LabelView> Metadata(const labels::LabelSet& set) {
  std::vector<labels::LabelView> views;
  for (labels::LabelView label : set) views.push_back(label);
  std::reverse(views.begin(), views.end());  // the pipeline must not rely on order
  return views;
}

void Check(const Case& c) {
  SCOPED_TRACE(c.where + ": " + c.pipeline + " <- " + c.line);
  ASSERT_TRUE(c.dropped || c.labels.has_value()) << "each input needs `output` or `dropped`";
  Result<Query> query = ParseQuery("{job=\"test\"} " + c.pipeline);
  ASSERT_TRUE(query.ok()) << query.status();
  ASSERT_FALSE(query->is_metric());
  Result<std::unique_ptr<Pipeline>> pipeline =
      Pipeline::Compile(std::get<LogQuery>(query->node).pipeline);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  Result<labels::LabelSet> stream = labels::ParseLabels(c.stream);
  ASSERT_TRUE(stream.ok()) << stream.status();
  labels::LabelSet metadata_set;
  if (c.metadata) {
    Result<labels::LabelSet> parsed = labels::ParseLabels(*c.metadata);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    metadata_set = *parsed;
  }
  std::vector<labels::LabelView> metadata = Metadata(metadata_set);
  std::unique_ptr<StreamPipeline> sp = (*pipeline)->ForStream(*stream);
  // Twice through the same StreamPipeline: the second run exercises the caches and reused
  // buffers and must give the same answer.
  for (int round = 0; round < 2; ++round) {
    PipelineEntry out;
    bool kept = sp->Process(c.timestamp_ns, c.line, metadata, &out);
    if (c.dropped) {
      EXPECT_FALSE(kept) << "expected dropped, got " << out.labels << " " << out.line;
      continue;
    }
    ASSERT_TRUE(kept) << "dropped, expected " << *c.labels;
    Result<labels::LabelSet> expected = labels::ParseLabels(*c.labels);
    ASSERT_TRUE(expected.ok()) << expected.status();
    EXPECT_EQ(out.labels.ToString(), expected->ToString());
    EXPECT_EQ(out.line, c.expected_line);
  }
}

std::vector<std::filesystem::path> Tables() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(SILT_LOGQL_PIPELINE_TABLES)) {
    if (e.path().extension() == ".test") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(PipelineTableTest, EveryEntryGivesItsExpectedOutput) {
  for (const auto& file : Tables()) {
    for (const Case& c : LoadCases(file)) Check(c);
  }
}

TEST(PipelineTableTest, TablesCoverAtLeast200Cases) {
  size_t total = 0;
  for (const auto& file : Tables()) total += LoadCases(file).size();
  EXPECT_GE(total, 200u);
}

}  // namespace
}  // namespace silt::logql
