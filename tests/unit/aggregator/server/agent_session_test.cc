// AgentSession and AgentListener over real loopback sockets, pushing into a real StorageEngine
// in a temp dir (or a scripted push function for the failure paths).
#include "aggregator/server/agent_session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aggregator/server/agent_listener.h"
#include "aggregator/server/nack_policy.h"
#include "shared/fs/posix_file_system.h"
#include "shared/log/memory_sink.h"
#include "shared/time/clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/server/agent_test_client.h"
#include "tests/unit/shared/net/net_harness.h"

namespace silt::server {
namespace {

using protocol::FrameType;
using protocol::fb::NackCode;
using testing::AgentTestClient;
using ::testing::HasSubstr;

constexpr int64_t kTs = 1'700'000'000'000'000'000;

class AgentSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    engine::EngineOptions options;
    options.fs = &fs_;
    options.clock = &clock_;
    options.data_dir = dir_.Path("data");
    options.background_flush = false;
    auto engine = engine::StorageEngine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = std::move(*engine);
    options_.listen.port = 0;
    push_ = [this](engine::PushRequest request, engine::PushCallback done) {
      return engine_->Push(std::move(request), std::move(done));
    };
  }
  void TearDown() override {
    for (auto& client : clients_) client->Close();
    if (listener_ != nullptr) {
      bool drained = false;
      listener_->Drain([&] { drained = true; });
      EXPECT_TRUE(net::testing::RunUntil(&loop_, [&] { return drained; }));
      listener_.reset();
    }
    clients_.clear();
    EXPECT_EQ(net::testing::DrainAndCloseLoop(&loop_), 0);
    if (engine_ != nullptr) {
      EXPECT_TRUE(engine_->Close().ok());
    }
  }

  void StartListener() {
    auto listener = AgentListener::Start(&loop_, options_, push_, &registry_, &logger_, &clock_);
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = std::move(*listener);
  }
  AgentTestClient& Connect() {
    clients_.push_back(std::make_unique<AgentTestClient>(&loop_, listener_->port()));
    EXPECT_TRUE(clients_.back()->ok());
    return *clients_.back();
  }
  AgentTestClient& ConnectWelcomed(const std::string& agent_id = "agent-1") {
    AgentTestClient& client = Connect();
    client.SendHello(agent_id);
    EXPECT_GE(client.WaitFor(FrameType::kWelcome), 0);
    return client;
  }
  std::vector<std::string> StoredLines(const std::string& tenant = "fake") {
    auto matcher = labels::Matcher::Create(labels::MatchType::kEqual, "job", "test");
    EXPECT_TRUE(matcher.ok());
    auto selected = engine_->Select(tenant, std::span(&*matcher, 1), 0, INT64_MAX);
    EXPECT_TRUE(selected.ok()) << selected.status();
    std::vector<std::string> lines;
    if (!selected.ok()) return lines;
    for (const auto& stream : *selected) {
      for (auto it = stream.NewIterator(0, INT64_MAX, store::Direction::kForward); it.Valid();
           it.Next()) {
        lines.emplace_back(it.line());
      }
    }
    return lines;
  }
  // Runs the loop until `client` has received `count` frames after its Welcome; then they are
  // described as "ack <id>" or "nack <id> <code>".
  std::vector<std::string> Answers(AgentTestClient& client, size_t count) {
    net::testing::RunUntil(&loop_, [&] { return client.received().size() >= count + 1; });
    std::vector<std::string> answers;
    for (size_t i = 1; i < client.received().size(); ++i) {
      const testing::Received& r = client.received()[i];
      if (r.type == FrameType::kAck) answers.push_back("ack " + std::to_string(r.ack_batch_id));
      if (r.type == FrameType::kNack) {
        answers.push_back("nack " + std::to_string(r.nack.batch_id) + " " +
                          std::string(protocol::NackCodeName(r.nack.code)));
      }
    }
    return answers;
  }
  double Metric(const std::string& text) {
    const std::string exposed = registry_.Expose();
    const size_t at = exposed.find("\n" + text + " ");
    if (at == std::string::npos) return 0;
    return std::stod(exposed.substr(at + text.size() + 2));
  }

  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  time::SystemClock clock_;
  log::MemorySink sink_;
  log::Logger logger_{log::LoggerOptions{.sink = &sink_}};
  metrics::Registry registry_;
  uv_loop_t loop_;
  std::unique_ptr<engine::StorageEngine> engine_;
  AgentListenerOptions options_;
  PushFn push_;
  std::unique_ptr<AgentListener> listener_;
  std::vector<std::unique_ptr<AgentTestClient>> clients_;
};

