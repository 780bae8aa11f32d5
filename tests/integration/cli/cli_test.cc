// `silt` end to end against the real silt-aggregator: every subcommand and output mode with
// golden outputs (data pushed with fixed timestamps), the tail live with Ctrl-C, tenants, and the
// exit codes 1, 2 and 3 with their messages (docs/cli.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/integration/cli/cli_fixture.h"

namespace silt::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Two streams; "GET /a" and "GET /b" share a timestamp; one line needs JSON escaping.
constexpr const char* kGoldenPush = R"({"streams":[
  {"stream":{"job":"api","level":"info"},"values":[
    ["1765000000000000000","GET / 200"],
    ["1765000001000000000","GET /a 200"],
    ["1765000001000000000","GET /b 404"]]},
  {"stream":{"job":"db"},"values":[
    ["1765000000500000000","slow query 1.2s"],
    ["1765000002000000000","quote \" and tab \t end"]]}]})";

const std::vector<std::string> kRange = {"--from", "1765000000", "--to", "1765000010"};

std::vector<std::string> With(std::vector<std::string> args) {
  args.insert(args.end(), kRange.begin(), kRange.end());
  return args;
}

class CliGoldenTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    Push(kGoldenPush);
  }

  // Runs silt, expects exit 0 and nothing on stderr, returns stdout.
  std::string Ok(const std::vector<std::string>& args) {
    SiltRun run = Silt(args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.err, "");
    return run.out;
  }
};

TEST_F(CliGoldenTest, QueryDefaultOutputIsNewestFirst) {
  EXPECT_EQ(Ok(With({"query", "{job=~\".+\"}"})),
            "2025-12-06T05:46:42.000000000Z {job=\"db\"} quote \" and tab \t end\n"
            "2025-12-06T05:46:41.000000000Z {job=\"api\", level=\"info\"} GET /b 404\n"
            "2025-12-06T05:46:41.000000000Z {job=\"api\", level=\"info\"} GET /a 200\n"
            "2025-12-06T05:46:40.500000000Z {job=\"db\"} slow query 1.2s\n"
            "2025-12-06T05:46:40.000000000Z {job=\"api\", level=\"info\"} GET / 200\n");
}

TEST_F(CliGoldenTest, QueryForwardRawIsLinesOldestFirst) {
  EXPECT_EQ(Ok(With({"query", "{job=~\".+\"}", "--forward", "--output", "raw"})),
            "GET / 200\nslow query 1.2s\nGET /a 200\nGET /b 404\nquote \" and tab \t end\n");
}

TEST_F(CliGoldenTest, QueryJsonlIsOneObjectPerEntry) {
  EXPECT_EQ(Ok(With({"query", "{job=\"db\"}", "-o", "jsonl"})),
            "{\"timestamp\":\"2025-12-06T05:46:42Z\",\"labels\":{\"job\":\"db\"},"
            "\"line\":\"quote \\\" and tab \\t end\"}\n"
            "{\"timestamp\":\"2025-12-06T05:46:40.5Z\",\"labels\":{\"job\":\"db\"},"
            "\"line\":\"slow query 1.2s\"}\n");
}

TEST_F(CliGoldenTest, QueryNoLabelsAndIncludeLabel) {
  EXPECT_EQ(Ok(With({"query", "{job=\"api\"}", "--no-labels", "--limit", "2"})),
            "2025-12-06T05:46:41.000000000Z GET /b 404\n"
            "2025-12-06T05:46:41.000000000Z GET /a 200\n");
  EXPECT_EQ(Ok(With({"query", "{job=\"api\"}", "--include-label", "level", "--limit", "1"})),
            "2025-12-06T05:46:41.000000000Z {level=\"info\"} GET /b 404\n");
  // Each --include-label takes one name, so the query after it stays the positional.
  EXPECT_EQ(Ok(With({"query", "--include-label", "job", "{job=\"api\"}", "--limit", "1"})),
            "2025-12-06T05:46:41.000000000Z {job=\"api\"} GET /b 404\n");
}

TEST_F(CliGoldenTest, QueryLimitWithSmallBatchesEqualsOneRequest) {
  const std::string one = Ok(With({"query", "{job=~\".+\"}", "--limit", "4", "-o", "raw"}));
  EXPECT_EQ(Ok(With({"query", "{job=~\".+\"}", "--limit", "4", "--batch", "1", "-o", "raw"})), one);
  EXPECT_EQ(one, "quote \" and tab \t end\nGET /b 404\nGET /a 200\nslow query 1.2s\n");
}

TEST_F(CliGoldenTest, MetricQueryIsATable) {
  EXPECT_EQ(Ok({"query", "sum by (job) (count_over_time({job=~\".+\"}[1s]))", "--from",
                "1765000000", "--to", "1765000002"}),
            "job  TIME                  VALUE\n"
            "api  2025-12-06T05:46:40Z  1\n"
            "api  2025-12-06T05:46:41Z  2\n"
            "db   2025-12-06T05:46:41Z  1\n"
            "db   2025-12-06T05:46:42Z  1\n");
}

