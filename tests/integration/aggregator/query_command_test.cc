// `silt-aggregator ingest` then `silt-aggregator query` on a temp data directory, through the
// real binary: Loki push JSON in, Loki query_range / query JSON out (issue 6: log queries,
// metric queries). Also `silt-aggregator rebuild-index` and `verify` on such a directory (issue
// 3: indexes rebuildable from chunk files alone; damage found and reported).
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
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
  {"stream":{"job":"api","env":"prod"},"values":[[")" +
           Ts(1) + R"(","GET /a error 500"],[")" + Ts(3) + R"(","GET /b ok 200"],[")" + Ts(5) +
           R"(","GET /c error 503",{"trace_id":"t1"}]]},
  {"stream":{"job":"db"},"values":[[")" +
           Ts(2) + R"(","slow query error"],[")" + Ts(4) +
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
  ASSERT_EQ(Query(R"({job=~"api|db"})", {"--direction", "forward", "--limit", "3"}, &out, &err), 0)
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
  EXPECT_EQ(Rows(out), (std::vector<std::string>{R"({"env":"prod","job":"api"}|3|GET /b ok 200)"}));
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
  const int64_t with_total = int64_t(doc["data"]["stats"]["silt"]["blocksRead"]) +
                             int64_t(doc["data"]["stats"]["silt"]["blocksSkippedByBloom"]);
  // Without blooms every block is read and decompressed; the exact literal prefilter
  // (docs/logql_exec.md) still skips parsing those without the literal, counted as skipped.
  ASSERT_EQ(parser_.parse(without).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(int64_t(doc["data"]["stats"]["silt"]["blocksRead"]), 1) << without;
  EXPECT_EQ(int64_t(doc["data"]["stats"]["silt"]["blocksRead"]) +
                int64_t(doc["data"]["stats"]["silt"]["blocksSkippedByBloom"]),
            with_total)
      << without;
  EXPECT_GT(with_total, 1) << with;
}

TEST_F(QueryCommandTest, BadStreamsAreReportedAndGoodOnesStored) {
  const std::string body = R"({"streams":[
  {"stream":{"job":"ok1"},"values":[[")" +
                           Ts(1) + R"(","kept one"]]},
  {"stream":{"bad-name":"x"},"values":[[")" +
                           Ts(2) + R"(","lost"]]},
  {"stream":{"job":"badts"},"values":[["yesterday","lost"]]},
  {"stream":{"job":"ok2"},"values":[[")" +
                           Ts(3) + R"(","kept two"]]}
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
  {"stream":{"job":"ok1"},"values":[[")" +
                           Ts(1) + R"(","kept"]]},
  {"stream":{"job":"x"} "values":[]}
]})";
  std::string out, err;
  EXPECT_EQ(Ingest(body, &out, &err), 2) << out << err;
  EXPECT_NE(err.find("streams[1]"), std::string::npos) << err;
  ASSERT_EQ(Query(R"({job="ok1"})", {}, &out, &err), 0) << out << err;
  EXPECT_EQ(Rows(out).size(), 1u);
}

// Metric queries: entries at whole seconds so that window edges are easy to see.
class MetricQueryCommandTest : public QueryCommandTest {
 protected:
  static constexpr int64_t kSecond = 1'000'000'000;

  std::string At(int64_t seconds) const { return std::to_string(mbase_ + seconds * kSecond); }

