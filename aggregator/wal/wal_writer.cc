#include "aggregator/wal/wal_writer.h"

#include <pthread.h>

#include <cstring>
#include <utility>

#include "aggregator/wal/checkpoint.h"
#include "aggregator/wal/segment_file.h"
#include "aggregator/wal/wal_format.h"
#include "shared/hash/xxh3.h"

namespace silt::wal {
namespace {

// A batch buffer that grew past this is released after use rather than kept for the next one.
constexpr size_t kMaxRetainedBatchBytes = size_t{64} << 20;

void Bump(std::atomic<uint64_t>& counter, uint64_t by = 1) {
  counter.fetch_add(by, std::memory_order_relaxed);
}

}  // namespace

Result<std::unique_ptr<WalWriter>> WalWriter::Open(const WalOptions& options,
                                                   std::unique_ptr<fs::FileLock> lock,
                                                   uint64_t next_sequence,
                                                   uint64_t checkpoint_sequence) {
  SILT_RETURN_IF_ERROR(ValidateWalOptions(options));
  if (next_sequence == 0 || next_sequence > kMaxSequence) {
    return Status::InvalidArgument("WAL writer: next sequence " + std::to_string(next_sequence) +
                                   " is outside 1.." + std::to_string(kMaxSequence));
  }
  return std::unique_ptr<WalWriter>(
      new WalWriter(options, std::move(lock), next_sequence, checkpoint_sequence));
}

WalWriter::WalWriter(const WalOptions& options, std::unique_ptr<fs::FileLock> lock,
                     uint64_t next_sequence, uint64_t checkpoint_sequence)
    : options_(options),
      lock_(std::move(lock)),
      last_durable_(next_sequence - 1),
      next_sequence_(next_sequence),
      checkpoint_sequence_(checkpoint_sequence) {
  thread_ = std::thread([this] { Run(); });
}

WalWriter::~WalWriter() {
  // Close's status is kept in status(); a destructor has nobody to report it to.
  Close().IgnoreError();
}

Status WalWriter::Append(uint8_t type, std::string_view payload, AppendCallback done,
                         AppendHooks hooks) {
  SILT_RETURN_IF_ERROR(CheckPayloadSize(payload.size()));
  const uint64_t payload_hash = hash::Xxh3(payload);  // outside the lock
  Entry entry;
  entry.done = std::move(done);
  return Queue(
      type, payload.size(), &payload_hash,
      [payload](std::span<char> out) {
        if (!payload.empty()) std::memcpy(out.data(), payload.data(), payload.size());
        return payload.size();
      },
      std::move(entry), std::move(hooks));
}

Status WalWriter::AppendInPlace(uint8_t type, size_t payload_size, const PayloadWriter& write,
                                PayloadCallback done, AppendHooks hooks) {
  SILT_RETURN_IF_ERROR(CheckPayloadSize(payload_size));
  Entry entry;
  entry.done_with_payload = std::move(done);
  return Queue(type, payload_size, /*payload_hash=*/nullptr, write, std::move(entry),
               std::move(hooks));
}

Status WalWriter::CheckPayloadSize(size_t size) const {
  if (size <= options_.max_payload_bytes) return Status::Ok();
  return Status::InvalidArgument(
      "WAL record payload is " + std::to_string(size) + " bytes, over the limit of " +
      std::to_string(options_.max_payload_bytes) + " (max_payload_bytes); split it");
}

Status WalWriter::Queue(uint8_t type, size_t payload_size, const uint64_t* payload_hash,
                        const PayloadWriter& write, Entry entry, AppendHooks hooks) {
  const size_t size = kRecordHeaderSize + payload_size;
  {
    std::lock_guard lock(mu_);
    if (!failure_.ok()) {
      Bump(stats_.failed_after_stop);
      return failure_;
    }
    if (closing_) return Status::Unavailable("WAL " + options_.dir + " is closed");
    if (hooks.admit) SILT_RETURN_IF_ERROR(hooks.admit());
    if (options_.max_queue_bytes != 0 && queued_bytes_ != 0 &&
        queued_bytes_ + size > options_.max_queue_bytes) {
      Bump(stats_.rejected_queue_full);
      return Status::ResourceExhausted(
          "WAL " + options_.dir + " queue is full (" + std::to_string(queued_bytes_) +
          " bytes waiting for the disk, limit " + std::to_string(options_.max_queue_bytes) +
          "); back off and retry");
    }
    const size_t offset = pending_.bytes.size();
    char* record = pending_.bytes.Extend(size);
    std::span<char> payload(record + kRecordHeaderSize, payload_size);
    const size_t written = write(payload);
    if (written != payload_size) {
      pending_.bytes.Truncate(offset);
      return Status::InvalidArgument("WAL record payload writer wrote " + std::to_string(written) +
                                     " bytes where " + std::to_string(payload_size) +
                                     " were announced; nothing was queued (a bug in the caller's "
                                     "size computation)");
    }
    RecordHeader header;
    header.payload_length = static_cast<uint32_t>(payload_size);
    header.type = type;  // sequence 0 until the writer numbers it
    header.payload_hash = payload_hash != nullptr
                              ? *payload_hash
                              : hash::Xxh3(std::string_view(payload.data(), payload.size()));
    EncodeRecordHeader(header, record);
    entry.offset = offset;
    entry.size = size;
    entry.refused = std::move(hooks.refused);
    pending_.entries.push_back(std::move(entry));
    queued_bytes_ += size;
    stats_.queued_bytes.store(queued_bytes_, std::memory_order_relaxed);
  }
  work_cv_.notify_one();
  return Status::Ok();
}

Result<uint64_t> WalWriter::AppendSync(uint8_t type, std::string_view payload) {
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    bool finished = false;
    Status status;
    uint64_t sequence = 0;
  };
  auto waiter = std::make_shared<Waiter>();
  SILT_RETURN_IF_ERROR(Append(type, payload, [waiter](const Status& status, uint64_t sequence) {
    std::lock_guard lock(waiter->mu);
    waiter->status = status;
    waiter->sequence = sequence;
    waiter->finished = true;
    waiter->cv.notify_one();
  }));
  std::unique_lock lock(waiter->mu);
  waiter->cv.wait(lock, [&] { return waiter->finished; });
  if (!waiter->status.ok()) return waiter->status;
  return waiter->sequence;
}