TEST_F(AgentSessionTest, HelloGetsWelcomeWithTheConfiguredLimits) {
  options_.session.max_inflight_batches = 3;
  options_.session.heartbeat_interval_ns = 5'000 * kMillisecondNs;
  options_.session.idle_timeout_ns = 20'000 * kMillisecondNs;
  options_.session.server_version = "9.9";
  StartListener();
  AgentTestClient& client = Connect();
  client.SendHello("agent-1");
  const int at = client.WaitFor(FrameType::kWelcome);
  ASSERT_GE(at, 0);
  const protocol::WelcomeMessage& w = client.received()[at].welcome;
  EXPECT_EQ(w.tenant, "fake");
  EXPECT_EQ(w.server_version, "9.9");
  EXPECT_EQ(w.max_inflight_batches, 3u);
  EXPECT_EQ(w.heartbeat_interval_ms, 5000u);
  EXPECT_EQ(w.idle_timeout_ms, 20000u);
  EXPECT_TRUE(w.ordered_sources);
  EXPECT_EQ(w.max_wire_bytes, protocol::kDefaultMaxWireBytes);
  EXPECT_NE(w.session_id, 0u);
  EXPECT_EQ(Metric("silt_agent_sessions"), 1);
}

TEST_F(AgentSessionTest, BatchIsAckedAndStored) {
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  client.SendBatch(1, 77, 0, {"first", "second"}, kTs);
  const int at = client.WaitFor(FrameType::kAck);
  ASSERT_GE(at, 0);
  EXPECT_EQ(client.received()[at].ack_batch_id, 1u);
  EXPECT_THAT(StoredLines(), ::testing::ElementsAre("first", "second"));
  EXPECT_EQ(Metric("silt_agent_batches_acked_total"), 1);
  EXPECT_EQ(Metric("silt_agent_entries_total{outcome=\"accepted\"}"), 2);
}

TEST_F(AgentSessionTest, RedeliveryIsDroppedAndPartialOverlapTrimmed) {
  StartListener();
  AgentTestClient& first = ConnectWelcomed();
  first.SendBatch(1, 77, 0, {"a", "b"}, kTs);  // bytes [0, 4)
  ASSERT_GE(first.WaitFor(FrameType::kAck), 0);
  // A reconnected agent resends from offset 0 and adds "c".
  AgentTestClient& second = ConnectWelcomed();
  second.SendBatch(1, 77, 0, {"a", "b", "c"}, kTs);
  ASSERT_GE(second.WaitFor(FrameType::kAck), 0);
  EXPECT_THAT(StoredLines(), ::testing::ElementsAre("a", "b", "c"));
  EXPECT_EQ(Metric("silt_agent_entries_total{outcome=\"redelivered\"}"), 2);
}

TEST_F(AgentSessionTest, UnknownTokenIsUnauthenticatedAndClosed) {
  options_.auth.tokens = {{"secret", "team-a"}};
  StartListener();
  AgentTestClient& bad = Connect();
  bad.SendHello("agent-1", "wrong");
  const int at = bad.WaitFor(FrameType::kNack);
  ASSERT_GE(at, 0);
  EXPECT_EQ(bad.received()[at].nack.code, NackCode::unauthenticated);
  EXPECT_THAT(bad.received()[at].nack.reason, ::testing::Not(HasSubstr("wrong")));
  EXPECT_GE(bad.WaitFor(FrameType::kGoodbye), 0);
  EXPECT_TRUE(bad.WaitClosed());

  AgentTestClient& good = Connect();
  good.SendHello("agent-2", "secret");
  const int welcome = good.WaitFor(FrameType::kWelcome);
  ASSERT_GE(welcome, 0);
  EXPECT_EQ(good.received()[welcome].welcome.tenant, "team-a");
  good.SendBatch(1, 5, 0, {"x"}, kTs);
  ASSERT_GE(good.WaitFor(FrameType::kAck), 0);
  EXPECT_THAT(StoredLines("team-a"), ::testing::ElementsAre("x"));
}

