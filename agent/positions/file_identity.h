// FileIdentity: how the agent recognises one log file across renames, restarts, inode reuse and
// copytruncate. It is the (device, inode) pair from stat plus a Fingerprint: XXH3-64 of the
// file's first min(size, 1 KiB) bytes and the number of bytes that hash covers. While a file is
// shorter than 1 KiB the fingerprint "grows": a file still matches a stored fingerprint when its
// first `size` bytes hash the same, and the fingerprint is then recomputed over more bytes.
// Same (device, inode) with different first bytes means inode reuse or a rewrite in place.
//
// Value types and stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::agent {

// Bytes a complete fingerprint covers.
inline constexpr uint32_t kFingerprintMaxBytes = 1024;

struct Fingerprint {
  uint64_t hash = 0;  // XXH3-64 of the file's first `size` bytes
  uint32_t size = 0;  // bytes covered: min(file size when computed, kFingerprintMaxBytes)

  bool complete() const { return size == kFingerprintMaxBytes; }
  friend bool operator==(const Fingerprint&, const Fingerprint&) = default;
};

struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  Fingerprint fingerprint;

  // Same (device, inode): the same file unless the inode was reused or rewritten in place.
  bool SameInode(uint64_t other_device, uint64_t other_inode) const {
    return device == other_device && inode == other_inode;
  }
  bool SameInode(const FileIdentity& other) const { return SameInode(other.device, other.inode); }
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// The fingerprint of a file whose first bytes are `head` (only the first kFingerprintMaxBytes
// are used; pass fewer when the file is shorter).
Fingerprint FingerprintOf(std::string_view head);

// Whether a file whose first bytes are `head` (min(file size, kFingerprintMaxBytes) of them)
// still starts with the bytes `stored` covers. On a match, `*current` (if not null) receives the
// fingerprint over all of `head`, which covers at least as much as `stored`.
bool FingerprintMatches(std::string_view head, const Fingerprint& stored, Fingerprint* current);

// Reads the first min(size, kFingerprintMaxBytes) bytes of `file` and returns their fingerprint.
// IOError when the read fails.
Result<Fingerprint> ComputeFingerprint(const fs::RandomAccessFile& file);

// The outcome of checking an open file against a stored fingerprint.
struct FingerprintCheck {
  bool matches = false;
  Fingerprint current;  // when `matches`: the fingerprint over the file's current first bytes
};
// Reads the head of `file` and compares it with `stored` (see FingerprintMatches). IOError when
// the read fails.
Result<FingerprintCheck> CheckFingerprint(const fs::RandomAccessFile& file,
                                          const Fingerprint& stored);

// "dev=2049 ino=131 fp=0123456789abcdef/1024", for messages.
std::string FormatIdentity(const FileIdentity& identity);

}  // namespace silt::agent
