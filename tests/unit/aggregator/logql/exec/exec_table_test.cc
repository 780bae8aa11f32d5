// Data-driven executor tests over tests/logql/exec/*.test (format in tests/logql/README.md):
// each file loads streams into a real engine in a temp dir (head, or chunk files after `flush`),
// then runs its queries with the real pipeline (Pipeline::Compile) and compares the result rows
// in order, once with blooms and once without (both must match the expectation).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/query.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/logql/exec/table_data.h"

namespace silt::logql::exec {
namespace {

constexpr int64_t kHourNs = int64_t{3600} * 1'000'000'000;
constexpr int64_t kBase = (time::FakeClock::kDefaultWallNanos / kHourNs) * kHourNs + kHourNs / 2;

struct QueryCase {
  int line = 0;
  std::string query;
  LogQueryRange range{kBase - kHourNs / 2, kBase + kHourNs / 2, store::Direction::kBackward, 100};
  std::vector<std::string> rows;  // "labels offset line"
  std::string error;              // expected error substring, or empty
};

class ExecTable {
 public:
  explicit ExecTable(std::string path) : path_(std::move(path)) {}

  void Run() {
    auto opened = logql::testing::OpenTestEngine(&fs_, &clock_, dir_.Path("data"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = std::move(*opened);
    data_.emplace(engine_.get(), kBase,
                  [](const std::string& offset) -> int64_t { return std::stoll(offset); });
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
    } else if (current_ && line.starts_with("direction ")) {
      current_->range.direction =
          Rest(line, 10) == "forward" ? store::Direction::kForward : store::Direction::kBackward;
    } else if (current_ && line.starts_with("limit ")) {
      current_->range.limit = std::stoul(Rest(line, 6));
    } else if (current_ && line.starts_with("range ")) {
      const std::string rest = Rest(line, 6);
      current_->range.from = kBase + std::stoll(rest.substr(0, rest.find(' ')));
      current_->range.through = kBase + std::stoll(rest.substr(rest.find(' ') + 1));
    } else if (current_ && line.starts_with("output ")) {
      current_->rows.push_back(Rest(line, 7));
    } else if (current_ && line.starts_with("error ")) {
      current_->error = Rest(line, 6);
    } else {
      ADD_FAILURE() << "unknown directive: " << line;
    }
  }

  // Canonical rows: labels as the LabelSet prints them.
  static std::vector<std::string> Rows(const LogQueryResult& result) {
    std::vector<std::string> rows;
    for (const LogStream& stream : result.streams) {
      for (const LogEntry& entry : stream.entries) {
        rows.push_back(stream.labels.ToString() + " " + std::to_string(entry.timestamp - kBase) +
                       " " + entry.line);
      }
    }
    return rows;
  }

  void Finish() {
    if (!current_) return;
    const QueryCase c = *current_;
    current_.reset();
    ++queries_;
    SCOPED_TRACE(path_ + ":" + std::to_string(c.line) + ": " + c.query);
    auto query = ParseQuery(c.query);
    ASSERT_TRUE(query.ok()) << query.status();
    const LogQuery& log = std::get<LogQuery>(query->node);
    auto pipeline = Pipeline::Compile(log.pipeline);
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    for (bool blooms : {true, false}) {
      SCOPED_TRACE(blooms ? "blooms on" : "blooms off");
      Result<LogQueryResult> result = [&]() -> Result<LogQueryResult> {
        SILT_ASSIGN_OR_RETURN(LogQueryPlan plan, PlanLogQuery(log, c.range));
        return ExecuteLogQuery(*engine_, "fake", plan, **pipeline,
                               ExecutorOptions{.use_blooms = blooms, .clock = &clock_});
      }();
      if (!c.error.empty()) {
        ASSERT_FALSE(result.ok());
        EXPECT_NE(result.status().message().find(c.error), std::string::npos) << result.status();
        continue;
      }
      ASSERT_TRUE(result.ok()) << result.status();
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

TEST(ExecTableTest, EveryTableHolds) {
  int queries = 0;
  for (const auto& file : std::filesystem::directory_iterator(SILT_LOGQL_EXEC_TABLES)) {
    if (file.path().extension() != ".test") continue;
    ExecTable table(file.path().string());
    table.Run();
    queries += table.queries();
  }
  EXPECT_GE(queries, 10);
}

}  // namespace
}  // namespace silt::logql::exec
