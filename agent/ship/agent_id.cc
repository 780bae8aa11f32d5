#include "agent/ship/agent_id.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace silt::agent {
namespace {

constexpr size_t kIdBytes = 16;

Result<std::string> NewRandomId() {
  uint8_t bytes[kIdBytes];
  size_t filled = 0;
  while (filled < kIdBytes) {
    const ssize_t n = ::getrandom(bytes + filled, kIdBytes - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::string("getrandom for a new agent id: ") + std::strerror(errno));
    }
    filled += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (uint8_t byte : bytes) {
    id += kHex[byte >> 4];
    id += kHex[byte & 0xf];
  }
  return id;
}

}  // namespace

bool IsValidAgentId(std::string_view id) {
  if (id.size() != 2 * kIdBytes) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::string> LoadOrCreateAgentId(fs::FileSystem* fs, const std::string& dir) {
  const std::string path = fs::JoinPath(dir, kAgentIdFileName);
  Result<std::string> text = fs->ReadFileToString(path);
  if (text.ok()) {
    std::string_view id = *text;
    if (!id.empty() && id.back() == '\n') id.remove_suffix(1);
    if (!IsValidAgentId(id)) {
      return Status::Corruption(path + ": not an agent id (expected 32 lower-case hex digits); "
                                "remove the file to make a new id (the aggregator then treats "
                                "every file as new and may store lines again)");
    }
    return std::string(id);
  }
  if (text.status().code() != StatusCode::kNotFound) {
    return text.status().WithContext("read the agent id");
  }
  SILT_ASSIGN_OR_RETURN(std::string id, NewRandomId());
  Status written = fs->WriteFileAtomically(path, id + "\n");
  if (!written.ok()) return written.WithContext("write the new agent id");
  return id;
}

}  // namespace silt::agent
