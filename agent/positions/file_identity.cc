#include "agent/positions/file_identity.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>

#include "shared/hash/xxh3.h"

namespace silt::agent {
namespace {

// Reads min(file size, kFingerprintMaxBytes) bytes at offset 0 into `buffer`.
Result<std::string_view> ReadHead(const fs::RandomAccessFile& file,
                                  std::array<char, kFingerprintMaxBytes>* buffer) {
  SILT_ASSIGN_OR_RETURN(size_t n, file.Read(0, buffer->size(), buffer->data()));
  return std::string_view(buffer->data(), n);
}

}  // namespace

Fingerprint FingerprintOf(std::string_view head) {
  head = head.substr(0, std::min<size_t>(head.size(), kFingerprintMaxBytes));
  return Fingerprint{hash::Xxh3(head), static_cast<uint32_t>(head.size())};
}

bool FingerprintMatches(std::string_view head, const Fingerprint& stored, Fingerprint* current) {
  if (head.size() < stored.size) return false;
  if (hash::Xxh3(head.substr(0, stored.size)) != stored.hash) return false;
  if (current != nullptr) {
    *current = head.size() == stored.size ? stored : FingerprintOf(head);
  }
  return true;
}

Result<Fingerprint> ComputeFingerprint(const fs::RandomAccessFile& file) {
  std::array<char, kFingerprintMaxBytes> buffer;
  SILT_ASSIGN_OR_RETURN(std::string_view head, ReadHead(file, &buffer));
  return FingerprintOf(head);
}

Result<FingerprintCheck> CheckFingerprint(const fs::RandomAccessFile& file,
                                          const Fingerprint& stored) {
  std::array<char, kFingerprintMaxBytes> buffer;
  SILT_ASSIGN_OR_RETURN(std::string_view head, ReadHead(file, &buffer));
  FingerprintCheck check;
  check.matches = FingerprintMatches(head, stored, &check.current);
  return check;
}

std::string FormatIdentity(const FileIdentity& identity) {
  char text[96];
  std::snprintf(text, sizeof(text), "dev=%" PRIu64 " ino=%" PRIu64 " fp=%016" PRIx64 "/%" PRIu32,
                identity.device, identity.inode, identity.fingerprint.hash,
                identity.fingerprint.size);
  return text;
}

}  // namespace silt::agent
