#include "aggregator/engine/storage_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "aggregator/engine/data_layout.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace silt::engine {
namespace {

using store::Direction;

constexpr int64_t kHourNs = 3600 * kSecondNs;
// A timestamp in the middle of a partition, close to the fake clock's wall time.
constexpr int64_t kT0 = (time::FakeClock::kDefaultWallNanos / kHourNs) * kHourNs + kHourNs / 2;

struct Line {
  int64_t ts;
  std::string text;
};

// The names of this process's threads (/proc/self/task/*/comm).
std::vector<std::string> ThreadNames() {
  std::vector<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) names.push_back(name);
  }
  return names;
}

class StorageEngineTest : public ::testing::Test {
 protected:
  EngineOptions Options() {
    EngineOptions options;
    options.fs = fs_;
    options.clock = &clock_;
    options.data_dir = dir_.Path("data");
    options.background_flush = false;
    options.wal_segment_bytes = 4096;  // many segments, so checkpoints delete some
    return options;
  }

  void Open() { Open(Options()); }
  void Open(const EngineOptions& options) {
    auto opened = StorageEngine::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = std::move(*opened);
  }
  void Reopen() {
    ASSERT_TRUE(engine_->Close().ok());
    engine_.reset();
    Open();
  }

  // Pushes `lines` as one stream {job="<job>"} of tenant "t".
  Result<PushOutcome> Push(const std::string& job, const std::vector<Line>& lines,
                           const std::string& tenant = "t") {
    PushRequest request;
    request.tenant = tenant;
    PushStream stream{labels::LabelSet::Of({{"job", job}}), {}};
    for (const Line& line : lines) stream.entries.push_back({line.ts, line.text, {}});
    request.streams.push_back(std::move(stream));
    return engine_->PushSync(std::move(request));
  }

  std::vector<labels::Matcher> Job(const std::string& job) {
    return {*labels::Matcher::Create(labels::MatchType::kEqual, "job", job)};
  }

  // Every entry of {job=<job>} in [from, through), in `direction`, as "ts:line".
  std::vector<std::string> Read(const std::string& job, Direction direction = Direction::kForward,
                                int64_t from = INT64_MIN, int64_t through = INT64_MAX,
                                const std::string& tenant = "t") {
    auto matchers = Job(job);
    auto selected = engine_->Select(tenant, matchers, from, through);
    EXPECT_TRUE(selected.ok()) << selected.status();
    std::vector<std::string> out;
    if (!selected.ok()) return out;
    EXPECT_LE(selected->size(), 1u);
    for (const StreamSelection& stream : *selected) {
      for (auto it = stream.NewIterator(from, through, direction); it.Valid(); it.Next()) {
        out.push_back(std::to_string(it.timestamp() - kT0) + ":" + std::string(it.line()));
      }
    }
    return out;
  }

  size_t WalSegments() {
    auto names = fs_->ListDir(WalDir(dir_.Path("data")));
    size_t n = 0;
    if (names.ok()) {
      for (const std::string& name : *names) n += name.ends_with(".wal");
    }
    return n;
  }

  testing::TempDir dir_;
  fs::PosixFileSystem posix_;
  fs::FileSystem* fs_ = &posix_;
  time::FakeClock clock_;
  std::unique_ptr<StorageEngine> engine_;
};

TEST_F(StorageEngineTest, PushedEntriesAreReadableAtOnce) {
  Open();
  auto outcome = Push("api", {{kT0 + 2, "b"}, {kT0 + 1, "a"}, {kT0 + 3, "c"}});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->accepted, 3u);
  EXPECT_GT(outcome->sequence, 0u);
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"1:a", "2:b", "3:c"}));
  EXPECT_EQ(Read("api", Direction::kBackward), (std::vector<std::string>{"3:c", "2:b", "1:a"}));
  EXPECT_EQ(Read("api", Direction::kForward, kT0 + 2, kT0 + 3), (std::vector<std::string>{"2:b"}));
  EXPECT_TRUE(Read("web").empty());
}

