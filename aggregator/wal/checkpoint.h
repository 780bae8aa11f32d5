// Checkpoint: the WAL sequence number up to which the store has made every record durable
// elsewhere (flushed chunk files), plus an opaque state blob the store needs to resume from
// there (agent high-water marks). It lives in <wal_dir>/checkpoint and is replaced atomically
// (temp file, fdatasync, rename, directory fsync), so a crash leaves the old or the new one.
// Format (docs/formats/wal.md), integers little-endian:
//
//   0   4  magic "WCKP"          16  4  state length N
//   4   1  version (1)           20  4  reserved, zero
//   5   3  reserved, zero        24  8  XXH3-64 of bytes 0..23 followed by the state
//   8   8  sequence number       32  N  state
//
// Functions are thread-safe; callers serialise writers of one directory (WalWriter does).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::wal {

inline constexpr char kCheckpointMagic[4] = {'W', 'C', 'K', 'P'};
inline constexpr uint8_t kCheckpointVersion = 1;
inline constexpr size_t kCheckpointHeaderSize = 32;

struct Checkpoint {
  // Every record with a sequence number <= this is durable outside the WAL. 0: none.
  uint64_t sequence = 0;
  std::string state;
};

enum class CheckpointState {
  kMissing,  // no checkpoint file: a new WAL, or one never checkpointed
  kValid,
  kCorrupt,  // present but unreadable; treated as sequence 0 (replay everything)
};

struct CheckpointReadResult {
  CheckpointState state = CheckpointState::kMissing;
  // The checkpoint when kValid; sequence 0 and no state otherwise.
  Checkpoint checkpoint;
  // Why it is corrupt (kCorrupt only).
  std::string reason;
};

// The file's bytes for `checkpoint`. Precondition: state.size() < 4 GiB.
std::string EncodeCheckpoint(const Checkpoint& checkpoint);
// Parses a checkpoint file's bytes. Corruption with the reason when the size, magic, version,
// reserved bytes or checksum are wrong.
Result<Checkpoint> DecodeCheckpoint(std::string_view bytes);

// Reads <dir>/checkpoint. A missing or corrupt file is a result, not an error; an error means
// the file system failed (IOError, PermissionDenied).
Result<CheckpointReadResult> ReadCheckpoint(fs::FileSystem* fs, const std::string& dir);
// Replaces <dir>/checkpoint atomically. On failure the old checkpoint is still in place (or the
// new one, if only the final directory sync failed); either is safe to restart from.
Status WriteCheckpointFile(fs::FileSystem* fs, const std::string& dir,
                           const Checkpoint& checkpoint);

}  // namespace silt::wal
