// A test agent: a real plain TCP connection (shared/net) to an AgentListener, sending protocol
// frames and decoding what the aggregator answers into simple records. Loop thread only.
#pragma once

#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/frame_decoder.h"
#include "protocol/frame_encoder.h"
#include "protocol/messages.h"
#include "shared/net/byte_stream.h"

namespace silt::server::testing {

// One frame received from the aggregator.
struct Received {
  protocol::FrameType type;
  protocol::WelcomeMessage welcome;      // kWelcome
  uint64_t ack_batch_id = 0;             // kAck
  protocol::NackMessage nack;            // kNack
  protocol::HeartbeatMessage heartbeat;  // kHeartbeat
  protocol::GoodbyeMessage goodbye;      // kGoodbye
};

class AgentTestClient : public net::StreamHandler {
 public:
  // Connects to 127.0.0.1:`port` on `loop`, running the loop until connected. ok() tells.
  AgentTestClient(uv_loop_t* loop, int port);
  ~AgentTestClient() override;

  bool ok() const { return stream_ != nullptr; }
  // Ends the connection at once (OnClosed follows on a later loop turn).
  void Close() {
    if (stream_ != nullptr && !closed_) stream_->Close();
  }
  void SendHello(const std::string& agent_id, const std::string& token = "");
  void SendRaw(std::string bytes);
  void SendFrame(protocol::FrameType type, std::span<const uint8_t> payload);
  // A batch of `lines` from source `source_id`, each line `n` bytes + "\n" long, starting at
  // file offset `start`; all in stream {job="test"}.
  void SendBatch(uint64_t batch_id, uint64_t source_id, uint64_t start,
                 const std::vector<std::string>& lines, int64_t first_ts);
  void SendHeartbeat(uint64_t sequence);

  // Runs the loop until a frame of `type` is received (or the stream closed, or 30 s);
  // returns its index in received(), or -1.
  int WaitFor(protocol::FrameType type);
  // Runs the loop until the stream has closed (30 s at most).
  bool WaitClosed();

  const std::vector<Received>& received() const { return received_; }
  bool closed() const { return closed_; }

  void OnData(std::string_view bytes) override;
  void OnClosed(const Status& why) override;

 private:
  uv_loop_t* loop_;
  std::unique_ptr<net::ByteStream> stream_;
  protocol::FrameDecoder decoder_;
  protocol::BatchBuilder builder_{4096};
  std::vector<Received> received_;
  bool closed_ = false;
};

}  // namespace silt::server::testing