  // api: 10s, 20s, 30s; db: 15s.
  std::string Body() const {
    return R"({"streams":[
  {"stream":{"job":"api","env":"prod"},"values":[[")" +
           At(10) + R"(","GET /a 200"],[")" + At(20) + R"(","GET /b 500"],[")" + At(30) +
           R"(","GET /c 200"]]},
  {"stream":{"job":"db"},"values":[[")" +
           At(15) + R"(","slow query"]]}
]})";
  }

  // A metric result as "labels|seconds after mbase_|value" rows, checking the envelope.
  std::vector<std::string> Points(const std::string& json, std::string_view type) {
    std::vector<std::string> rows;
    simdjson::dom::element doc;
    if (parser_.parse(json).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << json;
      return rows;
    }
    EXPECT_EQ(std::string_view(doc["status"]), "success");
    EXPECT_EQ(std::string_view(doc["data"]["resultType"]), type);
    auto row = [&](simdjson::dom::element labels, simdjson::dom::element point) {
      const double seconds = double(point.at(0)) - static_cast<double>(mbase_ / kSecond);
      rows.push_back(simdjson::minify(labels) + "|" + std::to_string(std::llround(seconds)) + "|" +
                     std::string(std::string_view(point.at(1))));
    };
    for (simdjson::dom::element series : doc["data"]["result"].get_array()) {
      if (type == "vector") {
        row(series["metric"], series["value"]);
        continue;
      }
      for (simdjson::dom::element point : series["values"].get_array()) {
        row(series["metric"], point);
      }
    }
    return rows;
  }

  // Two minutes ago, on a whole second: inside the default hour, times print without a fraction.
  const int64_t mbase_ = (NowNs() / kSecond - 120) * kSecond;
};

TEST_F(MetricQueryCommandTest, RateRangeQueryGivesAMatrix) {
  std::string out, err;
  ASSERT_EQ(Ingest(Body(), &out, &err), 0) << out << err;
  // Steps 30, 45, 60; windows (0,30], (15,45], (30,60]: the entry at 15 is outside (15,45].
  ASSERT_EQ(Query(R"(rate({job=~"api|db"}[30s]))",
                  {"--start", At(30), "--end", At(60), "--step", "15s"}, &out, &err),
            0)
      << out << err;
  EXPECT_EQ(Points(out, "matrix"),
            (std::vector<std::string>{R"({"env":"prod","job":"api"}|30|0.1)",
                                      R"({"env":"prod","job":"api"}|45|0.06666666666666667)",
                                      R"({"job":"db"}|30|0.03333333333333333)"}));
  EXPECT_NE(out.find(R"("totalLinesProcessed":4)"), std::string::npos) << out;
  // Float seconds are a step too.
  std::string again;
  ASSERT_EQ(Query(R"(rate({job=~"api|db"}[30s]))",
                  {"--start", At(30), "--end", At(60), "--step", "15"}, &again, &err),
            0)
      << again << err;
  EXPECT_EQ(Points(again, "matrix"), Points(out, "matrix"));
}

TEST_F(MetricQueryCommandTest, InstantSumByGivesAVector) {
  std::string out, err;
  ASSERT_EQ(Ingest(Body(), &out, &err, {"--flush"}), 0) << out << err;
  ASSERT_EQ(Query(R"(sum by (job) (count_over_time({job=~"api|db"} |= "" [1m])))",
                  {"--instant", "--end", At(60)}, &out, &err),
            0)
      << out << err;
  EXPECT_EQ(Points(out, "vector"),
            (std::vector<std::string>{R"({"job":"api"}|60|3)", R"({"job":"db"}|60|1)"}));
  ASSERT_EQ(Query("1 + 1", {"--instant", "--end", At(60)}, &out, &err), 0) << out << err;
  EXPECT_NE(out.find(R"("resultType":"scalar","result":[)" + std::to_string(mbase_ / kSecond + 60) +
                     R"(,"2"])"),
            std::string::npos)
      << out;
}

TEST_F(MetricQueryCommandTest, DefaultStepIsLokis) {
  std::string out, err;
  ASSERT_EQ(Ingest(Body(), &out, &err), 0) << out << err;
  // 1000s / 250 = a 4s step: 0, 4, ..., 1000 is 251 points.
  ASSERT_EQ(Query("vector(1)", {"--start", At(-900), "--end", At(100)}, &out, &err), 0)
      << out << err;
  EXPECT_EQ(Points(out, "matrix").size(), 251u) << out;
}

