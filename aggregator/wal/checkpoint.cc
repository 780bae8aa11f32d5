#include "aggregator/wal/checkpoint.h"

#include <cassert>
#include <cstring>

#include "aggregator/wal/wal_format.h"
#include "shared/hash/xxh3.h"

namespace silt::wal {
namespace {

constexpr size_t kSequenceOffset = 8;
constexpr size_t kStateLengthOffset = 16;
constexpr size_t kChecksumOffset = 24;

uint64_t Checksum(std::string_view header24, std::string_view state) {
  hash::Xxh3Hasher hasher;
  hasher.Update(header24);
  hasher.Update(state);
  return hasher.Digest();
}

bool AllZero(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

}  // namespace

std::string EncodeCheckpoint(const Checkpoint& checkpoint) {
  assert(checkpoint.state.size() <= UINT32_MAX);
  std::string out(kCheckpointHeaderSize, '\0');
  std::memcpy(out.data(), kCheckpointMagic, sizeof(kCheckpointMagic));
  out[4] = static_cast<char>(kCheckpointVersion);
  PutFixed64(out.data() + kSequenceOffset, checkpoint.sequence);
  PutFixed32(out.data() + kStateLengthOffset, static_cast<uint32_t>(checkpoint.state.size()));
  uint64_t checksum = Checksum(std::string_view(out).substr(0, kChecksumOffset), checkpoint.state);
  PutFixed64(out.data() + kChecksumOffset, checksum);
  out += checkpoint.state;
  return out;
}

Result<Checkpoint> DecodeCheckpoint(std::string_view bytes) {
  if (bytes.size() < kCheckpointHeaderSize) {
    return Status::Corruption("checkpoint is " + std::to_string(bytes.size()) +
                              " bytes, shorter than its " + std::to_string(kCheckpointHeaderSize) +
                              "-byte header");
  }
  const char* p = bytes.data();
  if (std::memcmp(p, kCheckpointMagic, sizeof(kCheckpointMagic)) != 0) {
    return Status::Corruption("bad checkpoint magic (expected \"WCKP\")");
  }
  if (static_cast<uint8_t>(p[4]) != kCheckpointVersion) {
    return Status::Corruption("checkpoint version " + std::to_string(static_cast<uint8_t>(p[4])) +
                              " is not supported (this build reads version " +
                              std::to_string(kCheckpointVersion) + ")");
  }
  if (!AllZero(p + 5, 3) || !AllZero(p + 20, 4)) {
    return Status::Corruption("checkpoint has non-zero reserved bytes");
  }
  uint64_t length = GetFixed32(p + kStateLengthOffset);
  if (bytes.size() != kCheckpointHeaderSize + length) {
    return Status::Corruption("checkpoint is " + std::to_string(bytes.size()) +
                              " bytes but its header announces " +
                              std::to_string(kCheckpointHeaderSize + length));
  }
  std::string_view state = bytes.substr(kCheckpointHeaderSize);
  if (Checksum(bytes.substr(0, kChecksumOffset), state) != GetFixed64(p + kChecksumOffset)) {
    return Status::Corruption("checkpoint checksum mismatch");
  }
  Checkpoint checkpoint;
  checkpoint.sequence = GetFixed64(p + kSequenceOffset);
  checkpoint.state = std::string(state);
  return checkpoint;
}

Result<CheckpointReadResult> ReadCheckpoint(fs::FileSystem* fs, const std::string& dir) {
  std::string path = fs::JoinPath(dir, kCheckpointFileName);
  CheckpointReadResult result;
  Result<std::string> bytes = fs->ReadFileToString(path);
  if (!bytes.ok()) {
    if (bytes.status().code() == StatusCode::kNotFound) return result;
    return bytes.status().WithContext("reading WAL checkpoint");
  }
  Result<Checkpoint> checkpoint = DecodeCheckpoint(*bytes);
  if (!checkpoint.ok()) {
    result.state = CheckpointState::kCorrupt;
    result.reason = std::string(checkpoint.status().message());
    return result;
  }
  result.state = CheckpointState::kValid;
  result.checkpoint = std::move(*checkpoint);
  return result;
}

Status WriteCheckpointFile(fs::FileSystem* fs, const std::string& dir,
                           const Checkpoint& checkpoint) {
  std::string path = fs::JoinPath(dir, kCheckpointFileName);
  return fs->WriteFileAtomically(path, EncodeCheckpoint(checkpoint))
      .WithContext("writing WAL checkpoint");
}

}  // namespace silt::wal
