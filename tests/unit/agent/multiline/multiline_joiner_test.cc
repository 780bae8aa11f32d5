#include "agent/multiline/multiline_joiner.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "shared/time/fake_clock.h"

namespace silt::agent {
namespace {

constexpr int64_t kTimeout = 3'000'000'000;
const std::string kJava = "/logs/java.log";
const std::string kPlain = "/logs/plain.log";

class Recorder final : public BatchSink {
 public:
  void Deliver(Batch batch) override {
    batches.push_back(batch);
    for (SourceChunk& chunk : batch.chunks) chunks.push_back(std::move(chunk));
  }
  std::vector<std::string> Texts() const {
    std::vector<std::string> out;
    for (const SourceChunk& chunk : chunks) {
      for (const Line& line : chunk.lines) out.push_back(line.text);
    }
    return out;
  }
  std::vector<Batch> batches;
  std::vector<SourceChunk> chunks;
};

// Lines laid out one after another from `start`, each followed by '\n'.
SourceChunk Chunk(uint64_t source, const std::string& path, uint64_t start,
                  const std::vector<std::string>& texts) {
  SourceChunk chunk;
  chunk.source_id = source;
  chunk.path = path;
  chunk.start_offset = start;
  uint64_t offset = start;
  for (const std::string& text : texts) {
    Line line;
    line.text = text;
    line.start_offset = offset;
    offset += text.size() + 1;
    line.end_offset = offset;
    chunk.lines.push_back(line);
  }
  chunk.end_offset = offset;
  return chunk;
}

Batch BatchOf(std::vector<SourceChunk> chunks) {
  Batch batch;
  for (SourceChunk& chunk : chunks) {
    batch.lines += chunk.lines.size();
    batch.chunks.push_back(std::move(chunk));
  }
  return batch;
}

class MultilineJoinerTest : public ::testing::Test {
 protected:
  MultilineJoinerTest() {
    MultilineOptions options;
    options.start_pattern = "^E";
    options.max_lines = 4;
    options.flush_timeout_ns = kTimeout;
    Result<MultilineRule> rule = MultilineRule::Create(options);
    EXPECT_TRUE(rule.ok()) << rule.status();
    if (rule.ok()) rule_.emplace(std::move(*rule));
    joiner_ = std::make_unique<MultilineJoiner>(&out_, &clock_, [this](const std::string& path) {
      return path == kJava ? &*rule_ : nullptr;
    });
  }

  void Deliver(std::vector<SourceChunk> chunks) { joiner_->Deliver(BatchOf(std::move(chunks))); }