TEST_F(MetricQueryCommandTest, BadStepAndLogQueryFlagsAreUsageErrors) {
  std::string out, err;
  ASSERT_EQ(Ingest(Body(), &out, &err), 0) << out << err;
  EXPECT_EQ(Query(R"(rate({job="api"}[1m]))", {"--step", "soon"}, &out, &err), 2) << out << err;
  EXPECT_NE(err.find("--step 'soon': expected a duration"), std::string::npos) << err;
  EXPECT_EQ(Query(R"(rate({job="api"}[1m]))", {"--step", "0"}, &out, &err), 2) << out << err;
  EXPECT_NE(err.find("zero or negative query resolution step"), std::string::npos) << err;
  EXPECT_EQ(Query(R"({job="api"})", {"--instant"}, &out, &err), 2) << out << err;
  EXPECT_NE(err.find("apply to metric queries only"), std::string::npos) << err;
  EXPECT_EQ(Query(R"(rate({job="api"}[1m]))", {"--since", "1h", "--step", "0.1s"}, &out, &err), 2)
      << out << err;
  EXPECT_NE(err.find("exceeded maximum resolution of 11,000 points"), std::string::npos) << err;
}

// 200 entries of ~100 bytes in one chunk block (--flush): ~25 KiB decompressed.
std::string PaddedStream(const std::string& job, int64_t base) {
  std::string body = R"({"streams":[{"stream":{"job":")" + job + R"("},"values":[)";
  for (int i = 0; i < 200; ++i) {
    if (i != 0) body += ',';
    body += "[\"" + std::to_string(base + i) + "\",\"entry " + std::to_string(i) + " " +
            std::string(90, 'p') + "\"]";
  }
  return body + "]}]}";
}

TEST_F(QueryCommandTest, MemoryBudgetFailsTheQueryNamingTheFlag) {
  std::string out, err;
  ASSERT_EQ(Ingest(PaddedStream("big", base_), &out, &err, {"--flush"}), 0) << out << err;
  EXPECT_EQ(Query(R"({job="big"})", {"--max-query-memory", "1KiB"}, &out, &err), 1) << out << err;
  EXPECT_EQ(out, "");
  EXPECT_NE(err.find("silt-aggregator query: ResourceExhausted: query would use more than 1KiB "
                     "of memory (decompressed blocks "),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("or raise --max-query-memory"), std::string::npos) << err;
  // A metric query over the same data: the same budget, the same error.
  EXPECT_EQ(
      Query(R"(count_over_time({job="big"}[1h]))", {"--max-query-memory", "1KiB"}, &out, &err), 1)
      << out << err;
  EXPECT_NE(err.find("or raise --max-query-memory"), std::string::npos) << err;
  // The default budget (512MiB) and no budget run it, and report the peak.
  ASSERT_EQ(Query(R"({job="big"})", {"--limit", "3"}, &out, &err), 0) << out << err;
  EXPECT_EQ(Rows(out).size(), 3u);
  simdjson::dom::element doc;
  ASSERT_EQ(parser_.parse(out).get(doc), simdjson::SUCCESS) << out;
  EXPECT_GT(int64_t(doc["data"]["stats"]["silt"]["peakMemoryBytes"]), 20000) << out;
  EXPECT_EQ(Query(R"({job="big"})", {"--max-query-memory", "0"}, &out, &err), 0) << out << err;
}

TEST_F(QueryCommandTest, BadMemoryBudgetIsAUsageError) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err), 0) << out << err;
  EXPECT_EQ(Query(R"({job="api"})", {"--max-query-memory", "lots"}, &out, &err), 2) << out << err;
  EXPECT_NE(err.find("--max-query-memory (0 for no limit): invalid byte size \"lots\""),
            std::string::npos)
      << err;
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
  std::string rebuilt;
  EXPECT_EQ(Run({"rebuild-index", "--data-dir", Data()}, "", &rebuilt, &err), 1) << rebuilt << err;
  EXPECT_NE(err.find("already held by process"), std::string::npos) << err;
  EXPECT_EQ(Run({"verify", "--data-dir", Data()}, "", &rebuilt, &err), 1) << rebuilt << err;
  EXPECT_NE(err.find("already held by process"), std::string::npos) << err;
  EXPECT_TRUE((*held)->Close().ok());
}

