#include "aggregator/tail/tail_session.h"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>

#include "shared/labels/matcher.h"

namespace silt::tail {
namespace {

std::string EntryKey(const labels::LabelSet& labels, int64_t timestamp, std::string_view line) {
  std::string key = labels.ToString();
  key += '\n';
  key += std::to_string(timestamp);
  key += '\n';
  key += line;
  return key;
}

}  // namespace

TailSession::TailSession(TailRequest request, size_t max_reported_drops)
    : request_(std::move(request)), max_reported_drops_(max_reported_drops) {}

void TailSession::OnDelivery(const engine::LiveDelivery& delivery, int64_t now_ns) {
  std::lock_guard lock(mu_);
  if (closed_) return;
  for (const engine::LiveDrop& drop : delivery.dropped) {
    if (labels::MatchesAll(request_.query.selector, drop.labels)) {
      AddDrop(drop.labels, drop.timestamp);
    }
  }
  if (delivery.streams != nullptr) {
    for (const engine::LiveStream& stream : *delivery.streams) Evaluate(stream, now_ns);
  }
  if (request_.delay_for_ns == 0) FlushLocked(now_ns);
}

void TailSession::Evaluate(const engine::LiveStream& stream, int64_t now_ns) {
  if (!labels::MatchesAll(request_.query.selector, stream.labels)) return;
  std::unique_ptr<logql::StreamPipeline>& pipeline = pipelines_[stream.labels];
  if (pipeline == nullptr) pipeline = request_.pipeline->ForStream(stream.labels);
  std::vector<labels::LabelView> metadata;
  logql::PipelineEntry out;
  for (const engine::LiveEntry& entry : stream.entries) {
    metadata.clear();
    for (const labels::Label& label : entry.metadata) metadata.push_back({label.name, label.value});
    if (!pipeline->Process(entry.timestamp, entry.line, metadata, &out)) continue;
    held_.push_back(Held{now_ns, TailEntry{out.labels, entry.timestamp, std::string(out.line)}});
  }
}

void TailSession::AddDrop(const labels::LabelSet& labels, int64_t timestamp) {
  ++stats_.entries_dropped;
  if (drops_.size() < max_reported_drops_) {
    drops_.push_back(TailDrop{labels, timestamp});
  } else {
    ++unlisted_drops_;
  }
}

void TailSession::Start(std::shared_ptr<http::WebSocket> socket, std::vector<TailEntry> backfill,
                        int64_t now_ns) {
  std::lock_guard lock(mu_);
  socket_ = std::move(socket);
  if (closed_) return;
  if (!backfill.empty()) {
    // Entries pushed between the subscription and the backfill's read are in both.
    std::unordered_set<std::string> seen;
    for (const TailEntry& entry : backfill) {
      seen.insert(EntryKey(entry.labels, entry.timestamp, entry.line));
    }
    std::erase_if(held_, [&](const Held& held) {
      return seen.contains(EntryKey(held.entry.labels, held.entry.timestamp, held.entry.line));
    });
    const Status sent = socket_->SendText(EncodeTailMessage(backfill, {}));
    if (!sent.ok()) {
      closed_ = true;  // the first message is always taken unless the client left
      return;
    }
    stats_.entries_sent += backfill.size();
  }
  FlushLocked(now_ns);
}

bool TailSession::Flush(int64_t now_ns) {
  std::lock_guard lock(mu_);
  return FlushLocked(now_ns);
}

bool TailSession::FlushLocked(int64_t now_ns) {
  if (closed_) return false;
  if (socket_ == nullptr) return true;  // not started: keep collecting
  size_t due = 0;
  while (due < held_.size() && held_[due].arrival_ns + request_.delay_for_ns <= now_ns) ++due;
  if (due == 0 && drops_.empty()) return true;
  std::vector<TailEntry> entries;
  entries.reserve(due);
  for (size_t i = 0; i < due; ++i) entries.push_back(std::move(held_[i].entry));
  held_.erase(held_.begin(), held_.begin() + static_cast<ptrdiff_t>(due));
  if (request_.delay_for_ns > 0) {  // held to be sorted; without delay_for, arrival order
    std::stable_sort(entries.begin(), entries.end(), [](const TailEntry& a, const TailEntry& b) {
      return a.timestamp < b.timestamp;
    });
  }
  const Status sent = socket_->SendText(EncodeTailMessage(entries, drops_));
  if (sent.ok()) {
    stats_.entries_sent += entries.size();
    drops_.clear();
    unlisted_drops_ = 0;
    return true;
  }
  if (sent.code() != StatusCode::kResourceExhausted) {
    closed_ = true;
    return false;
  }
  // A slow client: these entries are lost to it; the next message that fits says so.
  for (const TailEntry& entry : entries) AddDrop(entry.labels, entry.timestamp);
  return true;
}

void TailSession::MarkClosed() {
  std::lock_guard lock(mu_);
  closed_ = true;
}

void TailSession::Close(uint16_t code, std::string_view reason) {
  std::lock_guard lock(mu_);
  closed_ = true;
  if (socket_ != nullptr) socket_->Close(code, reason);
}

bool TailSession::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

TailSessionStats TailSession::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace silt::tail
