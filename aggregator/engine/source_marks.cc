#include "aggregator/engine/source_marks.h"

#include <algorithm>
#include <utility>

#include "aggregator/store/binary_coding.h"

namespace silt::engine {
namespace {

constexpr uint8_t kStateVersion = 1;

SourceMarks::Key KeyOf(std::string_view tenant, std::string_view agent_id, uint64_t source_id) {
  return SourceMarks::Key{std::string(tenant), std::string(agent_id), source_id};
}

bool Overlaps(const SourceRange& a, const SourceRange& b) {
  return a.start < b.end && b.start < a.end;
}

std::string Describe(const SourceMarks::Key& key, const SourceRange& range) {
  return "agent '" + key.agent_id + "' source " + std::to_string(key.source_id) + " bytes [" +
         std::to_string(range.start) + ", " + std::to_string(range.end) + ")";
}

}  // namespace

Result<size_t> SourceMarks::Admit(PushRequest* request) {
  if (request->agent_id.empty() || request->sources.empty()) return size_t{0};
  std::lock_guard lock(mu_);
  SILT_RETURN_IF_ERROR(CheckOrderLocked(*request));
  std::vector<uint64_t> marks(request->sources.size());
  for (size_t i = 0; i < request->sources.size(); ++i) {
    const SourceRange& range = request->sources[i];
    Key key = KeyOf(request->tenant, request->agent_id, range.source_id);
    if (auto it = in_flight_.find(key); it != in_flight_.end()) {
      for (const SourceRange& busy : it->second) {
        if (Overlaps(busy, range) || busy == range) {
          return Status::Unavailable(Describe(key, range) +
                                     " overlaps a batch still being written; retry shortly");
        }
      }
    }
    auto it = marks_.find(key);
    marks[i] = it == marks_.end() ? 0 : it->second.end;
  }
  size_t removed = 0;
  for (PushStream& stream : request->streams) {
    auto keep =
        std::remove_if(stream.entries.begin(), stream.entries.end(), [&](const PushEntry& entry) {
          return entry.source < marks.size() && entry.end_offset <= marks[entry.source];
        });
    removed += static_cast<size_t>(stream.entries.end() - keep);
    stream.entries.erase(keep, stream.entries.end());
  }
  std::erase_if(request->streams, [](const PushStream& s) { return s.entries.empty(); });
  for (const SourceRange& range : request->sources) {
    Key key = KeyOf(request->tenant, request->agent_id, range.source_id);
    resend_from_.erase(key);  // CheckOrderLocked passed: this range is the resend (or no gap)
    in_flight_[std::move(key)].push_back(range);
  }
  return removed;
}

void SourceMarks::Commit(const PushRequest& request, int64_t now_ns) {
  if (request.agent_id.empty()) return;
  std::lock_guard lock(mu_);
  for (const SourceRange& range : request.sources) {
    RaiseLocked(KeyOf(request.tenant, request.agent_id, range.source_id), range.end, now_ns);
  }
  AbortLocked(request);
}

void SourceMarks::Abort(const PushRequest& request) {
  if (request.agent_id.empty()) return;
  std::lock_guard lock(mu_);
  AbortLocked(request);
}

void SourceMarks::Fail(const PushRequest& request) {
  if (request.agent_id.empty()) return;
  std::lock_guard lock(mu_);
  for (const SourceRange& range : request.sources) {
    auto [it, added] = resend_from_.try_emplace(
        KeyOf(request.tenant, request.agent_id, range.source_id), range.start);
    if (!added) it->second = std::min(it->second, range.start);
  }
}

Status SourceMarks::CheckOrder(const PushRequest& request) const {
  if (request.agent_id.empty()) return Status::Ok();
  std::lock_guard lock(mu_);
  return CheckOrderLocked(request);
}

Status SourceMarks::CheckOrderLocked(const PushRequest& request) const {
  for (const SourceRange& range : request.sources) {
    Key key = KeyOf(request.tenant, request.agent_id, range.source_id);
    auto it = resend_from_.find(key);
    if (it != resend_from_.end() && range.start > it->second) {
      return Status::Unavailable(Describe(key, range) + " starts past bytes from offset " +
                                 std::to_string(it->second) +
                                 " that failed to be written; resend those first");
    }
  }
  return Status::Ok();
}

void SourceMarks::AbortLocked(const PushRequest& request) {
  for (const SourceRange& range : request.sources) {
    auto it = in_flight_.find(KeyOf(request.tenant, request.agent_id, range.source_id));
    if (it == in_flight_.end()) continue;
    auto& ranges = it->second;
    if (auto r = std::find(ranges.begin(), ranges.end(), range); r != ranges.end()) {
      ranges.erase(r);
    }
    if (ranges.empty()) in_flight_.erase(it);
  }
}

void SourceMarks::Replay(std::string_view tenant, std::string_view agent_id,
                         const std::vector<SourceRange>& ranges, int64_t now_ns) {
  if (agent_id.empty()) return;
  std::lock_guard lock(mu_);
  for (const SourceRange& range : ranges) {
    RaiseLocked(KeyOf(tenant, agent_id, range.source_id), range.end, now_ns);
  }
}

void SourceMarks::RaiseLocked(const Key& key, uint64_t end, int64_t now_ns) {
  Mark& mark = marks_[key];
  mark.end = std::max(mark.end, end);
  mark.last_update_ns = std::max(mark.last_update_ns, now_ns);
}

size_t SourceMarks::Expire(int64_t now_ns, int64_t idle_ns) {
  std::lock_guard lock(mu_);
  return std::erase_if(marks_, [&](const auto& item) {
    return item.second.last_update_ns < now_ns - idle_ns && !in_flight_.contains(item.first);
  });
}

uint64_t SourceMarks::Get(std::string_view tenant, std::string_view agent_id,
                          uint64_t source_id) const {
  std::lock_guard lock(mu_);
  auto it = marks_.find(KeyOf(tenant, agent_id, source_id));
  return it == marks_.end() ? 0 : it->second.end;
}

size_t SourceMarks::size() const {
  std::lock_guard lock(mu_);
  return marks_.size();
}

std::string SourceMarks::Encode() const {
  std::lock_guard lock(mu_);
  std::string out;
  store::PutFixed8(kStateVersion, &out);
  store::PutVarint64(marks_.size(), &out);
  for (const auto& [key, mark] : marks_) {
    store::PutVarint64(key.tenant.size(), &out);
    out.append(key.tenant);
    store::PutVarint64(key.agent_id.size(), &out);
    out.append(key.agent_id);
    store::PutFixed64(key.source_id, &out);
    store::PutVarint64(mark.end, &out);
    store::PutFixed64(static_cast<uint64_t>(mark.last_update_ns), &out);
  }
  return out;
}

Status SourceMarks::Decode(std::string_view state) {
  std::map<Key, Mark> marks;
  if (!state.empty()) {
    store::ByteReader reader(state);
    auto bad = [&](std::string_view what) {
      return Status::Corruption("source marks in checkpoint: " + std::string(what) + " at byte " +
                                std::to_string(reader.offset()));
    };
    uint64_t version, count;
    if (!reader.ReadFixed(1, &version) || version != kStateVersion) {
      return bad("unknown version");
    }
    if (!reader.ReadVarint64(&count) || count > reader.remaining() / 19) {
      return bad("count truncated or too large");
    }
    for (uint64_t i = 0; i < count; ++i) {
      std::string_view tenant, agent;
      Key key;
      Mark mark;
      uint64_t updated;
      if (!reader.ReadLengthPrefixed(&tenant) || !reader.ReadLengthPrefixed(&agent) ||
          !reader.ReadFixed(8, &key.source_id) || !reader.ReadVarint64(&mark.end) ||
          !reader.ReadFixed(8, &updated)) {
        return bad("mark " + std::to_string(i) + " truncated");
      }
      key.tenant.assign(tenant);
      key.agent_id.assign(agent);
      mark.last_update_ns = static_cast<int64_t>(updated);
      marks[std::move(key)] = mark;
    }
    if (!reader.empty()) return bad("trailing bytes");
  }
  std::lock_guard lock(mu_);
  marks_ = std::move(marks);
  return Status::Ok();
}

}  // namespace silt::engine
