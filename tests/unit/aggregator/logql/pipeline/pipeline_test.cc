// Tests for aggregator/logql/pipeline/pipeline.h: compilation, FiltersOnly, label caching,
// line lifetimes and concurrent ForStream. Stage semantics are in tests/logql/pipeline/*.test.
#include "aggregator/logql/pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "aggregator/logql/query.h"

namespace silt::logql {
namespace {

using labels::LabelSet;

std::unique_ptr<Pipeline> CompileText(std::string_view pipeline) {
  Result<Query> query = ParseQuery("{job=\"x\"} " + std::string(pipeline));
  EXPECT_TRUE(query.ok()) << query.status();
  if (!query.ok()) return nullptr;
  Result<std::unique_ptr<Pipeline>> p = Pipeline::Compile(std::get<LogQuery>(query->node).pipeline);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(p).value() : nullptr;
}

TEST(PipelineTest, EmptyPipelineKeepsEverything) {
  std::unique_ptr<Pipeline> p = CompileText("");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->FiltersOnly());
  LabelSet stream = LabelSet::Of({{"job", "x"}});
  auto sp = p->ForStream(stream);
  PipelineEntry out;
  ASSERT_TRUE(sp->Process(1, "line", {}, &out));
  EXPECT_EQ(out.line, "line");
  EXPECT_EQ(out.labels, stream);
}

TEST(PipelineTest, FiltersOnlyIsTrueOnlyForLineFilters) {
  EXPECT_TRUE(CompileText("|= \"a\" != \"b\" |~ \"c\" |> \"<_>d\"")->FiltersOnly());
  EXPECT_FALSE(CompileText("|= \"a\" | json")->FiltersOnly());
  EXPECT_FALSE(CompileText("| level=\"x\"")->FiltersOnly());
  EXPECT_FALSE(CompileText("| decolorize")->FiltersOnly());
  EXPECT_FALSE(CompileText("| drop a")->FiltersOnly());
}

TEST(PipelineTest, FiltersOnlyStillAddsMetadata) {
  auto sp = CompileText("|= \"a\"")->ForStream(LabelSet::Of({{"job", "x"}}));
  std::vector<labels::LabelView> meta = {{"trace", "t"}};
  PipelineEntry out;
  ASSERT_TRUE(sp->Process(1, "a", meta, &out));
  EXPECT_EQ(out.labels, LabelSet::Of({{"job", "x"}, {"trace", "t"}}));
}

TEST(PipelineTest, EqualOutputLabelsShareOneLabelSet) {
  auto sp = CompileText("| logfmt")->ForStream(LabelSet::Of({{"job", "x"}}));
  PipelineEntry a;
  PipelineEntry b;
  PipelineEntry c;
  ASSERT_TRUE(sp->Process(1, "level=info", {}, &a));
  ASSERT_TRUE(sp->Process(2, "level=warn", {}, &c));
  ASSERT_TRUE(sp->Process(3, "level=info", {}, &b));
  EXPECT_EQ(a.labels, b.labels);
  // Shared: the same underlying buffer, not just equal contents.
  EXPECT_EQ(a.labels.begin()->name.data(), b.labels.begin()->name.data());
  EXPECT_NE(a.labels, c.labels);
}

TEST(PipelineTest, HighCardinalityOutputStaysCorrectPastTheCacheBound) {
  auto sp = CompileText("| logfmt")->ForStream(LabelSet::Of({{"job", "x"}}));
  PipelineEntry out;
  for (int i = 0; i < 10000; ++i) {
    std::string id = std::to_string(i % 6000);
    ASSERT_TRUE(sp->Process(i, "id=" + id, {}, &out));
    ASSERT_EQ(out.labels, LabelSet::Of({{"job", "x"}, {"id", id}}));
  }
}

TEST(PipelineTest, FormattedLineOutlivesTheInputUntilNextProcess) {
  auto sp = CompileText("| unpack")->ForStream(LabelSet::Of({{"job", "x"}}));
  std::string input = R"({"_entry":"inner"})";
  PipelineEntry out;
  ASSERT_TRUE(sp->Process(1, input, {}, &out));
  input.assign(input.size(), 'x');
  EXPECT_EQ(out.line, "inner");
}

TEST(PipelineTest, ConsecutiveLineRewritesDoNotAlias) {
  auto sp = CompileText("| unpack | unpack | decolorize")->ForStream(LabelSet::Of({{"job", "x"}}));
  PipelineEntry out;
  std::string line = R"({"_entry":"{\"_entry\":\"\\u001b[1mdeep\\u001b[0m\"}"})";
  ASSERT_TRUE(sp->Process(1, line, {}, &out));
  EXPECT_EQ(out.line, "deep");
}

