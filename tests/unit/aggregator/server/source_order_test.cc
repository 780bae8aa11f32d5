// SourceOrder: the per-connection rule that keeps a source's later batches from being stored
// past a refused one.
#include "aggregator/server/source_order.h"

#include <gtest/gtest.h>

#include <vector>

namespace silt::server {
namespace {

using Range = SourceOrder::Range;

TEST(SourceOrderTest, NothingRefusedLetsEverythingThrough) {
  SourceOrder order;
  const std::vector<Range> batch = {{1, 100, 200}, {2, 0, 10}};
  EXPECT_FALSE(order.Check(batch).has_value());
  EXPECT_EQ(order.blocked_sources(), 0u);
}

TEST(SourceOrderTest, LaterRangeOfARefusedSourceIsHeldBack) {
  SourceOrder order;
  order.Refused(std::vector<Range>{{1, 0, 100}}, false);
  const std::vector<Range> later = {{2, 0, 5}, {1, 100, 200}};
  std::optional<SourceOrder::Blocked> blocked = order.Check(later);
  ASSERT_TRUE(blocked.has_value());
  EXPECT_EQ(blocked->source_id, 1u);
  EXPECT_EQ(blocked->start, 100u);
  EXPECT_EQ(blocked->resume_at, 0u);
  EXPECT_FALSE(order.Check(std::vector<Range>{{2, 0, 5}}).has_value()) << "other sources go on";
}

TEST(SourceOrderTest, HeldBackRefusalDoesNotMoveTheResumePoint) {
  SourceOrder order;
  order.Refused(std::vector<Range>{{1, 0, 100}}, false);
  order.Refused(std::vector<Range>{{1, 100, 200}}, false);  // refused as out of order
  EXPECT_TRUE(order.Check(std::vector<Range>{{1, 100, 200}}).has_value());
  EXPECT_FALSE(order.Check(std::vector<Range>{{1, 0, 100}}).has_value());
}

TEST(SourceOrderTest, ResendOrFirstHalfOfASplitFreesTheSource) {
  SourceOrder order;
  order.Refused(std::vector<Range>{{1, 0, 100}, {2, 50, 60}}, false);
  const std::vector<Range> first_half = {{1, 0, 40}};
  ASSERT_FALSE(order.Check(first_half).has_value());
  order.Taken(first_half);
  EXPECT_FALSE(order.Check(std::vector<Range>{{1, 40, 100}}).has_value());
  EXPECT_TRUE(order.Check(std::vector<Range>{{2, 60, 70}}).has_value()) << "2 still waits";
  EXPECT_EQ(order.blocked_sources(), 1u);
}

TEST(SourceOrderTest, SingleEntryDroppedForGoodResumesAtItsEnd) {
  SourceOrder order;
  order.Refused(std::vector<Range>{{1, 0, 100}}, false);
  order.Refused(std::vector<Range>{{1, 0, 10}}, true);  // the first single entry, for good
  EXPECT_TRUE(order.Check(std::vector<Range>{{1, 11, 20}}).has_value());
  order.Refused(std::vector<Range>{{1, 10, 20}}, true);  // the next one too
  const std::vector<Range> next = {{1, 20, 100}};
  EXPECT_FALSE(order.Check(next).has_value());
  order.Taken(next);
  EXPECT_EQ(order.blocked_sources(), 0u);
}

}  // namespace
}  // namespace silt::server