// top, perf and gdb tell the engine's threads apart.
TEST_F(StorageEngineTest, WalAndFlusherThreadsAreNamed) {
  EngineOptions options = Options();
  options.background_flush = true;
  Open(options);
  auto named = [](const char* name) {
    std::vector<std::string> names = ThreadNames();
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  // Each thread names itself when it starts running.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(named("silt-wal") && named("silt-flush")) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_TRUE(named("silt-wal"));
  EXPECT_TRUE(named("silt-flush"));
  ASSERT_TRUE(engine_->Close().ok());
}

TEST_F(StorageEngineTest, FlushMovesDataToChunksWithoutAQueryNoticing) {
  Open();
  ASSERT_TRUE(Push("api", {{kT0 + 1, "a"}, {kT0 + 3, "c"}}).ok());
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  EXPECT_EQ(engine_->catalog().chunk_count(), 1u);
  EXPECT_EQ(engine_->head().bytes(), 0u);
  // A late entry of the same partition lands in the head; reads merge it between chunk entries.
  ASSERT_TRUE(Push("api", {{kT0 + 2, "b"}}).ok());
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"1:a", "2:b", "3:c"}));
  EXPECT_EQ(Read("api", Direction::kBackward), (std::vector<std::string>{"3:c", "2:b", "1:a"}));
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  EXPECT_EQ(engine_->catalog().chunk_count(), 2u);
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"1:a", "2:b", "3:c"}));
}

TEST_F(StorageEngineTest, EqualTimestampsKeepArrivalOrderAcrossChunksAndHead) {
  Open();
  ASSERT_TRUE(Push("api", {{kT0, "first"}}).ok());
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  ASSERT_TRUE(Push("api", {{kT0, "second"}}).ok());
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  ASSERT_TRUE(Push("api", {{kT0, "third"}}).ok());
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"0:first", "0:second", "0:third"}));
  EXPECT_EQ(Read("api", Direction::kBackward),
            (std::vector<std::string>{"0:third", "0:second", "0:first"}));
}

TEST_F(StorageEngineTest, UnflushedEntriesComeBackFromTheWal) {
  Open();
  ASSERT_TRUE(Push("api", {{kT0 + 1, "a"}, {kT0 + 2, "b"}}).ok());
  ASSERT_TRUE(Push("web", {{kT0 + 1, "w"}}).ok());
  Reopen();
  EXPECT_EQ(engine_->recovery().records_applied, 2u);
  EXPECT_EQ(engine_->recovery().entries_applied, 3u);
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"1:a", "2:b"}));
  EXPECT_EQ(Read("web"), (std::vector<std::string>{"1:w"}));
}

TEST_F(StorageEngineTest, RestartsAfterFlushesShowEveryEntryOnce) {
  Open();
  ASSERT_TRUE(Push("api", {{kT0 + 1, "a"}}).ok());
  ASSERT_TRUE(Push("old", {{kT0 - kHourNs, "o"}}).ok());
  ASSERT_TRUE(Push("api", {{kT0 + 2, "b"}}).ok());
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  ASSERT_TRUE(Push("api", {{kT0 + 3, "c"}}).ok());
  Reopen();
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"1:a", "2:b", "3:c"}));
  EXPECT_EQ(Read("old"), (std::vector<std::string>{std::to_string(-kHourNs) + ":o"}));
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  Reopen();
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"1:a", "2:b", "3:c"}));
  EXPECT_EQ(engine_->catalog().chunk_count(), 3u);
}

TEST_F(StorageEngineTest, CrashBetweenChunkAndCheckpointSkipsCoveredRecords) {
  // Chunk files are durable before the checkpoint is written; a crash in between leaves records
  // in the WAL that the chunk already holds. Simulated by a failing checkpoint write.
  fs::FaultInjectionFileSystem faults(&posix_);
  fs_ = &faults;
  Open();
  ASSERT_TRUE(Push("api", {{kT0 + 1, "a"}, {kT0 + 2, "b"}}).ok());
  // Renames: the chunk file, index.silt, then the checkpoint, which fails.
  faults.FailNth(fs::Op::kRename, 3);
  EXPECT_FALSE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  EXPECT_EQ(engine_->catalog().chunk_count(), 1u);
  engine_.reset();
  ASSERT_TRUE(faults.DropUnsyncedData().ok());
  Open();
  EXPECT_EQ(engine_->recovery().entries_already_in_chunks, 2u);
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"1:a", "2:b"}));
  engine_.reset();  // before `faults` goes away
}

TEST_F(StorageEngineTest, CheckpointDeletesWalSegmentsTheChunksCover) {
  Open();
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(Push("api", {{kT0 + i, "line number " + std::to_string(i) +
                                           " with some padding to fill segments"}})
                    .ok());
  }
  size_t before = WalSegments();
  EXPECT_GT(before, 2u);
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  EXPECT_LT(WalSegments(), before);
  EXPECT_GE(engine_->stats().checkpoints.load(), 1u);
  Reopen();
  EXPECT_EQ(engine_->recovery().records_applied, 0u);
  EXPECT_EQ(Read("api").size(), 200u);
}

