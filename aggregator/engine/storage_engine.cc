#include "aggregator/engine/storage_engine.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <span>
#include <utility>

#include "aggregator/engine/data_layout.h"
#include "aggregator/engine/push_record.h"
#include "aggregator/wal/open_wal.h"
#include "shared/time/timestamp.h"

namespace silt::engine {
namespace {

constexpr size_t kMaxListedRejections = 10;
constexpr size_t kBlockCacheBytes = size_t{256} << 20;

std::vector<store::HeadEntry> HeadEntries(const PushStream& stream) {
  std::vector<store::HeadEntry> out;
  out.reserve(stream.entries.size());
  for (const PushEntry& entry : stream.entries) {
    out.push_back(store::HeadEntry{entry.timestamp, entry.line, entry.metadata});
  }
  return out;
}

// Checks `request` and returns the size of its WAL record (PushRecordSize).
Result<size_t> ValidateRequest(const PushRequest& request, uint32_t max_record_bytes) {
  SILT_RETURN_IF_ERROR(ValidateTenantId(request.tenant));
  for (const PushStream& stream : request.streams) {
    if (stream.labels.empty()) {
      return Status::InvalidArgument("push for tenant '" + request.tenant +
                                     "' has a stream without labels: every stream needs at "
                                     "least one label");
    }
    for (const PushEntry& entry : stream.entries) {
      if (entry.source != kNoSource && entry.source >= request.sources.size()) {
        return Status::InvalidArgument("entry of stream " + stream.labels.ToString() +
                                       " refers to source " + std::to_string(entry.source) +
                                       " but the push has " +
                                       std::to_string(request.sources.size()) + " sources");
      }
    }
  }
  const size_t record_bytes = PushRecordSize(request);
  if (record_bytes > max_record_bytes) {
    return Status::InvalidArgument("push of " + std::to_string(request.EntryCount()) +
                                   " entries is larger than the WAL's max record size (" +
                                   std::to_string(max_record_bytes) +
                                   " bytes): send smaller batches");
  }
  return record_bytes;
}

// Structured metadata is stored sorted by name (then value), so that identical entries compare
// equal whatever order the client sent the pairs in. Sorted copies of the pair lists that need
// it go to `storage` (which must outlive the request's use).
void SortMetadata(PushRequest* request, std::vector<std::vector<labels::LabelView>>* storage) {
  auto less = [](const labels::LabelView& a, const labels::LabelView& b) {
    return a.name != b.name ? a.name < b.name : a.value < b.value;
  };
  for (PushStream& stream : request->streams) {
    for (PushEntry& entry : stream.entries) {
      if (entry.metadata.size() < 2 ||
          std::is_sorted(entry.metadata.begin(), entry.metadata.end(), less)) {
        continue;
      }
      std::vector<labels::LabelView>& sorted =
          storage->emplace_back(entry.metadata.begin(), entry.metadata.end());
      std::sort(sorted.begin(), sorted.end(), less);
      entry.metadata = sorted;
    }
  }
}

// mkdir -p, then syncs the parent of every directory it created, so that a power loss cannot
// take away a directory (and the files later made durable in it).
Status CreateDirsDurably(fs::FileSystem* fs, const std::string& dir) {
  if (fs->FileExists(dir)) return Status::Ok();
  std::vector<std::string> created;
  for (std::string path = dir; !path.empty() && path != "/" && path != "." && !fs->FileExists(path);
       path = fs::ParentDir(path)) {
    created.push_back(path);
  }
  SILT_RETURN_IF_ERROR(fs->CreateDirs(dir));
  for (const std::string& path : created) SILT_RETURN_IF_ERROR(fs->SyncDir(fs::ParentDir(path)));
  return Status::Ok();
}

}  // namespace

StorageEngine::StorageEngine(const EngineOptions& options) : options_(options) {}

StorageEngine::~StorageEngine() { Close().IgnoreError(); }  // errors were logged by Close

Result<std::unique_ptr<StorageEngine>> StorageEngine::Open(const EngineOptions& options) {
  SILT_RETURN_IF_ERROR(ValidateEngineOptions(options));
  std::unique_ptr<StorageEngine> engine(new StorageEngine(options));
  SILT_RETURN_IF_ERROR(engine->Recover());
  if (options.background_flush) {
    engine->flusher_ = std::thread([e = engine.get()] { e->FlusherLoop(); });
  }
  return engine;
}

Status StorageEngine::Recover() {
  fs::FileSystem* fs = options_.fs;
  SILT_RETURN_IF_ERROR(CreateDirsDurably(fs, options_.data_dir));
  // The data directory may be left from a process that crashed before syncing it.
  SILT_RETURN_IF_ERROR(fs->SyncDir(fs::ParentDir(options_.data_dir)));
  // Before the catalog load, which removes leftover .tmp files and may rewrite index.silt.
  Result<std::unique_ptr<fs::FileLock>> lock = fs->LockFile(DataDirLockPath(options_.data_dir));
  if (!lock.ok()) return lock.status().WithContext("data directory " + options_.data_dir);
  dir_lock_ = std::move(*lock);
  block_cache_ = std::make_unique<store::BlockCache>(kBlockCacheBytes);
  store::ChunkReaderOptions reader_options;
  reader_options.cache = block_cache_.get();
  reader_options.counters = &read_counters_;
  catalog_ = std::make_unique<ChunkCatalog>(fs, options_.data_dir, reader_options);
  SILT_ASSIGN_OR_RETURN(recovery_.chunks, catalog_->Load());
  store::HeadOptions head_options = options_.head;
  if (head_options.clock == nullptr) head_options.clock = options_.clock;
  SILT_ASSIGN_OR_RETURN(head_, store::Head::Create(head_options));

  wal::WalOptions wal_options;
  wal_options.fs = fs;
  wal_options.dir = WalDir(options_.data_dir);
  wal_options.max_segment_bytes = options_.wal_segment_bytes;
  wal_options.max_payload_bytes = options_.max_record_bytes;
  wal_options.max_queue_bytes = options_.wal_max_queue_bytes;
  wal_options.direct_io = options_.wal_direct_io;
  wal_options.min_next_sequence = catalog_->MaxCoveredSequence() + 1;
  const time::Clock* clock = options_.clock;
  wal_options.wall_clock_ns = [clock] { return clock->WallNanos(); };
  log::Logger* logger = options_.logger;
  wal_options.on_fatal = [logger](const Status& status) {
    if (logger)
      logger->Error("engine", "WAL stopped; acknowledging nothing until restart",
                    {{"error", status.ToString()}});
  };
  wal::ReplayHandler handler;
  handler.on_checkpoint = [this](const wal::Checkpoint& checkpoint) {
    Status decoded = marks_.Decode(checkpoint.state);
    if (!decoded.ok()) recovery_.problems.push_back(decoded.ToString());
    last_applied_ = checkpoint.sequence;
    return Status::Ok();
  };
  handler.on_record = [this](const wal::WalRecord& record) {
    return ReplayRecord(record.sequence, record.payload);
  };
  SILT_ASSIGN_OR_RETURN(wal::OpenedWal opened, wal::OpenWal(wal_options, handler));
  recovery_.wal = std::move(opened.report);
  wal_ = std::move(opened.writer);
  if (logger) {
    logger->Info("engine", "recovered",
                 {{"chunks", recovery_.chunks.chunks},
                  {"corrupt_chunks", recovery_.chunks.corrupt_chunks},
                  {"wal_records_replayed", recovery_.records_applied},
                  {"wal_problems", recovery_.wal.TotalProblems()},
                  {"entries_in_head", recovery_.entries_applied}});
  }
  return Status::Ok();
}

Status StorageEngine::ReplayRecord(uint64_t sequence, std::string_view payload) {
  Status applied = ReplayPayload(sequence, payload);
  if (!applied.ok()) {
    ++recovery_.undecodable_records;
    recovery_.problems.push_back("WAL record " + std::to_string(sequence) +
                                 " skipped: " + applied.ToString());
  }
  last_applied_ = sequence;
  return Status::Ok();
}

Status StorageEngine::ReplayPayload(uint64_t sequence, std::string_view payload) {
  DecodedPush decoded;
  SILT_RETURN_IF_ERROR(DecodePushRecord(payload, &decoded));
  const PushRequest& request = decoded.request;
  std::lock_guard apply(apply_mu_);
  marks_.Replay(request.tenant, request.agent_id, request.sources, options_.clock->WallNanos());
  std::vector<store::HeadEntry> entries;
  for (const PushStream& stream : request.streams) {
    entries.clear();
    for (const PushEntry& entry : stream.entries) {
      int64_t partition = PartitionStart(entry.timestamp, options_.head.partition_ns);
      if (sequence <= catalog_->CoveredSequence(request.tenant, partition)) {
        ++recovery_.entries_already_in_chunks;
        continue;
      }
      entries.push_back(store::HeadEntry{entry.timestamp, entry.line, entry.metadata});
    }
    if (entries.empty()) continue;
    head_->Apply(request.tenant, stream.labels, entries, sequence);
    recovery_.entries_applied += entries.size();
  }
  ++recovery_.records_applied;
  return Status::Ok();
}

void StorageEngine::ApplyDurable(uint64_t sequence, std::string_view payload,
                                 const PushLayout& layout, const PushRequest& admitted) {
  const int64_t now = options_.clock->WallNanos();
  const bool live = live_feed_.subscriber_count() > 0;
  PushRequest published;  // what the live feed gets: views into `payload`
  std::vector<std::vector<labels::LabelView>> published_metadata;
  std::vector<labels::LabelView> metadata;
  std::vector<store::HeadEntry> entries;
  std::lock_guard apply(apply_mu_);
  marks_.Replay(admitted.tenant, admitted.agent_id, admitted.sources, now);
  for (const EncodedStream& stream : layout.streams) {
    layout.Resolve(payload, stream, &metadata, &entries);
    if (entries.empty()) continue;
    head_->Apply(admitted.tenant, stream.labels, entries, sequence);
    if (!live) continue;
    PushStream& out = published.streams.emplace_back(PushStream{stream.labels, {}});
    for (const store::HeadEntry& entry : entries) {
      out.entries.push_back(PushEntry{entry.timestamp, entry.line, entry.metadata});
    }
    // The published entries' metadata views must survive the next stream's Resolve.
    published_metadata.push_back(std::move(metadata));
    metadata = {};
  }
  if (live) {
    published.tenant = admitted.tenant;
    published.agent_id = admitted.agent_id;
    published.sources = admitted.sources;
    live_feed_.Publish(published);  // under apply_mu_: subscribers see WAL order
  }
}

size_t StorageEngine::CheckAgainstHead(PushRequest* request, PushOutcome* outcome) const {
  size_t removed = 0;
  for (PushStream& stream : request->streams) {
    store::CheckResult check = head_->Check(request->tenant, stream.labels, HeadEntries(stream));
    for (const store::EntryRejection& rejection : check.rejections) {
      if (outcome->rejections.size() >= kMaxListedRejections) break;
      outcome->rejections.push_back(
          "stream " + stream.labels.ToString() + " entry at " +
          time::FormatRfc3339Nano(stream.entries[rejection.index].timestamp) + ": " +
          rejection.reason);
    }
    // Duplicates of durable entries (the head holds only those) or of earlier entries of the
    // batch leave the record too; the client sees them as accepted, as Loki does.
    size_t out = 0;
    for (size_t i = 0; i < stream.entries.size(); ++i) {
      store::EntryVerdict verdict = check.verdicts[i];
      if (verdict == store::EntryVerdict::kAccepted) {
        stream.entries[out++] = stream.entries[i];
      } else if (verdict != store::EntryVerdict::kDuplicate) {
        ++removed;
      }
    }
    stream.entries.resize(out);
  }
  std::erase_if(request->streams, [](const PushStream& s) { return s.entries.empty(); });
  return removed;
}

Status StorageEngine::Push(PushRequest request, PushCallback done) {
  if (closed_) return Status::Unavailable("storage engine is closed");
  SILT_ASSIGN_OR_RETURN(size_t record_bytes, ValidateRequest(request, options_.max_record_bytes));
  ++stats_.pushes;
  size_t max_bytes = options_.head.max_bytes;
  if (head_->bytes() >= max_bytes) {
    ++stats_.pushes_refused_memory;
    {
      std::lock_guard lock(flusher_mu_);
      flush_kicked_ = true;
    }
    flusher_cv_.notify_one();
    return Status::ResourceExhausted("head memory is full (" + std::to_string(head_->bytes()) +
                                     " of " + std::to_string(max_bytes) +
                                     " bytes) and flushing has not caught up; retry shortly");
  }
  if (static_cast<double>(head_->bytes()) >= options_.flush_watermark * max_bytes) {
    {
      std::lock_guard lock(flusher_mu_);
      flush_kicked_ = true;
    }
    flusher_cv_.notify_one();
  }

  std::vector<std::vector<labels::LabelView>> sorted_metadata;
  SortMetadata(&request, &sorted_metadata);
  PushOutcome outcome;
  size_t total = request.EntryCount();
  SILT_ASSIGN_OR_RETURN(outcome.redelivered, marks_.Admit(&request));
  outcome.rejected = CheckAgainstHead(&request, &outcome);
  outcome.accepted = total - outcome.redelivered - outcome.rejected;

  bool advances_marks = false;
  for (const SourceRange& range : request.sources) {
    advances_marks |= range.end > marks_.Get(request.tenant, request.agent_id, range.source_id);
  }
  if (request.streams.empty() && !advances_marks) {
    marks_.Abort(request);
    stats_.entries_rejected += outcome.rejected;
    stats_.entries_redelivered += outcome.redelivered;
    done(Status::Ok(), outcome);
    return Status::Ok();
  }

  // Dropping entries (redelivered, rejected, duplicates) is the only change since validation.
  if (request.EntryCount() != total) record_bytes = PushRecordSize(request);
  // The request's views die when Push returns; the callback needs only the source ranges.
  auto admitted = std::make_shared<PushRequest>();
  admitted->tenant = request.tenant;
  admitted->agent_id = request.agent_id;
  admitted->sources = request.sources;
  // Where the encoder put each entry in the payload, to apply it from the WAL's bytes.
  auto layout = std::make_shared<PushLayout>();
  // Per-source order (SourceMarks, "Order"): a record refused for lack of space holds back the
  // later ranges of its sources before anything else can be queued; one queued before that
  // fails with it, one queued after is refused by CheckOrder.
  wal::AppendHooks hooks;
  hooks.admit = [this, admitted] { return marks_.CheckOrder(*admitted); };
  hooks.refused = [this, admitted] { marks_.Fail(*admitted); };
  Status appended = wal_->AppendInPlace(
      kPushRecordType, record_bytes,
      [&request, &layout](std::span<char> out) {
        return EncodePushRecord(request, out, layout.get());
      },
      [this, layout, admitted, outcome, done](const Status& status, uint64_t sequence,
                                              std::string_view payload) {
        OnDurable(status, sequence, payload, *layout, *admitted, outcome, done);
      },
      std::move(hooks));
  if (!appended.ok()) marks_.Abort(*admitted);
  return appended;
}

void StorageEngine::OnDurable(const Status& status, uint64_t sequence, std::string_view payload,
                              const PushLayout& layout, const PushRequest& admitted,
                              PushOutcome outcome, const PushCallback& done) {
  if (!status.ok()) {
    marks_.Abort(admitted);  // a refusal for lack of space ran marks_.Fail first (hooks above)
    done(status, outcome);
    return;
  }
  ApplyDurable(sequence, payload, layout, admitted);
  marks_.Commit(admitted, options_.clock->WallNanos());
  last_applied_ = sequence;
  outcome.sequence = sequence;
  stats_.entries_accepted += outcome.accepted;
  stats_.entries_rejected += outcome.rejected;
  stats_.entries_redelivered += outcome.redelivered;
  done(Status::Ok(), outcome);
}

Result<PushOutcome> StorageEngine::PushSync(PushRequest request) {
  std::promise<std::pair<Status, PushOutcome>> promise;
  auto future = promise.get_future();
  SILT_RETURN_IF_ERROR(Push(std::move(request), [&promise](const Status& s, const PushOutcome& o) {
    promise.set_value({s, o});
  }));
  auto [status, outcome] = future.get();
  SILT_RETURN_IF_ERROR(status);
  return outcome;
}

Status StorageEngine::Flush(FlushScope scope) {
  std::lock_guard lock(flush_mu_);
  return FlushLocked(scope);
}

Status StorageEngine::FlushLocked(FlushScope scope) {
  Status first;
  std::set<store::PartitionKey> blocked;  // an older frozen head of the key is still unwritten
  for (auto it = pending_.begin(); it != pending_.end();) {
    Status written = WriteFrozen(*it);
    if (written.ok()) {
      it = pending_.erase(it);
    } else {
      blocked.insert((*it)->key());
      if (first.ok()) first = written;
      ++it;
    }
  }
  std::vector<store::PartitionKey> keys;
  if (scope == FlushScope::kAll) {
    keys = head_->LivePartitions();
  } else {
    auto target = static_cast<size_t>(options_.flush_watermark *
                                      static_cast<double>(options_.head.max_bytes));
    for (store::FlushCandidate& candidate : head_->FlushCandidates(target)) {
      keys.push_back(std::move(candidate.key));
    }
  }
  for (const store::PartitionKey& key : keys) {
    if (blocked.contains(key)) continue;
    std::shared_ptr<const store::FrozenPartition> frozen;
    {
      std::lock_guard apply(apply_mu_);
      frozen = head_->Freeze(key);
    }
    if (!frozen) continue;
    Status written = WriteFrozen(frozen);
    if (!written.ok()) {
      // Still in the head and in the WAL: retried first next time, and newer heads of the
      // same partition wait for it (their chunk would claim its records).
      pending_.push_back(std::move(frozen));
      blocked.insert(key);
      if (first.ok()) first = written;
    }
  }
  Status checkpoint = CheckpointLocked();
  return first.ok() ? checkpoint : first;
}

Status StorageEngine::EnsurePartitionDir(const std::string& dir) {
  if (durable_dirs_.contains(dir)) return Status::Ok();
  SILT_RETURN_IF_ERROR(options_.fs->CreateDirs(dir));
  // Sync every level's entry into its parent up to the data directory, also when the
  // directories exist already: an earlier attempt may have failed half way, or an earlier
  // process may have crashed before syncing them.
  for (std::string path = dir; path.size() > options_.data_dir.size(); path = fs::ParentDir(path)) {
    SILT_RETURN_IF_ERROR(options_.fs->SyncDir(fs::ParentDir(path)));
  }
  durable_dirs_.insert(dir);
  return Status::Ok();
}

Status StorageEngine::WriteFrozen(const std::shared_ptr<const store::FrozenPartition>& frozen) {
  const int64_t partition_ns = head_->options().partition_ns;
  std::string dir =
      PartitionDir(options_.data_dir, frozen->tenant(), frozen->start(), partition_ns);
  store::ChunkWriterOptions chunk = options_.chunk;
  chunk.tenant = frozen->tenant();
  chunk.partition_start = frozen->start();
  chunk.partition_end = frozen->end();
  std::string name = ChunkFileName(frozen->wal_seq_hi());
  auto fill = [&frozen](store::ChunkWriter& writer) -> Status {
    std::vector<labels::LabelView> metadata;
    for (const store::FrozenStream& stream : frozen->streams()) {
      SILT_RETURN_IF_ERROR(writer.BeginStream(stream.labels));
      for (store::StreamIterator it = stream.data.NewIterator(store::Direction::kForward);
           it.Valid(); it.Next()) {
        metadata.clear();
        std::string_view line;
        std::string_view encoded = it.DecodeEntry(&line, &metadata);
        // The head's encoding is the block's: copied, not encoded again.
        SILT_RETURN_IF_ERROR(writer.AppendEncoded(it.timestamp(), encoded, line, metadata));
      }
      SILT_RETURN_IF_ERROR(writer.EndStream());
    }
    return Status::Ok();
  };
  store::ChunkWriterStats stats;
  std::shared_ptr<const ChunkHandle> handle;
  Status written = EnsurePartitionDir(dir);
  if (written.ok()) {
    auto result = store::WriteChunkFile(options_.fs, dir, name, chunk, frozen->wal_seq_hi(), fill);
    written = result.status();
    if (result.ok()) stats = *result;
  }
  if (written.ok()) {
    auto opened = catalog_->OpenChunk(dir, name);
    written = opened.status();
    if (opened.ok()) handle = std::move(*opened);
  }
  if (!written.ok()) {
    ++stats_.flush_failures;
    if (options_.logger) {
      options_.logger->Error("engine", "flush failed; the data stays in the head and the WAL",
                             {{"path", dir + "/" + name}, {"error", written.ToString()}});
    }
    return written;
  }
  {
    // Queries see the chunk and stop seeing the frozen head copy in one step.
    std::unique_lock view(view_mu_);
    SILT_RETURN_IF_ERROR(catalog_->Publish(std::move(handle)));
    head_->Release(frozen);
  }
  ++stats_.flushes;
  stats_.chunk_bytes_written += stats.file_bytes;
  Status indexed = catalog_->WriteIndex(frozen->tenant(), frozen->start());
  if (!indexed.ok() && options_.logger) {
    options_.logger->Warn("engine", "index.silt not written; it is rebuilt at the next start",
                          {{"path", dir}, {"error", indexed.ToString()}});
  }
  return Status::Ok();
}

Status StorageEngine::CheckpointLocked() {
  uint64_t applied = last_applied_.load();
  uint64_t min_unflushed = head_->MinUnflushedSequence();
  uint64_t sequence = min_unflushed == 0 ? applied : std::min(applied, min_unflushed - 1);
  if (sequence <= wal_->checkpoint_sequence()) return Status::Ok();
  marks_.Expire(options_.clock->WallNanos(), options_.source_mark_expiry_ns);
  SILT_RETURN_IF_ERROR(wal_->WriteCheckpoint(sequence, marks_.Encode()));
  ++stats_.checkpoints;
  return wal_->DeleteSegmentsCoveredBy(sequence);
}

void StorageEngine::FlusherLoop() {
  // Named for top, perf and gdb (at most 15 characters).
  pthread_setname_np(pthread_self(), "silt-flush");
  std::unique_lock lock(flusher_mu_);
  while (!stopping_) {
    flusher_cv_.wait_for(lock, std::chrono::nanoseconds(options_.flush_check_interval_ns),
                         [this] { return stopping_ || flush_kicked_; });
    if (stopping_) break;
    flush_kicked_ = false;
    lock.unlock();
    Status flushed = Flush(FlushScope::kDue);
    if (!flushed.ok() && options_.logger) {
      options_.logger->Warn("engine", "flush incomplete; retrying",
                            {{"error", flushed.ToString()}});
    }
    lock.lock();
  }
}

Status StorageEngine::Close() {
  if (closed_.exchange(true)) return wal_ ? wal_->status() : Status::Ok();
  {
    std::lock_guard lock(flusher_mu_);
    stopping_ = true;
  }
  flusher_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  return wal_ ? wal_->Close() : Status::Ok();
}

}  // namespace silt::engine
