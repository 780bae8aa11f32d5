#include "agent/ship/shipper_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "shared/fs/posix_file_system.h"
#include "shared/log/memory_sink.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/agent/ship/fake_aggregator.h"
#include "tests/unit/agent/ship/stream_pair.h"

namespace silt::agent {
namespace {

using protocol::fb::NackCode;
using ::testing::ElementsAre;

constexpr int64_t kMs = 1'000'000;

class ShipperSinkTest : public ::testing::Test {
 protected:
  ShipperSinkTest()
      : store_(&fs_, dir_.Path("positions")),
        logger_(log::LoggerOptions{log::Level::kDebug, &log_sink_, &clock_}),
        connector_(&clock_, [this](std::unique_ptr<net::ByteStream> server) {
          aggregator_.Accept(std::move(server));
        }) {
    metrics_ = std::move(*ShipperMetrics::Create(&registry_));
    for (uint64_t id : {1, 2, 3}) {
      Position position;
      position.source_id = id;
      position.path = "/var/log/" + std::to_string(id) + ".log";
      store_.Put(position);
    }
    aggregator_.welcome.max_inflight_batches = 8;
    options_.agent_id = "0123456789abcdef0123456789abcdef";
    options_.host = "web-01";
    options_.agent_version = "0.1.0";
    options_.token = "secret";
    options_.linger_ns = 0;  // one batch per Deliver unless a test lingers
    options_.backoff_min_ns = 100 * kMs;
    options_.backoff_max_ns = 1000 * kMs;
  }

  void Start() {
    sink_ = std::make_unique<ShipperSink>(
        options_, [this](net::ConnectFn done) { return connector_.Connect(std::move(done)); },
        &store_, &clock_, &clock_, metrics_.get(),
        [](const std::string&) {
          return labels::LabelSet::Of({{"job", "test"}});
        },
        &logger_);
    sink_->SetPauseCallback([this](bool paused) { pauses_.push_back(paused); });
    sink_->Start();
    clock_.RunDue();
  }

  // A chunk of `source` starting at `start`, one line per text (each followed by '\n').
  static Batch Lines(uint64_t source, uint64_t start, const std::vector<std::string>& texts) {
    SourceChunk chunk;
    chunk.source_id = source;
    chunk.path = "/var/log/" + std::to_string(source) + ".log";
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
    Batch batch;
    batch.lines = texts.size();
    batch.chunks.push_back(std::move(chunk));
    return batch;
  }

  void Deliver(Batch batch) {
    sink_->Deliver(std::move(batch));
    clock_.RunDue();
  }
  uint64_t Offset(uint64_t source) const { return store_.Find(source)->offset; }
  double Nacked(const std::string& code) {
    return metrics_->batches_nacked->WithLabels({code}).Value();
  }

  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  PositionsStore store_;
  time::FakeClock clock_;
  log::MemorySink log_sink_;
  log::Logger logger_;
  metrics::Registry registry_;
  std::unique_ptr<ShipperMetrics> metrics_;
  testing::FakeAggregator aggregator_;
  testing::FakeConnector connector_;
  ShipperSink::Options options_;
  std::unique_ptr<ShipperSink> sink_;
  std::vector<bool> pauses_;
  std::vector<std::unique_ptr<net::ByteStream>> silent_streams_;
};

TEST_F(ShipperSinkTest, HelloCarriesIdentityAndToken) {
  Start();
  ASSERT_EQ(aggregator_.hellos().size(), 1u);
  const protocol::HelloMessage& hello = aggregator_.hellos()[0];
  EXPECT_EQ(hello.agent_id, options_.agent_id);
  EXPECT_EQ(hello.host, "web-01");
  EXPECT_EQ(hello.agent_version, "0.1.0");
  EXPECT_EQ(hello.token, "secret");
  EXPECT_TRUE(sink_->connected());
  EXPECT_EQ(metrics_->connected->Value(), 1);
}

TEST_F(ShipperSinkTest, AckAdvancesPositions) {
  Start();
  Deliver(Lines(1, 0, {"alpha", "beta"}));
  ASSERT_EQ(aggregator_.batches().size(), 1u);
  const testing::ReceivedBatch& batch = aggregator_.batches()[0];
  EXPECT_THAT(batch.lines, ElementsAre("alpha", "beta"));
  EXPECT_THAT(batch.end_offsets, ElementsAre(6u, 11u));
  ASSERT_EQ(batch.ranges.size(), 1u);
  EXPECT_EQ(batch.ranges[0].source_id, 1u);
  EXPECT_EQ(batch.ranges[0].start, 0u);
  EXPECT_EQ(batch.ranges[0].end, 11u);
  EXPECT_EQ(batch.labels[0], "job=test,");
  EXPECT_EQ(Offset(1), 0u) << "positions move only on Ack";
  aggregator_.Ack(batch.id);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 11u);
  EXPECT_EQ(sink_->unacked_batches(), 0u);
  EXPECT_EQ(metrics_->batches_acked->Value(), 1);
  EXPECT_EQ(metrics_->acked_entries->Value(), 2);
}

TEST_F(ShipperSinkTest, BatchIdsIncrease) {
  Start();
  aggregator_.auto_ack = true;
  for (int i = 0; i < 3; ++i) Deliver(Lines(1, 6 * i, {"line" + std::to_string(i)}));
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 2u, 3u));
  EXPECT_EQ(Offset(1), 18u);
}

