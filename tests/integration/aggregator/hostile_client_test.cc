// Hostile clients against the real silt-aggregator: random bytes, a frame whose payload is not a
// valid message, a frame cut mid-way and then silence, a huge declared length, and lz4 bombs
// (a payload that expands past the limit, and one that expands past what its header declares).
// Each gets a Nack or a closed connection with its reason in the server's log, without the
// server allocating what the frame claims; a well-behaved agent connected meanwhile keeps getting
// its batches acked, and everything it sent is stored once.

#include <lz4.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/frame_format.h"
#include "shared/hash/xxh3.h"
#include "tests/integration/agent/agent_harness.h"
#include "tests/integration/aggregator/aggregator_process.h"
#include "tests/unit/shared/net/net_harness.h"

namespace silt::testing {
namespace {

using protocol::FrameType;
using server::testing::AgentTestClient;
using ::testing::HasSubstr;

constexpr int64_t kTs = 1'700'000'000'000'000'000;

// A frame with the given header fields around `payload` (checksum computed unless given).
std::string Frame(FrameType type, const std::string& payload, uint16_t flags = 0,
                  uint32_t uncompressed = 0) {
  protocol::FrameHeader header;
  header.type = static_cast<uint8_t>(type);
  header.flags = flags;
  header.wire_length = static_cast<uint32_t>(payload.size());
  header.uncompressed_length = uncompressed != 0 ? uncompressed : header.wire_length;
  header.checksum = hash::Xxh3(payload);
  std::string frame(protocol::kFrameHeaderSize, '\0');
  protocol::EncodeFrameHeader(header, reinterpret_cast<uint8_t*>(frame.data()));
  return frame + payload;
}

// `size` zero bytes as one lz4 block (what a bomb looks like: tiny on the wire).
std::string Lz4OfZeros(size_t size) {
  const std::string zeros(size, '\0');
  std::string block(static_cast<size_t>(LZ4_compressBound(static_cast<int>(size))), '\0');
  const int n = LZ4_compress_default(zeros.data(), block.data(), static_cast<int>(size),
                                     static_cast<int>(block.size()));
  block.resize(static_cast<size_t>(n));
  return block;
}

class HostileClientTest : public AggregatorProcessTest {
 protected:
  // Starts the server (idle timeout 4 s) and a good agent that has been welcomed. Hostile bytes
  // are made before this: making them can take seconds under ASan on a busy machine, and the
  // good agent only talks while the test waits.
  void StartWithGoodAgent() {
    WriteConfig("  heartbeat_interval: 1s\n  idle_timeout: 4s\n");
    port_ = StartServer();
    ASSERT_NE(port_, 0);
    good_ = &Connect(port_);
    good_->SendHello("good-agent");
    ASSERT_GE(good_->WaitFor(FrameType::kWelcome), 0);
  }

  // The good agent sends its next line and gets it acked (heartbeats keep it from idling).
  void GoodAgentShipsALine() {
    const std::string line = "good line " + std::to_string(lines_.size());
    const uint64_t batch_id = lines_.size() + 1;
    good_->SendBatch(batch_id, 77, offset_, {line}, kTs + static_cast<int64_t>(lines_.size()));
    offset_ += line.size() + 1;
    lines_.push_back(line);
    EXPECT_TRUE(net::testing::RunUntil(&loop_, [&] { return Acked(batch_id); }))
        << "batch " << batch_id << "\n" << ServerLog();
  }

  // Runs the loop until `done` (30 s at most), the good agent sending a Heartbeat every 250 ms
  // so that only a silent connection meets the idle timeout.
  bool WhileGoodAgentTalks(const std::function<bool()>& done) {
    for (int i = 0; i < 120; ++i) {
      good_->SendHeartbeat(static_cast<uint64_t>(i) + 1);
      if (net::testing::RunUntil(&loop_, done, std::chrono::milliseconds(250))) return true;
    }
    return done();
  }

  bool Acked(uint64_t batch_id) const {
    for (const auto& frame : good_->received()) {
      if (frame.type == FrameType::kAck && frame.ack_batch_id == batch_id) return true;
    }
    return false;
  }

