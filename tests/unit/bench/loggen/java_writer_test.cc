// Java entries: a first line a multi-line parser can key on, then stack trace lines that can
// never be mistaken for a first line.
#include "tests/bench/loggen/java_writer.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>
#include <vector>

#include "tests/bench/loggen/generator.h"
#include "tests/unit/bench/loggen/loggen_test_util.h"

namespace silt::loggen {
namespace {

using testing::MakeGenerator;
using testing::OptionsFor;
using testing::Take;

constexpr char kStart[] =
    R"(^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} (DEBUG|INFO |WARN |ERROR) \[[^\]]+\] )"
    R"(com\.example\.[a-z]+\.[A-Z][A-Za-z]+ - .+$)";
constexpr char kContinuation[] =
    R"(^(\tat [\w$./]+\.[\w$]+\([\w]+\.java(:\d+)?\)|\t\.\.\. \d+ more|)"
    R"(Caused by: [a-z][\w.]*\.[A-Z]\w*: .+|[a-z][\w.]*\.[A-Z]\w*(Exception|Error): .+)$)";

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (true) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return lines;
    start = end + 1;
  }
}

TEST(JavaWriterTest, EntriesStartWithTimestampLineAndContinueWithTraceLines) {
  const RE2 start(kStart);
  const RE2 continuation(kContinuation);
  ASSERT_TRUE(start.ok() && continuation.ok());
  auto generator = MakeGenerator(OptionsFor(Format::kJava));
  int multi_line = 0;
  int caused_by = 0;
  const auto entries = Take(*generator, 4000);
  for (const auto& entry : entries) {
    const std::vector<std::string> lines = SplitLines(entry.line);
    ASSERT_TRUE(RE2::FullMatch(lines[0], start)) << lines[0];
    if (lines.size() == 1) continue;
    ++multi_line;
    EXPECT_NE(lines[0].find(" ERROR ["), std::string::npos) << lines[0];
    EXPECT_GE(lines.size(), 5u);
    for (size_t i = 1; i < lines.size(); ++i) {
      EXPECT_TRUE(RE2::FullMatch(lines[i], continuation)) << lines[i];
      EXPECT_FALSE(RE2::PartialMatch(lines[i], start)) << lines[i];
      caused_by += lines[i].rfind("Caused by: ", 0) == 0 ? 1 : 0;
    }
    EXPECT_EQ(lines.back().rfind("\t", 0), 0u);
  }
  // About a quarter of the entries are stack traces, half of them with a cause.
  EXPECT_GT(multi_line, 800);
  EXPECT_LT(multi_line, 1200);
  EXPECT_GT(caused_by, 300);
}

TEST(JavaWriterTest, EntryLineCountIsReported) {
  auto generator = MakeGenerator(OptionsFor(Format::kJava));
  for (int i = 0; i < 500; ++i) {
    const Entry& entry = generator->Next();
    EXPECT_EQ(entry.lines, SplitLines(std::string(entry.line)).size());
  }
}

TEST(JavaWriterTest, SingleLineEntriesMeetLineSizeAndTracesKeepTheirSize) {
  GeneratorOptions options = OptionsFor(Format::kJava);
  options.line_size = 200;
  auto generator = MakeGenerator(options);
  uint64_t total = 0;
  uint64_t count = 0;
  uint64_t longest_trace = 0;
  for (const auto& entry : Take(*generator, 20'000)) {
    if (entry.line.find('\n') == std::string::npos) {
      total += entry.line.size();
      ++count;
    } else {
      longest_trace = std::max<uint64_t>(longest_trace, entry.line.size());
    }
  }
  EXPECT_NEAR(static_cast<double>(total) / count, 200, 10);
  EXPECT_GT(longest_trace, 600u);
}

}  // namespace
}  // namespace silt::loggen
