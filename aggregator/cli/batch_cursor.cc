#include "aggregator/cli/batch_cursor.h"

#include <algorithm>
#include <cassert>

namespace silt::cli {

std::string CanonicalLabels(const LabelPairs& labels) {
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += labels[i].first;
    out += "=\"";
    for (char c : labels[i].second) {
      if (c == '\\' || c == '"') {
        out.push_back('\\');
        out.push_back(c);
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out.push_back(c);
      }
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

std::vector<FlatEntry> FlattenStreams(QueryResult result, Direction direction) {
  std::vector<FlatEntry> out;
  size_t total = 0;
  for (const LogStream& stream : result.streams) total += stream.entries.size();
  out.reserve(total);
  for (LogStream& stream : result.streams) {
    auto labels = std::make_shared<const LabelPairs>(std::move(stream.labels));
    std::string key = CanonicalLabels(*labels);
    for (LogEntry& entry : stream.entries) {
      out.push_back(FlatEntry{labels, key, std::move(entry)});
    }
  }
  const bool forward = direction == Direction::kForward;
  std::stable_sort(out.begin(), out.end(), [forward](const FlatEntry& a, const FlatEntry& b) {
    if (a.entry.timestamp_ns != b.entry.timestamp_ns) {
      return forward ? a.entry.timestamp_ns < b.entry.timestamp_ns
                     : a.entry.timestamp_ns > b.entry.timestamp_ns;
    }
    return a.stream_key < b.stream_key;
  });
  return out;
}

BatchCursor::BatchCursor(TimeRange range, Direction direction, int64_t limit, int64_t batch)
    : window_(range), direction_(direction), limit_(limit), batch_(batch), request_limit_(batch) {
  assert(batch > 0);
  done_ = range.start_ns >= range.end_ns;
}

BatchRequest BatchCursor::Next() const {
  BatchRequest request{window_, request_limit_};
  if (limit_ > 0) {
    // Enough to cover what is left after dropping what was handed out at the boundary.
    request.limit = std::min(request.limit, limit_ - emitted_ + boundary_count_);
  }
  return request;
}

std::string BatchCursor::DedupKey(const FlatEntry& entry) {
  std::string key = entry.stream_key;
  key.push_back('\0');
  key += entry.entry.line;
  return key;
}

std::vector<FlatEntry> BatchCursor::Accept(std::vector<FlatEntry> batch) {
  const bool full = static_cast<int64_t>(batch.size()) >= Next().limit;
  std::unordered_map<std::string, int64_t> already = boundary_seen_;
  std::vector<FlatEntry> fresh;
  for (FlatEntry& entry : batch) {
    if (limit_ > 0 && emitted_ >= limit_) break;
    if (has_boundary_ && entry.entry.timestamp_ns == boundary_ns_) {
      auto it = already.find(DedupKey(entry));
      if (it != already.end() && it->second > 0) {
        --it->second;
        continue;
      }
    }
    fresh.push_back(entry);
    ++emitted_;
  }
  if (!full || batch.empty() || (limit_ > 0 && emitted_ >= limit_)) {
    done_ = true;
    return fresh;
  }
  const bool single_timestamp = batch.front().entry.timestamp_ns == batch.back().entry.timestamp_ns;
  // More entries share the last timestamp than one request brings: ask for more next time.
  request_limit_ = fresh.empty() || single_timestamp ? request_limit_ * 2 : batch_;
  MoveBoundary(batch, fresh);
  return fresh;
}

void BatchCursor::MoveBoundary(const std::vector<FlatEntry>& batch,
                               const std::vector<FlatEntry>& fresh) {
  const int64_t last = batch.back().entry.timestamp_ns;
  if (!has_boundary_ || last != boundary_ns_) {
    boundary_seen_.clear();
    boundary_count_ = 0;
  }
  has_boundary_ = true;
  boundary_ns_ = last;
  for (const FlatEntry& entry : fresh) {
    if (entry.entry.timestamp_ns != last) continue;
    ++boundary_seen_[DedupKey(entry)];
    ++boundary_count_;
  }
  if (direction_ == Direction::kBackward) {
    window_.end_ns = last + 1;
  } else {
    window_.start_ns = last;
  }
}

}  // namespace silt::cli
