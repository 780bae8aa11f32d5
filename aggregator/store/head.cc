#include "aggregator/store/head.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <set>
#include <unordered_map>
#include <utility>

#include "aggregator/store/content_hash_set.h"
#include "aggregator/store/entry_arena.h"
#include "shared/time/timestamp.h"

namespace silt::store {
namespace {

constexpr int64_t kNoTimestamp = std::numeric_limits<int64_t>::min();
// Approximate heap bytes of the bookkeeping around the data: a partition, a stream's entry in a
// partition's map, and a stream's window record.
constexpr size_t kPartitionBytes = 192;
constexpr size_t kStreamEntryBytes = 96;
constexpr size_t kRecordBytes = 80;

bool SameEntry(const HeadEntry& a, const HeadEntry& b) {
  return a.timestamp == b.timestamp && a.line == b.line &&
         std::equal(a.metadata.begin(), a.metadata.end(), b.metadata.begin(), b.metadata.end());
}

// The entries of a Check batch accepted so far, to find duplicates within the batch. A duplicate
// has the timestamp of an entry accepted before it, so an entry newer than all of them (the
// common case: timestamps rising through a batch) needs no lookup and is not even hashed until
// an entry that could repeat it comes. An agent gives every line of a tailer batch the same
// timestamp: those are looked up by content hash, O(1) each (comparing with every accepted
// entry of that timestamp was quadratic). No allocation per entry.
class AcceptedEntries {
 public:
  explicit AcceptedEntries(std::span<const HeadEntry> entries) : entries_(entries) {}
  // Whether an accepted entry is identical to entries[i].
  bool Contains(size_t i) {
    const HeadEntry& entry = entries_[i];
    hash_ = 0;
    if (accepted_.empty() || entry.timestamp > newest_) return false;
    for (; indexed_ < accepted_.size(); ++indexed_) {
      Accepted& item = accepted_[indexed_];
      item.hash = Hash(entries_[item.index]);
      hashes_.Insert(item.hash);
    }
    hash_ = Hash(entry);
    if (!hashes_.Contains(hash_)) return false;
    // Rare: a real duplicate (or a 64-bit collision) - find it among the accepted.
    return std::any_of(accepted_.begin(), accepted_.end(), [&](const Accepted& item) {
      return item.hash == hash_ && SameEntry(entries_[item.index], entry);
    });
  }
  // Precondition: Contains(i) was the last call and returned false.
  void Add(size_t i) {
    newest_ = accepted_.empty() ? entries_[i].timestamp : std::max(newest_, entries_[i].timestamp);
    accepted_.push_back({i, hash_});
    // Hashed by Contains: indexed now, so an unhashed entry never sits behind a hashed one.
    if (hash_ != 0 && indexed_ + 1 == accepted_.size()) {
      hashes_.Insert(hash_);
      ++indexed_;
    }
  }

 private:
  struct Accepted {
    size_t index = 0;   // into entries_
    uint64_t hash = 0;  // 0 until indexed
  };
  static uint64_t Hash(const HeadEntry& entry) {
    uint64_t hash = ContentHash(entry.line, entry.metadata) ^
                    (static_cast<uint64_t>(entry.timestamp) * 0x9E3779B97F4A7C15ULL);
    return hash != 0 ? hash : 1;  // 0 means "not hashed"
  }

