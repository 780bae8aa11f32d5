#include "tests/bench/loggen/generator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "shared/hash/xxh3.h"
#include "tests/unit/bench/loggen/loggen_test_util.h"

namespace silt::loggen {
namespace {

using testing::MakeGenerator;
using testing::OptionsFor;
using testing::PlainText;
using testing::Take;

std::vector<Format> AllFormats() {
  std::vector<Format> formats(ConcreteFormats().begin(), ConcreteFormats().end());
  formats.push_back(Format::kMixed);
  return formats;
}

TEST(GeneratorTest, SameSeedGivesIdenticalBytes) {
  for (Format format : AllFormats()) {
    GeneratorOptions options = OptionsFor(format, 42);
    options.rare_token_rate = 0.01;
    options.line_size = 150;
    options.streams = 20;
    EXPECT_EQ(PlainText(options, 5000), PlainText(options, 5000)) << FormatName(format);
  }
}

TEST(GeneratorTest, DifferentSeedGivesDifferentBytes) {
  for (Format format : AllFormats()) {
    const std::string a = PlainText(OptionsFor(format, 1), 100);
    const std::string b = PlainText(OptionsFor(format, 2), 100);
    EXPECT_NE(a, b) << FormatName(format);
  }
}

// Pins the exact output of seed 1 for every format: the digests must be the same with every
// compiler and on every machine. A deliberate change to the vocabulary or a writer changes them;
// update the values in the same commit and say so.
TEST(GeneratorTest, OutputIsPinnedPerFormat) {
  struct Golden {
    Format format;
    uint64_t digest;
  };
  const Golden kGolden[] = {
      {Format::kNginx, 0xbf500736da6b8db4ULL},      {Format::kApache, 0x241b0ac7da888795ULL},
      {Format::kJson, 0x6871cd32f553fdb5ULL},       {Format::kLogfmt, 0x2f50dc37f5c5cab6ULL},
      {Format::kSyslog5424, 0xd44ccc220dd571f4ULL}, {Format::kSyslog3164, 0x1c9d857eca1a7e83ULL},
      {Format::kJava, 0xa2de3d5f07cd8c0cULL},       {Format::kMixed, 0x93dceb8771ac8189ULL},
  };
  for (const Golden& golden : kGolden) {
    GeneratorOptions options = OptionsFor(golden.format);
    options.line_size = 130;
    options.rare_token_rate = 0.05;
    options.streams = 30;
    const uint64_t digest = hash::Xxh3(PlainText(options, 2000));
    EXPECT_EQ(digest, golden.digest) << FormatName(golden.format) << std::hex << " 0x" << digest;
  }
}

TEST(GeneratorTest, TimestampsFollowStartAndStepWithoutJitter) {
  GeneratorOptions options = OptionsFor(Format::kLogfmt);
  options.start_ns = 1'000'000'000;
  options.step_ns = 250'000'000;
  options.jitter_ns = 0;
  auto generator = MakeGenerator(options);
  const auto entries = Take(*generator, 10);
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].timestamp_ns, 1'000'000'000 + static_cast<int64_t>(i) * 250'000'000);
  }
}

TEST(GeneratorTest, DefaultJitterKeepsTimestampsStrictlyIncreasing) {
  GeneratorOptions options = OptionsFor(Format::kNginx);
  options.step_ns = 1'000;
  auto generator = MakeGenerator(options);
  int64_t previous = INT64_MIN;
  std::set<int64_t> offsets;
  for (uint64_t i = 0; i < 10'000; ++i) {
    const Entry& entry = generator->Next();
    ASSERT_GT(entry.timestamp_ns, previous);
    const int64_t offset = entry.timestamp_ns - options.start_ns - static_cast<int64_t>(i) * 1000;
    ASSERT_GE(offset, 0);
    ASSERT_LE(offset, 500);
    offsets.insert(offset);
    previous = entry.timestamp_ns;
  }
  EXPECT_GT(offsets.size(), 100u);  // jittered, not on a grid
}

TEST(GeneratorTest, JitterLargerThanStepGivesOutOfOrderEntries) {
  GeneratorOptions options = OptionsFor(Format::kNginx);
  options.step_ns = 1'000;
  options.jitter_ns = 10'000;
  auto generator = MakeGenerator(options);
  int backwards = 0;
  int64_t previous = INT64_MIN;
  for (int i = 0; i < 1000; ++i) {
    const int64_t ts = generator->Next().timestamp_ns;
    backwards += ts < previous ? 1 : 0;
    previous = ts;
  }
  EXPECT_GT(backwards, 100);
}

TEST(GeneratorTest, NextAtUsesGivenTimestamp) {
  auto generator = MakeGenerator(OptionsFor(Format::kJson));
  const Entry& entry = generator->NextAt(1'700'000'000'123'000'000);
  EXPECT_EQ(entry.timestamp_ns, 1'700'000'000'123'000'000);
  EXPECT_NE(entry.line.find("2023-11-14T22:13:20.123Z"), std::string_view::npos) << entry.line;
}

