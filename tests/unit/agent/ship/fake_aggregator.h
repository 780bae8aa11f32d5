// FakeAggregator: the aggregator's side of the agent protocol for shipper unit tests, on the
// server ends FakeConnector hands out. It decodes every frame (protocol/FrameDecoder), answers a
// Hello with `welcome`, records batches (id, lines, source ranges) and heartbeats, and acks,
// nacks, says goodbye or drops the connection when the test says so (or acks at once with
// auto_ack). Not thread-safe: the test's thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/frame_decoder.h"
#include "protocol/messages.h"
#include "shared/net/byte_stream.h"

namespace silt::agent::testing {

struct ReceivedRange {
  uint64_t source_id;
  uint64_t start;
  uint64_t end;
};

struct ReceivedBatch {
  uint64_t id = 0;
  std::vector<std::string> lines;
  std::vector<uint64_t> end_offsets;
  std::vector<int64_t> timestamps;  // per line
  std::vector<ReceivedRange> ranges;
  std::vector<std::string> labels;  // per line, "name=value,..." of its stream
  bool lz4 = false;
};

class FakeAggregator final : public net::StreamHandler {
 public:
  protocol::WelcomeMessage welcome;
  bool auto_ack = false;

  void Accept(std::unique_ptr<net::ByteStream> stream);

  void Ack(uint64_t batch_id);
  void Nack(uint64_t batch_id, protocol::fb::NackCode code, uint32_t retry_after_ms);
  void Goodbye(uint32_t reconnect_after_ms);
  void SendHeartbeat(uint64_t sequence);
  // Closes the current connection (the agent sees OnClosed).
  void Drop();

  bool connected() const { return stream_ != nullptr; }
  int connections() const { return connections_; }
  const std::vector<protocol::HelloMessage>& hellos() const { return hellos_; }
  const std::vector<ReceivedBatch>& batches() const { return batches_; }
  std::vector<uint64_t> batch_ids() const;
  const std::vector<protocol::HeartbeatMessage>& heartbeats() const { return heartbeats_; }
  int goodbyes_received() const { return goodbyes_; }

  void OnData(std::string_view bytes) override;
  void OnClosed(const Status& why) override;

 private:
  void Send(const std::vector<uint8_t>& frame);
  void Handle(const protocol::Frame& frame);

  std::unique_ptr<net::ByteStream> stream_;
  std::optional<protocol::FrameDecoder> decoder_;
  int connections_ = 0;
  std::vector<protocol::HelloMessage> hellos_;
  std::vector<ReceivedBatch> batches_;
  std::vector<protocol::HeartbeatMessage> heartbeats_;
  int goodbyes_ = 0;
};

}  // namespace silt::agent::testing
