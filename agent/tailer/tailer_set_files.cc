#include "agent/tailer/tailer_set.h"

#include <algorithm>
#include <cassert>
#include <string_view>
#include <utility>

// TailerSet, part two: the life of a tracked file (track, attach, retire, truncate, close), reading
// and batching, saving positions, stats and events. Part one (tailer_set.cc) maps paths to files.

namespace silt::agent {
namespace {

constexpr size_t kMaxEvents = 1024;
// Open files' last_seen is rewritten at most this often, so an idle agent does not rewrite the
// positions file on every Flush.
constexpr int64_t kLastSeenRefreshNs = 60'000'000'000;
// How far back from the end read_from: tail looks for the start of the last line.
constexpr uint64_t kTailWindow = 64 * 1024;

std::string Offset(uint64_t offset) { return "offset " + std::to_string(offset); }

}  // namespace

TailerSet::TrackedFile* TailerSet::Track(OpenedFile opened, uint64_t source_id, uint64_t offset,
                                         const std::string& label_path,
                                         const std::string& at_path) {
  auto file = std::make_unique<TrackedFile>();
  file->mtime_ns = opened.info.mtime_ns;
  file->label_path = label_path;
  file->tailer = std::make_unique<FileTailer>(std::move(opened.file), opened.identity, source_id,
                                              offset, options_.lines);
  Position entry;
  if (const Position* existing = positions_->Find(source_id)) entry = *existing;
  entry.source_id = source_id;
  entry.identity = opened.identity;
  entry.path = label_path;
  entry.mtime_ns = opened.info.mtime_ns;
  if (positions_->Find(source_id) == nullptr) entry.offset = offset;
  positions_->Put(entry);
  stats_.files_opened++;
  TrackedFile* raw = file.get();
  files_.push_back(std::move(file));
  if (at_path.empty()) {
    raw->rotation_seq = next_rotation_seq_++;
    EnforceRotatedLimit();
  } else {
    raw->at_path = at_path;
  }
  return raw;
}

void TailerSet::Attach(TrackedFile& file, const std::string& path, PathState* state) {
  if (!file.at_path.empty() && file.at_path != path) {
    auto old = paths_.find(file.at_path);
    if (old != paths_.end() && old->second.current == &file) {
      old->second.current = nullptr;
      old->second.rotated_since_ns = file.mtime_ns;
    }
  }
  file.at_path = path;
  file.rotation_seq = 0;
  file.idle_since_ns.reset();
  file.readable = true;
  state->current = &file;
}

void TailerSet::Retire(TrackedFile& file, PathState* state, const char* why) {
  // Truncated before it moved away (copytruncate, then a rename, between two looks)? Its old
  // content then continues in the copy and what it holds now is a new source.
  CheckTruncation(file, file.mtime_ns);
  if (file.closed) return;
  const std::string path = file.at_path;
  file.at_path.clear();
  file.rotation_seq = next_rotation_seq_++;
  file.idle_since_ns.reset();
  file.readable = true;
  state->current = nullptr;
  state->rotated_since_ns = file.mtime_ns;
  stats_.rotations++;
  AddEvent(TailerEvent::Kind::kRotated, file.label_path, file.tailer->source_id(),
           "the file at " + path + " " + why + "; draining it from " +
               Offset(file.tailer->offset()) + " before its successor");
  EnforceRotatedLimit();
}

void TailerSet::EnforceRotatedLimit() {
  for (;;) {
    TrackedFile* oldest = nullptr;
    size_t rotated = 0;
    for (auto& file : files_) {
      if (file->closed || !file->rotated()) continue;
      rotated++;
      if (oldest == nullptr || file->rotation_seq < oldest->rotation_seq) oldest = file.get();
    }
    if (rotated <= options_.max_open_rotated) return;
    Result<uint64_t> size = oldest->tailer->Size();
    const uint64_t read = oldest->tailer->committed_offset();
    const uint64_t dropped = size.ok() && *size > read ? *size - read : 0;
    stats_.rotated_abandoned++;
    stats_.bytes_dropped += dropped;
    AddEvent(TailerEvent::Kind::kAbandoned, oldest->label_path, oldest->tailer->source_id(),
             "more than max_open_rotated (" + std::to_string(options_.max_open_rotated) +
                 ") rotated files are open: abandoned " + oldest->tailer->file_path() + " with " +
                 std::to_string(dropped) + " unread bytes after " + Offset(read));
    Close(*oldest, CloseMode::kAbandon);
  }
}

void TailerSet::Close(TrackedFile& file, CloseMode mode) {
  assert(file.rotated());
  const uint64_t id = file.tailer->source_id();
  if (mode == CloseMode::kFinish) {
    builder_.Finish(*file.tailer, file.label_path);
    AccountLines(file);
  }
  const Position* entry = positions_->Find(id);
  if (entry != nullptr) {
    if (file.tailer->identity().fingerprint.size == 0 && file.tailer->offset() == 0) {
      positions_->Remove(id);  // an empty file: nothing to remember
    } else {
      Position updated = *entry;
      updated.identity = file.tailer->identity();
      updated.mtime_ns = file.mtime_ns;
      positions_->Put(updated);
      closed_read_end_[id] = file.tailer->offset();
    }
  }
  if (mode == CloseMode::kFinish) {
    AddEvent(TailerEvent::Kind::kClosed, file.label_path, id,
             "closed " + file.tailer->file_path() + " (rotated from " + file.label_path + ") at " +
                 Offset(file.tailer->offset()) + " after draining it");
  }
  stats_.files_closed++;
  file.closed = true;
}

void TailerSet::CheckTruncation(TrackedFile& file, int64_t previous_mtime_ns) {
  Result<bool> truncated = file.tailer->CheckTruncated();
  if (!truncated.ok()) {
    ReportError(file.label_path, file.tailer->source_id(), truncated.status());
    return;
  }
  if (*truncated) HandleTruncation(file, previous_mtime_ns);
}

void TailerSet::HandleTruncation(TrackedFile& file, int64_t previous_mtime_ns) {
  stats_.truncations++;
  const uint64_t old_id = file.tailer->source_id();
  const uint64_t resume_at = file.tailer->committed_offset();
  const std::string& path = file.label_path;
  if (!RecoverFromCopy(old_id, path, file.tailer->identity().fingerprint, resume_at)) {
    builder_.Finish(*file.tailer, path);
    AccountLines(file);
    positions_->Remove(old_id);
    AddEvent(TailerEvent::Kind::kTruncated, path, old_id,
             file.tailer->file_path() +
                 " was truncated and no copy with its first bytes was "
                 "found beside it: bytes written after " +
                 Offset(file.tailer->offset()) + " before the truncation were not read");
  }
  // Copies of earlier incarnations (two truncations between looks) are unseen rotated files.
  ScanForRotated(path, previous_mtime_ns);
  // The new content is a new source (a rotated file that was truncated stays rotated).
  const uint64_t new_id = NewSourceId();
  Status restarted = file.tailer->Restart(new_id);
  if (!restarted.ok()) {
    ReportError(path, old_id, restarted);
    DropFile(file);
    return;
  }
  file.accounted = file.tailer->line_stats();
  Position entry;
  entry.source_id = new_id;
  entry.identity = file.tailer->identity();
  entry.path = path;
  entry.mtime_ns = file.mtime_ns;
  positions_->Put(entry);
  file.readable = true;
  AddEvent(TailerEvent::Kind::kTruncated, path, new_id,
           "reading " + file.tailer->file_path() + " again from offset 0 as a new source");
}

void TailerSet::DropFile(TrackedFile& file) {
  if (!file.rotated()) {
    auto it = paths_.find(file.at_path);
    if (it != paths_.end() && it->second.current == &file) it->second.current = nullptr;
  }
  file.at_path.clear();
  file.closed = true;
  stats_.files_closed++;
}

PollResult TailerSet::Poll(int64_t now_ns) {
  std::set<std::string> undrained;  // watched paths whose rotated files still hold unread bytes
  bool more = PollRotated(now_ns, &undrained);
  more = PollCurrent(undrained) || more;
  SweepClosed();
  for (const auto& file : files_) {
    if (!file->at_eof && (file->rotated() || file->readable)) more = true;
  }
  Batch batch = builder_.Take();
  PollResult result{batch.lines, batch.bytes, more};
  if (!batch.empty()) sink_->Deliver(std::move(batch));
  return result;
}

bool TailerSet::PollRotated(int64_t now_ns, std::set<std::string>* undrained) {
  std::vector<TrackedFile*> rotated;
  for (auto& file : files_) {
    if (!file->closed && file->rotated()) rotated.push_back(file.get());
  }
  std::sort(rotated.begin(), rotated.end(), [](const TrackedFile* a, const TrackedFile* b) {
    return a->rotation_seq < b->rotation_seq;
  });
  bool more = false;
  for (TrackedFile* file : rotated) {
    if (file->closed) continue;
    if (builder_.full()) {
      more = true;
      undrained->insert(file->label_path);
      continue;
    }
    const bool got_data = ReadAvailable(*file);
    if (file->closed) continue;
    if (!file->at_eof) {
      undrained->insert(file->label_path);
      continue;
    }
    if (got_data || !file->idle_since_ns.has_value()) file->idle_since_ns = now_ns;
    if (now_ns - *file->idle_since_ns >= options_.rotate_wait_ns) Close(*file, CloseMode::kFinish);
  }
  return more;
}

bool TailerSet::PollCurrent(const std::set<std::string>& undrained) {
  std::vector<TrackedFile*> current;
  for (auto& file : files_) {
    if (!file->closed && !file->rotated()) current.push_back(file.get());
  }
  // Round robin: a busy file that fills every batch does not starve the ones after it.
  for (size_t i = 0; i < current.size(); ++i) {
    const size_t index = (active_cursor_ + i) % current.size();
    TrackedFile* file = current[index];
    if (file->closed || file->rotated() || !file->readable) continue;
    if (undrained.count(file->label_path) > 0) continue;  // its predecessor first
    if (builder_.full()) {
      active_cursor_ = index;
      return true;
    }
    ReadAvailable(*file);
  }
  return false;
}

bool TailerSet::ReadAvailable(TrackedFile& file) {
  bool got_data = false;
  bool truncated = false;
  file.at_eof = false;
  while (!builder_.full()) {
    const std::string path = file.label_path;
    Result<FileTailer::ReadResult> read =
        builder_.Read(*file.tailer, path, scratch_.data(), scratch_.size());
    if (!read.ok()) {
      ReportError(path, file.tailer->source_id(), read.status());
      file.readable = false;
      file.at_eof = true;
      return got_data;
    }
    AccountLines(file);
    switch (read->outcome) {
      case FileTailer::ReadOutcome::kData:
        got_data = true;
        stats_.bytes_read += read->bytes;
        break;
      case FileTailer::ReadOutcome::kEndOfFile:
        file.at_eof = true;
        file.readable = false;
        return got_data;
      case FileTailer::ReadOutcome::kTruncated:
        // Once per call: a file rewritten faster than it is read waits for the next Poll.
        if (truncated) return got_data;
        truncated = true;
        HandleTruncation(file, file.mtime_ns);
        if (file.closed) return got_data;
        break;
    }
  }
  return got_data;
}

void TailerSet::AccountLines(TrackedFile& file) {
  const LineSplitterStats& now = file.tailer->line_stats();
  stats_.lines_read += now.lines - file.accounted.lines;
  stats_.lines_truncated += now.truncated_lines - file.accounted.truncated_lines;
  stats_.lines_skipped += now.skipped_lines - file.accounted.skipped_lines;
  stats_.bytes_skipped += now.skipped_bytes - file.accounted.skipped_bytes;
  file.accounted = now;
}

uint64_t TailerSet::TailOffset(const OpenedFile& opened) {
  Result<uint64_t> size = opened.file->Size();
  if (!size.ok() || *size == 0) return 0;
  const uint64_t window = std::min<uint64_t>(*size, kTailWindow);
  std::string buffer(window, '\0');
  Result<size_t> n = opened.file->Read(*size - window, window, buffer.data());
  if (!n.ok()) return *size;
  const std::string_view tail(buffer.data(), *n);
  const size_t newline = tail.rfind('\n');
  if (newline != std::string_view::npos) return *size - window + newline + 1;
  // No line boundary in sight: the whole file is one partial line, or a very long one.
  return window == *size ? 0 : *size;
}

uint64_t TailerSet::NewSourceId() {
  ++sources_started_;
  for (;;) {
    const uint64_t id = ids_->Next();
    if (id != 0 && positions_->Find(id) == nullptr) return id;
  }
}

TailerSet::TrackedFile* TailerSet::FindTracked(uint64_t device, uint64_t inode) {
  for (auto& file : files_) {
    if (!file->closed && file->tailer->identity().SameInode(device, inode)) return file.get();
  }
  return nullptr;
}

void TailerSet::SweepClosed() {
  std::erase_if(files_, [](const std::unique_ptr<TrackedFile>& f) { return f->closed; });
}

Status TailerSet::Flush(int64_t wall_ns) {
  std::set<uint64_t> open;
  for (auto& file : files_) {
    const uint64_t id = file->tailer->source_id();
    open.insert(id);
    const Position* entry = positions_->Find(id);
    if (entry == nullptr) continue;
    Position updated = *entry;
    updated.identity = file->tailer->identity();
    updated.mtime_ns = file->mtime_ns;
    if (updated.last_seen_ns == 0 || wall_ns - updated.last_seen_ns >= kLastSeenRefreshNs) {
      updated.last_seen_ns = wall_ns;
    }
    positions_->Put(updated);
  }
  std::vector<Position> stamp;
  std::vector<uint64_t> expired;
  for (const auto& [id, entry] : positions_->entries()) {
    if (open.count(id) > 0) continue;
    if (entry.last_seen_ns == 0) {
      stamp.push_back(entry);
    } else if (wall_ns - entry.last_seen_ns > options_.forget_after_ns) {
      expired.push_back(id);
    }
  }
  for (Position& entry : stamp) {
    entry.last_seen_ns = wall_ns;
    positions_->Put(entry);
  }
  for (uint64_t id : expired) {
    positions_->Remove(id);
    closed_read_end_.erase(id);
  }
  return positions_->Flush();
}

TailerStats TailerSet::stats() const {
  TailerStats stats = stats_;
  stats.watched_paths = paths_.size();
  for (const auto& file : files_) {
    if (file->closed) continue;
    stats.open_files++;
    if (file->rotated()) stats.open_rotated_files++;
    Result<uint64_t> size = file->tailer->Size();
    if (size.ok() && *size > file->tailer->offset())
      stats.lag_bytes += *size - file->tailer->offset();
  }
  return stats;
}

std::vector<TailerEvent> TailerSet::TakeEvents() {
  std::vector<TailerEvent> out;
  out.swap(events_);
  return out;
}

void TailerSet::AddEvent(TailerEvent::Kind kind, const std::string& path, uint64_t source_id,
                         std::string message) {
  if (events_.size() >= kMaxEvents) {
    stats_.events_dropped++;
    return;
  }
  events_.push_back(TailerEvent{kind, path, source_id, std::move(message)});
}

void TailerSet::ReportError(const std::string& path, uint64_t source_id, const Status& status) {
  stats_.errors++;
  AddEvent(TailerEvent::Kind::kError, path, source_id,
           status.ToString() + "; other files are still tailed, " + path + " is retried on its " +
               "next event or rescan");
}

}  // namespace silt::agent
