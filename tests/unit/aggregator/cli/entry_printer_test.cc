#include "aggregator/cli/entry_printer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace silt::cli {
namespace {

constexpr int64_t kTs = 1765000000'123000000;

std::string Print(PrintOptions options, const LabelPairs& labels, const LogEntry& entry) {
  std::string out;
  EntryPrinter(std::move(options)).Append(labels, CanonicalLabels(labels), entry, &out);
  return out;
}

const LabelPairs kLabels = {{"job", "api"}, {"level", "info"}};

TEST(EntryPrinterTest, DefaultIsTimeLabelsLine) {
  EXPECT_EQ(Print({}, kLabels, {kTs, "GET / 200", {}}),
            "2025-12-06T05:46:40.123000000Z {job=\"api\", level=\"info\"} GET / 200\n");
}

TEST(EntryPrinterTest, ColorWrapsOnlyTheLabels) {
  PrintOptions options;
  options.color = true;
  const std::string out = Print(options, kLabels, {kTs, "x", {}});
  EXPECT_THAT(out, ::testing::StartsWith("2025-12-06T05:46:40.123000000Z \x1b["));
  EXPECT_THAT(out, ::testing::HasSubstr("{job=\"api\", level=\"info\"}\x1b[0m x\n"));
}

TEST(EntryPrinterTest, NoLabelsLeavesThemOut) {
  PrintOptions options;
  options.no_labels = true;
  EXPECT_EQ(Print(options, kLabels, {kTs, "x", {}}), "2025-12-06T05:46:40.123000000Z x\n");
}

TEST(EntryPrinterTest, IncludeLabelKeepsOnlyNamedLabels) {
  PrintOptions options;
  options.include_labels = {"level", "absent"};
  EXPECT_EQ(Print(options, kLabels, {kTs, "x", {}}),
            "2025-12-06T05:46:40.123000000Z {level=\"info\"} x\n");
  options.mode = OutputMode::kJsonl;
  EXPECT_EQ(Print(options, kLabels, {kTs, "x", {}}),
            "{\"timestamp\":\"2025-12-06T05:46:40.123Z\",\"labels\":{\"level\":\"info\"},"
            "\"line\":\"x\"}\n");
}

TEST(EntryPrinterTest, RawIsTheLineOnly) {
  PrintOptions options;
  options.mode = OutputMode::kRaw;
  EXPECT_EQ(Print(options, kLabels, {kTs, "  spaced \"line\"", {}}), "  spaced \"line\"\n");
}

TEST(EntryPrinterTest, JsonlEscapesAndCarriesMetadata) {
  PrintOptions options;
  options.mode = OutputMode::kJsonl;
  EXPECT_EQ(Print(options, {{"job", "a\"b"}},
                  {1765000000'000000000, "tab\there \xff", {{"trace_id", "t1"}}}),
            "{\"timestamp\":\"2025-12-06T05:46:40Z\",\"labels\":{\"job\":\"a\\\"b\"},"
            "\"line\":\"tab\\there \\ufffd\",\"metadata\":{\"trace_id\":\"t1\"}}\n");
}

TEST(EntryPrinterTest, OutputModeNamesAreChecked) {
  EXPECT_EQ(*ParseOutputMode("default"), OutputMode::kDefault);
  EXPECT_EQ(*ParseOutputMode("raw"), OutputMode::kRaw);
  EXPECT_EQ(*ParseOutputMode("jsonl"), OutputMode::kJsonl);
  Result<OutputMode> bad = ParseOutputMode("json");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("use default, raw or jsonl"));
}

TEST(EntryPrinterTest, NoColorDisablesColor) {
  setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(ColorWanted(0));
  unsetenv("NO_COLOR");
}

}  // namespace
}  // namespace silt::cli