TEST(GeneratorTest, RareTokenAppearsAtTheRateAndOnlyInRareEntries) {
  GeneratorOptions options = OptionsFor(Format::kLogfmt);
  options.rare_token_rate = 0.01;
  auto generator = MakeGenerator(options);
  int rare = 0;
  for (const auto& entry : Take(*generator, 100'000)) {
    const bool has_token = entry.line.find(kDefaultRareToken) != std::string::npos;
    ASSERT_EQ(has_token, entry.rare) << entry.line;
    rare += entry.rare ? 1 : 0;
  }
  EXPECT_GT(rare, 850);
  EXPECT_LT(rare, 1150);
}

TEST(GeneratorTest, RareTokenNeverAppearsWithRateZero) {
  for (Format format : AllFormats()) {
    const std::string text = PlainText(OptionsFor(format), 20'000);
    EXPECT_EQ(text.find("needle"), std::string::npos) << FormatName(format);
  }
}

TEST(GeneratorTest, RareEntriesDependOnlyOnSeedAndRate) {
  std::vector<std::vector<bool>> patterns;
  for (Format format : {Format::kNginx, Format::kJava, Format::kMixed}) {
    GeneratorOptions options = OptionsFor(format, 9);
    options.rare_token_rate = 0.05;
    options.line_size = format == Format::kJava ? 0 : 140;
    auto generator = MakeGenerator(options);
    std::vector<bool> pattern;
    for (const auto& entry : Take(*generator, 2000)) pattern.push_back(entry.rare);
    patterns.push_back(pattern);
  }
  EXPECT_EQ(patterns[0], patterns[1]);
  EXPECT_EQ(patterns[0], patterns[2]);
}

TEST(GeneratorTest, EveryStreamIsUsedAndLinesCarryItsHost) {
  GeneratorOptions options = OptionsFor(Format::kSyslog3164);
  options.streams = 50;
  options.cardinality = 5;
  auto generator = MakeGenerator(options);
  std::set<uint32_t> used;
  for (const auto& entry : Take(*generator, 5000)) {
    used.insert(entry.stream->index);
    EXPECT_NE(entry.line.find(" " + entry.stream->host + " "), std::string::npos) << entry.line;
  }
  EXPECT_EQ(used.size(), 50u);
}

TEST(GeneratorTest, MixedInterleavesAllFormats) {
  auto generator = MakeGenerator(OptionsFor(Format::kMixed));
  EXPECT_EQ(generator->streams().size(), 7u);
  std::set<Format> formats;
  for (const auto& entry : Take(*generator, 500)) formats.insert(entry.stream->format);
  EXPECT_EQ(formats.size(), 7u);
}

TEST(GeneratorTest, NaturalLinesVaryInLength) {
  std::set<size_t> sizes;
  auto generator = MakeGenerator(OptionsFor(Format::kNginx));
  for (const auto& entry : Take(*generator, 1000)) sizes.insert(entry.line.size());
  EXPECT_GT(sizes.size(), 50u);
}

TEST(GeneratorTest, SizedLinesVaryAroundTheTarget) {
  GeneratorOptions options = OptionsFor(Format::kSyslog5424);
  options.line_size = 200;
  auto generator = MakeGenerator(options);
  size_t shortest = SIZE_MAX;
  size_t longest = 0;
  for (const auto& entry : Take(*generator, 5000)) {
    shortest = std::min(shortest, entry.line.size());
    longest = std::max(longest, entry.line.size());
  }
  EXPECT_LT(shortest, 170u);
  EXPECT_GT(longest, 230u);
}

TEST(GeneratorTest, InvalidOptionsAreRejected) {
  GeneratorOptions options;
  options.rare_token = "has space";
  EXPECT_EQ(Generator::Create(options).status().code(), StatusCode::kInvalidArgument);
  options = GeneratorOptions();
  options.rare_token = "";
  EXPECT_EQ(Generator::Create(options).status().code(), StatusCode::kInvalidArgument);
  options = GeneratorOptions();
  options.rare_token_rate = 1.5;
  EXPECT_EQ(Generator::Create(options).status().code(), StatusCode::kInvalidArgument);
  options = GeneratorOptions();
  options.step_ns = -1;
  EXPECT_EQ(Generator::Create(options).status().code(), StatusCode::kInvalidArgument);
  options = GeneratorOptions();
  options.line_size = 1'000'000;
  EXPECT_EQ(Generator::Create(options).status().code(), StatusCode::kInvalidArgument);
  options = GeneratorOptions();
  options.streams = 100;
  options.cardinality = 2;
  EXPECT_EQ(Generator::Create(options).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace silt::loggen