Status WalWriter::Close() {
  std::lock_guard close_lock(close_mu_);
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  work_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  return status();
}

Status WalWriter::status() const {
  std::lock_guard lock(mu_);
  return failure_;
}

uint64_t WalWriter::checkpoint_sequence() const {
  std::lock_guard lock(checkpoint_mu_);
  return checkpoint_sequence_;
}

void WalWriter::Run() {
  // Named for top, perf and gdb (at most 15 characters).
  pthread_setname_np(pthread_self(), "silt-wal");
  Batch batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [this] { return !pending_.entries.empty() || closing_; });
      if (pending_.entries.empty()) break;
      std::swap(batch, pending_);
      pending_.lead = LeadAfter(batch);
      pending_.bytes.Extend(pending_.lead);
    }
    const uint64_t first_sequence = next_sequence_;
    size_t durable = 0;
    Status status = WriteBatch(batch, &durable);
    next_sequence_ = first_sequence + durable;
    const bool fatal = !status.ok() && status.code() != StatusCode::kResourceExhausted;
    Batch queued;
    if (fatal) queued = Stop(status);
    if (!status.ok() && !fatal) RefuseQueuedBehind(batch, durable, &queued);
    Complete(batch, first_sequence, durable, status);
    // After the callbacks, so acknowledgements do not wait for it: nothing reads the WAL back
    // while it runs, and written pages dropped now are the ones the next batch reuses.
    if (status.ok() && active_) active_->DropSyncedPages();
    if (fatal) {
      Complete(queued, 0, 0, status);
      return;
    }
    if (!queued.entries.empty()) {
      Complete(queued, 0, 0,
               Status::ResourceExhausted("WAL disk full: this record was queued behind one that "
                                         "did not fit; nothing was written; free disk space, "
                                         "then retry"));
    }
  }
  Status sealed = SealActive();
  if (!sealed.ok()) {
    Batch queued = Stop(sealed);
    Complete(queued, 0, 0, sealed);
  }
}

