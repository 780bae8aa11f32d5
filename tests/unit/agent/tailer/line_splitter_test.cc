#include "agent/tailer/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::agent {
namespace {

using Options = LineSplitter::Options;

std::vector<Line> Split(std::string_view data, Options options = {}, uint64_t offset = 0) {
  LineSplitter splitter(options, offset);
  std::vector<Line> lines;
  splitter.Feed(data, &lines);
  return lines;
}

std::vector<std::string> Texts(const std::vector<Line>& lines) {
  std::vector<std::string> texts;
  for (const Line& line : lines) texts.push_back(line.text);
  return texts;
}

TEST(LineSplitterTest, LfEndsLines) {
  std::vector<Line> lines = Split("a\nbc\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "a");
  EXPECT_EQ(lines[0].start_offset, 0u);
  EXPECT_EQ(lines[0].end_offset, 2u);
  EXPECT_EQ(lines[1].text, "bc");
  EXPECT_EQ(lines[1].start_offset, 2u);
  EXPECT_EQ(lines[1].end_offset, 5u);
  EXPECT_FALSE(lines[1].truncated);
  EXPECT_FALSE(lines[1].unterminated);
}

TEST(LineSplitterTest, CrlfLosesTheCrButOffsetsCountIt) {
  std::vector<Line> lines = Split("a\r\nb\r\n");
  EXPECT_EQ(Texts(lines), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(lines[0].end_offset, 3u);
  EXPECT_EQ(lines[1].start_offset, 3u);
  EXPECT_EQ(lines[1].end_offset, 6u);
}

TEST(LineSplitterTest, LoneCrInsideALineIsKept) {
  EXPECT_EQ(Texts(Split("a\rb\n\r\r\n")), (std::vector<std::string>{"a\rb", "\r"}));
}

TEST(LineSplitterTest, EmptyLinesAreLines) {
  std::vector<Line> lines = Split("\n\r\n\n");
  EXPECT_EQ(Texts(lines), (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(lines[2].start_offset, 3u);
  EXPECT_EQ(lines[2].end_offset, 4u);
}

TEST(LineSplitterTest, PartialLineIsHeldUntilItsNewline) {
  LineSplitter splitter({}, 100);
  std::vector<Line> lines;
  splitter.Feed("ab", &lines);
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(splitter.offset(), 102u);
  EXPECT_EQ(splitter.committed_offset(), 100u);
  EXPECT_EQ(splitter.held_bytes(), 2u);
  splitter.Feed("c", &lines);
  splitter.Feed("d\ne", &lines);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "abcd");
  EXPECT_EQ(lines[0].start_offset, 100u);
  EXPECT_EQ(lines[0].end_offset, 105u);
  EXPECT_EQ(splitter.committed_offset(), 105u);
}

TEST(LineSplitterTest, CrlfSplitAcrossChunksIsStripped) {
  LineSplitter splitter({}, 0);
  std::vector<Line> lines;
  splitter.Feed("abc\r", &lines);
  splitter.Feed("\n", &lines);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "abc");
  EXPECT_EQ(lines[0].end_offset, 5u);
}

TEST(LineSplitterTest, FinishEmitsTheHeldLineUnterminated) {
  LineSplitter splitter({}, 0);
  std::vector<Line> lines;
  splitter.Feed("a\nlast\r", &lines);
  splitter.Finish(&lines);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].text, "last\r");  // no LF follows, so the CR is data
  EXPECT_TRUE(lines[1].unterminated);
  EXPECT_EQ(lines[1].start_offset, 2u);
  EXPECT_EQ(lines[1].end_offset, 7u);
  EXPECT_EQ(splitter.committed_offset(), 7u);
  splitter.Finish(&lines);
  EXPECT_EQ(lines.size(), 2u);
}

TEST(LineSplitterTest, NulBytesPassThrough) {
  const std::string data("a\0b\n\0\n", 6);
  std::vector<Line> lines = Split(data);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, std::string("a\0b", 3));
  EXPECT_EQ(lines[1].text, std::string("\0", 1));
}

