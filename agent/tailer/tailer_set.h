// TailerSet: every file the agent tails, and the rotation state machine per watched path. It is
// plain code driven by calls the libuv layer makes (or a test makes):
//
//   OnRescan(paths)     the full list of paths the globs match now (at startup, then periodically)
//   OnPathChanged(path) something happened to a matched path (inotify event, stat-poll tick)
//   Poll(now)           read what is available and hand one Batch to the sink
//   Flush(now)          persist confirmed positions (periodically and at shutdown)
//
// Each watched path has at most one current file. When the path stops pointing at it (renamed
// away, deleted, replaced, a symlink retargeted: anything that changes the (device, inode) that
// stat reports), the file is kept open as a rotated file and drained to its end before its
// successor at the path is read; it is closed once it has been at its end for rotate_wait. At
// most max_open_rotated rotated files stay open; beyond that the oldest is abandoned and its
// unread bytes are counted as dropped. A file that shrinks below the read offset or whose first
// bytes change was truncated (copytruncate): its source ends, continuing in the copy if one with
// the same first bytes sits beside it, and the file restarts at 0 as a new source. When a path's
// file is replaced, files under rotated names (rotation_names.h) that the agent has never seen and
// that were modified after it last looked at the path are rotations it missed (two rotations
// between looks, or while it was down) and are read from 0, oldest first.
//
// Positions: every source has an entry in the PositionsStore; it advances only when the sink
// confirms a chunk (PositionsStore::Confirm). On construction every stored entry is a candidate
// for resuming: when its watched path is first resolved, the entry whose file is still at the
// path resumes at its offset, and the others are looked up under rotated names in the same
// directory by (device, inode) plus fingerprint and finished from their offsets first.
//
// Thread-safety: not thread-safe; one loop thread drives it. The sink may call
// PositionsStore::Confirm from inside Deliver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/positions/positions_store.h"
#include "agent/tailer/batch.h"
#include "agent/tailer/batch_builder.h"
#include "agent/tailer/file_tailer.h"
#include "agent/tailer/line_splitter.h"
#include "agent/tailer/rotation_names.h"
#include "agent/tailer/source_id_generator.h"
#include "shared/fs/file_system.h"
#include "shared/status/status.h"

namespace silt::agent {

// Where a file found at startup without a saved position starts.
enum class ReadFrom {
  kHead,  // at offset 0
  kTail,  // after its last complete line (files found later always start at 0)
};

// Counters (since construction) and gauges for the agent's metrics and status line.
struct TailerStats {
  uint64_t files_opened = 0;      // sources started, resumed or continued in a copy
  uint64_t files_closed = 0;      // rotated files drained and closed, or abandoned
  uint64_t rotations = 0;         // a watched path's file moved away, was replaced or deleted
  uint64_t rotated_found = 0;     // never-seen rotated files found beside a path, read from 0
  uint64_t truncations = 0;       // truncated or rewritten files (copytruncate)
  uint64_t copies_recovered = 0;  // truncated sources continued in their copy
  uint64_t sources_resumed = 0;   // saved positions resumed
  uint64_t bytes_read = 0;
  uint64_t lines_read = 0;
  uint64_t lines_truncated = 0;  // cut to max_line_size
  uint64_t lines_skipped = 0;    // dropped for their size (OversizeLinePolicy::kSkip)
  uint64_t bytes_skipped = 0;    // bytes of skipped lines and truncated tails
  uint64_t rotated_abandoned = 0;
  uint64_t bytes_dropped = 0;       // unread bytes of abandoned rotated files
  uint64_t errors = 0;              // failed stat, open, read or list (reported as kError events)
  uint64_t events_dropped = 0;      // events not kept because nobody took them
  uint64_t watched_paths = 0;       // gauge
  uint64_t open_files = 0;          // gauge, rotated ones included
  uint64_t open_rotated_files = 0;  // gauge
  uint64_t lag_bytes = 0;           // gauge: bytes in open files not read yet
};

// Something the operator should see in the log; the loop logs them after each call.
struct TailerEvent {
  enum class Kind {
    kOpened,         // a new source started
    kResumed,        // a saved position was resumed
    kRotated,        // a path's file was replaced, moved away or deleted; draining it
    kFoundRotated,   // a never-seen rotated file was found and is read from 0
    kTruncated,      // a file was truncated; its source ended or went on in the copy
    kCopyRecovered,  // a truncated source continues in the copy beside it
    kCopySeen,       // a copy of a tailed file beside it (copytruncate under way): not read
    kClosed,         // a rotated file was drained and closed
    kAbandoned,      // too many rotated files open: one was closed with unread bytes
    kError,          // stat/open/read/list failed; tailing of other files goes on
  };
  Kind kind = Kind::kError;
  std::string path;        // the watched path
  uint64_t source_id = 0;  // 0 when none
  std::string message;     // a full sentence naming the file, offsets and what happens next
};

struct PollResult {
  size_t lines = 0;
  size_t bytes = 0;
  bool more = false;  // bytes are known to be unread (the batch filled up): poll again soon
};

class TailerSet {
 public:
  struct Options {
    ReadFrom read_from = ReadFrom::kHead;
    LineSplitter::Options lines;
    size_t read_chunk_size = 64 * 1024;  // bytes per read call
    BatchBuilder::Limits batch;
    size_t max_open_rotated = 32;                       // >= 1
    int64_t rotate_wait_ns = 5'000'000'000;             // 5 s at end of file before closing
    int64_t forget_after_ns = 24 * 3600'000'000'000LL;  // entries of files not seen for 24 h
    // Paths and rotated names ending with these are ignored (compressed rotations).
    std::vector<std::string> ignored_suffixes = {".gz", ".bz2", ".xz", ".zst"};
    // Wall time (Unix ns) the agent started; 0 when unknown. A path first seen after startup has
    // no last look of its own: files under its rotated names that the agent never saw and that
    // were modified since this time (less kCoarseMtimeSlackNs, as file times come from the
    // kernel's coarse clock) were created and rotated away before discovery saw the path, and
    // are read from 0 before the file now at the path.
    int64_t started_wall_ns = 0;
  };
  static constexpr int64_t kCoarseMtimeSlackNs = 1'000'000'000;