void WalWriter::RefuseQueuedBehind(Batch& batch, size_t durable, Batch* behind) {
  std::lock_guard lock(mu_);
  for (size_t i = durable; i < batch.entries.size(); ++i) {
    if (batch.entries[i].refused) batch.entries[i].refused();
  }
  std::swap(*behind, pending_);
  for (Entry& entry : behind->entries) {
    if (entry.refused) entry.refused();
  }
}

Status WalWriter::WriteBatch(Batch& batch, size_t* durable) {
  const size_t n = batch.entries.size();
  if (next_sequence_ + n - 1 > kMaxSequence) {
    return Fatal("numbering of records", Status::InvalidArgument("sequence numbers exhausted"));
  }
  for (size_t i = 0; i < n; ++i) {
    SetRecordSequence(batch.bytes.data() + batch.entries[i].offset, next_sequence_ + i);
  }
  size_t i = 0;
  while (i < n) {
    if (active_ && active_records_ > 0 &&
        active_size_ + batch.entries[i].size > options_.max_segment_bytes) {
      SILT_RETURN_IF_ERROR(SealActive());
      *durable = i;
    }
    uint64_t used = active_ ? active_size_ : kSegmentHeaderSize;
    uint64_t room = options_.max_segment_bytes > used ? options_.max_segment_bytes - used : 0;
    size_t end = i + 1;
    uint64_t run = batch.entries[i].size;
    while (end < n && run + batch.entries[end].size <= room) run += batch.entries[end++].size;
    SILT_RETURN_IF_ERROR(WriteRun(batch, i, end));
    i = end;
  }
  SILT_RETURN_IF_ERROR(SyncActive());
  *durable = n;
  return Status::Ok();
}

Status WalWriter::WriteRun(const Batch& batch, size_t begin, size_t end) {
  const bool fresh = !active_;
  if (fresh) SILT_RETURN_IF_ERROR(CreateSegment(next_sequence_ + begin));
  const uint64_t good_size = active_size_;
  const size_t last = end - 1;
  std::string_view run(
      batch.bytes.data() + batch.entries[begin].offset,
      batch.entries[last].offset + batch.entries[last].size - batch.entries[begin].offset);
  Status status;
  if (fresh) status = active_->Append(segment_header_);
  if (status.ok()) status = active_->Append(run);
  if (status.ok()) status = active_->Flush();
  if (!status.ok()) {
    if (status.code() == StatusCode::kResourceExhausted) {
      return RollBack(fresh, good_size, status);
    }
    return Fatal("write to " + active_->path(), status);
  }
  active_size_ += (fresh ? segment_header_.size() : 0) + run.size();
  active_records_ += end - begin;
  unsynced_ = true;
  return Status::Ok();
}

Status WalWriter::CreateSegment(uint64_t first_sequence) {
  std::string path = fs::JoinPath(options_.dir, SegmentFileName(first_sequence));
  Result<std::unique_ptr<fs::WritableFile>> file =
      options_.direct_io ? options_.fs->NewDirectWritableFile(path, fs::OpenMode::kMustNotExist)
                         : options_.fs->NewWritableFile(path, fs::OpenMode::kMustNotExist);
  if (!file.ok()) {
    if (file.status().code() == StatusCode::kResourceExhausted) {
      return Status::ResourceExhausted("WAL disk full: " + std::string(file.status().message()) +
                                       "; nothing was written; free disk space, then retry");
    }
    return Fatal("creation of segment " + path, file.status());
  }
  active_ = std::move(*file);
  active_size_ = 0;
  active_records_ = 0;
  dir_unsynced_ = true;
  segment_header_.clear();
  SegmentHeader header;
  header.first_sequence = first_sequence;
  header.created_wall_ns = options_.wall_clock_ns ? options_.wall_clock_ns() : 0;
  AppendSegmentHeader(header, &segment_header_);
  SetActiveFirstSequence(first_sequence);
  return Status::Ok();
}

