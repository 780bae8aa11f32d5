#include "tests/unit/agent/ship/fake_aggregator.h"

#include <gtest/gtest.h>

#include <utility>

namespace silt::agent::testing {

void FakeAggregator::Accept(std::unique_ptr<net::ByteStream> stream) {
  stream_ = std::move(stream);
  stream_->SetHandler(this);
  decoder_.emplace();
  ++connections_;
}

void FakeAggregator::Send(const std::vector<uint8_t>& frame) {
  if (stream_ != nullptr) stream_->Write(std::string(frame.begin(), frame.end()));
}

void FakeAggregator::Ack(uint64_t batch_id) {
  std::vector<uint8_t> frame;
  ASSERT_TRUE(protocol::EncodeAck(batch_id, &frame).ok());
  Send(frame);
}

void FakeAggregator::Nack(uint64_t batch_id, protocol::fb::NackCode code,
                          uint32_t retry_after_ms) {
  protocol::NackMessage nack;
  nack.batch_id = batch_id;
  nack.code = code;
  nack.retry_after_ms = retry_after_ms;
  nack.reason = "test nack";
  std::vector<uint8_t> frame;
  ASSERT_TRUE(protocol::EncodeNack(nack, &frame).ok());
  Send(frame);
}

void FakeAggregator::Goodbye(uint32_t reconnect_after_ms) {
  protocol::GoodbyeMessage goodbye;
  goodbye.reason = "test goodbye";
  goodbye.reconnect_after_ms = reconnect_after_ms;
  std::vector<uint8_t> frame;
  ASSERT_TRUE(protocol::EncodeGoodbye(goodbye, &frame).ok());
  Send(frame);
  stream_->Shutdown();
}

void FakeAggregator::SendHeartbeat(uint64_t sequence) {
  protocol::HeartbeatMessage beat;
  beat.sequence = sequence;
  beat.sent_at_ns = 42;
  std::vector<uint8_t> frame;
  ASSERT_TRUE(protocol::EncodeHeartbeat(beat, &frame).ok());
  Send(frame);
}

void FakeAggregator::Drop() {
  if (stream_ != nullptr) stream_->Close();
}

std::vector<uint64_t> FakeAggregator::batch_ids() const {
  std::vector<uint64_t> ids;
  for (const ReceivedBatch& batch : batches_) ids.push_back(batch.id);
  return ids;
}

void FakeAggregator::OnData(std::string_view bytes) {
  decoder_->Feed(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  while (true) {
    Result<std::optional<protocol::Frame>> next = decoder_->Next();
    ASSERT_TRUE(next.ok()) << next.status();
    if (!next->has_value()) return;
    Handle(**next);
  }
}

void FakeAggregator::OnClosed(const Status&) { stream_.reset(); }

void FakeAggregator::Handle(const protocol::Frame& frame) {
  if (const auto* hello = frame.AsHello(); hello != nullptr) {
    hellos_.push_back(protocol::ReadHello(*hello));
    std::vector<uint8_t> out;
    ASSERT_TRUE(protocol::EncodeWelcome(welcome, &out).ok());
    Send(out);
  } else if (const auto* batch = frame.AsBatch(); batch != nullptr) {
    ReceivedBatch received;
    received.id = batch->batch_id();
    received.lz4 = frame.lz4();
    for (const auto* range : *batch->sources()) {
      received.ranges.push_back({range->source_id(), range->start_offset(), range->end_offset()});
    }
    for (const auto* stream : *batch->streams()) {
      std::string labels;
      for (const auto* label : *stream->labels()) {
        labels += label->name()->str() + "=" + label->value()->str() + ",";
      }
      for (const auto* entry : *stream->entries()) {
        received.lines.emplace_back(reinterpret_cast<const char*>(entry->line()->data()),
                                    entry->line()->size());
        received.end_offsets.push_back(entry->end_offset());
        received.timestamps.push_back(entry->timestamp_ns());
        received.labels.push_back(labels);
      }
    }
    batches_.push_back(std::move(received));
    if (auto_ack) Ack(batch->batch_id());
  } else if (const auto* beat = frame.AsHeartbeat(); beat != nullptr) {
    heartbeats_.push_back(protocol::ReadHeartbeat(*beat));
  } else if (frame.AsGoodbye() != nullptr) {
    ++goodbyes_;
  }
}

}  // namespace silt::agent::testing
