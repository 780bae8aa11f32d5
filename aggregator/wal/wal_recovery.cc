#include "aggregator/wal/wal_recovery.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/wal/segment_file.h"
#include "aggregator/wal/segment_reader.h"

namespace silt::wal {
namespace {

// Makes a truncation durable: shrinking a file changes its size, which fdatasync persists.
Status TruncateDurably(fs::FileSystem* fs, const std::string& path, uint64_t size) {
  SILT_RETURN_IF_ERROR(fs->TruncateFile(path, size));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::WritableFile> file,
                        fs->NewWritableFile(path, fs::OpenMode::kAppend));
  SILT_RETURN_IF_ERROR(file->Sync());
  return file->Close();
}

class Recovery {
 public:
  Recovery(const WalOptions& options, const CheckpointReadResult& checkpoint,
           const ReplayFn& replay, RecoveryMode mode)
      : options_(options), checkpoint_(checkpoint), replay_(replay), mode_(mode) {}

  Result<RecoveryReport> Run() {
    uint64_t checkpoint_sequence = checkpoint_.checkpoint.sequence;
    report_.checkpoint_sequence = checkpoint_sequence;
    if (checkpoint_.state == CheckpointState::kCorrupt) {
      report_.Add({ProblemKind::kCorruptCheckpoint, fs::JoinPath(options_.dir, kCheckpointFileName),
                   0, 0, checkpoint_.reason + "; replaying every record in the WAL"});
    }
    SILT_ASSIGN_OR_RETURN(std::vector<SegmentFile> segments,
                          ListSegments(options_.fs, options_.dir));
    for (size_t i = 0; i < segments.size(); ++i) {
      SILT_RETURN_IF_ERROR(RecoverSegment(segments[i], i + 1 == segments.size()));
    }
    if (removed_any_) {
      SILT_RETURN_IF_ERROR(options_.fs->SyncDir(options_.dir).WithContext("WAL recovery"));
    }
    report_.last_sequence = last_intact_;
    report_.next_sequence =
        std::max({last_seen_ + 1, floor_, checkpoint_sequence + 1, options_.min_next_sequence});
    return std::move(report_);
  }

 private:
  Status RecoverSegment(const SegmentFile& segment, bool is_last) {
    SILT_ASSIGN_OR_RETURN(
        std::unique_ptr<SegmentReader> reader,
        SegmentReader::Open(options_.fs, segment.path, options_.max_payload_bytes, is_last));
    ++report_.segments_read;
    SILT_ASSIGN_OR_RETURN(SegmentReader::HeaderResult header,
                          reader->ReadHeader(segment.first_sequence));
    if (header.state != SegmentReader::HeaderState::kOk) {
      return BadSegmentHeader(segment, header, reader->file_size(), is_last);
    }
    SegmentScan scan;
    SILT_RETURN_IF_ERROR(Scan(*reader, is_last, &scan));
    if (!is_last || !Repairing()) {
      floor_ = std::max(floor_, segment.first_sequence + (scan.intact_headers == 0 ? 1 : 0));
      return Status::Ok();
    }
    // The newest segment: it must end on intact data, and one holding no record goes away (its
    // name still counts: the next segment is never numbered below it).
    floor_ = std::max(floor_, segment.first_sequence);
    if (scan.intact_headers == 0) return Remove(segment.path);
    if (scan.tail) {
      SILT_RETURN_IF_ERROR(TruncateDurably(options_.fs, segment.path, *scan.tail)
                               .WithContext("WAL recovery: truncating the damaged tail"));
      report_.repaired_files.push_back(segment.path);
    }
    return Status::Ok();
  }

  struct SegmentScan {
    uint64_t intact_headers = 0;   // records with an intact header, replayed or not
    std::optional<uint64_t> tail;  // where damage running to the end of the file starts
  };

  // Replays the records of one segment and reports its damage.
  Status Scan(SegmentReader& reader, bool is_last, SegmentScan* scan) {
    for (;;) {
      SILT_ASSIGN_OR_RETURN(SegmentReader::Item item, reader.Next(last_seen_, UncheckedThrough()));
      if (item.kind == SegmentReader::Item::Kind::kEnd) return Status::Ok();
      if (item.kind == SegmentReader::Item::Kind::kRecord) {
        ++scan->intact_headers;
        SILT_RETURN_IF_ERROR(OnRecord(reader.path(), item));
        continue;
      }
      if (item.problem == ProblemKind::kBadPayload) {
        ++scan->intact_headers;
        ++report_.records_skipped;
        if (item.header.sequence > last_seen_) {
          Follow(item.header.sequence, reader.path(), item.offset);
        }
      }
      if (item.is_tail) {
        scan->tail = item.offset;
        item.reason += is_last && Repairing() ? "; file truncated there"
                       : is_last              ? "; left in place (read-only)"
                                              : "; left in place (sealed segment)";
      }
      report_.Add({item.problem, reader.path(), item.offset, item.bytes, std::move(item.reason)});
    }
  }