// The partition directory of tenant `fake` under `data` (TwoStreams' entries are nanoseconds
// apart, so they share one).
std::string OnlyPartitionDir(const std::string& data) {
  fs::PosixFileSystem fs;
  const std::string tenant_dir = data + "/tenants/fake";
  auto partitions = fs.ListDir(tenant_dir);
  EXPECT_TRUE(partitions.ok() && !partitions->empty());
  std::sort(partitions->begin(), partitions->end());
  return tenant_dir + "/" + partitions->front();
}

TEST_F(QueryCommandTest, RebuildIndexWritesEveryPartitionsIndexFromTheChunkFiles) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err, {"--flush"}), 0) << out << err;
  const std::string partition = OnlyPartitionDir(Data());
  const std::string index = partition + "/index.silt";
  fs::PosixFileSystem fs;
  ASSERT_TRUE(fs.FileExists(index));
  ASSERT_TRUE(fs.WriteFileAtomically(index, "not an index").ok());  // damaged by hand
  ASSERT_EQ(Run({"rebuild-index", "--data-dir", Data()}, "", &out, &err), 0) << out << err;
  const std::string name = "fake/" + partition.substr(partition.rfind('/') + 1);
  EXPECT_NE(out.find(name + ": 1 chunk file, 1 indexed, 0 skipped\n"), std::string::npos) << out;
  EXPECT_NE(out.find("1 partition rebuilt, 0 failed; 1 chunk file, 1 indexed, 0 skipped\n"),
            std::string::npos)
      << out;
  EXPECT_NE(*fs.ReadFileToString(index), "not an index");
  ASSERT_EQ(Query(R"({job="db"})", {"--direction", "forward"}, &out, &err), 0) << out << err;
  EXPECT_EQ(Rows(out), (std::vector<std::string>{R"({"job":"db"}|2|slow query error)",
                                                 R"({"job":"db"}|4|vacuum done)"}));
}

TEST_F(QueryCommandTest, RebuildIndexListsDamagedChunksAndIndexesTheRest) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err, {"--flush"}), 0) << out << err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err, {"--flush"}), 0) << out << err;
  const std::string partition = OnlyPartitionDir(Data());
  fs::PosixFileSystem fs;
  auto names = fs.ListDir(partition);
  ASSERT_TRUE(names.ok());
  std::vector<std::string> chunks;
  for (const std::string& n : *names) {
    if (n.starts_with("chunk-")) chunks.push_back(n);
  }
  ASSERT_EQ(chunks.size(), 2u) << out;
  std::sort(chunks.begin(), chunks.end());
  const std::string damaged = partition + "/" + chunks[0];
  std::string bytes = *fs.ReadFileToString(damaged);
  bytes[bytes.size() - 120] ^= 0x40;  // in the directory
  ASSERT_TRUE(fs.WriteFileAtomically(damaged, bytes).ok());
  ASSERT_EQ(Run({"rebuild-index", "--data-dir", Data(), "--tenant", "fake"}, "", &out, &err), 0)
      << out << err;
  EXPECT_NE(out.find("2 chunk files, 1 indexed, 1 skipped\n  skipped " + damaged + ": Corruption:"),
            std::string::npos)
      << out;
  // The intact chunk still serves (it holds the same entries).
  ASSERT_EQ(Query(R"({job="db"})", {}, &out, &err), 0) << out << err;
  EXPECT_EQ(Rows(out).size(), 2u) << out;
}

TEST_F(QueryCommandTest, RebuildIndexNamesAMissingDirectoryOrTenant) {
  std::string out, err;
  EXPECT_EQ(Run({"rebuild-index", "--data-dir", Data()}, "", &out, &err), 1) << out << err;
  EXPECT_NE(err.find("does not exist"), std::string::npos) << err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err), 0) << out << err;
  EXPECT_EQ(Run({"rebuild-index", "--data-dir", Data(), "--tenant", "other"}, "", &out, &err), 1)
      << out << err;
  EXPECT_NE(err.find("tenant other has no data"), std::string::npos) << err;
  EXPECT_EQ(Run({"rebuild-index", "--data-dir", Data(), "--tenant", ".."}, "", &out, &err), 2)
      << out << err;
}