TEST_F(CliGoldenTest, InstantVectorScalarAndJsonl) {
  const std::string query = "sum by (job) (count_over_time({job=~\".+\"}[10s]))";
  EXPECT_EQ(Ok({"instant", query, "--time", "1765000005"}), "job  VALUE\napi  3\ndb   2\n");
  EXPECT_EQ(
      Ok({"instant", query, "--time", "1765000005", "-o", "jsonl"}),
      "{\"timestamp\":\"2025-12-06T05:46:45Z\",\"labels\":{\"job\":\"api\"},\"value\":\"3\"}\n"
      "{\"timestamp\":\"2025-12-06T05:46:45Z\",\"labels\":{\"job\":\"db\"},\"value\":\"2\"}\n");
  EXPECT_EQ(Ok({"instant", "sum(count_over_time({job=~\".+\"}[10s])) * 2", "--time", "1765000005"}),
            "VALUE\n10\n");
}

TEST_F(CliGoldenTest, InstantLogQueryPrintsEntries) {
  EXPECT_EQ(Ok({"instant", "{job=\"db\"} |= \"slow\"", "--time", "1765000005", "-o", "raw"}),
            "slow query 1.2s\n");
}

TEST_F(CliGoldenTest, LabelsAndLabelValues) {
  EXPECT_EQ(Ok(With({"labels"})), "job\nlevel\n");
  EXPECT_EQ(Ok(With({"labels", "job"})), "api\ndb\n");
  EXPECT_EQ(Ok(With({"labels", "nothere"})), "");
}

TEST_F(CliGoldenTest, SeriesDefaultAndJsonl) {
  EXPECT_EQ(Ok(With({"series", "{job=~\".+\"}"})), "{job=\"api\", level=\"info\"}\n{job=\"db\"}\n");
  EXPECT_EQ(Ok(With({"series", "{job=\"api\"}", "-o", "jsonl"})),
            "{\"job\":\"api\",\"level\":\"info\"}\n");
}

TEST_F(CliGoldenTest, StatsTableAndJsonl) {
  const std::string table = Ok(With({"stats", "{job=\"api\"}"}));
  EXPECT_THAT(table, StartsWith("streams  1\nchunks   1\nbytes    "));
  EXPECT_THAT(table, HasSubstr("\nentries  3\n"));
  EXPECT_THAT(
      Ok(With({"stats", "{job=\"api\"}", "-o", "jsonl"})),
      ::testing::MatchesRegex("\\{\"streams\":1,\"chunks\":1,\"bytes\":[0-9]+,\"entries\":3\\}\n"));
}

TEST_F(CliGoldenTest, TenantComesFromOrgIdFlagAndEnv) {
  Push(R"({"streams":[{"stream":{"job":"other"},"values":[["1765000003000000000","t"]]}]})",
       "team-b");
  EXPECT_EQ(Ok(With({"labels", "job", "--org-id", "team-b"})), "other\n");
  SiltRun run = Silt(With({"labels", "job"}), {{"SILT_ORG_ID", "team-b"}});
  EXPECT_EQ(run.out, "other\n");
  EXPECT_EQ(Ok(With({"labels", "job"})), "api\ndb\n");
}

TEST_F(CliGoldenTest, AddrFlagOverridesEnv) {
  SiltRun run = RunSilt(dir_.path(), With({"labels", "--addr", addr_}),
                        {{"SILT_ADDR", "http://127.0.0.1:1"}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "job\nlevel\n");
}

TEST_F(CliTest, TailPrintsALinePushedAfterItConnectedAndStopsOnCtrlC) {
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  Push(R"({"streams":[{"stream":{"job":"live"},"values":[[")" + std::to_string(now) +
       R"(","before the tail"]]}]})");
  SiltProcess tail;
  const std::string out = dir_.Path("tail.out");
  ASSERT_TRUE(tail.Start({"tail", "{job=\"live\"}", "-o", "raw"}, {{"SILT_ADDR", addr_}}, out,
                         dir_.Path("tail.err")));
  // The backfill line shows the tail is connected.
  ASSERT_TRUE(agent::testing::WaitFor([&] { return ReadFile(out) == "before the tail\n"; }))
      << ReadFile(out) << ReadFile(dir_.Path("tail.err"));
  Push(R"({"streams":[{"stream":{"job":"live"},"values":[[")" + std::to_string(now + 1) +
       R"(","after the tail"]]}]})");
  EXPECT_TRUE(agent::testing::WaitFor(
      [&] { return ReadFile(out) == "before the tail\nafter the tail\n"; }, 2000))
      << ReadFile(out);
  tail.Signal(SIGINT);
  EXPECT_EQ(tail.Wait(10000), 0) << ReadFile(dir_.Path("tail.err"));
  EXPECT_EQ(ReadFile(dir_.Path("tail.err")), "");
}

