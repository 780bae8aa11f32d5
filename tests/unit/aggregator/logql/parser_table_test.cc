// Data-driven parser tests over tests/logql/parser/*.test (format in tests/logql/README.md):
// every valid query must print its expected canonical text and parse back from it to an equal
// AST (the round-trip property); every invalid query must fail with exactly the expected error.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "aggregator/logql/query.h"

namespace silt::logql {
namespace {

struct Case {
  int line = 0;
  std::string query;
  std::optional<std::string> canonical;  // "= " line; absent means the query itself
  std::optional<std::string> error;      // "! " line
};

// Reads a table: a "> " line starts a query, "+ " lines continue it (joined with "\n"), an
// optional "= " line gives its canonical text, or a "! " line its error. '#' lines and blank
// lines are ignored.
std::vector<Case> LoadCases(const std::string& name) {
  std::string path = std::string(SILT_LOGQL_PARSER_TABLES) + "/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<Case> cases;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string rest = line.size() >= 2 ? line.substr(2) : "";
    if (line.starts_with("> ")) {
      cases.push_back(Case{number, rest, std::nullopt, std::nullopt});
    } else if (line.starts_with("+ ") && !cases.empty()) {
      cases.back().query += "\n" + rest;
    } else if (line.starts_with("= ") && !cases.empty()) {
      cases.back().canonical = rest;
    } else if (line.starts_with("! ") && !cases.empty()) {
      cases.back().error = rest;
    } else {
      EXPECT_TRUE(line.empty() || line.starts_with("#")) << path << ":" << number << ": " << line;
    }
  }
  return cases;
}

void CheckValid(const std::string& file, const Case& c) {
  SCOPED_TRACE(file + ":" + std::to_string(c.line) + ": " + c.query);
  ASSERT_FALSE(c.error.has_value()) << "valid tables hold no '!' lines";
  Result<Query> parsed = ParseQuery(c.query);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  std::string canonical = parsed->String();
  EXPECT_EQ(canonical, c.canonical.value_or(c.query));
  Result<Query> reparsed = ParseQuery(canonical);
  ASSERT_TRUE(reparsed.ok()) << "canonical text does not parse: " << reparsed.status();
  EXPECT_TRUE(*reparsed == *parsed) << "round trip changed the AST: " << reparsed->String();
  EXPECT_EQ(reparsed->String(), canonical);
}

void CheckInvalid(const std::string& file, const Case& c) {
  SCOPED_TRACE(file + ":" + std::to_string(c.line) + ": " + c.query);
  ASSERT_TRUE(c.error.has_value()) << "every invalid case needs a '!' line";
  Result<Query> parsed = ParseQuery(c.query);
  ASSERT_FALSE(parsed.ok()) << "parsed as " << parsed->String();
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), *c.error);
}

const std::vector<std::string> kValidTables = {"selectors.test", "pipelines.test",
                                               "metrics.test"};
const std::vector<std::string> kErrorTables = {"errors.test"};

TEST(ParserTableTest, ValidQueriesPrintCanonicallyAndRoundTrip) {
  for (const std::string& file : kValidTables) {
    for (const Case& c : LoadCases(file)) CheckValid(file, c);
  }
}

TEST(ParserTableTest, InvalidQueriesFailWithPositionedErrors) {
  for (const std::string& file : kErrorTables) {
    for (const Case& c : LoadCases(file)) CheckInvalid(file, c);
  }
}

TEST(ParserTableTest, TablesCoverAtLeast150Cases) {
  size_t total = 0;
  for (const std::string& file : kValidTables) total += LoadCases(file).size();
  for (const std::string& file : kErrorTables) total += LoadCases(file).size();
  EXPECT_GE(total, 150u);
}

}  // namespace
}  // namespace silt::logql