  std::span<const HeadEntry> entries_;
  std::vector<Accepted> accepted_;
  size_t indexed_ = 0;  // accepted_[0, indexed_) are in hashes_
  ContentHashSet hashes_;
  int64_t newest_ = 0;  // the newest accepted timestamp
  uint64_t hash_ = 0;   // of the entry last passed to Contains, 0 when not computed
};

std::string TooOldReason(int64_t timestamp, int64_t oldest) {
  return "entry too far behind, entry timestamp is: " + time::FormatRfc3339Nano(timestamp) +
         ", oldest acceptable timestamp is: " + time::FormatRfc3339Nano(oldest);
}

std::string OutOfRangeReason(int64_t timestamp) {
  return "entry timestamp " + time::FormatRfc3339Nano(timestamp) +
         " is too close to the limits of the representable time range "
         "(1677-09-21..2262-04-11) to be stored; send a realistic timestamp";
}

}  // namespace

struct Head::LivePartition {
  PartitionRange range;
  uint64_t seq_lo = 0;
  uint64_t seq_hi = 0;
  int64_t created_monotonic = 0;
  size_t bytes = 0;
  std::unordered_map<labels::LabelSet, std::unique_ptr<StreamHead>> streams;
};

struct Head::Slot {
  std::vector<std::shared_ptr<const FrozenPartition>> frozen;  // in freeze order
  std::unique_ptr<LivePartition> live;
};

// What the out-of-order window needs of a stream, across its partitions.
struct Head::StreamRecord {
  int64_t newest = kNoTimestamp;
  uint32_t live_partitions = 0;
  bool idle_listed = false;
};

struct Head::Tenant {
  int64_t newest = kNoTimestamp;
  std::map<int64_t, Slot> slots;  // by partition start
  std::unordered_map<labels::LabelSet, StreamRecord> streams;
  // Records whose live_partitions dropped to 0; forgotten once out of the window.
  std::vector<labels::LabelSet> idle;
};

Result<std::unique_ptr<Head>> Head::Create(HeadOptions options) {
  SILT_RETURN_IF_ERROR(ValidateHeadOptions(options));
  return std::unique_ptr<Head>(new Head(std::move(options)));
}

Head::Head(HeadOptions options)
    : options_(std::move(options)), pool_(std::make_shared<BlockPool>(options_.max_bytes / 2)) {}

Head::~Head() = default;

CheckResult Head::Check(std::string_view tenant_name, const labels::LabelSet& labels,
                        std::span<const HeadEntry> entries) const {
  CheckResult result;
  result.verdicts.assign(entries.size(), EntryVerdict::kAccepted);
  AcceptedEntries accepted(entries);
  std::lock_guard lock(mu_);
  const Tenant* tenant = nullptr;
  int64_t newest = kNoTimestamp;
  if (auto t = tenants_.find(tenant_name); t != tenants_.end()) {
    tenant = t->second.get();
    if (auto r = tenant->streams.find(labels); r != tenant->streams.end())
      newest = r->second.newest;
  }
  const StreamHead* stream = nullptr;
  std::optional<int64_t> stream_start;  // the partition `stream` was looked up for
  auto reject = [&](size_t i, EntryVerdict verdict, std::string reason, uint64_t* counter) {
    result.verdicts[i] = verdict;
    result.rejections.push_back({i, std::move(reason)});
    ++*counter;
  };
  std::optional<PartitionRange> range;
  for (size_t i = 0; i < entries.size(); ++i) {
    const HeadEntry& entry = entries[i];
    range = PartitionOf(entry.timestamp, options_.partition_ns, range);
    if (!range) {
      reject(i, EntryVerdict::kOutOfRange, OutOfRangeReason(entry.timestamp),
             &counters_.rejected_out_of_range);
      continue;
    }
    int64_t oldest = OldestAcceptableTimestamp(newest, options_.out_of_order_window_ns);
    if (entry.timestamp < oldest) {
      reject(i, EntryVerdict::kTooOld, TooOldReason(entry.timestamp, oldest),
             &counters_.rejected_too_old);
      continue;
    }
    if (stream_start != range->start) {
      stream_start = range->start;
      stream = tenant != nullptr ? LiveStream(*tenant, range->start, labels) : nullptr;
    }
    if ((stream != nullptr && stream->Contains(entry.timestamp, entry.line, entry.metadata)) ||
        accepted.Contains(i)) {
      result.verdicts[i] = EntryVerdict::kDuplicate;
      ++result.duplicates;
      continue;
    }
    ++result.accepted;
    newest = std::max(newest, entry.timestamp);
    accepted.Add(i);
  }
  return result;
}

const StreamHead* Head::LiveStream(const Tenant& tenant, int64_t start,
                                   const labels::LabelSet& labels) const {
  auto slot = tenant.slots.find(start);
  if (slot == tenant.slots.end() || !slot->second.live) return nullptr;
  auto stream = slot->second.live->streams.find(labels);
  return stream == slot->second.live->streams.end() ? nullptr : stream->second.get();
}

ApplyStats Head::Apply(std::string_view tenant_name, const labels::LabelSet& labels,
                       std::span<const HeadEntry> entries, uint64_t wal_sequence) {
  ApplyStats stats;
  std::lock_guard lock(mu_);
  Tenant* tenant = nullptr;
  StreamRecord* record = nullptr;
  LivePartition* partition = nullptr;
  StreamHead* stream = nullptr;
  size_t stream_bytes = 0;
  // Moves the stream's change of size into its partition's and the call's byte counts.
  auto settle = [&] {
    if (stream == nullptr) return;
    partition->bytes += stream->stats().bytes;
    partition->bytes -= stream_bytes;
    stats.bytes_delta += static_cast<int64_t>(stream->stats().bytes - stream_bytes);
    stream_bytes = stream->stats().bytes;
  };
  std::optional<PartitionRange> range;
  for (const HeadEntry& entry : entries) {
    range = PartitionOf(entry.timestamp, options_.partition_ns, range);
    if (!range) {
      ++stats.out_of_range;
      continue;
    }
    if (tenant == nullptr) {
      tenant = &TenantFor(tenant_name, &stats.bytes_delta);
      record = &RecordFor(*tenant, labels, &stats.bytes_delta);
    }
    if (partition == nullptr || partition->range.start != range->start) {
      settle();
      partition = &LiveFor(*tenant, *range, wal_sequence, &stats.bytes_delta);
      stream = &StreamFor(*partition, labels, *record, &stats.bytes_delta);
      stream_bytes = stream->stats().bytes;
    }
    if (stream->Append(entry.timestamp, entry.line, entry.metadata)) {
      ++stats.appended;
      record->newest = std::max(record->newest, entry.timestamp);
      tenant->newest = std::max(tenant->newest, entry.timestamp);
    } else {
      ++stats.duplicates;
    }
  }
  settle();
  // Unsigned wrap-around makes adding a negative delta a subtraction.
  bytes_.fetch_add(static_cast<size_t>(stats.bytes_delta), std::memory_order_relaxed);
  counters_.entries_applied += stats.appended;
  counters_.duplicates_dropped += stats.duplicates;
  return stats;
}

Head::Tenant& Head::TenantFor(std::string_view name, int64_t* bytes_delta) {
  auto it = tenants_.find(name);
  if (it == tenants_.end()) {
    it = tenants_.emplace(std::string(name), std::make_unique<Tenant>()).first;
    *bytes_delta += static_cast<int64_t>(sizeof(Tenant) + name.size());
  }
  return *it->second;
}

Head::StreamRecord& Head::RecordFor(Tenant& tenant, const labels::LabelSet& labels,
                                    int64_t* bytes_delta) {
  auto [it, inserted] = tenant.streams.try_emplace(labels);
  if (inserted) *bytes_delta += static_cast<int64_t>(kRecordBytes + labels.MemoryBytes());
  return it->second;
}

Head::LivePartition& Head::LiveFor(Tenant& tenant, const PartitionRange& range,
                                   uint64_t wal_sequence, int64_t* bytes_delta) {
  Slot& slot = tenant.slots[range.start];
  if (!slot.live) {
    slot.live = std::make_unique<LivePartition>();
    slot.live->range = range;
    slot.live->seq_lo = wal_sequence;
    slot.live->created_monotonic = options_.clock ? options_.clock->MonotonicNanos() : 0;
    slot.live->bytes = kPartitionBytes;
    *bytes_delta += static_cast<int64_t>(kPartitionBytes);
  }
  assert(wal_sequence >= slot.live->seq_hi && "Apply sequences must not decrease");
  slot.live->seq_hi = std::max(slot.live->seq_hi, wal_sequence);
  return *slot.live;
}

StreamHead& Head::StreamFor(LivePartition& partition, const labels::LabelSet& labels,
                            StreamRecord& record, int64_t* bytes_delta) {
  auto [it, inserted] = partition.streams.try_emplace(labels);
  if (inserted) {
    it->second = std::make_unique<StreamHead>(options_.target_block_bytes, pool_);
    size_t bytes = kStreamEntryBytes + it->second->stats().bytes;
    partition.bytes += bytes;
    *bytes_delta += static_cast<int64_t>(bytes);
    ++record.live_partitions;
  }
  return *it->second;
}

std::vector<FlushCandidate> Head::FlushCandidates(size_t memory_target) const {
  std::vector<FlushCandidate> chosen;
  std::vector<FlushCandidate> others;
  size_t live_bytes = 0;
  std::lock_guard lock(mu_);
  const bool ages = options_.clock != nullptr && options_.max_partition_age_ns > 0;
  const int64_t now = ages ? options_.clock->MonotonicNanos() : 0;
  for (const auto& [name, tenant] : tenants_) {
    int64_t oldest = OldestAcceptableTimestamp(tenant->newest, options_.out_of_order_window_ns);
    for (const auto& [start, slot] : tenant->slots) {
      if (!slot.live) continue;
      const LivePartition& live = *slot.live;
      live_bytes += live.bytes;
      FlushCandidate candidate{PartitionKey{name, start}, FlushReason::kComplete, live.bytes};
      if (live.range.end <= oldest) {
        chosen.push_back(std::move(candidate));
      } else if (ages && now - live.created_monotonic >= options_.max_partition_age_ns) {
        candidate.reason = FlushReason::kAged;
        chosen.push_back(std::move(candidate));
      } else {
        others.push_back(std::move(candidate));
      }
    }
  }
  std::sort(chosen.begin(), chosen.end(), [](const FlushCandidate& a, const FlushCandidate& b) {
    return std::tie(a.key.start, a.key.tenant) < std::tie(b.key.start, b.key.tenant);
  });
  size_t remaining = live_bytes;
  for (const FlushCandidate& candidate : chosen) remaining -= candidate.bytes;
  if (remaining <= memory_target) return chosen;
  std::sort(others.begin(), others.end(), [](const FlushCandidate& a, const FlushCandidate& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.key < b.key;
  });
  for (FlushCandidate& candidate : others) {
    if (remaining <= memory_target) break;
    remaining -= candidate.bytes;
    candidate.reason = FlushReason::kMemory;
    chosen.push_back(std::move(candidate));
  }
  return chosen;
}

std::vector<PartitionKey> Head::LivePartitions() const {
  std::vector<PartitionKey> keys;
  std::lock_guard lock(mu_);
  for (const auto& [name, tenant] : tenants_) {
    for (const auto& [start, slot] : tenant->slots) {
      if (slot.live) keys.push_back(PartitionKey{name, start});
    }
  }
  std::sort(keys.begin(), keys.end(), [](const PartitionKey& a, const PartitionKey& b) {
    return std::tie(a.start, a.tenant) < std::tie(b.start, b.tenant);
  });
  return keys;
}

std::shared_ptr<const FrozenPartition> Head::Freeze(const PartitionKey& key) {
  std::lock_guard lock(mu_);
  auto t = tenants_.find(key.tenant);
  if (t == tenants_.end()) return nullptr;
  Tenant& tenant = *t->second;
  auto slot = tenant.slots.find(key.start);
  if (slot == tenant.slots.end() || !slot->second.live) return nullptr;
  std::unique_ptr<LivePartition> live = std::move(slot->second.live);
  std::vector<FrozenStream> streams;
  streams.reserve(live->streams.size());
  for (const auto& [labels, stream] : live->streams) {
    streams.push_back(FrozenStream{labels, stream->Snapshot()});
    auto record = tenant.streams.find(labels);
    assert(record != tenant.streams.end());
    if (--record->second.live_partitions == 0 && !record->second.idle_listed) {
      record->second.idle_listed = true;
      tenant.idle.push_back(labels);
    }
  }
  std::sort(streams.begin(), streams.end(),
            [](const FrozenStream& a, const FrozenStream& b) { return a.labels < b.labels; });
  auto frozen = std::make_shared<const FrozenPartition>(
      key, live->range.end, live->seq_lo, live->seq_hi, std::move(streams), live->bytes);
  slot->second.frozen.push_back(frozen);
  frozen_bytes_ += frozen->bytes();
  SweepIdle(tenant);
  return frozen;
}

void Head::SweepIdle(Tenant& tenant) {
  const int64_t cutoff = OldestAcceptableTimestamp(tenant.newest, options_.out_of_order_window_ns);
  size_t kept = 0;
  for (size_t i = 0; i < tenant.idle.size(); ++i) {
    const labels::LabelSet& labels = tenant.idle[i];
    auto record = tenant.streams.find(labels);
    if (record == tenant.streams.end()) continue;
    if (record->second.live_partitions > 0) {
      record->second.idle_listed = false;
      continue;
    }
    if (record->second.newest <= cutoff) {
      // Idle and behind the tenant by more than the window: forget it, as Loki drops idle
      // streams once flushed.
      bytes_.fetch_sub(kRecordBytes + labels.MemoryBytes(), std::memory_order_relaxed);
      tenant.streams.erase(record);
      continue;
    }
    if (kept != i) tenant.idle[kept] = std::move(tenant.idle[i]);
    ++kept;
  }
  tenant.idle.resize(kept);
}

bool Head::Release(const std::shared_ptr<const FrozenPartition>& frozen) {
  if (frozen == nullptr) return false;
  std::lock_guard lock(mu_);
  auto t = tenants_.find(frozen->tenant());
  if (t == tenants_.end()) return false;
  Tenant& tenant = *t->second;
  auto slot = tenant.slots.find(frozen->start());
  if (slot == tenant.slots.end()) return false;
  auto& list = slot->second.frozen;
  auto it = std::find(list.begin(), list.end(), frozen);
  if (it == list.end()) return false;
  list.erase(it);
  bytes_.fetch_sub(frozen->bytes(), std::memory_order_relaxed);
  frozen_bytes_ -= frozen->bytes();
  if (list.empty() && !slot->second.live) tenant.slots.erase(slot);
  if (tenant.slots.empty()) {
    // Nothing of the tenant is left in memory: forget its window state too.
    size_t bytes = sizeof(Tenant) + t->first.size();
    for (const auto& [labels, record] : tenant.streams)
      bytes += kRecordBytes + labels.MemoryBytes();
    bytes_.fetch_sub(bytes, std::memory_order_relaxed);
    tenants_.erase(t);
  }
  return true;
}

std::vector<std::shared_ptr<const FrozenPartition>> Head::FrozenPartitions() const {
  std::vector<std::shared_ptr<const FrozenPartition>> out;
  std::lock_guard lock(mu_);
  for (const auto& [name, tenant] : tenants_) {
    for (const auto& [start, slot] : tenant->slots) {
      out.insert(out.end(), slot.frozen.begin(), slot.frozen.end());
    }
  }
  return out;
}

uint64_t Head::MinUnflushedSequence() const {
  uint64_t min = 0;
  auto consider = [&min](uint64_t seq) { min = min == 0 ? seq : std::min(min, seq); };
  std::lock_guard lock(mu_);
  for (const auto& [name, tenant] : tenants_) {
    for (const auto& [start, slot] : tenant->slots) {
      for (const auto& frozen : slot.frozen) consider(frozen->wal_seq_lo());
      if (slot.live) consider(slot.live->seq_lo);
    }
  }
  return min;
}

template <typename OnFrozen, typename OnLive>
void Head::ForEachQualifying(std::string_view tenant_name,
                             std::span<const labels::Matcher> matchers, int64_t from,
                             int64_t through, OnFrozen on_frozen, OnLive on_live) const {
  auto t = tenants_.find(tenant_name);
  if (t == tenants_.end() || from >= through) return;
  const auto& slots = t->second->slots;
  auto it = slots.upper_bound(from);
  if (it != slots.begin()) --it;  // the partition holding `from` starts at or before it
  for (; it != slots.end() && it->first < through; ++it) {
    if (it->first + options_.partition_ns <= from) continue;
    for (const auto& frozen : it->second.frozen) {
      for (const FrozenStream& stream : frozen->streams()) {
        if (stream.data.HasEntriesIn(from, through) &&
            labels::MatchesAll(matchers, stream.labels)) {
          on_frozen(stream);
        }
      }
    }
    if (!it->second.live) continue;
    for (const auto& [labels, stream] : it->second.live->streams) {
      if (stream->HasEntriesIn(from, through) && labels::MatchesAll(matchers, labels)) {
        on_live(labels, *stream);
      }
    }
  }
}

std::vector<HeadStream> Head::Select(std::string_view tenant,
                                     std::span<const labels::Matcher> matchers, int64_t from,
                                     int64_t through) const {
  std::map<labels::LabelSet, std::vector<StreamSnapshot>> found;
  {
    std::lock_guard lock(mu_);
    ForEachQualifying(
        tenant, matchers, from, through,
        [&](const FrozenStream& stream) { found[stream.labels].push_back(stream.data); },
        [&](const labels::LabelSet& labels, const StreamHead& stream) {
          found[labels].push_back(stream.Snapshot());
        });
  }
  std::vector<HeadStream> out;
  out.reserve(found.size());
  for (auto& [labels, pieces] : found) out.emplace_back(labels, std::move(pieces));
  return out;
}

std::vector<labels::LabelSet> Head::Series(std::string_view tenant,
                                           std::span<const labels::Matcher> matchers, int64_t from,
                                           int64_t through) const {
  std::set<labels::LabelSet> found;
  {
    std::lock_guard lock(mu_);
    ForEachQualifying(
        tenant, matchers, from, through,
        [&](const FrozenStream& stream) { found.insert(stream.labels); },
        [&](const labels::LabelSet& labels, const StreamHead&) { found.insert(labels); });
  }
  return std::vector<labels::LabelSet>(found.begin(), found.end());
}

std::vector<std::string> Head::LabelNames(std::string_view tenant,
                                          std::span<const labels::Matcher> matchers, int64_t from,
                                          int64_t through) const {
  std::set<std::string, std::less<>> names;
  for (const labels::LabelSet& series : Series(tenant, matchers, from, through)) {
    for (labels::LabelView label : series) {
      if (names.find(label.name) == names.end()) names.emplace(label.name);
    }
  }
  return std::vector<std::string>(names.begin(), names.end());
}

std::vector<std::string> Head::LabelValues(std::string_view tenant, std::string_view name,
                                           std::span<const labels::Matcher> matchers, int64_t from,
                                           int64_t through) const {
  std::set<std::string, std::less<>> values;
  for (const labels::LabelSet& series : Series(tenant, matchers, from, through)) {
    std::optional<std::string_view> value = series.Get(name);
    if (value && values.find(*value) == values.end()) values.emplace(*value);
  }
  return std::vector<std::string>(values.begin(), values.end());
}

HeadStats Head::stats() const {
  std::lock_guard lock(mu_);
  HeadStats stats = counters_;
  stats.bytes = bytes();
  stats.frozen_bytes = frozen_bytes_;
  stats.pooled_bytes = pool_->free_bytes();
  for (const auto& [name, tenant] : tenants_) {
    for (const auto& [start, slot] : tenant->slots) {
      stats.frozen_partitions += slot.frozen.size();
      if (!slot.live) continue;
      ++stats.live_partitions;
      stats.live_streams += slot.live->streams.size();
    }
  }
  return stats;
}

}  // namespace silt::store
