// Data-driven template tests over tests/logql/format/*.test (format in tests/logql/README.md):
// each case renders a template for one entry (labels, line, time) and must give exactly the
// expected text, or fail (when compiled or rendered) with exactly the expected error.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aggregator/logql/format/template_eval.h"
#include "shared/time/timestamp.h"

namespace silt::logql {
namespace {

struct Case {
  int line = 0;
  std::string tmpl;
  std::map<std::string, std::string, std::less<>> labels;
  std::string log_line;
  int64_t timestamp_ns = 0;
  std::optional<std::string> output;  // "= " lines joined with "\n"
  std::optional<std::string> error;   // "! " line
};

// Reads a table: "> " starts a template ("+ " continues it with "\n"), "@ name=value" adds a
// label, "< " sets the log line, "~ " the time (RFC 3339), "= " the expected output (repeat for
// more lines) or "! " the expected error. '#' lines and blank lines are ignored.
std::vector<Case> LoadCases(const std::string& name) {
  std::string path = std::string(SILT_LOGQL_FORMAT_TABLES) + "/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<Case> cases;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string rest = line.size() >= 2 ? line.substr(2) : "";
    bool known = !cases.empty() || line.starts_with("> ");
    if (line.starts_with("> ")) {
      cases.push_back(Case{number, rest});
    } else if (line.starts_with("+ ") && known) {
      cases.back().tmpl += "\n" + rest;
    } else if (line.starts_with("@ ") && known && rest.find('=') != std::string::npos) {
      cases.back().labels[rest.substr(0, rest.find('='))] = rest.substr(rest.find('=') + 1);
    } else if (line.starts_with("< ") && known) {
      cases.back().log_line = rest;
    } else if (line.starts_with("~ ") && known) {
      Result<int64_t> ts = time::ParseRfc3339(rest);
      EXPECT_TRUE(ts.ok()) << path << ":" << number << ": " << ts.status();
      cases.back().timestamp_ns = ts.value_or(0);
    } else if ((line == "=" || line.starts_with("= ")) && known) {
      Case& c = cases.back();
      c.output = c.output ? *c.output + "\n" + rest : rest;
    } else if (line.starts_with("! ") && known) {
      cases.back().error = rest;
    } else {
      EXPECT_TRUE(line.empty() || line.starts_with("#")) << path << ":" << number << ": " << line;
    }
  }
  return cases;
}

// Renders `c`; returns the output or the error text prefixed with "! ".
std::string RenderCase(const Case& c) {
  Result<Template> parsed = Template::Parse(c.tmpl);
  if (!parsed.ok()) return "! parse: " + std::string(parsed.status().message());
  Result<std::unique_ptr<CompiledTemplate>> compiled = CompiledTemplate::Compile(*parsed);
  if (!compiled.ok()) return "! " + std::string(compiled.status().message());
  TemplateInput input;
  input.line = c.log_line;
  input.timestamp_ns = c.timestamp_ns;
  input.label = [&c](std::string_view name) -> std::optional<std::string_view> {
    auto it = c.labels.find(name);
    if (it == c.labels.end()) return std::nullopt;
    return std::string_view(it->second);
  };
  input.each_label = [&c](const std::function<void(std::string_view, std::string_view)>& visit) {
    for (const auto& [name, value] : c.labels) visit(name, value);
  };
  std::string out = "stale";
  Status status = (*compiled)->Render(input, &out);
  if (!status.ok()) return "! " + std::string(status.message());
  return out;
}

const std::vector<std::string> kTables = {"basics.test", "strings.test", "math.test",
                                          "dates.test", "regex.test", "encoding.test",
                                          "errors.test"};

TEST(TemplateTableTest, EveryCaseRendersAsExpected) {
  for (const std::string& file : kTables) {
    for (const Case& c : LoadCases(file)) {
      SCOPED_TRACE(file + ":" + std::to_string(c.line) + ": " + c.tmpl);
      ASSERT_NE(c.output.has_value(), c.error.has_value()) << "a case needs one '=' or '!' line";
      EXPECT_EQ(RenderCase(c), c.output ? *c.output : "! " + *c.error);
    }
  }
}

TEST(TemplateTableTest, TablesCoverAtLeast150Cases) {
  size_t total = 0;
  for (const std::string& file : kTables) total += LoadCases(file).size();
  EXPECT_GE(total, 150u);
}

}  // namespace
}  // namespace silt::logql