TEST_F(ShipperSinkTest, EveryLineGetsItsOwnTimestampEvenWhenTheClockStandsStill) {
  // Identical lines must not share a timestamp (the aggregator would keep one of them): line
  // after line, delivery after delivery, stamps rise by at least 1 ns though the clock does not
  // move, and they stay at or after the wall clock.
  Start();
  aggregator_.auto_ack = true;
  const int64_t wall = clock_.WallNanos();
  Deliver(Lines(1, 0, {"same", "same"}));
  Deliver(Lines(1, 10, {"same"}));
  Deliver(Lines(2, 0, {"same"}));
  std::vector<int64_t> stamps;
  for (const testing::ReceivedBatch& batch : aggregator_.batches()) {
    stamps.insert(stamps.end(), batch.timestamps.begin(), batch.timestamps.end());
  }
  EXPECT_THAT(stamps, ElementsAre(wall, wall + 1, wall + 2, wall + 3));
}

TEST_F(ShipperSinkTest, LingerGathersDeliveriesIntoOneBatch) {
  options_.linger_ns = 200 * kMs;
  Start();
  Deliver(Lines(1, 0, {"a"}));
  Deliver(Lines(2, 0, {"b"}));
  Deliver(Lines(1, 2, {"c"}));
  EXPECT_TRUE(aggregator_.batches().empty());
  clock_.Advance(200 * kMs);
  ASSERT_EQ(aggregator_.batches().size(), 1u);
  EXPECT_THAT(aggregator_.batches()[0].lines, ElementsAre("a", "b", "c"));
  ASSERT_EQ(aggregator_.batches()[0].ranges.size(), 2u);
  EXPECT_EQ(aggregator_.batches()[0].ranges[0].end, 4u);
}

TEST_F(ShipperSinkTest, BatchMaxBytesSealsBeforeLinger) {
  options_.linger_ns = 10'000 * kMs;
  options_.batch_max_bytes = 200;
  Start();
  Deliver(Lines(1, 0, {std::string(100, 'x')}));
  EXPECT_TRUE(aggregator_.batches().empty());
  Deliver(Lines(2, 0, {std::string(100, 'y')}));
  EXPECT_EQ(aggregator_.batches().size(), 1u);
}

TEST_F(ShipperSinkTest, LargeChunkIsCutIntoBatchesOfBatchMaxBytes) {
  options_.batch_max_bytes = 4 * (10 + OutgoingBatch::kEntryOverhead);
  aggregator_.auto_ack = true;
  Start();
  Deliver(Lines(1, 0, std::vector<std::string>(10, std::string(10, 'q'))));
  ASSERT_EQ(aggregator_.batches().size(), 3u);
  EXPECT_EQ(aggregator_.batches()[0].lines.size(), 4u);
  EXPECT_EQ(aggregator_.batches()[1].ranges[0].start, 44u);
  EXPECT_EQ(aggregator_.batches()[2].lines.size(), 2u);
  EXPECT_EQ(Offset(1), 110u);
}

