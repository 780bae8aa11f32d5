// The data half of the LogQL table runners (exec_table_test.cc, metric_table_test.cc) and the
// engine every LogQL execution test reads: a real StorageEngine in a temp dir, and the `stream`,
// `entry` and `flush` directives of tests/logql/*/*.test that fill it (tests/logql/README.md).
// Not thread-safe; one test thread drives it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/file_system.h"
#include "shared/labels/label_parser.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"

namespace silt::logql::testing {

// An engine over `data_dir` with no background flusher (tests flush when they choose) and the
// smallest chunk blocks (4 KiB), so that blooms have blocks to skip.
inline Result<std::unique_ptr<engine::StorageEngine>> OpenTestEngine(fs::FileSystem* fs,
                                                                     time::Clock* clock,
                                                                     const std::string& data_dir) {
  engine::EngineOptions options;
  options.fs = fs;
  options.clock = clock;
  options.data_dir = data_dir;
  options.background_flush = false;
  options.chunk.target_block_size = 4096;
  return engine::StorageEngine::Open(options);
}

// Pushes `lines` (timestamp offset from `base_ns`, text) as one stream of tenant "fake" and
// waits until they are durable; fails unless every entry was accepted.
inline ::testing::AssertionResult PushLines(
    engine::StorageEngine& engine, const labels::LabelSet& labels, int64_t base_ns,
    const std::vector<std::pair<int64_t, std::string>>& lines) {
  engine::PushRequest request;
  request.tenant = "fake";
  engine::PushStream stream{labels, {}};
  for (const auto& [offset, text] : lines) stream.entries.push_back({base_ns + offset, text, {}});
  request.streams.push_back(std::move(stream));
  auto outcome = engine.PushSync(std::move(request));
  if (!outcome.ok()) return ::testing::AssertionFailure() << outcome.status();
  if (outcome->rejected != 0) {
    return ::testing::AssertionFailure() << outcome->rejected << " entries rejected";
  }
  return ::testing::AssertionSuccess();
}

// The data directives: `stream {labels}` starts a stream, `entry <time> <line>` adds an entry
// (time parsed by the runner's `parse_time`, relative to `base_ns`), `flush` writes everything
// to chunk files. Entries are pushed when a stream, flush or query directive follows.
class TableData {
 public:
  using ParseTime = std::function<int64_t(const std::string&)>;
  TableData(engine::StorageEngine* engine, int64_t base_ns, ParseTime parse_time)
      : engine_(engine), base_ns_(base_ns), parse_time_(std::move(parse_time)) {}

  // Handles `line` when it is a data directive; false when it is not one.
  bool Directive(const std::string& line) {
    if (line.starts_with("stream ")) {
      PushPending();
      auto labels = labels::ParseLabels(line.substr(7));
      EXPECT_TRUE(labels.ok()) << labels.status();
      if (labels.ok()) stream_ = *labels;
    } else if (line.starts_with("entry ")) {
      const std::string rest = line.substr(6);
      const size_t space = rest.find(' ');
      pending_.push_back({parse_time_(rest.substr(0, space)),
                          space == std::string::npos ? "" : rest.substr(space + 1)});
    } else if (line == "flush") {
      PushPending();
      EXPECT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
    } else {
      return false;
    }
    return true;
  }

  // Pushes the entries of the current stream not pushed yet.
  void PushPending() {
    if (pending_.empty()) return;
    EXPECT_TRUE(PushLines(*engine_, stream_, base_ns_, pending_));
    pending_.clear();
  }

 private:
  engine::StorageEngine* const engine_;
  const int64_t base_ns_;
  const ParseTime parse_time_;
  labels::LabelSet stream_ = labels::LabelSet::Of({{"job", "test"}});
  std::vector<std::pair<int64_t, std::string>> pending_;
};

}  // namespace silt::logql::testing