TEST(PipelineTest, LineFormatRenderErrorSetsTemplateFormatErrAndKeepsTheLine) {
  auto sp = CompileText("| logfmt | line_format \"{{ div .a .b }}\"")
                ->ForStream(LabelSet::Of({{"job", "x"}}));
  PipelineEntry out;
  ASSERT_TRUE(sp->Process(1, "a=1 b=0", {}, &out));
  EXPECT_EQ(out.line, "a=1 b=0");
  EXPECT_EQ(out.labels.Get("__error__"), "TemplateFormatErr");
  EXPECT_FALSE(out.labels.Get("__error_details__").value_or("").empty());
  ASSERT_TRUE(sp->Process(2, "a=6 b=3", {}, &out));
  EXPECT_EQ(out.line, "2");
  EXPECT_EQ(out.labels.Get("__error__"), std::nullopt);
}

TEST(PipelineTest, LabelFormatRenderErrorSetsTemplateFormatErrAndLeavesTheLabel) {
  auto sp = CompileText("| logfmt | label_format q=\"{{ div .a .b }}\", ok=\"{{.a}}\"")
                ->ForStream(LabelSet::Of({{"job", "x"}}));
  PipelineEntry out;
  ASSERT_TRUE(sp->Process(1, "a=1 b=0 q=old", {}, &out));
  EXPECT_EQ(out.labels.Get("q"), "old");
  EXPECT_EQ(out.labels.Get("ok"), "1");
  EXPECT_EQ(out.labels.Get("__error__"), "TemplateFormatErr");
}

TEST(PipelineTest, TemplatesSeeTimestampAndLine) {
  auto sp = CompileText("| line_format \"{{ __timestamp__ | unixEpoch }} {{ __line__ | upper }}\"")
                ->ForStream(LabelSet::Of({{"job", "x"}}));
  PipelineEntry out;
  ASSERT_TRUE(sp->Process(int64_t{1700000000} * 1000000000, "hi", {}, &out));
  EXPECT_EQ(out.line, "1700000000 HI");
}

TEST(PipelineTest, InvalidRegexFailsCompileNamingTheStage) {
  LineFilter filter{LineFilterOp::kRegex, {LineFilterTerm{false, "a("}}};
  Result<std::unique_ptr<Pipeline>> p = Pipeline::Compile({filter});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("|~ \"a(\""), std::string_view::npos) << p.status();
  EXPECT_NE(p.status().message().find("missing )"), std::string_view::npos) << p.status();
}

TEST(PipelineTest, RegexpParserWithoutNamedGroupFailsCompile) {
  Result<std::unique_ptr<Pipeline>> p = Pipeline::Compile({RegexpParser{"(a)", {}}});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("named capture group"), std::string_view::npos);
}

TEST(PipelineTest, InvalidIpPatternFailsCompile) {
  LabelFilterExpr expr{IpLabelFilter{"addr", false, "10.0.0.0/99"}};
  Result<std::unique_ptr<Pipeline>> p = Pipeline::Compile({LabelFilterStage{expr}});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("addr"), std::string_view::npos) << p.status();
}

TEST(PipelineTest, StreamPipelinesOfOnePipelineRunOnSeveralThreads) {
  std::unique_ptr<Pipeline> p = CompileText("| json | level=\"error\" | keep msg");
  ASSERT_NE(p, nullptr);
  std::vector<std::thread> threads;
  std::vector<int> kept(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto sp = p->ForStream(LabelSet::Of({{"job", "x"}, {"t", std::to_string(t)}}));
      PipelineEntry out;
      for (int i = 0; i < 500; ++i) {
        std::string line = R"({"level":")" + std::string(i % 2 ? "error" : "info") +
                           R"(","msg":"m)" + std::to_string(i) + "\"}";
        if (sp->Process(i, line, {}, &out) && out.labels.Get("msg") == "m" + std::to_string(i)) {
          ++kept[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(kept[t], 250);
}

}  // namespace
}  // namespace silt::logql
