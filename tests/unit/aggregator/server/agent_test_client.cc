#include "tests/unit/aggregator/server/agent_test_client.h"

#include <gtest/gtest.h>

#include "tests/unit/shared/net/net_harness.h"

namespace silt::server::testing {

AgentTestClient::AgentTestClient(uv_loop_t* loop, int port) : loop_(loop) {
  net::ConnectOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  Result<std::unique_ptr<net::ByteStream>> stream = net::testing::ConnectNow(loop, options);
  if (!stream.ok()) {
    ADD_FAILURE() << stream.status();
    return;
  }
  stream_ = std::move(*stream);
  stream_->SetHandler(this);
}

AgentTestClient::~AgentTestClient() = default;

void AgentTestClient::SendRaw(std::string bytes) { stream_->Write(std::move(bytes)); }

void AgentTestClient::SendFrame(protocol::FrameType type, std::span<const uint8_t> payload) {
  std::vector<uint8_t> frame;
  ASSERT_TRUE(protocol::FrameEncoder().Encode(type, payload, &frame).ok());
  SendRaw(std::string(frame.begin(), frame.end()));
}

void AgentTestClient::SendHello(const std::string& agent_id, const std::string& token) {
  protocol::HelloMessage hello;
  hello.agent_id = agent_id;
  hello.host = "test-host";
  hello.agent_version = "test";
  hello.token = token;
  std::vector<uint8_t> frame;
  ASSERT_TRUE(protocol::EncodeHello(hello, &frame).ok());
  SendRaw(std::string(frame.begin(), frame.end()));
}

void AgentTestClient::SendBatch(uint64_t batch_id, uint64_t source_id, uint64_t start,
                                const std::vector<std::string>& lines, int64_t first_ts) {
  builder_.Reset(batch_id);
  const uint32_t source = builder_.AddSource(source_id, start, "/var/log/test.log");
  const protocol::LabelRef job[] = {{"job", "test"}};
  const uint32_t stream = builder_.AddStream(job);
  uint64_t offset = start;
  int64_t ts = first_ts;
  for (const std::string& line : lines) {
    offset += line.size() + 1;
    builder_.AddEntry(stream, ts++, line, source, offset);
  }
  SendFrame(protocol::FrameType::kBatch, builder_.Finish());
}

void AgentTestClient::SendHeartbeat(uint64_t sequence) {
  std::vector<uint8_t> frame;
  ASSERT_TRUE(protocol::EncodeHeartbeat({sequence, 42, false}, &frame).ok());
  SendRaw(std::string(frame.begin(), frame.end()));
}

int AgentTestClient::WaitFor(protocol::FrameType type) {
  size_t seen = 0;
  int found = -1;
  net::testing::RunUntil(loop_, [&] {
    for (; seen < received_.size(); ++seen) {
      if (received_[seen].type == type) {
        found = static_cast<int>(seen);
        return true;
      }
    }
    return closed_;
  });
  for (; found < 0 && seen < received_.size(); ++seen) {
    if (received_[seen].type == type) found = static_cast<int>(seen);
  }
  return found;
}

bool AgentTestClient::WaitClosed() {
  return net::testing::RunUntil(loop_, [&] { return closed_; });
}

void AgentTestClient::OnData(std::string_view bytes) {
  decoder_.Feed(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  for (;;) {
    Result<std::optional<protocol::Frame>> next = decoder_.Next();
    if (!next.ok()) {
      ADD_FAILURE() << "the aggregator sent a bad frame: " << next.status();
      return;
    }
    if (!next->has_value()) return;
    const protocol::Frame& frame = **next;
    Received r{frame.type()};
    switch (frame.type()) {
      case protocol::FrameType::kWelcome: r.welcome = protocol::ReadWelcome(*frame.AsWelcome()); break;
      case protocol::FrameType::kAck: r.ack_batch_id = frame.AsAck()->batch_id(); break;
      case protocol::FrameType::kNack: r.nack = protocol::ReadNack(*frame.AsNack()); break;
      case protocol::FrameType::kHeartbeat:
        r.heartbeat = protocol::ReadHeartbeat(*frame.AsHeartbeat());
        break;
      case protocol::FrameType::kGoodbye: r.goodbye = protocol::ReadGoodbye(*frame.AsGoodbye()); break;
      default: ADD_FAILURE() << "unexpected frame type"; break;
    }
    received_.push_back(std::move(r));
  }
}

void AgentTestClient::OnClosed(const Status&) { closed_ = true; }

}  // namespace silt::server::testing
