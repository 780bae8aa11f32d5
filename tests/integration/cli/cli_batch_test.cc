// `silt query --limit 0` and `silt export` over many entries against the real silt-aggregator:
// 1M lines in 4 streams with 7 entries per timestamp, read in 5000-entry batches in both
// directions and compared with the generated input (no duplicates, no gaps); an export killed in
// the middle and rerun gives the same file as the query (docs/cli.md "Batches", "export").
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "tests/integration/cli/cli_fixture.h"

namespace silt::testing {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kBaseNs = 1765100000LL * 1'000'000'000;

// Pushes `streams` x `per_stream` entries of {job=<job>, s=<i>} with line "s<i> l<n>", entry n
// at kBaseNs + (n / per_ts) * step_ns, in pushes of `per_push` entries per stream. Returns the
// lines, sorted.
class CliBatchTest : public CliTest {
 protected:
  // Pushes `streams` x `per_stream` entries of {job=<job>, s=<i>} with line "s<i> l<n>", entry n
  // at kBaseNs + (n / per_ts) * step_ns, in pushes of `per_push` entries per stream.
  void PushMany(const std::string& job, int streams, int per_stream, int per_ts, int64_t step_ns,
                int per_push);
};

void CliBatchTest::PushMany(const std::string& job, int streams, int per_stream, int per_ts,
                            int64_t step_ns, int per_push) {
  for (int first = 0; first < per_stream; first += per_push) {
    std::string body = "{\"streams\":[";
    for (int s = 0; s < streams; ++s) {
      if (s > 0) body += ",";
      body +=
          "{\"stream\":{\"job\":\"" + job + "\",\"s\":\"" + std::to_string(s) + "\"},\"values\":[";
      for (int n = first; n < std::min(per_stream, first + per_push); ++n) {
        if (n > first) body += ",";
        body += "[\"";
        body += std::to_string(kBaseNs + (n / per_ts) * step_ns);
        body += "\",\"s";
        body += std::to_string(s);
        body += " l";
        body += std::to_string(n);
        body += "\"]";
      }
      body += "]}";
    }
    body += "]}";
    Push(body);
  }
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Checks that `text` holds every line "s<s> l<n>" (s < streams, n < per_stream) exactly once and
// nothing else; returns "" or what is wrong first (a readable failure instead of 1M lines).
std::string EveryLineOnce(const std::string& text, int streams, int per_stream) {
  std::vector<uint8_t> seen(static_cast<size_t>(streams) * per_stream, 0);
  size_t lines = 0;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    ++lines;
    int s = -1;
    int n = -1;
    char extra = 0;
    if (std::sscanf(line.c_str(), "s%d l%d%c", &s, &n, &extra) != 2 || s < 0 || s >= streams ||
        n < 0 || n >= per_stream) {
      return "unexpected line '" + line + "'";
    }
    if (seen[static_cast<size_t>(s) * per_stream + n]++ != 0) return "repeated: '" + line + "'";
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i] == 0) {
      return "missing: 's" + std::to_string(i / per_stream) + " l" +
             std::to_string(i % per_stream) + "' (" + std::to_string(lines) + " lines read)";
    }
  }
  return "";
}