TEST_F(ShipperSinkTest, LargeCompressibleBatchGoesLz4) {
  Start();
  Deliver(Lines(1, 0, std::vector<std::string>(50, std::string(100, 'z'))));
  ASSERT_EQ(aggregator_.batches().size(), 1u);
  EXPECT_TRUE(aggregator_.batches()[0].lz4);
}

TEST_F(ShipperSinkTest, NackWithRetryResendsSameIdAfterTheDelay) {
  Start();
  Deliver(Lines(1, 0, {"a"}));
  aggregator_.Nack(1, NackCode::wal_full, 500);
  clock_.RunDue();
  EXPECT_EQ(Nacked("wal_full"), 1);
  clock_.Advance(499 * kMs);
  EXPECT_EQ(aggregator_.batches().size(), 1u) << "resent before retry_after_ms";
  clock_.Advance(1 * kMs);
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 1u));
  EXPECT_EQ(metrics_->resends->Value(), 1);
  EXPECT_EQ(Offset(1), 0u);
  aggregator_.Ack(1);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 2u);
}

TEST_F(ShipperSinkTest, LaterBatchOfTheSameSourceWaitsForTheEarlierOne) {
  Start();
  Deliver(Lines(1, 0, {"a"}));
  Deliver(Lines(1, 2, {"b"}));
  Deliver(Lines(2, 0, {"c"}));
  EXPECT_FALSE(sink_->pipelined()) << "the Welcome did not announce ordered_sources";
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 3u)) << "batch 2 shares source 1";
  aggregator_.Nack(1, NackCode::rate_limited, 100);
  clock_.RunDue();
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 3u)) << "2 must not pass a refused 1";
  clock_.Advance(100 * kMs);
  aggregator_.Ack(1);
  clock_.RunDue();
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 3u, 1u, 2u));
}

TEST_F(ShipperSinkTest, PipelinedBatchesOfOneSourceAreInFlightTogether) {
  aggregator_.welcome.ordered_sources = true;
  Start();
  EXPECT_TRUE(sink_->pipelined());
  Deliver(Lines(1, 0, {"a"}));
  Deliver(Lines(1, 2, {"b"}));
  Deliver(Lines(1, 4, {"c"}));
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 2u, 3u));
  EXPECT_EQ(sink_->in_flight(), 3u);
  for (uint64_t id : {1, 2, 3}) aggregator_.Ack(id);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 6u);
  EXPECT_EQ(sink_->unacked_batches(), 0u);
}

TEST_F(ShipperSinkTest, PipelinedRefusalResendsTheSourceInOrder) {
  aggregator_.welcome.ordered_sources = true;
  Start();
  Deliver(Lines(1, 0, {"a"}));
  Deliver(Lines(1, 2, {"b"}));
  Deliver(Lines(1, 4, {"c"}));
  // The aggregator refuses 1 and, by its ordering rule, the later batches of source 1.
  aggregator_.Nack(1, NackCode::wal_full, 500);
  aggregator_.Nack(2, NackCode::out_of_order, 50);
  aggregator_.Nack(3, NackCode::out_of_order, 50);
  clock_.RunDue();
  Deliver(Lines(2, 0, {"z"}));  // another source is not held back
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 2u, 3u, 4u));
  clock_.Advance(50 * kMs);
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 2u, 3u, 4u))
      << "2 and 3 must not pass the refused 1";
  clock_.Advance(450 * kMs);
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 2u, 3u, 4u, 1u, 2u, 3u))
      << "the refused batch first, the later ones right behind it";
  EXPECT_EQ(Nacked("out_of_order"), 2);
  for (uint64_t id : {1, 2, 3, 4}) aggregator_.Ack(id);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 6u);
  EXPECT_EQ(Offset(2), 2u);
  EXPECT_EQ(log_sink_.Text().find("past an earlier refused batch"), std::string::npos);
}

TEST_F(ShipperSinkTest, PipelinedAcksAdvanceThePositionOnlyOverTheAckedPrefix) {
  aggregator_.welcome.ordered_sources = true;
  Start();
  Deliver(Lines(1, 0, {"a"}));
  Deliver(Lines(1, 2, {"b"}));
  Deliver(Lines(1, 4, {"c"}));
  aggregator_.Ack(3);
  aggregator_.Ack(2);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 0u) << "batch 1 is not acked: bytes [0, 2) are not stored yet";
  EXPECT_EQ(sink_->unacked_batches(), 1u);
  aggregator_.Ack(1);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 6u);
}

