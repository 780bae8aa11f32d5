// Data-driven metric query tests over tests/logql/metric/*.test (format in tests/logql/README.md):
// each file loads streams into a real engine in a temp dir (head, or chunk files after `flush`),
// then runs its queries with the real pipeline and compares the result rows in order, once with
// blooms and once without (both must match the expectation).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aggregator/logql/exec/loki_json.h"
#include "aggregator/logql/metric/metric_query_executor.h"
#include "aggregator/logql/query.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/logql/exec/table_data.h"

namespace silt::logql::metric {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kHourNs = 3600 * kSecond;
constexpr int64_t kBase = (time::FakeClock::kDefaultWallNanos / kHourNs) * kHourNs + kHourNs / 2;

// "12.5" seconds -> ns.
int64_t Seconds(const std::string& text) {
  return static_cast<int64_t>(std::llround(std::stod(text) * 1e9));
}

struct QueryCase {
  int line = 0;
  std::string query;
  MetricQueryParams params{kBase, kBase + 120 * kSecond, 60 * kSecond, false};
  size_t max_series = 0;
  std::string type;               // expected result type, or empty
  std::vector<std::string> rows;  // "labels t:v t:v ..." / "scalar t:v"
  std::string error;              // expected error substring, or empty
};

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = text.find(' ', pos);
    if (next == std::string::npos) next = text.size();
    if (next > pos) words.push_back(text.substr(pos, next - pos));
    pos = next + 1;
  }
  return words;
}

std::string Point(int64_t timestamp, double value) {
  return exec::FormatSampleValue(static_cast<double>(timestamp - kBase) / 1e9) + ":" +
         exec::FormatSampleValue(value);
}

class MetricTable {
 public:
  explicit MetricTable(std::string path) : path_(std::move(path)) {}

  void Run() {
    auto opened = logql::testing::OpenTestEngine(&fs_, &clock_, dir_.Path("data"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = std::move(*opened);
    data_.emplace(engine_.get(), kBase, Seconds);
    std::ifstream in(path_);
    ASSERT_TRUE(in.good()) << "cannot open " << path_;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) Directive(number, line);
    Finish();
    EXPECT_TRUE(engine_->Close().ok());
  }

  int queries() const { return queries_; }

 private:
  static std::string Rest(const std::string& line, size_t n) {
    return line.size() > n ? line.substr(n) : "";
  }

  void Directive(int number, const std::string& line) {
    SCOPED_TRACE(path_ + ":" + std::to_string(number));
    if (line.empty() || line.starts_with("#")) return;
    if (data_->Directive(line)) return;
    if (line.starts_with("query ")) {
      Finish();
      data_->PushPending();
      current_ = QueryCase{number, Rest(line, 6)};
    } else if (current_) {
      QueryDirective(line);
    } else {
      ADD_FAILURE() << "unknown directive: " << line;
    }
  }

  void QueryDirective(const std::string& line) {
    const std::vector<std::string> words = Split(line);
    if (words[0] == "range" && words.size() == 4) {
      current_->params = {kBase + Seconds(words[1]), kBase + Seconds(words[2]), Seconds(words[3]),
                          false};
    } else if (words[0] == "instant" && words.size() == 2) {
      current_->params = {0, kBase + Seconds(words[1]), 0, true};
    } else if (words[0] == "maxseries" && words.size() == 2) {
      current_->max_series = std::stoul(words[1]);
    } else if (words[0] == "type" && words.size() == 2) {
      current_->type = words[1];
    } else if (words[0] == "output") {
      current_->rows.push_back(Rest(line, 7));
    } else if (words[0] == "error") {
      current_->error = Rest(line, 6);
    } else {
      ADD_FAILURE() << "unknown directive: " << line;
    }
  }

  static std::string TypeName(MetricQueryResult::Type type) {
    switch (type) {
      case MetricQueryResult::Type::kMatrix:
        return "matrix";
      case MetricQueryResult::Type::kVector:
        return "vector";
      case MetricQueryResult::Type::kScalar:
        return "scalar";
    }
    return "?";
  }

  static std::vector<std::string> Rows(const MetricQueryResult& result) {
    std::vector<std::string> rows;
    if (result.type == MetricQueryResult::Type::kScalar) {
      rows.push_back("scalar " + Point(result.timestamp_ns, result.scalar));
    }
    for (const exec::MetricSample& s : result.vector) {
      rows.push_back(s.labels.ToString() + " " + Point(result.timestamp_ns, s.value));
    }
    for (const exec::MetricSeries& s : result.matrix) {
      std::string row = s.labels.ToString();
      for (const exec::MetricPoint& p : s.points) row += " " + Point(p.timestamp_ns, p.value);
      rows.push_back(row);
    }
    return rows;
  }

  Result<MetricQueryResult> Execute(const QueryCase& c, bool blooms) {
    SILT_ASSIGN_OR_RETURN(Query query, ParseQuery(c.query));
    if (!query.is_metric()) return Status::InvalidArgument("not a metric query");
    MetricExecutorOptions options;
    options.use_blooms = blooms;
    options.clock = &clock_;
    options.max_series = c.max_series;
    return ExecuteMetricQuery(*engine_, "fake", std::get<MetricExpr>(query.node), c.params,
                              options);
  }

  void Finish() {
    if (!current_) return;
    const QueryCase c = *current_;
    current_.reset();
    ++queries_;
    SCOPED_TRACE(path_ + ":" + std::to_string(c.line) + ": " + c.query);
    for (bool blooms : {true, false}) {
      SCOPED_TRACE(blooms ? "blooms on" : "blooms off");
      Result<MetricQueryResult> result = Execute(c, blooms);
      if (!c.error.empty()) {
        ASSERT_FALSE(result.ok()) << "expected error: " << c.error;
        EXPECT_NE(result.status().message().find(c.error), std::string::npos) << result.status();
        continue;
      }
      ASSERT_TRUE(result.ok()) << result.status();
      if (!c.type.empty()) {
        EXPECT_EQ(TypeName(result->type), c.type);
      }
      EXPECT_EQ(Rows(*result), c.rows);
    }
  }

  std::string path_;
  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  time::FakeClock clock_;
  std::unique_ptr<engine::StorageEngine> engine_;
  std::optional<logql::testing::TableData> data_;
  std::optional<QueryCase> current_;
  int queries_ = 0;
};

TEST(MetricTableTest, EveryTableHolds) {
  int queries = 0;
  for (const auto& file : std::filesystem::directory_iterator(SILT_LOGQL_METRIC_TABLES)) {
    if (file.path().extension() != ".test") continue;
    MetricTable table(file.path().string());
    table.Run();
    queries += table.queries();
  }
  EXPECT_GE(queries, 120);
}

}  // namespace
}  // namespace silt::logql::metric