// After ENOSPC part of the run may be in the file. Cut the file back to what was durable before
// (truncate + fdatasync; a fresh segment is deleted instead) so that the next batch follows
// intact data. Anything going wrong on the way is fatal.
Status WalWriter::RollBack(bool fresh_segment, uint64_t good_size, const Status& cause) {
  const std::string path = active_->path();
  // The file is reopened or deleted below; its close status says nothing about durable data.
  active_->Close().IgnoreError();
  active_.reset();
  if (fresh_segment) {
    SetActiveFirstSequence(0);
    dir_unsynced_ = false;
    Status status = options_.fs->DeleteFile(path);
    if (status.ok()) status = options_.fs->SyncDir(options_.dir);
    if (!status.ok()) return Fatal("removal of " + path + " after running out of space", status);
  } else {
    Status status = options_.fs->TruncateFile(path, good_size);
    Result<std::unique_ptr<fs::WritableFile>> file =
        status.ok() ? options_.fs->NewWritableFile(path, fs::OpenMode::kAppend)
                    : Result<std::unique_ptr<fs::WritableFile>>(status);
    if (file.ok() && (*file)->Size() != good_size) {
      file = Status::IOError("size is " + std::to_string((*file)->Size()) +
                             " after truncating to " + std::to_string(good_size));
    }
    if (file.ok()) status = (*file)->Sync();
    if (!file.ok() || !status.ok()) {
      return Fatal("truncation of " + path + " after running out of space",
                   file.ok() ? status : file.status());
    }
    active_ = std::move(*file);
  }
  return Status::ResourceExhausted("WAL disk full: " + std::string(cause.message()) +
                                   "; the records were not written (nothing of them stays in " +
                                   options_.dir + "); free disk space, then retry");
}

Status WalWriter::SyncActive() {
  if (!unsynced_) return Status::Ok();
  Status status = active_->Sync();
  if (!status.ok()) return Fatal("fdatasync of " + active_->path(), status);
  Bump(stats_.syncs);
  if (dir_unsynced_) {
    status = options_.fs->SyncDir(options_.dir);
    if (!status.ok()) return Fatal("fsync of directory " + options_.dir, status);
    dir_unsynced_ = false;
    Bump(stats_.segments_created);
    Bump(stats_.bytes_written, kSegmentHeaderSize);
  }
  unsynced_ = false;
  return Status::Ok();
}

Status WalWriter::SealActive() {
  if (!active_) return Status::Ok();
  SILT_RETURN_IF_ERROR(SyncActive());
  active_->DropSyncedPages();
  Status status = active_->Close();
  if (!status.ok()) return Fatal("close of " + active_->path(), status);
  active_.reset();
  SetActiveFirstSequence(0);
  return Status::Ok();
}

Status WalWriter::Fatal(const std::string& what, const Status& cause) const {
  return Status::IOError("WAL stopped accepting writes after a failed " + what + " (" +
                         cause.ToString() +
                         "); every pending append failed and new ones are refused; restart the "
                         "aggregator so that recovery can repair " +
                         options_.dir);
}

WalWriter::Batch WalWriter::Stop(const Status& fatal) {
  Batch queued;
  {
    std::lock_guard lock(mu_);
    failure_ = fatal;
    std::swap(queued, pending_);
  }
  stats_.stopped.store(1, std::memory_order_relaxed);
  if (active_) {
    // The WAL is stopped; recovery decides what of this file survives.
    active_->Close().IgnoreError();
    active_.reset();
  }
  if (options_.on_fatal) options_.on_fatal(fatal);
  return queued;
}

