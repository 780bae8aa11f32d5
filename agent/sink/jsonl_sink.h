// JsonlSink: the agent's local output (`--output jsonl:PATH`, or `jsonl:-` for stdout). Each entry
// becomes one line of JSON:
//
//   {"timestamp":"2026-11-22T01:52:03.123456789Z","labels":{"job":"nginx"},
//    "line":"GET / 200","path":"/var/log/nginx/access.log","offset":1024,
//    "source":"04c1e2f3a4b5c6d7"}
//
// (one line, keys in this order). `timestamp` is when the agent delivered the batch
// (RFC3339Nano, UTC; every entry of a batch has the same one), `labels` the stream labels of the
// watched path, `line` the entry's bytes (shared/json/json_string.h), `path` the watched path (for
// a rotated file too: the stream it belongs to), `offset` where the entry starts in its file,
// `source` the source id (16 hex digits) of the file incarnation. (source, offset) identifies an
// entry: after an agent crash, entries delivered but not yet saved in the positions file are
// written again with the same pair, which is how a reader (and the aggregator) drops the repeats.
//
// Delivery: a batch is written with write(2) (one call per batch where the OS takes it whole).
// Into a regular file, its chunks are confirmed to the PositionsStore only by the next Sync()
// (or Close()), after an fdatasync: the agent calls Sync() right before each positions save, so
// the positions file never counts a line that a power loss could still take from the output, at
// the cost of one fdatasync per save (1 s by default), not one per batch. Into a pipe or a
// terminal, which cannot be synced, every chunk is confirmed as soon as its write returns (a
// crash or SIGKILL of the agent cannot lose a write that returned). A failed write (disk full,
// closed pipe) stops the sink: the entries fully written before the failure are confirmed (for a
// file, once synced), nothing after, the error is kept in status() and later batches are dropped
// unconfirmed (the agent shuts down; after a restart they are read again). A failed fdatasync
// stops the sink too and confirms nothing it covered.
//
// Thread-safety: not thread-safe; called on the loop thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "agent/positions/positions_store.h"
#include "agent/sink/sink_stats.h"
#include "agent/tailer/batch.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"

namespace silt::agent {

class JsonlSink final : public BatchSink {
 public:
  // The stream labels of a watched path.
  using LabelLookup = std::function<labels::LabelSet(const std::string& path)>;

  // Opens `path` for appending (created 0644 if missing), or stdout for "-". A file whose last
  // line lacks its '\n' (a crash in the middle of a write) gets one first, so the torn line stays
  // alone. The pointers must outlive the sink. IOError/PermissionDenied/NotFound naming the path
  // when it cannot be opened.
  static Result<std::unique_ptr<JsonlSink>> Open(const std::string& path, PositionsStore* positions,
                                                 const time::Clock* clock, LabelLookup labels);
  // Writes to `fd`, closed by Close() when `owns_fd`. `name` names it in messages.
  JsonlSink(int fd, bool owns_fd, std::string name, PositionsStore* positions,
            const time::Clock* clock, LabelLookup labels);
  ~JsonlSink() override;
  JsonlSink(const JsonlSink&) = delete;
  JsonlSink& operator=(const JsonlSink&) = delete;

  void Deliver(Batch batch) override;
  // OK, or the first write error (after which nothing more is written).
  const Status& status() const { return status_; }
  // Makes the lines written so far durable and confirms them: fdatasync (skipped when nothing was
  // written since the last one), then every chunk delivered since the last Sync is confirmed to
  // the PositionsStore. Nothing to do for output that is not a regular file (its chunks are
  // confirmed at once). A failed fdatasync confirms nothing, stops the sink and is returned (also
  // in status()).
  Status Sync();
  // Sync, then close when owned. Returns the first error of the sink's life, or of the
  // sync/close. Idempotent.
  Status Close();

  SinkStats stats() const { return stats_; }

 private:
  // Where the JSON of one line ends in the buffer, to confirm a prefix after a short write.
  struct Mark {
    size_t buffer_end;
    size_t chunk;
    uint64_t line_end;
  };

  const std::string& LabelsJson(const std::string& path);
  void AppendEntry(const std::string& timestamp, const std::string& labels,
                   const SourceChunk& chunk, const Line& line);
  // Writes buffer_; returns the bytes written (all of it unless status_ turned into an error).
  size_t WriteBuffer();
  void ConfirmWritten(const Batch& batch, size_t written);
  // Confirms the range now (output that cannot be synced) or at the next Sync.
  void Confirm(uint64_t source_id, uint64_t start_offset, uint64_t end_offset);
  // The fdatasync and confirmations of Sync, also run by Close.
  Status SyncWritten();
  static bool IsRegularFile(int fd);

  // A range delivered and written, waiting for the fdatasync that makes it durable.
  struct Unsynced {
    uint64_t source_id;
    uint64_t start;
    uint64_t end;
  };

  int fd_;
  const bool owns_fd_;
  const std::string name_;
  PositionsStore* const positions_;
  const time::Clock* const clock_;
  LabelLookup labels_;
  const bool syncable_;  // a regular file: confirmations wait for Sync
  std::vector<Unsynced> unsynced_;
  bool written_since_sync_ = false;  // bytes went into the file since the last fdatasync
  std::unordered_map<std::string, std::string> labels_json_;
  std::string buffer_;
  std::vector<Mark> marks_;
  Status status_;
  bool closed_ = false;
  SinkStats stats_;
};

}  // namespace silt::agent
