// LiveFeed: pushes as they are applied to the head, for live readers (Loki's /tail). The
// storage engine publishes each WAL record once it is durable and applied, in WAL order; every
// subscriber of the record's tenant gets the streams and entries (one shared copy per record)
// through its own bounded queue, and a delivery thread calls its callback. Publishing never
// blocks on a subscriber: when a subscriber's queue holds max_queued_entries, new entries are
// dropped for it and reported (labels and timestamp of the first max_reported_drops, and a
// count) with its next delivery. With no subscriber, Publish costs one atomic load.
//
// Thread-safety: every method is thread-safe. Callbacks run on the feed's delivery thread, one
// at a time, and must not block for long (a slow callback only fills its own queue).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "aggregator/engine/push_request.h"
#include "shared/labels/label_set.h"

namespace silt::engine {

struct LiveEntry {
  int64_t timestamp = 0;
  std::string line;
  std::vector<labels::Label> metadata;  // structured metadata
};

struct LiveStream {
  labels::LabelSet labels;
  std::vector<LiveEntry> entries;  // in push order
};

// An entry a subscriber did not get because its queue was full.
struct LiveDrop {
  labels::LabelSet labels;
  int64_t timestamp = 0;
};

struct LiveDelivery {
  // One applied push record's streams of the subscribed tenant; nullptr when the delivery only
  // reports drops.
  std::shared_ptr<const std::vector<LiveStream>> streams;
  // Entries dropped for this subscriber since its previous delivery: the first ones, and the
  // count of all of them.
  std::vector<LiveDrop> dropped;
  uint64_t dropped_count = 0;
};

struct LiveSubscription {
  std::string tenant;
  std::function<void(const LiveDelivery& delivery)> callback;
  // Entries waiting for this subscriber beyond which new ones are dropped.
  size_t max_queued_entries = 10'000;
  // Dropped entries listed (beyond it only counted) per delivery.
  size_t max_reported_drops = 1'000;
};

class LiveFeed {
 public:
  LiveFeed() = default;
  // Stops the delivery thread; queued deliveries are discarded.
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // Registers `subscription` and returns its id (never 0). Pushes applied after this returns
  // are delivered.
  uint64_t Subscribe(LiveSubscription subscription);
  // Removes subscription `id` (unknown ids are ignored). When it returns, the callback is not
  // running and will not run again, unless called from inside that callback (then the current
  // call finishes normally).
  void Unsubscribe(uint64_t id);

  // For the engine: offers an applied push to the subscribers of `request.tenant`.
  void Publish(const PushRequest& request);

  // Entries dropped for any subscriber since the feed started.
  uint64_t dropped_total() const { return dropped_total_.load(std::memory_order_relaxed); }
  size_t subscriber_count() const { return subscribers_.load(std::memory_order_acquire); }

 private:
  struct Subscriber {
    LiveSubscription subscription;
    std::deque<std::shared_ptr<const std::vector<LiveStream>>> queue;
    size_t queued_entries = 0;
    std::vector<LiveDrop> dropped;
    uint64_t dropped_count = 0;
  };

  void DeliveryLoop();
  // Takes the next delivery of any subscriber (round robin); false when none is ready.
  bool TakeNext(uint64_t* id, LiveDelivery* delivery,
                std::function<void(const LiveDelivery&)>* callback);

  std::atomic<size_t> subscribers_{0};
  std::atomic<uint64_t> dropped_total_{0};
  std::mutex mu_;
  std::condition_variable cv_;            // work for the delivery thread, or a callback finished
  std::map<uint64_t, Subscriber> by_id_;  // guarded by mu_
  uint64_t next_id_ = 1;                  // guarded by mu_
  uint64_t delivering_ = 0;               // guarded by mu_: id whose callback runs, or 0
  uint64_t last_served_ = 0;              // guarded by mu_: round-robin position
  bool stopping_ = false;                 // guarded by mu_
  std::thread thread_;                    // started by the first Subscribe
};

}  // namespace silt::engine
