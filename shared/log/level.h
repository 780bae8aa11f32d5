// Log levels: how important a log line is, and the threshold below which lines are dropped.
// Names are what config files and the `level=` key use. Stateless functions; thread-safe.
#pragma once

#include <string_view>

#include "shared/status/result.h"

namespace silt::log {

// Ordered by importance: a logger with minimum level kWarn drops kDebug and kInfo.
enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug", "info", "warn" or "error".
std::string_view LevelName(Level level);

// Parses a level name as written in config or flags: debug, info, warn (or warning), error; any
// letter case. Returns InvalidArgument quoting `text` and listing the accepted names otherwise.
Result<Level> ParseLevel(std::string_view text);

}  // namespace silt::log