TEST(LineSplitterTest, InvalidUtf8PassesThrough) {
  const std::string bad = "\xff\xfe\xc3(\xed\xa0\x80";
  std::vector<Line> lines = Split(bad + "\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, bad);
}

TEST(LineSplitterTest, OversizeLineIsTruncatedAndTheRestSkipped) {
  Options options{.max_line_size = 4, .oversize_policy = OversizeLinePolicy::kTruncate};
  LineSplitter splitter(options, 0);
  std::vector<Line> lines;
  splitter.Feed("abcdefg", &lines);
  splitter.Feed("hij\nok\n", &lines);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "abcd");
  EXPECT_TRUE(lines[0].truncated);
  EXPECT_EQ(lines[0].start_offset, 0u);
  EXPECT_EQ(lines[0].end_offset, 11u);
  EXPECT_EQ(lines[1].text, "ok");
  EXPECT_FALSE(lines[1].truncated);
  EXPECT_EQ(splitter.stats().truncated_lines, 1u);
  EXPECT_EQ(splitter.stats().skipped_bytes, 7u);  // "efghij\n"
  EXPECT_EQ(splitter.stats().lines, 2u);
}

TEST(LineSplitterTest, OversizeLineIsSkippedWholeAndCounted) {
  Options options{.max_line_size = 4, .oversize_policy = OversizeLinePolicy::kSkip};
  LineSplitter splitter(options, 0);
  std::vector<Line> lines;
  splitter.Feed("abcdefg", &lines);
  splitter.Feed("h\nok\n", &lines);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "ok");
  EXPECT_EQ(lines[0].start_offset, 9u);
  EXPECT_EQ(splitter.stats().skipped_lines, 1u);
  EXPECT_EQ(splitter.stats().skipped_bytes, 9u);
  EXPECT_EQ(splitter.committed_offset(), 12u);
}

TEST(LineSplitterTest, LineOfExactlyMaxSizeIsWhole) {
  Options options{.max_line_size = 4, .oversize_policy = OversizeLinePolicy::kSkip};
  std::vector<Line> lines = Split("abcd\nabcd\r\n", options);
  EXPECT_EQ(Texts(lines), (std::vector<std::string>{"abcd", "abcd"}));
}

TEST(LineSplitterTest, MaxSizeLineWithCrlfHeldAcrossChunksIsWhole) {
  Options options{.max_line_size = 4, .oversize_policy = OversizeLinePolicy::kSkip};
  LineSplitter splitter(options, 0);
  std::vector<Line> lines;
  splitter.Feed("abcd\r", &lines);  // 5 held bytes: the limit plus a possible CR
  splitter.Feed("\n", &lines);
  EXPECT_EQ(Texts(lines), (std::vector<std::string>{"abcd"}));
}

TEST(LineSplitterTest, OversizeUnterminatedLineIsTruncatedOnFinish) {
  Options options{.max_line_size = 3, .oversize_policy = OversizeLinePolicy::kTruncate};
  LineSplitter splitter(options, 0);
  std::vector<Line> lines;
  splitter.Feed("abcdef", &lines);
  splitter.Finish(&lines);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "abc");
  EXPECT_TRUE(lines[0].truncated);
  EXPECT_TRUE(lines[0].unterminated);
  EXPECT_EQ(lines[0].end_offset, 6u);
}

TEST(LineSplitterTest, HeldBytesStayBoundedForAHugeLine) {
  Options options{.max_line_size = 8, .oversize_policy = OversizeLinePolicy::kTruncate};
  LineSplitter splitter(options, 0);
  std::vector<Line> lines;
  const std::string chunk(1000, 'x');
  for (int i = 0; i < 100; ++i) splitter.Feed(chunk, &lines);
  EXPECT_EQ(splitter.held_bytes(), 100000u);
  splitter.Feed("\n", &lines);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "xxxxxxxx");
  EXPECT_EQ(lines[0].end_offset, 100001u);
}

TEST(LineSplitterTest, ResetDropsTheHeldLine) {
  LineSplitter splitter({}, 0);
  std::vector<Line> lines;
  splitter.Feed("partial", &lines);
  splitter.Reset(0);
  splitter.Feed("x\n", &lines);
  EXPECT_EQ(Texts(lines), (std::vector<std::string>{"x"}));
}

TEST(LineSplitterTest, ByteAtATimeFeedingGivesTheSameLines) {
  const std::string data = "one\r\ntwo\n\nthree\rx\nfour";
  LineSplitter splitter({}, 0);
  std::vector<Line> lines;
  for (char c : data) splitter.Feed(std::string_view(&c, 1), &lines);
  splitter.Finish(&lines);
  EXPECT_EQ(Texts(lines), (std::vector<std::string>{"one", "two", "", "three\rx", "four"}));
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_EQ(lines[i].end_offset, lines[i + 1].start_offset);
  }
  EXPECT_EQ(lines.back().end_offset, data.size());
}

}  // namespace
}  // namespace silt::agent
