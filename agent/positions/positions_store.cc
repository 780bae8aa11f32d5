#include "agent/positions/positions_store.h"

#include <algorithm>
#include <utility>

#include "agent/positions/positions_format.h"

namespace silt::agent {

PositionsStore::PositionsStore(fs::FileSystem* fs, std::string path)
    : fs_(fs), path_(std::move(path)) {}

Status PositionsStore::Load() {
  entries_.clear();
  waiting_.clear();
  dirty_ = false;
  Result<std::string> data = fs_->ReadFileToString(path_);
  if (!data.ok()) {
    if (data.status().code() == StatusCode::kNotFound) return Status::Ok();
    return data.status().WithContext("reading positions file " + path_ +
                                     " (starting from the configured read_from)");
  }
  Result<std::vector<Position>> decoded = DecodePositions(*data);
  if (!decoded.ok()) {
    const std::string aside = path_ + ".corrupt";
    Status moved = fs_->RenameFile(path_, aside);
    std::string what =
        moved.ok() ? "moved it to " + aside : "could not move it aside (" + moved.ToString() + ")";
    return Status::Corruption("positions file " + path_ + ": " +
                              std::string(decoded.status().message()) + "; " + what +
                              "; starting from the configured read_from (lines may be read "
                              "again or skipped; see agent/positions/README.md)");
  }
  for (Position& p : *decoded) entries_.emplace(p.source_id, std::move(p));
  return Status::Ok();
}

Status PositionsStore::Flush() {
  if (!dirty_) return Status::Ok();
  std::vector<Position> all;
  all.reserve(entries_.size());
  for (const auto& [id, p] : entries_) all.push_back(p);
  SILT_RETURN_IF_ERROR(fs_->WriteFileAtomically(path_, EncodePositions(all))
                           .WithContext("saving positions file " + path_));
  dirty_ = false;
  return Status::Ok();
}

const Position* PositionsStore::Find(uint64_t source_id) const {
  auto it = entries_.find(source_id);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<const Position*> PositionsStore::FindByInode(uint64_t device, uint64_t inode) const {
  std::vector<const Position*> found;
  for (const auto& [id, p] : entries_) {
    if (p.identity.SameInode(device, inode)) found.push_back(&p);
  }
  return found;
}

void PositionsStore::Put(const Position& position) {
  auto [it, inserted] = entries_.try_emplace(position.source_id, position);
  if (inserted) {
    dirty_ = true;
  } else if (!(it->second == position)) {
    it->second = position;
    dirty_ = true;
  }
}

void PositionsStore::Remove(uint64_t source_id) {
  if (entries_.erase(source_id) > 0) dirty_ = true;
  waiting_.erase(source_id);
}

bool PositionsStore::Confirm(uint64_t source_id, uint64_t start_offset, uint64_t end_offset) {
  auto entry = entries_.find(source_id);
  if (entry == entries_.end() || end_offset <= start_offset) return false;
  std::map<uint64_t, uint64_t>& waiting = waiting_[source_id];
  uint64_t& end = waiting[start_offset];
  end = std::max(end, end_offset);
  uint64_t offset = entry->second.offset;
  while (!waiting.empty() && waiting.begin()->first <= offset) {
    offset = std::max(offset, waiting.begin()->second);
    waiting.erase(waiting.begin());
  }
  if (waiting.empty()) waiting_.erase(source_id);
  if (offset == entry->second.offset) return false;
  entry->second.offset = offset;
  dirty_ = true;
  return true;
}

size_t PositionsStore::waiting_ranges() const {
  size_t n = 0;
  for (const auto& [id, ranges] : waiting_) n += ranges.size();
  return n;
}

}  // namespace silt::agent
