// `silt-aggregator ingest` then `silt-aggregator query` on a temp data directory, through the
// real binary: Loki push JSON in, Loki query_range JSON out (issue 6, log queries).
#include <simdjson.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/clock.h"
#include "tests/integration/agent/agent_harness.h"
#include "tests/support/temp_dir.h"

namespace silt::testing {
namespace {

using agent::testing::ReadAll;
using agent::testing::RunProgram;
using agent::testing::WriteAll;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class QueryCommandTest : public ::testing::Test {
 protected:
  std::string Data() const { return dir_.Path("data"); }

  // Runs `silt-aggregator <args>` with stdin from `stdin_text`; stdout in *out, stderr in *err.
  int Run(const std::vector<std::string>& args, const std::string& stdin_text, std::string* out,
          std::string* err = nullptr) {
    std::string script = "exec '" SILT_AGGREGATOR_BINARY "'";
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string file = dir_.Path("arg" + std::to_string(i));
      WriteAll(file, args[i]);
      script += " \"$(cat '" + file + "')\"";
    }
    WriteAll(dir_.Path("stdin"), stdin_text);
    script += " <'" + dir_.Path("stdin") + "' 2>'" + dir_.Path("stderr") + "'";
    const int rc = RunProgram({"/bin/sh", "-c", script}, out);
    if (err != nullptr) *err = ReadAll(dir_.Path("stderr"));
    return rc;
  }

  int Ingest(const std::string& body, std::string* out, std::string* err,
             std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"ingest", "--data-dir", Data()};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args, body, out, err);
  }

  int Query(const std::string& logql, std::vector<std::string> extra, std::string* out,
            std::string* err = nullptr) {
    std::vector<std::string> args = {"query", "--data-dir", Data()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(logql);
    return Run(args, "", out, err);
  }

  // The result of a query as "labels|ts-offset|line" rows (offsets from base_), checking the
  // response's envelope on the way.
  std::vector<std::string> Rows(const std::string& json) {
    std::vector<std::string> rows;
    simdjson::dom::element doc;
    if (parser_.parse(json).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << json;
      return rows;
    }
    EXPECT_EQ(std::string_view(doc["status"]), "success");
    EXPECT_EQ(std::string_view(doc["data"]["resultType"]), "streams");
    for (simdjson::dom::element stream : doc["data"]["result"].get_array()) {
      std::string labels = simdjson::minify(stream["stream"]);
      for (simdjson::dom::element value : stream["values"].get_array()) {
        const int64_t ts = std::stoll(std::string(std::string_view(value.at(0))));
        rows.push_back(labels + "|" + std::to_string(ts - base_) + "|" +
                       std::string(std::string_view(value.at(1))));
      }
    }
    return rows;
  }

  std::string Ts(int64_t offset) const { return std::to_string(base_ + offset); }

  // Two streams, interleaved in time, one entry with structured metadata.
  std::string TwoStreams() const {
    return R"({"streams":[
  {"stream":{"job":"api","env":"prod"},"values":[[")" + Ts(1) + R"(","GET /a error 500"],[")" +
           Ts(3) + R"(","GET /b ok 200"],[")" + Ts(5) + R"(","GET /c error 503",{"trace_id":"t1"}]]},
  {"stream":{"job":"db"},"values":[[")" + Ts(2) + R"(","slow query error"],[")" + Ts(4) +
           R"(","vacuum done"]]}
]})";
  }

  TempDir dir_;
  simdjson::dom::parser parser_;
  const int64_t base_ = NowNs() - 60'000'000'000;  // a minute ago: inside the default 1h
};

TEST_F(QueryCommandTest, IngestThenQueryBackwardAndForward) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err), 0) << out << err;
  EXPECT_EQ(out, "ingest: 2 streams, 5 entries accepted, 0 rejected, 0 streams skipped\n");
  ASSERT_EQ(Query(R"({job=~"api|db"} |= "error")", {}, &out, &err), 0) << out << err;
  // Structured metadata shows as labels (Loki), so the trace_id entry is its own stream.
  EXPECT_EQ(Rows(out), (std::vector<std::string>{
                           R"({"env":"prod","job":"api"}|1|GET /a error 500)",
                           R"({"env":"prod","job":"api","trace_id":"t1"}|5|GET /c error 503)",
                           R"({"job":"db"}|2|slow query error)"}));
  ASSERT_EQ(Query(R"({job=~"api|db"})", {"--direction", "forward", "--limit", "3"}, &out, &err),
            0)
      << out << err;
  EXPECT_EQ(Rows(out), (std::vector<std::string>{R"({"env":"prod","job":"api"}|1|GET /a error 500)",
                                                 R"({"env":"prod","job":"api"}|3|GET /b ok 200)",
                                                 R"({"job":"db"}|2|slow query error)"}));
  EXPECT_NE(out.find(R"("stats":{"summary":{)"), std::string::npos) << out;
}

TEST_F(QueryCommandTest, StartAndEndBoundTheRange) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err), 0) << out << err;
  ASSERT_EQ(Query(R"({job="api"})", {"--start", Ts(2), "--end", Ts(5)}, &out, &err), 0)
      << out << err;
  EXPECT_EQ(Rows(out),
            (std::vector<std::string>{R"({"env":"prod","job":"api"}|3|GET /b ok 200)"}));
}

