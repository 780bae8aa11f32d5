// PositionsStore: the agent's table of source positions (one Position per source id), the
// bookkeeping that advances a position only over bytes the sink has confirmed, and the positions
// file it is persisted to (positions_format.h) with FileSystem::WriteFileAtomically, so a crash
// leaves either the previous or the new file, never a mix.
//
// Saving is driven by the caller: Flush() writes the table when it changed, and the event loop
// calls it periodically and at shutdown (see agent/tailer's TailerSet::Flush).
//
// Thread-safety: not thread-safe; owned and used by the agent's loop thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "agent/positions/position.h"
#include "shared/fs/file_system.h"
#include "shared/status/status.h"

namespace silt::agent {

class PositionsStore {
 public:
  // `fs` must outlive the store. `path` is the positions file; its directory must exist.
  PositionsStore(fs::FileSystem* fs, std::string path);

  PositionsStore(const PositionsStore&) = delete;
  PositionsStore& operator=(const PositionsStore&) = delete;

  // Replaces the table with the file's content. A missing file is OK (an empty table: the agent
  // starts from its configured defaults). A corrupt file leaves the table empty and returns
  // Corruption naming the file and the line; the bad file is first renamed to "<path>.corrupt"
  // so the next Flush does not destroy the evidence. Other read failures (IOError,
  // PermissionDenied) also leave the table empty and are returned. In every failure case the
  // caller reports the error and goes on from the configured defaults.
  Status Load();

  // Writes the table if it changed since the last successful Flush (or Load). On failure the
  // table stays marked as changed, so the next Flush retries; the previous file is intact.
  Status Flush();

  // True when the table differs from the last file written or read.
  bool dirty() const { return dirty_; }
  const std::string& path() const { return path_; }

  // The entry of `source_id`, or null. The pointer is valid until the table changes.
  const Position* Find(uint64_t source_id) const;
  // Entries whose identity has this (device, inode), in source id order.
  std::vector<const Position*> FindByInode(uint64_t device, uint64_t inode) const;
  // All entries by source id.
  const std::map<uint64_t, Position>& entries() const { return entries_; }

  // Inserts `position`, or replaces the entry with the same source id. Marks the table changed
  // only when something differs. Precondition: position.source_id != 0.
  void Put(const Position& position);
  // Removes the entry (and its waiting confirmations). No-op for an unknown id.
  void Remove(uint64_t source_id);

  // Records that the sink has delivered the source's bytes [start_offset, end_offset) for good.
  // The stored offset moves to the end of the confirmed range that is contiguous with it;
  // confirmations beyond a gap wait in memory until the gap is confirmed (so acks may arrive in
  // any order and in any split). Confirmations of unknown sources are ignored. Returns true when
  // the stored offset moved.
  bool Confirm(uint64_t source_id, uint64_t start_offset, uint64_t end_offset);
  // Confirmed ranges waiting behind a gap, over all sources (for tests and metrics).
  size_t waiting_ranges() const;

 private:
  fs::FileSystem* const fs_;
  const std::string path_;
  std::map<uint64_t, Position> entries_;
  // Per source: confirmed [start, end) ranges that start after the stored offset.
  std::map<uint64_t, std::map<uint64_t, uint64_t>> waiting_;
  bool dirty_ = false;
};

}  // namespace silt::agent