  // A hostile connection sends `bytes`; it must be closed by the server, which logs `reason`,
  // while the good agent goes on shipping.
  void ExpectClosedWithReason(const std::string& bytes, const std::string& reason,
                              bool hello_first = false) {
    AgentTestClient& bad = Connect(port_);
    if (hello_first) {
      bad.SendHello("bad-agent");
      ASSERT_GE(bad.WaitFor(FrameType::kWelcome), 0);
    }
    bad.SendRaw(bytes);
    GoodAgentShipsALine();
    EXPECT_TRUE(WhileGoodAgentTalks([&] { return bad.closed(); })) << ServerLog();
    EXPECT_TRUE(silt::agent::testing::WaitFor([&] {
      return ServerLog().find(reason) != std::string::npos;
    })) << reason << "\n" << ServerLog();
    GoodAgentShipsALine();
  }

  // Stops the server and checks the good agent's lines are stored, once each.
  void ExpectGoodLinesStoredOnce() {
    good_->Close();
    EXPECT_EQ(server_.Terminate(), 0) << ServerLog();
    EXPECT_EQ(DumpLines(), lines_);
  }

  int port_ = 0;
  AgentTestClient* good_ = nullptr;
  std::vector<std::string> lines_;
  uint64_t offset_ = 0;
};

TEST_F(HostileClientTest, RandomBytesCloseTheConnection) {
  StartWithGoodAgent();
  std::mt19937 random(20261205);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(random() & 0xff);
  noise[0] = 'X';  // not the magic's first byte, so the reason is certain
  ExpectClosedWithReason(noise, "bad magic");
  ExpectGoodLinesStoredOnce();
}

TEST_F(HostileClientTest, ValidFrameWithGarbagePayloadIsRefused) {
  StartWithGoodAgent();
  std::string garbage(512, '\x5a');
  ExpectClosedWithReason(Frame(FrameType::kBatch, garbage), "closing agent connection",
                         /*hello_first=*/true);
  EXPECT_THAT(ServerLog(), HasSubstr("code=malformed"));
  ExpectGoodLinesStoredOnce();
}

TEST_F(HostileClientTest, FrameCutMidwayThenSilenceIsClosedByTheIdleTimeout) {
  StartWithGoodAgent();
  const std::string whole = Frame(FrameType::kHeartbeat, std::string(64, '\0'));
  ExpectClosedWithReason(whole.substr(0, 30), "partial_frame_bytes=30", /*hello_first=*/true);
  ExpectGoodLinesStoredOnce();
}

TEST_F(HostileClientTest, HugeDeclaredLengthIsRefusedBeforeAllocation) {
  StartWithGoodAgent();
  protocol::FrameHeader header;
  header.type = static_cast<uint8_t>(FrameType::kBatch);
  header.wire_length = 0xfffffff0u;
  header.uncompressed_length = 0xfffffff0u;
  std::string frame(protocol::kFrameHeaderSize, '\0');
  protocol::EncodeFrameHeader(header, reinterpret_cast<uint8_t*>(frame.data()));
  ExpectClosedWithReason(frame, "code=too_large", /*hello_first=*/true);
  ExpectGoodLinesStoredOnce();
}

TEST_F(HostileClientTest, Lz4BombBeyondTheUncompressedLimitIsRefused) {
  // 200 MiB of zeros is under 1 MiB on the wire; max_uncompressed_bytes is 64 MiB.
  const uint32_t declared = 200u << 20;
  const std::string bomb =
      Frame(FrameType::kBatch, Lz4OfZeros(declared), protocol::kFlagLz4, declared);
  StartWithGoodAgent();
  ExpectClosedWithReason(bomb, "code=too_large", /*hello_first=*/true);
  ExpectGoodLinesStoredOnce();
}

TEST_F(HostileClientTest, Lz4BlockExpandingPastItsDeclaredSizeIsRefused) {
  // Declares 4 KiB, expands to 1 MiB: decompression must stop at the declared size.
  const std::string liar = Frame(FrameType::kBatch, Lz4OfZeros(1u << 20), protocol::kFlagLz4, 4096);
  StartWithGoodAgent();
  ExpectClosedWithReason(liar,
                         "closing agent connection", /*hello_first=*/true);
  EXPECT_THAT(ServerLog(), HasSubstr("code=malformed"));
  ExpectGoodLinesStoredOnce();
}

}  // namespace
}  // namespace silt::testing