TEST_F(StorageEngineTest, RedeliveredAgentLinesAreStoredOnce) {
  Open();
  auto agent_push = [&](uint64_t start, std::vector<std::pair<uint64_t, std::string>> lines) {
    PushRequest request;
    request.tenant = "t";
    request.agent_id = "host-1";
    request.sources = {{77, start, lines.back().first}};
    PushStream stream{labels::LabelSet::Of({{"job", "api"}}), {}};
    for (const auto& [end, text] : lines) {
      stream.entries.push_back({kT0 + static_cast<int64_t>(end), text, {}, 0, end});
    }
    request.streams.push_back(std::move(stream));
    return engine_->PushSync(std::move(request));
  };
  ASSERT_TRUE(agent_push(0, {{10, "x"}, {20, "y"}}).ok());
  // The ack was lost; after the agent's restart the lines come again, with a new one, and
  // also after a restart of the aggregator.
  Reopen();
  auto again = agent_push(0, {{10, "x"}, {20, "y"}, {30, "z"}});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->redelivered, 2u);
  EXPECT_EQ(again->accepted, 1u);
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  Reopen();  // marks survive in the checkpoint
  auto third = agent_push(0, {{10, "x"}, {20, "y"}, {30, "z"}});
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->redelivered, 3u);
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"10:x", "20:y", "30:z"}));
}

TEST_F(StorageEngineTest, IdenticalEntriesAreStoredOnce) {
  Open();
  ASSERT_TRUE(Push("api", {{kT0 + 1, "a"}, {kT0 + 1, "a"}}).ok());
  auto again = Push("api", {{kT0 + 1, "a"}, {kT0 + 1, "other"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->accepted, 2u);  // duplicates count as accepted, as in Loki
  EXPECT_EQ(Read("api"), (std::vector<std::string>{"1:a", "1:other"}));
}

TEST_F(StorageEngineTest, MetadataOrderDoesNotMakeEntriesDistinct) {
  Open();
  auto push = [&](std::vector<labels::LabelView> metadata) {
    PushRequest request;
    request.tenant = "t";
    PushStream stream{labels::LabelSet::Of({{"job", "api"}}), {}};
    stream.entries.push_back({kT0, "line", metadata});
    request.streams.push_back(std::move(stream));
    return engine_->PushSync(std::move(request));
  };
  ASSERT_TRUE(push({{"trace", "1"}, {"pod", "p"}}).ok());
  ASSERT_TRUE(push({{"pod", "p"}, {"trace", "1"}}).ok());
  auto selected = engine_->Select("t", Job("api"), INT64_MIN, INT64_MAX);
  ASSERT_TRUE(selected.ok());
  ASSERT_EQ(selected->size(), 1u);
  auto it = (*selected)[0].NewIterator(INT64_MIN, INT64_MAX, Direction::kForward);
  ASSERT_TRUE(it.Valid());
  std::vector<labels::LabelView> metadata;
  it.AppendMetadata(&metadata);
  EXPECT_EQ(metadata, (std::vector<labels::LabelView>{{"pod", "p"}, {"trace", "1"}}));
  it.Next();
  EXPECT_FALSE(it.Valid());
}

TEST_F(StorageEngineTest, EntriesTooFarBehindAreRejectedWithAReason) {
  Open();
  auto outcome =
      Push("api", {{kT0 + 2 * kHourNs, "new"}, {kT0, "too old"}, {kT0 + kHourNs + 1, "ok"}});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->accepted, 2u);
  EXPECT_EQ(outcome->rejected, 1u);
  ASSERT_EQ(outcome->rejections.size(), 1u);
  EXPECT_NE(outcome->rejections[0].find("{job=\"api\"}"), std::string::npos)
      << outcome->rejections[0];
  EXPECT_NE(outcome->rejections[0].find("too far behind"), std::string::npos)
      << outcome->rejections[0];
  EXPECT_EQ(Read("api").size(), 2u);
}

TEST_F(StorageEngineTest, BadPushesAreRefusedAndNothingIsWritten) {
  Open();
  EXPECT_EQ(Push("api", {{kT0, "a"}}, "bad/tenant").status().code(), StatusCode::kInvalidArgument);
  PushRequest no_labels;
  no_labels.tenant = "t";
  no_labels.streams.push_back(PushStream{labels::LabelSet(), {{kT0, "x", {}}}});
  EXPECT_EQ(engine_->PushSync(std::move(no_labels)).status().code(), StatusCode::kInvalidArgument);
  PushRequest bad_source;
  bad_source.tenant = "t";
  bad_source.streams.push_back(
      PushStream{labels::LabelSet::Of({{"job", "api"}}), {{kT0, "x", {}, 3, 10}}});
  EXPECT_EQ(engine_->PushSync(std::move(bad_source)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Read("api").empty());
}

TEST_F(StorageEngineTest, FullHeadRefusesPushesUntilAFlush) {
  EngineOptions options = Options();
  options.head.max_bytes = size_t{1} << 20;
  Open(options);
  std::string line(1000, 'x');
  size_t refused_at = 0;
  for (size_t i = 0; i < 5000 && refused_at == 0; ++i) {
    auto outcome = Push("api", {{kT0 + static_cast<int64_t>(i), line}});
    if (!outcome.ok()) {
      EXPECT_EQ(outcome.status().code(), StatusCode::kResourceExhausted) << outcome.status();
      refused_at = i;
    }
  }
  ASSERT_GT(refused_at, 0u);
  EXPECT_EQ(engine_->stats().pushes_refused_memory.load(), 1u);
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kDue).ok());
  EXPECT_TRUE(Push("api", {{kT0 + 10000, line}}).ok());
  EXPECT_EQ(Read("api").size(), refused_at + 1);
}