TEST_F(QueryCommandTest, ChunkDataWithAndWithoutBloomsIsIdentical) {
  // ~1.1 MB of lines: several 256 KiB chunk blocks, the needles all in the first one.
  std::string body = R"({"streams":[{"stream":{"job":"big"},"values":[)";
  for (int i = 0; i < 12000; ++i) {
    if (i != 0) body += ',';
    const std::string line = i % 10 == 7 && i < 30
                                 ? "rare needle event " + std::to_string(i)
                                 : "ordinary line " + std::to_string(i) +
                                       " of padding padding padding padding padding padding";
    body += "[\"" + Ts(i) + "\",\"" + line + "\"]";
  }
  body += "]}]}";
  std::string out, err;
  ASSERT_EQ(Ingest(body, &out, &err, {"--flush"}), 0) << out << err;
  std::string with, without;
  const std::string logql = R"({job="big"} |= "rare needle event")";
  ASSERT_EQ(Query(logql, {}, &with, &err), 0) << with << err;
  ASSERT_EQ(Query(logql, {"--no-blooms"}, &without, &err), 0) << without << err;
  EXPECT_EQ(Rows(with), Rows(without));
  EXPECT_EQ(Rows(with), (std::vector<std::string>{R"({"job":"big"}|27|rare needle event 27)",
                                                  R"({"job":"big"}|17|rare needle event 17)",
                                                  R"({"job":"big"}|7|rare needle event 7)"}));
  simdjson::dom::element doc;
  ASSERT_EQ(parser_.parse(with).get(doc), simdjson::SUCCESS);
  EXPECT_GT(int64_t(doc["data"]["stats"]["silt"]["blocksSkippedByBloom"]), 0) << with;
  ASSERT_EQ(parser_.parse(without).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(int64_t(doc["data"]["stats"]["silt"]["blocksSkippedByBloom"]), 0) << without;
  EXPECT_GT(int64_t(doc["data"]["stats"]["silt"]["blocksRead"]), 1) << without;
}

TEST_F(QueryCommandTest, BadStreamsAreReportedAndGoodOnesStored) {
  const std::string body = R"({"streams":[
  {"stream":{"job":"ok1"},"values":[[")" + Ts(1) + R"(","kept one"]]},
  {"stream":{"bad-name":"x"},"values":[[")" + Ts(2) + R"(","lost"]]},
  {"stream":{"job":"badts"},"values":[["yesterday","lost"]]},
  {"stream":{"job":"ok2"},"values":[[")" + Ts(3) + R"(","kept two"]]}
]})";
  std::string out, err;
  EXPECT_EQ(Ingest(body, &out, &err), 2) << out << err;
  EXPECT_EQ(out, "ingest: 2 streams, 2 entries accepted, 0 rejected, 2 streams skipped\n");
  EXPECT_NE(err.find("streams[1] at line 3, column 3: "), std::string::npos) << err;
  EXPECT_NE(err.find("bad-name"), std::string::npos) << err;
  EXPECT_NE(err.find("streams[2] at line 4, column 3: values[0][0]: timestamp 'yesterday'"),
            std::string::npos)
      << err;
  ASSERT_EQ(Query(R"({job=~"ok.*"})", {"--direction", "forward"}, &out, &err), 0) << out << err;
  EXPECT_EQ(Rows(out), (std::vector<std::string>{R"({"job":"ok1"}|1|kept one)",
                                                 R"({"job":"ok2"}|3|kept two)"}));
}

TEST_F(QueryCommandTest, SyntaxErrorKeepsTheStreamsBeforeIt) {
  const std::string body = R"({"streams":[
  {"stream":{"job":"ok1"},"values":[[")" + Ts(1) + R"(","kept"]]},
  {"stream":{"job":"x"} "values":[]}
]})";
  std::string out, err;
  EXPECT_EQ(Ingest(body, &out, &err), 2) << out << err;
  EXPECT_NE(err.find("streams[1]"), std::string::npos) << err;
  ASSERT_EQ(Query(R"({job="ok1"})", {}, &out, &err), 0) << out << err;
  EXPECT_EQ(Rows(out).size(), 1u);
}

TEST_F(QueryCommandTest, MetricQueryIsRefusedNamingTheIssue) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err), 0) << out << err;
  EXPECT_EQ(Query(R"(count_over_time({job="api"}[5m]))", {}, &out, &err), 2) << out << err;
  EXPECT_NE(err.find("metric queries are not supported yet (issue 6"), std::string::npos) << err;
}

TEST_F(QueryCommandTest, ParseErrorHasLokisPosition) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err), 0) << out << err;
  EXPECT_EQ(Query(R"({job="api"} |= )", {}, &out, &err), 2) << out << err;
  EXPECT_NE(err.find("parse error at line 1, col"), std::string::npos) << err;
}

TEST_F(QueryCommandTest, MissingDirectoryIsNamed) {
  std::string out, err;
  EXPECT_EQ(Query(R"({job="api"})", {}, &out, &err), 1) << out << err;
  EXPECT_NE(err.find("does not exist"), std::string::npos) << err;
}

TEST_F(QueryCommandTest, DirectoryInUseIsRefused) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err), 0) << out << err;
  fs::PosixFileSystem fs;
  time::SystemClock clock;
  engine::EngineOptions options;
  options.fs = &fs;
  options.clock = &clock;
  options.data_dir = Data();
  options.background_flush = false;
  auto held = engine::StorageEngine::Open(options);
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(Query(R"({job="api"})", {}, &out, &err), 1) << out << err;
  EXPECT_NE(err.find(Data()), std::string::npos) << err;
  EXPECT_EQ(Ingest(TwoStreams(), &out, &err), 1) << out << err;
  EXPECT_TRUE((*held)->Close().ok());
}

}  // namespace
}  // namespace silt::testing
