#include "tests/bench/loggen/runner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/bench/loggen/loggen_test_util.h"

namespace silt::loggen {
namespace {

using silt::testing::TempDir;
using testing::MemoryFile;
using testing::PlainText;

class RunnerTest : public ::testing::Test {
 protected:
  RunnerTest() {
    env_.fs = &fs_;
    env_.stdout_file = &stdout_;
    env_.clock = &clock_;
    env_.sleep = [this](int64_t nanos) {
      slept_ns_ += nanos;
      clock_.Advance(nanos);
    };
  }

  std::string Read(const std::string& path) {
    Result<std::string> contents = fs_.ReadFileToString(path);
    EXPECT_TRUE(contents.ok()) << contents.status();
    return contents.value_or("");
  }

  TempDir dir_;
  fs::PosixFileSystem fs_;
  MemoryFile stdout_;
  time::FakeClock clock_;
  int64_t slept_ns_ = 0;
  RunEnvironment env_;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

TEST_F(RunnerTest, DefaultsWriteAThousandPlainEntriesToStdout) {
  RunOptions options;
  Result<RunStats> stats = loggen::Run(options, env_);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->entries, 1000u);
  EXPECT_EQ(stdout_.contents(), PlainText(options.generator, 1000));
  EXPECT_EQ(stats->raw_bytes, stdout_.contents().size());
  EXPECT_EQ(stats->output_bytes, stdout_.contents().size());
}

TEST_F(RunnerTest, BytesLimitStopsAtTheEntryThatCrossesIt) {
  for (uint64_t limit : {1u, 1000u, 123'457u}) {
    MemoryFile out;
    env_.stdout_file = &out;
    RunOptions options;
    options.generator.format = Format::kSyslog3164;
    options.max_entries = 0;
    options.max_bytes = limit;
    Result<RunStats> stats = loggen::Run(options, env_);
    ASSERT_TRUE(stats.ok()) << stats.status();
    const std::string& text = out.contents();
    ASSERT_GE(text.size(), limit);
    const std::vector<std::string> lines = Lines(text);
    EXPECT_LT(text.size() - lines.back().size() - 1, limit) << "one entry too many";
    EXPECT_EQ(stats->entries, lines.size());
  }
}

TEST_F(RunnerTest, BytesLimitCountsPlainBytesWhateverTheOutputMode) {
  RunOptions options;
  options.max_entries = 0;
  options.max_bytes = 50'000;
  options.output = OutputMode::kJsonl;
  Result<RunStats> jsonl = loggen::Run(options, env_);
  ASSERT_TRUE(jsonl.ok());
  MemoryFile plain_out;
  env_.stdout_file = &plain_out;
  options.output = OutputMode::kPlain;
  Result<RunStats> plain = loggen::Run(options, env_);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(jsonl->entries, plain->entries);
  EXPECT_GT(jsonl->output_bytes, plain->output_bytes);
}

TEST_F(RunnerTest, FilesAreWrittenRoundRobin) {
  RunOptions options;
  options.generator.format = Format::kLogfmt;
  options.max_entries = 30;
  options.files = 3;
  options.dir = dir_.Path("logs");
  Result<RunStats> stats = loggen::Run(options, env_);
  ASSERT_TRUE(stats.ok()) << stats.status();
  const std::vector<std::string> all = Lines(PlainText(options.generator, 30));
  for (int f = 0; f < 3; ++f) {
    const std::vector<std::string> lines =
        Lines(Read(dir_.Path("logs/loggen-" + std::to_string(f) + ".log")));
    ASSERT_EQ(lines.size(), 10u);
    for (size_t j = 0; j < lines.size(); ++j) EXPECT_EQ(lines[j], all[j * 3 + f]);
  }
  EXPECT_TRUE(stdout_.contents().empty());
}

TEST_F(RunnerTest, RotationLosesNoLines) {
  RunOptions options;
  options.max_entries = 5000;
  options.output_path = dir_.Path("app.log");
  options.files_options.rotate_every = 100'000;
  options.files_options.rotate_keep = 100;
  Result<RunStats> stats = loggen::Run(options, env_);
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_GE(stats->rotations, 3u);
  std::string joined;
  for (uint64_t i = stats->rotations; i >= 1; --i) {
    joined += Read(options.output_path + "." + std::to_string(i));
  }
  joined += Read(options.output_path);
  EXPECT_EQ(joined, PlainText(options.generator, 5000));
}

TEST_F(RunnerTest, LokiPushBatchesEveryEntry) {
  RunOptions options;
  options.max_entries = 250;
  options.output = OutputMode::kLokiPush;
  options.loki_batch = 100;
  Result<RunStats> stats = loggen::Run(options, env_);
  ASSERT_TRUE(stats.ok());
  const std::vector<std::string> bodies = Lines(stdout_.contents());
  ASSERT_EQ(bodies.size(), 3u);  // 100 + 100 + 50
  for (const std::string& body : bodies) EXPECT_EQ(body.rfind("{\"streams\":[", 0), 0u);
}

TEST_F(RunnerTest, RatePacesEntriesOnTheMonotonicClock) {
  RunOptions options;
  options.max_entries = 50;
  options.rate = 100;  // 10ms apart: entry 49 is due 490ms after the start
  Result<RunStats> stats = loggen::Run(options, env_);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(slept_ns_, 490'000'000);
  EXPECT_EQ(stats->elapsed_ns, 490'000'000);
  // Every entry was handed to the OS before the pause that followed it.
  EXPECT_EQ(stdout_.appends(), 50);
}

TEST_F(RunnerTest, UnpacedRunNeverSleeps) {
  RunOptions options;
  options.max_entries = 10'000;
  ASSERT_TRUE(loggen::Run(options, env_).ok());
  EXPECT_EQ(slept_ns_, 0);
}

TEST_F(RunnerTest, StatsCountPhysicalLinesAndRareEntries) {
  RunOptions options;
  options.generator.format = Format::kJava;
  options.generator.rare_token_rate = 0.1;
  options.max_entries = 2000;
  Result<RunStats> stats = loggen::Run(options, env_);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->lines, Lines(stdout_.contents()).size());
  EXPECT_GT(stats->lines, stats->entries);
  EXPECT_GT(stats->rare_entries, 100u);
  const std::string text = FormatRunStats(*stats);
  EXPECT_NE(text.find("entries=2000 "), std::string::npos) << text;
  EXPECT_NE(text.find("mb_per_s="), std::string::npos) << text;
}

TEST_F(RunnerTest, ConflictingDestinationsAreRejected) {
  RunOptions options;
  options.output_path = dir_.Path("a.log");
  options.files = 2;
  options.dir = dir_.path();
  EXPECT_EQ(loggen::Run(options, env_).status().code(), StatusCode::kInvalidArgument);
  options = RunOptions();
  options.files = 2;
  EXPECT_EQ(loggen::Run(options, env_).status().code(), StatusCode::kInvalidArgument);
  options = RunOptions();
  options.files_options.rotate_every = 1000;
  EXPECT_EQ(loggen::Run(options, env_).status().code(), StatusCode::kInvalidArgument);
  options = RunOptions();
  options.loki_batch = 0;
  EXPECT_EQ(loggen::Run(options, env_).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RunnerTest, UnwritableOutputIsAnError) {
  RunOptions options;
  options.output_path = dir_.Path("missing/dir/a.log");
  Result<RunStats> stats = loggen::Run(options, env_);
  ASSERT_FALSE(stats.ok());
  EXPECT_NE(stats.status().message().find("missing/dir/a.log"), std::string_view::npos)
      << stats.status();
}

}  // namespace
}  // namespace silt::loggen