TEST_F(StorageEngineTest, BackgroundFlusherWritesCompletePartitions) {
  EngineOptions options = Options();
  options.background_flush = true;
  options.flush_check_interval_ns = 10'000'000;  // 10ms
  Open(options);
  ASSERT_TRUE(Push("api", {{kT0, "old"}}).ok());
  // An entry two hours later completes the first partition (its end + the 1h window is past).
  ASSERT_TRUE(Push("api", {{kT0 + 2 * kHourNs + 1, "new"}}).ok());
  for (int i = 0; i < 500 && engine_->catalog().chunk_count() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(engine_->catalog().chunk_count(), 1u);
  EXPECT_EQ(Read("api").size(), 2u);
}

TEST_F(StorageEngineTest, LabelsAndSeriesCoverHeadAndChunks) {
  Open();
  PushRequest request;
  request.tenant = "t";
  request.streams.push_back(
      {labels::LabelSet::Of({{"job", "api"}, {"env", "prod"}}), {{kT0, "a", {}}}});
  request.streams.push_back(
      {labels::LabelSet::Of({{"job", "web"}, {"zone", "eu"}}), {{kT0, "b", {}}}});
  ASSERT_TRUE(engine_->PushSync(std::move(request)).ok());
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  ASSERT_TRUE(Push("db", {{kT0 + 1, "c"}}).ok());
  auto names = engine_->LabelNames("t", {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"env", "job", "zone"}));
  auto values = engine_->LabelValues("t", "job", {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (std::vector<std::string>{"api", "db", "web"}));
  std::vector<labels::Matcher> any_job = {
      *labels::Matcher::Create(labels::MatchType::kRegexMatch, "job", ".+")};
  auto series = engine_->Series("t", any_job, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(series.ok());
  ASSERT_EQ(series->size(), 3u);
  EXPECT_EQ((*series)[0].ToString(), "{env=\"prod\", job=\"api\"}");
  // Time ranges narrow them; other tenants see nothing.
  auto late = engine_->LabelValues("t", "job", {}, kT0 + 1, INT64_MAX);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(*late, (std::vector<std::string>{"db"}));
  auto other = engine_->LabelNames("other", {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
  // A selector that matches every stream is refused, as in Loki.
  std::vector<labels::Matcher> empty_match = {
      *labels::Matcher::Create(labels::MatchType::kRegexMatch, "job", ".*")};
  EXPECT_EQ(engine_->Select("t", empty_match, INT64_MIN, INT64_MAX).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(StorageEngineTest, TenantsAreIsolated) {
  Open();
  ASSERT_TRUE(Push("api", {{kT0, "for a"}}, "a").ok());
  ASSERT_TRUE(Push("api", {{kT0, "for b"}}, "b").ok());
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  EXPECT_EQ(Read("api", Direction::kForward, INT64_MIN, INT64_MAX, "a"),
            (std::vector<std::string>{"0:for a"}));
  EXPECT_EQ(Read("api", Direction::kForward, INT64_MIN, INT64_MAX, "b"),
            (std::vector<std::string>{"0:for b"}));
}

TEST_F(StorageEngineTest, BlockFilterSkipsChunkBlocksButNotTheHead) {
  EngineOptions options = Options();
  options.chunk.target_block_size = 4096;
  Open(options);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(
        Push("api", {{kT0 + i, (i < 50 ? "line alpha " : "line beta ") + std::string(200, 'x')}})
            .ok());
  }
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  ASSERT_TRUE(Push("api", {{kT0 + 100, "alpha in the head"}}).ok());
  auto selected = engine_->Select("t", Job("api"), INT64_MIN, INT64_MAX);
  ASSERT_TRUE(selected.ok());
  ASSERT_EQ(selected->size(), 1u);
  BlockFilter beta_only = [](const store::ChunkReader& reader, uint32_t stream,
                             const index::BlockRef& block) {
    auto may = reader.BlockMayContainLiteral(stream, block.block_index, " beta ");
    return !may.ok() || *may;
  };
  auto it = (*selected)[0].NewIterator(INT64_MIN, INT64_MAX, Direction::kForward, beta_only);
  size_t beta = 0;
  size_t alpha = 0;
  for (; it.Valid(); it.Next()) (it.line().starts_with("line beta") ? beta : alpha) += 1;
  EXPECT_EQ(beta, 50u);
  EXPECT_GT(it.problems().blocks_filtered, 0u);
  EXPECT_LT(alpha, 51u);  // some alpha blocks were skipped; the head line is always there
  EXPECT_GE(alpha, 1u);
}

TEST_F(StorageEngineTest, RequiredLineLiteralsPassOverChunkEntriesAndCountThem) {
  EngineOptions options = Options();
  options.chunk.target_block_size = 4096;
  Open(options);
  // Every 10th line holds "hit"; a few blocks of 4 KiB; one line without "hit" in the head.
  uint64_t all_bytes = 0;
  for (int i = 0; i < 100; ++i) {
    const std::string line = (i % 10 == 3 ? "a hit " : "a miss ") + std::string(100, 'x');
    all_bytes += line.size();
    ASSERT_TRUE(Push("api", {{kT0 + i, line}}).ok());
  }
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  ASSERT_TRUE(Push("api", {{kT0 + 100, "head line"}}).ok());
  auto selected = engine_->Select("t", Job("api"), INT64_MIN, INT64_MAX);
  ASSERT_TRUE(selected.ok());
  ASSERT_EQ(selected->size(), 1u);
  BlockFilter filter;
  filter.required_line_literals = {{"hit"}};
  for (Direction direction : {Direction::kForward, Direction::kBackward}) {
    // The whole range, then one that cuts blocks: [kT0 + 25, kT0 + 75).
    for (const auto& [from, through] : {std::pair<int64_t, int64_t>{INT64_MIN, INT64_MAX},
                                        std::pair<int64_t, int64_t>{kT0 + 25, kT0 + 75}}) {
      std::vector<int64_t> seen;
      auto it = (*selected)[0].NewIterator(from, through, direction, filter);
      for (; it.Valid(); it.Next()) seen.push_back(it.timestamp() - kT0);
      const bool whole = from == INT64_MIN;
      std::vector<int64_t> expected;
      for (int i = whole ? 3 : 33; i < (whole ? 100 : 75); i += 10) expected.push_back(i);
      if (whole) expected.push_back(100);  // the head is not filtered
      if (direction == Direction::kBackward) std::reverse(expected.begin(), expected.end());
      EXPECT_EQ(seen, expected);
      const uint64_t chunk_lines = whole ? 100 : 50;
      EXPECT_EQ(it.skipped_lines(), chunk_lines - (whole ? 10 : 5));
      if (whole) {
        EXPECT_EQ(it.skipped_bytes(), all_bytes - 10 * (6 + 100));
      }
    }
  }
}

TEST_F(StorageEngineTest, IteratorReportsTheBlocksItHolds) {
  EngineOptions options = Options();
  options.chunk.target_block_size = 4096;
  Open(options);
  // ~12.6 KiB of lines: three or four 4 KiB blocks in a chunk file, then one line in the head.
  for (int i = 0; i < 60; ++i) {
    ASSERT_TRUE(Push("api", {{kT0 + i, "line " + std::string(200, 'x')}}).ok());
  }
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  ASSERT_TRUE(Push("api", {{kT0 + 1000, "in the head"}}).ok());
  auto selected = engine_->Select("t", Job("api"), INT64_MIN, INT64_MAX);
  ASSERT_TRUE(selected.ok());
  ASSERT_EQ(selected->size(), 1u);
  auto it = (*selected)[0].NewIterator(INT64_MIN, INT64_MAX, Direction::kForward);
  ASSERT_TRUE(it.Valid());
  // The chunk source started on its first block (at least the 4 KiB target).
  EXPECT_GE(it.held_block_bytes(), size_t{4096});
  size_t most = 0;
  std::string last;
  for (; it.Valid(); it.Next()) {
    most = std::max(most, it.held_block_bytes());
    last = std::string(it.line());
  }
  EXPECT_EQ(last, "in the head");
  EXPECT_LT(most, 2 * size_t{4096});  // one block at a time, never the whole chunk
  // The exhausted source let go of its block; head data is not counted.
  EXPECT_EQ(it.held_block_bytes(), 0u);
}

TEST_F(StorageEngineTest, LongScanInsertsOnlyItsFirstBlocksIntoTheCache) {
  EngineOptions options = Options();
  options.chunk.target_block_size = 4096;
  Open(options);
  // Two partitions, so two chunk pieces of ~5 blocks each.
  for (int i = 0; i < 100; ++i) {
    const int64_t ts = kT0 + (i < 50 ? i : kHourNs + i);
    ASSERT_TRUE(Push("api", {{ts, "line " + std::to_string(i) + std::string(200, 'x')}}).ok());
  }
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  store::BlockCache* cache = engine_->block_cache();
  ASSERT_NE(cache, nullptr);
  const uint64_t inserts_before = cache->counters().inserts.load();
  for (int pass = 0; pass < 2; ++pass) {
    auto selected = engine_->Select("t", Job("api"), INT64_MIN, INT64_MAX);
    ASSERT_TRUE(selected.ok());
    ASSERT_EQ(selected->size(), 1u);
    size_t lines = 0;
    for (auto it = (*selected)[0].NewIterator(INT64_MIN, INT64_MAX, Direction::kForward);
         it.Valid(); it.Next()) {
      ++lines;
    }
    EXPECT_EQ(lines, 100u);
  }
  // Two passes over ~10 blocks in two pieces: only the first kCachedBlocksPerIteration of the
  // first pass were inserted, and the second pass found them in the cache.
  EXPECT_EQ(cache->counters().inserts.load() - inserts_before, kCachedBlocksPerIteration);
  EXPECT_GE(cache->counters().hits.load(), kCachedBlocksPerIteration);
}

TEST_F(StorageEngineTest, CorruptChunkIsSkippedAndTheRestServes) {
  Open();
  ASSERT_TRUE(Push("api", {{kT0, "in the first partition"}}).ok());
  ASSERT_TRUE(Push("api", {{kT0 + kHourNs, "in the second partition"}}).ok());
  ASSERT_TRUE(engine_->Flush(StorageEngine::FlushScope::kAll).ok());
  ASSERT_EQ(engine_->catalog().chunk_count(), 2u);
  ASSERT_TRUE(engine_->Close().ok());
  engine_.reset();
  // Flip a byte in the footer of the first partition's chunk.
  std::string dir = PartitionDir(dir_.Path("data"), "t", kT0 - kHourNs / 2, kHourNs);
  auto names = fs_->ListDir(dir);
  ASSERT_TRUE(names.ok()) << names.status();
  std::string chunk;
  for (const std::string& name : *names) {
    if (name.starts_with("chunk-")) chunk = dir + "/" + name;
  }
  ASSERT_FALSE(chunk.empty());
  auto bytes = fs_->ReadFileToString(chunk);
  ASSERT_TRUE(bytes.ok());
  (*bytes)[bytes->size() - 20] ^= 0x5a;
  ASSERT_TRUE(fs_->WriteFileAtomically(chunk, *bytes).ok());
  Open();
  EXPECT_EQ(engine_->recovery().chunks.corrupt_chunks, 1u);
  EXPECT_EQ(engine_->recovery().chunks.chunks, 1u);
  EXPECT_EQ(Read("api"),
            (std::vector<std::string>{std::to_string(kHourNs) + ":in the second partition"}));
}

TEST_F(StorageEngineTest, SecondEngineOnTheSameDirectoryIsRefused) {
  Open();
  auto second = StorageEngine::Open(Options());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable) << second.status();
}

TEST_F(StorageEngineTest, BadOptionsNameTheField) {
  EngineOptions options = Options();
  options.flush_watermark = 2;
  auto opened = StorageEngine::Open(options);
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(opened.status().message().find("flush_watermark"), std::string::npos);
}

}  // namespace
}  // namespace silt::engine