  Status BadSegmentHeader(const SegmentFile& segment, const SegmentReader::HeaderResult& header,
                          uint64_t file_size, bool is_last) {
    if (is_last && header.state == SegmentReader::HeaderState::kIncomplete) {
      // A crash while the segment was being created: none of it was ever acknowledged.
      report_.Add({ProblemKind::kTornTail, segment.path, 0, file_size,
                   header.reason + "; the segment was being created at a crash" +
                       (Repairing() ? "; file removed" : "")});
      floor_ = std::max(floor_, segment.first_sequence + (Repairing() ? 0 : 1));
      return Repairing() ? Remove(segment.path) : Status::Ok();
    }
    report_.Add({ProblemKind::kBadSegmentHeader, segment.path, 0, file_size,
                 header.reason + "; the whole segment was skipped and left in place"});
    // Its records are unknown, so the next segment is numbered above its name.
    floor_ = std::max(floor_, segment.first_sequence + 1);
    return Status::Ok();
  }

  Status OnRecord(const std::string& path, const SegmentReader::Item& item) {
    uint64_t sequence = item.header.sequence;
    if (last_seen_ != 0 && sequence <= last_seen_) {
      ++report_.records_skipped;
      report_.Add({ProblemKind::kSequenceRepeat, path, item.offset,
                   kRecordHeaderSize + item.header.payload_length,
                   "record sequence " + std::to_string(sequence) +
                       " is not above the previous one (" + std::to_string(last_seen_) +
                       "); record skipped"});
      return Status::Ok();
    }
    Follow(sequence, path, item.offset);
    last_intact_ = sequence;
    if (sequence <= checkpoint_.checkpoint.sequence) {
      ++report_.records_before_checkpoint;
      return Status::Ok();
    }
    if (replay_) {
      Status status = replay_(WalRecord{sequence, item.header.type, item.payload});
      if (!status.ok()) {
        return status.WithContext("replaying WAL record " + std::to_string(sequence) + " (" + path +
                                  " offset " + std::to_string(item.offset) + ")");
      }
    }
    ++report_.records_replayed;
    return Status::Ok();
  }

  // Moves the sequence forward to `sequence`, reporting the numbers skipped on the way. The first
  // record is expected right after a trustworthy checkpoint (or at 1 without one) or below it.
  void Follow(uint64_t sequence, const std::string& path, uint64_t offset) {
    uint64_t expected = last_seen_ + 1;
    if (last_seen_ == 0) {
      expected = checkpoint_.state == CheckpointState::kCorrupt
                     ? sequence
                     : checkpoint_.checkpoint.sequence + 1;
    }
    if (sequence > expected) {
      report_.Add({ProblemKind::kSequenceGap, path, offset, 0,
                   "sequence jumps to " + std::to_string(sequence) + ": records " +
                       std::to_string(expected) + ".." + std::to_string(sequence - 1) +
                       " are missing"});
    }
    last_seen_ = sequence;
  }

  Status Remove(const std::string& path) {
    SILT_RETURN_IF_ERROR(options_.fs->DeleteFile(path).WithContext("WAL recovery"));
    removed_any_ = true;
    report_.repaired_files.push_back(path);
    return Status::Ok();
  }

  bool Repairing() const { return mode_ == RecoveryMode::kRepair; }

  // At startup the payloads of records an intact checkpoint covers are neither read nor checked
  // (their data is durable outside the WAL and they are never replayed); read-only recovery,
  // for inspection, checks every one.
  uint64_t UncheckedThrough() const {
    return Repairing() && checkpoint_.state == CheckpointState::kValid
               ? checkpoint_.checkpoint.sequence
               : 0;
  }

  const WalOptions& options_;
  const CheckpointReadResult& checkpoint_;
  const ReplayFn& replay_;
  const RecoveryMode mode_;
  RecoveryReport report_;
  uint64_t last_seen_ = 0;    // highest sequence of an intact header (bad payloads included)
  uint64_t last_intact_ = 0;  // highest sequence of an intact record
  uint64_t floor_ = 1;        // the lowest next sequence the segment names allow
  bool removed_any_ = false;
};

}  // namespace

Result<RecoveryReport> RecoverWal(const WalOptions& options, const CheckpointReadResult& checkpoint,
                                  const ReplayFn& replay, RecoveryMode mode) {
  SILT_RETURN_IF_ERROR(ValidateWalOptions(options));
  return Recovery(options, checkpoint, replay, mode).Run();
}

}  // namespace silt::wal
