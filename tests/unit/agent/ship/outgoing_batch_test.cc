#include "agent/ship/outgoing_batch.h"

#include <gtest/gtest.h>

#include "protocol/frame_decoder.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

LabeledChunk Chunk(uint64_t source, uint64_t start, std::vector<std::string> texts,
                   uint64_t skipped_after = 0) {
  LabeledChunk labeled;
  labeled.labels = labels::LabelSet::Of({{"job", source == 1 ? "a" : "b"}});
  labeled.timestamp_ns = 5;
  SourceChunk& chunk = labeled.chunk;
  chunk.source_id = source;
  chunk.path = "/p" + std::to_string(source);
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
  chunk.end_offset = offset + skipped_after;
  return labeled;
}

TEST(OutgoingBatchTest, EncodesOneSourceRangePerSourceAndOneStreamPerLabelSet) {
  OutgoingBatch batch(9);
  batch.Add(Chunk(1, 0, {"x", "y"}));
  batch.Add(Chunk(2, 10, {"z"}, 5));  // 5 skipped bytes after its line
  batch.Add(Chunk(1, 4, {"w"}));
  EXPECT_EQ(batch.entries(), 4u);
  protocol::BatchBuilder builder;
  protocol::FrameEncoder encoder;
  std::vector<uint8_t> frame;
  ASSERT_TRUE(batch.Encode(&builder, encoder, &frame).ok());
  protocol::FrameDecoder decoder;
  decoder.Feed(frame);
  Result<std::optional<protocol::Frame>> next = decoder.Next();
  ASSERT_TRUE(next.ok() && next->has_value());
  const protocol::fb::Batch* decoded = (*next)->AsBatch();
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(decoded->batch_id(), 9u);
  ASSERT_EQ(decoded->sources()->size(), 2u);
  EXPECT_EQ(decoded->sources()->Get(0)->start_offset(), 0u);
  EXPECT_EQ(decoded->sources()->Get(0)->end_offset(), 6u);
  EXPECT_EQ(decoded->sources()->Get(1)->end_offset(), 17u);
  ASSERT_EQ(decoded->streams()->size(), 2u);
  EXPECT_EQ(decoded->streams()->Get(0)->entries()->size(), 3u);
  EXPECT_EQ(decoded->streams()->Get(0)->entries()->Get(2)->end_offset(), 6u);
  EXPECT_EQ(decoded->streams()->Get(0)->entries()->Get(0)->timestamp_ns(), 5);
}

TEST(OutgoingBatchTest, SplitKeepsRangesContiguous) {
  OutgoingBatch batch(3);
  batch.Add(Chunk(1, 0, {"a", "b", "c"}, 7));
  auto [first, second] = batch.Split();
  EXPECT_EQ(first.id(), 3u);
  EXPECT_EQ(first.entries(), 1u);
  EXPECT_EQ(second.entries(), 2u);
  EXPECT_EQ(first.chunks()[0].chunk.end_offset, 2u);
  EXPECT_EQ(second.chunks()[0].chunk.start_offset, 2u);
  EXPECT_EQ(second.chunks()[0].chunk.end_offset, 13u);
}

// Decodes the one Batch frame in `frame` into (timestamp, line) pairs, in order.
std::vector<std::pair<int64_t, std::string>> Entries(const std::vector<uint8_t>& frame) {
  protocol::FrameDecoder decoder;
  decoder.Feed(frame);
  Result<std::optional<protocol::Frame>> next = decoder.Next();
  EXPECT_TRUE(next.ok() && next->has_value());
  std::vector<std::pair<int64_t, std::string>> out;
  if (!next.ok() || !next->has_value()) return out;
  for (const auto* stream : *(*next)->AsBatch()->streams()) {
    for (const auto* entry : *stream->entries()) {
      out.emplace_back(entry->timestamp_ns(),
                       std::string(entry->line()->begin(), entry->line()->end()));
    }
  }
  return out;
}

TEST(OutgoingBatchTest, IdenticalLinesGetDistinctRisingTimestampsThatSurviveASplit) {
  // The aggregator drops an entry whose timestamp and line repeat one it holds: three "ping"
  // lines written at once must not share a timestamp, or two of them would be lost.
  OutgoingBatch batch(4);
  batch.Add(Chunk(1, 0, {"ping", "ping", "ping", "pong"}));
  protocol::BatchBuilder builder;
  protocol::FrameEncoder encoder;
  std::vector<uint8_t> frame;
  ASSERT_TRUE(batch.Encode(&builder, encoder, &frame).ok());
  const std::vector<std::pair<int64_t, std::string>> whole = Entries(frame);
  const std::vector<std::pair<int64_t, std::string>> expected = {
      {5, "ping"}, {6, "ping"}, {7, "ping"}, {8, "pong"}};
  EXPECT_EQ(whole, expected);

  // Split (a batch refused as too large) and resent: every line keeps its timestamp.
  auto [first, second] = batch.Split();
  std::vector<std::pair<int64_t, std::string>> resent;
  for (const OutgoingBatch* part : {&first, &second}) {
    frame.clear();
    ASSERT_TRUE(part->Encode(&builder, encoder, &frame).ok());
    for (auto& entry : Entries(frame)) resent.push_back(entry);
  }
  EXPECT_EQ(resent, expected);
}

TEST(OutgoingBatchTest, ConfirmCoversEveryChunk) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem fs;
  PositionsStore store(&fs, dir.Path("positions"));
  Position position;
  position.source_id = 1;
  store.Put(position);
  OutgoingBatch batch(1);
  batch.Add(Chunk(1, 0, {"a"}));
  batch.Add(Chunk(1, 2, {}, 8));  // only skipped bytes
  batch.Confirm(&store);
  EXPECT_EQ(store.Find(1)->offset, 10u);
}

}  // namespace
}  // namespace silt::agent
