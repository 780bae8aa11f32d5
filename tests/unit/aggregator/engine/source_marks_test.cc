#include "aggregator/engine/source_marks.h"

#include <gtest/gtest.h>

namespace silt::engine {
namespace {

// An agent push of lines of `source_id` ending at `ends` (each line's end offset).
PushRequest AgentPush(uint64_t source_id, uint64_t start, std::vector<uint64_t> ends) {
  PushRequest request;
  request.tenant = "t";
  request.agent_id = "agent-1";
  request.sources = {{source_id, start, ends.empty() ? start : ends.back()}};
  PushStream stream{labels::LabelSet::Of({{"job", "x"}}), {}};
  for (uint64_t end : ends) stream.entries.push_back({1, "line", {}, 0, end});
  request.streams.push_back(std::move(stream));
  return request;
}

TEST(SourceMarksTest, NewSourcePassesWhole) {
  SourceMarks marks;
  PushRequest request = AgentPush(5, 0, {10, 20, 30});
  auto removed = marks.Admit(&request);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 0u);
  EXPECT_EQ(request.EntryCount(), 3u);
}

TEST(SourceMarksTest, CommittedLinesAreDroppedOnRedelivery) {
  SourceMarks marks;
  PushRequest first = AgentPush(5, 0, {10, 20});
  ASSERT_TRUE(marks.Admit(&first).ok());
  marks.Commit(first, 100);
  EXPECT_EQ(marks.Get("t", "agent-1", 5), 20u);
  // The agent restarts before the ack and re-reads from 0 in one bigger batch.
  PushRequest again = AgentPush(5, 0, {10, 20, 30});
  auto removed = marks.Admit(&again);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2u);
  ASSERT_EQ(again.EntryCount(), 1u);
  EXPECT_EQ(again.streams[0].entries[0].end_offset, 30u);
}

TEST(SourceMarksTest, FullyRedeliveredPushLeavesNoStreams) {
  SourceMarks marks;
  PushRequest first = AgentPush(5, 0, {10});
  ASSERT_TRUE(marks.Admit(&first).ok());
  marks.Commit(first, 1);
  PushRequest again = AgentPush(5, 0, {10});
  ASSERT_TRUE(marks.Admit(&again).ok());
  EXPECT_TRUE(again.streams.empty());
}

TEST(SourceMarksTest, OverlapWithAPushInFlightIsUnavailable) {
  SourceMarks marks;
  PushRequest first = AgentPush(5, 0, {10, 20});
  ASSERT_TRUE(marks.Admit(&first).ok());
  PushRequest second = AgentPush(5, 0, {10, 20});
  auto refused = marks.Admit(&second);
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(second.EntryCount(), 2u) << "refused request is unchanged";
  marks.Abort(first);
  EXPECT_TRUE(marks.Admit(&second).ok()) << "after the first failed, the retry goes through";
  EXPECT_EQ(marks.Get("t", "agent-1", 5), 0u) << "an aborted push moves no mark";
}

TEST(SourceMarksTest, AdjacentRangesInFlightDoNotConflict) {
  SourceMarks marks;
  PushRequest first = AgentPush(5, 0, {10});
  PushRequest next = AgentPush(5, 10, {20});
  ASSERT_TRUE(marks.Admit(&first).ok());
  EXPECT_TRUE(marks.Admit(&next).ok());
}

