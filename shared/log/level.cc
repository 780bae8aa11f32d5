#include "shared/log/level.h"

#include <string>

#include "shared/units/decimal.h"

namespace silt::log {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "unknown";
}

Result<Level> ParseLevel(std::string_view text) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (EqualsIgnoringCase(text, LevelName(level))) return level;
  }
  if (EqualsIgnoringCase(text, "warning")) return Level::kWarn;
  return Status::InvalidArgument("invalid log level " + units::QuoteForError(text) +
                                 ": expected debug, info, warn or error");
}

}  // namespace silt::log