TEST_F(ShipperSinkTest, AckPastARefusedBatchOfTheSourceIsLoggedAsAnError) {
  aggregator_.welcome.ordered_sources = true;
  Start();
  Deliver(Lines(1, 0, {"a"}));
  Deliver(Lines(1, 2, {"b"}));
  aggregator_.Nack(1, NackCode::wal_full, 500);
  aggregator_.Ack(2);  // an aggregator breaking its ordering rule
  clock_.RunDue();
  EXPECT_NE(log_sink_.Text().find("past an earlier refused batch"), std::string::npos);
  EXPECT_EQ(Offset(1), 0u) << "the position never passes the refused range";
}

TEST_F(ShipperSinkTest, PipelinedSplitHalvesGoBeforeTheLaterBatches) {
  aggregator_.welcome.ordered_sources = true;
  Start();
  Deliver(Lines(1, 0, {"a", "b", "c", "d"}));
  Deliver(Lines(1, 8, {"e"}));
  aggregator_.Nack(1, NackCode::too_large, 0);
  aggregator_.Nack(2, NackCode::out_of_order, 50);
  clock_.RunDue();
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 2u, 3u, 4u)) << "both halves at once";
  EXPECT_EQ(aggregator_.batches()[3].ranges[0].start, 4u);
  clock_.Advance(50 * kMs);
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 2u, 3u, 4u, 2u));
  for (uint64_t id : {3, 4, 2}) aggregator_.Ack(id);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 10u);
}

TEST_F(ShipperSinkTest, PipelinedReconnectResendsEveryUnackedBatchInOrder) {
  aggregator_.welcome.ordered_sources = true;
  Start();
  Deliver(Lines(1, 0, {"a"}));
  Deliver(Lines(1, 2, {"b"}));
  Deliver(Lines(1, 4, {"c"}));
  aggregator_.Ack(1);
  clock_.RunDue();
  aggregator_.Drop();
  clock_.RunDue();
  clock_.Advance(options_.backoff_max_ns);
  ASSERT_EQ(aggregator_.connections(), 2);
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 2u, 3u, 2u, 3u));
  EXPECT_EQ(Offset(1), 2u);
}

TEST_F(ShipperSinkTest, ReconnectResendsUnackedBatchesWithOriginalIdsInOrder) {
  Start();
  Deliver(Lines(1, 0, {"a"}));
  Deliver(Lines(2, 0, {"b"}));
  Deliver(Lines(3, 0, {"c"}));
  aggregator_.Ack(2);
  clock_.RunDue();
  aggregator_.Drop();
  clock_.RunDue();
  EXPECT_FALSE(sink_->connected());
  EXPECT_EQ(metrics_->connected->Value(), 0);
  clock_.Advance(options_.backoff_max_ns);  // the first backoff is at most backoff_min
  ASSERT_EQ(aggregator_.connections(), 2);
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 2u, 3u, 1u, 3u));
  EXPECT_EQ(metrics_->reconnects->Value(), 1);
  EXPECT_EQ(metrics_->resends->Value(), 2);
  EXPECT_EQ(Offset(2), 2u);
  EXPECT_EQ(Offset(1), 0u);
}

TEST_F(ShipperSinkTest, RefusedConnectionsBackOffExponentiallyWithJitter) {
  connector_.RefuseNext(5);
  Start();
  // Attempt n + 1 waits a random time of at most min * 2^n: 100, 200, 400, 800, 1000 ms (the
  // cap).
  for (int attempt = 1; attempt <= 5; ++attempt) {
    EXPECT_EQ(connector_.attempts(), attempt);
    ASSERT_EQ(clock_.PendingTimers(), 1u);
    const int64_t delay = *clock_.NextDeadline() - clock_.MonotonicNanos();
    EXPECT_LE(delay, std::min<int64_t>(100 * kMs << (attempt - 1), 1000 * kMs)) << attempt;
    clock_.Advance(delay);
  }
  EXPECT_EQ(connector_.attempts(), 6);
  EXPECT_TRUE(sink_->connected());
  EXPECT_NE(log_sink_.Text().find("connection refused"), std::string::npos);
}

