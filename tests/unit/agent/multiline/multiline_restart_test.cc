// MultilineJoiner between a real TailerSet and a confirming sink: an entry still being assembled
// when the agent dies is neither lost nor split, because its bytes were never confirmed.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/multiline/multiline_joiner.h"
#include "agent/positions/positions_store.h"
#include "agent/tailer/source_id_generator.h"
#include "agent/tailer/tailer_set.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

class ConfirmingSink final : public BatchSink {
 public:
  explicit ConfirmingSink(PositionsStore** store) : store_(store) {}
  void Deliver(Batch batch) override {
    for (const SourceChunk& chunk : batch.chunks) {
      for (const Line& line : chunk.lines) entries.push_back(line.text);
      (*store_)->Confirm(chunk.source_id, chunk.start_offset, chunk.end_offset);
    }
  }
  std::vector<std::string> entries;

 private:
  PositionsStore** store_;
};

class Agent {
 public:
  Agent(fs::FileSystem* fs, const std::string& positions, time::FakeClock* clock,
        ConfirmingSink* sink, uint64_t seed)
      : store_(fs, positions), ids_(seed) {
    EXPECT_TRUE(store_.Load().ok());
    MultilineOptions options;
    options.start_pattern = "^E";
    Result<MultilineRule> rule = MultilineRule::Create(options);
    EXPECT_TRUE(rule.ok()) << rule.status();
    if (rule.ok()) rule_.emplace(std::move(*rule));
    joiner_ = std::make_unique<MultilineJoiner>(sink, clock,
                                                [this](const std::string&) { return &*rule_; });
    TailerSet::Options tailer_options;
    tailer_options.rotate_wait_ns = 0;
    tailers_ = std::make_unique<TailerSet>(fs, &store_, &ids_, joiner_.get(), tailer_options);
  }
  PositionsStore* store() { return &store_; }
  TailerSet& tailers() { return *tailers_; }
  void Drain() {
    for (int i = 0; i < 100 && tailers_->Poll(0).more; ++i) {
    }
  }

 private:
  PositionsStore store_;
  SeededSourceIdGenerator ids_;
  std::optional<MultilineRule> rule_;
  std::unique_ptr<MultilineJoiner> joiner_;
  std::unique_ptr<TailerSet> tailers_;
};

void Append(fs::FileSystem& fs, const std::string& path, const std::string& text) {
  auto file = fs.NewWritableFile(path, fs::OpenMode::kAppend);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append(text).ok());
  ASSERT_TRUE((*file)->Close().ok());
}

TEST(MultilineRestartTest, EntryHeldAtAKillIsReadAgainWhole) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem fs;
  time::FakeClock clock;
  const std::string log = dir.Path("app.log");
  PositionsStore* current = nullptr;
  ConfirmingSink sink(&current);
  Append(fs, log, "E1\n at a\nE2\n at b\n");
  {
    Agent agent(&fs, dir.Path("positions"), &clock, &sink, 1);
    current = agent.store();
    agent.tailers().OnRescan({log});
    agent.Drain();
    ASSERT_EQ(sink.entries, std::vector<std::string>{"E1\n at a"});
    ASSERT_TRUE(agent.tailers().Flush(1).ok());
    // Killed here: "E2\n at b" was read but never went downstream.
  }
  Append(fs, log, " at c\nE3\n");
  Agent agent(&fs, dir.Path("positions"), &clock, &sink, 2);
  current = agent.store();
  agent.tailers().OnRescan({log});
  agent.Drain();
  clock.Advance(3'000'000'000);
  EXPECT_EQ(sink.entries, (std::vector<std::string>{"E1\n at a", "E2\n at b\n at c", "E3"}));
  const auto& entries = agent.store()->entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries.begin()->second.offset, 27u);  // every byte confirmed once the timer fired
}

}  // namespace
}  // namespace silt::agent