TEST_F(QueryCommandTest, VerifyReadsEverythingAndFindsNothingInAnIntactDirectory) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err, {"--flush"}), 0) << out << err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err), 0) << out << err;  // stays in the WAL
  ASSERT_EQ(Run({"verify", "--data-dir", Data()}, "", &out, &err), 0) << out << err;
  EXPECT_NE(out.find(": 1 chunk file, 2 blocks, 5 entries: ok\n"), std::string::npos) << out;
  EXPECT_NE(out.find("wal " + Data() + "/wal/"), std::string::npos) << out;
  EXPECT_NE(out.find("1 partition, 1 chunk file, 2 blocks, 5 entries; "), std::string::npos) << out;
  EXPECT_NE(out.find("; 0 problems\n"), std::string::npos) << out;
  // With --tenant the WAL, which mixes tenants, is left out.
  ASSERT_EQ(Run({"verify", "--data-dir", Data(), "--tenant", "fake"}, "", &out, &err), 0)
      << out << err;
  EXPECT_EQ(out.find("wal "), std::string::npos) << out;
}

TEST_F(QueryCommandTest, VerifyReportsADamagedBlockATornWalTailAndAMissingIndex) {
  std::string out, err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err, {"--flush"}), 0) << out << err;
  ASSERT_EQ(Ingest(TwoStreams(), &out, &err), 0) << out << err;
  const std::string partition = OnlyPartitionDir(Data());
  fs::PosixFileSystem fs;
  auto names = fs.ListDir(partition);
  ASSERT_TRUE(names.ok());
  std::string chunk;
  for (const std::string& n : *names) {
    if (n.starts_with("chunk-")) chunk = partition + "/" + n;
  }
  ASSERT_FALSE(chunk.empty());
  std::string bytes = *fs.ReadFileToString(chunk);
  bytes[40] ^= 0x01;  // inside the first block, after the 30-byte header
  ASSERT_TRUE(fs.WriteFileAtomically(chunk, bytes).ok());
  ASSERT_TRUE(fs.DeleteFile(partition + "/index.silt").ok());
  auto segments = fs.ListDir(Data() + "/wal");
  ASSERT_TRUE(segments.ok());
  std::sort(segments->begin(), segments->end());
  std::string newest;
  for (const std::string& n : *segments) {
    if (n.ends_with(".wal")) newest = Data() + "/wal/" + n;
  }
  ASSERT_FALSE(newest.empty());
  std::string wal = *fs.ReadFileToString(newest);
  ASSERT_TRUE(fs.WriteFileAtomically(newest, wal + "torn").ok());
  const std::string before = *fs.ReadFileToString(chunk);

  ASSERT_EQ(Run({"verify", "--data-dir", Data()}, "", &out, &err), 1) << out << err;
  EXPECT_NE(out.find("3 problems\n"), std::string::npos) << out;
  EXPECT_NE(out.find(": 2 problems\n"), std::string::npos) << out;  // the partition's
  EXPECT_NE(out.find(": 1 problem\n"), std::string::npos) << out;   // the WAL segment's
  EXPECT_NE(out.find("block 0 of stream"), std::string::npos) << out;
  EXPECT_NE(out.find("checksum mismatch"), std::string::npos) << out;
  EXPECT_NE(out.find("/index.silt: missing"), std::string::npos) << out;
  EXPECT_NE(out.find("torn_tail at offset " + std::to_string(wal.size())), std::string::npos)
      << out;
  EXPECT_NE(out.find("(recovery truncates it)"), std::string::npos) << out;
  // Nothing was changed: the torn tail is still there, no index was written.
  EXPECT_EQ(*fs.ReadFileToString(newest), wal + "torn");
  EXPECT_EQ(*fs.ReadFileToString(chunk), before);
  EXPECT_FALSE(fs.FileExists(partition + "/index.silt"));
}

}  // namespace
}  // namespace silt::testing