TEST_F(ShipperSinkTest, WindowIsTheSmallerOfConfigAndWelcome) {
  aggregator_.welcome.max_inflight_batches = 2;
  Start();
  EXPECT_EQ(sink_->window(), 2u);
  for (uint64_t source : {1, 2, 3}) Deliver(Lines(source, 0, {"x"}));
  EXPECT_EQ(aggregator_.batches().size(), 2u);
  EXPECT_EQ(metrics_->inflight_batches->Value(), 2);
  aggregator_.Ack(1);
  clock_.RunDue();
  EXPECT_EQ(aggregator_.batches().size(), 3u);
}

TEST_F(ShipperSinkTest, FullBufferPausesReadingUntilAcksFreeRoom) {
  options_.max_buffered_bytes = 300;
  aggregator_.welcome.max_inflight_batches = 1;
  Start();
  Deliver(Lines(1, 0, {std::string(100, 'a')}));
  Deliver(Lines(2, 0, {std::string(100, 'b')}));
  EXPECT_TRUE(pauses_.empty());
  EXPECT_FALSE(sink_->paused());
  Deliver(Lines(3, 0, {std::string(100, 'c')}));
  EXPECT_THAT(pauses_, ElementsAre(true));
  EXPECT_EQ(metrics_->blocked->Value(), 1);
  clock_.Advance(1500 * kMs);
  aggregator_.Ack(1);
  clock_.RunDue();
  EXPECT_THAT(pauses_, ElementsAre(true, false));
  EXPECT_EQ(metrics_->blocked->Value(), 0);
  EXPECT_DOUBLE_EQ(metrics_->blocked_seconds->Value(), 1.5);
}

TEST_F(ShipperSinkTest, TooLargeBatchIsSplitAndBothHalvesDelivered) {
  Start();
  Deliver(Lines(1, 0, {"a", "b", "c", "d"}));
  aggregator_.Nack(1, NackCode::too_large, 0);
  clock_.RunDue();
  ASSERT_EQ(aggregator_.batches().size(), 2u) << "the second half waits: same source";
  EXPECT_EQ(aggregator_.batches()[1].id, 2u);
  EXPECT_THAT(aggregator_.batches()[1].lines, ElementsAre("a", "b"));
  EXPECT_EQ(aggregator_.batches()[1].ranges[0].end, 4u);
  aggregator_.Ack(2);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 4u);
  ASSERT_EQ(aggregator_.batches().size(), 3u);
  EXPECT_THAT(aggregator_.batches()[2].lines, ElementsAre("c", "d"));
  EXPECT_EQ(aggregator_.batches()[2].ranges[0].start, 4u);
  aggregator_.Ack(3);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 8u);
  EXPECT_EQ(Nacked("too_large"), 1);
}

TEST_F(ShipperSinkTest, MalformedEntryIsIsolatedLoggedCountedAndSkipped) {
  Start();
  Deliver(Lines(1, 0, {"good", "bad"}));
  aggregator_.Nack(1, NackCode::malformed, 0);
  clock_.RunDue();
  aggregator_.Ack(2);  // "good"
  clock_.RunDue();
  ASSERT_EQ(aggregator_.batches().size(), 3u);
  EXPECT_THAT(aggregator_.batches()[2].lines, ElementsAre("bad"));
  aggregator_.Nack(3, NackCode::malformed, 0);
  clock_.RunDue();
  EXPECT_EQ(Offset(1), 9u) << "shipping goes on past the refused entry";
  EXPECT_EQ(metrics_->dropped_entries->WithLabels({"malformed"}).Value(), 1);
  const std::string log = log_sink_.Text();
  EXPECT_NE(log.find("refuses this entry for good"), std::string::npos) << log;
  EXPECT_NE(log.find("offset=5"), std::string::npos) << log;
}

