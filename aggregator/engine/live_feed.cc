#include "aggregator/engine/live_feed.h"

#include <algorithm>
#include <utility>

namespace silt::engine {
namespace {

std::shared_ptr<const std::vector<LiveStream>> Copy(const PushRequest& request) {
  auto streams = std::make_shared<std::vector<LiveStream>>();
  streams->reserve(request.streams.size());
  for (const PushStream& stream : request.streams) {
    if (stream.entries.empty()) continue;
    LiveStream& out = streams->emplace_back();
    out.labels = stream.labels;
    out.entries.reserve(stream.entries.size());
    for (const PushEntry& entry : stream.entries) {
      LiveEntry& copy = out.entries.emplace_back();
      copy.timestamp = entry.timestamp;
      copy.line = std::string(entry.line);
      for (const labels::LabelView& label : entry.metadata) {
        copy.metadata.push_back(labels::Label{std::string(label.name), std::string(label.value)});
      }
    }
  }
  return streams;
}

}  // namespace

LiveFeed::~LiveFeed() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t LiveFeed::Subscribe(LiveSubscription subscription) {
  std::lock_guard lock(mu_);
  const uint64_t id = next_id_++;
  by_id_[id].subscription = std::move(subscription);
  subscribers_.store(by_id_.size(), std::memory_order_release);
  if (!thread_.joinable()) thread_ = std::thread([this] { DeliveryLoop(); });
  return id;
}

void LiveFeed::Unsubscribe(uint64_t id) {
  std::unique_lock lock(mu_);
  by_id_.erase(id);
  subscribers_.store(by_id_.size(), std::memory_order_release);
  if (std::this_thread::get_id() == thread_.get_id()) return;  // from inside a callback
  cv_.wait(lock, [&] { return delivering_ != id; });
}

void LiveFeed::Publish(const PushRequest& request) {
  if (subscribers_.load(std::memory_order_acquire) == 0) return;
  {
    std::lock_guard lock(mu_);
    bool wanted = false;
    for (const auto& [id, subscriber] : by_id_) {
      wanted = wanted || subscriber.subscription.tenant == request.tenant;
    }
    if (!wanted) return;
  }
  const size_t entries = request.EntryCount();
  // One copy, made outside the lock, shared by every subscriber.
  std::shared_ptr<const std::vector<LiveStream>> copy = Copy(request);
  bool queued = false;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, subscriber] : by_id_) {
      if (subscriber.subscription.tenant != request.tenant) continue;
      if (subscriber.queued_entries + entries <= subscriber.subscription.max_queued_entries ||
          subscriber.queued_entries == 0) {
        subscriber.queue.push_back(copy);
        subscriber.queued_entries += entries;
        queued = true;
        continue;
      }
      for (const LiveStream& stream : *copy) {
        for (const LiveEntry& entry : stream.entries) {
          if (subscriber.dropped.size() < subscriber.subscription.max_reported_drops) {
            subscriber.dropped.push_back(LiveDrop{stream.labels, entry.timestamp});
          }
        }
      }
      subscriber.dropped_count += entries;
      dropped_total_.fetch_add(entries, std::memory_order_relaxed);
    }
  }
  if (queued) cv_.notify_all();
}

bool LiveFeed::TakeNext(uint64_t* id, LiveDelivery* delivery,
                        std::function<void(const LiveDelivery&)>* callback) {
  if (by_id_.empty()) return false;
  auto it = by_id_.upper_bound(last_served_);
  for (size_t i = 0; i < by_id_.size(); ++i, ++it) {
    if (it == by_id_.end()) it = by_id_.begin();
    Subscriber& subscriber = it->second;
    if (subscriber.queue.empty() && subscriber.dropped_count == 0) continue;
    *id = it->first;
    if (!subscriber.queue.empty()) {
      delivery->streams = std::move(subscriber.queue.front());
      subscriber.queue.pop_front();
      size_t entries = 0;
      for (const LiveStream& stream : *delivery->streams) entries += stream.entries.size();
      subscriber.queued_entries -= std::min(entries, subscriber.queued_entries);
    }
    delivery->dropped = std::exchange(subscriber.dropped, {});
    delivery->dropped_count = std::exchange(subscriber.dropped_count, 0);
    *callback = subscriber.subscription.callback;
    last_served_ = it->first;
    return true;
  }
  return false;
}

void LiveFeed::DeliveryLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    uint64_t id = 0;
    LiveDelivery delivery;
    std::function<void(const LiveDelivery&)> callback;
    if (!TakeNext(&id, &delivery, &callback)) {
      cv_.wait(lock);
      continue;
    }
    delivering_ = id;
    lock.unlock();
    if (callback) callback(delivery);
    lock.lock();
    delivering_ = 0;
    cv_.notify_all();
  }
}

}  // namespace silt::engine