  // The pointers must outlive the set. `positions` should be loaded already: its entries are
  // what a restart resumes from.
  TailerSet(fs::FileSystem* fs, PositionsStore* positions, SourceIdGenerator* ids, BatchSink* sink,
            Options options);
  ~TailerSet();

  TailerSet(const TailerSet&) = delete;
  TailerSet& operator=(const TailerSet&) = delete;

  // `paths` is every path the watches match now (duplicates and ignored suffixes are dropped).
  // Paths no longer listed stop being watched (their file is drained as if rotated away); listed
  // ones are resolved as by OnPathChanged, known paths first so rotations are seen before new
  // paths could claim the moved files. ReadFrom applies to files found by the first call.
  void OnRescan(const std::vector<std::string>& paths);
  // Re-examines one matched path: stat it, detect rotation or truncation, open what is new. Also
  // marks its file as worth reading on the next Poll.
  void OnPathChanged(const std::string& path);
  // Reads rotated files (oldest first) then current files, until every file is at its end or
  // the batch is full, closes rotated files that have been at their end for rotate_wait, and
  // hands a non-empty batch to the sink. `now_ns` is monotonic time. Rotated files are read on
  // every call; current files only after an event marked them, or while data remains.
  PollResult Poll(int64_t now_ns);
  // Stamps the entries of open files with `wall_ns` (Unix ns), forgets entries of files not seen
  // for forget_after, and writes the positions file if it changed (PositionsStore::Flush).
  Status Flush(int64_t wall_ns);

  TailerStats stats() const;
  // stats().files_opened without the per-file work stats() does (for callers on every poll).
  uint64_t files_opened() const { return stats_.files_opened; }
  // How many source ids were handed out (new files, rotated files found, truncated files read
  // again as new sources). A new id must reach the positions file before the agent dies: a
  // restarted agent that does not know it reads the same bytes again under another id, and the
  // aggregator cannot tell them for repeats.
  uint64_t sources_started() const { return sources_started_; }
  // The events since the last call (at most 1024 are kept; the rest are counted as dropped).
  std::vector<TailerEvent> TakeEvents();

 private:
  // One open file.
  struct TrackedFile {
    std::unique_ptr<FileTailer> tailer;
    std::string label_path;     // the watched path whose stream the lines belong to
    std::string at_path;        // the watched path the file is at now; empty once rotated away
    uint64_t rotation_seq = 0;  // order of rotation, for draining oldest first
    std::optional<int64_t> idle_since_ns;
    int64_t mtime_ns = 0;  // as last stat'ed
    bool readable = true;  // may have unread bytes (current files are read only then)
    bool at_eof = false;   // the last read found nothing new
    bool closed = false;   // to be removed at the end of the current call
    LineSplitterStats accounted;

    bool rotated() const { return at_path.empty(); }
  };

  // One watched path.
  struct PathState {
    TrackedFile* current = nullptr;
    // Set once the path held a file or was seen missing: files under rotated names that the agent
    // never saw and that were modified at or after this time are rotations it missed, and a new
    // file at the path is a successor, read from 0. It is the mtime of the path's last file when
    // last looked at, or of the directory when the path was first seen missing.
    std::optional<int64_t> rotated_since_ns;
    bool first_seen_at_startup = false;
  };

