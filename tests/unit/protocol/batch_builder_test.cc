#include "protocol/batch_builder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/frame_decoder.h"
#include "tests/unit/protocol/frame_test_util.h"

namespace silt::protocol {
namespace {

std::string Str(const flatbuffers::String* s) { return s ? s->str() : "<null>"; }

std::string Bytes(const flatbuffers::Vector<uint8_t>* v) {
  return v ? std::string(reinterpret_cast<const char*>(v->data()), v->size()) : "<null>";
}

// Frames the payload, decodes it (so the Verifier runs) and returns the decoded bytes.
std::vector<uint8_t> ThroughDecoder(std::span<const uint8_t> payload) {
  FrameDecoder decoder;
  auto frames =
      testing::DecodeAll(&decoder, testing::EncodeFrame(FrameType::kBatch, payload, true), 4096);
  EXPECT_TRUE(frames.ok()) << frames.status();
  return frames.ok() && frames->size() == 1 ? (*frames)[0].payload : std::vector<uint8_t>();
}

TEST(BatchBuilderTest, InterleavedStreamsKeepTheirEntriesInOrder) {
  BatchBuilder builder(64);
  builder.Reset(12);
  const uint32_t a = builder.AddSource(0xA, 1000, "/var/log/a.log");
  const uint32_t b = builder.AddSource(0xB, 0, "/var/log/b.log");
  const LabelRef web[] = {{"app", "web"}, {"env", "prod"}};
  const LabelRef db[] = {{"app", "db"}};
  const uint32_t s_web = builder.AddStream(web);
  const uint32_t s_db = builder.AddStream(db);
  const LabelRef meta[] = {{"trace_id", "t-1"}, {"user", "u-9"}};
  builder.AddEntry(s_web, 100, "web one", a, 1008, meta);
  builder.AddEntry(s_db, 101, "db one", b, 7);
  builder.AddEntry(s_web, 102, "web two", a, 1016);
  builder.ExtendSource(b, 50);
  EXPECT_EQ(builder.entry_count(), 3u);
  EXPECT_EQ(builder.stream_count(), 2u);
  EXPECT_EQ(builder.source_count(), 2u);
  EXPECT_EQ(builder.source_end_offset(a), 1016u);

  const std::vector<uint8_t> payload = ThroughDecoder(builder.Finish());
  ASSERT_FALSE(payload.empty());
  const fb::Batch* batch = flatbuffers::GetRoot<fb::Batch>(payload.data());
  EXPECT_EQ(batch->batch_id(), 12u);
  ASSERT_EQ(batch->streams()->size(), 2u);
  const fb::Stream* sw = batch->streams()->Get(0);
  ASSERT_EQ(sw->labels()->size(), 2u);
  EXPECT_EQ(Str(sw->labels()->Get(0)->name()), "app");
  EXPECT_EQ(Str(sw->labels()->Get(0)->value()), "web");
  EXPECT_EQ(Str(sw->labels()->Get(1)->name()), "env");
  ASSERT_EQ(sw->entries()->size(), 2u);
  const fb::Entry* e0 = sw->entries()->Get(0);
  EXPECT_EQ(e0->timestamp_ns(), 100);
  EXPECT_EQ(Bytes(e0->line()), "web one");
  EXPECT_EQ(e0->source(), a);
  EXPECT_EQ(e0->end_offset(), 1008u);
  ASSERT_EQ(e0->structured_metadata()->size(), 2u);
  EXPECT_EQ(Str(e0->structured_metadata()->Get(1)->value()), "u-9");
  EXPECT_EQ(Bytes(sw->entries()->Get(1)->line()), "web two");
  EXPECT_EQ(sw->entries()->Get(1)->structured_metadata(), nullptr);
  const fb::Stream* sd = batch->streams()->Get(1);
  ASSERT_EQ(sd->entries()->size(), 1u);
  EXPECT_EQ(Bytes(sd->entries()->Get(0)->line()), "db one");

  ASSERT_EQ(batch->sources()->size(), 2u);
  const fb::SourceRange* ra = batch->sources()->Get(a);
  EXPECT_EQ(ra->source_id(), 0xAu);
  EXPECT_EQ(ra->start_offset(), 1000u);
  EXPECT_EQ(ra->end_offset(), 1016u);
  EXPECT_EQ(Str(ra->path()), "/var/log/a.log");
  EXPECT_EQ(batch->sources()->Get(b)->end_offset(), 50u);
}

TEST(BatchBuilderTest, LinesAreRawBytes) {
  BatchBuilder builder;
  builder.Reset(1);
  const uint32_t src = builder.AddSource(1, 0, "/bin.log");
  const uint32_t stream = builder.AddStream({});
  const std::vector<uint8_t> line = {0x00, 0xff, 0xfe, 'a', 0x00, 0xc3, 0x28};
  builder.AddEntry(stream, 1, line, src, 8);
  builder.AddEntry(stream, 2, std::string_view(), src, 9);
  const std::vector<uint8_t> payload = ThroughDecoder(builder.Finish());
  ASSERT_FALSE(payload.empty());
  const auto* entries =
      flatbuffers::GetRoot<fb::Batch>(payload.data())->streams()->Get(0)->entries();
  const auto* got = entries->Get(0)->line();
  EXPECT_EQ(std::vector<uint8_t>(got->begin(), got->end()), line);
  EXPECT_EQ(entries->Get(1)->line()->size(), 0u);
}

TEST(BatchBuilderTest, EmptyBatchIsValid) {
  BatchBuilder builder;
  builder.Reset(3);
  const std::vector<uint8_t> payload = ThroughDecoder(builder.Finish());
  ASSERT_FALSE(payload.empty());
  const fb::Batch* batch = flatbuffers::GetRoot<fb::Batch>(payload.data());
  EXPECT_EQ(batch->batch_id(), 3u);
  EXPECT_EQ(batch->streams()->size(), 0u);
  EXPECT_EQ(batch->sources()->size(), 0u);
}

TEST(BatchBuilderTest, ResetStartsAFreshBatch) {
  BatchBuilder builder;
  builder.Reset(1);
  const uint32_t src = builder.AddSource(1, 0, "/a");
  const uint32_t s0 = builder.AddStream({});
  const LabelRef l[] = {{"x", "1"}};
  const uint32_t s1 = builder.AddStream(l);
  builder.AddEntry(s0, 1, "first batch", src, 12);
  builder.AddEntry(s1, 1, "first batch too", src, 28);
  (void)builder.Finish();

  builder.Reset(2);
  EXPECT_EQ(builder.entry_count(), 0u);
  EXPECT_EQ(builder.stream_count(), 0u);
  EXPECT_EQ(builder.source_count(), 0u);
  const uint32_t src2 = builder.AddSource(2, 28, "/a");
  const uint32_t t0 = builder.AddStream(l);
  builder.AddEntry(t0, 5, "second", src2, 35);
  const std::vector<uint8_t> payload = ThroughDecoder(builder.Finish());
  ASSERT_FALSE(payload.empty());
  const fb::Batch* batch = flatbuffers::GetRoot<fb::Batch>(payload.data());
  EXPECT_EQ(batch->batch_id(), 2u);
  ASSERT_EQ(batch->streams()->size(), 1u);
  ASSERT_EQ(batch->streams()->Get(0)->entries()->size(), 1u);
  EXPECT_EQ(Bytes(batch->streams()->Get(0)->entries()->Get(0)->line()), "second");
  ASSERT_EQ(batch->sources()->size(), 1u);
  EXPECT_EQ(batch->sources()->Get(0)->source_id(), 2u);
  EXPECT_EQ(batch->sources()->Get(0)->start_offset(), 28u);
}

TEST(BatchBuilderTest, FinishTwiceReturnsTheSameBytes) {
  BatchBuilder builder;
  builder.Reset(1);
  const uint32_t src = builder.AddSource(1, 0, "/a");
  builder.AddEntry(builder.AddStream({}), 1, "x", src, 2);
  const auto first = builder.Finish();
  const std::vector<uint8_t> copy(first.begin(), first.end());
  const auto second = builder.Finish();
  EXPECT_EQ(std::vector<uint8_t>(second.begin(), second.end()), copy);
}

TEST(BatchBuilderTest, EstimatedSizeIsCloseToTheFinalSize) {
  BatchBuilder builder;
  builder.Reset(1);
  const uint32_t src = builder.AddSource(1, 0, "/var/log/app.log");
  std::vector<uint32_t> streams;
  for (int s = 0; s < 10; ++s) {
    const std::string value = "svc-" + std::to_string(s);
    const LabelRef labels[] = {{"job", value}};
    streams.push_back(builder.AddStream(labels));
  }
  uint64_t offset = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string line = "level=info i=" + std::to_string(i) + " msg=\"something happened\"";
    offset += line.size() + 1;
    builder.AddEntry(streams[static_cast<size_t>(i) % streams.size()], i, line, src, offset);
  }
  const size_t estimate = builder.EstimatedSize();
  const size_t actual = builder.Finish().size();
  EXPECT_GE(estimate, actual * 97 / 100);
  EXPECT_LE(estimate, actual * 103 / 100);
  EXPECT_EQ(builder.EstimatedSize(), actual);
}

}  // namespace
}  // namespace silt::protocol