TEST_F(ShipperSinkTest, HeartbeatAfterIntervalWithoutSending) {
  aggregator_.welcome.heartbeat_interval_ms = 1000;
  Start();
  clock_.Advance(999 * kMs);
  EXPECT_TRUE(aggregator_.heartbeats().empty());
  clock_.Advance(1 * kMs);
  ASSERT_EQ(aggregator_.heartbeats().size(), 1u);
  EXPECT_FALSE(aggregator_.heartbeats()[0].reply);
  aggregator_.auto_ack = true;
  clock_.Advance(500 * kMs);
  Deliver(Lines(1, 0, {"a"}));  // sending postpones the next heartbeat
  clock_.Advance(999 * kMs);
  EXPECT_EQ(aggregator_.heartbeats().size(), 1u);
  clock_.Advance(1 * kMs);
  EXPECT_EQ(aggregator_.heartbeats().size(), 2u);
}

TEST_F(ShipperSinkTest, HeartbeatFromTheAggregatorIsAnswered) {
  Start();
  aggregator_.SendHeartbeat(7);
  clock_.RunDue();
  ASSERT_EQ(aggregator_.heartbeats().size(), 1u);
  EXPECT_TRUE(aggregator_.heartbeats()[0].reply);
  EXPECT_EQ(aggregator_.heartbeats()[0].sequence, 7u);
  EXPECT_EQ(aggregator_.heartbeats()[0].sent_at_ns, 42);
}

TEST_F(ShipperSinkTest, GoodbyeReconnectsAfterReconnectAfterMs) {
  Start();
  Deliver(Lines(1, 0, {"a"}));
  aggregator_.Goodbye(3000);
  clock_.RunDue();
  EXPECT_FALSE(sink_->connected());
  clock_.Advance(2999 * kMs);
  EXPECT_EQ(aggregator_.connections(), 1);
  clock_.Advance(1 * kMs);
  EXPECT_EQ(aggregator_.connections(), 2);
  EXPECT_THAT(aggregator_.batch_ids(), ElementsAre(1u, 1u));
}

TEST_F(ShipperSinkTest, MissingWelcomeTimesOutAndReconnects) {
  options_.handshake_timeout_ns = 2000 * kMs;
  // An aggregator that accepts the connection and never answers the Hello.
  testing::FakeConnector silent(&clock_, [this](std::unique_ptr<net::ByteStream> server) {
    silent_streams_.push_back(std::move(server));
  });
  sink_ = std::make_unique<ShipperSink>(
      options_, [&silent](net::ConnectFn done) { return silent.Connect(std::move(done)); }, &store_,
      &clock_, &clock_, metrics_.get(), [](const std::string&) { return labels::LabelSet(); },
      &logger_);
  sink_->Start();
  clock_.RunDue();
  EXPECT_EQ(silent.attempts(), 1);
  clock_.Advance(2000 * kMs);
  clock_.Advance(options_.backoff_max_ns);
  EXPECT_EQ(silent.attempts(), 2);
  EXPECT_NE(log_sink_.Text().find("no Welcome"), std::string::npos);
  sink_.reset();
  silent_streams_.clear();
}

TEST_F(ShipperSinkTest, DrainWaitsForAcksThenSaysGoodbye) {
  options_.linger_ns = 10'000 * kMs;
  Start();
  Deliver(Lines(1, 0, {"a"}));
  bool done = false;
  sink_->Drain(5000 * kMs, [&] { done = true; });
  clock_.RunDue();
  ASSERT_EQ(aggregator_.batches().size(), 1u) << "Drain sends what is gathered";
  EXPECT_FALSE(done);
  aggregator_.Ack(1);
  clock_.RunDue();
  EXPECT_TRUE(done);
  EXPECT_EQ(Offset(1), 2u);
  EXPECT_EQ(aggregator_.goodbyes_received(), 1);
}

TEST_F(ShipperSinkTest, DrainGivesUpAfterTheTimeout) {
  Start();
  Deliver(Lines(1, 0, {"a"}));
  bool done = false;
  sink_->Drain(5000 * kMs, [&] { done = true; });
  clock_.Advance(4999 * kMs);
  EXPECT_FALSE(done);
  clock_.Advance(1 * kMs);
  EXPECT_TRUE(done);
  EXPECT_EQ(Offset(1), 0u) << "unacked lines are read again at the next start";
}

}  // namespace
}  // namespace silt::agent
