// AgentId: the stable id of one agent installation, sent in every Hello. Together with a source
// id it keys the aggregator's redelivery high-water marks, so it must survive restarts: it is a
// random 128-bit value written once as 32 lower-case hex digits and a newline to the file
// `agent-id` next to the positions file (temp file + fsync + rename, so a crash leaves no file or
// a whole one), and read back on every later start.
//
// Thread-safety: free functions; call them from one thread at startup.
#pragma once

#include <string>
#include <string_view>

#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::agent {

inline constexpr std::string_view kAgentIdFileName = "agent-id";

// True for 32 lower-case hex digits.
bool IsValidAgentId(std::string_view id);

// Reads the id from `dir`/agent-id, or creates the file with a new random id when it is missing.
// `dir` must exist. Errors name the file: Corruption when it holds something other than an id
// (remove it to get a new id, which makes the aggregator treat every source as new), IOError /
// PermissionDenied when it cannot be read or written.
Result<std::string> LoadOrCreateAgentId(fs::FileSystem* fs, const std::string& dir);

}  // namespace silt::agent
