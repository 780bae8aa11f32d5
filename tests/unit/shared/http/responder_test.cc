// Responder, Exchange and CompletionQueue without sockets: operations posted from any thread
// reach the loop in order, drops and cancellations behave as documented.
#include "shared/http/responder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <thread>
#include <vector>

#include "shared/http/completion_queue.h"
#include "shared/http/exchange.h"

namespace silt::http {
namespace {

using Kind = Exchange::OpKind;

class ResponderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    queue_ = CompletionQueue::Create(&loop_, [this](const std::shared_ptr<Exchange>& exchange) {
      ++deliveries_;
      for (Exchange::Op& op : exchange->TakeOps()) ops_.push_back(std::move(op));
    });
    ASSERT_NE(queue_, nullptr);
  }
  void TearDown() override {
    queue_->Close(nullptr);
    queue_.reset();
    EXPECT_EQ(uv_run(&loop_, UV_RUN_DEFAULT), 0);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  std::shared_ptr<Exchange> NewExchange(size_t max_buffered = 1 << 20) {
    return std::make_shared<Exchange>(queue_, max_buffered);
  }
  void RunOnce() { uv_run(&loop_, UV_RUN_NOWAIT); }
  std::vector<Kind> Kinds() const {
    std::vector<Kind> kinds;
    for (const auto& op : ops_) kinds.push_back(op.kind);
    return kinds;
  }

  uv_loop_t loop_;
  std::shared_ptr<CompletionQueue> queue_;
  std::vector<Exchange::Op> ops_;
  int deliveries_ = 0;
};

TEST_F(ResponderTest, RespondFromAnotherThreadReachesTheLoop) {
  auto exchange = NewExchange();
  Responder responder(exchange);
  std::thread worker(
      [r = std::move(responder)]() mutable { r.Respond(Response::Text(201, "made")); });
  worker.join();
  RunOnce();
  ASSERT_EQ(ops_.size(), 1u);
  EXPECT_EQ(ops_[0].kind, Kind::kRespond);
  EXPECT_EQ(ops_[0].response.status, 201);
  EXPECT_EQ(ops_[0].response.body, "made");
}

TEST_F(ResponderTest, StreamOperationsArriveInOrderInOneDelivery) {
  auto exchange = NewExchange();
  Responder responder(exchange);
  ASSERT_TRUE(responder.StartStream(Response::Text(200, "head")).ok());
  ASSERT_TRUE(responder.Write("one").ok());
  ASSERT_TRUE(responder.Write("").ok());  // sends nothing
  ASSERT_TRUE(responder.Write("two").ok());
  responder.Finish();
  EXPECT_FALSE(responder.pending());
  EXPECT_EQ(exchange->buffered_bytes(), 10u);  // "head" + "one" + "two", not yet written
  RunOnce();
  EXPECT_EQ(deliveries_, 1);
  EXPECT_THAT(Kinds(), ::testing::ElementsAre(Kind::kStartStream, Kind::kChunk, Kind::kChunk,
                                              Kind::kFinish));
  EXPECT_EQ(ops_[2].data, "two");
  exchange->Release(10);
  EXPECT_EQ(exchange->buffered_bytes(), 0u);
}

TEST_F(ResponderTest, DroppingAnUnansweredResponderPostsDropped) {
  auto exchange = NewExchange();
  { Responder responder(exchange); }
  RunOnce();
  EXPECT_THAT(Kinds(), ::testing::ElementsAre(Kind::kDropped));
}

TEST_F(ResponderTest, DroppingAnAnsweredResponderPostsNothingMore) {
  auto exchange = NewExchange();
  {
    Responder responder(exchange);
    responder.Respond(Response());
  }
  RunOnce();
  EXPECT_THAT(Kinds(), ::testing::ElementsAre(Kind::kRespond));
}

TEST_F(ResponderTest, MovedFromResponderDoesNotDrop) {
  auto exchange = NewExchange();
  Responder a(exchange);
  Responder b(std::move(a));
  EXPECT_FALSE(a.pending());
  EXPECT_TRUE(b.pending());
  b.Respond(Response());
  RunOnce();
  EXPECT_THAT(Kinds(), ::testing::ElementsAre(Kind::kRespond));
}

TEST_F(ResponderTest, MoveAssignmentDropsTheOverwrittenAnswer) {
  auto first = NewExchange();
  auto second = NewExchange();
  Responder a(first);
  Responder b(second);
  a = std::move(b);  // `first` will never be answered now
  a.Respond(Response());
  RunOnce();
  EXPECT_THAT(Kinds(), ::testing::UnorderedElementsAre(Kind::kDropped, Kind::kRespond));
}

TEST_F(ResponderTest, CancelledExchangeRefusesEverything) {
  auto exchange = NewExchange();
  Responder responder(exchange);
  ASSERT_TRUE(responder.StartStream(Response()).ok());
  exchange->Cancel();
  EXPECT_TRUE(responder.Cancelled());
  EXPECT_EQ(responder.Write("x").code(), StatusCode::kUnavailable);
  EXPECT_EQ(responder.Write("").code(), StatusCode::kUnavailable);
  responder.Finish();
  RunOnce();
  EXPECT_TRUE(ops_.empty());
  EXPECT_EQ(exchange->buffered_bytes(), 0u);
}

TEST_F(ResponderTest, ClientGoneIsAHintOnly) {
  auto exchange = NewExchange();
  Responder responder(exchange);
  exchange->MarkClientGone();
  EXPECT_TRUE(responder.Cancelled());
  responder.Respond(Response());
  RunOnce();
  EXPECT_THAT(Kinds(), ::testing::ElementsAre(Kind::kRespond));
}

TEST_F(ResponderTest, ChunksBeyondTheBufferAreRefused) {
  auto exchange = NewExchange(/*max_buffered=*/10);
  Responder responder(exchange);
  ASSERT_TRUE(responder.StartStream(Response()).ok());
  EXPECT_TRUE(responder.Write(std::string(50, 'a')).ok()) << "accepted when nothing is buffered";
  EXPECT_EQ(responder.Write("b").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(responder.BufferedBytes(), 50u);
  exchange->Release(50);
  EXPECT_TRUE(responder.Write("b").ok());
}

TEST_F(ResponderTest, PostsAfterTheQueueClosedAreDropped) {
  auto exchange = NewExchange();
  Responder responder(exchange);
  queue_->Close(nullptr);
  responder.Respond(Response());
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_TRUE(ops_.empty());
}

TEST_F(ResponderTest, DefaultResponderIsANoOp) {
  Responder responder;
  EXPECT_FALSE(responder.pending());
  EXPECT_TRUE(responder.Cancelled());
  EXPECT_EQ(responder.BufferedBytes(), 0u);
}

TEST_F(ResponderTest, ManyThreadsManyExchanges) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < kPerThread; ++i) Responder(NewExchange()).Respond(Response());
    });
  }
  for (auto& t : threads) t.join();
  RunOnce();
  EXPECT_EQ(ops_.size(), static_cast<size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace silt::http