TEST_F(CliTest, QueryFollowTailsAfterTheResults) {
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  Push(R"({"streams":[{"stream":{"job":"f"},"values":[[")" + std::to_string(now - 1000) +
       R"(","old"]]}]})");
  SiltProcess query;
  const std::string out = dir_.Path("f.out");
  ASSERT_TRUE(query.Start({"query", "{job=\"f\"}", "--since", "5m", "-f", "-o", "raw"},
                          {{"SILT_ADDR", addr_}}, out, dir_.Path("f.err")));
  ASSERT_TRUE(agent::testing::WaitFor([&] { return ReadFile(out) == "old\n"; }));
  // Keep pushing fresh lines until one arrives through the tail (it connects after the query).
  int pushed = 0;
  EXPECT_TRUE(agent::testing::WaitFor([&] {
    const auto ts = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    Push(R"({"streams":[{"stream":{"job":"f"},"values":[[")" + std::to_string(ts) + R"(","new )" +
         std::to_string(++pushed) + R"("]]}]})");
    return ReadFile(out).find("\nnew ") != std::string::npos;
  })) << ReadFile(out);
  EXPECT_EQ(ReadFile(out).find("old\n", 1), std::string::npos);  // printed once
  query.Signal(SIGINT);
  EXPECT_EQ(query.Wait(10000), 0);
}

TEST_F(CliTest, QueryErrorExitsOneWithLokisMessage) {
  SiltRun run = Silt({"query", "{job="});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, StartsWith("silt: server answered 400: parse error at line 1, col 6"));
  EXPECT_EQ(run.out, "");
  SiltRun tail = Silt({"tail", "sum(rate({job=\"a\"}[1m]))"});
  EXPECT_EQ(tail.exit_code, 1);
  EXPECT_THAT(tail.err, StartsWith("silt: server answered 400: "));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  const std::vector<std::vector<std::string>> cases = {
      {"query"},
      {"frobnicate"},
      {"query", "{a=\"b\"}", "--nope"},
      {"query", "{a=\"b\"}", "--since", "yesterday"},
      {"query", "{a=\"b\"}", "--from", "1765000010", "--to", "1765000000"},
      {"query", "{a=\"b\"}", "--output", "json"},
      {"query", "{a=\"b\"}", "--limit", "-1"},
      {"query", "{a=\"b\"}", "--batch", "0"},
      {"instant", "{a=\"b\"}", "--time", "later"},
      {"tail", "{a=\"b\"}", "--delay-for", "6"},
      {"series", "{a=\"b\"}", "-o", "table"},
      {"export", "{a=\"b\"}", "-o", "x.zst", "--part", "0"},
  };
  for (const auto& args : cases) {
    SiltRun run = Silt(args);
    EXPECT_EQ(run.exit_code, 2) << args[0] << " " << (args.size() > 2 ? args[2] : "");
    EXPECT_THAT(run.err, StartsWith("silt: ")) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
  SiltRun bad_since = Silt({"query", "{a=\"b\"}", "--since", "yesterday"});
  EXPECT_EQ(bad_since.err,
            "silt: --since 'yesterday' is not a positive duration: use e.g. 30s, 5m, 1h30m, 7d\n");
}

int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(CliTest, UnreachableExitsThreeWithWhatToDo) {
  const std::string addr = "http://127.0.0.1:" + std::to_string(ClosedPort());
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"labels"}, {"query", "{a=\"b\"}"}, {"tail", "{a=\"b\"}"}}) {
    SiltRun run = RunSilt(dir_.path(), args, {{"SILT_ADDR", addr}});
    EXPECT_EQ(run.exit_code, 3) << args[0];
    EXPECT_EQ(run.err, "silt: cannot reach " + addr +
                           " (connection refused): is silt-aggregator running? set SILT_ADDR or "
                           "--addr\n");
  }
}

TEST_F(CliTest, TlsHandshakeFailureExitsThree) {
  // https to the plain HTTP listener: the handshake fails.
  SiltRun run = Silt({"labels", "--addr", "https://127.0.0.1:" + std::to_string(http_port_)});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, StartsWith("silt: cannot reach https://127.0.0.1:"));
  EXPECT_THAT(run.err, HasSubstr("TLS handshake failed"));
  EXPECT_THAT(run.err, HasSubstr("--ca-cert"));
  SiltRun missing_ca = Silt({"labels", "--addr", "https://127.0.0.1:" + std::to_string(http_port_),
                             "--ca-cert", dir_.Path("no-such-ca.pem")});
  EXPECT_EQ(missing_ca.exit_code, 3);
  EXPECT_THAT(missing_ca.err, HasSubstr("TLS handshake failed"));
}

}  // namespace
}  // namespace silt::testing
