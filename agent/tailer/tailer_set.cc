#include "agent/tailer/tailer_set.h"

// TailerSet, part one: mapping watched paths to files (rotation, restart, copies). Part two
// (tailer_set_files.cc) is the life of each file, reading, saving and reporting.

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>
#include <utility>

namespace silt::agent {
namespace {

std::string Offset(uint64_t offset) { return "offset " + std::to_string(offset); }

// An entry whose file is gone (TailerSet::MarkFileGone): it only records its path's last look.
bool FileIsGone(const Position& entry) { return entry.identity == FileIdentity{}; }

// Whether files `a` and `b` both hold `n` (<= kFingerprintMaxBytes) bytes at `offset`, the same.
bool SameBytesAt(const fs::RandomAccessFile& a, const fs::RandomAccessFile& b, uint64_t offset,
                 size_t n) {
  std::array<char, kFingerprintMaxBytes> in_a;
  std::array<char, kFingerprintMaxBytes> in_b;
  Result<size_t> read_a = a.Read(offset, n, in_a.data());
  Result<size_t> read_b = b.Read(offset, n, in_b.data());
  return read_a.ok() && read_b.ok() && *read_a == n && *read_b == n &&
         std::memcmp(in_a.data(), in_b.data(), n) == 0;
}

}  // namespace

TailerSet::TailerSet(fs::FileSystem* fs, PositionsStore* positions, SourceIdGenerator* ids,
                     BatchSink* sink, Options options)
    : fs_(fs),
      positions_(positions),
      ids_(ids),
      sink_(sink),
      options_(std::move(options)),
      builder_(options_.batch),
      scratch_(options_.read_chunk_size) {
  assert(options_.max_open_rotated >= 1);
  assert(options_.read_chunk_size > 0);
  for (const auto& [id, entry] : positions_->entries()) restorable_[entry.path].push_back(id);
}

TailerSet::~TailerSet() = default;

void TailerSet::OnRescan(const std::vector<std::string>& paths) {
  std::set<std::string> wanted;
  for (const std::string& path : paths) {
    if (!HasIgnoredSuffix(path, options_.ignored_suffixes)) wanted.insert(path);
  }
  for (auto it = paths_.begin(); it != paths_.end();) {
    if (wanted.count(it->first) > 0) {
      ++it;
      continue;
    }
    if (it->second.current != nullptr)
      Retire(*it->second.current, &it->second, "is no longer watched");
    it = paths_.erase(it);
  }
  for (auto& file : files_) file->readable = true;
  std::vector<std::string> fresh;
  for (const std::string& path : wanted) {
    if (paths_.count(path) > 0) {
      ResolvePath(path);
    } else {
      fresh.push_back(path);
    }
  }
  for (const std::string& path : fresh) ResolvePath(path);
  started_ = true;
  SweepClosed();
}

void TailerSet::OnPathChanged(const std::string& path) {
  if (HasIgnoredSuffix(path, options_.ignored_suffixes)) return;
  ResolvePath(path);
  SweepClosed();
}

void TailerSet::ResolvePath(const std::string& path) {
  auto [it, inserted] = paths_.try_emplace(path);
  PathState& state = it->second;
  if (inserted) InitPathState(path, &state);
  Result<fs::FileInfo> info = fs_->Stat(path);
  if (!info.ok() && info.status().code() != StatusCode::kNotFound) {
    ReportError(path, 0, info.status());
    return;
  }
  // Whether to look for rotated files beside the path on this look. The look comes last, once the
  // file at the path is tracked: a copy of that file (copytruncate between its copy and its
  // truncation) is then recognised as one (IsCopyOfTailedFile), not read as a missed rotation.
  bool scan = false;
  if (TrackedFile* current = state.current) {
    if (info.ok() && current->tailer->identity().SameInode(info->device, info->inode)) {
      const int64_t previous_mtime_ns = current->mtime_ns;
      current->mtime_ns = info->mtime_ns;
      current->readable = true;
      CheckTruncation(*current, previous_mtime_ns);
      return;
    }
    Retire(*current, &state,
           info.ok() ? "was replaced by another file" : "was moved away or deleted");
    scan = true;
  }
  if (restorable_.count(path) > 0) {
    RestoreEntriesOf(path, &state, info.ok() ? &*info : nullptr);
    scan = true;
  }
  if (info.ok() && state.current == nullptr) AttachOrOpen(path, &state, *info, &scan);
  if (scan && state.rotated_since_ns) ScanForRotated(path, *state.rotated_since_ns);
  if (!info.ok()) OnPathMissing(path, &state, scan);
}

void TailerSet::OnPathMissing(const std::string& path, PathState* state, bool scanned) {
  if (!state->rotated_since_ns) {
    // Watched while missing: files rotated away before the agent sees one at the path are found
    // by their mtime, compared with the directory's (the same kernel clock). Not on this first
    // look, which may be at startup beside old rotations.
    Result<fs::FileInfo> dir = fs_->Stat(fs::ParentDir(path));
    if (dir.ok()) state->rotated_since_ns = dir->mtime_ns;
  } else if (!scanned) {
    ScanForRotated(path, *state->rotated_since_ns);  // created and rotated away unseen
  }
}

void TailerSet::InitPathState(const std::string& path, PathState* state) {
  state->first_seen_at_startup = !started_;
  for (const auto& [id, entry] : positions_->entries()) {
    if (entry.path != path) continue;
    if (!state->rotated_since_ns || entry.mtime_ns > *state->rotated_since_ns) {
      state->rotated_since_ns = entry.mtime_ns;
    }
  }
  if (started_ && !state->rotated_since_ns && options_.started_wall_ns > 0) {
    // New since startup: its files rotated away before this first look are missed rotations.
    state->rotated_since_ns = options_.started_wall_ns - kCoarseMtimeSlackNs;
  }
}

void TailerSet::RestoreEntriesOf(const std::string& path, PathState* state,
                                 const fs::FileInfo* info) {
  std::vector<Position> entries;
  for (uint64_t id : restorable_[path]) {
    const Position* entry = positions_->Find(id);
    bool open = std::any_of(files_.begin(), files_.end(), [&](const auto& f) {
      return !f->closed && f->tailer->source_id() == id;
    });
    if (entry != nullptr && !open && !FileIsGone(*entry)) entries.push_back(*entry);
  }
  restorable_.erase(path);
  if (info != nullptr) {
    auto at_path = std::find_if(entries.begin(), entries.end(), [&](const Position& e) {
      return e.identity.SameInode(info->device, info->inode);
    });
    if (at_path != entries.end()) {
      Position entry = *at_path;
      entries.erase(at_path);
      ResumeAtPath(path, state, entry);
    }
  }
  if (!entries.empty()) RestoreRotated(path, std::move(entries));
}

void TailerSet::ResumeAtPath(const std::string& path, PathState* state, const Position& entry) {
  Result<OpenedFile> opened = OpenAndIdentify(*fs_, path);
  if (!opened.ok()) {
    // The entry stays in the store: the next event on the path finds it (AttachOrOpen).
    if (opened.status().code() != StatusCode::kNotFound)
      ReportError(path, entry.source_id, opened.status());
    return;
  }
  if (!opened->identity.SameInode(entry.identity)) return;  // replaced meanwhile
  Result<FingerprintCheck> check = CheckFingerprint(*opened->file, entry.identity.fingerprint);
  if (check.ok() && check->matches && opened->info.size >= entry.offset) {
    opened->identity.fingerprint = check->current;
    TrackedFile* file = Track(std::move(*opened), entry.source_id, entry.offset, entry.path, path);
    Attach(*file, path, state);
    stats_.sources_resumed++;
    AddEvent(TailerEvent::Kind::kResumed, path, entry.source_id,
             "resuming " + path + " at saved " + Offset(entry.offset));
    return;
  }
  // Truncated or rewritten while the agent was down; the file at the path is then a new source,
  // opened by AttachOrOpen.
  RecoverTruncatedWhileDown(path, entry);
}

void TailerSet::RecoverTruncatedWhileDown(const std::string& file_path, const Position& entry) {
  stats_.truncations++;
  if (RecoverFromCopy(entry.source_id, entry.path, entry.identity.fingerprint, entry.offset))
    return;
  positions_->Remove(entry.source_id);
  AddEvent(TailerEvent::Kind::kTruncated, entry.path, entry.source_id,
           file_path +
               " was truncated or rewritten while the agent was down and no copy with "
               "its first bytes was found beside it: bytes after saved " +
               Offset(entry.offset) + " of the old content were not read");
}

void TailerSet::RestoreRotated(const std::string& path, std::vector<Position> entries) {
  Result<std::vector<RotationCandidate>> candidates =
      ListRotationCandidates(*fs_, path, options_.ignored_suffixes);
  if (!candidates.ok()) {
    ReportError(path, 0, candidates.status());
    return;
  }
  for (const RotationCandidate& candidate : *candidates) {
    if (entries.empty()) return;
    if (FindTracked(candidate.info.device, candidate.info.inode) != nullptr) continue;
    auto entry = std::find_if(entries.begin(), entries.end(), [&](const Position& e) {
      return e.identity.SameInode(candidate.info.device, candidate.info.inode);
    });
    if (entry == entries.end()) continue;
    const Position saved = *entry;
    entries.erase(entry);
    Result<OpenedFile> opened = OpenAndIdentify(*fs_, candidate.path);
    if (!opened.ok() || !opened->identity.SameInode(saved.identity)) continue;
    Result<FingerprintCheck> check = CheckFingerprint(*opened->file, saved.identity.fingerprint);
    if (!check.ok()) continue;
    if (!check->matches || opened->info.size < saved.offset) {
      // The same file with other content (copytruncate while down): the old content may go on
      // in a copy. What the file holds now is an unseen rotation, found by the scan after this.
      RecoverTruncatedWhileDown(candidate.path, saved);
      continue;
    }
    if (opened->info.size == saved.offset) continue;  // fully delivered; the entry stays a guard
    opened->identity.fingerprint = check->current;
    Track(std::move(*opened), saved.source_id, saved.offset, saved.path, "");
    stats_.sources_resumed++;
    AddEvent(TailerEvent::Kind::kResumed, path, saved.source_id,
             "finishing " + candidate.path + " (rotated from " + path + ") from saved " +
                 Offset(saved.offset) + " before its successors");
  }
  // Entries not found stay in the store until forget_after: their files may come back.
}

void TailerSet::AttachOrOpen(const std::string& path, PathState* state, const fs::FileInfo& seen,
                             bool* scan) {
  Result<OpenedFile> opened = OpenAndIdentify(*fs_, path);
  if (!opened.ok()) {
    if (opened.status().code() != StatusCode::kNotFound) ReportError(path, 0, opened.status());
    return;
  }
  // The file stat'ed at the path was rotated away before the open got its successor: it is under
  // a rotated name now.
  if (!opened->identity.SameInode(seen.device, seen.inode)) *scan = true;
  if (TrackedFile* file = FindTracked(opened->identity.device, opened->identity.inode)) {
    Attach(*file, path, state);
    return;
  }
  if (std::optional<Position> entry = FindEntryFor(*opened)) {
    uint64_t offset = entry->offset;
    auto read_end = closed_read_end_.find(entry->source_id);
    if (read_end != closed_read_end_.end() && read_end->second <= opened->info.size) {
      offset = std::max(offset, read_end->second);
    }
    closed_read_end_.erase(entry->source_id);
    TrackedFile* file = Track(std::move(*opened), entry->source_id, offset, entry->path, path);
    Attach(*file, path, state);
    stats_.sources_resumed++;
    AddEvent(TailerEvent::Kind::kResumed, path, entry->source_id,
             "resuming " + path + " at " + Offset(offset) + " (a file seen before)");
    return;
  }
  // A new file at a path that had others: files rotated away before it are missed rotations.
  *scan = true;
  uint64_t offset = 0;
  const bool from_tail = !state->rotated_since_ns && state->first_seen_at_startup &&
                         options_.read_from == ReadFrom::kTail;
  if (from_tail) offset = TailOffset(*opened);
  const uint64_t id = NewSourceId();
  TrackedFile* file = Track(std::move(*opened), id, offset, path, path);
  Attach(*file, path, state);
  AddEvent(TailerEvent::Kind::kOpened, path, id,
           "tailing " + path + " from " + Offset(offset) + (from_tail ? " (read_from: tail)" : ""));
}

void TailerSet::ScanForRotated(const std::string& path, int64_t modified_since_ns) {
  Result<std::vector<RotationCandidate>> candidates =
      ListRotationCandidates(*fs_, path, options_.ignored_suffixes);
  if (!candidates.ok()) {
    ReportError(path, 0, candidates.status());
    return;
  }
  for (const RotationCandidate& candidate : *candidates) {
    if (candidate.info.mtime_ns < modified_since_ns) continue;
    if (FindTracked(candidate.info.device, candidate.info.inode) != nullptr) continue;
    Result<OpenedFile> opened = OpenAndIdentify(*fs_, candidate.path);
    if (!opened.ok()) {
      if (opened.status().code() != StatusCode::kNotFound) ReportError(path, 0, opened.status());
      continue;
    }
    if (FindTracked(opened->identity.device, opened->identity.inode) != nullptr) continue;
    if (FindEntryFor(*opened).has_value()) continue;  // seen before
    if (IsCopyOfTailedFile(path, *opened)) {
      AddEvent(TailerEvent::Kind::kCopySeen, path, 0,
               candidate.path + " holds the bytes of " + path +
                   ", which is tailed: a copy (copytruncate between its copy and its "
                   "truncation), not a missed rotation; it is read only if " + path +
                   " is truncated");
      continue;
    }
    const uint64_t id = NewSourceId();
    Track(std::move(*opened), id, 0, path, "");
    stats_.rotated_found++;
    AddEvent(TailerEvent::Kind::kFoundRotated, path, id,
             "found " + candidate.path + ", rotated from " + path +
                 " before the agent saw it; reading it from offset 0");
  }
}

bool TailerSet::IsCopyOfTailedFile(const std::string& path, const OpenedFile& candidate) {
  Result<Fingerprint> head = ComputeFingerprint(*candidate.file);
  if (!head.ok() || head->size == 0) return false;
  for (const auto& file : files_) {
    if (file->closed || file->label_path != path) continue;
    Result<uint64_t> size = file->tailer->Size();
    if (!size.ok() || *size < candidate.info.size) continue;
    Result<FingerprintCheck> check = CheckFingerprint(file->tailer->file(), *head);
    if (!check.ok() || !check->matches) continue;
    // The same first bytes may be a banner every incarnation starts with: a copy also ends with
    // what the tailed file holds at the same offset.
    const size_t tail = std::min<uint64_t>(candidate.info.size, kFingerprintMaxBytes);
    if (SameBytesAt(*candidate.file, file->tailer->file(), candidate.info.size - tail, tail)) {
      return true;
    }
  }
  return false;
}

bool TailerSet::RecoverFromCopy(uint64_t source_id, const std::string& path,
                                const Fingerprint& fingerprint, uint64_t resume_at) {
  // An empty fingerprint matches anything; nothing was read then, and unseen files beside the
  // path are found by ScanForRotated instead.
  if (fingerprint.size == 0) return false;
  Result<std::vector<RotationCandidate>> candidates =
      ListRotationCandidates(*fs_, path, options_.ignored_suffixes);
  if (!candidates.ok()) {
    ReportError(path, source_id, candidates.status());
    return false;
  }
  for (auto it = candidates->rbegin(); it != candidates->rend(); ++it) {  // newest first
    if (it->info.size < resume_at) continue;
    if (FindTracked(it->info.device, it->info.inode) != nullptr) continue;
    Result<OpenedFile> opened = OpenAndIdentify(*fs_, it->path);
    if (!opened.ok() || FindEntryFor(*opened, source_id).has_value()) continue;
    Result<FingerprintCheck> check = CheckFingerprint(*opened->file, fingerprint);
    if (!check.ok() || !check->matches) continue;
    opened->identity.fingerprint = check->current;
    const std::string copy_path = it->path;
    Track(std::move(*opened), source_id, resume_at, path, "");
    stats_.copies_recovered++;
    AddEvent(TailerEvent::Kind::kCopyRecovered, path, source_id,
             path + " was truncated; reading the rest of its old content from the copy " +
                 copy_path + " at " + Offset(resume_at));
    return true;
  }
  return false;
}

std::optional<Position> TailerSet::FindEntryFor(const OpenedFile& opened,
                                                uint64_t ignored_source_id) {
  std::optional<Position> found;
  std::vector<uint64_t> stale;
  for (const Position* entry :
       positions_->FindByInode(opened.identity.device, opened.identity.inode)) {
    if (entry->source_id == ignored_source_id) continue;
    Result<FingerprintCheck> check = CheckFingerprint(*opened.file, entry->identity.fingerprint);
    if (!check.ok()) continue;
    if (check->matches && opened.info.size >= entry->offset && !found.has_value()) {
      found = *entry;
    } else {
      // The inode now holds another file (reused), or this one shrank while nobody watched.
      stale.push_back(entry->source_id);
    }
  }
  for (uint64_t id : stale) MarkFileGone(id);
  return found;
}

void TailerSet::MarkFileGone(uint64_t source_id) {
  // Not removed: it may be its path's only entry, and the path's last look (InitPathState) would
  // go with it (at this restart when that path is resolved after the one holding the reused
  // inode, or at the next one), so rotations missed at that path would never be looked for.
  const Position* entry = positions_->Find(source_id);
  assert(entry != nullptr);
  Position gone = *entry;
  gone.identity = FileIdentity{};  // matches no file: (device, inode) (0, 0) is never stat'ed
  positions_->Put(gone);
  closed_read_end_.erase(source_id);
}

}  // namespace silt::agent