// Pipelined agents: 1 = [0, 20) and 2 = [20, 40) of one source admitted together; the WAL
// refuses 1 (disk full). 2 must not become durable, nor any later range, until 1 is resent.
TEST(SourceMarksTest, FailedRangeHoldsBackLaterRangesUntilItsResend) {
  SourceMarks marks;
  PushRequest first = AgentPush(5, 0, {10, 20});
  PushRequest second = AgentPush(5, 20, {30, 40});
  ASSERT_TRUE(marks.Admit(&first).ok());
  ASSERT_TRUE(marks.Admit(&second).ok());
  EXPECT_TRUE(marks.CheckOrder(second).ok());
  marks.Fail(first);
  marks.Abort(first);
  Status held = marks.CheckOrder(second);  // what the WAL asks before queuing `second`
  EXPECT_EQ(held.code(), StatusCode::kUnavailable);
  EXPECT_NE(held.message().find("resend those first"), std::string_view::npos) << held;
  marks.Abort(second);
  PushRequest later = AgentPush(5, 20, {30, 40});
  EXPECT_EQ(marks.Admit(&later).status().code(), StatusCode::kUnavailable);
  PushRequest other = AgentPush(6, 100, {110});
  EXPECT_TRUE(marks.Admit(&other).ok()) << "other sources go on";
  PushRequest resend = AgentPush(5, 0, {10, 20});
  ASSERT_TRUE(marks.Admit(&resend).ok());
  PushRequest after = AgentPush(5, 20, {30, 40});
  ASSERT_TRUE(marks.Admit(&after).ok());
  marks.Commit(resend, 1);
  marks.Commit(after, 1);
  EXPECT_EQ(marks.Get("t", "agent-1", 5), 40u);
}

TEST(SourceMarksTest, MarksAreKeyedByTenantAgentAndSource) {
  SourceMarks marks;
  PushRequest a = AgentPush(5, 0, {10});
  ASSERT_TRUE(marks.Admit(&a).ok());
  marks.Commit(a, 1);
  PushRequest other_source = AgentPush(6, 0, {10});
  PushRequest other_agent = AgentPush(5, 0, {10});
  other_agent.agent_id = "agent-2";
  PushRequest other_tenant = AgentPush(5, 0, {10});
  other_tenant.tenant = "u";
  for (PushRequest* r : {&other_source, &other_agent, &other_tenant}) {
    ASSERT_TRUE(marks.Admit(r).ok());
    EXPECT_EQ(r->EntryCount(), 1u);
  }
}

TEST(SourceMarksTest, PushesWithoutAgentAreUntouched) {
  SourceMarks marks;
  PushRequest request = AgentPush(5, 0, {10});
  request.agent_id.clear();
  ASSERT_TRUE(marks.Admit(&request).ok());
  marks.Commit(request, 1);
  EXPECT_EQ(marks.size(), 0u);
}

TEST(SourceMarksTest, EncodeDecodeRoundTrips) {
  SourceMarks marks;
  marks.Replay("t", "agent-1", {{5, 0, 100}, {6, 0, 7}}, 1000);
  marks.Replay("u", "agent-2", {{5, 0, 9}}, 2000);
  SourceMarks copy;
  ASSERT_TRUE(copy.Decode(marks.Encode()).ok());
  EXPECT_EQ(copy.size(), 3u);
  EXPECT_EQ(copy.Get("t", "agent-1", 5), 100u);
  EXPECT_EQ(copy.Get("u", "agent-2", 5), 9u);
  EXPECT_EQ(copy.Encode(), marks.Encode());
}

TEST(SourceMarksTest, CorruptStateIsRejectedAndKeepsTheMarks) {
  SourceMarks marks;
  marks.Replay("t", "a", {{5, 0, 100}}, 1);
  std::string state = marks.Encode();
  for (size_t n = 1; n < state.size(); ++n) {
    EXPECT_EQ(marks.Decode(state.substr(0, n)).code(), StatusCode::kCorruption) << n;
  }
  EXPECT_EQ(marks.Get("t", "a", 5), 100u);
  EXPECT_TRUE(marks.Decode("").ok());
  EXPECT_EQ(marks.size(), 0u);
}

TEST(SourceMarksTest, IdleMarksExpire) {
  SourceMarks marks;
  marks.Replay("t", "a", {{1, 0, 10}}, 100);
  marks.Replay("t", "a", {{2, 0, 10}}, 900);
  EXPECT_EQ(marks.Expire(/*now_ns=*/1000, /*idle_ns=*/500), 1u);
  EXPECT_EQ(marks.Get("t", "a", 1), 0u);
  EXPECT_EQ(marks.Get("t", "a", 2), 10u);
}

TEST(SourceMarksTest, ReplayNeverLowersAMark) {
  SourceMarks marks;
  marks.Replay("t", "a", {{1, 0, 50}}, 1);
  marks.Replay("t", "a", {{1, 0, 20}}, 2);
  EXPECT_EQ(marks.Get("t", "a", 1), 50u);
}

}  // namespace
}  // namespace silt::engine