  time::FakeClock clock_;
  std::optional<MultilineRule> rule_;
  Recorder out_;
  std::unique_ptr<MultilineJoiner> joiner_;
};

TEST_F(MultilineJoinerTest, PathWithoutRulePassesThroughUnchanged) {
  Deliver({Chunk(1, kPlain, 0, {"a", " b", "c"})});
  ASSERT_EQ(out_.chunks.size(), 1u);
  EXPECT_EQ(out_.Texts(), (std::vector<std::string>{"a", " b", "c"}));
  EXPECT_EQ(out_.chunks[0].end_offset, 7u);
}

TEST_F(MultilineJoinerTest, ContinuationLinesJoinTheirStartLine) {
  Deliver({Chunk(1, kJava, 0, {"E1", " at a", " at b", "E2"})});
  ASSERT_EQ(out_.chunks.size(), 1u);
  const SourceChunk& chunk = out_.chunks[0];
  ASSERT_EQ(chunk.lines.size(), 1u);
  EXPECT_EQ(chunk.lines[0].text, "E1\n at a\n at b");
  EXPECT_EQ(chunk.lines[0].start_offset, 0u);
  EXPECT_EQ(chunk.lines[0].end_offset, 15u);
  EXPECT_EQ(out_.batches[0].lines, 1u);
  EXPECT_EQ(out_.batches[0].bytes, 14u);
}

TEST_F(MultilineJoinerTest, HeldEntryHoldsBackItsBytes) {
  Deliver({Chunk(1, kJava, 0, {"E1", " at a", "E2", " at b"})});
  ASSERT_EQ(out_.chunks.size(), 1u);
  EXPECT_EQ(out_.chunks[0].start_offset, 0u);
  EXPECT_EQ(out_.chunks[0].end_offset, 9u);  // where E2 starts: E2 and " at b" are held
  EXPECT_EQ(joiner_->stats().held_entries, 1u);
}

TEST_F(MultilineJoinerTest, NextChunkContinuesTheRangeWithoutAGap) {
  Deliver({Chunk(1, kJava, 0, {"E1", "E2", " x"})});
  Deliver({Chunk(1, kJava, 9, {" y", "E3"})});
  ASSERT_EQ(out_.chunks.size(), 2u);
  EXPECT_EQ(out_.chunks[0].end_offset, 3u);
  EXPECT_EQ(out_.chunks[1].start_offset, 3u);
  EXPECT_EQ(out_.chunks[1].end_offset, 12u);
  EXPECT_EQ(out_.Texts(), (std::vector<std::string>{"E1", "E2\n x\n y"}));
}

TEST_F(MultilineJoinerTest, EntryStillHeldProducesNoChunk) {
  Deliver({Chunk(1, kJava, 0, {"E1"})});
  Deliver({Chunk(1, kJava, 3, {" a"})});
  EXPECT_TRUE(out_.chunks.empty());
}

TEST_F(MultilineJoinerTest, FlushTimeoutSendsTheHeldEntryWithItsWholeRange) {
  Deliver({Chunk(1, kJava, 0, {"E1", "E2", " a"})});
  out_.chunks.clear();
  clock_.Advance(kTimeout);
  ASSERT_EQ(out_.chunks.size(), 1u);
  EXPECT_EQ(out_.chunks[0].start_offset, 3u);
  EXPECT_EQ(out_.chunks[0].end_offset, 9u);
  EXPECT_EQ(out_.Texts(), std::vector<std::string>{"E2\n a"});
  EXPECT_EQ(joiner_->stats().timeout_flushes, 1u);
  EXPECT_EQ(joiner_->stats().held_entries, 0u);
}

TEST_F(MultilineJoinerTest, NewLinesRearmTheTimeout) {
  Deliver({Chunk(1, kJava, 0, {"E1"})});
  clock_.Advance(kTimeout - 1);
  Deliver({Chunk(1, kJava, 3, {" a"})});
  clock_.Advance(kTimeout - 1);
  EXPECT_TRUE(out_.chunks.empty());
  clock_.Advance(1);
  EXPECT_EQ(out_.Texts(), std::vector<std::string>{"E1\n a"});
}

TEST_F(MultilineJoinerTest, MaxLinesCutsTheEntry) {
  Deliver({Chunk(1, kJava, 0, {"E1", "1", "2", "3", "4", "5"})});
  ASSERT_EQ(out_.Texts(), std::vector<std::string>{"E1\n1\n2\n3"});
  EXPECT_EQ(out_.chunks[0].end_offset, 9u);
  EXPECT_EQ(joiner_->stats().max_lines_flushes, 1u);
  clock_.Advance(kTimeout);
  EXPECT_EQ(out_.Texts(), (std::vector<std::string>{"E1\n1\n2\n3", "4\n5"}));
}

TEST_F(MultilineJoinerTest, UnterminatedLastLineEndsTheEntry) {
  SourceChunk chunk = Chunk(1, kJava, 0, {"E1", " tail"});
  chunk.lines.back().unterminated = true;
  chunk.lines.back().end_offset -= 1;
  chunk.end_offset -= 1;
  Deliver({chunk});
  ASSERT_EQ(out_.chunks.size(), 1u);
  EXPECT_EQ(out_.chunks[0].lines[0].text, "E1\n tail");
  EXPECT_TRUE(out_.chunks[0].lines[0].unterminated);
  EXPECT_EQ(out_.chunks[0].end_offset, 8u);
}

TEST_F(MultilineJoinerTest, TruncatedLineMarksTheEntry) {
  SourceChunk chunk = Chunk(1, kJava, 0, {"E1", " long", "E2"});
  chunk.lines[1].truncated = true;
  Deliver({chunk});
  ASSERT_EQ(out_.chunks[0].lines.size(), 1u);
  EXPECT_TRUE(out_.chunks[0].lines[0].truncated);
}

TEST_F(MultilineJoinerTest, LeadingContinuationLinesFormTheirOwnEntry) {
  Deliver({Chunk(1, kJava, 0, {" orphan 1", " orphan 2", "E1"})});
  EXPECT_EQ(out_.Texts(), std::vector<std::string>{" orphan 1\n orphan 2"});
}

TEST_F(MultilineJoinerTest, SkippedBytesAreCoveredByTheRanges) {
  SourceChunk chunk = Chunk(1, kJava, 100, {"E1", "E2"});
  chunk.start_offset = 40;  // 60 bytes of a skipped oversize line come first
  Deliver({chunk});
  ASSERT_EQ(out_.chunks.size(), 1u);
  EXPECT_EQ(out_.chunks[0].start_offset, 40u);
  EXPECT_EQ(out_.chunks[0].end_offset, 103u);
  SourceChunk skipped_only;
  skipped_only.source_id = 1;
  skipped_only.path = kJava;
  skipped_only.start_offset = 106;
  skipped_only.end_offset = 200;
  Deliver({skipped_only});
  clock_.Advance(kTimeout);
  ASSERT_EQ(out_.chunks.size(), 2u);
  EXPECT_EQ(out_.chunks[1].start_offset, 103u);
  EXPECT_EQ(out_.chunks[1].end_offset, 200u);
}

TEST_F(MultilineJoinerTest, SourcesAreJoinedIndependently) {
  Deliver({Chunk(1, kJava, 0, {"E1", " a"}), Chunk(2, kJava, 0, {"E9"}),
           Chunk(1, kJava, 6, {" b", "E2"}), Chunk(3, kPlain, 0, {" plain"})});
  EXPECT_EQ(out_.Texts(), (std::vector<std::string>{"E1\n a\n b", " plain"}));
  clock_.Advance(kTimeout);
  // Timers fire in deadline order: E9 was last touched before E2.
  EXPECT_EQ(out_.Texts(), (std::vector<std::string>{"E1\n a\n b", " plain", "E9", "E2"}));
}

TEST_F(MultilineJoinerTest, FlushAllSendsEveryHeldEntry) {
  Deliver({Chunk(1, kJava, 0, {"E1"}), Chunk(2, kJava, 0, {"E2", " x"})});
  joiner_->FlushAll();
  EXPECT_EQ(out_.Texts(), (std::vector<std::string>{"E1", "E2\n x"}));
  EXPECT_EQ(joiner_->stats().held_entries, 0u);
  clock_.Advance(kTimeout);
  EXPECT_EQ(out_.chunks.size(), 2u);
}

// Random lines in random chunks, with random pauses: the entries downstream are exactly the
// model's grouping, and each source's ranges tile its bytes without gap or overlap.
TEST_F(MultilineJoinerTest, RandomHistoriesMatchTheModel) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    out_.chunks.clear();
    const uint64_t source = 1000 + static_cast<uint64_t>(round);
    std::vector<std::string> expected;
    std::string current;
    size_t current_lines = 0;
    auto close_entry = [&] {
      if (current_lines > 0) expected.push_back(current);
      current.clear();
      current_lines = 0;
    };
    uint64_t offset = 0;
    const int chunks = 1 + static_cast<int>(rng() % 8);
    for (int c = 0; c < chunks; ++c) {
      std::vector<std::string> texts;
      const int n = static_cast<int>(rng() % 6);
      for (int i = 0; i < n; ++i) {
        const bool start = rng() % 3 == 0;
        std::string text = (start ? "E" : " ") + std::to_string(rng() % 100);
        if (start) close_entry();
        current += (current_lines > 0 ? "\n" : "") + text;
        if (++current_lines == 4) close_entry();
        texts.push_back(text);
      }
      SourceChunk chunk = Chunk(source, kJava, offset, texts);
      offset = chunk.end_offset;
      if (!texts.empty()) Deliver({chunk});
      if (rng() % 4 == 0) {
        clock_.Advance(kTimeout);
        close_entry();
      }
    }
    clock_.Advance(kTimeout);
    close_entry();
    ASSERT_EQ(out_.Texts(), expected) << "round " << round;
    uint64_t next = 0;
    for (const SourceChunk& chunk : out_.chunks) {
      ASSERT_EQ(chunk.start_offset, next) << "round " << round;
      next = chunk.end_offset;
    }
    ASSERT_EQ(next, offset) << "round " << round;
  }
}

}  // namespace
}  // namespace silt::agent