TEST_F(AgentSessionTest, BatchBeforeHelloIsMalformed) {
  StartListener();
  AgentTestClient& client = Connect();
  client.SendBatch(1, 77, 0, {"a"}, kTs);
  const int at = client.WaitFor(FrameType::kNack);
  ASSERT_GE(at, 0);
  EXPECT_EQ(client.received()[at].nack.code, NackCode::malformed);
  EXPECT_THAT(client.received()[at].nack.reason, HasSubstr("expected Hello"));
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_TRUE(StoredLines().empty());
}

TEST_F(AgentSessionTest, GarbageBytesGetNackAndClose) {
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  client.SendRaw(std::string(64, 'x'));
  const int at = client.WaitFor(FrameType::kNack);
  ASSERT_GE(at, 0);
  EXPECT_EQ(client.received()[at].nack.code, NackCode::malformed);
  EXPECT_THAT(client.received()[at].nack.reason, HasSubstr("malformed frame"));
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(Metric("silt_agent_frame_errors_total"), 1);
  // The server is fine: another agent gets through.
  AgentTestClient& next = ConnectWelcomed("agent-2");
  next.SendBatch(1, 9, 0, {"ok"}, kTs);
  EXPECT_GE(next.WaitFor(FrameType::kAck), 0);
}

TEST_F(AgentSessionTest, OversizeFrameIsTooLarge) {
  options_.session.frame_limits.max_wire_bytes = 1024;
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  client.SendBatch(1, 77, 0, {net::testing::Payload(4000)}, kTs);
  const int at = client.WaitFor(FrameType::kNack);
  ASSERT_GE(at, 0);
  EXPECT_EQ(client.received()[at].nack.code, NackCode::too_large);
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(AgentSessionTest, InvalidLabelsNackTheBatchButKeepTheSession) {
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  protocol::BatchBuilder builder;
  builder.Reset(1);
  const uint32_t source = builder.AddSource(3, 0, "/x");
  const protocol::LabelRef reserved[] = {{"__bad", "x"}};
  builder.AddEntry(builder.AddStream(reserved), kTs, "line", source, 5);
  client.SendFrame(FrameType::kBatch, builder.Finish());
  const int at = client.WaitFor(FrameType::kNack);
  ASSERT_GE(at, 0);
  EXPECT_EQ(client.received()[at].nack.code, NackCode::malformed);
  EXPECT_EQ(client.received()[at].nack.batch_id, 1u);
  client.SendBatch(2, 3, 0, {"fine"}, kTs);
  EXPECT_GE(client.WaitFor(FrameType::kAck), 0);
  EXPECT_FALSE(client.closed());
}

TEST_F(AgentSessionTest, EngineBackpressureBecomesNackWithRetry) {
  push_ = [](engine::PushRequest, engine::PushCallback) {
    return Status::ResourceExhausted("head memory is full (1 of 1 bytes); retry shortly");
  };
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  client.SendBatch(1, 77, 0, {"a"}, kTs);
  const int at = client.WaitFor(FrameType::kNack);
  ASSERT_GE(at, 0);
  EXPECT_EQ(client.received()[at].nack.code, NackCode::wal_full);
  EXPECT_GT(client.received()[at].nack.retry_after_ms, 0u);
  EXPECT_EQ(Metric("silt_agent_batches_nacked_total{code=\"wal_full\"}"), 1);
}

TEST_F(AgentSessionTest, DurabilityFailureBecomesNack) {
  push_ = [](engine::PushRequest, engine::PushCallback done) {
    done(Status::IOError("fdatasync wal: Input/output error"), engine::PushOutcome{});
    return Status::Ok();
  };
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  client.SendBatch(1, 77, 0, {"a"}, kTs);
  const int at = client.WaitFor(FrameType::kNack);
  ASSERT_GE(at, 0);
  EXPECT_EQ(client.received()[at].nack.code, NackCode::internal);
  EXPECT_EQ(client.received()[at].nack.retry_after_ms, kRetryWalStoppedMs);
}

// Batch 1 of source 77 is refused (head full) while batch 2 of 77 is right behind it: batch 2
// must be refused too, or the source's mark would pass batch 1 and its resend would be dropped.
TEST_F(AgentSessionTest, LaterBatchOfARefusedSourceIsRefusedUntilTheResend) {
  int refusals = 0;
  push_ = [this, &refusals](engine::PushRequest request, engine::PushCallback done) {
    if (request.sources.at(0).source_id == 77 && request.sources[0].start == 0 && refusals++ == 0) {
      return Status::ResourceExhausted("head memory is full (1 of 1 bytes); retry shortly");
    }
    return engine_->Push(std::move(request), std::move(done));
  };
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  client.SendBatch(1, 77, 0, {"a", "b"}, kTs);      // bytes [0, 4)
  client.SendBatch(2, 77, 4, {"c", "d"}, kTs + 2);  // bytes [4, 8)
  client.SendBatch(3, 88, 0, {"x"}, kTs + 4);       // another source goes on
  EXPECT_THAT(Answers(client, 3),
              ::testing::ElementsAre("nack 1 wal_full", "nack 2 out_of_order", "ack 3"));
  EXPECT_EQ(client.received()[2].nack.retry_after_ms, kRetryOutOfOrderMs);
  EXPECT_THAT(client.received()[2].nack.reason, HasSubstr("at or before offset 0"));
  client.SendBatch(2, 77, 4, {"c", "d"}, kTs + 2);  // still before the resend of 1
  EXPECT_THAT(Answers(client, 4), ::testing::Contains("nack 2 out_of_order"));
  // The agent resends in order.
  client.SendBatch(1, 77, 0, {"a", "b"}, kTs);
  client.SendBatch(2, 77, 4, {"c", "d"}, kTs + 2);
  EXPECT_THAT(Answers(client, 6), ::testing::IsSupersetOf({"ack 1", "ack 2"}));
  EXPECT_THAT(StoredLines(), ::testing::ElementsAre("a", "b", "c", "d", "x"));
  // The mark ends at 8: a repeat of everything is dropped, nothing stored twice.
  client.SendBatch(4, 77, 0, {"a", "b", "c", "d"}, kTs);
  EXPECT_EQ(Answers(client, 7).back(), "ack 4");
  EXPECT_THAT(StoredLines(), ::testing::ElementsAre("a", "b", "c", "d", "x"));
  EXPECT_EQ(Metric("silt_agent_entries_total{outcome=\"redelivered\"}"), 4);
  EXPECT_EQ(Metric("silt_agent_batches_nacked_total{code=\"out_of_order\"}"), 2);
}

TEST_F(AgentSessionTest, RefusalAfterTheWalWriteHoldsBackLaterBatchesToo) {
  int failures = 0;
  push_ = [this, &failures](engine::PushRequest request, engine::PushCallback done) {
    if (request.sources.at(0).start == 0 && failures++ == 0) {
      done(Status::ResourceExhausted("WAL disk full"), engine::PushOutcome{});
      return Status::Ok();
    }
    return engine_->Push(std::move(request), std::move(done));
  };
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  client.SendBatch(1, 77, 0, {"a"}, kTs);
  EXPECT_THAT(Answers(client, 1), ::testing::ElementsAre("nack 1 disk_full"));
  client.SendBatch(2, 77, 2, {"b"}, kTs + 1);
  EXPECT_THAT(Answers(client, 2).back(), "nack 2 out_of_order");
  client.SendBatch(1, 77, 0, {"a"}, kTs);
  client.SendBatch(2, 77, 2, {"b"}, kTs + 1);
  EXPECT_THAT(Answers(client, 4), ::testing::IsSupersetOf({"ack 1", "ack 2"}));
  EXPECT_THAT(StoredLines(), ::testing::ElementsAre("a", "b"));
}

TEST_F(AgentSessionTest, SingleEntryRefusedForGoodLetsTheSourceResumeAfterIt) {
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  protocol::BatchBuilder builder;
  const protocol::LabelRef reserved[] = {{"__bad", "x"}};
  builder.Reset(1);  // two entries: the agent splits and resends from offset 0
  uint32_t source = builder.AddSource(3, 0, "/x");
  uint32_t stream = builder.AddStream(reserved);
  builder.AddEntry(stream, kTs, "one", source, 4);
  builder.AddEntry(stream, kTs, "two", source, 8);
  client.SendFrame(FrameType::kBatch, builder.Finish());
  client.SendBatch(2, 3, 8, {"later"}, kTs);
  EXPECT_THAT(Answers(client, 2),
              ::testing::ElementsAre("nack 1 malformed", "nack 2 out_of_order"));
  // The agent splits 1 into single entries; both are refused for good and it drops them.
  builder.Reset(3);
  source = builder.AddSource(3, 0, "/x");
  builder.AddEntry(builder.AddStream(reserved), kTs, "one", source, 4);
  client.SendFrame(FrameType::kBatch, builder.Finish());
  builder.Reset(4);
  source = builder.AddSource(3, 4, "/x");
  builder.AddEntry(builder.AddStream(reserved), kTs, "two", source, 8);
  client.SendFrame(FrameType::kBatch, builder.Finish());
  client.SendBatch(2, 3, 8, {"later"}, kTs);
  EXPECT_THAT(Answers(client, 5),
              ::testing::ElementsAre("nack 1 malformed", "nack 2 out_of_order", "nack 3 malformed",
                                     "nack 4 malformed", "ack 2"));
  EXPECT_THAT(StoredLines(), ::testing::ElementsAre("later"));
}

TEST_F(AgentSessionTest, HeartbeatIsAnswered) {
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  client.SendHeartbeat(7);
  const int at = client.WaitFor(FrameType::kHeartbeat);
  ASSERT_GE(at, 0);
  EXPECT_TRUE(client.received()[at].heartbeat.reply);
  EXPECT_EQ(client.received()[at].heartbeat.sequence, 7u);
  EXPECT_EQ(client.received()[at].heartbeat.sent_at_ns, 42);
}

TEST_F(AgentSessionTest, IdleSessionGetsGoodbye) {
  options_.session.heartbeat_interval_ns = 0;
  options_.session.idle_timeout_ns = 100 * kMillisecondNs;
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  const int at = client.WaitFor(FrameType::kGoodbye);
  ASSERT_GE(at, 0);
  EXPECT_THAT(client.received()[at].goodbye.reason, HasSubstr("idle timeout"));
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(Metric("silt_agent_idle_timeouts_total"), 1);
}

TEST_F(AgentSessionTest, DrainAnswersInFlightBatchesThenSaysGoodbye) {
  // Outcomes are held back until the drain has started.
  std::vector<engine::PushCallback> held;
  push_ = [&](engine::PushRequest, engine::PushCallback done) {
    held.push_back(std::move(done));
    return Status::Ok();
  };
  options_.reconnect_after_ms = 1234;
  StartListener();
  AgentTestClient& client = ConnectWelcomed();
  client.SendBatch(1, 77, 0, {"a"}, kTs);
  ASSERT_TRUE(net::testing::RunUntil(&loop_, [&] { return held.size() == 1; }));
  bool drained = false;
  listener_->Drain([&] { drained = true; });
  net::testing::RunUntil(
      &loop_, [&] { return false; }, std::chrono::milliseconds(50));
  for (const testing::Received& r : client.received()) {
    EXPECT_NE(r.type, FrameType::kGoodbye) << "Goodbye before the batch was answered";
  }
  held[0](Status::Ok(), engine::PushOutcome{1, 1, 0, 0, {}});
  const int ack = client.WaitFor(FrameType::kAck);
  const int goodbye = client.WaitFor(FrameType::kGoodbye);
  ASSERT_GE(ack, 0);
  ASSERT_GT(goodbye, ack);
  EXPECT_EQ(client.received()[goodbye].goodbye.reconnect_after_ms, 1234u);
  EXPECT_TRUE(net::testing::RunUntil(&loop_, [&] { return drained; }));
  listener_.reset();
}

}  // namespace
}  // namespace silt::server