  void ResolvePath(const std::string& path);
  void InitPathState(const std::string& path, PathState* state);
  void OnPathMissing(const std::string& path, PathState* state, bool scanned);
  void RestoreEntriesOf(const std::string& path, PathState* state, const fs::FileInfo* info);
  void ResumeAtPath(const std::string& path, PathState* state, const Position& entry);
  void RestoreRotated(const std::string& path, std::vector<Position> entries);
  void RecoverTruncatedWhileDown(const std::string& file_path, const Position& entry);
  // Opens the file at `path` (`seen` is what a stat of the path found just before) and makes it
  // the path's current file. Sets `*scan` when rotated names should be looked at after it (a new
  // file at the path, or the path changed between the stat and the open).
  void AttachOrOpen(const std::string& path, PathState* state, const fs::FileInfo& seen,
                    bool* scan);
  void ScanForRotated(const std::string& path, int64_t modified_since_ns);
  // Whether `candidate` (a file under a rotated name of `path`) holds a prefix of a file tailed
  // for `path`: no longer than it, starting with the same bytes (as far as a fingerprint covers)
  // and ending with the bytes the tailed file holds at that offset (1 KiB). That is copytruncate between its copy and its truncation (or a `cp` of the file),
  // not a missed rotation: its bytes are read from the tailed file, and if the truncation comes,
  // RecoverFromCopy continues the source in it.
  bool IsCopyOfTailedFile(const std::string& path, const OpenedFile& candidate);
  bool RecoverFromCopy(uint64_t source_id, const std::string& path, const Fingerprint& fingerprint,
                       uint64_t resume_at);
  // The stored entry for the file `opened`, if it is a file seen before (same inode, its first
  // bytes still match, at least as long as the saved offset). Entries with the inode that do not
  // match are stale (inode reused, or the file shrank unseen): MarkFileGone, except
  // `ignored_source_id`'s.
  std::optional<Position> FindEntryFor(const OpenedFile& opened, uint64_t ignored_source_id = 0);
  // The file of `source_id`'s entry (which must exist) is gone: the entry loses its identity, so
  // it matches no file again, and stays until forget_after as its path's record of when a file
  // there was last looked at (PathState::rotated_since_ns after a restart).
  void MarkFileGone(uint64_t source_id);

  TrackedFile* Track(OpenedFile opened, uint64_t source_id, uint64_t offset,
                     const std::string& label_path, const std::string& at_path);
  void Attach(TrackedFile& file, const std::string& path, PathState* state);
  void Retire(TrackedFile& file, PathState* state, const char* why);
  void EnforceRotatedLimit();
  enum class CloseMode { kFinish, kAbandon };
  void Close(TrackedFile& file, CloseMode mode);
  void CheckTruncation(TrackedFile& file, int64_t previous_mtime_ns);
  void HandleTruncation(TrackedFile& file, int64_t previous_mtime_ns);
  void DropFile(TrackedFile& file);

  // Reads rotated files, oldest first, closing those idle for rotate_wait; collects the watched
  // paths whose rotated files were not drained. Returns true when the batch filled up first.
  bool PollRotated(int64_t now_ns, std::set<std::string>* undrained);
  // Reads the current files marked readable, except those whose paths are in `undrained`.
  // Returns true when the batch filled up first.
  bool PollCurrent(const std::set<std::string>& undrained);
  // Reads `file` until its end or a full batch. Returns true when bytes were read.
  bool ReadAvailable(TrackedFile& file);
  void AccountLines(TrackedFile& file);
  uint64_t TailOffset(const OpenedFile& opened);
  uint64_t NewSourceId();
  TrackedFile* FindTracked(uint64_t device, uint64_t inode);
  void SweepClosed();
  void AddEvent(TailerEvent::Kind kind, const std::string& path, uint64_t source_id,
                std::string message);
  void ReportError(const std::string& path, uint64_t source_id, const Status& status);

  fs::FileSystem* const fs_;
  PositionsStore* const positions_;
  SourceIdGenerator* const ids_;
  BatchSink* const sink_;
  const Options options_;

  std::vector<std::unique_ptr<TrackedFile>> files_;
  std::map<std::string, PathState> paths_;
  // Stored entries not matched to a file yet, by watched path (restart).
  std::map<std::string, std::vector<uint64_t>> restorable_;
  // Read offsets of files closed in this run, so a file seen again resumes past lines in flight.
  std::map<uint64_t, uint64_t> closed_read_end_;
  BatchBuilder builder_;
  std::vector<char> scratch_;
  uint64_t next_rotation_seq_ = 1;
  size_t active_cursor_ = 0;
  bool started_ = false;
  TailerStats stats_;
  uint64_t sources_started_ = 0;  // NewSourceId calls
  std::vector<TailerEvent> events_;
};

}  // namespace silt::agent