void WalWriter::Complete(Batch& batch, uint64_t first_sequence, size_t durable,
                         const Status& failure) {
  if (durable > 0) last_durable_.store(first_sequence + durable - 1);
  uint64_t payload_bytes = 0;
  for (size_t i = 0; i < durable; ++i) payload_bytes += batch.entries[i].size - kRecordHeaderSize;
  Bump(stats_.records_appended, durable);
  Bump(stats_.payload_bytes_appended, payload_bytes);
  Bump(stats_.bytes_written, payload_bytes + durable * kRecordHeaderSize);
  if (durable == batch.entries.size()) Bump(stats_.group_commits);
  {
    // Before the callbacks: an acknowledged client may append again at once.
    std::lock_guard lock(mu_);
    queued_bytes_ -= batch.bytes.size() - batch.lead;
    stats_.queued_bytes.store(queued_bytes_, std::memory_order_relaxed);
  }
  const size_t failed = batch.entries.size() - durable;
  if (failure.code() == StatusCode::kResourceExhausted) Bump(stats_.rejected_no_space, failed);
  if (failure.code() == StatusCode::kIOError) Bump(stats_.failed_after_stop, failed);
  for (size_t i = 0; i < batch.entries.size(); ++i) {
    Entry& entry = batch.entries[i];
    const Status& status = i < durable ? Status::Ok() : failure;
    const uint64_t sequence = i < durable ? first_sequence + i : 0;
    if (entry.done) entry.done(status, sequence);
    if (entry.done_with_payload) {
      entry.done_with_payload(
          status, sequence,
          batch.bytes.view(entry.offset + kRecordHeaderSize, entry.size - kRecordHeaderSize));
    }
  }
  batch.entries.clear();
  batch.bytes.Clear();
  batch.lead = 0;
  if (batch.bytes.capacity() > kMaxRetainedBatchBytes) batch.bytes.Release();
}

size_t WalWriter::LeadAfter(const Batch& taken) const {
  if (!options_.direct_io) return 0;
  // WriteBatch's segment rolls, record by record: where `taken` ends if all goes well.
  bool open = active_ != nullptr;
  uint64_t size = active_size_;
  uint64_t records = active_records_;
  for (const Entry& entry : taken.entries) {
    if (open && records > 0 && size + entry.size > options_.max_segment_bytes) open = false;
    if (!open) {
      open = true;
      size = kSegmentHeaderSize;
      records = 0;
    }
    size += entry.size;
    ++records;
  }
  return static_cast<size_t>(size % BatchBuffer::kAlignment);
}

void WalWriter::SetActiveFirstSequence(uint64_t sequence) {
  std::lock_guard lock(mu_);
  active_first_sequence_ = sequence;
}

Status WalWriter::WriteCheckpoint(uint64_t sequence, std::string_view state) {
  std::lock_guard checkpoint_lock(checkpoint_mu_);
  SILT_RETURN_IF_ERROR(status());
  if (sequence < checkpoint_sequence_) {
    return Status::InvalidArgument(
        "WAL checkpoint " + std::to_string(sequence) + " is below the current one (" +
        std::to_string(checkpoint_sequence_) + "); checkpoints only move forward");
  }
  if (sequence > last_durable_sequence()) {
    return Status::InvalidArgument("WAL checkpoint " + std::to_string(sequence) +
                                   " is above the last durable record (" +
                                   std::to_string(last_durable_sequence()) + ")");
  }
  Checkpoint checkpoint;
  checkpoint.sequence = sequence;
  checkpoint.state = std::string(state);
  SILT_RETURN_IF_ERROR(WriteCheckpointFile(options_.fs, options_.dir, checkpoint));
  checkpoint_sequence_ = sequence;
  Bump(stats_.checkpoints_written);
  return Status::Ok();
}

Status WalWriter::DeleteSegmentsCoveredBy(uint64_t sequence) {
  std::lock_guard checkpoint_lock(checkpoint_mu_);
  SILT_RETURN_IF_ERROR(status());
  if (sequence > checkpoint_sequence_) {
    return Status::InvalidArgument("cannot delete WAL segments up to sequence " +
                                   std::to_string(sequence) + ": the checkpoint is at " +
                                   std::to_string(checkpoint_sequence_) +
                                   "; write the checkpoint first");
  }
  uint64_t active;
  {
    std::lock_guard lock(mu_);
    active = active_first_sequence_;
  }
  SILT_ASSIGN_OR_RETURN(std::vector<SegmentFile> segments, ListSegments(options_.fs, options_.dir));
  Status status;
  bool deleted = false;
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    if (segments[i + 1].first_sequence - 1 > sequence) break;
    if (segments[i].first_sequence == active) break;
    status = options_.fs->DeleteFile(segments[i].path);
    if (!status.ok()) break;
    deleted = true;
    Bump(stats_.segments_deleted);
  }
  if (deleted) {
    Status synced = options_.fs->SyncDir(options_.dir);
    if (status.ok()) status = synced;
  }
  return status.WithContext("deleting WAL segments covered by checkpoint " +
                            std::to_string(sequence));
}

}  // namespace silt::wal
