// FrozenPartition: one (tenant, time partition) of the head, taken out of ingest by Head::Freeze
// so the flusher can write it as one chunk file while queries keep reading it. Its streams are
// snapshots sorted by labels; each iterates in timestamp order, as ChunkWriter::Append needs:
//
//   for (const FrozenStream& stream : frozen->streams()) {
//     SILT_RETURN_IF_ERROR(writer.BeginStream(stream.labels));
//     for (StreamIterator it = stream.data.NewIterator(Direction::kForward); it.Valid();
//          it.Next()) {
//       metadata.clear();
//       it.AppendMetadata(&metadata);
//       SILT_RETURN_IF_ERROR(writer.Append(it.timestamp(), it.line(), metadata));
//     }
//     SILT_RETURN_IF_ERROR(writer.EndStream());
//   }
//   ... Finish(frozen->wal_seq_hi()), then Head::Release(frozen).
//
// Thread-safety: immutable; shared by shared_ptr between the head, the flusher and queries.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aggregator/store/stream_snapshot.h"
#include "shared/labels/label_set.h"

namespace silt::store {

// Names a partition of the head: the tenant and the partition's start.
struct PartitionKey {
  std::string tenant;
  int64_t start = 0;
  friend bool operator==(const PartitionKey&, const PartitionKey&) = default;
  friend auto operator<=>(const PartitionKey&, const PartitionKey&) = default;
};

struct FrozenStream {
  labels::LabelSet labels;
  StreamSnapshot data;  // never empty
};

class FrozenPartition {
 public:
  // `streams` sorted by labels; `bytes` is what the head accounted for the partition.
  FrozenPartition(PartitionKey key, int64_t end, uint64_t wal_seq_lo, uint64_t wal_seq_hi,
                  std::vector<FrozenStream> streams, size_t bytes);

  const PartitionKey& key() const { return key_; }
  const std::string& tenant() const { return key_.tenant; }
  int64_t start() const { return key_.start; }
  // Exclusive: every entry has start() <= timestamp < end().
  int64_t end() const { return end_; }
  // The smallest and largest WAL sequence numbers applied to the partition. Every WAL record up
  // to wal_seq_hi() that touched this tenant and partition while it was live is fully contained.
  uint64_t wal_seq_lo() const { return wal_seq_lo_; }
  uint64_t wal_seq_hi() const { return wal_seq_hi_; }
  std::span<const FrozenStream> streams() const { return streams_; }
  uint64_t entries() const { return entries_; }
  // Oldest and newest entry timestamps.
  int64_t min_ts() const { return min_ts_; }
  int64_t max_ts() const { return max_ts_; }
  // Heap bytes held (counted by the head until Release).
  size_t bytes() const { return bytes_; }

 private:
  PartitionKey key_;
  int64_t end_;
  uint64_t wal_seq_lo_;
  uint64_t wal_seq_hi_;
  std::vector<FrozenStream> streams_;
  size_t bytes_;
  uint64_t entries_ = 0;
  int64_t min_ts_;
  int64_t max_ts_;
};

}  // namespace silt::store
