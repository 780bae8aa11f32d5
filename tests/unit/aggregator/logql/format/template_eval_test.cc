// Tests for CompiledTemplate (template_eval.h): compilation, lifetime, reuse across entries and
// threads. Rendering semantics are covered by the tables in tests/logql/format/.
#include "aggregator/logql/format/template_eval.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

namespace silt::logql {
namespace {

std::unique_ptr<CompiledTemplate> MustCompile(std::string source) {
  Result<Template> parsed = Template::Parse(std::move(source));
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  Result<std::unique_ptr<CompiledTemplate>> compiled = CompiledTemplate::Compile(*parsed);
  EXPECT_TRUE(compiled.ok()) << compiled.status();
  return std::move(compiled).value();
}

TemplateInput InputOf(const std::map<std::string, std::string, std::less<>>& labels,
                      std::string_view line) {
  TemplateInput input;
  input.line = line;
  input.label = [&labels](std::string_view name) -> std::optional<std::string_view> {
    auto it = labels.find(name);
    if (it == labels.end()) return std::nullopt;
    return std::string_view(it->second);
  };
  input.each_label = [&labels](const std::function<void(std::string_view, std::string_view)>& v) {
    for (const auto& [name, value] : labels) v(name, value);
  };
  return input;
}

TEST(TemplateEvalTest, CompiledTemplateOutlivesItsSource) {
  std::unique_ptr<CompiledTemplate> tmpl;
  {
    Result<Template> parsed = Template::Parse("{{ .a | upper }}-{{ __line__ }}");
    ASSERT_TRUE(parsed.ok());
    tmpl = CompiledTemplate::Compile(*parsed).value();
  }
  std::map<std::string, std::string, std::less<>> labels = {{"a", "x"}};
  std::string out;
  ASSERT_TRUE(tmpl->Render(InputOf(labels, "L"), &out).ok());
  EXPECT_EQ(out, "X-L");
}

TEST(TemplateEvalTest, RenderClearsTheOutputAndIsReusable) {
  std::unique_ptr<CompiledTemplate> tmpl = MustCompile("{{ .a }}");
  std::map<std::string, std::string, std::less<>> first = {{"a", "one"}}, second = {{"a", "two"}};
  std::string out = "previous";
  ASSERT_TRUE(tmpl->Render(InputOf(first, ""), &out).ok());
  EXPECT_EQ(out, "one");
  ASSERT_TRUE(tmpl->Render(InputOf(second, ""), &out).ok());
  EXPECT_EQ(out, "two");
}

TEST(TemplateEvalTest, LiteralRegexErrorsAreReportedAtCompileTime) {
  Result<Template> parsed = Template::Parse("x\n{{ regexReplaceAll \"a(\" .b \"c\" }}");
  ASSERT_TRUE(parsed.ok());
  Result<std::unique_ptr<CompiledTemplate>> compiled = CompiledTemplate::Compile(*parsed);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(compiled.status().message(), "line 2, col 20: error parsing regexp: missing ): a(: `a(`");
}

TEST(TemplateEvalTest, NestedRegexArgumentsAreCompiledToo) {
  Result<Template> parsed = Template::Parse("{{ upper (count \"[\" .a) }}");
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(CompiledTemplate::Compile(*parsed).ok());
}

TEST(TemplateEvalTest, InputWithoutLabelAccessorsSeesNoLabels) {
  std::unique_ptr<CompiledTemplate> tmpl = MustCompile("[{{ .a }}][{{ . }}]");
  TemplateInput input;
  std::string out;
  ASSERT_TRUE(tmpl->Render(input, &out).ok());
  EXPECT_EQ(out, "[][map[]]");
}

TEST(TemplateEvalTest, OneTemplateRendersConcurrently) {
  std::unique_ptr<CompiledTemplate> tmpl =
      MustCompile("{{ regexReplaceAll \"(\\\\d+)\" .n \"<$1>\" }} {{ .n | int | add 1 }}");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        std::map<std::string, std::string, std::less<>> labels = {{"n", std::to_string(i + t)}};
        std::string out;
        Status status = tmpl->Render(InputOf(labels, ""), &out);
        std::string want = "<" + std::to_string(i + t) + "> " + std::to_string(i + t + 1);
        if (!status.ok() || out != want) ++failures[static_cast<size_t>(t)];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace silt::logql