TEST_F(CliBatchTest, LimitZeroReadsAMillionLinesWithoutGapsOrRepeatsInBothDirections) {
  PushMany("big", 4, 250000, 7, 1000, 25000);
  for (const char* direction : {"--forward", ""}) {
    std::vector<std::string> args = {"query",      "{job=\"big\"}", "--from", "1765100000", "--to",
                                     "1765100100", "--limit",       "0",      "-o",         "raw"};
    if (direction[0] != '\0') args.push_back(direction);
    SiltRun run = Silt(args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(EveryLineOnce(run.out, 4, 250000), "") << direction;
  }
}

TEST_F(CliBatchTest, ExportWritesEveryEntryAsZstdJsonl) {
  PushMany("exp", 3, 2000, 5, 10'000'000, 2000);  // 20 s of data
  const std::string out = dir_.Path("all.jsonl.zst");
  SiltRun run = Silt({"export", "{job=\"exp\"}", "--from", "1765100000", "--to", "1765100030",
                      "--part", "7s", "--batch", "100", "-o", out});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");  // no progress: stderr is not a terminal
  SiltRun query = Silt({"query", "{job=\"exp\"}", "--from", "1765100000", "--to", "1765100030",
                        "--limit", "0", "--forward", "-o", "jsonl"});
  ASSERT_EQ(query.exit_code, 0);
  int rc = 0;
  const std::string exported = agent::testing::ReadAll(out);
  ASSERT_FALSE(exported.empty());
  std::string text;
  rc = agent::testing::RunProgram({"/usr/bin/zstd", "-dc", out}, &text);
  ASSERT_EQ(rc, 0) << text;
  EXPECT_EQ(SortedLines(text).size(), 6000u);
  EXPECT_TRUE(SortedLines(text) == SortedLines(query.out));
  struct stat st;
  EXPECT_NE(stat((out + ".manifest").c_str(), &st), 0);  // cleaned up
  EXPECT_NE(stat((out + ".part0000").c_str(), &st), 0);
  SiltRun again =
      Silt({"export", "{job=\"exp\"}", "--from", "1765100000", "--to", "1765100030", "-o", out});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("already exists: remove it or choose another -o"));
}

TEST_F(CliBatchTest, ExportDrawsProgressOnlyOnATerminal) {
  PushMany("tty", 1, 1000, 1, 1'000'000, 1000);
  const std::string out = dir_.Path("tty.jsonl.zst");
  // `script` runs silt with a pseudo-terminal as stdout and stderr.
  std::string text;
  ASSERT_EQ(agent::testing::RunProgram(
                {"/usr/bin/script", "-qec",
                 std::string(SILT_CLI_BINARY) + " export '{job=\"tty\"}' --from 1765100000 --to " +
                     "1765100002 --part 1s --addr " + addr_ + " -o " + out,
                 "/dev/null"},
                &text),
            0)
      << text;
  EXPECT_THAT(text, HasSubstr("export: part 2/2, 1000 lines, "));
  EXPECT_THAT(text, HasSubstr(" lines/s"));
}

TEST_F(CliBatchTest, ExportKilledInTheMiddleResumesAndMatchesAFullRun) {
  PushMany("res", 2, 20000, 1, 2'000'000, 20000);  // 40 s, 40000 entries, 2 per timestamp
  const std::string out = dir_.Path("resumed.jsonl.zst");
  const std::vector<std::string> args = {
      "export", "{job=\"res\"}", "--from", "1765100000", "--to", "1765100040", "--part",
      "2s",     "--batch",       "1",      "-o",         out};
  SiltProcess first;
  ASSERT_TRUE(
      first.Start(args, {{"SILT_ADDR", addr_}}, dir_.Path("first.out"), dir_.Path("first.err")));
  struct stat st;
  ASSERT_TRUE(agent::testing::WaitFor([&] { return stat((out + ".part0000").c_str(), &st) == 0; }));
  first.Signal(SIGKILL);
  first.Wait(10000);
  ASSERT_NE(stat((out + ".manifest").c_str(), &st), -1);
  ASSERT_NE(stat(out.c_str(), &st), 0) << "the export ended before it was killed";

  // Another export with other flags may not mix into these parts.
  SiltRun other = Silt({"export", "{job=\"res\"}", "--from", "1765100000", "--to", "1765100040",
                        "--part", "4s", "-o", out});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_THAT(other.err, HasSubstr("belongs to an export with another query"));

  SiltRun rerun = Silt(args);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_THAT(rerun.err, ::testing::MatchesRegex("silt: resuming .*: [0-9]+ of 20 parts "
                                                 "already done\n"));
  std::string resumed;
  ASSERT_EQ(agent::testing::RunProgram({"/usr/bin/zstd", "-dc", out}, &resumed), 0);
  SiltRun query = Silt({"query", "{job=\"res\"}", "--from", "1765100000", "--to", "1765100040",
                        "--limit", "0", "--forward", "-o", "jsonl"});
  ASSERT_EQ(query.exit_code, 0);
  EXPECT_EQ(SortedLines(resumed).size(), 40000u);
  EXPECT_EQ(resumed, query.out);  // forward order, part by part: the same bytes
}

}  // namespace
}  // namespace silt::testing
