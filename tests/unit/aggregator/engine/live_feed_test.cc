#include "aggregator/engine/live_feed.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace silt::engine {
namespace {

// What a subscriber received, as "labels ts line" strings and drop counts.
class Inbox {
 public:
  LiveSubscription For(std::string tenant, size_t max_queued = 10'000) {
    LiveSubscription subscription;
    subscription.tenant = std::move(tenant);
    subscription.max_queued_entries = max_queued;
    subscription.max_reported_drops = 2;
    subscription.callback = [this](const LiveDelivery& delivery) { Receive(delivery); };
    return subscription;
  }
  void Receive(const LiveDelivery& delivery) {
    std::unique_lock lock(mu_);
    if (delivery.streams != nullptr) {
      for (const LiveStream& stream : *delivery.streams) {
        for (const LiveEntry& entry : stream.entries) {
          lines_.push_back(stream.labels.ToString() + " " + std::to_string(entry.timestamp) + " " +
                           entry.line);
        }
      }
    }
    dropped_ += delivery.dropped_count;
    listed_drops_ += delivery.dropped.size();
    cv_.notify_all();
    cv_.wait(lock, [&] { return !blocked_; });
  }
  bool WaitForLines(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return lines_.size() >= n; });
  }
  bool WaitForDropped(uint64_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return dropped_ >= n; });
  }
  void Block(bool blocked) {
    std::lock_guard lock(mu_);
    blocked_ = blocked;
    cv_.notify_all();
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }
  uint64_t dropped() {
    std::lock_guard lock(mu_);
    return dropped_;
  }
  size_t listed_drops() {
    std::lock_guard lock(mu_);
    return listed_drops_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  uint64_t dropped_ = 0;
  size_t listed_drops_ = 0;
  bool blocked_ = false;
};

PushRequest Request(const std::string& tenant, const std::string& job,
                    const std::vector<std::string>& lines, int64_t ts = 100) {
  PushRequest request;
  request.tenant = tenant;
  PushStream stream{labels::LabelSet::Of({{"job", job}}), {}};
  for (const std::string& line : lines) stream.entries.push_back({ts++, line, {}});
  request.streams.push_back(std::move(stream));
  return request;
}

TEST(LiveFeedTest, SubscriberGetsPushesOfItsTenantOnly) {
  LiveFeed feed;
  Inbox inbox;
  const uint64_t id = feed.Subscribe(inbox.For("a"));
  EXPECT_NE(id, 0u);
  feed.Publish(Request("b", "other", {"not mine"}));
  feed.Publish(Request("a", "api", {"one", "two"}));
  ASSERT_TRUE(inbox.WaitForLines(2));
  EXPECT_EQ(inbox.lines(),
            (std::vector<std::string>{"{job=\"api\"} 100 one", "{job=\"api\"} 101 two"}));
  feed.Unsubscribe(id);
}

TEST(LiveFeedTest, NoSubscriberMeansNothingIsCopied) {
  LiveFeed feed;
  EXPECT_EQ(feed.subscriber_count(), 0u);
  feed.Publish(Request("a", "api", {"x"}));
  EXPECT_EQ(feed.dropped_total(), 0u);
  Inbox inbox;
  feed.Unsubscribe(feed.Subscribe(inbox.For("a")));
  EXPECT_EQ(feed.subscriber_count(), 0u);
}

TEST(LiveFeedTest, UnsubscribedCallbackIsNotCalledAgain) {
  LiveFeed feed;
  Inbox inbox;
  const uint64_t id = feed.Subscribe(inbox.For("a"));
  feed.Publish(Request("a", "api", {"first"}));
  ASSERT_TRUE(inbox.WaitForLines(1));
  feed.Unsubscribe(id);
  feed.Publish(Request("a", "api", {"second"}));
  // A second subscriber proves the feed delivered the push after the first one left.
  Inbox witness;
  const uint64_t other = feed.Subscribe(witness.For("a"));
  feed.Publish(Request("a", "api", {"third"}));
  ASSERT_TRUE(witness.WaitForLines(1));
  EXPECT_EQ(inbox.lines().size(), 1u);
  feed.Unsubscribe(other);
}

TEST(LiveFeedTest, FullQueueDropsAndReportsEntriesWithoutBlockingPublish) {
  LiveFeed feed;
  Inbox inbox;
  inbox.Block(true);  // the first delivery holds the delivery thread
  const uint64_t id = feed.Subscribe(inbox.For("a", /*max_queued=*/3));
  feed.Publish(Request("a", "api", {"held"}));
  ASSERT_TRUE(inbox.WaitForLines(1));
  feed.Publish(Request("a", "api", {"q1", "q2", "q3"}));  // fills the queue
  feed.Publish(Request("a", "api", {"d1", "d2", "d3"}));  // dropped: Publish returns anyway
  EXPECT_EQ(feed.dropped_total(), 3u);
  inbox.Block(false);
  ASSERT_TRUE(inbox.WaitForDropped(3));
  EXPECT_EQ(inbox.listed_drops(), 2u);  // max_reported_drops
  ASSERT_TRUE(inbox.WaitForLines(4));
  EXPECT_EQ(inbox.lines().back(), "{job=\"api\"} 102 q3");
  feed.Unsubscribe(id);
}

TEST(LiveFeedTest, EngineDeliversAppliedPushes) {
  testing::TempDir dir;
  fs::PosixFileSystem fs;
  time::FakeClock clock;
  EngineOptions options;
  options.fs = &fs;
  options.clock = &clock;
  options.data_dir = dir.Path("data");
  options.background_flush = false;
  auto engine = StorageEngine::Open(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  Inbox inbox;
  const uint64_t id = (*engine)->live_feed().Subscribe(inbox.For("t"));
  const int64_t now = clock.WallNanos();
  auto pushed = (*engine)->PushSync(Request("t", "api", {"live"}, now));
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  ASSERT_TRUE(inbox.WaitForLines(1));
  EXPECT_EQ(inbox.lines()[0], "{job=\"api\"} " + std::to_string(now) + " live");
  (*engine)->live_feed().Unsubscribe(id);
  ASSERT_TRUE((*engine)->Close().ok());
}

}  // namespace
}  // namespace silt::engine
